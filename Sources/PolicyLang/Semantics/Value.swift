/// An exact decimal (significand × 10^-scale), so that `75 × 0.75` is exactly `56.25`
/// and comparisons with a case count are never off by a rounding error.
public struct DecimalNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let significand: Int64
    public let scale: Int   // digits after the point, 0...18

    public init(significand: Int64, scale: Int) { self.significand = significand; self.scale = scale }
    public init(_ integer: Int) { self.significand = Int64(integer); self.scale = 0 }

    /// `0.75`, `-3`, `1e2` is refused: decimals in policies and cases are plain.
    public init?(_ text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.allSatisfy({ $0.isASCII && $0.isNumber })) else { return nil }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        guard fraction.count <= 18, let whole = Int64(parts[0] + fraction) else { return nil }
        self.significand = negative ? -whole : whole
        self.scale = fraction.count
    }

    private static func pow10(_ n: Int) -> Int64 { var r: Int64 = 1; for _ in 0..<n { r = r &* 10 }; return r }

    /// Both on one scale; nil when that overflows.
    private static func aligned(_ a: DecimalNumber, _ b: DecimalNumber) -> (Int64, Int64, Int)? {
        let s = max(a.scale, b.scale)
        let (x, o1) = a.significand.multipliedReportingOverflow(by: pow10(s - a.scale))
        let (y, o2) = b.significand.multipliedReportingOverflow(by: pow10(s - b.scale))
        return o1 || o2 ? nil : (x, y, s)
    }

    public static func < (a: DecimalNumber, b: DecimalNumber) -> Bool {
        if let (x, y, _) = aligned(a, b) { return x < y }
        return a.doubleValue < b.doubleValue
    }
    public static func == (a: DecimalNumber, b: DecimalNumber) -> Bool {
        if let (x, y, _) = aligned(a, b) { return x == y }
        return false
    }
    public func hash(into h: inout Hasher) { h.combine(doubleValue) }

    public func adding(_ o: DecimalNumber) -> DecimalNumber? {
        guard let (x, y, s) = DecimalNumber.aligned(self, o) else { return nil }
        let (r, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : DecimalNumber(significand: r, scale: s).normalized
    }
    public func negated() -> DecimalNumber { DecimalNumber(significand: -significand, scale: scale) }
    public func multiplied(by o: DecimalNumber) -> DecimalNumber? {
        let (r, overflow) = significand.multipliedReportingOverflow(by: o.significand)
        guard !overflow, scale + o.scale <= 18 else { return nil }
        return DecimalNumber(significand: r, scale: scale + o.scale).normalized
    }
    var normalized: DecimalNumber {
        var s = significand, k = scale
        while k > 0, s % 10 == 0 { s /= 10; k -= 1 }
        return DecimalNumber(significand: s, scale: k)
    }
    public var doubleValue: Double { Double(significand) / Double(DecimalNumber.pow10(scale)) }

    public var description: String {
        let n = normalized
        if n.scale == 0 { return String(n.significand) }
        let negative = n.significand < 0
        var digits = String(n.significand.magnitude)
        while digits.count <= n.scale { digits = "0" + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -n.scale)
        return (negative ? "-" : "") + digits[..<cut] + "." + digits[cut...]
    }
}

/// `6 months`, `14 days`, `2 years`. Units are kept apart because a month is no fixed
/// number of days; `years` are 12 months with the same month-end clamping.
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    public let amount: Int
    public let unit: DurationUnit
    public init(_ amount: Int, _ unit: DurationUnit) { self.amount = amount; self.unit = unit }

    /// `date` moved by this duration (back, with `sign` -1); nil when the result lies beyond
    /// what a date holds, however large the duration a policy names.
    public func added(to date: CalendarDate, sign: Int = 1) -> CalendarDate? {
        let (steps, overflow) = amount.multipliedReportingOverflow(by: unit == .years ? 12 * sign : sign)
        guard !overflow else { return nil }
        return unit == .days ? date.checkedAdding(days: steps) : date.checkedAdding(months: steps)
    }
    public var description: String { "\(amount) \(amount == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue)" }

    /// German, for messages: "2 Jahre", "1 Monat", "14 Tage".
    public var german: String {
        switch unit {
        case .days: amount == 1 ? "1 Tag" : "\(amount) Tage"
        case .months: amount == 1 ? "1 Monat" : "\(amount) Monate"
        case .years: amount == 1 ? "1 Jahr" : "\(amount) Jahre"
        }
    }
}

