/// The decode plan laid out flat for the fast reader (`CaseDecoder+FastPath`): plain numbers
/// in a few allocations, so the loop that reads a case touches no reference count and no enum
/// payload. Built once per decoder from the `RecordPlan` graph; never changed afterwards, so
/// it is safe to share between threads.
final class FlatDecodePlan: @unchecked Sendable {
    enum Kind: UInt8 {
        case skippedString, keptString, bool, date, enumeration, record, list
        /// A list no rule reads: its entries are checked, not stored.
        case skippedList
        /// Numbers and types cases cannot hold: read by the full reader.
        case other

        /// Whether a value read so may hold a reference the arena must destroy: a kept string,
        /// or whatever the full reader reads (records and lists are views).
        var mayHoldReference: Bool { self == .keptString || self == .other }
    }

    /// What to do with one value. `sub` is the record for `.record`, the enumeration for
    /// `.enumeration` and the element's node for `.list` and `.skippedList`.
    struct ValueNode { var kind: Kind; var sub: Int32 }
    /// `key`: the name as it comes in a compact line, `name":`. `node`: what to do with the
    /// value, which is `values[value]`. `datedBy`: for a `dated by` list, the slot of its
    /// entries' date (else -1).
    struct Field { var key: Pattern; var node: ValueNode; var value: Int32; var requiredUnless: Int32; var datedBy: Int32 }
    /// Fields `firstField ..< firstField + fieldCount`; bit masks by slot. `flat`: every field is
    /// a date, an enumeration or a bool, so an entry of a list no rule reads can be checked in
    /// one pass by its `entrySteps` (`compactEntryEnd`), and its last fields by `tails`, its
    /// `EntryTails` in `tailSets` (-1: none). `scalar`: every field is a date, an enumeration, a
    /// bool or a string, so a record to be kept can be read in one pass against `entryKeys`
    /// (`compactRecord`).
    struct Record { var firstField: Int32; var fieldCount: Int32; var lists: UInt64; var required: UInt64; var flat: Bool; var scalar: Bool; var tails: Int32 }
    /// Names `firstName ..< firstName + count` in `enumNames`, each with its closing quote; its
    /// cases by the first byte of their names from `firstBucket` on in `enumBuckets`.
    struct Enumeration { var firstName: Int32; var firstBucket: Int32 }
    /// One field of an entry in the common shape of a list no rule reads: its key as it comes
    /// there, with the byte before it (`{"name":` for a record's first field, `,"name":` for the
    /// others) and, for a date or an enum name, the value's opening quote, so that one match
    /// takes all of them; then the value, of `kind` `.date`, `.enumeration` or `.bool`. For an
    /// enumeration, its cases' names are `names ..< names + count` in `entryNames`, each with
    /// the key before it and its closing quote after it, so that one match takes the field
    /// whole, and `buckets` is where its buckets begin in `enumBuckets`.
    struct EntryStep { var key: Pattern; var kind: Kind; var names: Int32; var buckets: Int32 }
    /// The fields of a flat record from `firstStep` on, when none of them is a date (each has a
    /// few names, an enumeration's or `true` and `false`): every way the rest of an entry in the
    /// common shape can read, from that field's key to the closing `}` (`,"art":"telefonat",
    /// "rechtskreis":"SGB2"}`), so that one look-up and one comparison check those fields
    /// whole. The tails are `entryTails` from `tailBuckets[firstBucket + b]` to the next, where
    /// `b` is the `tailBucket` of their first `hashedWords` words (which every tail has).
    /// `hashedWords` 0: none, the steps check every field.
    struct EntryTails { var firstStep: Int32; var hashedWords: Int32; var bucketBits: Int32; var firstBucket: Int32 }
    /// At most this many tails per record (the product of its last fields' numbers of names).
    static let maxEntryTails = 256

    /// Bytes the fast reader looks for in the input, `start ..< start + length` in `text`. Also
    /// as words (byte k in bits 8k ..< 8k + 8), so that a short name is matched with a single
    /// comparison and most others with two: `head`, the first 8 bytes, zero-padded, with `mask`
    /// keeping those that count; `tail`, for more than 8 bytes, the last 8.
    struct Pattern { var start: Int32; var length: Int32; var head: UInt64; var mask: UInt64; var tail: UInt64 }

