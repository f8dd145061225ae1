extension Parser {
    /// Whether `k` starts a rule clause (a `switch` for the reason given at `startsDeclaration`).
    static func startsClause(_ k: Keyword) -> Bool {
        switch k {
        case .cites, .when, .deadline, .overdue, .upcoming, .missing, .due, .message, .error, .warning, .info: return true
        default: return false
        }
    }

    /// `rule ID "Titel" cites "§3" when … <outcomes>`; the rule ends where the next
    /// declaration starts.
    mutating func parseRule(caseload: Bool) -> RuleDecl {
        let start = current.span.start
        advance() // rule
        let id = parseRuleID()
        var rule = RuleDecl(id: id, title: nil, cites: nil, isCaseload: caseload, guardCondition: nil, outcomes: [], span: id.span)
        if current.kind == .string { let t = advance(); rule.title = StringLiteral(value: Parser.plain(t.text), span: t.span) }
        loop: while current.kind != .endOfFile {
            if panicking { recoverInRule(); if panicking || atDeclarationStart { break } }
            switch keywordOf(current) {
            case .cites?:
                advance()
                if rule.cites != nil { error("`\(rule.id.text)` has two `cites`", at: tokens[p - 1].span) }
                rule.cites = expectString("the cited section, e.g. \"§3\"")
            case .when?:
                if !rule.outcomes.isEmpty {
                    error("the rule's `when` comes before its outcomes", help: "to make one outcome conditional, write `error when …`")
                    advance(); continue
                }
                if rule.guardCondition != nil { error("the rule has two `when` clauses", help: "join the conditions with `and`"); advance(); continue }
                advance()
                rule.guardCondition = parseExpression()
            case .deadline?:
                rule.outcomes.append(parseDeadline())
            case .error?, .warning?, .info?:
                rule.outcomes.append(parseFindingOutcome())
            case .due?, .message?, .overdue?, .upcoming?, .missing?:
                error("`\(current.text)` must follow a severity (`error`, `warning`, `info`) or a `deadline`",
                      help: "e.g. `error when … due … message \"…\"`")
                advance()
            default:
                if atDeclarationStart { break loop }
                if current.kind == .symbol(.leftParen) { rule.outcomes.append(parseFindingOutcome()); continue }
                let clauseWords: [Keyword] = [.cites, .when, .deadline, .overdue, .upcoming, .missing, .due, .message, .error, .warning, .info]
                // A clause word of the other language (`wenn` in an English file) names its keyword directly.
                let word = current.text
                let foreign = KeywordSet.all.compactMap { $0.keyword(word) }.first { clauseWords.contains($0) }
                let near = current.kind != .identifier ? nil
                    : foreign.map(keywords.spelling) ?? Suggestions.closest(to: current.text, among: clauseWords.map(keywords.spelling))
                error("unexpected \(describeCurrent) in rule `\(rule.id.text)`",
                      help: near.map { "did you mean `\($0)`?" }
                        ?? "a rule has the clauses `cites`, `when`, then outcomes (`error`/`warning`/`info` … or `deadline` …)")
                advance()
            }
        }
        rule.span = Span(start, previousEnd)
        return rule
    }

    var atDeclarationStart: Bool {
        current.kind == .endOfFile || (current.startsLine && keywordOf(current).map(Parser.startsDeclaration) == true)
    }

    /// Skips to the next rule clause or declaration at a line start. The caller has
    /// already stepped over the token it complained about, so this always makes progress
    /// or stops at a point the rule loop can use.
    mutating func recoverInRule() {
        panicking = false
        while current.kind != .endOfFile {
            if current.startsLine, let k = keywordOf(current),
               Parser.startsClause(k) || Parser.startsDeclaration(k) { return }
            advance()
        }
    }

    mutating func parseSeverity() -> SeveritySyntax {
        if let k = keywordOf(current), [.error, .warning, .info].contains(k) {
            let t = advance()
            return .literal(k, t.span)
        }
        if at(.leftParen) { return .expression(parsePrimary()) }
        error("expected a severity (`error`, `warning` or `info`), found \(describeCurrent)")
        return .expression(.missing(current.span))
    }

    mutating func parseFindingOutcome() -> Outcome {
        let start = current.span.start
        let severity = parseSeverity()
        var condition: Expr?, due: Expr?, message: MessageSyntax?
        if eat(.when) { condition = parseExpression() }
        if eat(.due) { due = parseExpression() }
        if eat(.message) { message = parseMessage() }
        return .finding(severity: severity, condition: condition, due: due, message: message, span: Span(start, previousEnd))
    }

    mutating func parseDeadline() -> Outcome {
        let start = current.span.start
        advance() // deadline
        let due = parseExpression()
        var branches: [DeadlineBranch] = []
        while let k = keywordOf(current), let kind = DeadlineBranch.Kind(rawValue: k.rawValue) {
            let bStart = advance().span.start
            let severity = parseSeverity()
            var message: MessageSyntax?
            if eat(.message) { message = parseMessage() }
            if branches.contains(where: { $0.kind == kind }) {
                error("the deadline has two `\(keywords.spelling(k))` branches", at: Span(bStart, previousEnd))
            }
            branches.append(DeadlineBranch(kind: kind, severity: severity, message: message, span: Span(bStart, previousEnd)))
        }
        if branches.isEmpty {
            error("a deadline needs an `overdue` branch, found \(describeCurrent)",
                  help: "e.g. `deadline fm.beginn + 6 months overdue error message \"…\"`")
        }
        return .deadline(due: due, branches: branches, span: Span(start, previousEnd))
    }

    /// Splits `"überfällig seit {due}"` into text and holes; holes are parsed as expressions
    /// from the file's own bytes, so their spans point into the file.
    mutating func parseMessage() -> MessageSyntax? {
        guard current.kind == .string else {
            error("expected the message (a string in double quotes), found \(describeCurrent)")
            return nil
        }
        let token = advance()
        let bytes = file.bytes
        var parts: [MessageSyntax.Part] = []
        var text: [UInt8] = []
        var i = token.span.start + 1
        let end = max(i, token.span.end - (bytes[token.span.end - 1] == UInt8(ascii: "\"") && token.span.end - 1 > token.span.start ? 1 : 0))
        func flush() { if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text = [] } }
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < end {
                let e = bytes[i + 1]
                text.append(e == UInt8(ascii: "n") ? UInt8(ascii: "\n") : e)
                i += 2
                continue
            }
            if b == UInt8(ascii: "{") {
                guard let close = bytes[(i + 1)..<end].firstIndex(of: UInt8(ascii: "}")) else {
                    error("unclosed `{` in message", at: Span(i, i + 1), help: "close the value with `}`, or write `\\{` for a literal brace")
                    break
                }
                flush()
                let hole = Lexer.tokenize(file, range: (i + 1)..<close, keywords: keywords)
                diagnostics += hole.diagnostics
                var sub = Parser(file: file, tokens: Parser.readable(hole.tokens), keywords: keywords)
                var expr = sub.parseExpression()
                if sub.current.kind != .endOfFile, !sub.panicking {
                    sub.error("unexpected \(sub.describeCurrent) in `{…}`")
                }
                if case .missing = expr { expr = .missing(Span(i, close + 1)) }
                diagnostics += sub.diagnostics
                parts.append(.hole(expr))
                i = close + 1
                continue
            }
            if b == UInt8(ascii: "}") {
                error("unmatched `}` in message", at: Span(i, i + 1), help: "write `\\}` for a literal brace")
                break
            }
            text.append(b)
            i += 1
        }
        flush()
        return MessageSyntax(parts: parts, span: token.span)
    }
}
