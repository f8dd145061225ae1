import XCTest
@testable import PolicyLang

final class CalendarDateTests: XCTestCase {
    private func date(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            XCTFail("not a date: \(text)", file: file, line: line)
            return CalendarDate(dayNumber: 0)
        }
        return date
    }

    // MARK: Conversions

    func testEpochAndKnownDayNumbers() {
        XCTAssertEqual(CalendarDate(dayNumber: 0).description, "1970-01-01")
        XCTAssertEqual(date("1970-01-02").dayNumber, 1)
        XCTAssertEqual(date("1969-12-31").dayNumber, -1)
        XCTAssertEqual(date("2000-01-01").dayNumber, 10_957)
        XCTAssertEqual(date("2025-03-01").dayNumber, 20_148)
        XCTAssertEqual(date("0001-01-01").dayNumber, -719_162)
        XCTAssertEqual(date("9999-12-31").dayNumber, 2_932_896)
        XCTAssertEqual(CalendarDate(dayNumber: 20_148).description, "2025-03-01")
    }

    func testComponents() {
        let d = date("2024-02-29")
        XCTAssertEqual(d.year, 2024)
        XCTAssertEqual(d.month, 2)
        XCTAssertEqual(d.day, 29)
        let c = d.components
        XCTAssertEqual(c.year, 2024)
        XCTAssertEqual(c.month, 2)
        XCTAssertEqual(c.day, 29)
    }

    /// Walks every day from 1900 to 2100 by hand-rolled increments and checks that the
    /// day numbers are consecutive and convert back and forth.
    func testRoundTripEveryDay1900To2100() {
        var (year, month, day) = (1900, 1, 1)
        var expected = date("1900-01-01").dayNumber
        var count = 0
        while year <= 2100 {
            guard let d = CalendarDate(year: year, month: month, day: day) else {
                return XCTFail("\(year)-\(month)-\(day) rejected")
            }
            XCTAssertEqual(d.dayNumber, expected)
            let c = d.components
            if c.year != year || c.month != month || c.day != day {
                return XCTFail("day \(d.dayNumber) gives \(c), expected \(year)-\(month)-\(day)")
            }
            XCTAssertEqual(CalendarDate(iso: d.description), d)
            expected += 1
            count += 1
            day += 1
            if day > CalendarDate.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        // 201 years: 365 × 201 + 49 leap days (1904...2096 including 2000; not 1900 or 2100).
        XCTAssertEqual(count, 365 * 201 + 49)
    }

    func testRoundTripWideRange() {
        for dayNumber in stride(from: Int32(-719_162), through: 2_932_896, by: 997) {
            let d = CalendarDate(dayNumber: dayNumber)
            let c = d.components
            XCTAssertEqual(CalendarDate(year: c.year, month: c.month, day: c.day)?.dayNumber, dayNumber)
        }
    }

    /// Hinnant's `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html>), the
    /// general formula the calendar used before Neri and Schneider's: the reference here.
    private func hinnantCivil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Year, month and day of a day number, and the reader's day count of them, for every day of
    /// the years 1 to 9999, the first and last 200,000 days an `Int32` can hold, and every 9,973rd
    /// day in between.
    func testComponentsAgreeWithTheGeneralFormula() {
        var days = Array(CalendarDate.daysFromCivil(1, 1, 1)...CalendarDate.daysFromCivil(9999, 12, 31))
        days += Array(Int(Int32.min)...Int(Int32.min) + 200_000) + Array(Int(Int32.max) - 200_000...Int(Int32.max))
        days += Array(stride(from: Int(Int32.min), through: Int(Int32.max), by: 9_973))
        var checked = 0
        for n in days {
            let c = CalendarDate(dayNumber: Int32(n)).components
            let expected = hinnantCivil(n)
            if c != expected { return XCTFail("day \(n) gives \(c), expected \(expected)") }
            // And back: month arithmetic counts the days of a date from year 1 on as the reader does.
            if c.year >= 1, CalendarDate.dayNumber(year: c.year, month: c.month, day: c.day) != n {
                return XCTFail("\(c) gives day \(CalendarDate.dayNumber(year: c.year, month: c.month, day: c.day)), expected \(n)")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 4_000_000)
    }

    /// The ten bytes `writeISO` stores: every year from 0 to 9999 (on its first and last day),
    /// every month and day (in a leap year), each digit in its place; nothing for other years.
    func testISOTextOfEveryYearMonthAndDay() {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: width - String(n).count) + String(n) }
        func iso(_ d: CalendarDate) -> String? {
            var bytes = [UInt8](repeating: 0xFF, count: 12)
            let written = bytes.withUnsafeMutableBytes { d.writeISO(to: $0.baseAddress!) }
            XCTAssertEqual(bytes[10...], [0xFF, 0xFF], "wrote past ten bytes")
            return written ? String(decoding: bytes[..<10], as: UTF8.self) : nil
        }
        var dates: [(CalendarDate, String)] = []
        for year in 0...9999 {
            dates.append((CalendarDate(dayNumber: Int32(CalendarDate.daysFromCivil(year, 1, 1))), "\(pad(year, 4))-01-01"))
            dates.append((CalendarDate(dayNumber: Int32(CalendarDate.daysFromCivil(year, 12, 31))), "\(pad(year, 4))-12-31"))
        }
        for month in 1...12 {
            for day in 1...CalendarDate.daysInMonth(year: 2024, month: month) {
                dates.append((CalendarDate(year: 2024, month: month, day: day)!, "2024-\(pad(month, 2))-\(pad(day, 2))"))
            }
        }
        for (date, text) in dates {
            XCTAssertEqual(iso(date), text)
            XCTAssertEqual(date.description, text)
        }
        XCTAssertNil(iso(CalendarDate(dayNumber: 2_932_897)))
        XCTAssertNil(iso(CalendarDate(dayNumber: -719_529)))
        XCTAssertEqual(CalendarDate(dayNumber: Int32.max).description, "5881580-07-11")
        XCTAssertEqual(CalendarDate(dayNumber: Int32.min).description, "-5877641-06-23")
    }

    func testLeapYears() {
        XCTAssertTrue(CalendarDate.isLeapYear(2000))
        XCTAssertFalse(CalendarDate.isLeapYear(1900))
        XCTAssertTrue(CalendarDate.isLeapYear(2024))
        XCTAssertFalse(CalendarDate.isLeapYear(2023))
        XCTAssertFalse(CalendarDate.isLeapYear(2100))
        XCTAssertNotNil(CalendarDate(iso: "2000-02-29"))
        XCTAssertNil(CalendarDate(iso: "1900-02-29"))
        XCTAssertNotNil(CalendarDate(iso: "2024-02-29"))
        XCTAssertNil(CalendarDate(iso: "2023-02-29"))
        XCTAssertEqual(date("2024-02-28").adding(days: 1).description, "2024-02-29")
        XCTAssertEqual(date("2023-02-28").adding(days: 1).description, "2023-03-01")
        XCTAssertEqual(date("1900-02-28").adding(days: 1).description, "1900-03-01")
    }

    // MARK: Parsing

    func testStrictParsingRejects() {
        for text in ["2025-1-5", "2025-13-01", "2023-02-30", " 2025-01-01", "2025-01-01 ", "2025/01/01",
                     "20250101", "2025-01-1", "25-01-01", "2025-00-10", "2025-01-00", "2025-04-31",
                     "0000-01-01", "+025-01-01", "2025-0a-01", "", "2025-01-01T00:00:00Z", "２０２５-01-01"] {
            XCTAssertNil(CalendarDate(iso: text), text)
            XCTAssertNotNil(CalendarDate.problem(withISO: text), text)
        }
        XCTAssertNil(CalendarDate(year: 2025, month: 2, day: 29))
        XCTAssertNil(CalendarDate(year: 0, month: 1, day: 1))
        XCTAssertNil(CalendarDate(year: 10_000, month: 1, day: 1))
        XCTAssertEqual(CalendarDate(year: 9999, month: 12, day: 31)?.description, "9999-12-31")
    }

    func testParseBytes() {
        let bytes = Array("x2025-03-01y".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let inner = UnsafeBufferPointer(rebasing: buffer[1..<11])
            XCTAssertEqual(CalendarDate.parse(isoBytes: inner), date("2025-03-01"))
            XCTAssertNil(CalendarDate.parse(isoBytes: buffer))
        }
    }

    func testProblemTexts() {
        XCTAssertNil(CalendarDate.problem(withISO: "2024-02-29"))
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-13-01"), "month 13 does not exist")
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-00-01"), "month 0 does not exist")
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-01-00"), "day 0 does not exist")
        XCTAssertEqual(CalendarDate.problem(withISO: "2023-02-30"), "2023-02-30 does not exist: February 2023 has 28 days")
        XCTAssertEqual(CalendarDate.problem(withISO: "2024-02-30"), "2024-02-30 does not exist: February 2024 has 29 days")
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-04-31"), "2025-04-31 does not exist: April 2025 has 30 days")
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-01-32"), "2025-01-32 does not exist: January 2025 has 31 days")
        XCTAssertEqual(CalendarDate.problem(withISO: "0000-01-01"), "year 0000 is out of range (0001 to 9999)")
        XCTAssertEqual(CalendarDate.problem(withISO: "2025-1-5"), "expected YYYY-MM-DD")
        XCTAssertEqual(CalendarDate.problem(withISO: " 2025-01-01"), "expected YYYY-MM-DD")
        XCTAssertEqual(CalendarDate.problem(withISO: "01.03.2025"), "expected YYYY-MM-DD")
    }

    func testDescriptionIsZeroPadded() {
        XCTAssertEqual(date("0001-01-01").description, "0001-01-01")
        XCTAssertEqual(date("0999-09-09").description, "0999-09-09")
        XCTAssertEqual(date("2025-03-01").description, "2025-03-01")
        XCTAssertEqual(CalendarDate(dayNumber: 2_932_897).description, "10000-01-01")
        XCTAssertEqual(CalendarDate(dayNumber: -719_163).description, "0000-12-31")
        XCTAssertEqual(CalendarDate(dayNumber: -719_529).description, "-0001-12-31")
    }

    func testComparisonAndHashing() {
        XCTAssertLessThan(date("2024-12-31"), date("2025-01-01"))
        XCTAssertEqual(Set([date("2025-01-01"), date("2025-01-01"), date("2025-01-02")]).count, 2)
    }

    // MARK: Arithmetic

    func testAddingDays() {
        XCTAssertEqual(date("2024-12-31").adding(days: 1).description, "2025-01-01")
        XCTAssertEqual(date("2025-03-01").adding(days: -1).description, "2025-02-28")
        XCTAssertEqual(date("2024-03-01").adding(days: -1).description, "2024-02-29")
        XCTAssertEqual(date("2025-01-10").adding(days: 14).description, "2025-01-24")
        XCTAssertEqual(date("2025-01-01").adding(days: 365).description, "2026-01-01")
    }

    func testSpecExamples() {
        XCTAssertEqual(date("2024-08-31").adding(months: 6).description, "2025-02-28")
        XCTAssertEqual(date("2024-02-29").adding(months: 12).description, "2025-02-28")
        XCTAssertEqual(date("2024-01-31").adding(months: 1).description, "2024-02-29")
        XCTAssertEqual(date("2024-02-29").adding(years: 1).description, "2025-02-28")
        XCTAssertEqual(date("2024-02-29").adding(years: 4).description, "2028-02-29")
    }

    /// Adding months counts the result's day with the reader's quick day count where it can:
    /// the same day as the general formula for every start day of the months that matter here
    /// (around 1900 and 2100, and at the ends of what dates can hold) and every offset of a
    /// few years either way, including results before year 1.
    func testAddingMonthsAgreesWithTheGeneralDayCount() {
        for (year, month) in [(1, 1), (1, 2), (1899, 11), (1900, 2), (1901, 1), (1999, 12), (2024, 1), (2024, 2),
                              (2099, 11), (2100, 2), (2101, 3), (9999, 12)] {
            for day in 1...CalendarDate.daysInMonth(year: year, month: month) {
                let start = CalendarDate(dayNumber: Int32(CalendarDate.daysFromCivil(year, month, day)))
                for months in -40...40 {
                    let index = year * 12 + (month - 1) + months
                    let y = index >= 0 ? index / 12 : -((-index + 11) / 12)
                    let m = index - y * 12 + 1
                    let expected = CalendarDate.daysFromCivil(y, m, min(day, CalendarDate.daysInMonth(year: y, month: m)))
                    XCTAssertEqual(Int(start.adding(months: months).dayNumber), expected, "\(year)-\(month)-\(day) + \(months)")
                }
            }
        }
    }

    /// Months added in the year that starts in March give the day that January-based months
    /// and the general day count give: for every day from 1890 to 2110 with the durations
    /// policies name, and at the ends of what a date holds, with a billion months either way.
    func testAddingMonthsAgreesWithJanuaryBasedArithmetic() {
        func expected(_ start: CalendarDate, _ months: Int) -> Int32? {
            let (year, month, day) = start.components
            let index = year * 12 + (month - 1) + months
            let y = index >= 0 ? index / 12 : -((-index + 11) / 12)
            let m = index - y * 12 + 1
            return Int32(exactly: CalendarDate.daysFromCivil(y, m, min(day, CalendarDate.daysInMonth(year: y, month: m))))
        }
        let first = CalendarDate.daysFromCivil(1890, 1, 1), last = CalendarDate.daysFromCivil(2110, 12, 31)
        for n in first...last {
            let start = CalendarDate(dayNumber: Int32(n))
            for months in [-36, -25, -13, -12, -1, 0, 1, 2, 6, 11, 12, 24, 36, 120] {
                XCTAssertEqual(start.checkedAdding(months: months)?.dayNumber, expected(start, months), "\(start) + \(months)")
            }
        }
        for n in [Int32.min, Int32.min + 31, -719_162, 0, 2_932_896, Int32.max - 400, Int32.max] {
            let start = CalendarDate(dayNumber: n)
            for months in [-1_000_000_000, -70_000_000, -1, 0, 1, 11, 70_000_000, 1_000_000_000] {
                XCTAssertEqual(start.checkedAdding(months: months)?.dayNumber, expected(start, months), "\(n) + \(months)")
            }
        }
        XCTAssertNil(date("2025-01-31").checkedAdding(months: 1_000_000_001))
        XCTAssertNil(CalendarDate(dayNumber: .max).checkedAdding(months: 1))
    }

    /// The 31st of January plus 0...11 months lands on every month's last day or the 31st.
    func testMonthEndClampingForEveryMonthLength() {
        let expected2023 = ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31", "2023-06-30",
                            "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"]
        for (n, text) in expected2023.enumerated() {
            XCTAssertEqual(date("2023-01-31").adding(months: n).description, text, "+\(n)")
        }
        XCTAssertEqual(date("2024-01-31").adding(months: 1).description, "2024-02-29")
        XCTAssertEqual(date("2024-01-30").adding(months: 1).description, "2024-02-29")
        XCTAssertEqual(date("2023-01-29").adding(months: 1).description, "2023-02-28")
        XCTAssertEqual(date("2023-01-28").adding(months: 1).description, "2023-02-28")
        XCTAssertEqual(date("2025-03-31").adding(months: 1).description, "2025-04-30")
        XCTAssertEqual(date("2025-05-30").adding(months: 1).description, "2025-06-30")
        // Days that exist in every month are never moved.
        XCTAssertEqual(date("2025-01-15").adding(months: 1).description, "2025-02-15")
    }

    func testThirtyFirstPlusMonthsAcrossYears() {
        XCTAssertEqual(date("2024-10-31").adding(months: 4).description, "2025-02-28")
        XCTAssertEqual(date("2023-10-31").adding(months: 4).description, "2024-02-29")
        XCTAssertEqual(date("2024-12-31").adding(months: 6).description, "2025-06-30")
        XCTAssertEqual(date("2024-12-31").adding(months: 14).description, "2026-02-28")
        XCTAssertEqual(date("2024-05-31").adding(months: 36).description, "2027-05-31")
        XCTAssertEqual(date("2024-08-31").adding(months: 24).description, "2026-08-31")
        // Clamping does not accumulate: +1 +1 is not +2.
        XCTAssertEqual(date("2025-01-31").adding(months: 1).adding(months: 1).description, "2025-03-28")
        XCTAssertEqual(date("2025-01-31").adding(months: 2).description, "2025-03-31")
    }

    func testNegativeMonths() {
        XCTAssertEqual(date("2025-03-31").adding(months: -1).description, "2025-02-28")
        XCTAssertEqual(date("2024-03-31").adding(months: -1).description, "2024-02-29")
        XCTAssertEqual(date("2025-01-15").adding(months: -1).description, "2024-12-15")
        XCTAssertEqual(date("2025-01-31").adding(months: -13).description, "2023-12-31")
        XCTAssertEqual(date("2025-02-28").adding(months: -12).description, "2024-02-28")
        XCTAssertEqual(date("2024-02-29").adding(years: -1).description, "2023-02-28")
        XCTAssertEqual(date("2025-07-31").adding(months: -25).description, "2023-06-30")
        XCTAssertEqual(date("2025-03-01").adding(months: 0), date("2025-03-01"))
    }

    // MARK: Age

    func testAgeAroundBirthday() {
        let born = date("2000-05-14")
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-05-13")), 24)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-05-14")), 25)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-05-15")), 25)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2026-05-13")), 25)
        XCTAssertEqual(CalendarDate.age(born: born, on: born), 0)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2001-05-13")), 0)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2001-05-14")), 1)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("1999-01-01")), 0)
        // Across the year boundary: December birthday, January date.
        XCTAssertEqual(CalendarDate.age(born: date("1990-12-31"), on: date("2025-01-01")), 34)
    }

    func testAgeForLeapDayBirth() {
        let born = date("2000-02-29")
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-02-27")), 24)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-02-28")), 25)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2025-03-01")), 25)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2024-02-28")), 23)
        XCTAssertEqual(CalendarDate.age(born: born, on: date("2024-02-29")), 24)
    }

    /// Under 25 on `t` exactly while `t < born + 25 years`, and that agrees with `age`.
    func testUnder25Boundary() {
        for bornText in ["2000-02-29", "2000-05-14", "2000-12-31", "2000-01-01", "1999-03-31"] {
            let born = date(bornText)
            let limit = born.adding(years: 25)
            for offset in -2...2 {
                let t = limit.adding(days: offset)
                XCTAssertEqual(CalendarDate.age(born: born, on: t) < 25, t < limit, "\(bornText) on \(t)")
            }
            XCTAssertEqual(CalendarDate.age(born: born, on: limit.adding(days: -1)), 24)
            XCTAssertEqual(CalendarDate.age(born: born, on: limit), 25)
        }
        XCTAssertEqual(date("2000-02-29").adding(years: 25).description, "2025-02-28")
    }

    func testToday() {
        let today = CalendarDate.today()
        XCTAssertGreaterThanOrEqual(today, date("2025-01-01"))
        XCTAssertLessThan(today, date("2200-01-01"))
    }
}
