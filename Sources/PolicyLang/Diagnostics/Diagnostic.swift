/// How bad a diagnostic is. Ordered so that sorting puts errors first.
public enum DiagnosticSeverity: String, Sendable, Comparable {
    case error, warning, note

    private var rank: Int { switch self { case .error: 0; case .warning: 1; case .note: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// A secondary place a diagnostic points at, e.g. the first definition of a duplicate.
public struct DiagnosticNote: Sendable, Hashable {
    public let message: String
    public let file: SourceFile?
    public let span: Span?
    public init(_ message: String, file: SourceFile? = nil, span: Span? = nil) {
        self.message = message; self.file = file; self.span = span
    }
}

/// One problem in a policy, as a value. Every phase returns these; `DiagnosticRenderer`
/// is the only place that turns them into text.
public struct Diagnostic: Sendable, Hashable {
    public let severity: DiagnosticSeverity
    /// Stable code (`E0101`), so that tests, docs and editors can refer to a diagnostic.
    public let code: String
    public let message: String
    public let file: SourceFile?
    public let span: Span
    public var notes: [DiagnosticNote]
    /// Advice, e.g. "did you mean `beginn`?".
    public var help: String?

    public init(_ severity: DiagnosticSeverity, _ code: String, _ message: String,
                file: SourceFile?, span: Span, notes: [DiagnosticNote] = [], help: String? = nil) {
        self.severity = severity; self.code = code; self.message = message
        self.file = file; self.span = span; self.notes = notes; self.help = help
    }

    public var isError: Bool { severity == .error }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.isError } }

    /// File order, then position: how a reader walks through a file.
    public func sortedByPosition() -> [Diagnostic] {
        enumerated().sorted { x, y in
            let a = x.element, b = y.element
            if a.file?.path != b.file?.path { return (a.file?.path ?? "") < (b.file?.path ?? "") }
            if a.span.start != b.span.start { return a.span.start < b.span.start }
            return x.offset < y.offset
        }.map(\.element)
    }
}
extension Diagnostic: Error {}
