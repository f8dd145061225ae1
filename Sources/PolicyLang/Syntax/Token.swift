public enum TokenKind: Equatable, Sendable {
    case identifier            // beginn, in_betreuung, SGB2
    case keyword(Keyword)
    case integer               // 24
    case decimal               // 0.75
    case dateLiteral           // 2025-03-01
    case string                // "…" (raw text incl. quotes; parts parsed by the parser)
    case symbol(Symbol)
    case endOfFile
    case invalid               // a character the language does not use
}

public enum Symbol: String, Sendable, CaseIterable {
    case dot = ".", comma = ",", colon = ":", question = "?", leftParen = "(", rightParen = ")"
    case leftBrace = "{", rightBrace = "}", equals = "=", notEquals = "!=", less = "<"
    case lessEqual = "<=", greater = ">", greaterEqual = ">=", plus = "+", minus = "-"
    case star = "*", range = "..", pipe = "|"
}

public struct Token: Sendable, Equatable {
    public let kind: TokenKind
    public let span: Span
    /// The token's text; for strings, the content without quotes and with escapes resolved.
    public let text: String
    /// True when a line break comes before this token; lets the parser recover at a
    /// line start and the formatter keep blank lines.
    public let startsLine: Bool
}

/// A `# …` comment. The syntax tree keeps every one, so a formatter, a linter and a
/// language server can work from the same tree.
public struct Comment: Sendable, Equatable {
    public let text: String
    public let span: Span
}
