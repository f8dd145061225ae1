/// Expressions → pieces on one line, with the fewest parentheses that read back as the same
/// tree. The author's own parentheses are `.paren` nodes and always printed; parentheses are
/// added only where a tree could not be written otherwise (a tree built by a program).
struct ExpressionPrinter {
    let keywords: KeywordSet
    let literals: LiteralText
    let anchors: TokenAnchors

    /// Where an expression stands: how tightly it must bind, and whether an operator may
    /// follow it on the right. A `where` condition takes everything after it, so a list
    /// operation that ends in one is parenthesised when something follows.
    struct Context {
        var minimumLevel: Int
        var followed: Bool
        static let top = Context(minimumLevel: 0, followed: false)
    }

    /// Binding strength, loosest first: the grammar's levels (docs/language.md §12).
    static func level(_ e: Expr) -> Int {
        switch e {
        case .conditional: 0
        case .binary(let op, _, _, _): level(of: op)
        case .unary(.not, _, _): 3
        case .isTest: 4
        case .unary(.negate, _, _): 8
        case .field: 9
        default: 10
        }
    }

    static func level(of op: BinaryOperator) -> Int {
        switch op {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member: 4
        case .otherwise: 5
        case .plus, .minus: 6
        case .times: 7
        }
    }

    /// The levels an operator's left and right operands need.
    static func operandLevels(_ op: BinaryOperator) -> (left: Int, right: Int) {
        switch op {
        case .or: (1, 2)
        case .and: (2, 3)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member: (5, 5)
        case .otherwise: (5, 6)
        case .plus, .minus: (6, 7)
        case .times: (7, 8)
        }
    }

    /// True when the printed expression ends in something that would swallow an operator
    /// written after it: a `where` condition or the `else` branch of an `if`.
    static func endsOpen(_ e: Expr) -> Bool {
        switch e {
        case .conditional: return true
        case .listOperation(let op, let binder, let list, let condition, let key, _):
            switch op {
            case .latest, .earliest: return key.map(endsOpen) ?? false
            default: return binder == nil ? endsOpen(list) : condition != nil
            }
        case .binary(_, _, let r, _), .unary(_, let r, _), .range(_, let r, _): return endsOpen(r)
        default: return false
        }
    }

    func needsParentheses(_ e: Expr, _ c: Context) -> Bool {
        if case .range = e { return false }
        return Self.level(e) < c.minimumLevel || (c.followed && Self.endsOpen(e))
    }

    /// The pieces of `e` standing in context `c`, parenthesised if it has to be.
    func pieces(_ e: Expr, _ c: Context = .top) -> [Piece] {
        if needsParentheses(e, c) {
            return [Piece("(", at: nil)] + Piece.glued(bare(e, followed: false)) + [Piece(")", at: nil, spaced: false)]
        }
        return bare(e, followed: c.followed)
    }

    /// One line of text, for message holes.
    func text(_ e: Expr) -> String { Piece.text(of: pieces(e)) }

    func keyword(_ k: Keyword, at anchor: Int?) -> Piece { Piece(keywords.spelling(k), at: anchor) }

    func durationUnit(_ unit: DurationUnit, count: Int) -> String {
        let k: Keyword = switch unit { case .days: .days; case .months: .months; case .years: .years }
        return count == 1 ? keywords.singular(k) : keywords.spelling(k)
    }

