import Foundation
import PolicyLang
@testable import PolicyRuntime
import XCTest

/// The coverage recorder of `fmpolicy test --coverage`: which rules fired, which branches of
/// their conditions were taken.
final class CoverageTests: XCTestCase {
    /// A small standalone policy (no base): every kind of branch point once.
    static let source = """
    policy probe extends ba
      title "Probe"
      citation "Probe"

    remove rule zugang.kriterien
    remove rule zugang.pruefung
    remove rule fortfuehrung.pruefung
    remove rule dauer.regel
    remove rule beendigung.grund

    rule t.arbeitslos "a" cites "1"
      when person.arbeitslos and stichtag > 2025-01-01
      info message "arbeitslos"

    rule t.frist "f" cites "1"
      deadline fm.beginn + (if person.arbeitslos is true then 1 month else 2 months)
        overdue error message "überfällig"
        upcoming info message "bald"

    rule t.nie "n" cites "1"
      warning when person.rechtskreis = SGB3 or false message "nie"
    """

    func policy() throws -> CheckedPolicy {
        let loaded = try TestPolicies.compile(Self.source)
        guard let p = loaded.policy else { XCTFail(DiagnosticRenderer().render(loaded.diagnostics)); throw CancellationError() }
        return p
    }

    func record(_ cases: [String], _ p: CheckedPolicy) throws -> CoverageRecorder {
        let recorder = CoverageRecorder()
        var options = CheckOptions()
        options.horizonDays = 30
        for c in cases {
            let plain = CaseChecker(policy: p).check(try CaseDecoder(schema: p.schema).decode(c), options: options)
            let recorded = recorder.check(try CaseDecoder(schema: p.schema).decode(c), policy: p, options: options)
            // Recording does not change the result.
            XCTAssertEqual(recorded.findings, plain.findings)
        }
        XCTAssertEqual(recorder.disagreements, [])
        return recorder
    }

    func observed(_ r: CoverageRecorder.RuleCoverage) -> [String] {
        r.points.map { p in "\(p.kind.rawValue) \(p.text): " + p.possible.filter(p.observed.contains).map(\.rawValue).joined(separator: "/") }
    }

    func testLaysOutEveryBranchPointOfARule() throws {
        let recorder = try record([], try policy())
        XCTAssertNil(recorder.policies["probe"])
        recorder.add(try policy())
        let p = try XCTUnwrap(recorder.policies["probe"])
        XCTAssertEqual(p.rules.map(\.id), ["t.arbeitslos", "t.frist", "t.nie"])
        let layout = p.rules.map { r in r.points.map { "\($0.kind.rawValue) \($0.text) [\($0.possible.map(\.rawValue).joined(separator: "/"))]" } }
        XCTAssertEqual(layout, [
            ["when person.arbeitslos and stichtag > 2025-01-01 [true/false/unknown]",
             "condition person.arbeitslos [true/false/unknown]",
             "condition stichtag > 2025-01-01 [true/false]"],
            ["deadline fm.beginn + (if person.arbeitslos is true then 1 month else 2 months) [overdue/upcoming/met/missing]",
             "if person.arbeitslos is true [true/false]"],
            ["outcome person.rechtskreis = SGB3 or false [true/false/unknown]",
             "condition person.rechtskreis = SGB3 [true/false/unknown]",
             "condition false [true/false]"],
        ])
        XCTAssertEqual(p.rules.map(\.branchesTotal), [8, 6, 8])
        XCTAssertEqual(p.rules.map(\.branchesCovered), [0, 0, 0])
        XCTAssertFalse(p.rules.contains(where: \.fired))
    }

