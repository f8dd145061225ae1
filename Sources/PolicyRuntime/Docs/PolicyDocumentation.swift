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
        var page = Page(policy: policy, layers: layers, schemaTree: schemaTree, comparison: comparison)
        return page.render()
    }
}

/// What the page needs to know about one file of the chain (or the schema).
private struct DocFile {
    let tree: SyntaxTree
    /// The policy id (`ba`) or the schema name (`case`).
    let id: String
    /// Position in the chain, the schema is -1.
    let level: Int
    var fileName: String { Page.fileName(tree.file) }
}

/// How a declaration of the documented file relates to the baseline.
private enum Relation {
    case new
    case overrides(base: DocFile, Declaration, RuleDecl)
    case adopts(base: DocFile, Declaration, RuleDecl)
    case removes(base: DocFile, Declaration, RuleDecl)
    case inherited(base: DocFile, Declaration, RuleDecl)
    case missingBase
}

private struct Page {
    let policy: CheckedPolicy
    let files: [DocFile]
    let own: DocFile?
    let schemaFile: DocFile?
    let comparison: PolicyComparison?
    /// Value name → index in `policy.values`.
    let valueIndex: [String: Int]
    /// For each value index: the rule ids that use it, directly or through definitions.
    var usedBy: [[String]] = []
    var out = ""

    init(policy: CheckedPolicy, layers: [PolicyLayer], schemaTree: SyntaxTree?, comparison: PolicyComparison?) {
        self.policy = policy
        self.files = layers.enumerated().map { DocFile(tree: $0.element.tree, id: $0.element.id, level: $0.offset) }
        self.own = files.last
        self.schemaFile = schemaTree.map { DocFile(tree: $0, id: policy.schema.name, level: -1) }
        self.comparison = comparison
        var index: [String: Int] = [:]
        for (i, v) in policy.values.enumerated() { index[v.name] = i }
        self.valueIndex = index
        var usedBy = [[String]](repeating: [], count: policy.values.count)
        for rule in policy.rules {
            for use in Page.uses(of: rule, in: policy) where !usedBy[use.index].contains(rule.id) { usedBy[use.index].append(rule.id) }
        }
        self.usedBy = usedBy
    }

    static func fileName(_ f: SourceFile) -> String { f.path.split(separator: "/").last.map(String.init) ?? f.path }

    static func esc(_ s: String) -> String { Markup.escape(s) }

    // MARK: Finding declarations

    func docFile(of file: SourceFile) -> DocFile? {
        if let schemaFile, schemaFile.tree.file === file { return schemaFile }
        return files.first { $0.tree.file === file }
    }

    /// The declaration of a checked rule, in whichever file of the chain it stands.
    func declaration(of rule: CheckedRule) -> (DocFile, Declaration, RuleDecl)? {
        guard let f = docFile(of: rule.file) else { return nil }
        for d in f.tree.declarations {
            if case .rule(let r) = d.kind, r.span == rule.span { return (f, d, r) }
        }
        return nil
    }

    /// The nearest declaration of rule `id` in a file before chain position `level`.
    func baseRule(_ id: String, before level: Int) -> (DocFile, Declaration, RuleDecl)? {
        for f in files[..<max(0, min(level, files.count))].reversed() {
            for d in f.tree.declarations.reversed() {
                if case .rule(let r) = d.kind, r.id.text == id { return (f, d, r) }
            }
        }
        return nil
    }

