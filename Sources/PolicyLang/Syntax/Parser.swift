/// Tokens → syntax tree. Never throws: a mistake becomes a diagnostic and a `.missing`
/// node, and parsing resumes at the next declaration or rule clause, so one run reports
/// every syntax error of a file.
public struct Parser {
    public struct Output: Sendable {
        public var tree: SyntaxTree
        public var diagnostics: [Diagnostic]
    }

    /// Deeper nesting than this is refused rather than risking the stack.
    public static let maxNesting = 200

    let file: SourceFile
    let keywords: KeywordSet
    var tokens: [Token]
    var p = 0
    var diagnostics: [Diagnostic] = []
    /// Set after an error until the next synchronisation point, so one mistake gives one message.
    var panicking = false
    var depth = 0
    /// Every comment of the file, for documentation comments inside declarations.
    var allComments: [Comment] = []

    init(file: SourceFile, tokens: [Token], keywords: KeywordSet) {
        self.file = file
        self.tokens = tokens
        self.keywords = keywords
    }

    /// The tokens the parser reads: all but the invalid ones, which the lexer has reported.
    /// Copied only when there is one to drop (a copy of every file's tokens, one by one,
    /// costs more than parsing a declaration).
    static func readable(_ tokens: [Token]) -> [Token] {
        tokens.contains { $0.kind == .invalid } ? tokens.filter { $0.kind != .invalid } : tokens
    }

    /// `keywords`: nil reads the file in the language its first word names (`KeywordSet.detect`).
    public static func parse(_ file: SourceFile, keywords: KeywordSet? = nil) -> Output {
        let keywords = keywords ?? KeywordSet.detect(file)
        let lexed = Lexer.tokenize(file, keywords: keywords)
        var parser = Parser(file: file, tokens: readable(lexed.tokens), keywords: keywords)
        parser.allComments = lexed.comments
        let tree = parser.parseFile(comments: lexed.comments)
        let diagnostics = (lexed.diagnostics + parser.diagnostics).sortedByPosition()
        return Output(tree: tree, diagnostics: KeywordRespelling.respell(diagnostics))
    }

    // MARK: tokens

    var current: Token { tokens[p] }
    var next: Token { tokens[min(p + 1, tokens.count - 1)] }
    var previousEnd: Int { p > 0 ? tokens[p - 1].span.end : 0 }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    func at(_ k: Keyword) -> Bool { current.kind == .keyword(k) }
    func at(_ s: Symbol) -> Bool { current.kind == .symbol(s) }

    mutating func eat(_ k: Keyword) -> Bool { if at(k) { advance(); return true }; return false }
    mutating func eat(_ s: Symbol) -> Bool { if at(s) { advance(); return true }; return false }

    mutating func error(_ message: String, at span: Span? = nil, help: String? = nil, code: String = "E0100") {
        guard !panicking else { return }
        diagnostics.append(Diagnostic(.error, code, message, file: file, span: span ?? current.span, help: help))
        panicking = true
    }

    /// How the current token reads in a message: `rule`, `"…"`, end of file.
    var describeCurrent: String {
        switch current.kind {
        case .endOfFile: return "end of file"
        case .string: return "a string"
        default: return "`\(current.text)`"
        }
    }

    mutating func expect(_ s: Symbol, _ context: String) -> Bool {
        if eat(s) { return true }
        error("expected `\(s.rawValue)` \(context), found \(describeCurrent)")
        return false
    }

    mutating func expectName(_ what: String) -> Name {
        if current.kind == .identifier {
            let t = advance()
            return Name(t.text, t.span)
        }
        if case .keyword(let k) = current.kind {
            error("expected \(what), found the keyword `\(keywords.spelling(k))`",
                  help: "keywords cannot be used as names; choose another name")
        } else {
            error("expected \(what), found \(describeCurrent)")
        }
        return Name("", Span(current.span.start, current.span.start))
    }

    mutating func expectString(_ what: String) -> StringLiteral? {
        if current.kind == .string {
            let t = advance()
            return StringLiteral(value: Parser.plain(t.text), span: t.span)
        }
        error("expected \(what) (a string in double quotes), found \(describeCurrent)")
        return nil
    }

