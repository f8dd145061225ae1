@testable import PolicyLang
import XCTest

/// The syntax of dated parameters: `param NAME [: TYPE] = VALUE (from DATE = VALUE)*`.
final class DatedParameterParserTests: XCTestCase {
    func testParsesDatedValuesIntoTheValueDeclaration() {
        let file = SourceFile(path: "t.fm", text: """
        policy p
        # Kontaktintervall
        param kontaktintervall = 14 days
          from 2024-01-01 = 21 days
          from 2025-07-01 = 1 month
        define d = kontaktintervall
        """)
        let out = Parser.parse(file)
        XCTAssertTrue(out.diagnostics.isEmpty, DiagnosticRenderer().render(out.diagnostics))
        XCTAssertEqual(out.tree.declarations.count, 2)
        guard case .parameter(let v) = out.tree.declarations[0].kind else { return XCTFail() }
        XCTAssertEqual(file.text(of: v.value.span), "14 days")
        XCTAssertEqual(v.dated.map(\.from.text), ["2024-01-01", "2025-07-01"])
        XCTAssertEqual(v.dated.map { file.text(of: $0.value.span) }, ["21 days", "1 month"])
        XCTAssertEqual(v.dated.map { file.text(of: $0.span) }, ["from 2024-01-01 = 21 days", "from 2025-07-01 = 1 month"])
        XCTAssertEqual(file.text(of: out.tree.declarations[0].span), "param kontaktintervall = 14 days\n  from 2024-01-01 = 21 days\n  from 2025-07-01 = 1 month")
        XCTAssertEqual(out.tree.declarations[0].leadingComments.map(\.text), ["# Kontaktintervall"])
        guard case .definition(let d) = out.tree.declarations[1].kind else { return XCTFail() }
        XCTAssertTrue(d.dated.isEmpty)
    }

    func testDatedValuesAreForParametersOnlyAndNeedADate() {
        let define = Parser.parse(SourceFile(path: "t.fm", text: "policy p\ndefine d = 1\n  from 2024-01-01 = 2\nparam q = 3\n"))
        XCTAssertEqual(define.diagnostics.map(\.message), ["only a parameter can change on a date; `d` is a definition"])
        XCTAssertEqual(define.tree.declarations.count, 2, "the parser resumes at the next declaration")
        let noDate = Parser.parse(SourceFile(path: "t.fm", text: "policy p\nparam d = 1\n  from heute = 2\n"))
        XCTAssertEqual(noDate.diagnostics.map(\.message), ["expected the date the value applies from (YYYY-MM-DD), found `heute`"])
        let noEquals = Parser.parse(SourceFile(path: "t.fm", text: "policy p\nparam d = 1\n  from 2024-01-01 2\n"))
        XCTAssertEqual(noEquals.diagnostics.map(\.message), ["expected `=` after `from 2024-01-01`, found `2`"])
    }
}
