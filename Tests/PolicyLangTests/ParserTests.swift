@testable import PolicyLang
import XCTest

final class ParserTests: XCTestCase {
    func parse(_ text: String) -> Parser.Output { Parser.parse(SourceFile(path: "t.fm", text: text)) }

    func testKeepsEveryCommentAndDocumentsDeclarations() {
        let out = parse("""
        # Kopf
        policy p
          title "T" # hinter dem Titel
        # Die Regel
        # zweite Zeile
        rule a.b "x" cites "1" info when true message "m"
        """)
        XCTAssertTrue(out.diagnostics.isEmpty, DiagnosticRenderer().render(out.diagnostics))
        XCTAssertEqual(out.tree.comments.map(\.text), ["# Kopf", "# hinter dem Titel", "# Die Regel", "# zweite Zeile"])
        XCTAssertEqual(out.tree.declarations.first?.leadingComments.map(\.text), ["# Die Regel", "# zweite Zeile"])
    }

    func testSpansPointAtTheSource() {
        let file = SourceFile(path: "t.fm", text: "policy p\ndefine grenze = fm.beginn + 6 months\n")
        let out = Parser.parse(file)
        guard case .definition(let v) = out.tree.declarations.first?.kind else { return XCTFail() }
        XCTAssertEqual(file.text(of: v.value.span), "fm.beginn + 6 months")
        XCTAssertEqual(file.text(of: v.name.span), "grenze")
    }

    func testRecoversAndReportsEveryError() {
        let out = parse("""
        policy p
        define a = (1 +
        rule x.y "t" cites "1" info when true message "ok"
        define b = = 2
        param c = 3
        """)
        XCTAssertEqual(out.diagnostics.count, 2, DiagnosticRenderer().render(out.diagnostics))
        XCTAssertEqual(out.tree.declarations.count, 4)
    }

    func testMessageHolesAreParsedWithFileSpans() {
        let file = SourceFile(path: "t.fm", text: #"policy p rule a.b "t" cites "1" error when true due stichtag message "seit {due} ({fm.beginn})""#)
        let out = Parser.parse(file)
        guard case .rule(let r) = out.tree.declarations.first?.kind, case .finding(_, _, _, let m?, _) = r.outcomes.first else { return XCTFail() }
        let holes = m.parts.compactMap { part -> String? in if case .hole(let e) = part { return file.text(of: e.span) }; return nil }
        XCTAssertEqual(holes, ["due", "fm.beginn"])
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = "policy p\ndefine x = " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let out = parse(deep)
        XCTAssertTrue(out.diagnostics.contains { $0.message.contains("nested more than") })
    }

    /// `1 + 1 + …` nests as deep as it is long; 2,000 links once overflowed the checker's stack.
    func testLongOperatorChainsCountAsNesting() {
        for link in [" + 1", " * 1", " otherwise 1", " and true", " or true", ".x", " is present"] {
            let long = parse("policy p\ndefine x = 1" + String(repeating: link, count: 100_000))
            XCTAssertEqual(long.diagnostics.filter { $0.message.contains("nested more than 200 levels") }.count, 1, link)
            let short = parse("policy p\ndefine x = 1" + String(repeating: link, count: 150))
            XCTAssertEqual(short.diagnostics.map(\.message), [], link)
        }
    }

    func testKeywordsComeFromOneTable() {
        XCTAssertEqual(KeywordSet.english.keyword("deadline"), .deadline)
        XCTAssertNil(KeywordSet.english.keyword("frist"))
        for k in Keyword.allCases { XCTAssertEqual(KeywordSet.english.keyword(KeywordSet.english.spelling(k)), k) }
    }

    func testRendererShowsLineAndCaret() {
        let file = SourceFile(path: "p.fm", text: "policy p\n  when stichtag > fm.begin\n")
        let d = Diagnostic(.error, "E0419", "`Fallmanagement` has no field `begin`", file: file, span: Span(30, 35), help: "did you mean `beginn`?")
        XCTAssertEqual(DiagnosticRenderer().render(d), """
        p.fm:2:22: error[E0419]: `Fallmanagement` has no field `begin`
          |
        2 |   when stichtag > fm.begin
          |                      ^^^^^
        help: did you mean `beginn`?

        """)
    }
}
