/// The decode plan laid out flat for the fast reader (`CaseDecoder+FastPath`): plain numbers
/// in a few allocations, so the loop that reads a case touches no reference count and no enum
/// payload. Built once per decoder from the `RecordPlan` graph; never changed afterwards, so
/// it is safe to share between threads.
final class FlatDecodePlan: @unchecked Sendable {
    enum Kind: UInt8 {
        case skippedString, keptString, bool, date, enumeration, record, list
        /// Numbers and types cases cannot hold: read by the full reader.
        case other
    }

    /// What to do with one value. `sub` is the record for `.record`, the enumeration for
    /// `.enumeration` and the element's node for `.list`.
    struct ValueNode { var kind: Kind; var sub: Int32 }
    /// `datedBy`: for a `dated by` list, the slot of its entries' date (else -1).
    struct Field { var nameStart: Int32; var nameLength: Int32; var value: Int32; var requiredUnless: Int32; var datedBy: Int32 }
    /// Fields `firstField ..< firstField + fieldCount`; bit masks by slot.
    struct Record { var firstField: Int32; var fieldCount: Int32; var lists: UInt64; var required: UInt64 }
    /// Names `firstName ..< firstName + count` in `enumNames`.
    struct Enumeration { var firstName: Int32; var count: Int32 }
    struct Name { var start: Int32; var length: Int32 }

    let values: UnsafeMutableBufferPointer<ValueNode>
    let fields: UnsafeMutableBufferPointer<Field>
    let records: UnsafeMutableBufferPointer<Record>
    let enumerations: UnsafeMutableBufferPointer<Enumeration>
    let enumNames: UnsafeMutableBufferPointer<Name>
    /// Field and enum names, back to back.
    let text: UnsafeMutableBufferPointer<UInt8>
    /// Per value node, the plan the full reader takes when the fast reader hands a value over.
    let fullPlans: [ValuePlan]
    let root: Int32
    /// The root's `stichtag` field (-1: none).
    let stichtagSlot: Int

    init(root plan: RecordPlan, stichtagSlot: Int?) {
        self.stichtagSlot = stichtagSlot ?? -1
        var values: [ValueNode] = [], fullPlans: [ValuePlan] = []
        var fields: [Field] = [], records: [Record] = []
        var enumerations: [Enumeration] = [], enumNames: [Name] = [], text: [UInt8] = []
        var recordIndex: [ObjectIdentifier: Int32] = [:], enumIndex: [ObjectIdentifier: Int32] = [:]

        func name(_ bytes: [UInt8]) -> Name {
            defer { text += bytes }
            return Name(start: Int32(text.count), length: Int32(bytes.count))
        }
        func record(_ p: RecordPlan) -> Int32 {
            if let i = recordIndex[ObjectIdentifier(p)] { return i }
            let i = Int32(records.count)
            recordIndex[ObjectIdentifier(p)] = i
            records.append(Record(firstField: 0, fieldCount: 0, lists: 0, required: 0))
            // A record's fields are contiguous: reserved before inner records add theirs.
            let first = fields.count
            fields += repeatElement(Field(nameStart: 0, nameLength: 0, value: 0, requiredUnless: -1, datedBy: -1), count: p.fields.count)
            var lists: UInt64 = 0, required: UInt64 = 0
            for (slot, f) in p.fields.enumerated() {
                let n = name(f.name)
                fields[first + slot] = Field(nameStart: n.start, nameLength: n.length, value: value(f.value),
                                             requiredUnless: Int32(f.requiredUnless ?? -1),
                                             datedBy: Int32(p.type.fields[slot].datedBy ?? -1))
                if f.isList { lists |= 1 << UInt64(slot) }
                if f.required { required |= 1 << UInt64(slot) }
            }
            records[Int(i)] = Record(firstField: Int32(first), fieldCount: Int32(p.fields.count), lists: lists, required: required)
            return i
        }
        func enumeration(_ e: EnumPlan) -> Int32 {
            if let i = enumIndex[ObjectIdentifier(e)] { return i }
            let i = Int32(enumerations.count)
            enumIndex[ObjectIdentifier(e)] = i
            enumerations.append(Enumeration(firstName: Int32(enumNames.count), count: Int32(e.cases.count)))
            for c in e.cases { enumNames.append(name(c)) }
            return i
        }
        func value(_ v: ValuePlan) -> Int32 {
            let node: ValueNode
            switch v {
            case .string(let keep): node = ValueNode(kind: keep ? .keptString : .skippedString, sub: 0)
            case .bool: node = ValueNode(kind: .bool, sub: 0)
            case .date: node = ValueNode(kind: .date, sub: 0)
            case .enumeration(let e): node = ValueNode(kind: .enumeration, sub: enumeration(e))
            case .record(let r): node = ValueNode(kind: .record, sub: record(r))
            case .list(let element): node = ValueNode(kind: .list, sub: value(element))
            case .integer, .decimal, .unsupported: node = ValueNode(kind: .other, sub: 0)
            }
            values.append(node)
            fullPlans.append(v)
            return Int32(values.count - 1)
        }

        self.root = record(plan)
        self.values = .copying(values)
        self.fields = .copying(fields)
        self.records = .copying(records)
        self.enumerations = .copying(enumerations)
        self.enumNames = .copying(enumNames)
        self.text = .copying(text)
        self.fullPlans = fullPlans
    }

    deinit {
        values.deallocate(); fields.deallocate(); records.deallocate()
        enumerations.deallocate(); enumNames.deallocate(); text.deallocate()
    }
}

extension UnsafeMutableBufferPointer {
    /// A new allocation holding `elements` (at least one slot, so the base is never nil).
    static func copying(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(elements.count, 1))
        _ = buffer.initialize(from: elements)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<elements.count])
    }
}
