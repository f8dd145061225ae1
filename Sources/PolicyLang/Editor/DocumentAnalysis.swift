import Foundation

/// Everything the editor features know about one open document: its syntax tree, the
/// policies it extends, the schema, and the checked policy when the whole chain is free
/// of errors. Built by `EditorWorkspace.analyze`; each feature (hover, definition,
/// completion, symbols) is a function of this value and a byte offset.
public final class DocumentAnalysis: @unchecked Sendable {
    public enum Kind: Sendable { case policy, schema, unknown }

    public let workspace: EditorWorkspace
    public let file: SourceFile
    public let tree: SyntaxTree
    /// The policy chain, the root first and this document last; empty for a schema.
    public let layers: [PolicyLayer]
    public let schemaTree: SyntaxTree?
    public let schema: CaseSchema?
    /// Only when the document, its bases and the schema have no errors.
    public let policy: CheckedPolicy?
    /// Reading, lexing and parsing (of every file of the chain) and building the schema.
    public let parseDiagnostics: [Diagnostic]
    /// Names and types; run only when parsing found no error, as `fmpolicy validate` does.
    public let checkDiagnostics: [Diagnostic]
    public let lines: LineIndex

    init(workspace: EditorWorkspace, file: SourceFile, tree: SyntaxTree, layers: [PolicyLayer], schemaTree: SyntaxTree?,
         schema: CaseSchema?, policy: CheckedPolicy?, parseDiagnostics: [Diagnostic], checkDiagnostics: [Diagnostic]) {
        self.workspace = workspace; self.file = file; self.tree = tree; self.layers = layers; self.schemaTree = schemaTree
        self.schema = schema; self.policy = policy; self.parseDiagnostics = parseDiagnostics; self.checkDiagnostics = checkDiagnostics
        self.lines = LineIndex(file)
    }

    public var kind: Kind {
        switch tree.header?.kind {
        case .policy?: .policy
        case .schema?: .schema
        case nil: .unknown
        }
    }

    /// The semantic model (name lookup along the chain, types of expressions), built once.
    lazy var model = EditorModel(self)
}

/// One source of diagnostics for a document. The editor shows the union of the phases it
/// is given; a new analysis (a linter, say) is one more phase, with no change to the server.
public struct DiagnosticPhase: Sendable {
    public let name: String
    public let run: @Sendable (DocumentAnalysis) -> [Diagnostic]

    public init(name: String, run: @escaping @Sendable (DocumentAnalysis) -> [Diagnostic]) {
        self.name = name
        self.run = run
    }

    public static let parse = DiagnosticPhase(name: "parse") { $0.parseDiagnostics }
    public static let check = DiagnosticPhase(name: "check") { $0.checkDiagnostics }

    /// What `fmpolicy validate` reports.
    public static let standard: [DiagnosticPhase] = [.parse, .check]
}

extension DocumentAnalysis {
    /// The diagnostics of `phases` as the document shows them: its own, plus one error at the
    /// `extends` (or header) for each other file of the chain that has errors, with that
    /// file's errors as notes, so a broken base is visible where it is used.
    public func documentDiagnostics(phases: [DiagnosticPhase] = DiagnosticPhase.standard) -> [Diagnostic] {
        var own: [Diagnostic] = []
        var foreign: [String: [Diagnostic]] = [:]
        var foreignOrder: [String] = []
        var seen = Set<Diagnostic>()
        for phase in phases {
            for d in phase.run(self) where seen.insert(d).inserted {
                if d.file == nil || d.file === file || d.file?.path == file.path {
                    own.append(d)
                } else if d.isError, let path = d.file?.path {
                    if foreign[path] == nil { foreignOrder.append(path) }
                    foreign[path, default: []].append(d)
                }
            }
        }
        let anchor = tree.header?.extends?.span ?? tree.header?.name.span ?? Span(0, 0)
        for path in foreignOrder {
            let errors = foreign[path]!
            let first = errors[0]
            let name = (path as NSString).lastPathComponent
            let count = errors.count == 1 ? "an error" : "\(errors.count) errors"
            own.append(Diagnostic(.error, first.code, "`\(name)` has \(count): \(first.message)", file: file, span: anchor,
                                  notes: errors.map { DiagnosticNote($0.message, file: $0.file, span: $0.span) },
                                  help: "open `\(path)` to see \(errors.count == 1 ? "it" : "them")"))
        }
        return own.sortedByPosition()
    }
}