public enum FindingSeverity: String, Sendable, Comparable, CaseIterable {
    case error, warning, info
    public var rank: Int { switch self { case .error: 0; case .warning: 1; case .info: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// A record value: its fields by slot, in the order the schema declares them.
///
/// A view into the `CaseArena` of the case it belongs to, which holds the fields of all the
/// case's records back to back: reading a case allocates no object per record and checking
/// it counts no references to one, and a case is freed in one go. So a record is valid only
/// while its arena lives and until the arena is reset (a `DecodedCase` keeps its arena; a batch
/// worker reads every case into one arena, so a case's values are valid only while that case
/// is being checked; the staff file's arena lives as long as the process). Never changed after
/// it is made, so it is safe to share between threads.
public struct RecordValue: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Value>
    public let count: Int

    @usableFromInline init(base: UnsafeMutablePointer<Value>, count: Int) { self.base = base; self.count = count }

    /// The record without fields (the root of a caseload rule's evaluation).
    public static let empty = RecordValue(base: .allocate(capacity: 1), count: 0)

    @inlinable
    public subscript(slot: Int) -> Value {
        precondition(slot >= 0 && slot < count, "field slot out of range")
        return base[slot]
    }

    /// Where field `slot` lies: a caller that only asks which case a field holds reads it in
    /// place, without copying (and so retaining and releasing) its `Value`.
    @inlinable @inline(__always)
    public func address(of slot: Int) -> UnsafePointer<Value> {
        precondition(slot >= 0 && slot < count, "field slot out of range")
        return UnsafePointer(base + slot)
    }

    /// The fields as an array: a copy of them all, so read one field with the subscript.
    public var fields: [Value] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The very same record (not merely equal fields).
    public static func === (a: RecordValue, b: RecordValue) -> Bool { a.base == b.base && a.count == b.count }
}

/// A list value: its entries in order. Like a record, a view into an arena (the case's, or
/// the evaluator's for the lists a rule builds), valid while that arena lives and until it is
/// reset (for the next case); a list costs no object of its own and nothing to free.
public struct ListValue: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Value>
    public let count: Int

    @usableFromInline init(base: UnsafeMutablePointer<Value>, count: Int) { self.base = base; self.count = count }

    /// The list without entries.
    public static let empty = ListValue(base: .allocate(capacity: 1), count: 0)

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(position: Int) -> Value {
        precondition(position >= 0 && position < count, "list index out of range")
        return base[position]
    }
}

/// The values of one case's records and lists, in chunks that never move (records and lists
/// point into them).
///
/// `reset` empties the arena for the next case and keeps its chunks: a batch worker reads
/// every case into one arena, so reading a case allocates no chunk and freeing it frees none.
/// Only strings and sets hold references, so only they need destroying; the arena notes the
/// slots that hold one as they are filled, and `reset` destroys those and looks at no other
/// value. Everything made in the arena before a reset must no longer be read after it.
public final class CaseArena: @unchecked Sendable {
    private struct Chunk { let base: UnsafeMutablePointer<Value>; let capacity: Int }
    // Unchecked: one arena is only ever used by one thread at a time, and a dynamic
    // exclusivity check on each record made was a tenth of reading a case.
    @exclusivity(unchecked) private var chunks: [Chunk] = []
    /// The chunk being filled, up to `cursor`; the chunks after it are empty.
    @exclusivity(unchecked) private var current = -1
    @exclusivity(unchecked) @usableFromInline var cursor: UnsafeMutablePointer<Value>?
    @exclusivity(unchecked) @usableFromInline var remaining = 0
    /// The slots whose values hold references, `holderCount` of room for `holderCapacity`.
    @exclusivity(unchecked) @usableFromInline var holders: UnsafeMutablePointer<UnsafeMutablePointer<Value>>
    @exclusivity(unchecked) @usableFromInline var holderCount = 0
    @exclusivity(unchecked) @usableFromInline var holderCapacity = 16
    private static let chunkSize = 512

    public init() {
        holders = .allocate(capacity: holderCapacity)
    }

    deinit {
        reset()
        for c in chunks { c.base.deallocate() }
        holders.deallocate()
    }

    /// A record of `count` fields moved out of `source`, which is left uninitialised.
    @inlinable
    public func record(moving source: UnsafeMutablePointer<Value>, count: Int) -> RecordValue {
        let base = reserve(count)
        base.moveInitialize(from: source, count: count)
        noteHolders(base, count)
        return RecordValue(base: base, count: count)
    }

    /// Room for the `count` fields of a record that a reader makes in place, left uninitialised:
    /// each must be initialised before the record is read (`record(madeAt:count:)`), a value
    /// that may hold a reference through `place(_:at:)`.
    @inlinable
    public func uninitializedFields(_ count: Int) -> UnsafeMutablePointer<Value> {
        reserve(count)
    }

    /// Initialises `slot`, room from `uninitializedFields`, with `value`, noting it when it holds
    /// a reference. Values that hold none (`.absent`, dates, records, …) may be initialised
    /// directly.
    @inlinable @inline(__always)
    public func place(_ value: __owned Value, at slot: UnsafeMutablePointer<Value>) {
        // Asked first, so that initialising is the value's last use and moves it in.
        let holdsReference = value.holdsReference
        slot.initialize(to: value)
        if holdsReference { noteHolder(slot) }
    }

