/// L005: a rule that repeats another rule of the policy under a different id.
///
/// The same id twice is already an error of the checker: twice in one file is `E0302`,
/// and a rule of a base policy declared again without `override` is `E0305`. What the
/// checker accepts is a *new* id for the same thing, which gives two findings for one
/// situation. Of the rules of the merged policy (removed rules are gone, overridden ones
/// replaced), a rule declared in the linted file is reported when another rule of the same
/// kind (case or caseload) that comes before it
/// - fires in exactly the same cases: the same guard, and outcome by outcome the same
///   conditions and deadline dates with the same branches (severities and messages may
///   differ), or
/// - has the same title (ignoring case and surrounding spaces): findings and reports show
///   the title, so two rules with one title cannot be told apart.
enum DuplicateRules {
    static let code = "L005"

    static func check(_ subject: LintSubject) -> [Diagnostic] {
        guard let policy = subject.policy else { return [] }
        let rules = policy.rules.sorted { a, b in
            // Base files first, then by position: the later declaration is the duplicate.
            let (x, y) = (subject.isLinted(a.file), subject.isLinted(b.file))
            return x != y ? !x : a.span.start < b.span.start
        }
        let firing = rules.map { ExpressionKey(rule: $0, in: policy).firing(of: $0) }
        var out: [Diagnostic] = []
        for (j, rule) in rules.enumerated() where subject.isLinted(rule.file) {
            guard let decl = declaration(of: rule.id, in: subject.tree) else { continue }
            for (i, earlier) in rules[..<j].enumerated() where earlier.isCaseload == rule.isCaseload {
                let place = earlier.definedIn == rule.definedIn ? "" : " of `\(earlier.definedIn)`"
                let note = DiagnosticNote("`\(earlier.id)` is declared here", file: earlier.file, span: earlier.span)
                if firing[i] == firing[j] {
                    out.append(Diagnostic(.warning, code, "rule `\(rule.id)` fires in exactly the same cases as `\(earlier.id)`\(place)",
                                          file: subject.file, span: decl.id.span, notes: [note],
                                          help: place.isEmpty
                                            ? "join the two rules, or make their conditions differ"
                                            : "to replace it, write `override rule \(earlier.id)` (or `remove rule \(earlier.id)`); otherwise make the conditions differ"))
                    break
                }
                if normalized(earlier.title) == normalized(rule.title), !rule.title.isEmpty {
                    out.append(Diagnostic(.warning, code, "rule `\(rule.id)` has the same title as `\(earlier.id)`\(place): \"\(rule.title)\"",
                                          file: subject.file, span: decl.title?.span ?? decl.id.span, notes: [note],
                                          help: "findings and reports show the title; give each rule its own"))
                    break
                }
            }
        }
        return out
    }

    static func declaration(of id: String, in tree: SyntaxTree) -> RuleDecl? {
        for decl in tree.declarations { if case .rule(let r) = decl.kind, r.id.text == id { return r } }
        return nil
    }

    static func normalized(_ title: String) -> String {
        title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
