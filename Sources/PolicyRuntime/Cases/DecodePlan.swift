import PolicyLang

/// The schema compiled for reading: per record, its fields' names as bytes and what to do
/// with each value. Built once per policy, so reading a case does no look-up by name and
/// builds nothing that no rule reads: strings and lists no rule reads are validated in full
/// and dropped.
final class RecordPlan: @unchecked Sendable {
    let type: RecordType
    var fields: [FieldPlan] = [] { didSet { index() } }
    /// What each slot needs when it is absent, kept apart from `fields` so that checking it
    /// copies no references.
    private(set) var absentRules: [AbsentRule] = []
    /// Field slots by (key length, first byte): a key is compared with at most a few names.
    private var buckets: [[Int]] = []
    init(type: RecordType) { self.type = type }

    private func index() {
        absentRules = fields.map { AbsentRule(isList: $0.isList, required: $0.required, requiredUnless: $0.requiredUnless ?? -1) }
        buckets = Array(repeating: [], count: 64)
        for (slot, f) in fields.enumerated() { buckets[Self.bucket(f.name.count, f.name.first ?? 0)].append(slot) }
    }

    @inline(__always)
    static func bucket(_ length: Int, _ first: UInt8) -> Int { (length &* 7 &+ Int(first)) & 63 }

    /// The slot of the field whose name is `key`, if any.
    @inline(__always)
    func slot(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = key.first else { return nil }
        for slot in buckets[Self.bucket(key.count, first)] where sameBytes(fields[slot].name, key) { return slot }
        return nil
    }
}

final class EnumPlan: @unchecked Sendable {
    let type: EnumType
    let cases: [[UInt8]]
    init(_ type: EnumType) { self.type = type; self.cases = type.cases.map { Array($0.utf8) } }

    /// The index of the value spelled by `bytes`, comparing bytes only.
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for (i, c) in cases.enumerated() where sameBytes(c, bytes) { return i }
        return nil
    }
}

indirect enum ValuePlan {
    case string(keep: Bool)
    case bool, integer, decimal, date
    case enumeration(EnumPlan)
    case record(RecordPlan)
    /// `keep: false`: every entry is read and validated, none is kept (the list comes out empty).
    case list(ValuePlan, keep: Bool)
    /// A schema type that case JSON cannot hold.
    case unsupported(PolicyType)
}

/// An absent list is empty; an absent required field is an error unless its
/// `requiredUnless` slot (-1: none) is set.
struct AbsentRule {
    let isList: Bool
    let required: Bool
    let requiredUnless: Int
}

struct FieldPlan {
    let name: [UInt8]
    let nameString: String
    let value: ValuePlan
    let isList: Bool
    let required: Bool
    let requiredUnless: Int?
}

enum DecodePlanBuilder {
    /// `used`: the fields the policy reads; strings and lists elsewhere are validated and
    /// dropped. Nil keeps every field.
    static func build(root: RecordType, used: FieldsRead?) -> RecordPlan {
        // By identity, in a list: a schema has a dozen records, and a dictionary keyed by
        // `ObjectIdentifier` would cost a fresh process a scan of every conformance record.
        var records: [RecordPlan] = []
        var enums: [EnumPlan] = []
        func plan(_ type: RecordType) -> RecordPlan {
            if let p = records.first(where: { $0.type === type }) { return p }
            let p = RecordPlan(type: type)
            records.append(p)
            p.fields = type.fields.enumerated().map { slot, field in
                let keep = used?.contains(type, slot) ?? true
                var isList = false
                if case .list = field.type { isList = true }
                return FieldPlan(name: Array(field.name.utf8), nameString: field.name, value: value(field.type, keep: keep),
                                 isList: isList, required: field.required, requiredUnless: field.requiredUnless)
            }
            return p
        }
        func value(_ t: PolicyType, keep: Bool) -> ValuePlan {
            switch t.base {
            case .string: return .string(keep: keep)
            case .bool: return .bool
            case .integer: return .integer
            case .decimal: return .decimal
            case .date: return .date
            case .enumeration(let e):
                if let p = enums.first(where: { $0.type === e }) { return .enumeration(p) }
                let p = EnumPlan(e)
                enums.append(p)
                return .enumeration(p)
            case .record(let r): return .record(plan(r))
            // A list's entries are kept or dropped with the list, whatever their own fields' uses.
            case .list(let element): return .list(value(element, keep: true), keep: keep)
            default: return .unsupported(t)
            }
        }
        return plan(root)
    }
}