    func declaration(of value: CheckedValue) -> (DocFile, Declaration, ValueDecl)? {
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
    func baseValue(_ name: String, before level: Int) -> (DocFile, Declaration, ValueDecl)? {
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

    // MARK: The page

    mutating func render() -> String {
        let title = "\(policy.title.isEmpty ? policy.id : policy.title) – Policy \(policy.id)"
        out = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Page.esc(title))</title>
        <style>\(Page.css)</style>
        </head>
        <body>

        """
        header()
        toc()
        out += "<main>\n"
        introduction()
        rules()
        inherited()
        parameters()
        definitions()
        if let comparison { self.comparison(comparison) }
        out += "</main>\n<footer>\n<p>Erzeugt mit <code>fmpolicy doc \(Page.esc(policy.id))</code> aus "
        out += ([own].compactMap { $0 } + files.dropLast().reversed() + [schemaFile].compactMap { $0 }).map { "<code>\(Page.esc($0.fileName))</code>" }.joined(separator: ", ")
        out += ". Die Zitate der Quelle sind die <code>#</code>-Kommentare über den Deklarationen; maßgeblich bleibt das Dokument selbst.</p>\n</footer>\n</body>\n</html>\n"
        return out
    }

    mutating func header() {
        out += "<header>\n<h1>\(Page.esc(policy.title.isEmpty ? policy.id : policy.title))</h1>\n"
        out += "<p class=\"policy\">Policy <code>\(Page.esc(policy.id))</code>"
        if let base = policy.bases.first { out += " · erweitert <a href=\"#grundlage\"><code>\(Page.esc(base))</code></a>" }
        out += "</p>\n<dl class=\"facts\">\n"
        var facts: [(String, String)] = []
        if !policy.sourceDescription.isEmpty { facts.append(("Quelle", policy.sourceDescription)) }
        if !policy.document.isEmpty { facts.append(("Dokument", policy.document)) }
        facts.append(("Zitierweise", policy.citation.isEmpty ? "–" : policy.citation))
        facts.append(("In Kraft seit", policy.inForce?.description ?? "–"))
        facts.append(("Regeln", "\(policy.caseRules.count) je Fall, \(policy.caseloadRules.count) je Fallbestand"))
        facts.append(("Parameter", "\(policy.values.filter { $0.kind == .parameter }.count)"))
        for (k, v) in facts { out += "<div><dt>\(Page.esc(k))</dt><dd>\(Page.esc(v))</dd></div>\n" }
        out += "</dl>\n"
        if !policy.bases.isEmpty {
            out += "<ul class=\"chain\" id=\"grundlage\">\n"
            for baseID in policy.bases {
                guard let f = files.first(where: { $0.id == baseID }), let h = f.tree.header else {
                    out += "<li>erweitert <code>\(Page.esc(baseID))</code></li>\n"
                    continue
                }
                out += "<li>erweitert <code>\(Page.esc(baseID))</code>: \(Page.esc(h.title?.value ?? ""))"
                if let d = h.inForce { out += " (in Kraft seit \(Page.esc(d.text)))" }
                if let c = h.citation { out += ", zitiert als „\(Page.esc(c.value))“" }
                out += "</li>\n"
            }
            out += "</ul>\n"
        }
        out += "</header>\n"
    }

    mutating func toc() {
        out += "<nav class=\"toc\" aria-label=\"Inhalt\">\n<h2>Inhalt</h2>\n<ol>\n"
        out += "<li><a href=\"#regeln\">Regeln</a>\n<ol class=\"rules\">\n"
        for (id, label) in ownRuleEntries() {
            out += "<li><a href=\"#\(Page.esc(Page.ruleAnchor(id)))\"><code>\(Page.esc(id))</code></a> \(Page.esc(label))</li>\n"
        }
        out += "</ol></li>\n"
        if !inheritedRules().isEmpty { out += "<li><a href=\"#geerbt\">Unverändert geerbte Regeln</a></li>\n" }
        out += "<li><a href=\"#parameter\">Parameter</a></li>\n<li><a href=\"#definitionen\">Definitionen</a></li>\n"
        if comparison != nil { out += "<li><a href=\"#vergleich\">Vergleich der Jobcenter</a></li>\n" }
        out += "</ol>\n</nav>\n"
    }

    /// Rule ids of the documented file, in file order, with a short label.
    func ownRuleEntries() -> [(String, String)] {
        guard let own else { return policy.rules.map { ($0.id, $0.title) } }
        var entries: [(String, String)] = []
        for d in own.tree.declarations {
            switch d.kind {
            case .rule(let r): entries.append((r.id.text, (r.title?.value ?? "") + (d.isOverride ? " (ersetzt)" : "")))
            case .adoption(let a): entries.append((a.id.text, (policy.rules.first { $0.id == a.id.text }?.title ?? "") + " (übernommen)"))
            case .removal(let n): entries.append((n.text, "(entfernt)"))
            default: continue
            }
        }
        return entries
    }

    /// Rules of the policy that its own file does not mention: taken over unchanged.
    func inheritedRules() -> [CheckedRule] {
        guard let own else { return [] }
        let mentioned = Set(ownRuleEntries().map(\.0))
        return policy.rules.filter { !mentioned.contains($0.id) && !(docFile(of: $0.file).map { $0.tree.file === own.tree.file } ?? false) }
    }

    mutating func introduction() {
        guard let own, let header = own.tree.header else { return }
        let preamble = own.tree.comments.filter { $0.span.end <= header.span.start }
        guard !preamble.isEmpty else { return }
        out += "<section id=\"einleitung\">\n<h2>Zu dieser Policy</h2>\n" + Page.commentBlock(preamble, cls: "intro") + "</section>\n"
    }

    // MARK: Rules

    /// The declarations of the documented file in groups: a blank line ends a group.
    func groups() -> [[Declaration]] {
        guard let own else { return [] }
        var groups: [[Declaration]] = []
        var previousEnd: Int?
        for d in own.tree.declarations {
            let start = d.leadingComments.first?.span.start ?? d.span.start
            if let previousEnd, !Page.blankLine(in: own.tree.file, from: previousEnd, to: start), !groups.isEmpty {
                groups[groups.count - 1].append(d)
            } else {
                groups.append([d])
            }
            previousEnd = d.span.end
        }
        return groups
    }

    static func blankLine(in file: SourceFile, from: Int, to: Int) -> Bool {
        guard from < to else { return false }
        let lines = file.text(of: Span(from, to)).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 2 else { return false }
        return lines.dropFirst().dropLast().contains { $0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
    }

    static func isRuleDeclaration(_ d: Declaration) -> Bool {
        switch d.kind {
        case .rule, .adoption, .removal: true
        default: false
        }
    }

    mutating func rules() {
        out += "<section id=\"regeln\">\n<h2>Regeln</h2>\n"
        out += "<p class=\"hint\">In der Reihenfolge der Datei <code>\(Page.esc(own?.fileName ?? Page.fileName(policy.file)))</code>, gruppiert wie dort (eine Leerzeile trennt Gruppen). "
        out += "Über jeder Regel steht der Satz der Quelle, den sie umsetzt.</p>\n"
        guard let own else {
            for rule in policy.rules { ruleCard(rule: rule, declaration: declaration(of: rule), relation: .new, documentation: (rule.documentation, nil)) }
            out += "</section>\n"
            return
        }
        let allGroups = groups()
        for (g, group) in allGroups.enumerated() where group.contains(where: Page.isRuleDeclaration) {
            out += "<div class=\"group\">\n"
            for d in group where Page.isRuleDeclaration(d) {
                let doc = documentation(for: d, group: group, groupIndex: g, allGroups: allGroups)
                switch d.kind {
                case .rule(let r):
                    let rule = policy.rules.first { $0.id == r.id.text && $0.span == r.span }
                    var relation = Relation.new
                    if d.isOverride {
                        relation = baseRule(r.id.text, before: own.level).map { .overrides(base: $0.0, $0.1, $0.2) } ?? .missingBase
                    }
                    ruleCard(rule: rule, declaration: (own, d, r), relation: relation, documentation: doc, id: r.id.text)
                case .adoption(let a):
                    let rule = policy.rules.first { $0.id == a.id.text }
                    let base = rule.flatMap { declaration(of: $0) } ?? baseRule(a.id.text, before: own.level)
                    ruleCard(rule: rule, declaration: base, relation: base.map { .adopts(base: $0.0, $0.1, $0.2) } ?? .missingBase,
                             documentation: doc, id: a.id.text, adoption: d)
                case .removal(let n):
                    let base = baseRule(n.text, before: own.level)
                    ruleCard(rule: nil, declaration: base, relation: base.map { .removes(base: $0.0, $0.1, $0.2) } ?? .missingBase,
                             documentation: doc, id: n.text, adoption: d)
                default: break
                }
            }
            out += "</div>\n"
        }
        out += "</section>\n"
    }

    /// The source sentence of a declaration: its own comments; else those at the head of its
    /// group; else those above a parameter or definition it uses that stands right before it.
    func documentation(for d: Declaration, group: [Declaration], groupIndex: Int, allGroups: [[Declaration]]) -> ([Comment], String?) {
        if !d.leadingComments.isEmpty { return (d.leadingComments, nil) }
        if let head = group.first(where: { !$0.leadingComments.isEmpty }), head.span.start < d.span.start {
            return (head.leadingComments, "Der Kommentar steht über der Gruppe, zu der diese Deklaration gehört.")
        }
        guard case .rule(let r) = d.kind, let rule = policy.rules.first(where: { $0.id == r.id.text && $0.span == r.span }) else { return ([], nil) }
        let used = Set(Page.uses(of: rule, in: policy).map { policy.values[$0.index].name })
        let earlier = allGroups[..<groupIndex].reversed().flatMap { $0.reversed() } + group.prefix { $0.span.start < d.span.start }.reversed()
        for e in earlier {
            if Page.isRuleDeclaration(e) { break }
            switch e.kind {
            case .parameter(let v), .definition(let v):
                if used.contains(v.name.text), !e.leadingComments.isEmpty {
                    let keyword = own.map { $0.tree.keywords.spelling(e.kind.keyword) } ?? e.kind.keyword.rawValue
                    return (e.leadingComments, "Der Kommentar steht über <code>\(Page.esc(keyword)) \(Page.esc(v.name.text))</code>, das die Regel verwendet.")
                }
            default: continue
            }
        }
        return ([], nil)
    }

    mutating func inherited() {
        let rules = inheritedRules()
        guard !rules.isEmpty else { return }
        out += "<section id=\"geerbt\">\n<h2>Unverändert geerbte Regeln</h2>\n"
        out += "<p class=\"hint\">Regeln der Grundlage, die diese Datei weder übernimmt noch ersetzt oder entfernt: sie gelten, wie die Grundlage sie schreibt, und zitieren deren Dokument.</p>\n"
        out += "<div class=\"group\">\n"
        for rule in rules {
            let decl = declaration(of: rule)
            ruleCard(rule: rule, declaration: decl, relation: decl.map { .inherited(base: $0.0, $0.1, $0.2) } ?? .missingBase,
                     documentation: (rule.documentation, nil))
        }
        out += "</div>\n</section>\n"
    }

    /// One rule: heading, badges, source sentence, citation, outcomes, the rule as written,
    /// what it uses, and its relation to the baseline.
    mutating func ruleCard(rule: CheckedRule?, declaration: (DocFile, Declaration, RuleDecl)?, relation: Relation,
                           documentation: ([Comment], String?), id explicitID: String? = nil, adoption: Declaration? = nil) {
        let id = explicitID ?? rule?.id ?? declaration?.2.id.text ?? ""
        let isRemoval: Bool = if case .removes = relation { true } else { false }
        let title = rule?.title ?? declaration?.2.title?.value ?? ""
        out += "<article class=\"rule\(isRemoval ? " removed" : "")\" id=\"\(Page.esc(Page.ruleAnchor(id)))\">\n"
        out += "<h3><code class=\"rule-id\">\(Page.esc(id))</code> <span class=\"rule-title\">\(Page.esc(title))</span></h3>\n"
        out += "<p class=\"badges\">"
        switch relation {
        case .new: out += "<span class=\"badge rel\">\(files.count > 1 ? "neu in \(Page.esc(policy.id))" : "eigene Regel")</span>"
        case .overrides(let base, _, _): out += "<span class=\"badge rel override\">ersetzt \(Page.esc(base.id))</span>"
        case .adopts(let base, _, _): out += "<span class=\"badge rel adopt\">übernommen aus \(Page.esc(base.id))</span>"
        case .removes(let base, _, _): out += "<span class=\"badge rel remove\">entfernt aus \(Page.esc(base.id))</span>"
        case .inherited(let base, _, _): out += "<span class=\"badge rel\">geerbt aus \(Page.esc(base.id))</span>"
        case .missingBase: out += "<span class=\"badge rel\">Grundlage nicht gefunden</span>"
        }
        if let rule {
            if rule.isCaseload { out += " <span class=\"badge caseload\">je Fallbestand</span>" }
            for s in rule.possibleSeverities { out += " <span class=\"badge sev-\(s.rawValue)\">\(s.rawValue)</span>" }
        }
        out += "</p>\n"

        // The source sentence.
        let (comments, note) = documentation
        if !comments.isEmpty {
            out += Page.commentBlock(comments, cls: "quelle")
            if let note { out += "<p class=\"note\">\(note)</p>\n" }
        } else if !isRemoval {
            out += "<p class=\"note missing-doc\">Kein Satz der Quelle über dieser Deklaration.</p>\n"
        }

        out += "<dl class=\"meta\">\n"
        if let rule {
            out += "<div><dt>Fundstelle</dt><dd>\(Page.esc(rule.section)) <span class=\"muted\">(Befunde nennen: „\(Page.esc(rule.source))“)</span></dd></div>\n"
        }
        if let (f, d, _) = declaration {
            let line = f.tree.file.location(of: d.span.start).line
            out += "<div><dt>Deklariert in</dt><dd><code>\(Page.esc(f.fileName)):\(line)</code></dd></div>\n"
        }
        if let adoption, let f = own {
            let line = f.tree.file.location(of: adoption.span.start).line
            out += "<div><dt>\(isRemoval ? "Entfernt in" : "Übernommen in")</dt><dd><code>\(Page.esc(f.fileName)):\(line)</code></dd></div>\n"
        }
        out += "</dl>\n"

        switch relation {
        case .overrides(let base, let d, _):
            out += "<p class=\"relation\">Ersetzt die Regel <code>\(Page.esc(id))</code> der Grundlage <code>\(Page.esc(base.id))</code>\(baseVersion(base)).</p>\n"
            out += "<details class=\"base\"><summary>Fassung der Grundlage (<code>\(Page.esc(base.fileName)):\(base.tree.file.location(of: d.span.start).line)</code>)</summary>\n"
            out += codeBlock(base, d) + "</details>\n"
        case .adopts(let base, _, _):
            out += "<p class=\"relation\">Übernimmt die Regel <code>\(Page.esc(id))</code> der Grundlage <code>\(Page.esc(base.id))</code>\(baseVersion(base)) unverändert, zitiert aber das eigene Dokument"
            out += rule.map { ": „\(Page.esc($0.section))“" } ?? ""
            out += ".</p>\n"
        case .removes(let base, _, _):
            out += "<p class=\"relation\">Entfernt die Regel <code>\(Page.esc(id))</code> der Grundlage <code>\(Page.esc(base.id))</code>\(baseVersion(base)): sie gilt in <code>\(Page.esc(policy.id))</code> nicht.</p>\n"
        case .inherited(let base, _, _):
            out += "<p class=\"relation\">Gilt unverändert aus <code>\(Page.esc(base.id))</code>\(baseVersion(base)) und zitiert deren Dokument.</p>\n"
        case .new, .missingBase: break
        }

        if let (f, _, r) = declaration, !isRemoval { outcomes(r, file: f) }

        if let adoption, let f = own {
            out += "<h4>\(isRemoval ? "Entfernt mit" : "Übernommen mit")</h4>\n" + codeBlock(f, adoption)
        }
        if let (f, d, _) = declaration {
            switch relation {
            case .removes: out += "<details class=\"base\"><summary>Entfernte Fassung der Grundlage</summary>\n" + codeBlock(f, d) + "</details>\n"
            case .adopts, .inherited: out += "<h4>Die Regel, wie die Grundlage sie schreibt</h4>\n" + codeBlock(f, d)
            default: out += "<h4>Die Regel, wie sie geschrieben ist</h4>\n" + codeBlock(f, d)
            }
        }
        if let rule { usesTable(rule) }
        out += "</article>\n"
    }

    /// A value as written, with its dated values (`14 days from 2024-01-01 = 21 days`), on one line.
    static func valueText(_ file: SourceFile, _ v: ValueDecl) -> String {
        ([file.text(of: v.value.span)] + v.dated.map { "from \($0.from.text) = \(file.text(of: $0.value.span))" }).joined(separator: " ")
    }

    func baseVersion(_ base: DocFile) -> String {
        guard let h = base.tree.header else { return "" }
        var s = " (\(Page.esc(h.title?.value ?? base.id))"
        if let d = h.inForce { s += ", in Kraft seit \(Page.esc(d.text))" }
        return s + ")"
    }

    /// The outcomes of a rule from its syntax: severity, condition or deadline, message.
    mutating func outcomes(_ r: RuleDecl, file: DocFile) {
        let f = file.tree.file
        func text(_ span: Span) -> String { f.text(of: span) }
        func message(_ m: MessageSyntax?) -> String {
            guard let m else { return "" }
            var t = text(m.span)
            if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            return Page.messageHTML(t)
        }
        func severity(_ s: SeveritySyntax) -> String {
            switch s {
            case .literal(let k, _): return "<span class=\"badge sev-\(Page.esc(k.rawValue))\">\(Page.esc(k.rawValue))</span>"
            case .expression(let e): return "berechnet: <code>\(Page.esc(text(e.span)))</code>"
            }
        }
        out += "<h4>Ergebnisse</h4>\n<table class=\"outcomes\">\n<thead><tr><th>Schwere</th><th>wann</th><th>Meldung</th></tr></thead>\n<tbody>\n"
        if let g = r.guardCondition {
            out += "<tr class=\"guard\"><td>–</td><td>nur wenn <code>\(Page.esc(text(g.span)))</code></td><td></td></tr>\n"
        }
        for o in r.outcomes {
            switch o {
            case .finding(let s, let condition, let due, let m, _):
                var when = condition.map { "wenn <code>\(Page.esc(text($0.span)))</code>" } ?? "sonst immer"
                if let due { when += "<br>fällig <code>\(Page.esc(text(due.span)))</code>" }
                out += "<tr><td>\(severity(s))</td><td>\(when)</td><td>\(message(m))</td></tr>\n"
            case .deadline(let due, let branches, _):
                for b in branches {
                    let label: String
                    switch b.kind {
                    case .overdue: label = "überfällig: Stichtag nach"
                    case .upcoming: label = "bald fällig: innerhalb des Horizonts vor"
                    case .missing: label = "Datum fehlt:"
                    }
                    out += "<tr><td>\(severity(b.severity))</td><td>Frist, \(label) <code>\(Page.esc(text(due.span)))</code></td><td>\(message(b.message))</td></tr>\n"
                }
            }
        }
        out += "</tbody>\n</table>\n"
    }

    /// A message template with its `{holes}` marked.
    static func messageHTML(_ t: String) -> String {
        var out = "", hole = "", inHole = false, escaped = false
        for c in t {
            if inHole {
                if c == "}" { out += "<span class=\"hole\">{\(esc(hole))}</span>"; hole = ""; inHole = false } else { hole.append(c) }
                continue
            }
            if escaped { out += esc(String(c)); escaped = false; continue }
            if c == "\\" { out += "\\"; escaped = true; continue }
            if c == "{" { inHole = true; continue }
            out += esc(String(c))
        }
        if inHole { out += esc("{" + hole) }
        return out
    }

    mutating func usesTable(_ rule: CheckedRule) {
        let uses = Page.uses(of: rule, in: policy)
        guard !uses.isEmpty else { return }
        out += "<h4>Verwendet</h4>\n<table class=\"uses\">\n<thead><tr><th>Name</th><th>Art</th><th>Wert</th><th>aus</th></tr></thead>\n<tbody>\n"
        for use in uses {
            let v = policy.values[use.index]
            let kind = v.kind == .parameter ? "Parameter" : "Definition"
            var name = "<a href=\"#\(Page.esc(valueAnchor(use.index)))\"><code>\(Page.esc(v.name))</code></a>"
            if let via = use.via { name += " <span class=\"muted\">über <code>\(Page.esc(policy.values[via].name))</code></span>" }
            let origin = v.definedIn + (v.isOverride ? " (überschrieben)" : "")
            out += "<tr\(use.via == nil ? "" : " class=\"indirect\"")><td>\(name)</td><td>\(kind)</td><td><code class=\"value\">\(Page.esc(v.displayText))</code></td><td>\(Page.esc(origin))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
    }

    // MARK: Parameters and definitions

    mutating func parameters() {
        out += "<section id=\"parameter\">\n<h2>Parameter</h2>\n"
        out += "<p class=\"hint\">Feste Werte der Anweisung. Ein überschriebener Parameter zeigt daneben den Wert der Grundlage.</p>\n"
        out += "<div class=\"scroll\"><table class=\"params\">\n<thead><tr><th>Parameter</th><th>Wert</th><th>Wert der Grundlage</th><th>festgelegt in</th><th>Quelle</th><th>verwendet von</th></tr></thead>\n<tbody>\n"
        for (i, v) in policy.values.enumerated() where v.kind == .parameter {
            let decl = declaration(of: v)
            var base = "–"
            if v.isOverride, let f = decl?.0, let (bf, _, bv) = baseValue(v.name, before: f.level) {
                base = "<code class=\"value\">\(Page.esc(Page.valueText(bf.tree.file, bv)))</code> <span class=\"muted\">(\(Page.esc(bf.id)))</span>"
            }
            let line = decl.map { "<code>\(Page.esc($0.0.fileName)):\($0.0.tree.file.location(of: $0.1.span.start).line)</code>" } ?? Page.esc(v.definedIn)
            let comments = decl.map { valueComments($0.0, $0.1) } ?? []
            out += "<tr id=\"\(Page.esc(valueAnchor(i)))\"\(v.isOverride ? " class=\"overridden\"" : "")><td><code>\(Page.esc(v.name))</code></td>"
            out += "<td><code class=\"value\">\(Page.esc(v.displayText))</code></td><td>\(base)</td><td>\(line)\(v.isOverride ? " <span class=\"badge override\">override</span>" : "")</td>"
            out += "<td>\(comments.isEmpty ? "" : Page.commentText(comments))</td><td>\(ruleLinks(usedBy[i]))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
    }

    mutating func definitions() {
        out += "<section id=\"definitionen\">\n<h2>Definitionen</h2>\n"
        out += "<p class=\"hint\">Werte, die für jeden Fall berechnet werden, in der Reihenfolge der Dateien: Schema, Grundlage, diese Policy.</p>\n"
        for (i, v) in policy.values.enumerated() where v.kind == .definition {
            let decl = declaration(of: v)
            out += "<div class=\"definition\" id=\"\(Page.esc(valueAnchor(i)))\">\n"
            out += "<h3><code>\(Page.esc(v.name))</code> <span class=\"muted\">: \(Page.esc(v.type.description)) · \(Page.esc(v.definedIn))"
            if let (f, d, _) = decl { out += ", <code>\(Page.esc(f.fileName)):\(f.tree.file.location(of: d.span.start).line)</code>" }
            out += "</span>\(v.isOverride ? " <span class=\"badge override\">override</span>" : "")</h3>\n"
            if let (f, d, _) = decl {
                let comments = valueComments(f, d)
                if !comments.isEmpty { out += Page.commentBlock(comments, cls: "quelle") }
                out += codeBlock(f, d)
                if v.isOverride, let (bf, bd, _) = baseValue(v.name, before: f.level) {
                    out += "<details class=\"base\"><summary>Fassung der Grundlage (<code>\(Page.esc(bf.fileName)):\(bf.tree.file.location(of: bd.span.start).line)</code>)</summary>\n"
                    out += codeBlock(bf, bd) + "</details>\n"
                }
            } else {
                out += "<pre class=\"code\"><code>\(Page.esc(v.expression.sourceText))</code></pre>\n"
            }
            if !usedBy[i].isEmpty { out += "<p class=\"used\">verwendet von \(ruleLinks(usedBy[i]))</p>\n" }
            out += "</div>\n"
        }
        out += "</section>\n"
    }

    /// The comments above a value declaration, or above the head of its group.
    func valueComments(_ f: DocFile, _ d: Declaration) -> [Comment] {
        if !d.leadingComments.isEmpty { return d.leadingComments }
        var previous: Declaration?
        for e in f.tree.declarations {
            if e.span == d.span { break }
            previous = e
        }
        guard let previous, !Page.blankLine(in: f.tree.file, from: previous.span.end, to: d.span.start) else { return [] }
        switch previous.kind {
        case .parameter, .definition: return valueComments(f, previous)
        default: return []
        }
    }

    func ruleLinks(_ ids: [String]) -> String {
        let present = Set(policy.rules.map(\.id))
        return ids.map { id in
            present.contains(id) ? "<a href=\"#\(Page.esc(Page.ruleAnchor(id)))\"><code>\(Page.esc(id))</code></a>" : "<code>\(Page.esc(id))</code>"
        }.joined(separator: ", ")
    }

    // MARK: Comparison

    mutating func comparison(_ c: PolicyComparison) {
        let names = c.policies.map(\.id)
        let selfColumn = names.firstIndex(of: policy.id)
        func th(_ i: Int) -> String { "<th\(i == selfColumn ? " class=\"self\"" : "")><code>\(Page.esc(names[i]))</code></th>" }
        func td(_ i: Int, _ body: String) -> String { "<td\(i == selfColumn ? " class=\"self\"" : "")>\(body)</td>" }
        out += "<section id=\"vergleich\">\n<h2>Vergleich der Jobcenter</h2>\n"
        out += "<p class=\"hint\">Derselbe Inhalt wie <code>docs/comparison.md</code> (<code>fmpolicy diff \(Page.esc(names.joined(separator: " "))) --format markdown</code>).</p>\n"
        out += "<div class=\"scroll\"><table class=\"compare policies\">\n<thead><tr><th>Policy</th><th>Titel</th><th>Quelle</th><th>in Kraft</th></tr></thead>\n<tbody>\n"
        for (i, p) in c.policies.enumerated() {
            out += "<tr\(i == selfColumn ? " class=\"self\"" : "")><td><code>\(Page.esc(p.id))</code></td><td>\(Page.esc(p.title))</td>"
            out += "<td>\(Page.esc(p.document.isEmpty ? p.sourceDescription : p.document))</td><td>\(Page.esc(p.inForce?.description ?? "–"))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        out += "<h3>Regeln</h3>\n<p class=\"hint\">Je Zelle: die Fundstelle, die Schweregrade und die Parameter, von denen die Regel abhängt. –: die Policy hat die Regel nicht.</p>\n"
        out += "<div class=\"scroll\"><table class=\"compare\">\n<thead><tr><th>Regel</th>" + names.indices.map(th).joined() + "</tr></thead>\n<tbody>\n"
        let present = Set(policy.rules.map(\.id))
        for row in c.rows {
            let label = present.contains(row.rule) ? "<a href=\"#\(Page.esc(Page.ruleAnchor(row.rule)))\"><code>\(Page.esc(row.rule))</code></a>" : "<code>\(Page.esc(row.rule))</code>"
            out += "<tr><th scope=\"row\">\(label)</th>"
            for (i, v) in row.views.enumerated() {
                guard let v else { out += td(i, "<span class=\"muted\">–</span>"); continue }
                var parts = [Page.esc(v.source), Page.esc(v.severities + (v.isCaseload ? " (caseload)" : ""))]
                parts += v.parameters.keys.sorted().map { "<code>\(Page.esc($0)) = \(Page.esc(v.parameters[$0]!))</code>" }
                out += td(i, parts.joined(separator: "<br>"))
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        out += "<h3>Parameter</h3>\n<div class=\"scroll\"><table class=\"compare\">\n<thead><tr><th>Parameter</th>" + names.indices.map(th).joined() + "</tr></thead>\n<tbody>\n"
        var parameterNames: [String] = []
        for p in c.policies { for v in p.values where v.kind == .parameter && !parameterNames.contains(v.name) { parameterNames.append(v.name) } }
        for name in parameterNames {
            out += "<tr><th scope=\"row\"><code>\(Page.esc(name))</code></th>"
            for (i, p) in c.policies.enumerated() {
                let value = p.values.first { $0.name == name && $0.kind == .parameter }?.displayText
                out += td(i, value.map { "<code>\(Page.esc($0))</code>" } ?? "<span class=\"muted\">–</span>")
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
    }

    // MARK: Comments and code

    /// `# …` lines as paragraphs: the marks and indentation go, lines join, an empty
    /// comment line starts a new paragraph.
    static func paragraphs(_ comments: [Comment]) -> [String] {
        var paragraphs: [String] = []
        var current: [String] = []
        for c in comments {
            var t = Substring(c.text)
            while t.first == "#" { t = t.dropFirst() }
            let line = Page.trimmed(t)
            if line.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs
    }

    static func trimmed(_ s: Substring) -> String {
        var t = s
        while let c = t.first, c == " " || c == "\t" { t = t.dropFirst() }
        while let c = t.last, c == " " || c == "\t" || c == "\r" { t = t.dropLast() }
        return String(t)
    }

    static func commentBlock(_ comments: [Comment], cls: String) -> String {
        "<blockquote class=\"\(cls)\">" + paragraphs(comments).map { "<p>\(esc($0))</p>" }.joined() + "</blockquote>\n"
    }

    static func commentText(_ comments: [Comment]) -> String {
        paragraphs(comments).map(esc).joined(separator: "<br>")
    }

    /// The exact source text of a declaration, highlighted by what the syntax tree says each
    /// word is (so it works for any keyword language): keywords, names being declared, names
    /// used (linked to their parameter or definition), fields, strings, numbers, comments.
    func codeBlock(_ f: DocFile, _ d: Declaration) -> String {
        "<pre class=\"code\"><code>" + highlight(f.tree.file, d, keywords: f.tree.keywords) + "</code></pre>\n"
    }

    func highlight(_ file: SourceFile, _ d: Declaration, keywords: KeywordSet) -> String {
        var roles = SyntaxRoles()
        roles.collect(d)
        let lexed = Lexer.tokenize(file, range: d.span.start..<d.span.end, keywords: keywords)
        var segments: [(Span, String?, Bool)] = []   // span, class, is a word
        // Declared names (a rule id is several tokens) and durations (`6 months`) are one piece each.
        let wholes = roles.declared.map { ($0, "def") } + roles.literals.map { ($0, "num") }
        for (span, cls) in wholes { segments.append((span, cls, false)) }
        for t in lexed.tokens where !wholes.contains(where: { $0.0.start <= t.span.start && t.span.end <= $0.0.end }) {
            switch t.kind {
            case .endOfFile: continue
            case .string: segments.append((t.span, roles.messages.contains(t.span.start) ? "str msg" : "str", false))
            case .integer, .decimal, .dateLiteral: segments.append((t.span, "num", false))
            case .symbol: segments.append((t.span, nil, false))
            case .invalid: segments.append((t.span, nil, false))
            case .identifier, .keyword: segments.append((t.span, nil, true))
            }
        }
        for c in lexed.comments { segments.append((c.span, "com", false)) }
        segments.sort { $0.0.start < $1.0.start }
        var out = ""
        var position = d.span.start
        for (span, cls, isWord) in segments where span.start >= position {
            out += Page.esc(file.text(of: Span(position, span.start)))
            let text = file.text(of: span)
            if isWord {
                out += word(text, span, roles)
            } else if let cls {
                out += "<span class=\"\(cls)\">" + (cls.hasSuffix("msg") ? Page.messageHTML(text) : Page.esc(text)) + "</span>"
            } else {
                out += Page.esc(text)
            }
            position = span.end
        }
        out += Page.esc(file.text(of: Span(position, d.span.end)))
        return out
    }

    func word(_ text: String, _ span: Span, _ roles: SyntaxRoles) -> String {
        let e = Page.esc(text)
        if let s = roles.severities[span.start] { return "<span class=\"sev sev-\(s)\">\(e)</span>" }
        if roles.fields.contains(span.start) { return "<span class=\"fld\">\(e)</span>" }
        if roles.types.contains(span.start) { return "<span class=\"typ\">\(e)</span>" }
        if roles.names.contains(span.start) {
            if !roles.binders.contains(text), let i = valueIndex[text] {
                return "<a class=\"ref\" href=\"#\(Page.esc(valueAnchor(i)))\">\(e)</a>"
            }
            return "<span class=\"id\">\(e)</span>"
        }
        return "<span class=\"kw\">\(e)</span>"
    }

    static let css = """

    :root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --bg: #f5f7fa; --error: #b3261e; --warning: #a85f00; --info: #2f6db5; --code: #f3f5f8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
    header { background: #1f3b57; color: #fff; padding: 20px 24px 16px; }
    header h1 { margin: 0 0 4px; font-size: 24px; }
    header .policy { margin: 0 0 12px; color: #d6e2ee; }
    header a { color: #fff; }
    header code { background: rgba(255,255,255,0.12); color: #fff; }
    dl.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
    dl.facts dt { font-size: 12px; color: #b8c9da; }
    dl.facts dd { margin: 0; font-size: 15px; font-weight: 600; }
    ul.chain { margin: 12px 0 0; padding-left: 18px; color: #d6e2ee; font-size: 13px; }
    nav.toc { background: #fff; border-bottom: 1px solid var(--line); padding: 8px 24px 12px; font-size: 14px; }
    nav.toc h2 { font-size: 15px; margin: 4px 0; }
    nav.toc ol { margin: 0; padding-left: 20px; }
    nav.toc ol.rules { columns: 2 340px; }
    main { padding: 8px 24px 24px; max-width: 1180px; }
    section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 16px; margin: 16px 0; }
    h2 { font-size: 19px; margin: 4px 0 8px; }
    h3 { font-size: 16px; margin: 4px 0 6px; }
    h4 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
    .hint, .muted, .note { color: var(--muted); }
    .hint { margin: 0 0 10px; font-size: 13px; }
    .note { font-size: 12px; margin: -4px 0 8px; }
    .missing-doc { color: var(--warning); }
    .group { border-left: 3px solid #c7d3e0; padding-left: 12px; margin: 18px 0; }
    article.rule { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 10px 0; background: #fff; }
    article.rule.removed { background: #f7f7f7; }
    article.rule.removed .rule-id { text-decoration: line-through; }
    article.rule:target, tr:target, div.definition:target { outline: 2px solid #f0b429; }
    .rule-id { font-size: 15px; }
    .badges { margin: 0 0 8px; }
    .badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; background: #eceff2; color: var(--ink); }
    .badge.sev-error { background: var(--error); color: #fff; }
    .badge.sev-warning { background: #f6d58e; color: #4d2f00; }
    .badge.sev-info { background: #d9e7f7; color: #1d4f8a; }
    .badge.override, .badge.rel.override { background: #efe1f7; color: #5b2a7a; }
    .badge.adopt { background: #e3f1e6; color: #22653a; }
    .badge.remove { background: #fbe3e1; color: var(--error); }
    .badge.caseload { background: #fff1d6; color: #6b4a00; }
    blockquote { margin: 6px 0 10px; padding: 6px 12px; border-left: 4px solid #8fb8e0; background: #f2f7fc; }
    blockquote p { margin: 0 0 4px; }
    blockquote.intro { border-left-color: var(--line); background: #fafbfc; }
    dl.meta { display: flex; flex-wrap: wrap; gap: 2px 24px; margin: 0 0 6px; font-size: 13px; }
    dl.meta dt { color: var(--muted); }
    dl.meta dd { margin: 0; }
    .relation { font-size: 14px; margin: 6px 0; }
    code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; background: var(--code); padding: 0 3px; border-radius: 3px; }
    pre.code { background: var(--code); border: 1px solid #e3e8ee; border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 4px 0 8px; }
    pre.code code { background: none; padding: 0; font-size: 13px; line-height: 1.45; }
    .kw { color: #7a2e8e; font-weight: 600; }
    .def { color: #0b5c8c; font-weight: 700; }
    .id { color: #1d2733; }
    a.ref { color: #0b5c8c; text-decoration: underline dotted; }
    .fld { color: #375a1f; }
    .typ { color: #8a4b08; }
    .str { color: #a0410d; }
    .num { color: #0a6e62; }
    .com { color: #6a737d; font-style: italic; }
    .sev { font-weight: 700; }
    .sev-error { color: var(--error); }
    .sev-warning { color: var(--warning); }
    .sev-info { color: var(--info); }
    .hole { background: #fff1c2; border-radius: 3px; }
    details.base { margin: 6px 0; }
    details.base summary { cursor: pointer; color: var(--muted); font-size: 13px; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 8px; }
    th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
    thead th { background: #eef2f6; font-weight: 600; }
    tr.indirect td { color: var(--muted); }
    tr.overridden td:first-child { border-left: 3px solid #9b59b6; }
    code.value { white-space: pre-wrap; }
    table.params code.value, table.uses td:nth-child(2) { white-space: nowrap; }
    td.self, th.self, tr.self td { background: #fffbe6; }
    .definition { border-top: 1px solid var(--line); padding: 8px 0; }
    footer { padding: 0 24px 24px; color: var(--muted); font-size: 12px; max-width: 1180px; }
    @media print { body { background: #fff; } section, article.rule { break-inside: avoid; } nav.toc { display: none; } header { color: #000; background: none; } header code { color: #000; } }

    """
}

/// What each word of a declaration is, from its syntax tree.
private struct SyntaxRoles {
    /// Names being declared (rule ids, parameter and definition names): whole spans, since a
    /// rule id is several tokens.
    var declared: [Span] = []
    /// Duration and boolean literals, whose unit or word would otherwise read as a keyword.
    var literals: [Span] = []
    /// Span starts of names used in expressions, of fields after a dot, and of type names.
    var names = Set<Int>()
    var fields = Set<Int>()
    var types = Set<Int>()
    /// Variables of list operations; never links, even when a parameter has the same name.
    var binders = Set<String>()
    /// Severity keywords of outcomes: span start → severity.
    var severities: [Int: String] = [:]
    /// Span starts of message strings.
    var messages = Set<Int>()

    mutating func collect(_ d: Declaration) {
        switch d.kind {
        case .enumeration(let e):
            declared.append(e.name.span)
            for c in e.cases { names.insert(c.span.start) }
        case .record(let r):
            declared.append(r.name.span)
            for f in r.fields { declared.append(f.name.span); type(f.type) }
        case .parameter(let v), .definition(let v):
            declared.append(v.name.span)
            if let t = v.type { type(t) }
            expr(v.value)
            for dated in v.dated { expr(dated.value) }
        case .rule(let r):
            declared.append(r.id.span)
            if let g = r.guardCondition { expr(g) }
            for o in r.outcomes {
                switch o {
                case .finding(let s, let c, let due, let m, _):
                    severity(s)
                    if let c { expr(c) }
                    if let due { expr(due) }
                    if let m { messages.insert(m.span.start) }
                case .deadline(let due, let branches, _):
                    expr(due)
                    for b in branches {
                        severity(b.severity)
                        if let m = b.message { messages.insert(m.span.start) }
                    }
                }
            }
        case .removal(let n): declared.append(n.span)
        case .adoption(let a): declared.append(a.id.span)
        }
    }

    mutating func severity(_ s: SeveritySyntax) {
        switch s {
        case .literal(let k, let span): severities[span.start] = k.rawValue
        case .expression(let e): expr(e)
        }
    }

    mutating func type(_ t: TypeSyntax) {
        switch t {
        case .named(let n): types.insert(n.span.start)
        case .list(let inner, _), .set(let inner, _), .optional(let inner, _): type(inner)
        case .missing: break
        }
    }

    mutating func expr(_ e: Expr) {
        switch e {
        case .name(let n): names.insert(n.span.start)
        case .integer, .decimal, .string, .date, .missing: break
        case .bool(_, let s), .duration(_, _, let s): literals.append(s)
        case .severity(let k, let s): severities[s.start] = k.rawValue
        case .setLiteral(let xs, _): xs.forEach { expr($0) }
        case .field(let base, let n): expr(base); fields.insert(n.span.start)
        case .call(let n, let args, _): names.insert(n.span.start); args.forEach { expr($0) }
        case .unary(_, let a, _), .isTest(let a, _, _), .paren(let a, _): expr(a)
        case .binary(_, let a, let b, _), .range(let a, let b, _): expr(a); expr(b)
        case .conditional(let a, let b, let c, _): expr(a); expr(b); expr(c)
        case .listOperation(_, let binder, let list, let condition, let key, _):
            if let binder { binders.insert(binder.text); names.insert(binder.span.start) }
            expr(list)
            if let condition { expr(condition) }
            if let key { expr(key) }
        }
    }
}

private extension Declaration.Kind {
    /// The keyword that starts a parameter or definition (for the notes about a comment's place).
    var keyword: Keyword { if case .definition = self { return .define }; return .param }
}
