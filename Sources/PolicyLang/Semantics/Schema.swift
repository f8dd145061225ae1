/// The case format as declared in a schema file (`policies/case.fm`): the records, the
/// enums, and which record is a whole case. The runtime reads cases through this, so a
/// new field or enum value needs no Swift.
public final class CaseSchema: @unchecked Sendable {
    public let name: String
    public let file: SourceFile
    public let root: RecordType
    public let records: [String: RecordType]
    public let enums: [String: EnumType]
    /// Slot of the root field that holds the case's own Stichtag, if the schema has one.
    public let stichtagField: Int?
    /// Slot of the root field that identifies the case (`id`).
    public let idField: Int?

    init(name: String, file: SourceFile, root: RecordType, records: [String: RecordType], enums: [String: EnumType]) {
        self.name = name; self.file = file; self.root = root; self.records = records; self.enums = enums
        self.stichtagField = root.fieldIndex["stichtag"]
        self.idField = root.fieldIndex["id"]
    }

    /// The enum types that have a case of this name (for resolving a bare `einzelfall`).
    public func enums(havingCase name: String) -> [EnumType] {
        enums.values.filter { $0.caseIndex[name] != nil }.sorted { $0.name < $1.name }
    }
}

