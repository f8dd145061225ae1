/// L002: an `override` that changes nothing.
///
/// The inherited declaration is the one the chain *without* the linted file ends with.
/// Both are compared as checked expressions (`ExpressionKey`), so spans, comments,
/// parentheses and the spelling of enum values do not matter, but `24 months` and
/// `2 years` differ (messages write them differently). An overridden rule that only
/// repeats the inherited rule's logic (guard, outcomes, severities, dates, messages) with
/// another title or section is still reported: `adopt rule` says that, and says it is the
/// same rule.
enum NeedlessOverrides {
    static let code = "L002"

    static func check(_ subject: LintSubject) -> [Diagnostic] {
        guard let policy = subject.policy, subject.layers.count >= 2 else { return [] }
        let overrides = subject.tree.declarations.filter(\.isOverride)
        guard !overrides.isEmpty else { return [] }
        let (inheritedPolicy, _) = PolicyChecker.check(schema: policy.schema, schemaTree: subject.schemaTree, layers: Array(subject.layers.dropLast()))
        guard let inherited = inheritedPolicy else { return [] }
        var out: [Diagnostic] = []
        for decl in overrides {
            switch decl.kind {
            case .parameter(let v), .definition(let v):
                guard let mine = policy.values.first(where: { $0.name == v.name.text && subject.isLinted($0.file) }),
                      let theirs = inherited.values.first(where: { $0.name == v.name.text }) else { continue }
                guard ExpressionKey(policy).key(mine.expression) == ExpressionKey(inherited).key(theirs.expression) else { continue }
                let keyword = mine.kind == .parameter ? "param" : "define"
                out.append(Diagnostic(.warning, code, "`override \(keyword) \(v.name.text)` gives the value it already has",
                                      file: subject.file, span: v.name.span,
                                      notes: [DiagnosticNote("inherited from `\(theirs.definedIn)`", file: theirs.file, span: theirs.span)],
                                      help: "remove the override; `\(v.name.text)` is `\(Linter.quote(theirs.expression.sourceText))` in `\(theirs.definedIn)` too"))
            case .rule(let r):
                guard let mine = policy.rules.first(where: { $0.id == r.id.text && subject.isLinted($0.file) }),
                      let theirs = inherited.rules.first(where: { $0.id == r.id.text }) else { continue }
                guard ExpressionKey(rule: mine, in: policy).behaviour(of: mine) == ExpressionKey(rule: theirs, in: inherited).behaviour(of: theirs) else { continue }
                let title = mine.title == theirs.title ? "" : " \"\(mine.title)\""
                out.append(Diagnostic(.warning, code, "`override rule \(r.id.text)` repeats the inherited rule unchanged",
                                      file: subject.file, span: r.id.span,
                                      notes: [DiagnosticNote("inherited from `\(theirs.definedIn)`", file: theirs.file, span: theirs.span)],
                                      help: "write `adopt rule \(r.id.text)\(title) cites \"\(mine.section)\"`: the same findings, and a reader sees that nothing changed"))
            default: continue
            }
        }
        return out
    }
}