    // MARK: file and header

    /// Whether `k` starts a declaration. A `switch`, not a `Set<Keyword>`: the first set of a
    /// type makes the runtime look up its `Hashable` conformance among every conformance
    /// record of the binary (0.3 million instructions, a tenth of checking one case).
    static func startsDeclaration(_ k: Keyword) -> Bool {
        switch k {
        case .enum, .record, .param, .define, .rule, .caseload, .override, .remove, .adopt, .policy, .schema: return true
        default: return false
        }
    }

    mutating func parseFile(comments: [Comment]) -> SyntaxTree {
        var header: Header?
        if at(.policy) || at(.schema) { header = parseHeader(); if panicking { synchronize() } }
        var declarations: [Declaration] = []
        var commentIndex = 0
        while current.kind != .endOfFile {
            let start = current.span.start
            if at(.policy) || at(.schema) {
                error("a file has one header, at its start", help: "put each policy or schema in a file of its own")
                synchronize(allowCurrent: false)
                continue
            }
            guard let kind = parseDeclarationStart() else { synchronize(allowCurrent: false); continue }
            // Comments between the previous declaration and this one document it.
            var leading: [Comment] = []
            while commentIndex < comments.count, comments[commentIndex].span.start < start {
                let comment = comments[commentIndex]
                // Only whole-line comments document what follows; a comment behind code belongs to that line.
                if comment.span.start > (declarations.last?.span.end ?? header?.span.end ?? 0), startsLine(comment.span.start) {
                    leading.append(comment)
                }
                commentIndex += 1
            }
            var decl = kind
            decl.leadingComments = leading
            declarations.append(decl)
            if panicking { synchronize() }
        }
        return SyntaxTree(file: file, header: header, declarations: declarations, comments: comments, keywords: keywords)
    }

    func startsLine(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, file.bytes[i] == UInt8(ascii: " ") || file.bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        return i < 0 || file.bytes[i] == UInt8(ascii: "\n")
    }

    mutating func parseHeader() -> Header {
        let start = current.span.start
        let kind: Header.Kind = at(.policy) ? .policy : .schema
        advance()
        let name = expectName(kind == .policy ? "the policy's name" : "the schema's name")
        var header = Header(kind: kind, name: name, span: Span(start, name.span.end))
        if kind == .policy, eat(.extends) { header.extends = expectName("the name of the policy it extends") }
        while true {
            if eat(.title) { header.title = expectString("the title") }
            else if eat(.source) { header.source = expectString("the source document's description") }
            else if eat(.document) { header.document = expectString("the source document's file name") }
            else if eat(.citation) { header.citation = expectString("how findings cite the document") }
            else if kind == .policy, eat(.outline) {
                // `outline "§1", "§2", "§3"`: the sections of the source document, in order.
                var entries: [StringLiteral] = []
                repeat { if let s = expectString("a section of the document, e.g. \"§3\"") { entries.append(s) } } while !panicking && eat(.comma)
                header.outline = (header.outline ?? []) + entries
            }
            else if at(.in) {
                advance()
                if !eat(.force) || !eat(.from) { error("expected `in force from YYYY-MM-DD`") }
                else if current.kind == .dateLiteral { let t = advance(); header.inForce = DateLiteral(text: t.text, span: t.span) }
                else { error("expected the date the policy came into force (YYYY-MM-DD), found \(describeCurrent)") }
            }
            else if kind == .policy, eat(.schema) { header.schema = expectName("the schema's name") }
            else if kind == .schema, eat(.root) { header.root = expectName("the root record's name") }
            else if kind == .schema, at(.caseload), next.kind == .keyword(.by) {
                advance(); advance()
                header.caseloadKey = parsePostfix()
            }
            else { break }
            if panicking { break }
        }
        header.span = Span(start, previousEnd)
        return header
    }

