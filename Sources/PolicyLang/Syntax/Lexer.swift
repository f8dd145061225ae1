/// Source text → tokens and comments. Never fails: what it cannot read becomes an
/// `.invalid` token plus a diagnostic, and lexing goes on.
public struct Lexer {
    public struct Output: Sendable {
        public var tokens: [Token]
        public var comments: [Comment]
        public var diagnostics: [Diagnostic]
    }

    private let file: SourceFile
    private let bytes: [UInt8]
    private let keywords: KeywordSet
    private var i = 0
    private var tokens: [Token] = []
    private var comments: [Comment] = []
    private var diagnostics: [Diagnostic] = []
    private var sawLineBreak = true
    private let end: Int
    private var invalidCharacters = 0
    static let maxInvalidCharacterErrors = 20

    public init(file: SourceFile, keywords: KeywordSet = .english, range: Range<Int>? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.keywords = keywords
        self.i = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? file.bytes.count
    }

    /// `keywords`: nil reads the file in the language its first word names.
    public static func tokenize(_ file: SourceFile, keywords: KeywordSet? = nil) -> Output {
        var lexer = Lexer(file: file, keywords: keywords ?? KeywordSet.detect(file))
        return lexer.run()
    }

    /// Tokens of a part of a file, e.g. the `{…}` hole of a message, with spans in the file.
    public static func tokenize(_ file: SourceFile, range: Range<Int>, keywords: KeywordSet? = nil) -> Output {
        var lexer = Lexer(file: file, keywords: keywords ?? KeywordSet.detect(file), range: range)
        return lexer.run()
    }

    private mutating func run() -> Output {
        if i == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while true {
            skipTrivia()
            guard i < end else { break }
            lexToken()
        }
        tokens.append(Token(kind: .endOfFile, span: Span(end, end), text: "", startsLine: true))
        return Output(tokens: tokens, comments: comments, diagnostics: diagnostics)
    }

    private mutating func skipTrivia() {
        while i < end {
            switch bytes[i] {
            case UInt8(ascii: "\n"): sawLineBreak = true; i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
            case UInt8(ascii: "#"):
                let start = i
                while i < end, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                var end = i
                if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                comments.append(Comment(text: String(decoding: bytes[start..<end], as: UTF8.self), span: Span(start, end)))
            default: return
            }
        }
    }

    private mutating func emit(_ kind: TokenKind, _ start: Int, text: String? = nil) {
        let t = text ?? String(decoding: bytes[start..<i], as: UTF8.self)
        tokens.append(Token(kind: kind, span: Span(start, i), text: t, startsLine: sawLineBreak))
        sawLineBreak = false
    }

    private mutating func lexToken() {
        let start = i
        let c = bytes[i]
        if isIdentifierStart(c) {
            while i < end, isIdentifierPart(bytes[i]) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            if keywords.mayBeKeyword(first: c, length: i - start), let k = keywords.keyword(word) {
                emit(.keyword(k), start, text: word)
            } else {
                emit(.identifier, start, text: word)
            }
            return
        }
        if isDigit(c) { lexNumberOrDate(start); return }
        if c == UInt8(ascii: "\"") { lexString(start); return }
        if matchesTypographicOpeningQuote(at: i) { lexTypographicString(start); return }
        if let (s, length) = symbol(c, i + 1 < end ? bytes[i + 1] : 0) {
            i += length; emit(.symbol(s), start); return
        }
        // Skip one whole UTF-8 character so the diagnostic shows it, not a fragment.
        i += 1
        while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
        emit(.invalid, start)
        invalidCharacters += 1
        // A binary or foreign file would give one error per byte; a few are enough.
        if invalidCharacters > Lexer.maxInvalidCharacterErrors {
            if invalidCharacters == Lexer.maxInvalidCharacterErrors + 1 {
                diagnostics.append(Diagnostic(.error, "E0001", "more unexpected characters follow; is this a policy file?", file: file, span: Span(start, i)))
            }
            return
        }
        let shown = String(decoding: bytes[start..<i], as: UTF8.self)
        diagnostics.append(Diagnostic(.error, "E0001", "unexpected character `\(shown)`", file: file, span: Span(start, i),
                                      help: shown == "\u{201E}" || shown == "\u{201C}" || shown == "\u{201D}"
                                        ? "strings use straight double quotes `\"`; typographic quotes may stand inside them" : nil))
    }