    func testRecordsFiredRulesAndTheBranchesTaken() throws {
        let p = try policy()
        let person = #""person":{"geburtsdatum":"1980-01-01","rechtskreis":"SGB2""#
        let recorder = try record([
            // arbeitslos: guard true; in care since 2025-02-10 + 1 month = 2025-03-10: upcoming.
            #"{"id":"A","stichtag":"2025-03-01",\#(person),"arbeitslos":true},"fallmanagement":{"beginn":"2025-02-10"}}"#,
            // arbeitslos absent: the guard is unknown (the right side is still looked at); no
            // fallmanagement: the deadline is missing (no branch, so no finding).
            #"{"id":"B","stichtag":"2025-03-01",\#(person)}}"#,
            // arbeitslos false: the left side decides, `stichtag > …` is not evaluated;
            // 2024-10-01 + 2 months = 2024-12-01 < t: overdue.
            #"{"id":"C","stichtag":"2025-03-01",\#(person),"arbeitslos":false},"fallmanagement":{"beginn":"2024-10-01"}}"#,
        ], p)
        let coverage = try XCTUnwrap(recorder.policies["probe"])
        XCTAssertEqual(coverage.cases, 3)
        let rules = Dictionary(uniqueKeysWithValues: coverage.rules.map { ($0.id, $0) })
        XCTAssertEqual(rules["t.arbeitslos"]?.findings, 1)
        XCTAssertEqual(rules["t.frist"]?.findings, 2)
        XCTAssertEqual(rules["t.nie"]?.findings, 0)
        XCTAssertEqual(rules.values.map(\.evaluations), [3, 3, 3])
        XCTAssertEqual(observed(rules["t.arbeitslos"]!), [
            "when person.arbeitslos and stichtag > 2025-01-01: true/false/unknown",
            "condition person.arbeitslos: true/false/unknown",
            "condition stichtag > 2025-01-01: true",
        ])
        XCTAssertEqual(observed(rules["t.frist"]!), [
            "deadline fm.beginn + (if person.arbeitslos is true then 1 month else 2 months): overdue/upcoming/missing",
            "if person.arbeitslos is true: true/false",
        ])
        // `false` on the right of `or` is evaluated (the left is false), the whole is false.
        XCTAssertEqual(observed(rules["t.nie"]!), [
            "outcome person.rechtskreis = SGB3 or false: false",
            "condition person.rechtskreis = SGB3: false",
            "condition false: false",
        ])
        XCTAssertEqual(coverage.rulesFired, 2)
        XCTAssertEqual(CoverageReport.below(recorder, minimum: 66), [])
        XCTAssertEqual(CoverageReport.below(recorder, minimum: 67), ["probe"])
        XCTAssertEqual(CoverageReport.percent(2, 3), "66.6")
        XCTAssertEqual(CoverageReport.percent(3, 3), "100")
        XCTAssertEqual(CoverageReport.percent(0, 0), "100")
    }

    func testReportAsTableAndAsJSONWithSortedKeys() throws {
        let p = try policy()
        let recorder = try record([#"{"id":"A","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01","arbeitslos":true}}"#], p)
        let text = CoverageReport.text(recorder)
        XCTAssertTrue(text.contains("coverage of policy probe: 1 case\n"), text)
        XCTAssertTrue(text.contains("  t.arbeitslos  yes    1/1          3/8     37.5 %\n"), text)
        XCTAssertTrue(text.contains("  rules: 1/3 fired (33.3 %) · branches: 8/22 (36.3 %)\n"), text)
        let json = CoverageReport.json(recorder, minimum: 50)
        XCTAssertEqual(json["min_coverage"], .number("50"))
        let probe = try XCTUnwrap(json["policies"]?["probe"])
        XCTAssertEqual(probe["rules"], .object([("covered", .number("1")), ("percent", .number("33.3")), ("total", .number("3"))]))
        XCTAssertEqual(probe["meets_minimum"], .bool(false))
        func keysSorted(_ v: JSONValue) -> Bool {
            switch v {
            case .object(let members): return members.map(\.0) == members.map(\.0).sorted() && members.allSatisfy { keysSorted($0.1) }
            case .array(let xs): return xs.allSatisfy(keysSorted)
            default: return true
            }
        }
        XCTAssertTrue(keysSorted(json))
    }

    /// The repository's goldens: every rule of the four jobcenters fires in some golden case (or
    /// caseload object), and the instrumented pass agrees with the checker on every case.
    func testGoldenCasesFireEveryRuleOfTheFourJobcenters() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(GoldenTests.root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        var suite = GoldenSuite(library: PolicyLibrary(searchPath: ["policies"]))
        let recorder = CoverageRecorder()
        suite.coverage = recorder
        let outcomes = suite.run(GoldenSuite.discover("Tests/Golden"))
        XCTAssertEqual(outcomes.filter { $0.status != .passed }.map(\.name), [])
        XCTAssertEqual(recorder.disagreements, [])
        for name in ["ilmkreis", "hannover", "berlin", "kkm", "datierte_parameter"] {
            let p = try XCTUnwrap(recorder.policies[name], name)
            XCTAssertEqual(p.rules.filter { !$0.fired }.map(\.id), [], name)
            XCTAssertGreaterThan(p.cases, 5, name)
        }
        // Caseload rules are covered through the caseload goldens' staff files.
        XCTAssertEqual(recorder.policies["hannover"]?.rules.first { $0.id == "fallzahl.schluessel" }?.fired, true)
        XCTAssertEqual(recorder.policies["kkm"]?.rules.first { $0.id == "kontakt.quote" }?.fired, true)
        XCTAssertEqual(CoverageReport.below(recorder, minimum: 100), [])
    }

    /// Tests/Golden/datierte_parameter has its own policy file beside its cases: dated parameters and the
    /// in-force date, worked out by hand in its README.
    func testDatedGoldenFolder() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(GoldenTests.root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let paths = GoldenSuite.discover("Tests/Golden/datierte_parameter")
        XCTAssertFalse(paths.contains { $0.hasSuffix(".fm") }, "the folder's policy is not a diagnostics golden")
        XCTAssertGreaterThanOrEqual(paths.count, 9)
        var suite = GoldenSuite(library: PolicyLibrary(searchPath: ["policies"]))
        for outcome in suite.run(paths) where outcome.status != .passed { XCTFail("\(outcome.name)\n\(outcome.diff)") }
    }
}
