import PolicyLang
import PolicyRuntime
import XCTest

/// Caseload rules over a small hand-made caseload; the counts are worked out in the comments.
final class CaseloadTests: XCTestCase {
    /// A case in care since 2025-02-01 (one month before the Stichtag): no per-case finding in
    /// Hannover (review due 2025-08-01, beyond the horizon; no agreement needed before 2025-04-01).
    func inCare(_ id: String, _ manager: String) -> String {
        #"{"id":"\#(id)","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01"},"fallmanagement":{"fallmanager":"\#(manager)","beginn":"2025-02-01"}}"#
    }
    /// In the clearing phase since 2025-02-15: not in care, so not counted.
    func inClearing(_ id: String, _ manager: String) -> String {
        #"{"id":"\#(id)","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01"},"fallmanagement":{"fallmanager":"\#(manager)","clearing_beginn":"2025-02-15"}}"#
    }

    func run(_ lines: [String], staff: String, policy name: String) throws -> (cases: [String], caseload: [String], stats: RunStatistics) {
        let policy = try TestPolicies.load(name)
        var options = CheckOptions()
        options.today = CalendarDate(iso: "2025-03-01")!
        let stream = CaseStream(policy: policy, options: options, countsCaseload: true)
        var stats = RunStatistics()
        var tally = CaseloadTally()
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            out.append(bytes.withUnsafeBufferPointer { stream.check(line: $0, number: i + 1, statistics: &stats, tally: &tally) })
        }
        let staffBytes = Array(staff.utf8)
        let members = try staffBytes.withUnsafeBufferPointer { try CaseDecoder(schema: policy.schema).decodeStaff($0) }
        return (out, stream.caseloadLines(staff: members, tally: tally, stichtag: options.today), stats)
    }

    func testFallzahlSchluesselComparesWithSeventyFiveTimesTheShareExactly() throws {
        var lines: [String] = []
        // FM-B (0.5): 38 in care > 37.5 → warning.
        for i in 0..<38 { lines.append(inCare("B-\(i)", "FM-B")) }
        // FM-C (0.75): 56 in care <= 56.25, plus 3 in clearing that do not count → nothing.
        for i in 0..<56 { lines.append(inCare("C-\(i)", "FM-C")) }
        for i in 0..<3 { lines.append(inClearing("CC-\(i)", "FM-C")) }
        // FM-A (1.0): exactly 75 → nothing; FM-X is not in the staff file.
        for i in 0..<75 { lines.append(inCare("A-\(i)", "FM-A")) }
        lines.append(inCare("X-1", "FM-X"))
        // A broken line is an error line and counts for nobody.
        lines.append(#"{"id":"B-broken","person":{"geburtsdatum":"1980-02-30"},"fallmanagement":{"fallmanager":"FM-B","beginn":"2025-02-01"}}"#)
        let staff = #"{"fallmanager":[{"id":"FM-A","stellenanteil":1.0,"team":"M&I 1"},{"id":"FM-B","stellenanteil":0.5},{"id":"FM-C","stellenanteil":0.75}]}"#
        let r = try run(lines, staff: staff, policy: "hannover")
        XCTAssertEqual(r.cases.count, lines.count)
        XCTAssertEqual(r.cases.first, #"{"case":"B-0","policy":"hannover","stichtag":"2025-03-01","findings":[]}"#)
        XCTAssertEqual(r.cases.last, #"{"line":174,"case":"B-broken","error":"`person.geburtsdatum`: not a valid date: day 30 does not exist in that month"}"#)
        XCTAssertEqual(r.caseload, [
            #"{"fallmanager":"FM-A","policy":"hannover","findings":[]}"#,
            #"{"fallmanager":"FM-B","policy":"hannover","findings":[{"rule":"fallzahl.schluessel","severity":"warning","message":"38 Fälle in Betreuung, höchstens 37.5 (1:75, Stellenanteil 0.5)","source":"Handlungsleitlinie bFM Hannover, IV.1"}]}"#,
            #"{"fallmanager":"FM-C","policy":"hannover","findings":[]}"#,
            #"{"fallmanager":"FM-X","policy":"hannover","error":"case manager not in the staff file (1 case)"}"#,
        ])
        XCTAssertEqual(r.stats.cases, 173)
        XCTAssertEqual(r.stats.errorLines, 1)
    }

    /// KKM: share of cases in care for a year that meet the yearly minimum, against 90 %.
    func testKontaktQuote() throws {
        // In care since 2024-01-01 (over a year on 2025-03-01); Ü25 needs 6 qualified contacts
        // in the year up to the Stichtag.
        func yearInCare(_ id: String, _ manager: String, contacts: Int) -> String {
            let dates = (0..<contacts).map { #"{"datum":"2025-01-\#(String(format: "%02d", $0 + 1))","art":"beratungsvermerk","rechtskreis":"SGB2"}"# }
            return #"{"id":"\#(id)","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01","rechtskreis":"SGB2"},"fallmanagement":{"fallmanager":"\#(manager)","beginn":"2024-01-01"},"kontakte":[\#(dates.joined(separator: ","))]}"#
        }
        var lines: [String] = []
        // FM-1: 9 of 10 meet it → 90 % is not below 90 % → nothing.
        for i in 0..<9 { lines.append(yearInCare("P-\(i)", "FM-1", contacts: 6)) }
        lines.append(yearInCare("P-9", "FM-1", contacts: 5))
        // FM-2: 8 of 10 → 80 % → warning.
        for i in 0..<8 { lines.append(yearInCare("Q-\(i)", "FM-2", contacts: 7)) }
        for i in 8..<10 { lines.append(yearInCare("Q-\(i)", "FM-2", contacts: 0)) }
        // FM-3: only cases under a year in care → no finding at all.
        lines.append(inCare("R-1", "FM-3"))
        let staff = #"{"fallmanager":[{"id":"FM-1","stellenanteil":1},{"id":"FM-2","stellenanteil":1},{"id":"FM-3","stellenanteil":1}]}"#
        let r = try run(lines, staff: staff, policy: "kkm")
        XCTAssertEqual(r.caseload, [
            #"{"fallmanager":"FM-1","policy":"kkm","findings":[]}"#,
            #"{"fallmanager":"FM-2","policy":"kkm","findings":[{"rule":"kontakt.quote","severity":"warning","message":"Mindestkontakt in 8 von 10 Fällen eingehalten, gefordert sind 90 %","source":"KKM Fallmanagement, §5"}]}"#,
            #"{"fallmanager":"FM-3","policy":"kkm","findings":[]}"#,
        ])
    }

    /// Keys that need escaping, a staff entry given twice (each gets the findings its cases
    /// give), one without cases, and case managers missing from the staff file (sorted).
    func testCaseManagerKeysDuplicatesAndUnknownManagers() throws {
        let key = #"FM-\"Q\\ü"#   // FM-"Q\ü, as JSON writes it
        var lines: [String] = []
        for i in 0..<38 { lines.append(inCare("Q-\(i)", key)) }
        lines.append(inCare("Z-1", "FM-Z"))
        lines += [inCare("Y-1", "FM-Y"), inCare("Y-2", "FM-Y")]
        let staff = #"{"fallmanager":[{"id":"\#(key)","stellenanteil":0.5},{"id":"FM-none","stellenanteil":1},{"id":"\#(key)","stellenanteil":0.5}]}"#
        let r = try run(lines, staff: staff, policy: "hannover")
        let finding = #"{"rule":"fallzahl.schluessel","severity":"warning","message":"38 Fälle in Betreuung, höchstens 37.5 (1:75, Stellenanteil 0.5)","source":"Handlungsleitlinie bFM Hannover, IV.1"}"#
        XCTAssertEqual(r.caseload, [
            #"{"fallmanager":"\#(key)","policy":"hannover","findings":[\#(finding)]}"#,
            #"{"fallmanager":"FM-none","policy":"hannover","findings":[]}"#,
            #"{"fallmanager":"\#(key)","policy":"hannover","findings":[\#(finding)]}"#,
            #"{"fallmanager":"FM-Y","policy":"hannover","error":"case manager not in the staff file (2 cases)"}"#,
            #"{"fallmanager":"FM-Z","policy":"hannover","error":"case manager not in the staff file (1 case)"}"#,
        ])
    }

    func testCaseloadRulesAreDeclaredWhereTheCatalogueSays() throws {
        let expected: [String: [String]] = ["hannover": ["fallzahl.schluessel"], "berlin": ["fallzahl.schluessel"],
                                            "ilmkreis": [], "kkm": ["kontakt.quote"]]
        for (name, rules) in expected {
            XCTAssertEqual(try TestPolicies.load(name).caseloadRules.map(\.id), rules, name)
        }
    }
}
