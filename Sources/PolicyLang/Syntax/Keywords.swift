/// Every reserved word of the language. The spelling lives only in `KeywordSet`, so a
/// German set can stand beside the English one (as Catala offers several languages)
/// without touching the lexer or the parser.
public enum Keyword: String, CaseIterable, Sendable {
    // declarations
    case policy, schema, extends, title, source, document, citation, `in`, force, from, root
    case `enum`, record, list, of, set, required, unless, dated
    case param, define, rule, caseload, override, remove, adopt
    case outline
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
/// set cannot be used as names in that file. A file's set is named by its first word
/// (`policy`/`schema` or `richtlinie`/`datenschema`, see `detect`).
public struct KeywordSet: Sendable {
    /// `en` or `de`.
    public let language: String
    private let byWord: [String: Keyword]
    /// For each first byte, the lengths (bit n: n bytes, below 64) of the spellings that start
    /// with it: most words of a policy are names, and this tells the lexer without hashing
    /// the word that it is none.
    private let lengthsByFirstByte: [UInt64]
    /// Spellings by the English one (the case name). Keyed by `String`, not by `Keyword`: the
    /// first dictionary or set of a type makes the runtime look up its `Hashable` conformance
    /// among every conformance record of the binary, 0.3 million instructions at start-up,
    /// and `String`'s is looked up anyway.
    private let byEnglish: [String: String]
    /// Singular units, accepted after a number (`1 month`, `1 monat`); they are not keywords.
    public let singularUnits: [String: Keyword]

    public init(language: String, spellings: KeyValuePairs<Keyword, String>, singularUnits: [String: Keyword] = [:]) {
        self.init(language: language, spellingList: Array(spellings), singularUnits: singularUnits)
    }

    private init(language: String, spellingList: [(key: Keyword, value: String)], singularUnits: [String: Keyword]) {
        self.language = language
        var words = [String: Keyword](minimumCapacity: spellingList.count)
        var byEnglish = [String: String](minimumCapacity: spellingList.count)
        var lengths = [UInt64](repeating: 0, count: 256)
        for (k, w) in spellingList {
            words[w] = k
            byEnglish[k.rawValue] = w
            if let first = w.utf8.first {
                // A spelling of 64 bytes or more marks every length, so it is never missed.
                lengths[Int(first)] |= w.utf8.count < 64 ? 1 << UInt64(w.utf8.count) : ~0
            }
        }
        self.byWord = words
        self.lengthsByFirstByte = lengths
        self.byEnglish = byEnglish
        self.singularUnits = singularUnits
    }

    public func keyword(_ word: String) -> Keyword? { byWord[word] }

    /// Whether a word of `length` bytes starting with `first` can be a keyword at all.
    func mayBeKeyword(first: UInt8, length: Int) -> Bool {
        lengthsByFirstByte[Int(first)] & (length < 64 ? 1 << UInt64(length) : 1 << 63) != 0
    }
    public func spelling(_ keyword: Keyword) -> String { byEnglish[keyword.rawValue] ?? keyword.rawValue }

    /// The singular of a duration unit (`month` for `.months`), written after the number 1.
    public func singular(_ unit: Keyword) -> String {
        singularUnits.first { $0.value == unit }?.key ?? spelling(unit)
    }

    /// English: the spelling is the case name.
    public static let english = KeywordSet(
        language: "en",
        spellingList: Keyword.allCases.map { (key: $0, value: $0.rawValue) },
        singularUnits: ["day": .days, "month": .months, "year": .years])

    /// German, for policies written by German policy authors. ASCII like the names
    /// (`ueberfaellig` for „überfällig“). No spelling is a name used in the shipped policies
    /// or the case schema (`datum`, `dauer`, `beginn` … stay free): `date` is `kalenderdatum`,
    /// `duration` is `zeitspanne`.
    public static let german = KeywordSet(
        language: "de",
        spellings: [
            .policy: "richtlinie", .schema: "datenschema", .extends: "erweitert", .title: "titel",
            .source: "quelle", .document: "dokument", .citation: "zitierweise", .in: "in", .force: "kraft",
            .from: "seit", .root: "wurzel", .enum: "aufzaehlung", .record: "datensatz", .list: "liste",
            .of: "von", .set: "menge", .required: "erforderlich", .unless: "ausser", .dated: "datiert",
            .param: "parameter", .define: "definiere", .rule: "regel", .caseload: "fallbestand",
            .override: "ersetze", .remove: "entferne", .adopt: "uebernimm", .outline: "gliederung",
            .cites: "zitiert", .when: "wenn", .deadline: "frist", .overdue: "ueberfaellig",
            .upcoming: "demnaechst", .missing: "fehlt", .due: "faellig", .message: "meldung",
            .error: "fehler", .warning: "warnung", .info: "hinweis",
            .and: "und", .or: "oder", .not: "nicht", .if: "falls", .then: "dann", .else: "sonst",
            .is: "ist", .true: "wahr", .false: "falsch", .absent: "fehlend", .present: "vorhanden",
            .otherwise: "ersatzweise", .count: "anzahl", .any: "irgendein", .all: "alle", .filter: "filter",
            .latest: "neuester", .earliest: "aeltester", .where: "mit", .by: "nach",
            .days: "tage", .months: "monate", .years: "jahre",
            .bool: "wahrheitswert", .integer: "ganzzahl", .decimal: "dezimalzahl", .string: "text",
            .date: "kalenderdatum", .duration: "zeitspanne",
        ],
        singularUnits: ["tag": .days, "monat": .months, "jahr": .years])

    public static let all = [english, german]

    /// The set called `en` or `de` (`fmpolicy fmt --keywords de`).
    public static func named(_ language: String) -> KeywordSet? {
        all.first { $0.language == language }
    }

    /// The language of a file is named by its first word, the header's keyword: a file
    /// starting with `richtlinie` or `datenschema` (after comments) is German, any other
    /// file English.
    public static func detect(_ file: SourceFile) -> KeywordSet {
        let bytes = file.bytes
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): i += 1
            case UInt8(ascii: "#"): while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            default:
                var end = i
                while end < bytes.count, (bytes[end] | 0x20) >= UInt8(ascii: "a") && (bytes[end] | 0x20) <= UInt8(ascii: "z") { end += 1 }
                let word = String(decoding: bytes[i..<end], as: UTF8.self)
                return all.first { $0.keyword(word) == .policy || $0.keyword(word) == .schema } ?? english
            }
        }
        return english
    }

    /// Units of a duration literal, singular spellings accepted as well (`1 month`).
    public static let singularUnits: [String: Keyword] = ["day": .days, "month": .months, "year": .years]
}
