import Foundation
import XCTest

/// `fmpolicy test --coverage`, the in-force date on `check`, and dated parameters in `diff`,
/// run through the built binary.
final class CoverageCommandLineTests: XCTestCase {
    func run(_ args: [String], stdin: String? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests.run(args, stdin: stdin)
    }

    func testCoverageOfTheGoldensAsJSON() throws {
        let r = try run(["test", "Tests/Golden", "--coverage", "--format", "json", "--min-coverage", "100"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains(" passed, 0 failed"), r.stderr)
        guard let document = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let policies = document["policies"] as? [String: [String: Any]] else {
            return XCTFail("standard output is one JSON document: \(r.stdout.prefix(300))")
        }
        XCTAssertEqual(document["min_coverage"] as? Int, 100)
        for name in ["ilmkreis", "hannover", "berlin", "kkm"] {
            let p = try XCTUnwrap(policies[name], name)
            let rules = try XCTUnwrap(p["rules"] as? [String: Any], name)
            XCTAssertEqual(rules["percent"] as? Int, 100, name)
            XCTAssertEqual(rules["covered"] as? Int, rules["total"] as? Int, name)
            XCTAssertEqual(p["meets_minimum"] as? Bool, true, name)
            let branches = try XCTUnwrap(p["branches"] as? [String: Any], name)
            XCTAssertNotNil(branches["covered"] as? Int, name)
            let byRule = try XCTUnwrap(p["by_rule"] as? [String: [String: Any]], name)
            XCTAssertEqual(byRule.values.filter { $0["fired"] as? Bool != true }.count, 0, name)
            for (id, rule) in byRule {
                let points = try XCTUnwrap(rule["points"] as? [[String: Any]], id)
                XCTAssertFalse(points.isEmpty, id)
                for point in points {
                    XCTAssertEqual(Set(point.keys), ["kind", "location", "missing", "observed", "possible", "text"], id)
                }
            }
        }
        XCTAssertEqual(Set((policies["ilmkreis"]?["by_rule"] as? [String: Any])?.keys ?? [:].keys),
                       ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel", "kontakt.intervall", "beendigung.grund"])
        // Stable: the same run gives the same bytes.
        XCTAssertEqual(try run(["test", "Tests/Golden", "--coverage", "--format", "json", "--min-coverage", "100"]).stdout, r.stdout)
    }

    func testCoverageTableAndMinimumThatCannotBeMet() throws {
        let table = try run(["test", "Tests/Golden/kkm", "--coverage"])
        XCTAssertEqual(table.status, 0, table.stdout)
        XCTAssertTrue(table.stdout.contains("coverage of policy kkm: "), table.stdout)
        XCTAssertTrue(table.stdout.contains("  rules: 3/3 fired (100 %) · branches: "), table.stdout)
        let impossible = try run(["test", "Tests/Golden/kkm", "--min-coverage", "101"])
        XCTAssertEqual(impossible.status, 1, impossible.stdout)
        XCTAssertTrue(impossible.stdout.contains("coverage: rule coverage below 101 %: kkm"), impossible.stdout)
        XCTAssertTrue(impossible.stdout.contains("golden: "), "the tests themselves still ran")
        XCTAssertEqual(try run(["test", "Tests/Golden/kkm", "--min-coverage", "viel"]).status, 2)
        XCTAssertEqual(try run(["test", "Tests/Golden/kkm", "--format", "json"]).status, 2, "--format needs --coverage")
    }

    func testCaseBeforeThePolicyCameIntoForce() throws {
        let r = try run(["check", "examples/ilmkreis/ohne-befund.json", "--policy", "ilmkreis", "--as-of", "2017-12-31"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("error: case `IK-B03`: policy `ilmkreis` is in force from 2018-01-01; the Stichtag 2017-12-31 (`--as-of`) lies before that"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--ignore-in-force"), r.stderr)
        let onTheDay = try run(["check", "examples/ilmkreis/ohne-befund.json", "--policy", "ilmkreis", "--as-of", "2018-01-01"])
        XCTAssertNotEqual(onTheDay.status, 2, onTheDay.stderr)
        let ignored = try run(["check", "examples/ilmkreis/ohne-befund.json", "--policy", "ilmkreis", "--as-of", "2017-12-31", "--ignore-in-force", "--format", "json"])
        XCTAssertTrue(ignored.stdout.contains(#""stichtag":"2017-12-31""#), ignored.stdout + ignored.stderr)
        // A caseload: an error line for that case, every other line checked, exit 2 at the end.
        let json = try String(contentsOf: CommandLineTests.root.appendingPathComponent("examples/ilmkreis/ohne-befund.json"), encoding: .utf8)
            .replacingOccurrences(of: "\n", with: "")
        let early = json.replacingOccurrences(of: #""stichtag": "2025-03-01""#, with: #""stichtag": "2017-05-01""#)
        XCTAssertNotEqual(early, json)
        let batch = try run(["check", "-", "--jsonl", "--policy", "ilmkreis"], stdin: json + "\n" + early + "\n" + json + "\n")
        XCTAssertEqual(batch.status, 2)
        let lines = batch.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[1], #"{"line":2,"case":"IK-B03","error":"policy `ilmkreis` is in force from 2018-01-01; the Stichtag 2017-05-01 lies before that"}"#)
        XCTAssertTrue(lines[2].hasPrefix(#"{"case":"IK-B03""#))
        let all = try run(["check", "-", "--jsonl", "--policy", "ilmkreis", "--ignore-in-force"], stdin: json + "\n" + early + "\n")
        XCTAssertFalse(all.stdout.contains("error"), all.stdout)
    }

    func testDiffShowsDatedValues() throws {
        let r = try run(["diff", "Tests/Golden/datierte_parameter/datierte_parameter.fm", "ilmkreis"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("regeldauer: 2 years from 2025-01-01 = 3 years / 2 years"), r.stdout)
    }
}
