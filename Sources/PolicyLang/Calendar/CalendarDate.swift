#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A day of the proleptic Gregorian calendar, without time of day or zone.
///
/// The whole date is one `Int32` day number, so comparing, hashing and adding days are
/// single integer operations; year, month and day are derived on demand: from the day number
/// with Neri and Schneider's algorithm (<https://arxiv.org/abs/2102.06959>), the day number
/// from them with Howard Hinnant's `days_from_civil`
/// (<https://howardhinnant.github.io/date_algorithms.html>).
///
/// Month arithmetic clamps to the end of the month, as § 188 (3) BGB does for deadlines:
/// `2024-08-31 + 6 months = 2025-02-28`. Parsing accepts only years 1...9999; arithmetic
/// itself works for any date whose day number fits in `Int32` and traps beyond that.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before). Comparison and hashing use this.
    public let dayNumber: Int32

    /// The date `dayNumber` days after 1970-01-01 (before it when negative).
    @inlinable
    public init(dayNumber: Int32) {
        self.dayNumber = dayNumber
    }

    /// The given day, or nil when it does not exist (2023-02-30, month 13) or the year is
    /// outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.init(dayNumber: Int32(CalendarDate.daysFromCivil(year, month, day)))
    }

    /// Strict ISO `YYYY-MM-DD`: exactly 4+2+2 ASCII digits with `-` separators, naming a day
    /// that exists. `"2025-1-5"`, `"2025-13-01"`, `"2023-02-30"`, `" 2025-01-01"` are nil.
    public init?(iso: String) {
        let parsed = iso.utf8.withContiguousStorageIfAvailable { CalendarDate.parse(isoBytes: $0) }
            ?? Array(iso.utf8).withUnsafeBufferPointer { CalendarDate.parse(isoBytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses strict ISO `YYYY-MM-DD` from raw UTF-8 bytes, with the rules of `init?(iso:)`.
    /// Allocates nothing, so a JSON decoder can call it on bytes inside its input.
    @inlinable @inline(always)
    public static func parse(isoBytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard let (year, month, day) = validISOFields(isoBytes) else { return nil }
        return CalendarDate(dayNumber: Int32(dayNumber(year: year, month: month, day: day)))
    }

    /// Whether `parse(isoBytes:)` accepts the bytes, without working out the day number: for
    /// dates a reader only checks (values no rule reads).
    @inlinable @inline(always)
    public static func isValid(isoBytes: UnsafeBufferPointer<UInt8>) -> Bool {
        validISOFields(isoBytes) != nil
    }

    /// Year, month and day of strict ISO `YYYY-MM-DD` naming a day that exists.
    @inlinable @inline(__always)
    static func validISOFields(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard let (year, month, day) = isoFields(bytes), year >= 1, month >= 1, month <= 12, day >= 1,
              day <= 28 || day <= daysInMonth(year: year, month: month)
        else { return nil }
        return (year, month, day)
    }

    /// Why `text` is not a date, for error messages, or nil when it is one.
    ///
    /// The texts are `"expected YYYY-MM-DD"`, `"year 0000 is out of range (0001 to 9999)"`,
    /// `"month 13 does not exist"`, `"day 0 does not exist"` and
    /// `"2023-02-30 does not exist: February 2023 has 28 days"`.
    public static func problem(withISO text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let (year, month, day) = bytes.withUnsafeBufferPointer({ isoFields($0) }) else {
            return "expected YYYY-MM-DD"
        }
        if year < 1 { return "year 0000 is out of range (0001 to 9999)" }
        if !(1...12).contains(month) { return "month \(month) does not exist" }
        if day < 1 { return "day 0 does not exist" }
        let length = daysInMonth(year: year, month: month)
        if day > length {
            return "\(text) does not exist: \(monthNames[month - 1]) \(year) has \(length) days"
        }
        return nil
    }

    /// The current date in UTC.
    public static func today() -> CalendarDate {
        let seconds = Int(time(nil))
        // Floor division, so that a clock before 1970 still lands on the right day.
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        return CalendarDate(dayNumber: Int32(days))
    }

    // MARK: Components

    /// Year, month (1...12) and day (1...31), computed together in one pass.
    @inlinable
    public var components: (year: Int, month: Int, day: Int) {
        CalendarDate.civilFromDays(dayNumber)
    }

    /// The year (1...9999 for every date that parsing or `init?(year:month:day:)` produces).
    public var year: Int { components.year }
    /// The month, 1...12.
    public var month: Int { components.month }
    /// The day of the month, 1...31.
    public var day: Int { components.day }

    /// `YYYY-MM-DD`, zero-padded; years outside 0...9999 get as many digits as they need
    /// and a leading `-` when negative.
    public var description: String {
        let iso = String(unsafeUninitializedCapacity: 10) { writeISO(to: UnsafeMutableRawPointer($0.baseAddress!)) ? 10 : 0 }
        if !iso.isEmpty { return iso }
        let (year, month, day) = components
        let digits = String(year.magnitude)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return (year < 0 ? "-" : "") + padded + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    /// Writes `description`'s ten bytes at `p` when the year is 0...9999, and returns false
    /// (writing nothing) for other years. Findings lines write millions of dates: the digits
    /// are worked out in one word and stored as two, `YYYY-MM-` and `DD`.
    @inlinable @inline(__always)
    public func writeISO(to p: UnsafeMutableRawPointer) -> Bool {
        let (year, month, day) = components
        guard year >= 0, year <= 9999 else { return false }
        // Four numbers of 0...99 (century, year in it, month, day) in the four 16-bit lanes of a
        // word. n / 10 is n × 103 >> 10 for these n; a lane's product stays below 2^16, and the
        // mask drops what shifting brings down from the lane above.
        let y = UInt64(year)
        let pairs = y / 100 | (y % 100) << 16 | UInt64(month) << 32 | UInt64(day) << 48
        let tens = (pairs &* 103) >> 10 & 0x000F_000F_000F_000F
        let ones = pairs &- tens &* 10
        // Byte 2k is lane k's tens, byte 2k + 1 its ones: the eight digits in writing order.
        let digits = tens | ones << 8 | 0x3030_3030_3030_3030
        p.storeBytes(of: (digits & 0xFFFF_FFFF | (digits >> 32 & 0xFFFF) << 40 | 0x2D00_002D_0000_0000).littleEndian,
                     as: UInt64.self)
        p.storeBytes(of: UInt16(truncatingIfNeeded: digits >> 48).littleEndian, toByteOffset: 8, as: UInt16.self)
        return true
    }

    // MARK: Arithmetic

    /// Plain calendar-day arithmetic; `days` may be negative.
    @inlinable
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: Int32(Int(dayNumber) + days))
    }

    /// The same day of the month `months` later (earlier when negative); where that day does
    /// not exist, the last day of that month (§ 188 (3) BGB):
    /// `2024-08-31 + 6 months = 2025-02-28`, `2024-02-29 + 12 months = 2025-02-28`,
    /// `2024-01-31 + 1 month = 2024-02-29`. Traps when the result is no date (`checkedAdding`).
    public func adding(months: Int) -> CalendarDate {
        checkedAdding(months: months)!
    }

    /// `adding(days:)`, or nil when the result lies beyond what a date holds (a day number of
    /// 32 bits: about 5.8 million years either side of 1970). A policy may name any duration;
    /// its arithmetic gives no date rather than a crash.
    public func checkedAdding(days: Int) -> CalendarDate? {
        let (sum, overflow) = Int(dayNumber).addingReportingOverflow(days)
        guard !overflow, let n = Int32(exactly: sum) else { return nil }
        return CalendarDate(dayNumber: n)
    }

    /// `adding(months:)`, or nil when the result lies beyond what a date holds.
    ///
    /// Deadlines add months to several dates of every case, so this stays in the calendar that
    /// `civilFromDays` works in, where the year starts in March: the month is moved there, and the
    /// new day counted back with Hinnant's `days_from_civil` in the same terms, with no conversion
    /// to January-based months and back and no branch but the one for days after the 28th. The
    /// count is moved by `marchShift` 400-year cycles, so that nothing here is negative for any
    /// date and any number of months up to a billion either way (about 83 million years), and
    /// nothing overflows on the way (the arithmetic is unchecked).
    public func checkedAdding(months: Int) -> CalendarDate? {
        // Beyond a billion months no result is a date.
        guard months.magnitude <= 1_000_000_000 else { return nil }
        let (year, month, day) = CalendarDate.marchBased(dayNumber)
        // Months since March of shifted year 0; its quotient by 12 is the new year.
        let index = UInt64(bitPattern: Int64(bitPattern: year &* 12 &+ (month &- 3)) &+ Int64(months))
        let newYear = index / 12, newMonth = index &- newYear &* 12   // March is 0, February 11
        var newDay = day
        if day > 28 {
            // February lies in the next calendar year, whose leap day ends this shifted year.
            let length = newMonth == 11 ? (CalendarDate.isLeapYear(Int(newYear &+ 1)) ? 29 : 28)
                                        : CalendarDate.daysBeforeMarchBased(newMonth &+ 1) &- CalendarDate.daysBeforeMarchBased(newMonth)
            newDay = min(day, length)
        }
        let days = newYear &* 365 &+ newYear / 4 &- newYear / 100 &+ newYear / 400
            &+ CalendarDate.daysBeforeMarchBased(newMonth) &+ newDay &- 1
        return Int32(exactly: Int64(bitPattern: days) &- CalendarDate.marchEpoch).map(CalendarDate.init(dayNumber:))
    }

    /// `adding(months: 12 * years)`, so 29 February clamps to 28 February in common years.
    public func adding(years: Int) -> CalendarDate {
        adding(months: 12 * years)
    }

    /// Completed years of a person born on `born` on the day `date`: the largest `n` with
    /// `born.adding(years: n) <= date`.
    ///
    /// Because years clamp like months, someone born 2000-02-29 turns 25 on 2025-02-28, and
    /// "under 25 on `t`" is exactly `t < born.adding(years: 25)`. A `date` before `born`
    /// gives 0 rather than a negative age, since no rule asks about the unborn.
    public static func age(born: CalendarDate, on date: CalendarDate) -> Int {
        guard date > born else { return 0 }
        // The year difference is either the answer or one too many; adding years is
        // monotone in n, so one check decides.
        let candidate = date.year - born.year
        return born.adding(years: candidate) <= date ? candidate : candidate - 1
    }

    @inlinable
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    // MARK: Calendar rules

    /// Gregorian leap year: divisible by 4, except centuries not divisible by 400.
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in `month` (1...12) of `year`.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Private

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// The numeric fields of `YYYY-MM-DD` when the shape is right, whatever their values.
    @inlinable @inline(__always)
    static func isoFields(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, let p = bytes.baseAddress else { return nil }
        // A case holds dozens of dates: the ten bytes are read as two words, `YYYY-MM-` and `DD`,
        // and checked a word at a time (byte k of the text is bits 8k ..< 8k + 8).
        let head = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let tail = UInt64(UInt16(littleEndian: UnsafeRawPointer(p + 8).loadUnaligned(as: UInt16.self)))
        let dashes: UInt64 = 0xFF00_00FF_0000_0000, digits: UInt64 = 0x00FF_FF00_FFFF_FFFF
        guard head & dashes == 0x2D00_002D_0000_0000, allDigits(head, digits), allDigits(tail, 0xFFFF) else { return nil }
        // Each byte now holds its digit's value. Byte k of `d * 10 + d >> 8` is 10 × digit k + digit
        // k + 1: at most 99, so no byte carries into the next, and the dashes are masked out first.
        let d = (head &- 0x0030_3000_3030_3030) & digits
        let pairs = d &* 10 &+ d >> 8
        let year = Int(pairs & 0xFF) * 100 + Int(pairs >> 16 & 0xFF)
        let month = Int(pairs >> 40 & 0xFF)
        let day = Int(tail & 0xFF &- 0x30) * 10 + Int(tail >> 8 &- 0x30)
        return (year, month, day)
    }

    /// Whether every byte of `word` that `lanes` selects is an ASCII digit: its high nibble is 3,
    /// and adding 6 does not carry out of its low nibble (no carry crosses bytes where the first
    /// test holds).
    @inlinable @inline(__always)
    static func allDigits(_ word: UInt64, _ lanes: UInt64) -> Bool {
        let high = lanes & 0xF0F0_F0F0_F0F0_F0F0, threes = lanes & 0x3030_3030_3030_3030
        return word & high == threes && (word &+ (lanes & 0x0606_0606_0606_0606)) & high == threes
    }

    /// Days from 1970-01-01 to a date of year 1 or later (parsing accepts 1...9999): the days of the
    /// whole years before it, of the whole months before it in its year, and its day.
    @inlinable @inline(__always)
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        // (367 m - 362) / 12 counts the days before month m with February as 30 days: exact for
        // January and February, two days too many after them (one in a leap year).
        var daysBeforeMonth = (367 * month - 362) / 12
        // From 1901 to 2099, where nearly every date of a case lies, every fourth year is a leap
        // year: the years before are counted without the century rule.
        if year > 1900, year < 2100 {
            if month > 2 { daysBeforeMonth -= year & 3 == 0 ? 1 : 2 }
            let y = year - 1970
            return y * 365 + (y + 1) >> 2 + daysBeforeMonth + day - 1
        }
        if month > 2 { daysBeforeMonth -= isLeapYear(year) ? 1 : 2 }
        // Years from 1 on, so the divisions by constants need no rounding towards minus infinity.
        let y = UInt(year - 1)
        let daysBeforeYear = Int(y * 365 + y / 4 - y / 100 + y / 400) - 719_162
        return daysBeforeYear + daysBeforeMonth + day - 1
    }

    /// Hinnant's `days_from_civil`: the year is shifted to start in March, so the leap day
    /// is the last day of the shifted year and month lengths follow a fixed 153-day pattern.
    @usableFromInline
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400                                        // 0...399
        let shiftedMonth = month > 2 ? month - 3 : month + 9                 // March = 0
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1               // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Neri and Schneider's `to_date` (their figure 12), the inverse of `daysFromCivil`: no
    /// branch but the one for January and February, divisions only by constants (which compile
    /// to multiplications). Tests compare it with Hinnant's `civil_from_days` for every day of
    /// the years 1 to 9999 and at both ends of `Int32`.
    @inlinable
    static func civilFromDays(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let (year, month, day) = marchBased(days)
        // January and February belong to the next calendar year.
        let isJanuaryOrFebruary = month > 12
        let calendarYear = Int(bitPattern: UInt(year)) &- 400 &* Int(marchShift) &+ (isJanuaryOrFebruary ? 1 : 0)
        return (calendarYear, Int(isJanuaryOrFebruary ? month &- 12 : month), Int(day))
    }

    /// 400-year cycles by which `marchBased` moves every day number, so that its arithmetic and
    /// month arithmetic in its terms (`checkedAdding(months:)`) never see a negative number: enough
    /// for every `Int32` day number a billion months either way (about 83 million years).
    @inlinable static var marchShift: UInt64 { 250_000 }

    /// The day number of shifted year 0's first of March: `marchBased`'s day count less this is a
    /// day number again.
    @inlinable static var marchEpoch: Int64 { 719_468 + 146_097 * 250_000 }

    /// The day in a calendar whose year starts on the first of March, moved by `marchShift` cycles:
    /// its year (a leap day ends it), its month (3 for March … 14 for February) and its day.
    /// Neri and Schneider's steps; 64 bits leave room for every `Int32` day number, so nothing
    /// here overflows (the arithmetic is unchecked).
    @inlinable @inline(__always)
    static func marchBased(_ days: Int32) -> (year: UInt64, month: UInt64, day: UInt64) {
        // Days since shifted 0000-03-01.
        let n = UInt64(Int64(days) &+ marchEpoch)
        // The century, and the day within it.
        let n1 = 4 &* n &+ 3
        let century = n1 / 146_097
        let dayOfCentury = n1 % 146_097 / 4
        // The year within the century, and the day within that year (0 is 1 March).
        let n2 = 4 &* dayOfCentury &+ 3
        let p2 = 2_939_745 &* n2
        let yearOfCentury = p2 >> 32
        let dayOfYear = (p2 & 0xFFFF_FFFF) / 2_939_745 / 4
        // Month (March is 3, February 14) and day.
        let n3 = 2_141 &* dayOfYear &+ 197_913
        return (100 &* century &+ yearOfCentury, n3 >> 16, (n3 & 0xFFFF) / 2_141 &+ 1)
    }

    /// Days of the year that starts in March before its month `month` (0 for March … 11 for
    /// February), with Hinnant's 153-day pattern.
    @inlinable @inline(__always)
    static func daysBeforeMarchBased(_ month: UInt64) -> UInt64 {
        (153 &* month &+ 2) / 5
    }
}

private func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : String(value)
}
