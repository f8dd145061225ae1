/// Rules: the id line, then `cites`, `when` and the outcomes one per line, indented by two.
/// A finding outcome with a condition or a due date puts `due` and `message` on lines of
/// their own, indented by four; a deadline's branches stand indented by four, and a branch
/// with a computed severity puts its message on the next line.
extension Layout {
    func rule(_ r: RuleDecl, _ override: [Piece]) -> [FormattedLine] {
        var head = override
        if r.isCaseload { head.append(keyword(.caseload, before: r.id.span.start, back: 2)) }
        head += [keyword(.rule, before: r.id.span.start), name(r.id)]
        if let title = r.title { head.append(string(title)) }
        var clauses: [(start: Int, lines: [FormattedLine])] = []
        if let cites = r.cites {
            clauses.append((cites.span.start, [FormattedLine(indent: 2, [keyword(.cites, before: cites.span.start), string(cites)], continuation: 4)]))
        }
        if let guardCondition = r.guardCondition {
            let when = keyword(.when, before: guardCondition.span.start)
            clauses.append((guardCondition.span.start, expressionLines(guardCondition, prefix: [when], indent: 2, continuation: 4)))
        }
        for outcome in r.outcomes { clauses.append((outcome.span.start, lines(outcome))) }
        // The parser accepts `cites` and `when` in any order; the author's order is kept.
        return [FormattedLine(indent: 0, head, continuation: 2)] + clauses.sorted { $0.start < $1.start }.flatMap(\.lines)
    }

    func severity(_ s: SeveritySyntax) -> [Piece] {
        switch s {
        case .literal(let k, let span): return [keyword(k, at: span.start)]
        case .expression(let e):
            if case .paren = e { return printer.pieces(e) }
            return [Piece("(", at: nil)] + Piece.glued(printer.pieces(e)) + [Piece(")", at: nil, spaced: false)]
        }
    }

    func messagePieces(_ m: MessageSyntax) -> [Piece] { [keyword(.message, before: m.span.start), message(m)] }

    func lines(_ outcome: Outcome) -> [FormattedLine] {
        switch outcome {
        case .finding(let sev, let condition, let due, let msg, _):
            let sevPieces = severity(sev)
            if condition == nil, due == nil, case .literal = sev {
                return [FormattedLine(indent: 2, sevPieces + (msg.map(messagePieces) ?? []), continuation: 4)]
            }
            var out: [FormattedLine]
            if let condition {
                out = expressionLines(condition, prefix: sevPieces + [keyword(.when, before: condition.span.start)], indent: 2, continuation: 6)
            } else {
                out = [FormattedLine(indent: 2, sevPieces, continuation: 6)]
            }
            if let due { out += expressionLines(due, prefix: [keyword(.due, before: due.span.start)], indent: 4, continuation: 6) }
            if let msg { out.append(FormattedLine(indent: 4, messagePieces(msg), continuation: 6)) }
            return out
        case .deadline(let due, let branches, let span):
            var out = expressionLines(due, prefix: [keyword(.deadline, at: span.start)], indent: 2, continuation: 6)
            for b in branches {
                let kind: Keyword = switch b.kind { case .overdue: .overdue; case .upcoming: .upcoming; case .missing: .missing }
                let head = [keyword(kind, at: b.span.start)] + severity(b.severity)
                if case .literal = b.severity {
                    out.append(FormattedLine(indent: 4, head + (b.message.map(messagePieces) ?? []), continuation: 6))
                } else {
                    out.append(FormattedLine(indent: 4, head, continuation: 6))
                    if let m = b.message { out.append(FormattedLine(indent: 6, messagePieces(m), continuation: 8)) }
                }
            }
            return out
        }
    }
}