    private func bare(_ e: Expr, followed: Bool) -> [Piece] {
        switch e {
        case .name(let n):
            // `due` is a keyword the parser turns into the built-in name.
            return [Piece(n.text == "due" ? keywords.spelling(.due) : n.text, at: n.span.start)]
        case .integer(let v, let s): return [Piece(String(v), at: s.start)]
        case .decimal(let t, let s): return [Piece(t, at: s.start)]
        case .string(_, let s): return [Piece(literals.string(s), at: s.start)]
        case .bool(let b, let s): return [keyword(b ? .true : .false, at: s.start)]
        case .date(let t, let s): return [Piece(t, at: s.start)]
        case .duration(let v, let unit, let s): return [Piece("\(v) \(durationUnit(unit, count: v))", at: s.start)]
        case .severity(let k, let s): return [keyword(k, at: s.start)]
        case .setLiteral(let elements, let s):
            var out = [Piece("{", at: s.start)]
            for (i, x) in elements.enumerated() {
                let ps = pieces(x)
                out += i == 0 ? Piece.glued(ps) : ps
                if i < elements.count - 1 { out.append(Piece(",", at: nil, spaced: false)) }
            }
            return out + [Piece("}", at: s.end - 1, spaced: false)]
        case .field(let base, let n):
            return pieces(base, Context(minimumLevel: 9, followed: true))
                + [Piece("." + n.text, at: anchors.before(n.span.start), spaced: false)]
        case .call(let name, let args, let s):
            var out = [Piece(name.text + "(", at: name.span.start)]
            for (i, a) in args.enumerated() {
                let ps = pieces(a)
                out += i == 0 ? Piece.glued(ps) : ps
                if i < args.count - 1 { out.append(Piece(",", at: nil, spaced: false)) }
            }
            return out + [Piece(")", at: s.end - 1, spaced: false)]
        case .unary(.not, let x, let s):
            return [keyword(.not, at: s.start)] + pieces(x, Context(minimumLevel: 3, followed: followed))
        case .unary(.negate, let x, let s):
            let operand = pieces(x, Context(minimumLevel: 8, followed: followed))
            // `- -a`, not `--a`.
            return [Piece("-", at: s.start)] + (operand.first?.text.hasPrefix("-") == true ? operand : Piece.glued(operand))
        case .binary(let op, let l, let r, _):
            let levels = Self.operandLevels(op)
            var left = pieces(l, Context(minimumLevel: levels.left, followed: true))
            // `count k in …` would read a binder: `(count k) in S` keeps its parentheses.
            if op == .member, case .listOperation(.count, nil, .name, nil, nil, _) = l {
                left = [Piece("(", at: nil)] + Piece.glued(bare(l, followed: false)) + [Piece(")", at: nil, spaced: false)]
            }
            return left + [operatorPiece(op, at: anchors.after(l.span.end))]
                + pieces(r, Context(minimumLevel: levels.right, followed: followed))
        case .range(let lo, let hi, _):
            return pieces(lo, Context(minimumLevel: 5, followed: true)) + [Piece("..", at: anchors.after(lo.span.end))]
                + pieces(hi, Context(minimumLevel: 5, followed: followed))
        case .isTest(let x, let test, let s):
            let k: Keyword = switch test { case .isTrue: .true; case .isFalse: .false; case .absent: .absent; case .present: .present }
            let word = anchors.before(s.end)
            return pieces(x, Context(minimumLevel: 4, followed: true))
                + [keyword(.is, at: anchors.after(x.span.end)), keyword(k, at: word)]
        case .conditional(let c, let a, let b, let s):
            return [keyword(.if, at: s.start)] + pieces(c)
                + [keyword(.then, at: anchors.before(a.span.start))] + pieces(a)
                + [keyword(.else, at: anchors.before(b.span.start))] + pieces(b, Context(minimumLevel: 0, followed: followed))
        case .listOperation(let op, let binder, let list, let condition, let key, let s):
            let k: Keyword = switch op {
            case .count: .count; case .any: .any; case .all: .all; case .filter: .filter; case .latest: .latest; case .earliest: .earliest
            }
            var out = [keyword(k, at: s.start)]
            if let binder {
                out += [Piece(binder.text, at: binder.span.start), keyword(.in, at: anchors.before(list.span.start))]
            }
            out += pieces(list, Context(minimumLevel: 9, followed: binder == nil ? followed : false))
            let ordered = op == .latest || op == .earliest
            if let condition {
                out += [keyword(.where, at: anchors.before(condition.span.start))]
                out += pieces(condition, Context(minimumLevel: 1, followed: ordered ? false : followed))
            }
            if let key {
                out += [keyword(.by, at: anchors.before(key.span.start))] + pieces(key, Context(minimumLevel: 9, followed: followed))
            }
            return out
        case .paren(let x, let s):
            return [Piece("(", at: s.start)] + Piece.glued(pieces(x)) + [Piece(")", at: s.end - 1, spaced: false)]
        case .missing:
            return []
        }
    }

    func operatorPiece(_ op: BinaryOperator, at anchor: Int?) -> Piece {
        switch op {
        case .and: keyword(.and, at: anchor)
        case .or: keyword(.or, at: anchor)
        case .otherwise: keyword(.otherwise, at: anchor)
        case .member: keyword(.in, at: anchor)
        default: Piece(op.rawValue, at: anchor)
        }
    }
}