/// The fields some expression of the policy reads: by record (by identity), its slots. Not a
/// `Set` of pairs: hashing a type of our own costs a fresh process a scan of every
/// conformance record on first use, more than all of a policy's look-ups here.
struct FieldsRead {
    private var records: [(record: RecordType, slots: [Bool])] = []

    mutating func insert(_ record: RecordType, _ slot: Int) {
        guard let i = records.firstIndex(where: { $0.record === record }) else {
            var slots = [Bool](repeating: false, count: record.fields.count)
            slots[slot] = true
            records.append((record, slots))
            return
        }
        records[i].slots[slot] = true
    }

    func contains(_ record: RecordType, _ slot: Int) -> Bool {
        records.first { $0.record === record }?.slots[slot] ?? false
    }
}

extension CheckedPolicy {
    /// Every (record, slot) that the policy's rules can read, and the fields the runtime itself
    /// needs (the case's id and Stichtag, `dated by` and `required unless` fields). Walked from
    /// the rules (case and caseload rules, their accumulators included) and the caseload key,
    /// through the parameters and definitions they name: a definition no rule reaches (one a
    /// jobcenter inherits but does not use) keeps nothing of the case alive.
    var fieldsRead: FieldsRead {
        var used = FieldsRead()
        var reached = [Bool](repeating: false, count: values.count)
        var stack: [CheckedExpr] = rules.flatMap(\.expressions)
        if let k = caseloadKey { stack.append(k) }
        while let e = stack.popLast() {
            switch e.kind {
            case .rootField(let slot) where slot >= 0: used.insert(schema.root, slot)
            case .field(let base, let slot):
                if case .record(let r) = base.type.base { used.insert(r, slot) }
            case .value(let i), .caseValue(_, let i):
                if !reached[i] { reached[i] = true; stack.append(values[i].expression) }
            default: break
            }
            e.forEachChild { stack.append($0) }
        }
        for slot in [schema.idField, schema.stichtagField].compactMap({ $0 }) { used.insert(schema.root, slot) }
        for record in schema.records.values {
            for f in record.fields {
                if let d = f.datedBy, case .list(.record(let element)) = f.type { used.insert(element, d) }
                if let u = f.requiredUnless { used.insert(record, u) }
            }
            // The staff file is read through the schema too; keep all of its fields.
            if record.name == "Fallmanager" { for slot in record.fields.indices { used.insert(record, slot) } }
        }
        return used
    }
}

/// Byte equality for short keys and enum names.
@inline(__always)
func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard a.count > 0, let y = b.baseAddress else { return true }
    return a.withUnsafeBufferPointer { sameBytes($0.baseAddress!, y, b.count) }
}

/// Whether the `n` bytes at `a` and at `b` are equal, compared a word at a time: the last word
/// (or half or quarter word, for fewer than 8 bytes) overlaps the one before instead of a loop
/// over the bytes left.
@inline(__always)
func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    @inline(__always) func same<Word: FixedWidthInteger>(_ k: Int, _: Word.Type) -> Bool {
        UnsafeRawPointer(a + k).loadUnaligned(as: Word.self) == UnsafeRawPointer(b + k).loadUnaligned(as: Word.self)
    }
    if n >= 8 {
        var k = 0
        while k + 8 < n {
            if !same(k, UInt64.self) { return false }
            k += 8
        }
        return same(n - 8, UInt64.self)
    }
    if n >= 4 { return same(0, UInt32.self) && same(n - 4, UInt32.self) }
    if n >= 2 { return same(0, UInt16.self) && same(n - 2, UInt16.self) }
    return n == 0 || a.pointee == b.pointee
}
