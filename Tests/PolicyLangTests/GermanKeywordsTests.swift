import Foundation
@testable import PolicyLang
import XCTest

/// German keywords: the table, how a file names its language, converting with the formatter
/// (both ways, every shipped policy), and diagnostics in the file's spelling.
final class GermanKeywordsTests: XCTestCase {
    let de = KeywordSet.german, en = KeywordSet.english

    func format(_ text: String, to keywords: KeywordSet? = nil, path: String = "t.fm", file: StaticString = #filePath, line: UInt = #line) -> String {
        switch SourceFormatter(keywords: keywords).format(SourceFile(path: path, text: text)) {
        case .success(let s): return s
        case .failure(let e):
            XCTFail(DiagnosticRenderer().render(e.diagnostics), file: file, line: line)
            return ""
        }
    }

    static func shipped() throws -> [(name: String, text: String)] {
        let dir = FormatterTests.root.appendingPathComponent("policies")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".fm") }.sorted().map {
            (String($0.dropLast(3)), try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))
        }
    }

    // MARK: the table

    func testEveryKeywordHasItsOwnGermanSpelling() {
        var seen: [String: Keyword] = [:]
        for k in Keyword.allCases {
            let word = de.spelling(k)
            XCTAssertEqual(de.keyword(word), k, "\(k)")
            XCTAssertNil(seen[word], "`\(word)` spells both \(seen[word].map { "\($0)" } ?? "") and \(k)")
            seen[word] = k
            XCTAssertTrue(word.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") }, "`\(word)` is not an ASCII name")
            // A German spelling is never another English keyword, so respelling is unambiguous.
            if let other = en.keyword(word) { XCTAssertEqual(other, k, "`\(word)` is \(k) in German but \(other) in English") }
        }
        XCTAssertEqual(seen.count, Keyword.allCases.count)
        for (word, unit) in de.singularUnits {
            XCTAssertNil(de.keyword(word), "a singular unit is a name, not a keyword")
            XCTAssertEqual(de.singular(unit), word)
        }
        XCTAssertEqual(de.spelling(.months), "monate")
        XCTAssertEqual(de.singular(.months), "monat")
        XCTAssertEqual(en.singular(.days), "day")
        XCTAssertEqual(KeywordSet.named("de")?.language, "de")
        XCTAssertNil(KeywordSet.named("fr"))
    }

    /// A German policy can use every name of the baseline and the schema, and every name of
    /// the German policies can be written in English again.
    func testNoKeywordOfEitherLanguageIsANameInTheShippedFiles() throws {
        for (name, text) in try Self.shipped() {
            let tree = Parser.parse(SourceFile(path: name + ".fm", text: text)).tree
            for other in [de, en] where other.language != tree.keywords.language {
                let collisions = KeywordCollisions.find(tree, target: other)
                XCTAssertEqual(collisions.count, 0, "\(name).fm: \(DiagnosticRenderer().render(collisions))")
            }
        }
    }

    func testTheFirstWordNamesTheLanguage() {
        func language(_ text: String) -> String { KeywordSet.detect(SourceFile(path: "t.fm", text: text)).language }
        XCTAssertEqual(language("policy p"), "en")
        XCTAssertEqual(language("schema case"), "en")
        XCTAssertEqual(language("# Kopf\n\n  # noch einer\nrichtlinie p erweitert ba"), "de")
        XCTAssertEqual(language("\u{FEFF}datenschema fall"), "de")
        XCTAssertEqual(language("define x = 1"), "en")
        XCTAssertEqual(language(""), "en")
        XCTAssertEqual(language("richtlinien x"), "en", "a whole word only")
        XCTAssertEqual(Parser.parse(SourceFile(path: "t.fm", text: "richtlinie p\n  titel \"T\"")).tree.header?.title?.value, "T")
    }

    func testShippedJobcenterPoliciesAreGermanAndTheBaseAndSchemaEnglish() throws {
        for (name, text) in try Self.shipped() {
            let expected = ["ilmkreis", "hannover", "berlin", "kkm"].contains(name) ? "de" : "en"
            XCTAssertEqual(KeywordSet.detect(SourceFile(path: name, text: text)).language, expected, name)
        }
    }

    /// docs/language.md §13 lists every keyword with its German spelling, as the code has it.
    func testTheDocumentedTableIsTheKeywordSet() throws {
        let doc = try String(contentsOf: FormatterTests.root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let section = try XCTUnwrap(doc.components(separatedBy: "## 13. German keywords").last)
        var documented: [String: String] = [:]
        for line in section.split(separator: "\n") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[cells.count - 2].hasPrefix("`"), cells[cells.count - 1].hasPrefix("`") else { continue }
            documented[cells[cells.count - 2].trimmingCharacters(in: ["`"])] = cells[cells.count - 1].trimmingCharacters(in: ["`"])
        }
        XCTAssertEqual(documented.count, Keyword.allCases.count)
        for k in Keyword.allCases { XCTAssertEqual(documented[k.rawValue], de.spelling(k), "\(k)") }
        // The German example of §13 is a valid German policy.
        let example = try XCTUnwrap(section.components(separatedBy: "```").dropFirst().first)
        let parsed = Parser.parse(SourceFile(path: "example.fm", text: example))
        XCTAssertEqual(parsed.tree.keywords.language, "de")
        XCTAssertFalse(parsed.diagnostics.hasErrors, DiagnosticRenderer().render(parsed.diagnostics))
    }

    // MARK: converting

    /// en → de → en gives back the formatted English text and de → en → de the German one,
    /// for every shipped file; both parse to the same tree.
    func testEveryShippedPolicyRoundTripsBothWays() throws {
        for (name, text) in try Self.shipped() {
            let english = format(text, to: en, path: name)
            let german = format(text, to: de, path: name)
            XCTAssertEqual(format(english, to: de, path: name), german, name)
            XCTAssertEqual(format(german, to: en, path: name), english, name)
            XCTAssertEqual(format(german, path: name), german, "\(name): German output is formatted")
            XCTAssertEqual(KeywordSet.detect(SourceFile(path: name, text: german)).language, "de")
            let treeEN = Parser.parse(SourceFile(path: name, text: english))
            let treeDE = Parser.parse(SourceFile(path: name, text: german))
            XCTAssertFalse(treeEN.diagnostics.hasErrors || treeDE.diagnostics.hasErrors, name)
            XCTAssertEqual(SyntaxDump.dump(treeDE.tree), SyntaxDump.dump(treeEN.tree), name)
            XCTAssertEqual(treeDE.tree.comments.map(\.text), treeEN.tree.comments.map(\.text), name)
        }
    }

    /// Every file of the corpus that parses converts both ways, unless a name is a keyword
    /// of the other language (then the conversion is refused, `E0101`).
    func testEveryCorpusFileRoundTripsOrIsRefused() throws {
        var converted = 0
        for (path, text) in try FormatterTests.policyFiles() {
            let own = KeywordSet.detect(SourceFile(path: path, text: text))
            let other = own.language == "en" ? de : en
            switch SourceFormatter(keywords: other).format(SourceFile(path: path, text: text)) {
            case .failure(let e):
                XCTAssertTrue(e.diagnostics.allSatisfy { $0.code == "E0101" }, path)
            case .success(let there):
                converted += 1
                XCTAssertEqual(format(there, to: own, path: path), format(text, path: path), path)
            }
        }
        XCTAssertGreaterThan(converted, 50)
    }

    func testGermanLayout() {
        let english = """
        policy p extends ba
          title "T"
          citation "C"
          in force from 2024-01-01

        # §1
        override param regeldauer = 1 year
        define letzte: list of Kontakt =
          filter k in kontakte where k.datum >= stichtag - 14 days and k.art is present

        override rule dauer.regel "Regeldauer"
          cites "§1"
          when in_betreuung and not (fm.ende is absent)
          deadline (letzte_fortfuehrungspruefung.datum otherwise fm.beginn) + regeldauer
            overdue (if u25 then error else warning)
              message "seit {due}"
            upcoming info message "bis {due}"
            missing info message "{count k in kontakte where true} Kontakte"

        """
        let german = """
        richtlinie p erweitert ba
          titel "T"
          zitierweise "C"
          in kraft seit 2024-01-01

        # §1
        ersetze parameter regeldauer = 1 jahr
        definiere letzte: liste von Kontakt =
          filter k in kontakte mit k.datum >= stichtag - 14 tage und k.art ist vorhanden

        ersetze regel dauer.regel "Regeldauer"
          zitiert "§1"
          wenn in_betreuung und nicht (fm.ende ist fehlend)
          frist (letzte_fortfuehrungspruefung.datum ersatzweise fm.beginn) + regeldauer
            ueberfaellig (falls u25 dann fehler sonst warnung)
              meldung "seit {faellig}"
            demnaechst hinweis meldung "bis {faellig}"
            fehlt hinweis meldung "{anzahl k in kontakte mit wahr} Kontakte"

        """
        XCTAssertEqual(format(english, to: de), german)
        XCTAssertEqual(format(german, to: en), english)
        XCTAssertEqual(format("datenschema s\n  wurzel F\ndatensatz F\n  d: kalenderdatum? erforderlich ausser e\n  e: zeitspanne?\n  k: liste von F datiert nach d\n", to: en),
                       "schema s\n  root F\n\nrecord F\n  d: date? required unless e\n  e: duration?\n  k: list of F dated by d\n")
    }

    func testConversionRefusesANameThatIsAKeywordThere() {
        let text = "policy p extends ba\n  title \"T\"\n  citation \"C\"\ndefine wahr = 1\nrule a.wenn \"t\" cites \"1\" info when wahr = 1 message \"x\"\n"
        guard case .failure(let e) = SourceFormatter(keywords: de).format(SourceFile(path: "t.fm", text: text)) else {
            return XCTFail("converted a name into a keyword")
        }
        XCTAssertEqual(e.diagnostics.map(\.code), ["E0101", "E0101"], "the rule id part after the dot may be a keyword")
        XCTAssertTrue(e.diagnostics[0].message.contains("`wahr` is the keyword `true` in German"), e.diagnostics[0].message)
        // Kept in its own language, the file formats.
        XCTAssertEqual(format(text).hasPrefix("policy p extends ba"), true)
    }

    // MARK: diagnostics

    func testSyntaxErrorsQuoteTheFilesKeywords() {
        let out = Parser.parse(SourceFile(path: "t.fm", text: """
        richtlinie p
          titel "T"
        regel a.b "t"
          zitiert "1"
          frist fm.beginn + 6 monat
          hinweis meldung "x"
        regel c.d "t" zitiert "1" when true hinweis meldung "x"
        regel e.f "t" zitiert "1" hinweis wenn wahr meldng "x"
        parameter x = 3 monte
        """))
        let text = DiagnosticRenderer().render(out.diagnostics)
        XCTAssertTrue(text.contains("a deadline needs an `ueberfaellig` branch"), text)
        XCTAssertTrue(text.contains("e.g. `frist fm.beginn + 6 monate ueberfaellig fehler meldung"), text)
        XCTAssertTrue(text.contains("unexpected `when` in rule `c.d`"), text)
        XCTAssertTrue(text.contains("did you mean `wenn`?"), "an English keyword in a German file: \(text)")
        XCTAssertTrue(text.contains("did you mean `meldung`?"), text)
        XCTAssertTrue(text.contains("unknown unit `monte` after a number"), text)
        XCTAssertTrue(text.contains("did you mean `monate`?"), text)
        XCTAssertFalse(text.contains("`overdue`") || text.contains("`message`"), text)
    }

    func testRespellingTouchesOnlyKeywordsInCode() {
        let file = SourceFile(path: "t.fm", text: "richtlinie p\ndefiniere source = 1\n")
        let target = KeywordRespelling.Target(file: file, keywords: de)
        XCTAssertEqual(target.respell("write `override param regeldauer = 6 months` to change it"),
                       "write `ersetze parameter regeldauer = 6 monate` to change it")
        XCTAssertEqual(target.respell("the rule `test.due` in `policies/in/source.fm`"), "the rule `test.due` in `policies/in/source.fm`")
        XCTAssertEqual(target.respell("unknown name `source`; a `date` is not a `list of Kontakt`"),
                       "unknown name `source`; a `kalenderdatum` is not a `liste von Kontakt`")
        XCTAssertEqual(target.respell("`cites \"when in doubt\"` after 1 month"), "`zitiert \"when in doubt\"` after 1 month")
        XCTAssertEqual(target.respell("`1 month`"), "`1 monat`")
    }
}
