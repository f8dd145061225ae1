import PolicyLang

/// Comments as paragraphs and declarations as lightly highlighted code.
extension DocumentationPage {
    // MARK: Comments and code

    /// `# …` lines as paragraphs: the marks and indentation go, lines join, an empty
    /// comment line starts a new paragraph.
    static func paragraphs(_ comments: [Comment]) -> [String] {
        var paragraphs: [String] = []
        var current: [String] = []
        for c in comments {
            var t = Substring(c.text)
            while t.first == "#" { t = t.dropFirst() }
            let line = DocumentationPage.trimmed(t)
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
    func codeBlock(_ f: DocumentedFile, _ d: Declaration) -> String {
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
            out += DocumentationPage.esc(file.text(of: Span(position, span.start)))
            let text = file.text(of: span)
            if isWord {
                out += word(text, span, roles)
            } else if let cls {
                out += "<span class=\"\(cls)\">" + (cls.hasSuffix("msg") ? DocumentationPage.messageHTML(text) : DocumentationPage.esc(text)) + "</span>"
            } else {
                out += DocumentationPage.esc(text)
            }
            position = span.end
        }
        out += DocumentationPage.esc(file.text(of: Span(position, d.span.end)))
        return out
    }

    func word(_ text: String, _ span: Span, _ roles: SyntaxRoles) -> String {
        let e = DocumentationPage.esc(text)
        if let s = roles.severities[span.start] { return "<span class=\"sev sev-\(s)\">\(e)</span>" }
        if roles.fields.contains(span.start) { return "<span class=\"fld\">\(e)</span>" }
        if roles.types.contains(span.start) { return "<span class=\"typ\">\(e)</span>" }
        if roles.names.contains(span.start) {
            if !roles.binders.contains(text), let i = valueIndex[text] {
                return "<a class=\"ref\" href=\"#\(DocumentationPage.esc(valueAnchor(i)))\">\(e)</a>"
            }
            return "<span class=\"id\">\(e)</span>"
        }
        return "<span class=\"kw\">\(e)</span>"
    }
}