    // Allocated once, at least one element each, so never nil.
    let values: UnsafeMutablePointer<ValueNode>
    let fields: UnsafeMutablePointer<Field>
    /// By field, as `fields`: its key as it comes in a compact record, with what comes before it,
    /// `{"name":` for the first field of a record and `,"name":` for the others.
    let entryKeys: UnsafeMutablePointer<Pattern>
    /// By field, as `fields`: how a compact entry of a `flat` record is checked.
    let entrySteps: UnsafeMutablePointer<EntryStep>
    let entryNames: UnsafeMutablePointer<Pattern>
    let tailSets: UnsafeMutablePointer<EntryTails>
    let tailBuckets: UnsafeMutablePointer<Int32>
    let entryTails: UnsafeMutablePointer<Pattern>
    let records: UnsafeMutablePointer<Record>
    let enumerations: UnsafeMutablePointer<Enumeration>
    let enumNames: UnsafeMutablePointer<Pattern>
    /// Per enumeration, `bucketsPerEnumeration` buckets by the low 5 bits of a name's first byte
    /// (which tell the lowercase letters apart): the cases whose names start so, one bit each.
    /// So a string is compared only with the names that start as it does, mostly one.
    let enumBuckets: UnsafeMutablePointer<UInt64>
    static let bucketsPerEnumeration = 32
    /// Per record, `bucketsPerRecord` buckets by the low 5 bits of a field name's first byte: the
    /// slots whose names start so, one bit each. A key that is not the predicted one is then
    /// compared only with the fields that start as it does (`searchFieldSlot`), mostly one.
    let keyBuckets: UnsafeMutablePointer<UInt64>
    static let bucketsPerRecord = 32
    /// Field and enum names with what follows them, back to back.
    let text: UnsafeMutablePointer<UInt8>
    /// Per value node, the plan the full reader takes when the fast reader hands a value over.
    let fullPlans: [ValuePlan]
    let root: Int32
    /// The root's `stichtag` field (-1: none).
    let stichtagSlot: Int