    /// The record whose `count` fields were initialised in place at `base`, room from
    /// `uninitializedFields`.
    @inlinable
    public func record(madeAt base: UnsafeMutablePointer<Value>, count: Int) -> RecordValue {
        RecordValue(base: base, count: count)
    }

    /// A list of `count` entries moved out of `source`, which is left uninitialised.
    /// `mayHoldReferences: false` promises that no entry holds a reference (a list of records or
    /// dates), so the entries need not be looked at.
    @inlinable
    public func list(moving source: UnsafeMutablePointer<Value>, count: Int, mayHoldReferences: Bool = true) -> ListValue {
        guard count > 0 else { return .empty }
        let base = reserve(count)
        base.moveInitialize(from: source, count: count)
        if mayHoldReferences { noteHolders(base, count) }
        return ListValue(base: base, count: count)
    }

    /// A list with these entries.
    public func list(_ entries: [Value]) -> ListValue {
        guard !entries.isEmpty else { return .empty }
        let base = reserve(entries.count)
        entries.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: $0.count) }
        noteHolders(base, entries.count)
        return ListValue(base: base, count: entries.count)
    }

    /// A record with these fields.
    public func record(_ fields: [Value]) -> RecordValue {
        guard !fields.isEmpty else { return .empty }
        let base = reserve(fields.count)
        fields.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: $0.count) }
        noteHolders(base, fields.count)
        return RecordValue(base: base, count: fields.count)
    }

    @inlinable @inline(__always)
    func reserve(_ n: Int) -> UnsafeMutablePointer<Value> {
        if n <= remaining, let base = cursor {
            cursor = base + n
            remaining -= n
            return base
        }
        return newChunk(for: n)
    }

    @usableFromInline
    func newChunk(for n: Int) -> UnsafeMutablePointer<Value> {
        // A record or list never spans two chunks. The next chunk, left from an earlier case, is
        // used if it is large enough; else an unusually large record or list gets a chunk of its
        // own, put in before it.
        current += 1
        if current == chunks.count || chunks[current].capacity < n {
            let capacity = Swift.max(n, Self.chunkSize)
            chunks.insert(Chunk(base: .allocate(capacity: capacity), capacity: capacity), at: current)
        }
        let chunk = chunks[current]
        cursor = chunk.base + n
        remaining = chunk.capacity - n
        return chunk.base
    }

    /// Notes the values among the `count` at `base` that hold references.
    @inlinable
    func noteHolders(_ base: UnsafeMutablePointer<Value>, _ count: Int) {
        for i in 0..<count where base[i].holdsReference { noteHolder(base + i) }
    }

    @inlinable @inline(__always)
    func noteHolder(_ slot: UnsafeMutablePointer<Value>) {
        if holderCount == holderCapacity { growHolders() }
        holders[holderCount] = slot
        holderCount += 1
    }

    @usableFromInline
    func growHolders() {
        let grown = UnsafeMutablePointer<UnsafeMutablePointer<Value>>.allocate(capacity: holderCapacity * 2)
        grown.moveInitialize(from: holders, count: holderCount)
        holders.deallocate()
        holders = grown
        holderCapacity *= 2
    }

    /// Frees every value and keeps the chunks for the next case; the records and lists made so
    /// far must no longer be read.
    public func reset() {
        for i in 0..<holderCount { holders[i].deinitialize(count: 1) }
        holderCount = 0
        current = -1
        cursor = nil
        remaining = 0
    }
}

/// A run-time value. The type is known statically, so an enum value is just its index.
public enum Value: Sendable {
    case absent
    case bool(Bool)
    case integer(Int)
    case decimal(DecimalNumber)
    case string(String)
    case date(CalendarDate)
    case duration(Duration)
    case enumCase(Int)
    case severity(FindingSeverity)
    case record(RecordValue)
    case list(ListValue)
    case set([Value])

    public var isAbsent: Bool { if case .absent = self { return true }; return false }

    /// Whether the value holds a reference that must be released (strings and sets do; records
    /// and lists are views into an arena).
    @inlinable
    public var holdsReference: Bool {
        switch self {
        case .string, .set: true
        default: false
        }
    }
}

extension Value: Equatable {
    /// Structural equality for scalars; records compare by identity (the language never
    /// compares records).
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.absent, .absent): true
        case (.bool(let x), .bool(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.decimal(let x), .decimal(let y)): x == y
        case (.integer(let x), .decimal(let y)), (.decimal(let y), .integer(let x)): DecimalNumber(x) == y
        case (.string(let x), .string(let y)): x == y
        case (.date(let x), .date(let y)): x == y
        case (.duration(let x), .duration(let y)): x == y
        case (.enumCase(let x), .enumCase(let y)): x == y
        case (.severity(let x), .severity(let y)): x == y
        case (.record(let x), .record(let y)): x === y
        case (.list(let x), .list(let y)): x.elementsEqual(y)
        case (.set(let x), .set(let y)): x == y
        default: false
        }
    }
}
