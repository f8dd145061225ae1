/// Converting a file to other keywords (`fmpolicy fmt --keywords de`) cannot keep a name
/// that is a keyword there: `define wahr = …` would become `definiere wahr = …`, and a
/// bare `wahr` would silently turn into the constant. Such names are found before anything
/// is converted. Words after the first dot of a rule id may be keywords and are allowed.
enum KeywordCollisions {
    static func find(_ tree: SyntaxTree, target: KeywordSet) -> [Diagnostic] {
        var ruleIDs: [Span] = []
        for decl in tree.declarations {
            switch decl.kind {
            case .rule(let r): ruleIDs.append(r.id.span)
            case .adoption(let a): ruleIDs.append(a.id.span)
            case .removal(let id): ruleIDs.append(id.span)
            default: break
            }
        }
        let language = target.language == "de" ? "German" : target.language == "en" ? "English" : "`\(target.language)`"
        return Lexer.tokenize(tree.file, keywords: tree.keywords).tokens.compactMap { token in
            guard token.kind == .identifier, let k = target.keyword(token.text),
                  !ruleIDs.contains(where: { $0.start < token.span.start && token.span.end <= $0.end }) else { return nil }
            return Diagnostic(.error, "E0101", "`\(token.text)` is the keyword `\(k.rawValue)` in \(language), so this name cannot be converted",
                              file: tree.file, span: token.span, help: "rename it first, or keep the file's keywords")
        }
    }
}
