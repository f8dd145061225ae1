import PolicyLang

/// Every parameter and definition with its value and base value, and the jobcenters side by side.
extension DocumentationPage {
    // MARK: Parameters and definitions

    mutating func parameters() {
        out += "<section id=\"parameter\">\n<h2>Parameter</h2>\n"
        out += "<p class=\"hint\">Feste Werte der Anweisung. Ein überschriebener Parameter zeigt daneben den Wert der Grundlage.</p>\n"
        out += "<div class=\"scroll\"><table class=\"params\">\n<thead><tr><th>Parameter</th><th>Wert</th><th>Wert der Grundlage</th><th>festgelegt in</th><th>Quelle</th><th>verwendet von</th></tr></thead>\n<tbody>\n"
        for (i, v) in policy.values.enumerated() where v.kind == .parameter {
            let decl = declaration(of: v)
            var base = "–"
            if v.isOverride, let f = decl?.0, let (bf, _, bv) = baseValue(v.name, before: f.level) {
                base = "<code class=\"value\">\(DocumentationPage.esc(DocumentationPage.valueText(bf.tree.file, bv)))</code> <span class=\"muted\">(\(DocumentationPage.esc(bf.id)))</span>"
            }
            let line = decl.map { "<code>\(DocumentationPage.esc($0.0.fileName)):\($0.0.tree.file.location(of: $0.1.span.start).line)</code>" } ?? DocumentationPage.esc(v.definedIn)
            let comments = decl.map { valueComments($0.0, $0.1) } ?? []
            out += "<tr id=\"\(DocumentationPage.esc(valueAnchor(i)))\"\(v.isOverride ? " class=\"overridden\"" : "")><td><code>\(DocumentationPage.esc(v.name))</code></td>"
            out += "<td><code class=\"value\">\(DocumentationPage.esc(v.displayText))</code></td><td>\(base)</td><td>\(line)\(v.isOverride ? " <span class=\"badge override\">override</span>" : "")</td>"
            out += "<td>\(comments.isEmpty ? "" : DocumentationPage.commentText(comments))</td><td>\(ruleLinks(usedBy[i]))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
    }

    mutating func definitions() {
        out += "<section id=\"definitionen\">\n<h2>Definitionen</h2>\n"
        out += "<p class=\"hint\">Werte, die für jeden Fall berechnet werden, in der Reihenfolge der Dateien: Schema, Grundlage, diese Policy.</p>\n"
        for (i, v) in policy.values.enumerated() where v.kind == .definition {
            let decl = declaration(of: v)
            out += "<div class=\"definition\" id=\"\(DocumentationPage.esc(valueAnchor(i)))\">\n"
            out += "<h3><code>\(DocumentationPage.esc(v.name))</code> <span class=\"muted\">: \(DocumentationPage.esc(v.type.description)) · \(DocumentationPage.esc(v.definedIn))"
            if let (f, d, _) = decl { out += ", <code>\(DocumentationPage.esc(f.fileName)):\(f.tree.file.location(of: d.span.start).line)</code>" }
            out += "</span>\(v.isOverride ? " <span class=\"badge override\">override</span>" : "")</h3>\n"
            if let (f, d, _) = decl {
                let comments = valueComments(f, d)
                if !comments.isEmpty { out += DocumentationPage.commentBlock(comments, cls: "quelle") }
                out += codeBlock(f, d)
                if v.isOverride, let (bf, bd, _) = baseValue(v.name, before: f.level) {
                    out += "<details class=\"base\"><summary>Fassung der Grundlage (<code>\(DocumentationPage.esc(bf.fileName)):\(bf.tree.file.location(of: bd.span.start).line)</code>)</summary>\n"
                    out += codeBlock(bf, bd) + "</details>\n"
                }
            } else {
                out += "<pre class=\"code\"><code>\(DocumentationPage.esc(v.expression.sourceText))</code></pre>\n"
            }
            if !usedBy[i].isEmpty { out += "<p class=\"used\">verwendet von \(ruleLinks(usedBy[i]))</p>\n" }
            out += "</div>\n"
        }
        out += "</section>\n"
    }

    /// The comments above a value declaration, or above the head of its group.
    func valueComments(_ f: DocumentedFile, _ d: Declaration) -> [Comment] {
        if !d.leadingComments.isEmpty { return d.leadingComments }
        var previous: Declaration?
        for e in f.tree.declarations {
            if e.span == d.span { break }
            previous = e
        }
        guard let previous, !DocumentationPage.blankLine(in: f.tree.file, from: previous.span.end, to: d.span.start) else { return [] }
        switch previous.kind {
        case .parameter, .definition: return valueComments(f, previous)
        default: return []
        }
    }

    func ruleLinks(_ ids: [String]) -> String {
        let present = Set(policy.rules.map(\.id))
        return ids.map { id in
            present.contains(id) ? "<a href=\"#\(DocumentationPage.esc(DocumentationPage.ruleAnchor(id)))\"><code>\(DocumentationPage.esc(id))</code></a>" : "<code>\(DocumentationPage.esc(id))</code>"
        }.joined(separator: ", ")
    }

    // MARK: Comparison

    mutating func comparison(_ c: PolicyComparison) {
        let names = c.policies.map(\.id)
        let selfColumn = names.firstIndex(of: policy.id)
        func th(_ i: Int) -> String { "<th\(i == selfColumn ? " class=\"self\"" : "")><code>\(DocumentationPage.esc(names[i]))</code></th>" }
        func td(_ i: Int, _ body: String) -> String { "<td\(i == selfColumn ? " class=\"self\"" : "")>\(body)</td>" }
        out += "<section id=\"vergleich\">\n<h2>Vergleich der Jobcenter</h2>\n"
        out += "<p class=\"hint\">Derselbe Inhalt wie <code>docs/comparison.md</code> (<code>fmpolicy diff \(DocumentationPage.esc(names.joined(separator: " "))) --format markdown</code>).</p>\n"
        out += "<div class=\"scroll\"><table class=\"compare policies\">\n<thead><tr><th>Policy</th><th>Titel</th><th>Quelle</th><th>in Kraft</th></tr></thead>\n<tbody>\n"
        for (i, p) in c.policies.enumerated() {
            out += "<tr\(i == selfColumn ? " class=\"self\"" : "")><td><code>\(DocumentationPage.esc(p.id))</code></td><td>\(DocumentationPage.esc(p.title))</td>"
            out += "<td>\(DocumentationPage.esc(p.document.isEmpty ? p.sourceDescription : p.document))</td><td>\(DocumentationPage.esc(p.inForce?.description ?? "–"))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        out += "<h3>Regeln</h3>\n<p class=\"hint\">Je Zelle: die Fundstelle, die Schweregrade und die Parameter, von denen die Regel abhängt. –: die Policy hat die Regel nicht.</p>\n"
        out += "<div class=\"scroll\"><table class=\"compare\">\n<thead><tr><th>Regel</th>" + names.indices.map(th).joined() + "</tr></thead>\n<tbody>\n"
        let present = Set(policy.rules.map(\.id))
        for row in c.rows {
            let label = present.contains(row.rule) ? "<a href=\"#\(DocumentationPage.esc(DocumentationPage.ruleAnchor(row.rule)))\"><code>\(DocumentationPage.esc(row.rule))</code></a>" : "<code>\(DocumentationPage.esc(row.rule))</code>"
            out += "<tr><th scope=\"row\">\(label)</th>"
            for (i, v) in row.views.enumerated() {
                guard let v else { out += td(i, "<span class=\"muted\">–</span>"); continue }
                var parts = [DocumentationPage.esc(v.source), DocumentationPage.esc(v.severities + (v.isCaseload ? " (caseload)" : ""))]
                parts += v.parameters.keys.sorted().map { "<code>\(DocumentationPage.esc($0)) = \(DocumentationPage.esc(v.parameters[$0]!))</code>" }
                out += td(i, parts.joined(separator: "<br>"))
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        out += "<h3>Parameter</h3>\n<div class=\"scroll\"><table class=\"compare\">\n<thead><tr><th>Parameter</th>" + names.indices.map(th).joined() + "</tr></thead>\n<tbody>\n"
        var parameterNames: [String] = []
        for p in c.policies { for v in p.values where v.kind == .parameter && !parameterNames.contains(v.name) { parameterNames.append(v.name) } }
        for name in parameterNames {
            out += "<tr><th scope=\"row\"><code>\(DocumentationPage.esc(name))</code></th>"
            for (i, p) in c.policies.enumerated() {
                let value = p.values.first { $0.name == name && $0.kind == .parameter }?.displayText
                out += td(i, value.map { "<code>\(DocumentationPage.esc($0))</code>" } ?? "<span class=\"muted\">–</span>")
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
    }
}
