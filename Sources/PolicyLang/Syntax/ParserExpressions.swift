/// Expressions, loosest binding first:
/// `if` < `or` < `and` < `not` < comparison, `in`, `is` < `otherwise` < `+ -` < `*` < unary `-` < `.field`
extension Parser {
    mutating func parseExpression() -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxNesting {
            error("expression nested more than \(Parser.maxNesting) levels deep", help: "split it into named definitions (`define …`)")
            return .missing(current.span)
        }
        if at(.if) {
            let start = advance().span.start
            let condition = parseExpression()
            if !eat(.then) { error("expected `then` after the condition of `if`, found \(describeCurrent)") }
            let thenBranch = parseExpression()
            if !eat(.else) { error("expected `else`: an `if` needs both branches, found \(describeCurrent)") }
            let elseBranch = parseExpression()
            return .conditional(condition, thenBranch, elseBranch, Span(start, previousEnd))
        }
        return parseOr()
    }

    /// `a + b + c …` is a tree as deep as the chain is long, and every later phase walks
    /// trees recursively, so each link of a chain counts towards the nesting limit like a
    /// parenthesis does (a chain of 2,000 `+` once overflowed the checker's stack).
    mutating func enterChainLink() -> Bool {
        depth += 1
        guard depth > Parser.maxNesting else { return true }
        error("expression nested more than \(Parser.maxNesting) levels deep", help: "split it into named definitions (`define …`)")
        return false
    }

    mutating func parseOr() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseAnd()
        while at(.or) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let rhs = parseAnd()
            lhs = .binary(.or, lhs, rhs, lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseAnd() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseNot()
        while at(.and) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let rhs = parseNot()
            lhs = .binary(.and, lhs, rhs, lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseNot() -> Expr {
        if at(.not) {
            let start = advance().span.start
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxNesting { error("expression nested more than \(Parser.maxNesting) levels deep"); return .missing(current.span) }
            let operand = parseNot()
            return .unary(.not, operand, Span(start, operand.span.end))
        }
        return parseComparison()
    }

    /// The comparison a symbol stands for (a `switch` for the reason given at `startsDeclaration`).
    static func comparison(_ s: Symbol) -> BinaryOperator? {
        switch s {
        case .equals: return .equal
        case .notEquals: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    mutating func parseComparison() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseOtherwise()
        if case .symbol(let s) = current.kind, let op = Parser.comparison(s) {
            advance()
            let rhs = parseOtherwise()
            lhs = .binary(op, lhs, rhs, lhs.span.through(rhs.span))
            if case .symbol(let s2) = current.kind, Parser.comparison(s2) != nil {
                error("comparisons cannot be chained", help: "join two comparisons with `and`")
            }
        } else if at(.in) {
            advance()
            var rhs = parseOtherwise()
            if eat(.range) {
                let upper = parseOtherwise()
                rhs = .range(rhs, upper, rhs.span.through(upper.span))
            }
            lhs = .binary(.member, lhs, rhs, lhs.span.through(rhs.span))
        }
        if at(.range) {
            error("a range `a .. b` stands only after `in`", help: "e.g. `stichtag in k.datum .. k.datum + 12 months`", code: "E0406")
        }
        while at(.is) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let test: IsTest
            switch keywordOf(current) {
            case .true?: test = .isTrue
            case .false?: test = .isFalse
            case .absent?: test = .absent
            case .present?: test = .present
            default:
                error("expected `true`, `false`, `absent` or `present` after `is`, found \(describeCurrent)")
                return lhs
            }
            let end = advance().span.end
            lhs = .isTest(lhs, test, Span(lhs.span.start, end))
        }
        return lhs
    }

    mutating func parseOtherwise() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseAdditive()
        while at(.otherwise) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let rhs = parseAdditive()
            lhs = .binary(.otherwise, lhs, rhs, lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseAdditive() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseMultiplicative()
        while at(.plus) || at(.minus) {
            let op: BinaryOperator = at(.plus) ? .plus : .minus
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let rhs = parseMultiplicative()
            lhs = .binary(op, lhs, rhs, lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseMultiplicative() -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = parseUnary()
        while at(.star) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            let rhs = parseUnary()
            lhs = .binary(.times, lhs, rhs, lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseUnary() -> Expr {
        if at(.minus) {
            let start = advance().span.start
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxNesting { error("expression nested more than \(Parser.maxNesting) levels deep"); return .missing(current.span) }
            let operand = parseUnary()
            return .unary(.negate, operand, Span(start, operand.span.end))
        }
        return parsePostfix()
    }

    mutating func parsePostfix() -> Expr {
        let outer = depth
        defer { depth = outer }
        var expr = parsePrimary()
        while at(.dot) {
            advance()
            guard enterChainLink() else { return .missing(current.span) }
            guard current.kind == .identifier else {
                error("expected a field name after `.`, found \(describeCurrent)")
                return expr
            }
            let t = advance()
            expr = .field(expr, Name(t.text, t.span))
        }
        return expr
    }

    mutating func parsePrimary() -> Expr {
        let token = current
        switch token.kind {
        case .integer:
            advance()
            guard let value = Int(token.text) else {
                error("integer `\(token.text)` is too large", at: token.span)
                return .missing(token.span)
            }
            if let unit = durationUnit() {
                let end = advance().span.end
                return .duration(value, unit, Span(token.span.start, end))
            }
            if current.kind == .identifier, !current.startsLine,
               let near = Suggestions.closest(to: current.text, among: [Keyword.days, .months, .years].map(keywords.spelling)) {
                error("unknown unit `\(current.text)` after a number", at: current.span, help: "did you mean `\(near)`?")
                return .missing(token.span)
            }
            return .integer(value, token.span)
        case .decimal:
            advance(); return .decimal(token.text, token.span)
        case .string:
            advance(); return .string(Parser.plain(token.text), token.span)
        case .dateLiteral:
            advance(); return .date(token.text, token.span)
        case .identifier:
            advance()
            let name = Name(token.text, token.span)
            if at(.leftParen), current.span.start == token.span.end { return parseCall(name) }
            return .name(name)
        case .symbol(.leftParen):
            advance()
            let inner = parseExpression()
            _ = expect(.rightParen, "to close `(`")
            return .paren(inner, Span(token.span.start, previousEnd))
        case .symbol(.leftBrace):
            advance()
            var elements: [Expr] = []
            if !at(.rightBrace) {
                repeat { elements.append(parseExpression()) } while !panicking && eat(.comma)
            }
            _ = expect(.rightBrace, "to close the set `{`")
            return .setLiteral(elements, Span(token.span.start, previousEnd))
        case .keyword(let k):
            switch k {
            case .true, .false:
                advance(); return .bool(k == .true, token.span)
            case .error, .warning, .info:
                advance(); return .severity(k, token.span)
            case .due:
                // `{due}` in a message: the outcome's due date.
                advance(); return .name(Name("due", token.span))
            case .count, .any, .all, .filter, .latest, .earliest:
                return parseListOperation(ListOperation(rawValue: k.rawValue)!)
            default: break
            }
        default: break
        }
        error("expected an expression, found \(describeCurrent)")
        return .missing(Span(token.span.start, token.span.start))
    }

    private mutating func durationUnit() -> DurationUnit? {
        switch current.kind {
        case .keyword(.days): return .days
        case .keyword(.months): return .months
        case .keyword(.years): return .years
        case .identifier:
            if let k = keywords.singularUnits[current.text] { return DurationUnit(rawValue: k.rawValue) }
            return nil
        default: return nil
        }
    }

    private mutating func parseCall(_ name: Name) -> Expr {
        advance() // (
        var args: [Expr] = []
        if !at(.rightParen) {
            repeat { args.append(parseExpression()) } while !panicking && eat(.comma)
        }
        _ = expect(.rightParen, "to close the arguments of `\(name.text)(`")
        return .call(name, args, Span(name.span.start, previousEnd))
    }

    /// `count k in L where c`, `count L`, `any k in L where c`, `all k in L where c`,
    /// `filter k in L where c`, `latest k in L [where c] by k.datum`.
    private mutating func parseListOperation(_ op: ListOperation) -> Expr {
        let start = advance().span.start
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxNesting { error("expression nested more than \(Parser.maxNesting) levels deep"); return .missing(current.span) }
        var binder: Name?
        if current.kind == .identifier, next.kind == .keyword(.in) {
            binder = Name(current.text, current.span)
            advance(); advance()
        } else if op != .count {
            error("expected `NAME in LIST` after `\(keywords.spelling(Keyword(rawValue: op.rawValue)!))`",
                  help: op == .latest || op == .earliest ? "e.g. `\(op.rawValue) k in kontakte by k.datum`"
                                                         : "e.g. `\(op.rawValue) k in kontakte where k.art = beratungsvermerk`")
            return .missing(Span(start, previousEnd))
        }
        let list = parsePostfix()
        var condition: Expr?
        if binder != nil, eat(.where) { condition = parseOr() }
        var key: Expr?
        if op == .latest || op == .earliest {
            if eat(.by) { key = parsePostfix() }
            else { error("expected `by` and the date to order by (`\(op.rawValue) k in L by k.datum`), found \(describeCurrent)") }
        } else if binder != nil, condition == nil {
            error("expected `where` and a condition after the list, found \(describeCurrent)")
        }
        return .listOperation(op, binder: binder, list: list, condition: condition, key: key, Span(start, previousEnd))
    }
}
