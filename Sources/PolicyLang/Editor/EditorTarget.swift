/// What the cursor is on: the thing a name refers to, the name's span, and whether this
/// is the place the thing is declared (so that "go to definition" on an `override` can
/// jump to what it overrides).
struct EditorTarget {
    let resolved: Resolved
    let span: Span
    let isDeclaration: Bool
}

/// A place in a file, for "go to definition".
public struct EditorLocation: Sendable, Equatable {
    public let file: SourceFile
    public let span: Span
    public init(file: SourceFile, span: Span) { self.file = file; self.span = span }
}

extension DocumentAnalysis {
    /// The name (or keyword) at byte `offset`; a cursor right after a name is still on it.
    func target(at offset: Int) -> EditorTarget? {
        let m = model
        let hit = { (span: Span) -> Bool in span.end > span.start && span.start <= offset && offset <= span.end }

        if let h = tree.header {
            if hit(h.name.span) { return EditorTarget(resolved: .policy(tree), span: h.name.span, isDeclaration: true) }
            if let e = h.extends, hit(e.span) {
                guard let base = layers.first(where: { $0.id == e.text && $0.tree.file !== file }) else { return nil }
                return EditorTarget(resolved: .policy(base.tree), span: e.span, isDeclaration: false)
            }
            if let s = h.schema, hit(s.span), let schemaTree { return EditorTarget(resolved: .policy(schemaTree), span: s.span, isDeclaration: false) }
            if let r = h.root, hit(r.span), let record = schema?.records[r.text] {
                return EditorTarget(resolved: .recordType(record), span: r.span, isDeclaration: false)
            }
            if let key = h.caseloadKey, let found = expressionTarget(in: { visit in m.walk(key, EditorScope(), expected: nil, visit) }, hit) {
                return found
            }
        }
        for decl in tree.declarations where decl.span.start <= offset && offset <= decl.span.end {
            if let found = declarationTarget(decl, hit) { return found }
            if let found = expressionTarget(in: { visit in m.walk(decl, visit) }, hit) { return found }
        }
        return nil
    }

    private func declarationTarget(_ decl: Declaration, _ hit: (Span) -> Bool) -> EditorTarget? {
        let m = model
        switch decl.kind {
        case .parameter(let v), .definition(let v):
            if hit(v.name.span), let sites = m.valueSites[v.name.text] {
                return EditorTarget(resolved: .value(sites), span: v.name.span, isDeclaration: true)
            }
            if let t = v.type { return typeTarget(t, hit) }
        case .rule(let r):
            if hit(r.id.span), let sites = m.ruleSites[r.id.text] { return EditorTarget(resolved: .rule(sites), span: r.id.span, isDeclaration: true) }
        case .adoption(let a):
            if hit(a.id.span), let sites = m.ruleSites[a.id.text] { return EditorTarget(resolved: .rule(sites), span: a.id.span, isDeclaration: true) }
        case .removal(let n):
            if hit(n.span), let sites = m.ruleSites[n.text] { return EditorTarget(resolved: .rule(sites), span: n.span, isDeclaration: true) }
        case .enumeration(let e):
            guard let type = schema?.enums[e.name.text] else { return nil }
            if hit(e.name.span) { return EditorTarget(resolved: .enumType(type), span: e.name.span, isDeclaration: true) }
            if let c = e.cases.first(where: { hit($0.span) }) { return EditorTarget(resolved: .enumCase(type, c.text), span: c.span, isDeclaration: true) }
        case .record(let r):
            guard let record = schema?.records[r.name.text] else { return nil }
            if hit(r.name.span) { return EditorTarget(resolved: .recordType(record), span: r.name.span, isDeclaration: true) }
            for f in r.fields {
                if hit(f.name.span), let i = record.fieldIndex[f.name.text] {
                    return EditorTarget(resolved: .field(record, i), span: f.name.span, isDeclaration: true)
                }
                if let found = typeTarget(f.type, hit) { return found }
                if let u = f.requiredUnless, hit(u.span), let i = record.fieldIndex[u.text] {
                    return EditorTarget(resolved: .field(record, i), span: u.span, isDeclaration: false)
                }
                if let d = f.datedBy, hit(d.span), let i = record.fieldIndex[f.name.text],
                   case .list(.record(let element)) = record.fields[i].type, let j = element.fieldIndex[d.text] {
                    return EditorTarget(resolved: .field(element, j), span: d.span, isDeclaration: false)
                }
            }
        }
        return nil
    }

    private func typeTarget(_ t: TypeSyntax, _ hit: (Span) -> Bool) -> EditorTarget? {
        switch t {
        case .named(let n):
            guard hit(n.span) else { return nil }
            if let e = schema?.enums[n.text] { return EditorTarget(resolved: .enumType(e), span: n.span, isDeclaration: false) }
            if let r = schema?.records[n.text] { return EditorTarget(resolved: .recordType(r), span: n.span, isDeclaration: false) }
            return nil
        case .list(let inner, _), .set(let inner, _), .optional(let inner, _): return typeTarget(inner, hit)
        case .missing: return nil
        }
    }

