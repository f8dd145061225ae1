import Foundation

/// What the linter looks at for one file: its syntax tree, the policy it makes with its
/// `extends` chain merged, and the policies known to extend it. A schema file is linted
/// too; it has no policy of its own, only the policies that read cases with it.
public struct LintSubject: Sendable {
    /// The linted file.
    public let tree: SyntaxTree
    /// The linted policy with its chain merged; nil for a schema.
    public let policy: CheckedPolicy?
    /// The policy's chain, root first and the linted file last; empty for a schema.
    public let layers: [PolicyLayer]
    public let schemaTree: SyntaxTree
    /// Policies (checked, chains merged) whose chain contains the linted file, apart from
    /// the linted policy itself.
    public let extenders: [CheckedPolicy]

    public init(tree: SyntaxTree, policy: CheckedPolicy?, layers: [PolicyLayer], schemaTree: SyntaxTree, extenders: [CheckedPolicy]) {
        self.tree = tree; self.policy = policy; self.layers = layers; self.schemaTree = schemaTree; self.extenders = extenders
    }

    /// Builds a subject from parsed files: `layers` is the linted chain (root first), or
    /// empty to lint `schemaTree` itself; each of `extenderChains` is a whole chain that
    /// contains the linted file. Nil, with the errors, when the schema or the chain has any.
    public static func make(schemaTree: SyntaxTree, layers: [PolicyLayer], extenderChains: [[PolicyLayer]] = []) -> (LintSubject?, [Diagnostic]) {
        var builder = SchemaBuilder()
        guard let schema = builder.build(schemaTree), !builder.diagnostics.hasErrors else { return (nil, builder.diagnostics) }
        var policy: CheckedPolicy?
        var diagnostics: [Diagnostic] = []
        if !layers.isEmpty {
            let (checked, found) = PolicyChecker.check(schema: schema, schemaTree: schemaTree, layers: layers)
            diagnostics = found
            guard let checked, !found.hasErrors else { return (nil, found) }
            policy = checked
        }
        let extenders = extenderChains.compactMap { PolicyChecker.check(schema: schema, schemaTree: schemaTree, layers: $0).0 }
        return (LintSubject(tree: layers.last?.tree ?? schemaTree, policy: policy, layers: layers,
                            schemaTree: schemaTree, extenders: extenders), diagnostics)
    }

    public var file: SourceFile { tree.file }
    var isSchema: Bool { tree.header?.kind == .schema }

    /// The merged policies the linted file's declarations take part in.
    var views: [CheckedPolicy] { (policy.map { [$0] } ?? []) + extenders }

    /// Whether `file` is the linted file (the same path, however it was spelt).
    func isLinted(_ other: SourceFile) -> Bool {
        other === tree.file || LintPath.normalized(other.path) == LintPath.normalized(tree.file.path)
    }
}

/// One path per file, so a file reached as `policies/ba.fm` and as `./policies/ba.fm` is one.
public enum LintPath {
    public static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// The lints: each looks for one kind of mistake the checker accepts, and reports it as a
/// warning with a stable code (`L001` …) and a help line. docs/language.md lists them.
public enum Linter {
    public struct Lint: Sendable {
        public let code: String
        public let summary: String
        let run: @Sendable (LintSubject) -> [Diagnostic]
    }

    public static let lints: [Lint] = [
        Lint(code: UnusedDeclarations.code, summary: "a parameter or definition that nothing uses", run: UnusedDeclarations.check),
        Lint(code: NeedlessOverrides.code, summary: "an override that changes nothing", run: NeedlessOverrides.check),
        Lint(code: ImpossibleConditions.code, summary: "a condition that can never be true", run: ImpossibleConditions.check),
        Lint(code: OutlineCitations.code, summary: "a citation of a section the document's outline does not have", run: OutlineCitations.check),
        Lint(code: DuplicateRules.code, summary: "a rule that repeats another rule's title or conditions", run: DuplicateRules.check),
    ]

    /// Every lint's warnings for `subject`, in file order, each once.
    public static func run(_ subject: LintSubject) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        // In the keywords of the file each warning points at, as the checker's errors are.
        return KeywordRespelling.respell(lints.flatMap { $0.run(subject) }.filter { seen.insert($0).inserted }).sortedByPosition()
    }

    /// A piece of source for a message: on one line, and cut if long.
    static func quote(_ text: String, limit: Int = 60) -> String {
        let oneLine = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit - 1)) + "…"
    }

    /// `a`, `b` and `c`
    static func list(_ names: [String]) -> String {
        let quoted = names.map { "`\($0)`" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
    }
}
