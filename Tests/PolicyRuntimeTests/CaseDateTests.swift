import PolicyLang
import XCTest

/// The case reader parses dates with `CalendarDate.parse(isoBytes:)`, which reads the ten bytes
/// a word at a time and counts the days of the years 1901–2099 without the century rule. It
/// must say what the calendar's own constructor says, for every day and every near miss.
final class CaseDateTests: XCTestCase {
    func parse(_ text: String) -> CalendarDate? {
        Array(text.utf8).withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }
    }

    func fourDigits(_ n: Int) -> String { String(repeating: "0", count: 4 - String(n).count) + String(n) }

    /// Every month and day number from 00 to 39 in the years around and inside 1901–2099, in
    /// the years whose leap rule is the century's, and in the first and last years.
    func testParsingAgreesWithTheCalendar() {
        let years = Array(1890...2110) + [1, 2, 4, 100, 400, 1600, 1700, 1800, 2400, 9996, 9999]
        for year in years {
            for month in 0...19 {
                for day in 0...39 {
                    let text = "\(fourDigits(year))-\(String(format2: month))-\(String(format2: day))"
                    XCTAssertEqual(parse(text), CalendarDate(year: year, month: month, day: day), text)
                }
            }
        }
        XCTAssertNil(parse("0000-01-01"))
    }

    /// A byte out of place anywhere in the ten: a digit where the dash goes, a dash, slash,
    /// colon or letter where a digit goes, and bytes whose low half looks like a digit.
    func testEveryByteOutOfPlaceIsRefused() {
        let valid = Array("2024-02-29".utf8)
        XCTAssertEqual(parse("2024-02-29"), CalendarDate(year: 2024, month: 2, day: 29))
        for position in 0..<10 {
            for byte in 0...255 where byte != Int(valid[position]) {
                var bytes = valid
                bytes[position] = UInt8(byte)
                let isDigit = (0x30...0x39).contains(byte)
                let stillValid = position != 4 && position != 7 && isDigit
                let parsed = bytes.withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }
                if !stillValid { XCTAssertNil(parsed, "byte \(byte) at \(position)") }
            }
        }
        for text in ["2024-2-29", "2024-02-290", "", " 2024-02-29", "2024-02-29 "] { XCTAssertNil(parse(text), text) }
    }
}

private extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : String(n) }
}
