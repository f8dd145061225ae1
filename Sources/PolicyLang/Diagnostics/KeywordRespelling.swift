/// Messages are written with English keywords in their code quotes (`override param …`).
/// For a file in another language, those words are respelled in the file's keywords, so
/// the author of a German policy reads `ersetze parameter …`, as in the file. Only words
/// between backticks are touched, outside double quotes; never a word after a `.` or
/// beside a `/` (a field, a part of a rule id, a path), and never a name the file itself
/// uses (`source` may be a name in a German file).
public enum KeywordRespelling {
    /// Each diagnostic (and note) in the keywords of the file it points at.
    public static func respell(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var cache: [ObjectIdentifier: Target?] = [:]
        func target(_ file: SourceFile?) -> Target? {
            guard let file else { return nil }
            if let known = cache[ObjectIdentifier(file)] { return known }
            let keywords = KeywordSet.detect(file)
            let t: Target? = keywords.language == KeywordSet.english.language ? nil : Target(file: file, keywords: keywords)
            cache[ObjectIdentifier(file)] = t
            return t
        }
        return diagnostics.map { d in
            let main = target(d.file)
            let notes = d.notes.map { n in
                target(n.file ?? d.file).map { DiagnosticNote($0.respell(n.message), file: n.file, span: n.span) } ?? n
            }
            guard let main else { return notes == d.notes ? d : Diagnostic(d.severity, d.code, d.message, file: d.file, span: d.span, notes: notes, help: d.help) }
            return Diagnostic(d.severity, d.code, main.respell(d.message), file: d.file, span: d.span, notes: notes,
                              help: d.help.map(main.respell))
        }
    }

    struct Target {
        let keywords: KeywordSet
        /// The identifiers of the file: they stay as they are.
        let names: Set<String>

        init(file: SourceFile, keywords: KeywordSet) {
            self.keywords = keywords
            names = Set(Lexer.tokenize(file, keywords: keywords).tokens.filter { $0.kind == .identifier }.map(\.text))
        }

        func respell(_ text: String) -> String {
            respell(text, from: .english, to: keywords, keeping: names)
        }

        func respell(_ text: String, from source: KeywordSet, to keywords: KeywordSet, keeping names: Set<String>) -> String {
            let chars = Array(text)
            var out = ""
            var inCode = false, inQuote = false
            var i = 0
            func isWordStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
            func isWordPart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
            while i < chars.count {
                let c = chars[i]
                if c == "`" { inCode.toggle(); inQuote = false; out.append(c); i += 1; continue }
                if inCode, c == "\"" { inQuote.toggle(); out.append(c); i += 1; continue }
                guard inCode, !inQuote, isWordStart(c), i == 0 || !isWordPart(chars[i - 1]) else { out.append(c); i += 1; continue }
                var end = i
                while end < chars.count, isWordPart(chars[end]) { end += 1 }
                let word = String(chars[i..<end])
                let before = i > 0 ? chars[i - 1] : " "
                let after = end < chars.count ? chars[end] : " "
                let attached = before == "." || before == "/" || after == "/" || (after == "." && end + 1 < chars.count && chars[end + 1] != ".")
                if !attached, !names.contains(word) {
                    if let k = source.keyword(word) {
                        out += keywords.spelling(k)
                    } else if let unit = source.singularUnits[word], Self.followsNumber(chars, i) {
                        out += keywords.singular(unit)
                    } else {
                        out += word
                    }
                } else {
                    out += word
                }
                i = end
            }
            return out
        }

        /// `1 month`: a singular unit right after a number.
        static func followsNumber(_ chars: [Character], _ i: Int) -> Bool {
            var j = i - 1
            while j >= 0, chars[j] == " " { j -= 1 }
            return j >= 0 && chars[j].isNumber
        }
    }
}
