/// Every reserved word of the language. The spelling lives only in `KeywordSet`, so a
/// German set can stand beside the English one (as Catala offers several languages)
/// without touching the lexer or the parser.
public enum Keyword: String, CaseIterable, Sendable {
    // declarations
    case policy, schema, extends, title, source, document, citation, `in`, force, from, root
    case `enum`, record, list, of, set, required, unless, dated
    case param, define, rule, caseload, override, remove, adopt
    // rule clauses
    case cites, when, deadline, overdue, upcoming, missing, due, message
    case error, warning, info
    // expressions
    case and, or, not, `if`, then, `else`, `is`, `true`, `false`, absent, present, otherwise
    case count, any, all, filter, latest, earliest, `where`, by
    case days, months, years
    // types
    case bool, integer, decimal, string, date, duration
}

/// One spelling of the keywords. Identifiers that collide with a keyword of the active
/// set cannot be used as names in that file.
public struct KeywordSet: Sendable {
    public let language: String
    private let byWord: [String: Keyword]
    private let byKeyword: [Keyword: String]

    public init(language: String, spellings: [Keyword: String]) {
        self.language = language
        self.byKeyword = spellings
        var words: [String: Keyword] = [:]
        for (k, w) in spellings { words[w] = k }
        self.byWord = words
    }

    public func keyword(_ word: String) -> Keyword? { byWord[word] }
    public func spelling(_ keyword: Keyword) -> String { byKeyword[keyword] ?? keyword.rawValue }

    /// English: the spelling is the case name.
    public static let english = KeywordSet(
        language: "en",
        spellings: Dictionary(uniqueKeysWithValues: Keyword.allCases.map { ($0, $0.rawValue) }))

    /// Units of a duration literal, singular spellings accepted as well (`1 month`).
    public static let singularUnits: [String: Keyword] = ["day": .days, "month": .months, "year": .years]
}
