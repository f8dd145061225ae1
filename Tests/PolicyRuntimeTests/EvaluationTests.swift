import PolicyLang
import PolicyRuntime
import XCTest

/// The semantics of the language as the runtime evaluates it, on small policies.
final class EvaluationTests: XCTestCase {
    func policy(_ rules: String) throws -> CheckedPolicy {
        let loaded = try TestPolicies.compile("""
        policy probe extends ba
          title "Probe"
          citation "Probe"
        \(rules)
        """)
        guard let p = loaded.policy else { XCTFail(DiagnosticRenderer().render(loaded.diagnostics)); throw CancellationError() }
        return p
    }

    func rules(_ result: CaseResult) -> [String] { result.findings.map { "\($0.severity.rawValue) \($0.rule)" } }

    let person = #""person":{"geburtsdatum":"2001-03-01","rechtskreis":"SGB2"}"#

    /// An absent boolean is neither true nor false (Kleene logic): `not x` and `x` both stay silent.
    func testAbsentBooleanIsNeitherTrueNorFalse() throws {
        let p = try policy("""
        rule t.wahr "w" cites "1" info when person.arbeitslos message "wahr"
        rule t.falsch "f" cites "1" info when not person.arbeitslos message "falsch"
        rule t.ist_nicht_wahr "n" cites "1" info when not (person.arbeitslos is true) message "nicht wahr"
        rule t.oder "o" cites "1" info when person.arbeitslos or true message "oder"
        rule t.und "u" cites "1" info when person.arbeitslos and false message "und"
        """)
        let absent = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)}"#, p)
        XCTAssertEqual(rules(absent).filter { $0.hasPrefix("info t.") }, ["info t.ist_nicht_wahr", "info t.oder"])
        let yes = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01","person":{"geburtsdatum":"2001-03-01","arbeitslos":true}}"#, p)
        XCTAssertEqual(rules(yes).filter { $0.hasPrefix("info t.") }, ["info t.oder", "info t.wahr"])
    }

    /// Findings: severity first (error, warning, info), then rule id.
    func testFindingsAreOrderedBySeverityThenRuleID() throws {
        let p = try policy("""
        rule z.a "a" cites "1" info when true message "a"
        rule b.b "b" cites "1" error when true message "b"
        rule a.c "c" cites "1" warning when true message "c"
        rule a.d "d" cites "1" error when true message "d"
        """)
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)}"#, p)
        XCTAssertEqual(rules(r).filter { !$0.contains("zugang") }, ["error a.d", "error b.b", "warning a.c", "info z.a"])
    }

    /// The first outcome that applies wins; a rule gives at most one finding.
    func testFirstOutcomeWins() throws {
        let p = try policy("""
        rule t.stufen "s" cites "1"
          error when stichtag > 2025-02-01 message "spät"
          warning when stichtag > 2025-01-01 message "bald"
        """)
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)}"#, p)
        XCTAssertEqual(r.findings.filter { $0.rule == "t.stufen" }.map(\.message), ["spät"])
        let early = try TestPolicies.check(#"{"id":"A","stichtag":"2025-01-15",\#(person)}"#, p)
        XCTAssertEqual(early.findings.filter { $0.rule == "t.stufen" }.map(\.message), ["bald"])
    }

    /// A deadline is met on its due date, overdue the day after, and `upcoming` within the horizon.
    func testDeadlineBoundaries() throws {
        let p = try policy("""
        rule t.frist "f" cites "1"
          deadline 2025-01-31 + 1 month
            overdue error message "überfällig seit {due}"
            upcoming info message "fällig am {due}"
        """)
        func finding(_ t: String, horizon: Int = 30) throws -> String {
            let r = try TestPolicies.check(#"{"id":"A","stichtag":"\#(t)",\#(person)}"#, p, horizon: horizon)
            return r.findings.first { $0.rule == "t.frist" }.map { "\($0.severity.rawValue) \($0.message)" } ?? "none"
        }
        // 2025-01-31 + 1 month clamps to 2025-02-28.
        XCTAssertEqual(try finding("2025-02-28"), "info fällig am 2025-02-28")
        XCTAssertEqual(try finding("2025-03-01"), "error überfällig seit 2025-02-28")
        XCTAssertEqual(try finding("2025-01-29"), "info fällig am 2025-02-28")
        XCTAssertEqual(try finding("2025-01-28"), "none")
        XCTAssertEqual(try finding("2025-02-27", horizon: 0), "none")
    }

    /// "Latest": the greatest date on or before the Stichtag; on equal dates the later entry.
    func testLatestIgnoresEntriesAfterTheStichtagAndPrefersTheLaterOfEqualDates() throws {
        let p = try policy("""
        rule t.letzte "l" cites "1"
          info when letzte_fortfuehrungspruefung is present
            message "{letzte_fortfuehrungspruefung.datum} {letzte_fortfuehrungspruefung.tl_informiert}"
        """)
        let json = #"{"id":"A","stichtag":"2025-03-01",\#(person),"fallmanagement":{"beginn":"2024-01-01","fortfuehrungspruefungen":[{"datum":"2025-02-01","tl_informiert":false},{"datum":"2025-04-01","tl_informiert":false},{"datum":"2025-02-01","tl_informiert":true},{"datum":"2024-07-01"}]}}"#
        let r = try TestPolicies.check(json, p)
        XCTAssertEqual(r.findings.first { $0.rule == "t.letzte" }?.message, "2025-02-01 ja")
    }

    func testAgeTurnsOnTheBirthdayAndFebruary29ClampsToThe28th() throws {
        let p = try policy(#"rule t.alter "a" cites "1" info when true message "{age(person.geburtsdatum, stichtag)}""#)
        func age(_ born: String, _ t: String) throws -> String? {
            let json = #"{"id":"A","stichtag":"\#(t)","person":{"geburtsdatum":"\#(born)"}}"#
            return try TestPolicies.check(json, p).findings.first { $0.rule == "t.alter" }?.message
        }
        XCTAssertEqual(try age("2000-03-01", "2025-02-28"), "24")
        XCTAssertEqual(try age("2000-03-01", "2025-03-01"), "25")
        XCTAssertEqual(try age("2000-02-29", "2025-02-27"), "24")
        XCTAssertEqual(try age("2000-02-29", "2025-02-28"), "25")
        XCTAssertEqual(try age("2004-02-29", "2028-02-28"), "23")
        XCTAssertEqual(try age("2004-02-29", "2028-02-29"), "24")
    }

    func testDecimalArithmeticIsExact() throws {
        let p = try policy(#"rule t.zahl "z" cites "1" info when 75 * 0.75 = 56.25 and 0.1 * 75 = 7.5 message "{75 * 0.75}""#)
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)}"#, p)
        XCTAssertEqual(r.findings.first { $0.rule == "t.zahl" }?.message, "56.25")
    }

    func testSetMembershipRangeAndOtherwise() throws {
        let p = try policy("""
        rule t.menge "m" cites "1"
          info when person.rechtskreis in {SGB2} and stichtag in 2025-01-01 .. 2025-03-01
            and (fm.beginn otherwise 2020-01-01) = 2020-01-01
            message "ja"
        """)
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)}"#, p)
        XCTAssertEqual(r.findings.first { $0.rule == "t.menge" }?.message, "ja")
    }

    func testExplainShowsTheDecidingValues() throws {
        let p = try TestPolicies.load("ilmkreis")
        let json = #"{"id":"A","stichtag":"2025-03-01",\#(person),"fallmanagement":{"beginn":"2024-08-20"}}"#
        var options = CheckOptions()
        options.explain = true
        let r = CaseChecker(policy: p).check(try CaseDecoder(schema: p.schema).decode(json), options: options)
        let fortfuehrung = r.explanations.first { $0.rule == "fortfuehrung.pruefung" }
        XCTAssertEqual(fortfuehrung?.fired, true)
        XCTAssertTrue(fortfuehrung?.lines.contains { $0.contains("= 2025-02-20 < stichtag 2025-03-01 → overdue") } ?? false,
                      "\(fortfuehrung?.lines ?? [])")
    }

    /// `latest`/`earliest … by`: on equal dates the entry later in the list is the latest and
    /// the first is the earliest, whether the key is a plain field of the entry (which the program
    /// reads without a binder) or the operation also has a condition (the general path).
    func testLatestAndEarliestOnEqualDates() throws {
        let p = try policy("""
        define spaeteste = latest p in fallmanagement.fortfuehrungspruefungen by p.datum
        define spaeteste_bedingt = latest p in fallmanagement.fortfuehrungspruefungen where true by p.datum
        define frueheste = earliest p in fallmanagement.fortfuehrungspruefungen by p.datum
        define frueheste_bedingt = earliest p in fallmanagement.fortfuehrungspruefungen where true by p.datum
        rule t.spaet "s" cites "1" info when spaeteste.tl_informiert is false message "s"
        rule t.spaet_bedingt "sb" cites "1" info when spaeteste_bedingt.tl_informiert is false message "sb"
        rule t.frueh "f" cites "1" info when frueheste.tl_informiert is true message "f"
        rule t.frueh_bedingt "fb" cites "1" info when frueheste_bedingt.tl_informiert is true message "fb"
        """)
        let reviews = [("2023-01-01", true), ("2024-05-01", true), ("2023-01-01", false), ("2024-05-01", false), ("2024-02-01", true)]
            .map { #"{"datum":"\#($0.0)","tl_informiert":\#($0.1)}"# }.joined(separator: ",")
        let json = #"{"id":"A","stichtag":"2025-03-01",\#(person),"fallmanagement":{"beginn":"2022-01-01","fortfuehrungspruefungen":[\#(reviews)]}}"#
        let fired = rules(try TestPolicies.check(json, p)).filter { $0.hasPrefix("info t.") }
        XCTAssertEqual(fired, ["info t.frueh", "info t.frueh_bedingt", "info t.spaet", "info t.spaet_bedingt"])

        // Without any dated entry there is no latest one: the rules see an absent record.
        let none = #"{"id":"A","stichtag":"2025-03-01",\#(person),"fallmanagement":{"beginn":"2022-01-01"}}"#
        XCTAssertEqual(rules(try TestPolicies.check(none, p)).filter { $0.hasPrefix("info t.") }, [])
    }

    /// A duration too large for any date gives no date (as integer overflow gives no number),
    /// not a crash: the deadline has no date, and the rule reports what it has for that.
    func testDateArithmeticBeyondEveryDateGivesNoDate() throws {
        let p = try policy("""
        param riesig = 9000000000000000000 years
        param lang = 100000000 months
        param tage = 3000000000 days
        rule t.jahre "j" cites "1" when true
          deadline fallmanagement.beginn + riesig
            overdue warning message "j"
            missing info message "j: kein Datum"
        rule t.zurueck "z" cites "1" when true
          deadline fallmanagement.beginn - riesig
            overdue warning message "z"
            missing info message "z: kein Datum"
        rule t.monate "m" cites "1" when true
          deadline fallmanagement.beginn + lang
            overdue warning message "m"
            missing info message "m: kein Datum"
        rule t.tage "t" cites "1" when true
          deadline fallmanagement.beginn - tage
            overdue warning message "t"
            missing info message "t: kein Datum"
        rule t.weit "w" cites "1" info when fallmanagement.beginn + 5000000 years > stichtag message "w {fallmanagement.beginn + 5000000 years}"
        """)
        let json = #"{"id":"A","stichtag":"2025-03-01",\#(person),"fallmanagement":{"beginn":"2022-01-01"}}"#
        let result = try TestPolicies.check(json, p)
        let messages = result.findings.filter { $0.rule.hasPrefix("t.") }.map(\.message).sorted()
        // Five million years on is still a date (a day number of 32 bits holds about 5.8 million).
        XCTAssertEqual(messages, ["j: kein Datum", "m: kein Datum", "t: kein Datum", "w 5002022-01-01", "z: kein Datum"])
    }
}