    private mutating func lexNumberOrDate(_ start: Int) {
        while i < end, isDigit(bytes[i]) { i += 1 }
        // YYYY-MM-DD is a date literal; the language has no use for `2025-03-01` as subtraction.
        if i - start == 4, matches(at: i, "-dd-dd") {
            i += 6
            emit(.dateLiteral, start)
            return
        }
        if i + 1 < end, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) {
            i += 1
            while i < end, isDigit(bytes[i]) { i += 1 }
            emit(.decimal, start)
            return
        }
        emit(.integer, start)
    }

    private func matches(at p: Int, _ pattern: String) -> Bool {
        let pat = Array(pattern.utf8)
        guard p + pat.count <= end else { return false }
        for (k, ch) in pat.enumerated() {
            let b = bytes[p + k]
            if ch == UInt8(ascii: "d") { if !isDigit(b) { return false } } else if b != ch { return false }
        }
        return true
    }

    private mutating func lexString(_ start: Int) {
        i += 1
        // Most strings have no escape: their text is the bytes up to the closing quote.
        var plainEnd = i
        while plainEnd < end, bytes[plainEnd] != UInt8(ascii: "\""), bytes[plainEnd] != UInt8(ascii: "\\"), bytes[plainEnd] != UInt8(ascii: "\n") {
            plainEnd += 1
        }
        if plainEnd < end, bytes[plainEnd] == UInt8(ascii: "\"") {
            let text = String(decoding: bytes[i..<plainEnd], as: UTF8.self)
            i = plainEnd + 1
            emit(.string, start, text: text)
            return
        }
        var content: [UInt8] = []
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                emit(.string, start, text: String(decoding: content, as: UTF8.self))
                return
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\"), i + 1 < end {
                let e = bytes[i + 1]
                switch e {
                case UInt8(ascii: "\""): content.append(e)
                case UInt8(ascii: "\\"): content.append(e)
                case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
                // `\{` keeps a literal brace in a message instead of starting an interpolation.
                case UInt8(ascii: "{"), UInt8(ascii: "}"): content.append(UInt8(ascii: "\\")); content.append(e)
                default:
                    diagnostics.append(Diagnostic(.error, "E0003", "unknown escape `\\\(String(UnicodeScalar(e)))` in string",
                                                  file: file, span: Span(i, i + 2), help: "use `\\\"`, `\\\\`, `\\n`, `\\{` or `\\}`"))
                }
                i += 2
                continue
            }
            content.append(b)
            i += 1
        }
        diagnostics.append(Diagnostic(.error, "E0002", "unterminated string", file: file, span: Span(start, i),
                                      help: "close the string with `\"` on the same line"))
        emit(.string, start, text: String(decoding: content, as: UTF8.self))
    }

    /// „ or “ (U+201E, U+201C): a string written with German quotes, read as a string so
    /// that one mistake gives one diagnostic.
    private func matchesTypographicOpeningQuote(at p: Int) -> Bool {
        p + 2 < end && bytes[p] == 0xE2 && bytes[p + 1] == 0x80 && (bytes[p + 2] == 0x9E || bytes[p + 2] == 0x9C)
    }

    private mutating func lexTypographicString(_ start: Int) {
        i += 3
        let contentStart = i
        while i < end, bytes[i] != UInt8(ascii: "\n") {
            if i + 2 < end, bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0x9C || bytes[i + 2] == 0x9D {
                let content = String(decoding: bytes[contentStart..<i], as: UTF8.self)
                i += 3
                diagnostics.append(Diagnostic(.error, "E0004", "strings are written in straight double quotes `\"`", file: file, span: Span(start, i),
                                              help: "write \"\(content)\"; typographic quotes may stand inside a string"))
                emit(.string, start, text: content)
                return
            }
            i += 1
        }
        i = start + 3
        emit(.invalid, start)
        diagnostics.append(Diagnostic(.error, "E0001", "unexpected character `\(String(decoding: bytes[start..<i], as: UTF8.self))`", file: file, span: Span(start, i),
                                      help: "strings use straight double quotes `\"`"))
    }

    /// The symbol that starts with the bytes `c`, `next` (0 at the end), and its length: the
    /// longer one first (`<=` before `<`). Matched on bytes rather than through
    /// `Symbol(rawValue:)`, which compares a new string with every spelling, for each symbol.
    private func symbol(_ c: UInt8, _ next: UInt8) -> (Symbol, Int)? {
        switch (c, next) {
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): return (.notEquals, 2)
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): return (.lessEqual, 2)
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): return (.greaterEqual, 2)
        case (UInt8(ascii: "."), UInt8(ascii: ".")): return (.range, 2)
        default: break
        }
        switch c {
        case UInt8(ascii: "."): return (.dot, 1)
        case UInt8(ascii: ","): return (.comma, 1)
        case UInt8(ascii: ":"): return (.colon, 1)
        case UInt8(ascii: "?"): return (.question, 1)
        case UInt8(ascii: "("): return (.leftParen, 1)
        case UInt8(ascii: ")"): return (.rightParen, 1)
        case UInt8(ascii: "{"): return (.leftBrace, 1)
        case UInt8(ascii: "}"): return (.rightBrace, 1)
        case UInt8(ascii: "="): return (.equals, 1)
        case UInt8(ascii: "<"): return (.less, 1)
        case UInt8(ascii: ">"): return (.greater, 1)
        case UInt8(ascii: "+"): return (.plus, 1)
        case UInt8(ascii: "-"): return (.minus, 1)
        case UInt8(ascii: "*"): return (.star, 1)
        case UInt8(ascii: "|"): return (.pipe, 1)
        default: return nil
        }
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_")
    }
    private func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
}
