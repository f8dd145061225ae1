import PolicyLang

/// `fmpolicy doc`: a policy as one self-contained HTML page for the people who write and
/// review it. The file is read top to bottom as its author grouped it; each rule shows the
/// sentence of the source it encodes (the `#` lines above it), its citation, its outcomes,
/// the rule as written (lightly highlighted), the parameters and definitions it uses with
/// their values, and what it does to the baseline (new, override, adopt, remove). Then every
/// parameter with its base value, every definition, and the jobcenters side by side.
///
/// A pure function of the checked policy and its syntax trees: no scripts, no external
/// files, no timestamp, file names without their folders, so the same policy gives the same
/// bytes wherever it is run. Every text from a policy is escaped.
public enum PolicyDocumentation {
    /// - Parameters:
    ///   - policy: the checked policy.
    ///   - layers: the parsed files of its `extends` chain, root first (`PolicyLibrary.Loaded.layers`).
    ///   - schemaTree: the parsed schema, for the schema's own definitions (may be nil).
    ///   - comparison: the jobcenters side by side (`docs/comparison.md`); nil leaves the section out.
    public static func html(policy: CheckedPolicy, layers: [PolicyLayer], schemaTree: SyntaxTree?, comparison: PolicyComparison?) -> String {
        var page = DocumentationPage(policy: policy, layers: layers, schemaTree: schemaTree, comparison: comparison)
        return page.render()
    }
}

/// What the page needs to know about one file of the chain (or the schema).
struct DocumentedFile {
    let tree: SyntaxTree
    /// The policy id (`ba`) or the schema name (`case`).
    let id: String
    /// Position in the chain, the schema is -1.
    let level: Int
    var fileName: String { DocumentationPage.fileName(tree.file) }
}

/// How a declaration of the documented file relates to the baseline.
enum BaselineRelation {
    case new
    case overrides(base: DocumentedFile, Declaration, RuleDecl)
    case adopts(base: DocumentedFile, Declaration, RuleDecl)
    case removes(base: DocumentedFile, Declaration, RuleDecl)
    case inherited(base: DocumentedFile, Declaration, RuleDecl)
    case missingBase
}

struct DocumentationPage {
    let policy: CheckedPolicy
    let files: [DocumentedFile]
    let own: DocumentedFile?
    let schemaFile: DocumentedFile?
    let comparison: PolicyComparison?
    /// Value name → index in `policy.values`.
    let valueIndex: [String: Int]
    /// For each value index: the rule ids that use it, directly or through definitions.
    var usedBy: [[String]] = []
    var out = ""

    init(policy: CheckedPolicy, layers: [PolicyLayer], schemaTree: SyntaxTree?, comparison: PolicyComparison?) {
        self.policy = policy
        self.files = layers.enumerated().map { DocumentedFile(tree: $0.element.tree, id: $0.element.id, level: $0.offset) }
        self.own = files.last
        self.schemaFile = schemaTree.map { DocumentedFile(tree: $0, id: policy.schema.name, level: -1) }
        self.comparison = comparison
        var index: [String: Int] = [:]
        for (i, v) in policy.values.enumerated() { index[v.name] = i }
        self.valueIndex = index
        var usedBy = [[String]](repeating: [], count: policy.values.count)
        for rule in policy.rules {
            for use in DocumentationPage.uses(of: rule, in: policy) where !usedBy[use.index].contains(rule.id) { usedBy[use.index].append(rule.id) }
        }
        self.usedBy = usedBy
    }

    static func fileName(_ f: SourceFile) -> String { f.path.split(separator: "/").last.map(String.init) ?? f.path }

    static func esc(_ s: String) -> String { Markup.escape(s) }

    // MARK: Finding declarations

    func docFile(of file: SourceFile) -> DocumentedFile? {
        if let schemaFile, schemaFile.tree.file === file { return schemaFile }
        return files.first { $0.tree.file === file }
    }

    /// The declaration of a checked rule, in whichever file of the chain it stands.
    func declaration(of rule: CheckedRule) -> (DocumentedFile, Declaration, RuleDecl)? {
        guard let f = docFile(of: rule.file) else { return nil }
        for d in f.tree.declarations {
            if case .rule(let r) = d.kind, r.span == rule.span { return (f, d, r) }
        }
        return nil
    }

    /// The nearest declaration of rule `id` in a file before chain position `level`.
    func baseRule(_ id: String, before level: Int) -> (DocumentedFile, Declaration, RuleDecl)? {
        for f in files[..<max(0, min(level, files.count))].reversed() {
            for d in f.tree.declarations.reversed() {
                if case .rule(let r) = d.kind, r.id.text == id { return (f, d, r) }
            }
        }
        return nil
    }

    func declaration(of value: CheckedValue) -> (DocumentedFile, Declaration, ValueDecl)? {
        guard let f = docFile(of: value.file) else { return nil }
        for d in f.tree.declarations where d.span == value.span {
            switch d.kind {
            case .parameter(let v), .definition(let v): return (f, d, v)
            default: continue
            }
        }
        return nil
    }

    /// The declaration a `override param/define` replaced: the nearest one of that name in
    /// an earlier file of the chain, or in the schema.
    func baseValue(_ name: String, before level: Int) -> (DocumentedFile, Declaration, ValueDecl)? {
        var candidates = Array(files[..<max(0, min(level, files.count))].reversed())
        if let schemaFile { candidates.append(schemaFile) }
        for f in candidates {
            for d in f.tree.declarations.reversed() {
                switch d.kind {
                case .parameter(let v), .definition(let v): if v.name.text == name { return (f, d, v) }
                default: continue
                }
            }
        }
        return nil
    }

    // MARK: What a rule uses

    struct Use { let index: Int; let via: Int? }

    /// The parameters and definitions a rule uses: first those it names itself, in the order
    /// they appear in the rule, then those reached through definitions (with the first
    /// definition named by the rule that leads to them).
    static func uses(of rule: CheckedRule, in policy: CheckedPolicy) -> [Use] {
        var direct: [(Int, Int)] = []   // (index, first position)
        var seen = Set<Int>()
        func walk(_ e: CheckedExpr, _ body: (Int, CheckedExpr) -> Void) {
            switch e.kind {
            case .value(let i), .caseValue(_, let i): body(i, e)
            default: break
            }
            e.forEachChild { walk($0, body) }
        }
        for e in rule.expressions {
            walk(e) { i, node in
                if seen.insert(i).inserted { direct.append((i, node.span.start)) }
                else if let k = direct.firstIndex(where: { $0.0 == i }), node.span.start < direct[k].1 { direct[k].1 = node.span.start }
            }
        }
        direct.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var result = direct.map { Use(index: $0.0, via: nil) }
        var queue = result.map { ($0.index, $0.index) }   // (value, the direct use it came from)
        var head = 0
        while head < queue.count {
            let (i, root) = queue[head]
            head += 1
            walk(policy.values[i].expression) { j, _ in
                if seen.insert(j).inserted {
                    result.append(Use(index: j, via: root))
                    queue.append((j, root))
                }
            }
        }
        return result
    }

    func valueAnchor(_ i: Int) -> String {
        let v = policy.values[i]
        return Markup.anchor(v.kind == .parameter ? "param" : "def", v.name)
    }

    static func ruleAnchor(_ id: String) -> String { Markup.anchor("regel", id) }
}