    /// A string outside a message: `\{` and `\}` are plain braces there.
    static func plain(_ s: String) -> String {
        // Most strings have no backslash, and Foundation's replacing was an eighth of checking one case.
        guard s.utf8.contains(UInt8(ascii: "\\")) else { return s }
        return s.replacingOccurrences(of: "\\{", with: "{").replacingOccurrences(of: "\\}", with: "}")
    }

    func keywordOf(_ t: Token) -> Keyword? { if case .keyword(let k) = t.kind { return k }; return nil }

    /// Skips to the next token that can start a declaration at the start of a line.
    mutating func synchronize(allowCurrent: Bool = true) {
        panicking = false
        let from = p
        while current.kind != .endOfFile {
            if allowCurrent || p > from, current.startsLine, let k = keywordOf(current), Parser.startsDeclaration(k) { return }
            advance()
        }
    }

    // MARK: declarations

    mutating func parseDeclarationStart() -> Declaration? {
        let start = current.span.start
        var isOverride = false
        if eat(.override) { isOverride = true }
        let kind: Declaration.Kind
        switch keywordOf(current) {
        case .enum?: advance(); kind = .enumeration(parseEnum())
        case .record?: advance(); kind = .record(parseRecord())
        case .param?: advance(); kind = .parameter(parseValue("the parameter's name", dated: true))
        case .define?: advance(); kind = .definition(parseValue("the definition's name", dated: false))
        case .rule?: kind = .rule(parseRule(caseload: false))
        case .caseload?:
            advance()
            if !at(.rule) { error("expected `rule` after `caseload`"); return nil }
            kind = .rule(parseRule(caseload: true))
        case .remove?:
            advance()
            if isOverride { error("`override remove` is not a declaration; write `remove rule ID`") }
            if !eat(.rule) { error("expected `rule` after `remove`", help: "only rules can be removed: `remove rule kontakt.intervall`") }
            kind = .removal(parseRuleID())
        case .adopt?:
            let start = advance().span.start
            if isOverride { error("`override adopt` is not a declaration; write `adopt rule ID cites \"…\"`") }
            if !eat(.rule) { error("expected `rule` after `adopt` (`adopt rule fortfuehrung.pruefung cites \"§3\"`)") }
            var adoption = AdoptDecl(id: parseRuleID(), span: Span(start, previousEnd))
            if current.kind == .string { let t = advance(); adoption.title = StringLiteral(value: t.text, span: t.span) }
            if eat(.cites) { adoption.cites = expectString("the cited section, e.g. \"§3\"") }
            else { error("expected `cites \"…\"`: an adopted rule cites this policy's own section", help: "`adopt rule \(adoption.id.text) cites \"§3\"`") }
            adoption.span = Span(start, previousEnd)
            kind = .adoption(adoption)
        default:
            error("expected a declaration (`param`, `define`, `rule`, `override`, `adopt`, `remove`, `enum` or `record`), found \(describeCurrent)")
            return nil
        }
        if isOverride, case .enumeration = kind { error("enums cannot be overridden", at: Span(start, previousEnd)) }
        if isOverride, case .record = kind { error("records cannot be overridden", at: Span(start, previousEnd)) }
        return Declaration(kind: kind, isOverride: isOverride, span: Span(start, previousEnd), leadingComments: [])
    }

    mutating func parseEnum() -> EnumDecl {
        let name = expectName("the enum's name")
        var cases: [Name] = []
        if expect(.equals, "after the enum's name (`enum Rechtskreis = SGB2 | SGB3`)") {
            repeat { cases.append(expectName("an enum value")) } while !panicking && eat(.pipe)
        }
        return EnumDecl(name: name, cases: cases)
    }

