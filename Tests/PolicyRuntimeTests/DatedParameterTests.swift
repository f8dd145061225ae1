import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// Dated parameters (`param x = 14 days from 2024-01-01 = 21 days`) and the in-force date.
final class DatedParameterTests: XCTestCase {
    func policy(_ body: String, inForce: String? = nil) throws -> CheckedPolicy {
        let loaded = try TestPolicies.compile("""
        policy probe extends ba
          title "Probe"
          citation "Probe"
        \(inForce.map { "  in force from \($0)" } ?? "")
        \(body)
        """)
        guard let p = loaded.policy else { XCTFail(DiagnosticRenderer().render(loaded.diagnostics)); throw CancellationError() }
        return p
    }

    /// Writes each file into one fresh folder and loads the last one, so files can extend each other.
    func chain(_ files: [(String, String)]) throws -> PolicyLibrary.Loaded {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-dated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name + ".fm"), atomically: true, encoding: .utf8) }
        return PolicyLibrary(searchPath: [TestPolicies.root + "/policies"]).load(path: dir.appendingPathComponent(files.last!.0 + ".fm").path)
    }

    func message(_ p: CheckedPolicy, rule: String, on stichtag: String) throws -> String {
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"\#(stichtag)","person":{"geburtsdatum":"1980-01-01"}}"#, p)
        return r.findings.first { $0.rule == rule }?.message ?? "none"
    }

    static let frist = """
    param frist = 2 months
      from 2024-07-01 = 1 month
      from 2025-01-01 = 14 days
    rule t.frist "f" cites "1" info when true due 2024-01-01 + frist message "{frist} bis {due}"
    """

    /// The latest `from` date on or before the Stichtag applies; before the first, the first value.
    func testTheValueInForceOnTheStichtagApplies() throws {
        let p = try policy(Self.frist)
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2020-01-01"), "2 Monate bis 2024-03-01")
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2024-06-30"), "2 Monate bis 2024-03-01")
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2024-07-01"), "1 Monat bis 2024-02-01")
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2024-12-31"), "1 Monat bis 2024-02-01")
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2025-01-01"), "14 Tage bis 2024-01-15")
        XCTAssertEqual(try message(p, rule: "t.frist", on: "2031-05-05"), "14 Tage bis 2024-01-15")
    }

    func testCheckedValueKeepsTheDatedValues() throws {
        let p = try policy(Self.frist)
        let v = try XCTUnwrap(p.values.first { $0.name == "frist" })
        XCTAssertEqual(v.dated?.changes.map(\.from.description), ["2024-07-01", "2025-01-01"])
        XCTAssertEqual(v.dated?.base.sourceText, "2 months")
        XCTAssertEqual(v.displayText, "2 months from 2024-07-01 = 1 month from 2025-01-01 = 14 days")
        XCTAssertEqual(v.expression(on: CalendarDate(iso: "2024-06-30")!).sourceText, "2 months")
        XCTAssertEqual(v.expression(on: CalendarDate(iso: "2024-07-01")!).sourceText, "1 month")
        XCTAssertEqual(v.expression(on: CalendarDate(iso: "2026-01-01")!).sourceText, "14 days")
        XCTAssertNil(p.values.first { $0.name == "regeldauer" }?.dated)
        // The comparison (`fmpolicy diff`) shows every value with its date.
        let row = PolicyComparison([p]).rows.first { $0.rule == "t.frist" }
        XCTAssertEqual(row?.views[0]?.parameters["frist"], "2 months from 2024-07-01 = 1 month from 2025-01-01 = 14 days")
    }

    /// Parameters computed from a dated one follow it; enum sets take their enum from the type.
    func testDerivedParametersAndTypedSets() throws {
        let p = try policy("""
        param tage = 10
          from 2025-01-01 = 20
        param doppelt = tage * 2
        param arten: set of Kontaktart = {telefonat}
          from 2025-01-01 = {telefonat, netzwerk}
        rule t.d "d" cites "1" info when (count k in kontakte where k.art in arten) > 0 message "{doppelt} {arten}"
        """)
        func run(_ t: String) throws -> String {
            let r = try TestPolicies.check(#"{"id":"A","stichtag":"\#(t)","person":{"geburtsdatum":"1980-01-01"},"kontakte":[{"datum":"2024-01-01","art":"netzwerk"}]}"#, p)
            return r.findings.first { $0.rule == "t.d" }?.message ?? "none"
        }
        XCTAssertEqual(try run("2024-12-31"), "none")
        XCTAssertEqual(try run("2025-01-01"), "40 {telefonat, netzwerk}")
    }

    /// `override param` replaces a dated parameter with a plain one or with other dated values,
    /// and a base's plain parameter with dated values; the base's rules use the override.
    func testOverrideDatedWithPlainAndWithDated() throws {
        let base = """
        policy basis extends ba
          title "Basis"
          citation "Basis"
        param frist = 2 months
          from 2025-01-01 = 1 month
        rule t.frist "f" cites "1" info when true due 2024-01-01 + frist message "{frist}"
        """
        let plain = try XCTUnwrap(try chain([("basis", base), ("eins", """
        policy eins extends basis
          title "Eins"
          citation "Eins"
        override param frist = 3 months
        """)]).policy)
        XCTAssertNil(plain.values.first { $0.name == "frist" }?.dated)
        XCTAssertEqual(try message(plain, rule: "t.frist", on: "2024-06-01"), "3 Monate")
        XCTAssertEqual(try message(plain, rule: "t.frist", on: "2025-06-01"), "3 Monate")
        let dated = try XCTUnwrap(try chain([("basis", base), ("zwei", """
        policy zwei extends basis
          title "Zwei"
          citation "Zwei"
        override param frist = 5 months
          from 2024-03-01 = 4 months
        override param regeldauer = 2 years
          from 2025-01-01 = 3 years
        """)]).policy)
        XCTAssertEqual(try message(dated, rule: "t.frist", on: "2024-02-29"), "5 Monate")
        XCTAssertEqual(try message(dated, rule: "t.frist", on: "2025-06-01"), "4 Monate")
        XCTAssertEqual(dated.values.first { $0.name == "regeldauer" }?.dated?.changes.count, 1)
    }

    func testTheCheckerRefusesBadDatedValues() throws {
        func codes(_ body: String) throws -> [String] {
            try TestPolicies.compile("policy probe extends ba\n  title \"P\"\n  citation \"P\"\n" + body).diagnostics.map(\.code)
        }
        XCTAssertEqual(try codes("param f = 2 months\n  from 2024-01-01 = 3\n"), ["E0317"])
        XCTAssertEqual(try codes("param f: decimal = 2\n  from 2024-01-01 = 2.5\n"), [])
        XCTAssertEqual(try codes("param f = 2 months\n  from 2025-01-01 = 1 month\n  from 2024-01-01 = 3 months\n"), ["E0318"])
        XCTAssertEqual(try codes("param f = 2 months\n  from 2025-01-01 = 1 month\n  from 2025-01-01 = 3 months\n"), ["E0319"])
        XCTAssertEqual(try codes("param f = 2 months\n  from 2025-02-29 = 1 month\n"), ["E0401"])
        XCTAssertEqual(try codes("param f = 2 months\n  from 2025-01-01 = stichtag\n"), ["E0417"])
        XCTAssertEqual(try codes("define f = 2 months\n  from 2025-01-01 = 1 month\n"), ["E0100"])
    }

    // MARK: in force

    func testInForceDateOfThePolicyItself() throws {
        let p = try policy("", inForce: "2024-01-01")
        XCTAssertEqual(p.notInForce(at: CalendarDate(iso: "2023-12-31")!),
                       "policy `probe` is in force from 2024-01-01; the Stichtag 2023-12-31 lies before that")
        XCTAssertNil(p.notInForce(at: CalendarDate(iso: "2024-01-01")!))
        // No date of its own: no restriction, whatever the base says (ba: 2017-10-20).
        XCTAssertNil(try policy("").notInForce(at: CalendarDate(iso: "2000-01-01")!))
    }

    /// In a JSON Lines run, a case before the in-force date is an error line; the run goes on.
    func testBatchGivesAnErrorLineForACaseBeforeTheInForceDate() throws {
        let p = try policy("", inForce: "2024-01-01")
        let lines = [#"{"id":"A","stichtag":"2023-12-31","person":{"geburtsdatum":"1980-01-01"}}"#,
                     #"{"id":"B","stichtag":"2024-01-01","person":{"geburtsdatum":"1980-01-01"}}"#]
        func run(_ options: CheckOptions) -> ([String], RunStatistics) {
            let stream = CaseStream(policy: p, options: options, countsCaseload: false)
            var stats = RunStatistics()
            var tally = CaseloadTally()
            let out = lines.enumerated().map { i, line in
                Array(line.utf8).withUnsafeBufferPointer { stream.check(line: $0, number: i + 1, statistics: &stats, tally: &tally) }
            }
            return (out, stats)
        }
        let (out, stats) = run(CheckOptions())
        XCTAssertEqual(out[0], #"{"line":1,"case":"A","error":"policy `probe` is in force from 2024-01-01; the Stichtag 2023-12-31 lies before that"}"#)
        XCTAssertTrue(out[1].hasPrefix(#"{"case":"B","policy":"probe","stichtag":"2024-01-01","findings":"#), out[1])
        XCTAssertEqual(stats.errorLines, 1)
        XCTAssertEqual(stats.cases, 1)
        var ignoring = CheckOptions()
        ignoring.ignoreInForce = true
        let (all, allStats) = run(ignoring)
        XCTAssertTrue(all[0].hasPrefix(#"{"case":"A","policy":"probe","stichtag":"2023-12-31""#), all[0])
        XCTAssertEqual(allStats.errorLines, 0)
        // --as-of moves every case.
        var asOf = CheckOptions()
        asOf.asOf = CalendarDate(iso: "2023-06-01")
        XCTAssertEqual(run(asOf).1.errorLines, 2)
    }
}
