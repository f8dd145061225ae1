import PolicyLang

/// A case read and validated against the schema.
public final class DecodedCase: @unchecked Sendable {
    public let id: String
    /// The case's own `stichtag`, if it has one.
    public let stichtag: CalendarDate?
    // Unchecked: a case is judged by one thread, and the dynamic exclusivity check on these two
    // cost more than the rest of setting the case up.
    /// The case's values; replaced once when the case is judged at its Stichtag. Valid while
    /// this case lives and its arena is not read into again (its records are views into
    /// `arena`; a batch worker's arena takes the next case when this one has been checked).
    @exclusivity(unchecked) public private(set) var root: RecordValue
    @exclusivity(unchecked) private var appliedStichtag: CalendarDate?
    /// Holds the values of all the case's records and lists.
    let arena: CaseArena

    init(id: String, stichtag: CalendarDate?, root: RecordValue, arena: CaseArena, cutAt: CalendarDate? = nil) {
        self.id = id; self.stichtag = stichtag; self.root = root; self.arena = arena
        self.appliedStichtag = cutAt
    }

    /// The case as it stood on the Stichtag: entries of `dated by` lists after it are dropped.
    func applyStichtag(_ t: CalendarDate, schema: CaseSchema) {
        root = DecodedCase.judged(root, at: t, cutAt: appliedStichtag, schema: schema, arena: arena)
        appliedStichtag = t
    }

    /// `root` as it stood on the Stichtag `t`, when entries after `cutAt` (if given) were
    /// dropped already.
    static func judged(_ root: RecordValue, at t: CalendarDate, cutAt: CalendarDate?, schema: CaseSchema, arena: CaseArena) -> RecordValue {
        guard cutAt != t else { return root }
        precondition(cutAt == nil, "a decoded case is judged at one Stichtag")
        return dropping(after: t, from: root, type: schema.root, into: arena) ?? root
    }

    /// The record without entries dated after `t`, or nil when nothing had to go (the common
    /// case, which then copies nothing).
    private static func dropping(after t: CalendarDate, from record: RecordValue, type: RecordType, into arena: CaseArena) -> RecordValue? {
        guard type.containsDatedList else { return nil }
        var fields: [Value]?
        for (slot, field) in type.fields.enumerated() {
            switch field.type.base {
            case .record(let inner):
                if case .record(let r) = record[slot], let replaced = dropping(after: t, from: r, type: inner, into: arena) {
                    if fields == nil { fields = record.fields }
                    fields![slot] = .record(replaced)
                }
            case .list(.record(let element)):
                guard case .list(let list) = record[slot] else { continue }
                var entries = Array(list)
                var listChanged = false
                if let dateSlot = field.datedBy {
                    func after(_ entry: Value) -> Bool {
                        guard case .record(let r) = entry, case .date(let d) = r[dateSlot] else { return false }
                        return d > t
                    }
                    if entries.contains(where: after) { entries.removeAll(where: after); listChanged = true }
                }
                if element.containsDatedList {
                    for i in entries.indices {
                        if case .record(let r) = entries[i], let replaced = dropping(after: t, from: r, type: element, into: arena) {
                            entries[i] = .record(replaced); listChanged = true
                        }
                    }
                }
                if listChanged {
                    if fields == nil { fields = record.fields }
                    fields![slot] = .list(arena.list(entries))
                }
            default: continue
            }
        }
        return fields.map(arena.record)
    }
}

/// Case JSON bytes → `DecodedCase`, driven by the schema: each field is read straight into
/// its typed value; unknown fields, and strings and lists no rule reads, are validated and
/// skipped (a skipped string is `""`, a skipped list empty).
public struct CaseDecoder: @unchecked Sendable {
    public let schema: CaseSchema
    private let root: RecordPlan
    private let staffPlan: RecordPlan?
    let flat: FlatDecodePlan

    /// With a policy, only what its rules can read is kept (`CheckedPolicy.fieldsRead`); without,
    /// every field.
    public init(schema: CaseSchema, policy: CheckedPolicy? = nil) {
        self.schema = schema
        self.root = DecodePlanBuilder.build(root: schema.root, used: policy?.fieldsRead)
        self.flat = FlatDecodePlan(root: root, stichtagSlot: schema.stichtagField)
        self.staffPlan = schema.records["Fallmanager"].map { DecodePlanBuilder.build(root: $0, used: nil) }
    }

