/// L001: a `param` or `define` of the linted file that nothing reads.
///
/// A declaration is used when some rule (guard, condition, date, computed severity, message
/// hole, caseload count) or some definition reads it, in the linted policy or in a policy
/// that extends it and is known to this run (`LintSubject.extenders`). Overrides bind
/// late, so a base parameter read only by an extension's `override define` is used; an
/// `override param` that no rule of its policy reads is not. One step only: a definition
/// read only by another unused definition counts as used, and shows up once the other is
/// removed.
enum UnusedDeclarations {
    static let code = "L001"

    struct Place: Hashable {
        let path: String
        let offset: Int
    }

    static func check(_ subject: LintSubject) -> [Diagnostic] {
        var used = Set<Place>()
        for view in subject.views {
            var stack: [CheckedExpr] = view.rules.flatMap(\.expressions) + view.values.map(\.expression)
            if let key = view.caseloadKey { stack.append(key) }
            while let e = stack.popLast() {
                switch e.kind {
                case .value(let i), .caseValue(_, let i):
                    let v = view.values[i]
                    used.insert(Place(path: LintPath.normalized(v.file.path), offset: v.span.start))
                default: break
                }
                e.forEachChild { stack.append($0) }
            }
        }
        let path = LintPath.normalized(subject.file.path)
        let readers = subject.extenders.map(\.id).sorted()
        var out: [Diagnostic] = []
        for decl in subject.tree.declarations {
            let value: ValueDecl, what: String
            switch decl.kind {
            case .parameter(let v): value = v; what = "parameter"
            case .definition(let v): value = v; what = "definition"
            default: continue
            }
            guard !value.name.text.isEmpty, !used.contains(Place(path: path, offset: decl.span.start)) else { continue }
            let scope: String
            if subject.isSchema {
                scope = readers.isEmpty ? "no known policy uses this schema" : "no rule or definition of \(Linter.list(readers)) reads it"
            } else if readers.isEmpty {
                scope = "no rule, definition or message of this policy reads it, and no known policy extends it"
            } else {
                scope = "no rule, definition or message of this policy or of \(Linter.list(readers)), which \(readers.count == 1 ? "extends" : "extend") it, reads it"
            }
            out.append(Diagnostic(.warning, code, "\(what) `\(value.name.text)` is never used", file: subject.file, span: value.name.span,
                                  help: "\(scope); remove it, or use it where it was meant to be used"))
        }
        return out
    }
}
