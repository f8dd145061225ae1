import PolicyLang

/// What each word of a declaration is, from its syntax tree.
struct SyntaxRoles {
    /// Names being declared (rule ids, parameter and definition names): whole spans, since a
    /// rule id is several tokens.
    var declared: [Span] = []
    /// Duration and boolean literals, whose unit or word would otherwise read as a keyword.
    var literals: [Span] = []
    /// Span starts of names used in expressions, of fields after a dot, and of type names.
    var names = Set<Int>()
    var fields = Set<Int>()
    var types = Set<Int>()
    /// Variables of list operations; never links, even when a parameter has the same name.
    var binders = Set<String>()
    /// Severity keywords of outcomes: span start → severity.
    var severities: [Int: String] = [:]
    /// Span starts of message strings.
    var messages = Set<Int>()

    mutating func collect(_ d: Declaration) {
        switch d.kind {
        case .enumeration(let e):
            declared.append(e.name.span)
            for c in e.cases { names.insert(c.span.start) }
        case .record(let r):
            declared.append(r.name.span)
            for f in r.fields { declared.append(f.name.span); type(f.type) }
        case .parameter(let v), .definition(let v):
            declared.append(v.name.span)
            if let t = v.type { type(t) }
            expr(v.value)
            for dated in v.dated { expr(dated.value) }
        case .rule(let r):
            declared.append(r.id.span)
            if let g = r.guardCondition { expr(g) }
            for o in r.outcomes {
                switch o {
                case .finding(let s, let c, let due, let m, _):
                    severity(s)
                    if let c { expr(c) }
                    if let due { expr(due) }
                    if let m { messages.insert(m.span.start) }
                case .deadline(let due, let branches, _):
                    expr(due)
                    for b in branches {
                        severity(b.severity)
                        if let m = b.message { messages.insert(m.span.start) }
                    }
                }
            }
        case .removal(let n): declared.append(n.span)
        case .adoption(let a): declared.append(a.id.span)
        }
    }

    mutating func severity(_ s: SeveritySyntax) {
        switch s {
        case .literal(let k, let span): severities[span.start] = k.rawValue
        case .expression(let e): expr(e)
        }
    }

    mutating func type(_ t: TypeSyntax) {
        switch t {
        case .named(let n): types.insert(n.span.start)
        case .list(let inner, _), .set(let inner, _), .optional(let inner, _): type(inner)
        case .missing: break
        }
    }

    mutating func expr(_ e: Expr) {
        switch e {
        case .name(let n): names.insert(n.span.start)
        case .integer, .decimal, .string, .date, .missing: break
        case .bool(_, let s), .duration(_, _, let s): literals.append(s)
        case .severity(let k, let s): severities[s.start] = k.rawValue
        case .setLiteral(let xs, _): xs.forEach { expr($0) }
        case .field(let base, let n): expr(base); fields.insert(n.span.start)
        case .call(let n, let args, _): names.insert(n.span.start); args.forEach { expr($0) }
        case .unary(_, let a, _), .isTest(let a, _, _), .paren(let a, _): expr(a)
        case .binary(_, let a, let b, _), .range(let a, let b, _): expr(a); expr(b)
        case .conditional(let a, let b, let c, _): expr(a); expr(b); expr(c)
        case .listOperation(_, let binder, let list, let condition, let key, _):
            if let binder { binders.insert(binder.text); names.insert(binder.span.start) }
            expr(list)
            if let condition { expr(condition) }
            if let key { expr(key) }
        }
    }
}