    /// Reads one case. A UTF-8 byte order mark is allowed; anything after the object is an error.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseReadError) -> DecodedCase {
        try read(bytes, cutting: false, asOf: nil)
    }

    /// Reads one case that will be judged at `asOf` if given, else at its own Stichtag if it
    /// has one (as a caseload does): so entries after that date can be dropped while reading
    /// instead of in a second pass, and `applyStichtag` then finds nothing left to do.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, judgedAt asOf: CalendarDate?) throws(CaseReadError) -> DecodedCase {
        try read(bytes, cutting: true, asOf: asOf, into: CaseArena())
    }

    /// The same without the `DecodedCase` object, into `arena`, which is reset first: whatever
    /// was read into it before must no longer be read. A batch worker reads all its cases into
    /// one arena, so that a case costs no arena of its own, and keeps what it needs of the case
    /// in its workspace: the case's values, and the date entries after which were dropped while
    /// reading (nil if none were). `dates`: the worker's cache of dates read before.
    func decodeRecord(_ bytes: UnsafeBufferPointer<UInt8>, judgedAt asOf: CalendarDate?,
                      reusing arena: CaseArena, dates: DateCache? = nil) throws(CaseReadError) -> (root: RecordValue, cutAt: CalendarDate?) {
        arena.reset()
        var stack = ValueStack(arena: arena)
        if let fast = fastDecode(bytes, cutting: true, asOf: asOf, dates: dates, &stack) { return (fast.root, fast.cutAt) }
        stack.removeAll()
        return (try fullDecode(bytes, &stack).root, nil)
    }

    /// The fast reader, and the full one when the fast one gives up.
    private func read(_ bytes: UnsafeBufferPointer<UInt8>, cutting: Bool, asOf: CalendarDate?,
                      into arena: CaseArena = CaseArena()) throws(CaseReadError) -> DecodedCase {
        var stack = ValueStack(arena: arena)
        if let fast = fastDecode(bytes, cutting: cutting, asOf: asOf, &stack) { return decodedCase(fast.root, stack.arena, cutAt: fast.cutAt) }
        stack.removeAll()
        return try fullDecode(bytes, &stack)
    }

    func decodedCase(_ record: RecordValue, _ arena: CaseArena, cutAt: CalendarDate? = nil) -> DecodedCase {
        DecodedCase(id: caseID(of: record), stichtag: stichtag(of: record), root: record, arena: arena, cutAt: cutAt)
    }

    /// A case's `id` ("" if it has none).
    func caseID(of record: RecordValue) -> String {
        if let slot = schema.idField, case .string(let s) = record[slot] { return s }
        return ""
    }

    /// A case's own `stichtag`, if it has one.
    func stichtag(of record: RecordValue) -> CalendarDate? {
        if let slot = schema.stichtagField, case .date(let d) = record[slot] { return d }
        return nil
    }

    /// The full reader alone, which also says what is wrong with a case and where.
    func fullDecode(_ bytes: UnsafeBufferPointer<UInt8>, _ stack: inout ValueStack) throws(CaseReadError) -> DecodedCase {
        var scanner = JSONScanner.skippingBOM(bytes)
        do {
            scanner.skipWhitespace()
            if scanner.isAtEnd { throw CaseReadError(path: "", message: "the input is empty; expected a case object", offset: 0) }
            guard try scanner.peekKind() == .object else {
                throw CaseReadError(path: "", message: "expected a case object `{…}`", offset: scanner.offset)
            }
            let record = try Self.readRecord(root, &scanner, &stack)
            try scanner.expectEnd()
            return decodedCase(record, stack.arena)
        } catch var error as CaseReadError {
            error.caseID = Self.peekID(bytes)
            throw error
        } catch {
            var failure = DecodeFailure(error)
            failure.caseID = Self.peekID(bytes)
            throw failure.caseReadError
        }
    }

    public func decode(_ text: String) throws(CaseReadError) -> DecodedCase {
        let bytes = Array(text.utf8)
        let result: Result<DecodedCase, CaseReadError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(CaseReadError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The `id` of a case that could not be read, if its top level gets that far, so an error
    /// line still names its case.
    static func peekID(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = JSONScanner.skippingBOM(bytes)
        do {
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                if key.equals("id"), try scanner.peekKind() == .string { return try scanner.readString() }
                try scanner.skipValue()
            }
        } catch {}
        return nil
    }

    /// The staff file: `{"fallmanager": [ … ]}`, each entry read as the schema's `Fallmanager`.
    /// Its records live as long as the process: a staff file is read once per run.
    public func decodeStaff(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseReadError) -> [RecordValue] {
        guard schema.records["Fallmanager"] != nil else {
            throw CaseReadError(path: "", message: "the schema has no record `Fallmanager` for the staff file", offset: 0)
        }
        var scanner = JSONScanner.skippingBOM(bytes)
        let arena = CaseArena()
        var stack = ValueStack(arena: arena)
        do {
            scanner.skipWhitespace()
            if scanner.isAtEnd { throw CaseReadError(path: "", message: "the staff file is empty", offset: 0) }
            guard try scanner.peekKind() == .object else {
                throw CaseReadError(path: "", message: "expected `{\"fallmanager\": […]}`", offset: scanner.offset)
            }
            try scanner.beginObject()
            var entries: [RecordValue]?
            while let key = try scanner.nextKey() {
                guard key.equals("fallmanager") else { try scanner.skipValue(); continue }
                guard let staffPlan else { continue }
                let list: Value
                do { list = try Self.readValue(.list(.record(staffPlan), keep: true), &scanner, &stack) } catch { throw DecodeFailure(error, in: .key("fallmanager")) }
                guard case .list(let items) = list else { continue }
                entries = items.compactMap { if case .record(let r) = $0 { return r }; return nil }
            }
            try scanner.expectEnd()
            guard let entries else { throw CaseReadError(path: "fallmanager", message: "is missing", offset: 0) }
            // Kept for the rest of the process (the records are views into it); a file that
            // cannot be read leaves nothing behind.
            _ = Unmanaged.passRetained(arena)
            return entries
        } catch let error as CaseReadError {
            throw error
        } catch {
            throw DecodeFailure(error).caseReadError
        }
    }

    // Reading builds no path on the way down: a failure collects the keys and indices on its
    // way back up (`DecodeFailure(_:in:)`), which costs nothing for the cases that are fine.

    private static func readRecord(_ plan: RecordPlan, _ scanner: inout JSONScanner, _ stack: inout ValueStack) throws -> RecordValue {
        let start = scanner.offset
        try scanner.beginObject()
        let base = try plan.fields.withUnsafeBufferPointer { fields in
            // Borrowed through the buffer: indexing the array would copy each field's plan.
            let base = stack.pushAbsent(fields.count)
            var seen = 0 as UInt64   // records have fewer than 64 fields (checked when the plan is built)
            while let key = try scanner.nextKey() {
                let slot = key.withBytes { plan.slot(of: $0) }
                guard let slot else {
                    // Unknown extra fields are ignored, but must still be valid JSON.
                    try scanner.skipValue()
                    continue
                }
                if seen & (1 << UInt64(slot)) != 0 {
                    throw DecodeFailure(message: "appears twice in the same object", offset: key.offset, path: [.key(fields[slot].nameString)])
                }
                seen |= 1 << UInt64(slot)
                let value: Value
                do { value = try readValue(fields[slot].value, &scanner, &stack) } catch { throw DecodeFailure(error, in: .key(fields[slot].nameString)) }
                stack[base + slot] = value
            }
            try plan.absentRules.withUnsafeBufferPointer { rules throws in
                for slot in rules.indices where stack[base + slot].isAbsent {
                    let rule = rules[slot]
                    if rule.isList { stack[base + slot] = .list(.empty); continue }
                    guard rule.required else { continue }
                    if rule.requiredUnless >= 0, !stack[base + rule.requiredUnless].isAbsent { continue }
                    let why = rule.requiredUnless >= 0 ? " (it may be absent only while `\(fields[rule.requiredUnless].nameString)` is set)" : ""
                    throw DecodeFailure(message: (seen & (1 << UInt64(slot)) != 0 ? "must not be null" : "is missing") + why,
                                        offset: start, path: [.key(fields[slot].nameString)])
                }
            }
            return base
        }
        return stack.popRecord(from: base)
    }

    static func readValue(_ plan: ValuePlan, _ scanner: inout JSONScanner, _ stack: inout ValueStack) throws -> Value {
        let kind = try scanner.peekKind()
        if kind == .null {
            try scanner.readNull()
            return .absent
        }
        let offset = scanner.offset
        func mismatch(_ expected: String) -> DecodeFailure {
            DecodeFailure(message: "expected \(expected), found \(CaseDecoder.describe(kind))", offset: offset)
        }
        switch plan {
        case .string(let keep):
            guard kind == .string else { throw mismatch("a string") }
            if keep { return .string(try scanner.readString()) }
            try scanner.skipString()
            // Present but read by no rule: a marker, so `required` still sees it.
            return .string("")
        case .bool:
            guard kind == .bool else { throw mismatch("true or false") }
            return .bool(try scanner.readBool())
        case .integer:
            guard kind == .number else { throw mismatch("an integer") }
            return .integer(try scanner.readInt())
        case .decimal:
            guard kind == .number else { throw mismatch("a number") }
            let d = try scanner.readDecimal()
            if d.exponent <= 0, -d.exponent <= 18 { return .decimal(DecimalNumber(significand: d.significand, scale: -d.exponent)) }
            if d.exponent > 0, d.exponent <= 18 {
                let (v, overflow) = d.significand.multipliedReportingOverflow(by: Int64(pow10(d.exponent)))
                if !overflow { return .decimal(DecimalNumber(significand: v, scale: 0)) }
            }
            throw DecodeFailure(message: "number out of range", offset: offset)
        case .date:
            guard kind == .string else { throw mismatch("a date \"YYYY-MM-DD\"") }
            let text = try scanner.readStringBytes()
            guard let date = text.withBytes({ CalendarDate.parse(isoBytes: $0) }) else {
                // The value itself is not shown: it may be a birth date.
                let shape = text.withBytes { CaseDecoder.dateProblem($0) }
                throw DecodeFailure(message: "not a valid date: \(shape)", offset: offset)
            }
            return .date(date)
        case .enumeration(let e):
            guard kind == .string else { throw mismatch("one of \(e.type.cases.joined(separator: ", "))") }
            let text = try scanner.readStringBytes()
            if let index = text.withBytes({ e.index(of: $0) }) { return .enumCase(index) }
            let shown = CaseDecoder.isCodeLike(text.string) ? "`\(text.string)`" : "value"
            let help = Suggestions.closest(to: text.string, among: e.type.cases).map { "; did you mean `\($0)`?" } ?? ""
            throw DecodeFailure(message: "unknown \(e.type.name) \(shown); expected one of \(e.type.cases.joined(separator: ", "))\(help)",
                                offset: offset)
        case .record(let r):
            guard kind == .object else { throw mismatch("an object") }
            return .record(try readRecord(r, &scanner, &stack))
        case .list(let element, let keep):
            guard kind == .array else { throw mismatch("a list `[…]`") }
            try scanner.beginArray()
            let base = stack.count
            var index = 0
            while try scanner.nextElement() {
                let item: Value
                do { item = try readValue(element, &scanner, &stack) } catch { throw DecodeFailure(error, in: .index(index)) }
                if item.isAbsent {
                    throw DecodeFailure(message: "a list entry cannot be null", offset: scanner.offset, path: [.index(index)])
                }
                if keep { stack.push(item) }
                index += 1
            }
            // Read by no rule: validated like any other, and empty (as a skipped string is `""`).
            return .list(keep ? stack.popList(from: base) : .empty)
        case .unsupported(let type):
            throw DecodeFailure(message: "the schema gives this field a type cases cannot hold (`\(type)`)", offset: offset)
        }
    }

    private static func pow10(_ n: Int) -> Int { var r = 1; for _ in 0..<n { r *= 10 }; return r }

    static func describe(_ kind: JSONScanner.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true/false"
        case .null: "null"
        }
    }

    /// A short identifier-like text is safe to echo (an enum value); free text is not.
    static func isCodeLike(_ s: String) -> Bool {
        s.count <= 40 && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }

    /// What is wrong with a date, without repeating it.
    static func dateProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let shape = text.utf8.count == 10 && Array(text.utf8).enumerated().allSatisfy { i, b in
            (i == 4 || i == 7) ? b == UInt8(ascii: "-") : (b >= 0x30 && b <= 0x39)
        }
        guard shape else { return "expected YYYY-MM-DD" }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        if parts[1] < 1 || parts[1] > 12 { return "month \(String(format2: parts[1])) does not exist" }
        if parts[0] < 1 { return "year 0000 is out of range" }
        return "day \(String(format2: parts[2])) does not exist in that month"
    }
}

extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : String(n) }
}

/// A JSON path, for error messages: `fallmanagement.fortfuehrungspruefungen[2].datum`.
struct CasePath: CustomStringConvertible {
    enum Component { case key(String), index(Int) }
    var components: [Component] = []
    var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }
}

/// A case that cannot be read, on its way up from where reading failed: each enclosing
/// object and list adds its key or index.
struct DecodeFailure: Error {
    let message: String
    let offset: Int
    /// Innermost first.
    var reversedPath: [CasePath.Component]
    var caseID: String?

    init(message: String, offset: Int, path: [CasePath.Component] = []) {
        self.message = message; self.offset = offset; self.reversedPath = path
    }

    /// `error` (a failure from further down, or the scanner's syntax error) inside `component`.
    init(_ error: any Error, in component: CasePath.Component? = nil) {
        switch error {
        case let failure as DecodeFailure: self = failure
        case let syntax as JSONSyntaxError: self.init(message: "invalid JSON: \(syntax.message)", offset: syntax.offset)
        default: self.init(message: "\(error)", offset: 0)
        }
        if let component { reversedPath.append(component) }
    }

    var caseReadError: CaseReadError {
        CaseReadError(path: CasePath(components: reversedPath.reversed()).description, message: message, offset: offset, caseID: caseID)
    }
}

