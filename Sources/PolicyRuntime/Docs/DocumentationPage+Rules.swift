import PolicyLang

/// The rules, in the file's order and groups, each beside the source sentence it encodes.
extension DocumentationPage {
    // MARK: Rules

    /// The declarations of the documented file in groups: a blank line ends a group.
    func groups() -> [[Declaration]] {
        guard let own else { return [] }
        var groups: [[Declaration]] = []
        var previousEnd: Int?
        for d in own.tree.declarations {
            let start = d.leadingComments.first?.span.start ?? d.span.start
            if let previousEnd, !DocumentationPage.blankLine(in: own.tree.file, from: previousEnd, to: start), !groups.isEmpty {
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
        out += "<p class=\"hint\">In der Reihenfolge der Datei <code>\(DocumentationPage.esc(own?.fileName ?? DocumentationPage.fileName(policy.file)))</code>, gruppiert wie dort (eine Leerzeile trennt Gruppen). "
        out += "Über jeder Regel steht der Satz der Quelle, den sie umsetzt.</p>\n"
        guard let own else {
            for rule in policy.rules { ruleCard(rule: rule, declaration: declaration(of: rule), relation: .new, documentation: (rule.documentation, nil)) }
            out += "</section>\n"
            return
        }
        let allGroups = groups()
        for (g, group) in allGroups.enumerated() where group.contains(where: DocumentationPage.isRuleDeclaration) {
            out += "<div class=\"group\">\n"
            for d in group where DocumentationPage.isRuleDeclaration(d) {
                let doc = documentation(for: d, group: group, groupIndex: g, allGroups: allGroups)
                switch d.kind {
                case .rule(let r):
                    let rule = policy.rules.first { $0.id == r.id.text && $0.span == r.span }
                    var relation = BaselineRelation.new
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
        let used = Set(DocumentationPage.uses(of: rule, in: policy).map { policy.values[$0.index].name })
        let earlier = allGroups[..<groupIndex].reversed().flatMap { $0.reversed() } + group.prefix { $0.span.start < d.span.start }.reversed()
        for e in earlier {
            if DocumentationPage.isRuleDeclaration(e) { break }
            switch e.kind {
            case .parameter(let v), .definition(let v):
                if used.contains(v.name.text), !e.leadingComments.isEmpty {
                    let keyword = own.map { $0.tree.keywords.spelling(e.kind.keyword) } ?? e.kind.keyword.rawValue
                    return (e.leadingComments, "Der Kommentar steht über <code>\(DocumentationPage.esc(keyword)) \(DocumentationPage.esc(v.name.text))</code>, das die Regel verwendet.")
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
    mutating func ruleCard(rule: CheckedRule?, declaration: (DocumentedFile, Declaration, RuleDecl)?, relation: BaselineRelation,
                           documentation: ([Comment], String?), id explicitID: String? = nil, adoption: Declaration? = nil) {
        let id = explicitID ?? rule?.id ?? declaration?.2.id.text ?? ""
        let isRemoval: Bool = if case .removes = relation { true } else { false }
        let title = rule?.title ?? declaration?.2.title?.value ?? ""
        out += "<article class=\"rule\(isRemoval ? " removed" : "")\" id=\"\(DocumentationPage.esc(DocumentationPage.ruleAnchor(id)))\">\n"
        out += "<h3><code class=\"rule-id\">\(DocumentationPage.esc(id))</code> <span class=\"rule-title\">\(DocumentationPage.esc(title))</span></h3>\n"
        out += "<p class=\"badges\">"
        switch relation {
        case .new: out += "<span class=\"badge rel\">\(files.count > 1 ? "neu in \(DocumentationPage.esc(policy.id))" : "eigene Regel")</span>"
        case .overrides(let base, _, _): out += "<span class=\"badge rel override\">ersetzt \(DocumentationPage.esc(base.id))</span>"
        case .adopts(let base, _, _): out += "<span class=\"badge rel adopt\">übernommen aus \(DocumentationPage.esc(base.id))</span>"
        case .removes(let base, _, _): out += "<span class=\"badge rel remove\">entfernt aus \(DocumentationPage.esc(base.id))</span>"
        case .inherited(let base, _, _): out += "<span class=\"badge rel\">geerbt aus \(DocumentationPage.esc(base.id))</span>"
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
            out += DocumentationPage.commentBlock(comments, cls: "quelle")
            if let note { out += "<p class=\"note\">\(note)</p>\n" }
        } else if !isRemoval {
            out += "<p class=\"note missing-doc\">Kein Satz der Quelle über dieser Deklaration.</p>\n"
        }

        out += "<dl class=\"meta\">\n"
        if let rule {
            out += "<div><dt>Fundstelle</dt><dd>\(DocumentationPage.esc(rule.section)) <span class=\"muted\">(Befunde nennen: „\(DocumentationPage.esc(rule.source))“)</span></dd></div>\n"
        }
        if let (f, d, _) = declaration {
            let line = f.tree.file.location(of: d.span.start).line
            out += "<div><dt>Deklariert in</dt><dd><code>\(DocumentationPage.esc(f.fileName)):\(line)</code></dd></div>\n"
        }
        if let adoption, let f = own {
            let line = f.tree.file.location(of: adoption.span.start).line
            out += "<div><dt>\(isRemoval ? "Entfernt in" : "Übernommen in")</dt><dd><code>\(DocumentationPage.esc(f.fileName)):\(line)</code></dd></div>\n"
        }
        out += "</dl>\n"

        switch relation {
        case .overrides(let base, let d, _):
            out += "<p class=\"relation\">Ersetzt die Regel <code>\(DocumentationPage.esc(id))</code> der Grundlage <code>\(DocumentationPage.esc(base.id))</code>\(baseVersion(base)).</p>\n"
            out += "<details class=\"base\"><summary>Fassung der Grundlage (<code>\(DocumentationPage.esc(base.fileName)):\(base.tree.file.location(of: d.span.start).line)</code>)</summary>\n"
            out += codeBlock(base, d) + "</details>\n"
        case .adopts(let base, _, _):
            out += "<p class=\"relation\">Übernimmt die Regel <code>\(DocumentationPage.esc(id))</code> der Grundlage <code>\(DocumentationPage.esc(base.id))</code>\(baseVersion(base)) unverändert, zitiert aber das eigene Dokument"
            out += rule.map { ": „\(DocumentationPage.esc($0.section))“" } ?? ""
            out += ".</p>\n"
        case .removes(let base, _, _):
            out += "<p class=\"relation\">Entfernt die Regel <code>\(DocumentationPage.esc(id))</code> der Grundlage <code>\(DocumentationPage.esc(base.id))</code>\(baseVersion(base)): sie gilt in <code>\(DocumentationPage.esc(policy.id))</code> nicht.</p>\n"
        case .inherited(let base, _, _):
            out += "<p class=\"relation\">Gilt unverändert aus <code>\(DocumentationPage.esc(base.id))</code>\(baseVersion(base)) und zitiert deren Dokument.</p>\n"
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

    func baseVersion(_ base: DocumentedFile) -> String {
        guard let h = base.tree.header else { return "" }
        var s = " (\(DocumentationPage.esc(h.title?.value ?? base.id))"
        if let d = h.inForce { s += ", in Kraft seit \(DocumentationPage.esc(d.text))" }
        return s + ")"
    }

    /// The outcomes of a rule from its syntax: severity, condition or deadline, message.
    mutating func outcomes(_ r: RuleDecl, file: DocumentedFile) {
        let f = file.tree.file
        func text(_ span: Span) -> String { f.text(of: span) }
        func message(_ m: MessageSyntax?) -> String {
            guard let m else { return "" }
            var t = text(m.span)
            if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            return DocumentationPage.messageHTML(t)
        }
        func severity(_ s: SeveritySyntax) -> String {
            switch s {
            case .literal(let k, _): return "<span class=\"badge sev-\(DocumentationPage.esc(k.rawValue))\">\(DocumentationPage.esc(k.rawValue))</span>"
            case .expression(let e): return "berechnet: <code>\(DocumentationPage.esc(text(e.span)))</code>"
            }
        }
        out += "<h4>Ergebnisse</h4>\n<table class=\"outcomes\">\n<thead><tr><th>Schwere</th><th>wann</th><th>Meldung</th></tr></thead>\n<tbody>\n"
        if let g = r.guardCondition {
            out += "<tr class=\"guard\"><td>–</td><td>nur wenn <code>\(DocumentationPage.esc(text(g.span)))</code></td><td></td></tr>\n"
        }
        for o in r.outcomes {
            switch o {
            case .finding(let s, let condition, let due, let m, _):
                var when = condition.map { "wenn <code>\(DocumentationPage.esc(text($0.span)))</code>" } ?? "sonst immer"
                if let due { when += "<br>fällig <code>\(DocumentationPage.esc(text(due.span)))</code>" }
                out += "<tr><td>\(severity(s))</td><td>\(when)</td><td>\(message(m))</td></tr>\n"
            case .deadline(let due, let branches, _):
                for b in branches {
                    let label: String
                    switch b.kind {
                    case .overdue: label = "überfällig: Stichtag nach"
                    case .upcoming: label = "bald fällig: innerhalb des Horizonts vor"
                    case .missing: label = "Datum fehlt:"
                    }
                    out += "<tr><td>\(severity(b.severity))</td><td>Frist, \(label) <code>\(DocumentationPage.esc(text(due.span)))</code></td><td>\(message(b.message))</td></tr>\n"
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
        let uses = DocumentationPage.uses(of: rule, in: policy)
        guard !uses.isEmpty else { return }
        out += "<h4>Verwendet</h4>\n<table class=\"uses\">\n<thead><tr><th>Name</th><th>Art</th><th>Wert</th><th>aus</th></tr></thead>\n<tbody>\n"
        for use in uses {
            let v = policy.values[use.index]
            let kind = v.kind == .parameter ? "Parameter" : "Definition"
            var name = "<a href=\"#\(DocumentationPage.esc(valueAnchor(use.index)))\"><code>\(DocumentationPage.esc(v.name))</code></a>"
            if let via = use.via { name += " <span class=\"muted\">über <code>\(DocumentationPage.esc(policy.values[via].name))</code></span>" }
            let origin = v.definedIn + (v.isOverride ? " (überschrieben)" : "")
            out += "<tr\(use.via == nil ? "" : " class=\"indirect\"")><td>\(name)</td><td>\(kind)</td><td><code class=\"value\">\(DocumentationPage.esc(v.displayText))</code></td><td>\(DocumentationPage.esc(origin))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
    }
}

private extension Declaration.Kind {
    /// The keyword that starts a parameter or definition (for the notes about a comment's place).
    var keyword: Keyword { if case .definition = self { return .define }; return .param }
}