    init(root plan: RecordPlan, stichtagSlot: Int?) {
        self.stichtagSlot = stichtagSlot ?? -1
        var values: [ValueNode] = [], fullPlans: [ValuePlan] = []
        var fields: [Field] = [], entryKeys: [Pattern] = [], entrySteps: [EntryStep] = [], entryNames: [Pattern] = [], records: [Record] = []
        var enumerations: [Enumeration] = [], enumNames: [Pattern] = [], enumBuckets: [UInt64] = [], text: [UInt8] = []
        var tailSets: [EntryTails] = [], tailBuckets: [Int32] = [], entryTails: [Pattern] = []
        // By identity, in lists (as `DecodePlanBuilder`: no hashing of `ObjectIdentifier`).
        var recordPlans: [RecordPlan] = [], enumPlans: [EnumPlan] = []

        /// `name` between `prefix` and `suffix`. Names are identifiers (`Lexer`): a JSON string holds one
        /// without escapes, so its raw bytes are the name's bytes exactly.
        func pattern(_ name: [UInt8], after prefix: [UInt8] = [], then suffix: String) -> Pattern {
            precondition(!name.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }, "a name that JSON must escape")
            // Written straight into `text` and read back from there: a plan has a few hundred
            // patterns, made in every fresh process.
            let start = text.count
            text += prefix; text += name; text += suffix.utf8
            let length = text.count - start
            func word(from: Int, count: Int) -> UInt64 {
                var w: UInt64 = 0
                for k in 0 ..< count { w |= UInt64(text[from + k]) << UInt64(8 * k) }
                return w
            }
            let headCount = Swift.min(length, 8), tailCount = Swift.min(length, 8)
            return Pattern(start: Int32(start), length: Int32(length), head: word(from: start, count: headCount),
                           mask: headCount == 8 ? ~0 : (1 << UInt64(8 * headCount)) - 1,
                           tail: word(from: start + length - tailCount, count: tailCount))
        }
        func record(_ p: RecordPlan) -> Int32 {
            if let i = recordPlans.firstIndex(where: { $0 === p }) { return Int32(i) }
            let i = Int32(records.count)
            recordPlans.append(p)
            records.append(Record(firstField: 0, fieldCount: 0, lists: 0, required: 0, flat: false, scalar: false, tails: -1))
            // A record's fields are contiguous: reserved before inner records add theirs.
            let first = fields.count
            fields += repeatElement(Field(key: pattern([], then: ""), node: ValueNode(kind: .other, sub: 0), value: 0, requiredUnless: -1, datedBy: -1),
                                    count: p.fields.count)
            entryKeys += repeatElement(pattern([], then: ""), count: p.fields.count)
            entrySteps += repeatElement(EntryStep(key: pattern([], then: ""), kind: .other, names: 0, buckets: 0), count: p.fields.count)
            var lists: UInt64 = 0, required: UInt64 = 0, flat = true, scalar = true
            for (slot, f) in p.fields.enumerated() {
                let v = value(f.value)
                fields[first + slot] = Field(key: pattern(f.name, then: "\":"), node: values[Int(v)], value: v,
                                             requiredUnless: Int32(f.requiredUnless ?? -1),
                                             datedBy: Int32(p.type.fields[slot].datedBy ?? -1))
                let kind = values[Int(v)].kind
                entryKeys[first + slot] = pattern(f.name, after: Array((slot == 0 ? "{\"" : ",\"").utf8), then: "\":")
                if f.isList { lists |= 1 << UInt64(slot) }
                if f.required { required |= 1 << UInt64(slot) }
                if ![.date, .enumeration, .bool].contains(kind) { flat = false }
                if ![.date, .enumeration, .bool, .skippedString, .keptString].contains(kind) { scalar = false }
            }
            records[Int(i)] = Record(firstField: Int32(first), fieldCount: Int32(p.fields.count), lists: lists, required: required,
                                     flat: flat && !p.fields.isEmpty, scalar: scalar && !p.fields.isEmpty, tails: -1)
            return i
        }
        /// The steps and tails of a flat record's compact entries (`checkList`), for the records
        /// that are entries of a list: made for those alone, since a fresh process pays for every
        /// pattern it makes (every name of every enumeration, with its key).
        func compactEntries(_ r: Int) {
            let p = recordPlans[r], first = Int(records[r].firstField)
            // By field, the ways it can read in a compact entry, key and value; nil for a date.
            var readings: [[[UInt8]]?] = []
            for (slot, f) in p.fields.enumerated() {
                let node = fields[first + slot].node, before = Array((slot == 0 ? "{\"" : ",\"").utf8)
                var step = EntryStep(key: pattern(f.name, after: before, then: node.kind == .bool ? "\":" : "\":\""),
                                     kind: node.kind, names: Int32(entryNames.count), buckets: 0)
                if node.kind == .enumeration, case .enumeration(let e) = f.value {
                    step.buckets = enumerations[Int(node.sub)].firstBucket
                    entryNames += e.cases.map { pattern($0, after: before + f.name + Array("\":\"".utf8), then: "\"") }
                    readings.append(e.cases.map { before + f.name + Array("\":\"".utf8) + $0 + Array("\"".utf8) })
                } else if node.kind == .bool {
                    readings.append(["true", "false"].map { before + f.name + Array("\":\($0)".utf8) })
                } else {
                    readings.append(nil)
                }
                entrySteps[first + slot] = step
            }
            let afterDates = (readings.lastIndex { $0 == nil } ?? -1) + 1
            records[r].tails = tails(readings[afterDates...].map { $0! }, from: afterDates)
        }
        /// The `EntryTails` of the fields from `firstStep` on, which read in `readings`; -1 when
        /// there are none or too many.
        func tails(_ readings: [[[UInt8]]], from firstStep: Int) -> Int32 {
            let count = readings.reduce(1) { Swift.min($0 * $1.count, Self.maxEntryTails + 1) }
            guard !readings.isEmpty, count <= Self.maxEntryTails else { return -1 }
            let all = readings.reduce([[UInt8]()]) { tails, field in tails.flatMap { t in field.map { t + $0 } } }
                .map { $0 + Array("}".utf8) }
            // A tail is at least `,"x":true}`, 10 bytes: at least one word to hash.
            let words = Swift.min(all.map(\.count).min()! / 8, 4)
            var bits = 1
            while 1 << bits < 2 * all.count { bits += 1 }
            let buckets = all.map { t in t.withUnsafeBufferPointer { Self.tailBucket($0.baseAddress!, words: words, bits: bits) } }
            let set = EntryTails(firstStep: Int32(firstStep), hashedWords: Int32(words), bucketBits: Int32(bits), firstBucket: Int32(tailBuckets.count))
            for b in 0 ..< 1 << bits {
                tailBuckets.append(Int32(entryTails.count))
                for (t, bucket) in zip(all, buckets) where bucket == b { entryTails.append(pattern([], after: t, then: "")) }
            }
            tailBuckets.append(Int32(entryTails.count))
            tailSets.append(set)
            return Int32(tailSets.count - 1)
        }
        func enumeration(_ e: EnumPlan) -> Int32 {
            if let i = enumPlans.firstIndex(where: { $0 === e }) { return Int32(i) }
            let i = Int32(enumerations.count)
            enumPlans.append(e)
            enumerations.append(Enumeration(firstName: Int32(enumNames.count), firstBucket: Int32(enumBuckets.count)))
            var buckets = [UInt64](repeating: 0, count: Self.bucketsPerEnumeration)
            for (k, name) in e.cases.enumerated() {
                let p = pattern(name, then: "\"")
                enumNames.append(p)
                buckets[Int(text[Int(p.start)] & 31)] |= 1 << UInt64(k)
            }
            enumBuckets += buckets
            return i
        }
        func value(_ v: ValuePlan) -> Int32 {
            let node: ValueNode
            switch v {
            case .string(let keep): node = ValueNode(kind: keep ? .keptString : .skippedString, sub: 0)
            case .bool: node = ValueNode(kind: .bool, sub: 0)
            case .date: node = ValueNode(kind: .date, sub: 0)
            // An enumeration with more cases than a bucket has bits is left to the full reader.
            case .enumeration(let e) where e.cases.count <= 64: node = ValueNode(kind: .enumeration, sub: enumeration(e))
            case .record(let r): node = ValueNode(kind: .record, sub: record(r))
            case .list(let element, let keep): node = ValueNode(kind: keep ? .list : .skippedList, sub: value(element))
            case .integer, .decimal, .enumeration, .unsupported: node = ValueNode(kind: .other, sub: 0)
            }
            values.append(node)
            fullPlans.append(v)
            return Int32(values.count - 1)
        }

