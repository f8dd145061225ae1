import Foundation
import XCTest

/// `fmpolicy lint` as a user runs it: exit statuses, the text and the JSON form.
final class LintCommandLineTests: XCTestCase {
    func run(_ args: [String], env: [String: String] = [:]) throws -> CommandLineTests.Run {
        try CommandLineTests.run(args, env: env)
    }

    func testWarningsExitOneAndAreRenderedLikeDiagnostics() throws {
        let r = try run(["lint", "Tests/Lint/unused.fm"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("Tests/Lint/unused.fm:8:7: warning[L001]: parameter `nie_gelesen` is never used\n  |\n8 | param nie_gelesen = 3\n  |       ^^^^^^^^^^^\nhelp: "), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("\nlint: 3 warnings in 1 file (1 file linted)\n"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testNoWarningsExitsZero() throws {
        let r = try run(["lint", "Tests/Lint/possible.fm", "Tests/Lint/unused-extension.fm"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "lint: no warnings (2 files linted)\n")
    }

    func testAFileWithErrorsExitsTwoAndShowsTheErrorsButTheOthersAreLinted() throws {
        let r = try run(["lint", "Tests/Errors/policies/unknown-name.fm", "Tests/Lint/unused.fm", "does-not-exist.fm"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("error[E0416]"), r.stderr)
        XCTAssertTrue(r.stderr.contains("error[E0010]: cannot read `does-not-exist.fm`: no such file"), r.stderr)
        XCTAssertTrue(r.stdout.contains("warning[L001]"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("(1 file linted, 2 not: see the errors above)\n"), r.stdout)
    }

    func testJSONIsOneSortedArrayOfFlatObjects() throws {
        let r = try run(["lint", "Tests/Lint/unused.fm", "Tests/Lint/outline.fm", "--format", "json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        let items = try XCTUnwrap(parsed as? [[String: Any]])
        XCTAssertEqual(items.count, 8)
        for item in items {
            XCTAssertEqual(Set(item.keys), ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message", "help"])
            XCTAssertEqual(item["severity"] as? String, "warning")
            XCTAssertNotNil(item["help"] as? String)
        }
        let places = items.map { ($0["file"] as! String, $0["line"] as! Int, $0["column"] as! Int) }
        XCTAssertEqual(places.map { "\($0.0):\($0.1):\($0.2)" },
                       places.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map { "\($0.0):\($0.1):\($0.2)" })
        XCTAssertEqual(places.first.map { "\($0.0):\($0.1):\($0.2)" }, "Tests/Lint/outline.fm:12:40")
        XCTAssertEqual(items.first?["endColumn"] as? Int, 44)
        XCTAssertEqual(items.first?["code"] as? String, "L004")
        // The same run gives the same document.
        XCTAssertEqual(try run(["lint", "Tests/Lint/unused.fm", "Tests/Lint/outline.fm", "--format", "json"]).stdout, r.stdout)
    }

    func testJSONCarriesTheErrorsOfAFileThatCannotBeLinted() throws {
        let r = try run(["lint", "Tests/Errors/policies/unknown-name.fm", "--format", "json"])
        XCTAssertEqual(r.status, 2)
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.first?["severity"] as? String, "error")
        XCTAssertEqual(items.first?["code"] as? String, "E0416")
    }

    func testWithoutFilesTheShippedPoliciesAreLinted() throws {
        let r = try run(["lint"])
        XCTAssertTrue([0, 1].contains(r.status), r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("(6 files linted)"), r.stdout)
    }

    func testHelpAndUsageErrors() throws {
        let help = try run(["lint", "--help"])
        XCTAssertEqual(help.status, 0)
        for code in ["L001", "L002", "L003", "L004", "L005", "EXIT STATUS"] { XCTAssertTrue(help.stdout.contains(code), code) }
        let bad = try run(["lint", "--format", "xml"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("`--format` is `text` or `json`"), bad.stderr)
        XCTAssertTrue(try run(["lnt"]).stderr.contains("did you mean `lint`?"))
    }
}
