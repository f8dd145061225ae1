import PolicyLang
import XCTest
@testable import PolicyRuntime

/// The fast reader's dates through a worker's `DateCache`: whatever the cache holds from earlier
/// cases, a date comes out as `CalendarDate.parse(isoBytes:)` has it, and what is not a date
/// stays refused.
final class DateCacheTests: XCTestCase {
    /// The date of the ten bytes of `text` (a quote and "YYYY-MM-DD" and a quote), read as the
    /// fast reader reads it with `dates`.
    func read(_ text: [UInt8], _ dates: DateCache) -> CalendarDate? {
        text.withUnsafeBufferPointer { buffer in
            var c = FastCursor(bytes: buffer.baseAddress!, count: buffer.count, index: 0)
            c.dates = dates.entries
            return c.date(at: 1)
        }
    }

    func quoted(_ iso: String) -> [UInt8] { Array("\"\(iso)\"".utf8) }

    func parsed(_ iso: String) -> CalendarDate? {
        Array(iso.utf8).withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }
    }

    /// Every day of 32 years, more than the cache has entries, so that dates share entries and
    /// replace each other: read twice in turn, and each next to what only looks like a date.
    func testEveryDateComesOutAsParsed() {
        let dates = DateCache()
        var isos: [String] = []
        for year in 1999...2030 {
            for month in 1...12 {
                for day in 1...31 { isos.append(String(format: "%04d-%02d-%02d", year, month, day)) }
            }
        }
        var valid = 0
        for pass in 0..<2 {
            for iso in isos {
                let expected = parsed(iso)
                if pass == 0, expected != nil { valid += 1 }
                XCTAssertEqual(read(quoted(iso), dates), expected, iso)
                // The same first eight bytes with other last two: a day that does not exist, or no day.
                for tail in ["32", "00", "3:", "/1", "1 "] {
                    let other = String(iso.prefix(8)) + tail
                    XCTAssertEqual(read(quoted(other), dates), parsed(other), other)
                }
            }
        }
        XCTAssertEqual(valid, 11_688)
    }

    /// Dates whose first eight bytes are the same and whose last two differ, in the same entry:
    /// each replaces the other and none is taken for the other.
    func testDatesThatShareAnEntryAndTheirFirstEightBytes() throws {
        let dates = DateCache()
        let first = quoted("2024-02-28")
        let (head, tail) = first.withUnsafeBufferPointer { buffer in
            (UnsafeRawPointer(buffer.baseAddress! + 1).loadUnaligned(as: UInt64.self),
             UnsafeRawPointer(buffer.baseAddress! + 9).loadUnaligned(as: UInt16.self))
        }
        let entry = DateCache.entry(in: dates.entries, head, tail)
        let others = (0...UInt16.max).filter { $0 != tail && DateCache.entry(in: dates.entries, head, $0) == entry }
        XCTAssertFalse(others.isEmpty)
        for other in others.prefix(20) {
            var text = first
            text[9] = UInt8(truncatingIfNeeded: other)
            text[10] = UInt8(truncatingIfNeeded: other >> 8)
            for _ in 0..<2 {
                XCTAssertEqual(read(first, dates), parsed("2024-02-28"))
                XCTAssertEqual(read(text, dates), Array(text[1...10]).withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }, "\(text)")
            }
        }
    }

    /// Bytes no date has (the zeros of an entry never filled among them), read after dates.
    func testWhatIsNotADateStaysRefused() {
        let dates = DateCache()
        for iso in ["2024-02-29", "2025-03-01", "1960-02-29"] { XCTAssertNotNil(read(quoted(iso), dates)) }
        let notDates: [[UInt8]] = [
            [0x22] + Array(repeating: 0, count: 10) + [0x22],
            [0x22] + Array(repeating: 0xFF, count: 10) + [0x22],
            quoted("2023-02-29"), quoted("2100-02-29"), quoted("2024-13-01"), quoted("0000-01-01"),
            quoted("2024-02-2a"), quoted("2024/02/29"),
        ]
        for pass in 0..<2 {
            for text in notDates { XCTAssertNil(read(text, dates), "\(text) (pass \(pass))") }
        }
    }

    /// `FastCursor.isDate`, with which the entries of lists no rule reads are checked: with the
    /// cache, over days enough that they replace each other, and next to what only looks like a
    /// date, it says what `CalendarDate.isValid(isoBytes:)` says; and without one too.
    func testIsDateSaysWhatIsValidSays() {
        let dates = DateCache()
        var texts: [[UInt8]] = [Array(repeating: 0, count: 10), Array(repeating: 0xFF, count: 10)]
        for year in [1900, 2000, 2100] + Array(2001...2030) {
            for month in 0...13 {
                for day in 0...32 {
                    let iso = String(format: "%04d-%02d-%02d", year, month, day)
                    texts.append(Array(iso.utf8))
                    texts.append(Array((iso.prefix(8) + "3:").utf8))
                }
            }
        }
        var valid = 0
        for pass in 0..<2 {
            for text in texts {
                let expected = text.withUnsafeBufferPointer { CalendarDate.isValid(isoBytes: $0) }
                if pass == 0, expected { valid += 1 }
                let cached = text.withUnsafeBufferPointer { FastCursor.isDate(at: $0.baseAddress!, in: dates.entries) }
                let uncached = text.withUnsafeBufferPointer { FastCursor.isDate(at: $0.baseAddress!, in: nil) }
                XCTAssertEqual(cached, expected, "\(text) (pass \(pass))")
                XCTAssertEqual(uncached, expected, "\(text)")
                // A date only checked is then read as it parses, from the cache.
                var quoted = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")]
                XCTAssertEqual(read(quoted, dates), text.withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }, "\(text)")
                quoted[5] = UInt8(ascii: "/")
                XCTAssertNil(read(quoted, dates), "\(quoted)")
            }
        }
        XCTAssertEqual(valid, 12_053)
    }
}