    mutating func parseRecord() -> RecordDecl {
        let name = expectName("the record's name")
        var fields: [FieldDecl] = []
        while current.kind == .identifier, next.kind == .symbol(.colon), !panicking {
            let fieldStart = current.span.start
            let fieldName = expectName("a field name")
            advance() // :
            let type = parseType()
            var field = FieldDecl(name: fieldName, type: type, required: false, requiredUnless: nil, datedBy: nil,
                                  leadingComments: fieldComments(before: fieldStart, after: fields.last?.span.end ?? name.span.end),
                                  span: Span(fieldStart, previousEnd))
            while true {
                if eat(.required) {
                    field.required = true
                    if eat(.unless) { field.requiredUnless = expectName("the field whose presence makes this one optional") }
                } else if eat(.dated) {
                    if !eat(.by) { error("expected `by` after `dated` (`dated by datum`)") }
                    field.datedBy = expectName("the date field of the list's entries")
                } else { break }
            }
            field.span = Span(fieldStart, previousEnd)
            fields.append(field)
        }
        return RecordDecl(name: name, fields: fields)
    }

    /// Whole-line comments between the previous field and this one: the field's documentation.
    func fieldComments(before start: Int, after end: Int) -> [Comment] {
        allComments.filter { $0.span.start > end && $0.span.start < start && startsLine($0.span.start) }
    }

    mutating func parseType() -> TypeSyntax {
        let start = current.span.start
        var type: TypeSyntax
        if eat(.list) {
            if !eat(.of) { error("expected `of` after `list` (`list of Kontakt`)") }
            type = .list(parseType(), Span(start, previousEnd))
        } else if eat(.set) {
            if !eat(.of) { error("expected `of` after `set` (`set of Kontaktart`)") }
            type = .set(parseType(), Span(start, previousEnd))
        } else if let k = keywordOf(current), [.bool, .integer, .decimal, .string, .date, .duration].contains(k) {
            // A built-in type is named by its English keyword in every language.
            let t = advance()
            type = .named(Name(k.rawValue, t.span))
        } else if current.kind == .identifier {
            let t = advance()
            type = .named(Name(t.text, t.span))
        } else {
            error("expected a type (`bool`, `integer`, `decimal`, `string`, `date`, `duration`, a record or enum name, `list of T`), found \(describeCurrent)")
            return .missing(current.span)
        }
        if at(.question) { advance(); type = .optional(type, Span(start, previousEnd)) }
        return type
    }

    /// `NAME [: TYPE] = VALUE`, and for a parameter its dated values `from DATE = VALUE`.
    mutating func parseValue(_ what: String, dated: Bool) -> ValueDecl {
        let name = expectName(what)
        var type: TypeSyntax?
        if eat(.colon) { type = parseType() }
        var value = Expr.missing(current.span)
        if expect(.equals, "after `\(name.text)`") { value = parseExpression() }
        var decl = ValueDecl(name: name, type: type, value: value)
        while !panicking, at(.from) {
            let start = advance().span.start
            guard dated else {
                error("only a parameter can change on a date; `\(name.text)` is a definition", at: tokens[p - 1].span,
                      help: "to compute a value from the Stichtag, write `\(keywords.spelling(.if)) stichtag >= DATE \(keywords.spelling(.then)) … \(keywords.spelling(.else)) …`")
                break
            }
            guard current.kind == .dateLiteral else {
                error("expected the date the value applies from (YYYY-MM-DD), found \(describeCurrent)",
                      help: "`\(keywords.spelling(.from)) 2024-01-01 = …`")
                break
            }
            let date = advance()
            var later = Expr.missing(current.span)
            if expect(.equals, "after `\(keywords.spelling(.from)) \(date.text)`") { later = parseExpression() }
            decl.dated.append(DatedValue(from: DateLiteral(text: date.text, span: date.span), value: later, span: Span(start, previousEnd)))
        }
        return decl
    }

    /// `fortfuehrung.pruefung`: words joined by dots. Keywords are allowed after a dot.
    mutating func parseRuleID() -> Name {
        let first = expectName("a rule id such as `dauer.regel`")
        var text = first.text, end = first.span.end
        while at(.dot), next.span.start == current.span.end {
            advance()
            if current.kind == .identifier || keywordOf(current) != nil {
                let t = advance(); text += "." + t.text; end = t.span.end
            } else { error("expected a word after `.` in the rule id"); break }
        }
        return Name(text, Span(first.span.start, end))
    }
}
