import Foundation
@testable import PolicyLang
import XCTest

/// `fmpolicy fmt`: the canonical layout, every comment kept, the same tree after formatting.
final class FormatterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func format(_ text: String, keywords: KeywordSet? = nil, file: StaticString = #filePath, line: UInt = #line) -> String {
        switch SourceFormatter(keywords: keywords).format(SourceFile(path: "t.fm", text: text)) {
        case .success(let s): return s
        case .failure(let e):
            XCTFail(DiagnosticRenderer().render(e.diagnostics), file: file, line: line)
            return ""
        }
    }

    /// `input` formats to `expected`, and `expected` is a fixed point.
    func assertFormats(_ input: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let once = format(input, file: file, line: line)
        XCTAssertEqual(once, expected, "\n--- got ---\n\(once)", file: file, line: line)
        XCTAssertEqual(format(expected, file: file, line: line), expected, "not idempotent", file: file, line: line)
        assertSameTree(input, once, file: file, line: line)
    }

    func assertSameTree(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        let ta = Parser.parse(SourceFile(path: "a.fm", text: a)).tree
        let tb = Parser.parse(SourceFile(path: "b.fm", text: b)).tree
        XCTAssertEqual(SyntaxDump.dump(ta), SyntaxDump.dump(tb), "the formatted text means something else", file: file, line: line)
    }

    /// Every `.fm` of the repository that parses: the shipped policies and the test corpus.
    static func policyFiles() throws -> [(path: String, text: String)] {
        var paths = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("policies").path)
            .filter { $0.hasSuffix(".fm") }.sorted().map { "policies/" + $0 }
        let tests = root.appendingPathComponent("Tests")
        for case let relative as String in FileManager.default.enumerator(atPath: tests.path)! where relative.hasSuffix(".fm") {
            paths.append("Tests/" + relative)
        }
        return paths.compactMap { p in
            guard case .success(let source) = PolicyLibrary.readSource(root.appendingPathComponent(p).path),
                  !Parser.parse(source).diagnostics.hasErrors else { return nil }
            return (p, source.text)
        }
    }

    // MARK: the whole corpus

    func testCorpusIsLargeEnough() throws {
        let files = try Self.policyFiles()
        XCTAssertGreaterThanOrEqual(files.filter { $0.path.hasPrefix("policies/") }.count, 6)
        XCTAssertGreaterThanOrEqual(files.filter { $0.path.hasPrefix("Tests/") }.count, 60)
    }

    /// What CI runs as `fmpolicy fmt --check policies/*.fm`.
    func testShippedPoliciesAreFormatted() throws {
        for (path, text) in try Self.policyFiles() where path.hasPrefix("policies/") {
            let formatted = format(text)
            XCTAssertEqual(formatted, text, "\(path) is not formatted: run `fmpolicy fmt \(path)`")
        }
    }

    func testFormattingIsIdempotent() throws {
        for (path, text) in try Self.policyFiles() {
            let once = format(text)
            XCTAssertEqual(format(once), once, path)
        }
    }

    /// The formatted text parses to the same tree: same operators, parentheses, names,
    /// strings and messages. A dropped `not` or a lost parenthesis changes the dump.
    func testFormattingKeepsTheMeaning() throws {
        for (path, text) in try Self.policyFiles() {
            let formatted = format(text)
            let reparsed = Parser.parse(SourceFile(path: path, text: formatted))
            XCTAssertFalse(reparsed.diagnostics.hasErrors, "\(path): \(DiagnosticRenderer().render(reparsed.diagnostics))")
            XCTAssertEqual(SyntaxDump.dump(reparsed.tree), SyntaxDump.dump(Parser.parse(SourceFile(path: path, text: text)).tree), path)
        }
    }

    func testTheDumpSeesEveryNotAndParenthesis() {
        func dump(_ s: String) -> String { SyntaxDump.dump(Parser.parse(SourceFile(path: "t.fm", text: "policy p\ndefine x = " + s)).tree) }
        XCTAssertNotEqual(dump("not a and b"), dump("not (a and b)"))
        XCTAssertNotEqual(dump("not a and b"), dump("a and b"))
        XCTAssertNotEqual(dump("(a + b) * c"), dump("a + b * c"))
        XCTAssertNotEqual(dump("(a)"), dump("a"))
    }

    func testEveryCommentIsKeptInOrder() throws {
        for (path, text) in try Self.policyFiles() {
            let before = Parser.parse(SourceFile(path: path, text: text)).tree.comments.map { Self.trimmed($0.text) }
            let after = Parser.parse(SourceFile(path: path, text: format(text))).tree.comments.map(\.text)
            XCTAssertEqual(after, before, path)
        }
    }

    /// A comment before and behind every line of every file: all of them come back, in order,
    /// whole-line ones on their own line and the others behind code, and the tree is the same.
    func testCommentsAnywhereSurvive() throws {
        for (path, text) in try Self.policyFiles() {
            var n = 0
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return String(line) }
                n += 2
                return "# w\(n - 1)\n" + line + (line.contains("#") ? "" : "  # t\(n)")
            }
            let commented = lines.joined(separator: "\n")
            let formatted = format(commented)
            XCTAssertEqual(format(formatted), formatted, path)
            assertSameTree(commented, formatted)
            let before = Parser.parse(SourceFile(path: path, text: commented)).tree.comments.map { Self.trimmed($0.text) }
            let after = Parser.parse(SourceFile(path: path, text: formatted)).tree.comments.map(\.text)
            XCTAssertEqual(after, before, path)
            for line in formatted.split(separator: "\n") {
                let code = line.components(separatedBy: "# ").first!.trimmingCharacters(in: .whitespaces)
                if line.contains("# w") { XCTAssertTrue(code.isEmpty, "\(path): \(line)") }
                if line.range(of: #"# t\d+$"#, options: .regularExpression) != nil { XCTAssertFalse(code.isEmpty, "\(path): \(line)") }
            }
        }
    }

    static func trimmed(_ s: String) -> String {
        var t = s
        while let c = t.last, c == " " || c == "\t" { t.removeLast() }
        return t
    }

    func testRefusesAFileWithSyntaxErrors() {
        let result = SourceFormatter().format(SourceFile(path: "t.fm", text: "policy p\ndefine x = (1 +\n"))
        guard case .failure(let errors) = result else { return XCTFail("formatted a broken file") }
        XCTAssertTrue(errors.diagnostics.contains { $0.code == "E0100" })
    }

    // MARK: layout, construct by construct

    func testHeaderClausesOnePerLineInTheAuthorsOrder() {
        assertFormats("""
        policy  p   extends ba
        title "T – „x“"
            citation "C" in force from 2020-01-01
          document "d.txt"   source "S"
        """, """
        policy p extends ba
          title "T – „x“"
          citation "C"
          in force from 2020-01-01
          document "d.txt"
          source "S"

        """)
    }

    func testSchemaHeaderEnumsAndRecords() {
        assertFormats("""
        schema s
            title "S"
          root Fall
          caseload by fallmanagement.fallmanager
        enum Kurz = a|b
        enum Lang = wert_eins | wert_zwei | wert_drei | wert_vier | wert_fuenf | wert_sechs | wert_sieben | wert_acht | wert_neun
        record Fall
          beginn:date? required unless clearing
          kontakte: list of Kontakt dated by datum
          # doc
          id: string required
          art : set of Kontaktart
        """, """
        schema s
          title "S"
          root Fall
          caseload by fallmanagement.fallmanager

        enum Kurz = a | b
        enum Lang =
            wert_eins | wert_zwei | wert_drei | wert_vier | wert_fuenf | wert_sechs | wert_sieben
          | wert_acht | wert_neun

        record Fall
          beginn: date? required unless clearing
          kontakte: list of Kontakt dated by datum
          # doc
          id: string required
          art: set of Kontaktart

        """)
    }

    func testParamsAndDefines() {
        assertFormats("""
        policy p
        param  frist :duration=14 days
        override param regeldauer = 5 years
        param eins = 1 months
        param dauer = 14 days from 2024-01-01 = 21 days   from 2025-01-01 = 1 month
        define menge: set of Kontaktart = {beratungsvermerk, eingliederungsvereinbarung, standortbestimmung, fallmanagement, telefonat}
        define leer: set of Kontaktart = { }
        define ende = latest k in qualifizierte_kontakte where k.datum >= fm.beginn and k.datum <= stichtag by k.datum
        """, """
        policy p

        param frist: duration = 14 days
        override param regeldauer = 5 years
        param eins = 1 month
        param dauer = 14 days
          from 2024-01-01 = 21 days
          from 2025-01-01 = 1 month
        define menge: set of Kontaktart = {
          beratungsvermerk, eingliederungsvereinbarung, standortbestimmung, fallmanagement, telefonat
        }
        define leer: set of Kontaktart = {}
        define ende =
          latest k in qualifizierte_kontakte where k.datum >= fm.beginn and k.datum <= stichtag by k.datum

        """)
    }

    func testRulesOutcomesDeadlinesAndMessages() {
        assertFormats(#"""
        policy p
        rule x.y "t" cites "1" info when true message "m {due} \{lit\} \\ \" {a+1}"
        override rule z.w
          when a
          (if a then error else warning) message "x"
          deadline fm.beginn + 1 months
            missing info message "m"
            overdue (if a then error else warning) message "o"
            upcoming   info message "bald {due}"
        rule a.b "ohne Bedingung" cites "2" error message "immer"
        rule c.d "mit Frist" cites "3" warning due fm.beginn message "fällig {due}"
        adopt rule q.r "Neu" cites "§1"
        adopt rule q.s cites "§2"
        remove rule s.t
        caseload rule k.l "t"
          cites "x"
          warning when (count c in faelle where c.in_betreuung) > 0 due stichtag message "x"
        override caseload rule k.m "t" cites "x" info message "{count faelle}"
        """#, #"""
        policy p

        rule x.y "t"
          cites "1"
          info when true
            message "m {due} \{lit\} \\ \" {a + 1}"

        override rule z.w
          when a
          (if a then error else warning)
            message "x"
          deadline fm.beginn + 1 month
            missing info message "m"
            overdue (if a then error else warning)
              message "o"
            upcoming info message "bald {due}"

        rule a.b "ohne Bedingung"
          cites "2"
          error message "immer"

        rule c.d "mit Frist"
          cites "3"
          warning
            due fm.beginn
            message "fällig {due}"

        adopt rule q.r "Neu" cites "§1"
        adopt rule q.s cites "§2"
        remove rule s.t

        caseload rule k.l "t"
          cites "x"
          warning when (count c in faelle where c.in_betreuung) > 0
            due stichtag
            message "x"

        override caseload rule k.m "t"
          cites "x"
          info message "{count faelle}"

        """#)
    }

    func testExpressionsKeepTheAuthorsParenthesesAndAddNone() {
        assertFormats("""
        policy p
        define a = ((x))
        define b = not (fm.beendigungsgrund in berliner_beendigungsgruende) and - -y
        define c = x*(y+1) - -2
        define d = (count k in kontakte where k.art=telefonat) >= 1 and (fm.ende <= stichtag) is true
        define e = stichtag in k.datum .. k.datum+12 months
        define f = if u25 then Kontaktart.telefonat else {a,b}
        define g = age( person.geburtsdatum , stichtag ) < 25 otherwise false
        define h = count k in kontakte where k.datum > stichtag and k.art in {telefonat, netzwerk}
        define i = x.y.z is present is true
        define j = "Text mit # Raute" != "x"
        define k = 2025-03-01 + 1.5 * 3
        """, """
        policy p

        define a = ((x))
        define b = not (fm.beendigungsgrund in berliner_beendigungsgruende) and - -y
        define c = x * (y + 1) - -2
        define d = (count k in kontakte where k.art = telefonat) >= 1 and (fm.ende <= stichtag) is true
        define e = stichtag in k.datum .. k.datum + 12 months
        define f = if u25 then Kontaktart.telefonat else {a, b}
        define g = age(person.geburtsdatum, stichtag) < 25 otherwise false
        define h = count k in kontakte where k.datum > stichtag and k.art in {telefonat, netzwerk}
        define i = x.y.z is present is true
        define j = "Text mit # Raute" != "x"
        define k = 2025-03-01 + 1.5 * 3

        """)
    }

    /// A tree built by a program has no parentheses; the printer adds exactly the needed ones.
    func testAddsParenthesesATreeNeeds() {
        let s = Span(0, 0)
        func n(_ t: String) -> Expr { .name(Name(t, s)) }
        let printer = ExpressionPrinter(keywords: .english, literals: LiteralText(file: SourceFile(path: "t.fm", text: "")),
                                        anchors: TokenAnchors(SourceFile(path: "t.fm", text: ""), keywords: .english))
        func text(_ e: Expr) -> String { printer.text(e) }
        XCTAssertEqual(text(.binary(.times, .binary(.plus, n("a"), n("b"), s), n("c"), s)), "(a + b) * c")
        XCTAssertEqual(text(.binary(.plus, n("a"), .binary(.plus, n("b"), n("c"), s), s)), "a + (b + c)")
        XCTAssertEqual(text(.binary(.plus, .binary(.plus, n("a"), n("b"), s), n("c"), s)), "a + b + c")
        XCTAssertEqual(text(.unary(.not, .binary(.and, n("a"), n("b"), s), s)), "not (a and b)")
        XCTAssertEqual(text(.binary(.and, .unary(.not, n("a"), s), n("b"), s)), "not a and b")
        XCTAssertEqual(text(.binary(.or, n("a"), .binary(.and, n("b"), n("c"), s), s)), "a or b and c")
        XCTAssertEqual(text(.binary(.and, n("a"), .binary(.or, n("b"), n("c"), s), s)), "a and (b or c)")
        XCTAssertEqual(text(.isTest(.unary(.not, n("a"), s), .isTrue, s)), "(not a) is true")
        XCTAssertEqual(text(.binary(.less, .binary(.less, n("a"), n("b"), s), n("c"), s)), "(a < b) < c")
        XCTAssertEqual(text(.binary(.plus, n("d"), .conditional(n("u"), n("x"), n("y"), s), s)), "d + (if u then x else y)")
        let counted = Expr.listOperation(.count, binder: Name("k", s), list: n("L"), condition: n("c"), key: nil, s)
        XCTAssertEqual(text(.binary(.greater, counted, .integer(0, s), s)), "(count k in L where c) > 0")
        XCTAssertEqual(text(.binary(.greater, .integer(0, s), counted, s)), "0 > count k in L where c")
        XCTAssertEqual(text(.binary(.and, .binary(.greater, .integer(0, s), counted, s), n("b"), s)), "(0 > count k in L where c) and b")
        XCTAssertEqual(text(.field(counted, Name("x", s))), "(count k in L where c).x")
        XCTAssertEqual(text(.unary(.negate, .binary(.minus, n("a"), n("b"), s), s)), "-(a - b)")
    }

    func testLongConditionsBreakBeforeAndOr() {
        assertFormats("""
        policy p
        rule r.s "t"
          cites "1"
          when in_betreuung and not (letzte_fortfuehrungspruefung.tl_informiert is true or letzte_fortfuehrungspruefung.tl_zustimmung is true)
          warning when fm.beginn < letzte_fruehere_betreuung.ende + sperrfrist and not (arbeitsaufnahme_seit_ende is true)
            message "x"
          deadline (letzter_qualifizierter_kontakt.datum otherwise fm.beginn) + (if u25 and person.arbeitslos is true then kontaktintervall_u25 else kontaktintervall)
            overdue error message "y"
        define lang = letzte_fortfuehrungspruefung.datum > fm.beginn and person.arbeitslos is true or u25 and not (fm.ende is absent)
        """, """
        policy p

        rule r.s "t"
          cites "1"
          when in_betreuung
            and not (letzte_fortfuehrungspruefung.tl_informiert is true or letzte_fortfuehrungspruefung.tl_zustimmung is true)
          warning when fm.beginn < letzte_fruehere_betreuung.ende + sperrfrist
              and not (arbeitsaufnahme_seit_ende is true)
            message "x"
          deadline (letzter_qualifizierter_kontakt.datum otherwise fm.beginn)
              + (if u25 and person.arbeitslos is true then kontaktintervall_u25 else kontaktintervall)
            overdue error message "y"

        define lang =
          letzte_fortfuehrungspruefung.datum > fm.beginn and person.arbeitslos is true
          or u25 and not (fm.ende is absent)

        """)
    }

    func testCommentsStayWhereTheyStand() {
        assertFormats("""
        # file head

        # second block
        policy t extends ba   # behind the header
          # before the title
          title "T"
          citation "C"  # behind the citation
        param a = 1 # one
        param b=2
        # about c


        param c = 3
        define d = a   # after a
          and b # after b
          # before or
          or not c
        rule x.y "t"
          # before cites
          cites "1"
          when a # guard
          # before the outcome
          info # behind the severity
            message "m"
        # at the end
        """, """
        # file head

        # second block
        policy t extends ba  # behind the header
          # before the title
          title "T"
          citation "C"  # behind the citation

        param a = 1  # one
        param b = 2
        # about c

        param c = 3
        define d = a  # after a
          and b  # after b
          # before or
          or not c

        rule x.y "t"
          # before cites
          cites "1"
          when a  # guard
          # before the outcome
          info  # behind the severity
            message "m"
        # at the end

        """)
    }

    func testBlankLinesBetweenDeclarationsFollowTheSource() {
        assertFormats("policy p\n  title \"T\"\nparam a = 1\n\n\n\nparam b = 2\nparam c = 3\nrule r.s \"t\" cites \"1\" info message \"x\"\nparam d = 4\n",
                      "policy p\n  title \"T\"\n\nparam a = 1\n\nparam b = 2\nparam c = 3\n\nrule r.s \"t\"\n  cites \"1\"\n  info message \"x\"\n\nparam d = 4\n")
    }

    func testLineEndingsAndByteOrderMark() {
        XCTAssertEqual(format("\u{FEFF}# Kopf\r\npolicy p\r\n  title \"T\"   \r\n"), "# Kopf\npolicy p\n  title \"T\"\n")
        XCTAssertEqual(format(""), "")
        XCTAssertEqual(format("# nur ein Kommentar\n"), "# nur ein Kommentar\n")
    }
}
