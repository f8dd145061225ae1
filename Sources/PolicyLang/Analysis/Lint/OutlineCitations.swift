/// L004: a `cites` that names a section the document does not have.
///
/// Only for a policy whose header declares the document's outline
/// (`outline "§1", "§2", "§3"`). Each `cites` of a rule declared in the file, and of each
/// `adopt rule`, must begin with an outline entry: the citation equals the entry, or goes
/// on after it with a character that is not a letter, a digit or a dot. So `"§3 Abs. 2"`,
/// `"§3, Satz 1"` and `"III.2 (a)"` match the entries `§3` and `III.2`, while `"§30"`,
/// `"§3a"` and `"IV.4"` do not match `§3` or `IV`. Inherited rules cite their own
/// policy's document and are checked when that policy is linted.
enum OutlineCitations {
    static let code = "L004"

    static func check(_ subject: LintSubject) -> [Diagnostic] {
        guard let header = subject.tree.header, let outline = header.outline, !outline.isEmpty else { return [] }
        let entries = outline.map(\.value)
        let document = header.document.map { "`\($0.value)`" } ?? "the document"
        let outlineSpan = outline[0].span.through(outline[outline.count - 1].span)
        var out: [Diagnostic] = []
        for decl in subject.tree.declarations {
            let cites: StringLiteral?
            switch decl.kind {
            case .rule(let r): cites = r.cites
            case .adoption(let a): cites = a.cites
            default: continue
            }
            guard let cites, !entries.contains(where: { matches(citation: cites.value, entry: $0) }) else { continue }
            // A near miss in spelling only (`§ 3` for `§3`); a different number is no typo to guess at.
            let squeezed = cites.value.filter { !$0.isWhitespace }
            let help = entries.first(where: { matches(citation: squeezed, entry: $0.filter { !$0.isWhitespace }) }).map { "did you mean `\($0)`?" }
                ?? "the outline has \(entries.prefix(12).map { "`\($0)`" }.joined(separator: ", "))\(entries.count > 12 ? ", …" : ""); add the section there if the document has it"
            out.append(Diagnostic(.warning, code, "`\(cites.value)` is not a section of \(document)", file: subject.file, span: cites.span,
                                  notes: [DiagnosticNote("the document's outline", file: subject.file, span: outlineSpan)], help: help))
        }
        return out
    }

    /// Whether a citation names the outline entry or a part of it (`§3 Abs. 2` of `§3`).
    static func matches(citation: String, entry: String) -> Bool {
        guard !entry.isEmpty, citation.hasPrefix(entry) else { return false }
        guard let next = citation.dropFirst(entry.count).first else { return true }
        return !(next.isLetter || next.isNumber || next == ".")
    }
}
