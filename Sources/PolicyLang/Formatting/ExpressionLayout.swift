/// Breaking a long expression over lines. An expression that fits stays on one line. One
/// that does not is broken before each operator of its loosest chain (`or`, then `and`, a
/// comparison, `otherwise`, `+`/`-`, `*`), the operators starting the continuation lines;
/// an operand that is still too long is broken the same way, two columns further in.
/// Parentheses, list operations and `if` are never broken.
extension Layout {
    func expressionLines(_ e: Expr, prefix: [Piece], indent: Int, continuation: Int,
                         context: ExpressionPrinter.Context = .top) -> [FormattedLine] {
        let flat = FormattedLine(indent: indent, prefix + printer.pieces(e, context), continuation: continuation)
        guard flat.width > SourceFormatter.lineWidth, !printer.needsParentheses(e, context),
              let (first, rest) = Self.chain(e) else { return [flat] }
        var lines: [FormattedLine] = []
        var previous = first
        let firstLevel = ExpressionPrinter.operandLevels(rest[0].op).left
        lines += expressionLines(first, prefix: prefix, indent: indent, continuation: continuation + 2,
                                 context: .init(minimumLevel: firstLevel, followed: true))
        for (i, (op, operand)) in rest.enumerated() {
            let last = i == rest.count - 1
            let opPiece = printer.operatorPiece(op, at: anchors.after(previous.span.end))
            lines += expressionLines(operand, prefix: [opPiece], indent: continuation, continuation: continuation + 2,
                                     context: .init(minimumLevel: ExpressionPrinter.operandLevels(op).right,
                                                    followed: last ? context.followed : true))
            previous = operand
        }
        return lines
    }

    /// `a or b or c` → `a`, then `or b`, `or c`. Comparisons do not chain: `a < b` → `a`, `< b`.
    static func chain(_ e: Expr) -> (first: Expr, rest: [(op: BinaryOperator, operand: Expr)])? {
        guard case .binary(let op, let l, let r, _) = e else { return nil }
        let level = ExpressionPrinter.level(of: op)
        if level == 4 { return (l, [(op, r)]) }
        var rest: [(op: BinaryOperator, operand: Expr)] = [(op, r)]
        var left = l
        while case .binary(let o, let l2, let r2, _) = left, ExpressionPrinter.level(of: o) == level {
            rest.insert((o, r2), at: 0)
            left = l2
        }
        return (left, rest)
    }
}
