import PolicyLang

/// The page around the sections: header, contents, the file's opening comment.
extension DocumentationPage {
    // MARK: The page

    mutating func render() -> String {
        let title = "\(policy.title.isEmpty ? policy.id : policy.title) – Policy \(policy.id)"
        out = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(DocumentationPage.esc(title))</title>
        <style>\(DocumentationPage.css)</style>
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
        out += "</main>\n<footer>\n<p>Erzeugt mit <code>fmpolicy doc \(DocumentationPage.esc(policy.id))</code> aus "
        out += ([own].compactMap { $0 } + files.dropLast().reversed() + [schemaFile].compactMap { $0 }).map { "<code>\(DocumentationPage.esc($0.fileName))</code>" }.joined(separator: ", ")
        out += ". Die Zitate der Quelle sind die <code>#</code>-Kommentare über den Deklarationen; maßgeblich bleibt das Dokument selbst.</p>\n</footer>\n</body>\n</html>\n"
        return out
    }

    mutating func header() {
        out += "<header>\n<h1>\(DocumentationPage.esc(policy.title.isEmpty ? policy.id : policy.title))</h1>\n"
        out += "<p class=\"policy\">Policy <code>\(DocumentationPage.esc(policy.id))</code>"
        if let base = policy.bases.first { out += " · erweitert <a href=\"#grundlage\"><code>\(DocumentationPage.esc(base))</code></a>" }
        out += "</p>\n<dl class=\"facts\">\n"
        var facts: [(String, String)] = []
        if !policy.sourceDescription.isEmpty { facts.append(("Quelle", policy.sourceDescription)) }
        if !policy.document.isEmpty { facts.append(("Dokument", policy.document)) }
        facts.append(("Zitierweise", policy.citation.isEmpty ? "–" : policy.citation))
        facts.append(("In Kraft seit", policy.inForce?.description ?? "–"))
        facts.append(("Regeln", "\(policy.caseRules.count) je Fall, \(policy.caseloadRules.count) je Fallbestand"))
        facts.append(("Parameter", "\(policy.values.filter { $0.kind == .parameter }.count)"))
        for (k, v) in facts { out += "<div><dt>\(DocumentationPage.esc(k))</dt><dd>\(DocumentationPage.esc(v))</dd></div>\n" }
        out += "</dl>\n"
        if !policy.bases.isEmpty {
            out += "<ul class=\"chain\" id=\"grundlage\">\n"
            for baseID in policy.bases {
                guard let f = files.first(where: { $0.id == baseID }), let h = f.tree.header else {
                    out += "<li>erweitert <code>\(DocumentationPage.esc(baseID))</code></li>\n"
                    continue
                }
                out += "<li>erweitert <code>\(DocumentationPage.esc(baseID))</code>: \(DocumentationPage.esc(h.title?.value ?? ""))"
                if let d = h.inForce { out += " (in Kraft seit \(DocumentationPage.esc(d.text)))" }
                if let c = h.citation { out += ", zitiert als „\(DocumentationPage.esc(c.value))“" }
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
            out += "<li><a href=\"#\(DocumentationPage.esc(DocumentationPage.ruleAnchor(id)))\"><code>\(DocumentationPage.esc(id))</code></a> \(DocumentationPage.esc(label))</li>\n"
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
        out += "<section id=\"einleitung\">\n<h2>Zu dieser Policy</h2>\n" + DocumentationPage.commentBlock(preamble, cls: "intro") + "</section>\n"
    }
}