        self.root = record(plan)
        var withEntries = [Bool](repeating: false, count: records.count)
        for node in values where node.kind == .list || node.kind == .skippedList {
            let element = values[Int(node.sub)]
            guard element.kind == .record, records[Int(element.sub)].flat, !withEntries[Int(element.sub)] else { continue }
            withEntries[Int(element.sub)] = true
            compactEntries(Int(element.sub))
        }
        var keyBuckets = [UInt64](repeating: 0, count: records.count * Self.bucketsPerRecord)
        for (r, record) in records.enumerated() {
            for slot in 0 ..< Int(record.fieldCount) {
                let first = text[Int(fields[Int(record.firstField) + slot].key.start)]
                keyBuckets[r * Self.bucketsPerRecord + Int(first & 31)] |= 1 << UInt64(slot)
            }
        }
        self.keyBuckets = .copying(keyBuckets)
        self.values = .copying(values)
        self.fields = .copying(fields)
        self.entryKeys = .copying(entryKeys)
        self.entrySteps = .copying(entrySteps)
        self.entryNames = .copying(entryNames)
        self.tailSets = .copying(tailSets)
        self.tailBuckets = .copying(tailBuckets)
        self.entryTails = .copying(entryTails)
        self.records = .copying(records)
        self.enumerations = .copying(enumerations)
        self.enumNames = .copying(enumNames)
        self.enumBuckets = .copying(enumBuckets)
        self.text = .copying(text)
        self.fullPlans = fullPlans
    }

    deinit {
        values.deallocate(); fields.deallocate(); entryKeys.deallocate(); entrySteps.deallocate(); entryNames.deallocate(); records.deallocate()
        tailSets.deallocate(); tailBuckets.deallocate(); entryTails.deallocate()
        enumerations.deallocate(); enumNames.deallocate(); enumBuckets.deallocate(); keyBuckets.deallocate(); text.deallocate()
    }
}

extension FlatDecodePlan {
    /// The bucket of `1 << bits` of the bytes at `p`, by their first `words` words: the same
    /// for the tails when the plan is made and for the bytes of an entry when it is checked.
    @inline(__always)
    static func tailBucket(_ p: UnsafePointer<UInt8>, words: Int, bits: Int) -> Int {
        var h: UInt64 = 0
        for k in 0 ..< words {
            h = (h ^ UInt64(littleEndian: UnsafeRawPointer(p + 8 &* k).loadUnaligned(as: UInt64.self))) &* 0x9E37_79B9_7F4A_7C15
        }
        return Int(truncatingIfNeeded: h &>> UInt64(truncatingIfNeeded: 64 &- bits))
    }
}

extension UnsafeMutablePointer {
    /// A new allocation holding `elements` (at least one slot, so there is one to point to).
    static func copying(_ elements: [Pointee]) -> UnsafeMutablePointer<Pointee> {
        let pointer = UnsafeMutablePointer<Pointee>.allocate(capacity: Swift.max(elements.count, 1))
        pointer.initialize(from: elements, count: elements.count)
        return pointer
    }
}