/// The values of the records and lists being read, one stack per case: a record's fields
/// and a list's entries are collected here and moved into an allocation of exactly the right
/// size when they are complete.
struct ValueStack: ~Copyable {
    private var base: UnsafeMutablePointer<Value>
    private var capacity: Int
    /// Whether `base` was allocated for the stack (it grew); else it is room in the arena.
    private var ownsBase = false
    private(set) var count = 0
    /// Where finished records and lists go.
    let arena: CaseArena

    init(arena: CaseArena) {
        self.arena = arena
        // Records are made in the arena, so the stack holds only the entries of the lists being
        // read. Its first 32 values are room in the arena, which a batch worker keeps from case
        // to case; a case with a longer list grows it once or twice.
        capacity = 32
        base = arena.uninitializedFields(capacity)
    }

    deinit {
        base.deinitialize(count: count)
        if ownsBase { base.deallocate() }
    }

    private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let grown = max(capacity * 2, count + n)
        let moved = UnsafeMutablePointer<Value>.allocate(capacity: grown)
        moved.moveInitialize(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = moved
        capacity = grown
        ownsBase = true
    }

    /// Empties the stack and the arena (after the fast reader gave up half-way).
    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
        arena.reset()
        // Room in the arena is free again after the reset: take it anew.
        if !ownsBase { base = arena.uninitializedFields(capacity) }
    }

    /// `n` absent values; returns the index of the first.
    mutating func pushAbsent(_ n: Int) -> Int {
        reserve(n)
        let first = count
        (base + first).initialize(repeating: .absent, count: n)
        count += n
        return first
    }

    mutating func push(_ value: Value) {
        reserve(1)
        (base + count).initialize(to: value)
        count += 1
    }

    subscript(index: Int) -> Value {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The values from `first` on, as a record.
    mutating func popRecord(from first: Int) -> RecordValue {
        let record = arena.record(moving: base + first, count: count - first)
        count = first
        return record
    }

    /// The values from `first` on, as a list in the arena. `mayHoldReferences: false`: none of
    /// them holds a reference (see `CaseArena.list(moving:count:mayHoldReferences:)`).
    mutating func popList(from first: Int, mayHoldReferences: Bool = true) -> ListValue {
        let list = arena.list(moving: base + first, count: count - first, mayHoldReferences: mayHoldReferences)
        count = first
        return list
    }
}