    private func expressionTarget(in walk: ((WalkStep) -> Void) -> Void, _ hit: @escaping (Span) -> Bool) -> EditorTarget? {
        let m = model
        var found: EditorTarget?
        walk { step in
            guard found == nil else { return }
            switch step {
            case .binder(let n, let t):
                if hit(n.span) { found = EditorTarget(resolved: .local(n, t), span: n.span, isDeclaration: true) }
            case .expression(let e, let scope, let expected):
                switch e {
                case .name(let n) where hit(n.span):
                    if let r = m.resolveName(n, in: scope, expected: expected) { found = EditorTarget(resolved: r, span: n.span, isDeclaration: false) }
                case .field(let base, let n) where hit(n.span):
                    if let r = m.resolveMember(base, n, in: scope) { found = EditorTarget(resolved: r, span: n.span, isDeclaration: false) }
                case .call(let n, _, _) where hit(n.span):
                    found = EditorTarget(resolved: .function(n.text), span: n.span, isDeclaration: false)
                default: break
                }
            }
        }
        return found
    }

    /// A keyword under the cursor, for its short explanation on hover.
    func keywordToken(at offset: Int) -> (Keyword, Span)? {
        for token in Lexer.tokenize(file, keywords: tree.keywords).tokens where token.span.start <= offset && offset < token.span.end {
            if case .keyword(let k) = token.kind { return (k, token.span) }
            return nil
        }
        return nil
    }

    // MARK: go to definition

    /// Where the name at `offset` is declared: a parameter or definition in force (in this
    /// file or a base policy's), the rule or value an `override`/`adopt`/`remove` refers
    /// to, a case field or enum value in the schema, a list operation's binder, or the
    /// base policy named by `extends`.
    public func definition(at offset: Int) -> [EditorLocation] {
        guard let target = target(at: offset) else { return [] }
        switch target.resolved {
        case .value(let sites):
            guard let own = target.isDeclaration ? sites.lastIndex(where: { $0.file === file }) : sites.indices.last else { return [] }
            // On an `override` declaration: the declaration it replaces.
            let i = target.isDeclaration && sites[own].declaration.isOverride && own > 0 ? own - 1 : own
            return [EditorLocation(file: sites[i].file, span: sites[i].value.name.span)]
        case .rule(let sites):
            guard let own = sites.lastIndex(where: { $0.file === file }) ?? sites.indices.last else { return [] }
            let site = sites[own]
            if case .rule = site.form, !site.declaration.isOverride { return [EditorLocation(file: site.file, span: site.id.span)] }
            // `override`, `adopt`, `remove`: the rule as the nearest base declares it.
            guard let base = sites[..<own].last(where: { $0.rule != nil }) else { return [] }
            return [EditorLocation(file: base.file, span: base.id.span)]
        case .field(let record, let i):
            return fieldLocation(record, record.fields[i].name).map { [$0] } ?? []
        case .enumCase(let e, let value):
            guard let (decl, tree) = enumDeclaration(e.name), let c = decl.cases.first(where: { $0.text == value }) else { return [] }
            return [EditorLocation(file: tree.file, span: c.span)]
        case .enumType(let e):
            return enumDeclaration(e.name).map { [EditorLocation(file: $0.1.file, span: $0.0.name.span)] } ?? []
        case .recordType(let r), .staff(let r):
            return recordDeclaration(r.name).map { [EditorLocation(file: $0.1.file, span: $0.0.name.span)] } ?? []
        case .local(let n, _):
            return [EditorLocation(file: file, span: n.span)]
        case .policy(let t):
            return t.header.map { [EditorLocation(file: t.file, span: $0.name.span)] } ?? []
        case .builtin, .function:
            return []
        }
    }

    /// The schema's syntax: the document itself when it is the schema.
    var schemaSyntax: SyntaxTree? { kind == .schema ? tree : schemaTree }

    func recordDeclaration(_ name: String) -> (RecordDecl, SyntaxTree)? {
        guard let t = schemaSyntax else { return nil }
        for decl in t.declarations { if case .record(let r) = decl.kind, r.name.text == name { return (r, t) } }
        return nil
    }

    func enumDeclaration(_ name: String) -> (EnumDecl, SyntaxTree)? {
        guard let t = schemaSyntax else { return nil }
        for decl in t.declarations { if case .enumeration(let e) = decl.kind, e.name.text == name { return (e, t) } }
        return nil
    }

    func schemaDeclaration(named name: String) -> Declaration? {
        schemaSyntax?.declarations.first { decl in
            switch decl.kind {
            case .record(let r): r.name.text == name
            case .enumeration(let e): e.name.text == name
            default: false
            }
        }
    }

    func fieldLocation(_ record: RecordType, _ field: String) -> EditorLocation? {
        guard let (r, t) = recordDeclaration(record.name), let f = r.fields.first(where: { $0.name.text == field }) else { return nil }
        return EditorLocation(file: t.file, span: f.name.span)
    }
}
