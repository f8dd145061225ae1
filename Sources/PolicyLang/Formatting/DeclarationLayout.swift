/// The header and every declaration but rules.
extension Header {
    func lines(_ l: Layout) -> [FormattedLine] {
        var first = [l.keyword(kind == .policy ? .policy : .schema, at: span.start), l.name(name)]
        if let extends { first += [l.keyword(.extends, before: extends.span.start), l.name(extends)] }
        var clauses: [(start: Int, lines: [FormattedLine])] = []
        func clause(_ start: Int, _ pieces: [Piece]) {
            clauses.append((start, [FormattedLine(indent: 2, pieces, continuation: 4)]))
        }
        for (k, s) in [(Keyword.title, title), (.source, source), (.document, document), (.citation, citation)] {
            if let s { clause(s.span.start, [l.keyword(k, before: s.span.start), l.string(s)]) }
        }
        if let outline, let firstEntry = outline.first {
            let head = FormattedLine(indent: 2, [l.keyword(.outline, before: firstEntry.span.start)], continuation: 4)
            let entries = outline.enumerated().map { i, s in
                [l.string(s)] + (i < outline.count - 1 ? [Piece(",", at: nil, spaced: false)] : [])
            }
            clauses.append((firstEntry.span.start, l.fill(head, entries, indent: 4, continuation: 6)))
        }
        if let inForce {
            clause(inForce.span.start, [l.keyword(.in, before: inForce.span.start, back: 3), l.keyword(.force, before: inForce.span.start, back: 2),
                                        l.keyword(.from, before: inForce.span.start), Piece(inForce.text, at: inForce.span.start)])
        }
        if let schema { clause(schema.span.start, [l.keyword(.schema, before: schema.span.start), l.name(schema)]) }
        if let root { clause(root.span.start, [l.keyword(.root, before: root.span.start), l.name(root)]) }
        if let caseloadKey {
            let start = caseloadKey.span.start
            clause(start, [l.keyword(.caseload, before: start, back: 2), l.keyword(.by, before: start)]
                   + l.printer.pieces(caseloadKey, .init(minimumLevel: 9, followed: false)))
        }
        // Clauses may come in any order; they keep the author's, so comments between them stay put.
        return [FormattedLine(indent: 0, first, continuation: 2)] + clauses.sorted { $0.start < $1.start }.flatMap(\.lines)
    }
}

extension Layout {
    func lines(_ decl: Declaration) -> [FormattedLine] {
        let start = decl.span.start
        let override = decl.isOverride ? [keyword(.override, at: start)] : []
        func lead(_ k: Keyword, _ next: Int) -> [Piece] { override + [keyword(k, at: decl.isOverride ? anchors.before(next) : start)] }
        switch decl.kind {
        case .enumeration(let e):
            return enumeration(e, lead(.enum, e.name.span.start))
        case .record(let r):
            return [FormattedLine(indent: 0, lead(.record, r.name.span.start) + [name(r.name)], continuation: 2)]
                + r.fields.map(field)
        case .parameter(let v):
            return value(v, lead(.param, v.name.span.start))
        case .definition(let v):
            return value(v, lead(.define, v.name.span.start))
        case .rule(let r):
            return rule(r, override)
        case .removal(let id):
            return [FormattedLine(indent: 0, lead(.remove, anchors.before(id.span.start) ?? id.span.start) + [keyword(.rule, before: id.span.start), name(id)],
                                  continuation: 2)]
        case .adoption(let a):
            var pieces = lead(.adopt, anchors.before(a.id.span.start) ?? a.id.span.start) + [keyword(.rule, before: a.id.span.start), name(a.id)]
            if let title = a.title { pieces.append(string(title)) }
            if let cites = a.cites { pieces += [keyword(.cites, before: cites.span.start), string(cites)] }
            return [FormattedLine(indent: 0, pieces, continuation: 2)]
        }
    }

    /// `enum Zugangsart = formal | einzelfall`; a long one as a block of `| value` lines.
    func enumeration(_ e: EnumDecl, _ lead: [Piece]) -> [FormattedLine] {
        let head = lead + [name(e.name), Piece("=", at: anchors.after(e.name.span.end))]
        let values = e.cases.enumerated().map { i, c in
            i == 0 ? [name(c)] : [Piece("|", at: anchors.before(c.span.start)), name(c)]
        }
        let flat = FormattedLine(indent: 0, head + values.flatMap { $0 }, continuation: 2)
        guard flat.width > SourceFormatter.lineWidth, let firstValue = values.first else { return [flat] }
        return [FormattedLine(indent: 0, head, continuation: 2)]
            + fill(FormattedLine(indent: 4, firstValue, continuation: 4), Array(values.dropFirst()), indent: 2, continuation: 4)
    }

    /// `beginn: date? required unless clearing_beginn`, `kontakte: list of Kontakt dated by datum`.
    func field(_ f: FieldDecl) -> FormattedLine {
        var pieces = [name(f.name), Piece(":", at: nil, spaced: false)] + type(f.type)
        if f.required {
            pieces.append(keyword(.required, at: anchors.after(f.type.span.end)))
            if let u = f.requiredUnless { pieces += [keyword(.unless, before: u.span.start), name(u)] }
        }
        if let d = f.datedBy { pieces += [keyword(.dated, before: d.span.start, back: 2), keyword(.by, before: d.span.start), name(d)] }
        return FormattedLine(indent: 2, pieces, continuation: 4)
    }

    /// `param NAME [: T] = VALUE` on one line if it fits; else the value on the lines below,
    /// indented by two, a set literal as a block `= {` … `}`. A dated parameter's later values
    /// follow as `from DATE = VALUE` lines.
    func value(_ v: ValueDecl, _ lead: [Piece]) -> [FormattedLine] {
        var head = lead + [name(v.name)]
        if let t = v.type { head += [Piece(":", at: nil, spaced: false)] + type(t) }
        head.append(Piece("=", at: anchors.before(v.value.span.start)))
        var lines = valueLines(v.value, head: head, indent: 0)
        for d in v.dated {
            let dateHead = [keyword(.from, at: d.span.start), Piece(d.from.text, at: d.from.span.start),
                            Piece("=", at: anchors.before(d.value.span.start))]
            lines += valueLines(d.value, head: dateHead, indent: 2)
        }
        return lines
    }

    private func valueLines(_ e: Expr, head: [Piece], indent: Int) -> [FormattedLine] {
        let flat = FormattedLine(indent: indent, head + printer.pieces(e), continuation: indent + 2)
        if flat.width <= SourceFormatter.lineWidth { return [flat] }
        if case .setLiteral(let elements, let s) = e, !elements.isEmpty {
            let items = elements.enumerated().map { i, x in
                printer.pieces(x) + (i < elements.count - 1 ? [Piece(",", at: nil, spaced: false)] : [])
            }
            let open = FormattedLine(indent: indent, head + [Piece("{", at: s.start)], continuation: indent + 2)
            let body = fill(FormattedLine(indent: indent + 2, [], continuation: indent + 4), items, indent: indent + 2, continuation: indent + 4)
            return [open] + body + [FormattedLine(indent: indent, [Piece("}", at: s.end - 1)], continuation: indent + 2)]
        }
        return [FormattedLine(indent: indent, head, continuation: indent + 2)]
            + expressionLines(e, prefix: [], indent: indent + 2, continuation: indent + 2)
    }
}
