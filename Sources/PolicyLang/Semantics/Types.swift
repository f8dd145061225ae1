/// An enumeration declared in the schema (`enum Rechtskreis = SGB2 | SGB3`).
public final class EnumType: @unchecked Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let cases: [String]
    public let caseIndex: [String: Int]
    public let file: SourceFile?
    public let span: Span

    public init(name: String, cases: [String], file: SourceFile?, span: Span) {
        self.name = name; self.cases = cases; self.file = file; self.span = span
        var index: [String: Int] = [:]
        for (i, c) in cases.enumerated() where index[c] == nil { index[c] = i }
        self.caseIndex = index
    }
    public static func == (a: EnumType, b: EnumType) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
    public var description: String { name }
}

/// A record declared in the schema. Fields are filled after all records are known,
/// because records refer to each other.
public final class RecordType: @unchecked Sendable, Hashable, CustomStringConvertible {
    public struct Field: Sendable {
        public let name: String
        public let type: PolicyType
        /// The case cannot be read without it.
        public let required: Bool
        /// Required only while this other field (same record) is absent.
        public let requiredUnless: Int?
        /// On a list of records: the date field whose entries after the Stichtag are dropped.
        public let datedBy: Int?
        public let documentation: String
        public let span: Span
    }
    public let name: String
    public internal(set) var fields: [Field] = []
    public internal(set) var fieldIndex: [String: Int] = [:]
    /// Whether a `dated by` list lies anywhere inside this record, so judging a case at its
    /// Stichtag can skip the records that have none.
    public internal(set) var containsDatedList = false
    public let file: SourceFile?
    public let span: Span

    public init(name: String, file: SourceFile?, span: Span) { self.name = name; self.file = file; self.span = span }
    public static func == (a: RecordType, b: RecordType) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
    public var description: String { name }
}

public indirect enum PolicyType: Hashable, Sendable, CustomStringConvertible {
    case bool, integer, decimal, string, date, duration, severity
    case enumeration(EnumType)
    case record(RecordType)
    case list(PolicyType)
    case set(PolicyType)
    /// A value that may be absent. Never nested, never around a list (absent lists are empty).
    case optional(PolicyType)
    /// The type of an expression that already has an error; accepted everywhere so one
    /// mistake gives one diagnostic.
    case error

    public var description: String {
        switch self {
        case .bool: "bool"
        case .integer: "integer"
        case .decimal: "decimal"
        case .string: "string"
        case .date: "date"
        case .duration: "duration"
        case .severity: "severity"
        case .enumeration(let e): e.name
        case .record(let r): r.name
        case .list(let t): "list of \(t)"
        case .set(let t): "set of \(t)"
        case .optional(let t): "\(t)?"
        case .error: "<error>"
        }
    }

    public var isOptional: Bool { if case .optional = self { return true }; return false }
    /// The type without `?`.
    public var base: PolicyType { if case .optional(let t) = self { return t }; return self }
    public var isError: Bool { self == .error || base == .error }

    /// `T?`, unless T is already optional, a list, or an error.
    public var optional: PolicyType {
        switch self {
        case .optional, .list, .error: self
        default: .optional(self)
        }
    }

    public func optional(if condition: Bool) -> PolicyType { condition ? optional : self }
    public var isNumeric: Bool { base == .integer || base == .decimal }
}
