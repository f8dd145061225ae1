extension KeywordSet {
    /// `code`, written in `source`'s keywords, with its keywords in this set's spelling
    /// (`5 jahre` → `5 years`). Everything else is kept byte for byte: names, numbers,
    /// strings, spacing. Tables that put values of several policies side by side (`fmpolicy
    /// diff`, docs/comparison.md) show them in English this way, whatever each file's language.
    public func respelled(_ code: String, from source: KeywordSet) -> String {
        guard source.language != language else { return code }
        let file = SourceFile(path: "", text: code)
        let tokens = Lexer.tokenize(file, keywords: source).tokens
        var out = ""
        var last = 0
        for (i, t) in tokens.enumerated() {
            let replacement: String?
            switch t.kind {
            case .keyword(let k): replacement = spelling(k)
            case .identifier:
                // `1 monat` → `1 month`: a singular unit after a number.
                let afterNumber = i > 0 && tokens[i - 1].kind == .integer
                replacement = afterNumber ? source.singularUnits[t.text].map(singular) : nil
            default: replacement = nil
            }
            guard let replacement else { continue }
            out += file.text(of: Span(last, t.span.start)) + replacement
            last = t.span.end
        }
        return out + file.text(of: Span(last, file.bytes.count))
    }
}
