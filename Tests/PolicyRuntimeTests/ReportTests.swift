import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// The monthly report over a small hand-made caseload; every expected figure is worked out in
/// the comments. Stichtag 2025-03-01 unless a case says otherwise.
final class ReportTests: XCTestCase {
    // MARK: Building cases

    /// A case line. `fm` is the inside of `fallmanagement` (nil: no `fallmanagement` at all).
    /// Every case carries a birth date and a free text that must never reach the report.
    static func line(_ id: String, stichtag: String = "2025-03-01", born: String = "1977-07-17", fm: String?,
                     kontakte: String = "[]", rechtskreis: String = "SGB2") -> String {
        var s = #"{"id":"\#(id)","stichtag":"\#(stichtag)","person":{"geburtsdatum":"\#(born)","rechtskreis":"\#(rechtskreis)","arbeitslos":false},"#
        s += #""handlungsbedarfe":[{"schluesselgruppe":"motivation","bezeichnung":"Geheimer Freitext \#(id)"}],"#
        s += #""kontakte":\#(kontakte)"#
        if let fm { s += #","fallmanagement":{\#(fm)}"# }
        return s + "}"
    }

    static func inCare(_ id: String, _ manager: String, since beginn: String, review: String? = nil, stichtag: String = "2025-03-01") -> String {
        let reviews = review.map { #","fortfuehrungspruefungen":[{"datum":"\#($0)"}]"# } ?? ""
        return line(id, stichtag: stichtag, fm: #""fallmanager":"\#(manager)","beginn":"\#(beginn)""# + reviews)
    }

    /// The caseload, Hannover (review every 6 months: `fortfuehrung.pruefung` is an error from
    /// the day after `(last review or beginn) + 6 months`, info while it is due within 30 days).
    static var caseload: [String] {
        var lines: [String] = []
        // FM-A (M&I 1, 1.0 → limit 75): 8 cases, all in care; the duration edges.
        lines += [
            // beginn + 6 = 2025-07-15 > t → 0–6; review due 2025-07-15: nothing.
            inCare("Q7Z-A1", "FM-A", since: "2025-01-15"),
            // + 6 = 2025-03-01 = t: exactly 6 months → 6–12; review due on t: info only, not overdue.
            inCare("Q7Z-A2", "FM-A", since: "2024-09-01"),
            // the 31st: + 6 = 2025-02-28 (clamped) <= t → 6–12; review due 2025-02-28 < t → overdue (1).
            inCare("Q7Z-A3", "FM-A", since: "2024-08-31"),
            // the 31st judged on 2025-02-27: 2025-02-28 > t → 0–6; review due tomorrow: info only.
            inCare("Q7Z-A4", "FM-A", since: "2024-08-31", stichtag: "2025-02-27"),
            // + 12 = 2025-03-01 = t → 12–24; review 2025-01-10 → due 2025-07-10: nothing.
            inCare("Q7Z-A5", "FM-A", since: "2024-03-01", review: "2025-01-10"),
            // + 24 = 2025-03-01 = t → 24–36; no review: due 2023-09-01 → overdue (2).
            inCare("Q7Z-A6", "FM-A", since: "2023-03-01"),
            // + 36 = 2025-03-01 = t → 36+; review 2024-12-01 → due 2025-06-01: nothing.
            inCare("Q7Z-A7", "FM-A", since: "2022-03-01", review: "2024-12-01"),
            // + 36 = 2025-03-02 > t, + 24 <= t → 24–36; review 2025-02-01: nothing.
            inCare("Q7Z-A8", "FM-A", since: "2022-03-02", review: "2025-02-01"),
        ]
        // FM-B (M&I 1, 0.5 → limit 37.5): 38 in care since 2025-02-01 (0–6, review due
        // 2025-08-01) → 38 > 37.5: over; and one case in the clearing phase (not in care).
        for i in 0..<38 { lines.append(inCare("Q7Z-B\(i)", "FM-B", since: "2025-02-01")) }
        lines.append(line("Q7Z-BC", fm: #""fallmanager":"FM-B","clearing_beginn":"2025-02-15""#))
        // FM-C (M&I 2, 0.75 → limit 56.25): endings and the clearing phase.
        lines += [
            // ended 2025-02-01 <= t: ending „hoechstdauer“; not in care.
            line("Q7Z-C1", fm: #""fallmanager":"FM-C","beginn":"2023-01-10","ende":"2025-02-01","beendigungsgrund":"hoechstdauer""#),
            // ended on t itself: an ending (ende <= t), and not in care (in care needs ende > t).
            line("Q7Z-C2", fm: #""fallmanager":"FM-C","beginn":"2024-01-10","ende":"2025-03-01","beendigungsgrund":"unbefristete_integration""#),
            // ends after t: still in care, 0–6 (+ 6 = 2025-06-01), review due 2025-06-01; no ending.
            line("Q7Z-C3", fm: #""fallmanager":"FM-C","beginn":"2024-12-01","ende":"2025-03-10""#),
            // ended without a reason: „ohne Grund“.
            line("Q7Z-C4", fm: #""fallmanager":"FM-C","beginn":"2023-05-01","ende":"2024-11-30""#),
            // clearing only, but ended 2025-02-15 <= t: not in clearing; ending „sonstiges“.
            line("Q7Z-C5", fm: #""fallmanager":"FM-C","clearing_beginn":"2025-01-01","ende":"2025-02-15","beendigungsgrund":"sonstiges""#),
            // clearing since 2025-02-01, taken over only 2025-04-01 (after t): in clearing.
            line("Q7Z-C6", fm: #""fallmanager":"FM-C","clearing_beginn":"2025-02-01","beginn":"2025-04-01""#),
        ]
        // FM-X: not in the staff file → „ohne Team“, no limit. In care, 0–6.
        lines.append(inCare("Q7Z-X1", "FM-X", since: "2025-01-01"))
        // Without a case manager: never in case management; and in care without a key
        // (+ 12 = 2025-01-15 <= t < + 24 → 12–24; no review → overdue).
        lines.append(line("Q7Z-U1", fm: nil))
        lines.append(line("Q7Z-U2", fm: #""beginn":"2024-01-15""#))
        // Three lines that cannot be read: not JSON, blank, an impossible date.
        lines += ["{not json", "", #"{"id":"Q7Z-BAD","person":{"geburtsdatum":"1980-02-30"}}"#]
        return lines
    }

    /// FM-D is in the staff file without a team and without cases; FM-B comes after FM-C in the
    /// file but belongs to M&I 1, which appears first.
    static let staff = #"{"fallmanager":[{"id":"FM-A","stellenanteil":1.0,"team":"M&I 1"},{"id":"FM-C","stellenanteil":0.75,"team":"M&I 2"},{"id":"FM-B","stellenanteil":0.5,"team":"M&I 1"},{"id":"FM-D","stellenanteil":1}]}"#

    static func builder(_ policy: String) throws -> ReportBuilder {
        var options = CheckOptions()
        options.today = CalendarDate(iso: "2025-03-01")!
        return ReportBuilder(stream: CaseStream(policy: try TestPolicies.load(policy), options: options, countsCaseload: false, readsEveryField: true))
    }

    static func aggregate(_ lines: [String], _ builder: ReportBuilder) -> ReportAggregate {
        var aggregate = ReportAggregate()
        for line in lines { Array(line.utf8).withUnsafeBufferPointer { builder.add(line: $0, to: &aggregate) } }
        return aggregate
    }

    static func report(_ lines: [String], policy: String, staff: String = ReportTests.staff) throws -> Report {
        let builder = try builder(policy)
        return try report(aggregate(lines, builder), builder, staff: staff)
    }

    static func report(_ aggregate: ReportAggregate, _ builder: ReportBuilder, staff: String = ReportTests.staff) throws -> Report {
        let policy = builder.stream.policy
        let members = try Array(staff.utf8).withUnsafeBufferPointer { try CaseDecoder(schema: policy.schema).decodeStaff($0) }
        return Report(policy: policy, figures: builder.policyFigures, staff: members, aggregate: aggregate)
    }

    func figures(cases: Int, inCare: Int, clearing: Int = 0, reviews: Int = 0, bands: [Int], endings: [String: Int] = [:]) -> ReportFigures {
        var f = ReportFigures()
        f.cases = cases; f.inCare = inCare; f.inClearing = clearing; f.overdueReviews = reviews
        f.durationBands = bands; f.endings = endings
        return f
    }

    // MARK: Figures

    func testPerManagerTeamAndJobcenterFigures() throws {
        let r = try Self.report(Self.caseload, policy: "hannover")
        // 8 + 39 + 6 + 1 + 2 + 3 lines; 3 unreadable.
        XCTAssertEqual(r.lines, 59)
        XCTAssertEqual(r.unreadableLines, 3)
        XCTAssertEqual(r.cases, 56)
        XCTAssertEqual(r.stichtage.map(\.date.description), ["2025-02-27", "2025-03-01"])
        XCTAssertEqual(r.stichtage.map(\.cases), [1, 55])
        XCTAssertNil(r.stichtag, "two different Stichtage")
        XCTAssertEqual(r.policyFigures.ratio, DecimalNumber(75))
        XCTAssertEqual(r.policyFigures.ratioParameter, "fallzahl")
        XCTAssertTrue(r.policyFigures.reviews)
        XCTAssertFalse(r.policyFigures.contacts, "Hannover has no kontakt.intervall")
        XCTAssertFalse(r.policyFigures.contactMinimum)

        // Teams in staff-file order of first appearance, „ohne Team“ last.
        XCTAssertEqual(r.teams.map(\.name), ["M&I 1", "M&I 2", nil])
        XCTAssertEqual(r.teams.map { $0.managers.map(\.id) }, [["FM-A", "FM-B"], ["FM-C"], ["FM-D", "FM-X"]])
        let m = Dictionary(uniqueKeysWithValues: r.managers.map { ($0.id, $0) })

        // FM-A: bands A1 0–6, A2 6–12, A3 6–12, A4 0–6, A5 12–24, A6 24–36, A7 36+, A8 24–36.
        XCTAssertEqual(m["FM-A"]!.figures, figures(cases: 8, inCare: 8, reviews: 2, bands: [2, 2, 1, 2, 1]))
        XCTAssertEqual(m["FM-A"]!.limit, DecimalNumber(75))
        XCTAssertFalse(m["FM-A"]!.overLimit)
        // FM-B: 38 in care against 75 × 0.5 = 37.5 → over.
        XCTAssertEqual(m["FM-B"]!.figures, figures(cases: 39, inCare: 38, clearing: 1, bands: [38, 0, 0, 0, 0]))
        XCTAssertEqual(m["FM-B"]!.limit?.description, "37.5")
        XCTAssertTrue(m["FM-B"]!.overLimit)
        // FM-C: C3 in care (0–6), C6 in clearing, endings C1, C2, C4, C5.
        XCTAssertEqual(m["FM-C"]!.figures, figures(cases: 6, inCare: 1, clearing: 1, bands: [1, 0, 0, 0, 0],
                                                   endings: ["hoechstdauer": 1, "unbefristete_integration": 1, "": 1, "sonstiges": 1]))
        XCTAssertEqual(m["FM-C"]!.limit?.description, "56.25")
        XCTAssertFalse(m["FM-C"]!.overLimit)
        // FM-D: staff only; FM-X: cases only, no limit.
        XCTAssertEqual(m["FM-D"]!.figures, ReportFigures())
        XCTAssertTrue(m["FM-D"]!.inStaffFile)
        XCTAssertEqual(m["FM-X"]!.figures, figures(cases: 1, inCare: 1, bands: [1, 0, 0, 0, 0]))
        XCTAssertFalse(m["FM-X"]!.inStaffFile)
        XCTAssertNil(m["FM-X"]!.limit)
        XCTAssertFalse(m["FM-X"]!.overLimit)

        // M&I 1 = FM-A + FM-B: 47 cases, 46 in care against 75 + 37.5 = 112.5, one case manager over.
        XCTAssertEqual(r.teams[0].figures, figures(cases: 47, inCare: 46, clearing: 1, reviews: 2, bands: [40, 2, 1, 2, 1]))
        XCTAssertEqual(r.teams[0].limit?.description, "112.5")
        XCTAssertEqual(r.teams[0].managersOverLimit, 1)
        XCTAssertFalse(r.teams[0].overLimit)
        XCTAssertEqual(r.teams[1].figures, m["FM-C"]!.figures)
        // ohne Team: FM-D's limit only.
        XCTAssertEqual(r.teams[2].figures, m["FM-X"]!.figures)
        XCTAssertEqual(r.teams[2].limit, DecimalNumber(75))

        // Without a case manager: U1 (never in case management), U2 (in care 12–24, overdue).
        XCTAssertEqual(r.unassigned, figures(cases: 2, inCare: 1, reviews: 1, bands: [0, 0, 1, 0, 0]))

        // Jobcenter: 47 + 6 + 1 + 2 = 56 cases; 46 + 1 + 1 + 1 = 49 in care; 2 + 1 = 3 overdue.
        XCTAssertEqual(r.jobcenter, figures(cases: 56, inCare: 49, clearing: 2, reviews: 3, bands: [42, 2, 2, 2, 1],
                                            endings: ["hoechstdauer": 1, "unbefristete_integration": 1, "": 1, "sonstiges": 1]))
        XCTAssertEqual(r.jobcenterLimit?.description, "243.75")   // 75 + 56.25 + 37.5 + 75
        XCTAssertEqual(r.managers.count, 5)
        XCTAssertEqual(r.managersOverLimit, 1)

        // Endings in the schema's order of reasons, then „ohne Grund“.
        let endings = r.endings(r.jobcenter).filter { $0.count > 0 }
        XCTAssertEqual(endings.map(\.reason), ["unbefristete_integration", "hoechstdauer", "sonstiges", ""])
        XCTAssertEqual(r.endings(r.jobcenter).count, 11, "all ten reasons and „ohne Grund“")
    }

    func testDurationBandEdgesUseTheSpecsMonthArithmetic() {
        func band(_ beginn: String, _ t: String) -> DurationBand {
            DurationBand.of(beginn: CalendarDate(iso: beginn)!, stichtag: CalendarDate(iso: t)!)
        }
        XCTAssertEqual(band("2025-03-01", "2025-03-01"), .underSix)
        XCTAssertEqual(band("2024-09-02", "2025-03-01"), .underSix)
        XCTAssertEqual(band("2024-09-01", "2025-03-01"), .sixToTwelve)          // exactly 6 months
        XCTAssertEqual(band("2024-03-02", "2025-03-01"), .sixToTwelve)
        XCTAssertEqual(band("2024-03-01", "2025-03-01"), .twelveToTwentyFour)   // exactly 12
        XCTAssertEqual(band("2023-03-02", "2025-03-01"), .twelveToTwentyFour)
        XCTAssertEqual(band("2023-03-01", "2025-03-01"), .twentyFourToThirtySix) // exactly 24
        XCTAssertEqual(band("2022-03-02", "2025-03-01"), .twentyFourToThirtySix)
        XCTAssertEqual(band("2022-03-01", "2025-03-01"), .thirtySixAndMore)     // exactly 36
        // The 31st: 2024-08-31 + 6 months = 2025-02-28 (§ 188 (3) BGB).
        XCTAssertEqual(band("2024-08-31", "2025-02-27"), .underSix)
        XCTAssertEqual(band("2024-08-31", "2025-02-28"), .sixToTwelve)
        // 2022-01-31 + 36 months = 2025-01-31; + 24 = 2024-01-31.
        XCTAssertEqual(band("2022-01-31", "2025-01-30"), .twentyFourToThirtySix)
        XCTAssertEqual(band("2022-01-31", "2025-01-31"), .thirtySixAndMore)
        // 2023-12-31 + 12 months = 2024-12-31; + 2 months would clamp to the 28th/29th.
        XCTAssertEqual(band("2023-12-31", "2024-12-30"), .sixToTwelve)
        XCTAssertEqual(band("2023-12-31", "2024-12-31"), .twelveToTwentyFour)
    }

    func testOverRatioIsExactWithHalfAPost() throws {
        // FM-H (0.5): 37 in care <= 37.5 → not over; FM-I (0.5): 38 > 37.5 → over.
        var lines: [String] = []
        for i in 0..<37 { lines.append(Self.inCare("Q7Z-H\(i)", "FM-H", since: "2025-02-01")) }
        for i in 0..<38 { lines.append(Self.inCare("Q7Z-I\(i)", "FM-I", since: "2025-02-01")) }
        let r = try Self.report(lines, policy: "hannover", staff: #"{"fallmanager":[{"id":"FM-H","stellenanteil":0.5,"team":"T"},{"id":"FM-I","stellenanteil":0.5,"team":"T"}]}"#)
        XCTAssertEqual(r.managers.map(\.limit?.description), ["37.5", "37.5"])
        XCTAssertEqual(r.managers.map(\.overLimit), [false, true])
        XCTAssertEqual(r.teams[0].limit, DecimalNumber(75))
        XCTAssertFalse(r.teams[0].overLimit, "75 in care, limit 75")
        let json = ReportJSON.render(r)
        XCTAssertTrue(json.contains(#""limit": 37.5,"#), json)
        XCTAssertTrue(json.contains(#""over_limit": true,"#), json)
        XCTAssertTrue(ReportText.render(r).contains("über"))
    }

    func testContactMinimumNeedsTheKKMDefinitions() throws {
        // KKM: a year in care once t >= beginn + 12 months; met when the qualified contacts of the
        // last 12 months reach 6 (Ü25) or 9 (U25). Born 1977: Ü25.
        func contacts(_ n: Int, art: String = "beratungsvermerk") -> String {
            "[" + (0..<n).map { #"{"datum":"2024-\#(twoDigits(4 + $0))-10","art":"\#(art)","rechtskreis":"SGB2"}"# }.joined(separator: ",") + "]"
        }
        let lines = [
            // exactly a year (2024-03-01 + 12 = t), 6 qualified contacts April–September 2024 → met.
            Self.line("Q7Z-K1", fm: #""fallmanager":"FM-K","beginn":"2024-03-01""#, kontakte: contacts(6)),
            // a year, 5 contacts → not met.
            Self.line("Q7Z-K2", fm: #""fallmanager":"FM-K","beginn":"2024-01-01""#, kontakte: contacts(5)),
            // a year, 6 telephone calls (not qualified) → not met.
            Self.line("Q7Z-K3", fm: #""fallmanager":"FM-K","beginn":"2023-01-01""#, kontakte: contacts(6, art: "telefonat")),
            // less than a year (2024-03-02 + 12 > t): not counted at all.
            Self.line("Q7Z-K4", fm: #""fallmanager":"FM-K","beginn":"2024-03-02""#, kontakte: contacts(6)),
        ]
        let staff = #"{"fallmanager":[{"id":"FM-K","stellenanteil":1,"team":"KKM"}]}"#
        let kkm = try Self.report(lines, policy: "kkm", staff: staff)
        XCTAssertTrue(kkm.policyFigures.contactMinimum)
        XCTAssertNil(kkm.policyFigures.ratioParameter, "KKM names no ratio: 75")
        XCTAssertEqual(kkm.policyFigures.ratio, DecimalNumber(75))
        XCTAssertFalse(kkm.policyFigures.reviews, "KKM removes fortfuehrung.pruefung")
        XCTAssertEqual(kkm.jobcenter.contactYearCases, 3)
        XCTAssertEqual(kkm.jobcenter.contactMinimumMet, 1)
        XCTAssertEqual(Report.contactMinimumPermille(kkm.jobcenter), 333)   // 1/3 = 33.3 %
        let json = try JSONValue.parse(ReportJSON.render(kkm))
        XCTAssertEqual(json["jobcenter"]?["contact_minimum"], .object([("cases", .number("3")), ("met", .number("1")), ("percent", .number("33.3"))]))
        XCTAssertEqual(json["jobcenter"]?["overdue_reviews"], .null)
        XCTAssertTrue(ReportText.render(kkm).contains("33,3 % (1 von 3 Fällen ein Jahr in Betreuung)"))

        // Hannover has no such definitions: n/a (null), whatever the cases.
        let hannover = try Self.report(lines, policy: "hannover", staff: staff)
        XCTAssertFalse(hannover.policyFigures.contactMinimum)
        XCTAssertEqual(try JSONValue.parse(ReportJSON.render(hannover))["jobcenter"]?["contact_minimum"], .null)
        XCTAssertTrue(ReportText.render(hannover).contains("n/a (Policy ohne ein_jahr_in_betreuung, jahresminimum_erfuellt)"))
    }

    func testOverdueContactsCountKontaktIntervall() throws {
        // Ilm-Kreis: a qualified contact at least every 2 months (Ü25, or not unemployed).
        let lines = [
            // in care since 2024-06-01, no contact: due 2024-08-01 → overdue.
            Self.line("Q7Z-L1", fm: #""fallmanager":"FM-L","beginn":"2024-06-01""#),
            // contact 2025-02-10 → due 2025-04-10: nothing.
            Self.line("Q7Z-L2", fm: #""fallmanager":"FM-L","beginn":"2024-06-01""#,
                      kontakte: #"[{"datum":"2025-02-10","art":"beratungsvermerk","rechtskreis":"SGB2"}]"#),
            // not in care: the rule does not apply.
            Self.line("Q7Z-L3", fm: #""fallmanager":"FM-L","beginn":"2023-06-01","ende":"2024-01-01","beendigungsgrund":"sonstiges""#),
        ]
        let r = try Self.report(lines, policy: "ilmkreis", staff: #"{"fallmanager":[{"id":"FM-L","stellenanteil":1}]}"#)
        XCTAssertTrue(r.policyFigures.contacts)
        XCTAssertEqual(r.jobcenter.overdueContacts, 1)
        XCTAssertEqual(r.teams.map(\.name), [nil])
    }

    // MARK: Merging and determinism

    func testMergingPartialAggregatesInAnyOrderGivesTheSameJSON() throws {
        let builder = try Self.builder("hannover")
        let lines = Self.caseload
        let whole = Self.aggregate(lines, builder)
        let parts = [Array(lines[0..<5]), Array(lines[5..<30]), Array(lines[30..<52]), Array(lines[52...])].map { Self.aggregate($0, builder) }
        let orders = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]]
        let expected = ReportJSON.render(try Self.report(whole, builder))
        for order in orders {
            var merged = ReportAggregate()
            for i in order { merged.merge(parts[i]) }
            XCTAssertEqual(merged, whole, "order \(order)")
            XCTAssertEqual(ReportJSON.render(try Self.report(merged, builder)), expected, "order \(order)")
        }
        // Nested merges: (3 + 1) + (0 + 2).
        var left = parts[3]; left.merge(parts[1])
        var right = parts[0]; right.merge(parts[2])
        left.merge(right)
        XCTAssertEqual(ReportJSON.render(try Self.report(left, builder)), expected)
        XCTAssertEqual(ReportText.render(try Self.report(left, builder)), ReportText.render(try Self.report(whole, builder)))
        XCTAssertEqual(ReportHTML.render(try Self.report(left, builder)), ReportHTML.render(try Self.report(whole, builder)))
    }

    func testJSONHasTheFiguresInAStableOrder() throws {
        let r = try Self.report(Self.caseload, policy: "hannover")
        let json = try JSONValue.parse(ReportJSON.render(r))
        guard case .object(let top) = json else { return XCTFail("not an object") }
        XCTAssertEqual(top.map(\.0), ["report", "policy", "policy_title", "stichtag", "stichtage", "ratio", "ratio_parameter", "lines", "cases",
                                      "unreadable_lines", "jobcenter", "without_case_manager", "teams"])
        XCTAssertEqual(json["unreadable_lines"], .number("3"))
        XCTAssertEqual(json["stichtag"], .null)
        let jobcenter = json["jobcenter"]!
        XCTAssertEqual(jobcenter["in_care"], .number("49"))
        XCTAssertEqual(jobcenter["in_clearing"], .number("2"))
        XCTAssertEqual(jobcenter["overdue_reviews"], .number("3"))
        XCTAssertEqual(jobcenter["overdue_contacts"], .null)
        XCTAssertEqual(jobcenter["limit"], .number("243.75"))
        XCTAssertEqual(jobcenter["duration_months"], .object([("0-6", .number("42")), ("6-12", .number("2")), ("12-24", .number("2")),
                                                              ("24-36", .number("2")), ("36+", .number("1"))]))
        XCTAssertEqual(jobcenter["endings"]?["hoechstdauer"], .number("1"))
        XCTAssertEqual(jobcenter["endings"]?["ohne_grund"], .number("1"))
        XCTAssertEqual(jobcenter["endings"]?["verfestigung"], .number("0"))
        let fmB = json["teams"]?.arrayValue?[0]["case_managers"]?.arrayValue?[1]
        XCTAssertEqual(fmB?["id"], .string("FM-B"))
        XCTAssertEqual(fmB?["limit"], .number("37.5"))
        XCTAssertEqual(fmB?["over_limit"], .bool(true))
        XCTAssertEqual(fmB?["in_care"], .number("38"))
        let fmX = json["teams"]?.arrayValue?[2]["case_managers"]?.arrayValue?[1]
        XCTAssertEqual(fmX?["id"], .string("FM-X"))
        XCTAssertEqual(fmX?["in_staff_file"], .bool(false))
        XCTAssertEqual(fmX?["limit"], .null)
    }

    // MARK: Reading cases by position

    /// The report reads each case by slots, value indices and the verdicts of the two rules it
    /// counts, all found once per run; before, it read fields by path, values by name and the
    /// findings of every rule. Both ways must give the same figures, case by case, for every
    /// case of the repository and this file's caseload, under every policy, with one worker's
    /// evaluator reused from case to case.
    func testFiguresByPositionEqualFiguresByName() throws {
        let lines = try TestPolicies.repositoryCases().map(\.bytes) + Self.caseload.map { Array($0.utf8) }
        for policy in ["ba", "hannover", "berlin", "ilmkreis", "kkm"] {
            let builder = try Self.builder(policy)
            var workspace = CaseStream.Workspace()
            var counted = 0
            for (n, line) in lines.enumerated() {
                var aggregate = ReportAggregate()
                line.withUnsafeBufferPointer { builder.add(line: $0, to: &aggregate, workspace: &workspace) }
                XCTAssertEqual(aggregate, Self.aggregateByName(line, builder), "\(policy), line \(n)")
                counted += aggregate.cases
                // A case already checked (a `CaseEvaluation`) counts the same through `add(_:to:)`.
                if aggregate.cases == 1, case .success(var evaluation) = line.withUnsafeBufferPointer({ builder.stream.evaluate(line: $0) }) {
                    var checked = ReportAggregate()
                    checked.lines = 1
                    builder.add(&evaluation, to: &checked)
                    XCTAssertEqual(checked, aggregate, "\(policy), line \(n), from its evaluation")
                }
            }
            XCTAssertGreaterThan(counted, 50, policy)
        }
    }

    /// One line's aggregate as the report counted it from a `CaseEvaluation`, by names.
    static func aggregateByName(_ line: [UInt8], _ builder: ReportBuilder) -> ReportAggregate {
        var aggregate = ReportAggregate()
        aggregate.lines = 1
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }),
              case .success(var ev) = line.withUnsafeBufferPointer({ builder.stream.evaluate(line: $0) }) else {
            aggregate.unreadableLines = 1
            return aggregate
        }
        let t = ev.result.stichtag
        aggregate.stichtage[t] = 1
        var f = ReportFigures()
        f.cases = 1
        var beginn: CalendarDate?, ende: CalendarDate?, clearing: CalendarDate?
        if case .date(let d) = ev.field(["fallmanagement", "beginn"]) { beginn = d }
        if case .date(let d) = ev.field(["fallmanagement", "ende"]) { ende = d }
        if case .date(let d) = ev.field(["fallmanagement", "clearing_beginn"]) { clearing = d }
        let inCare = ev.value(named: ReportBuilder.Names.inCare).map { $0 == .bool(true) }
            ?? (beginn.map { $0 <= t } == true && (ende.map { $0 > t } ?? true))
        if inCare {
            f.inCare = 1
            if let beginn { f.durationBands[DurationBand.of(beginn: beginn, stichtag: t).rawValue] = 1 }
        } else if clearing != nil, ende.map({ $0 > t }) ?? true {
            f.inClearing = 1
        }
        if let ende, ende <= t { f.endings[ev.enumName(["fallmanagement", "beendigungsgrund"]) ?? ReportFigures.noReason] = 1 }
        for finding in ev.result.findings where finding.severity == .error || finding.severity == .warning {
            if finding.rule == ReportBuilder.Names.reviewRule { f.overdueReviews += 1 }
            if finding.rule == ReportBuilder.Names.contactRule { f.overdueContacts += 1 }
        }
        if builder.policyFigures.contactMinimum, ev.value(named: ReportBuilder.Names.oneYearInCare) == .bool(true) {
            f.contactYearCases = 1
            if ev.value(named: ReportBuilder.Names.yearlyMinimumMet) == .bool(true) { f.contactMinimumMet = 1 }
        }
        if case .string(let manager) = ev.field(["fallmanagement", "fallmanager"]) {
            aggregate.managers[manager] = f
        } else {
            aggregate.unassigned = f
        }
        return aggregate
    }

    /// `ReportJSON` writes its members one by one rather than through a `JSONValue`; the layout
    /// is still `JSONWriter.pretty`'s, empty arrays, nulls and nested objects included.
    func testJSONIsLaidOutAsPrettyLaysOutItsValue() throws {
        let reports = [
            try Self.report(Self.caseload, policy: "hannover"),
            try Self.report(Self.caseload, policy: "kkm"),
            try Self.report(["{not json"], policy: "ilmkreis", staff: #"{"fallmanager":[]}"#),
        ]
        for r in reports {
            let json = ReportJSON.render(r)
            XCTAssertEqual(JSONWriter.pretty(try JSONValue.parse(json)) + "\n", json)
        }
        let empty = ReportJSON.render(reports[2])
        XCTAssertTrue(empty.contains(#""stichtage": [],"#), empty)
        XCTAssertTrue(empty.hasSuffix("\"teams\": []\n}\n"), empty)
    }

    // MARK: Privacy

    func testNoCaseDataInAnyFormat() throws {
        let r = try Self.report(Self.caseload, policy: "hannover")
        let outputs = ["text": ReportText.render(r), "json": ReportJSON.render(r), "html": ReportHTML.render(r)]
        for (format, out) in outputs {
            XCTAssertFalse(out.contains("Q7Z"), "\(format): a case id")
            XCTAssertFalse(out.contains("1977-07-17"), "\(format): a date of birth")
            XCTAssertFalse(out.contains("Geheimer Freitext"), "\(format): free text")
            XCTAssertFalse(out.contains("1980-02-30"), "\(format): a value of an unreadable line")
        }
    }

    func testHTMLIsSelfContainedAndEscaped() throws {
        let staff = #"{"fallmanager":[{"id":"FM-<b>&\"'","stellenanteil":1,"team":"<script>alert(1)</script>"}]}"#
        let r = try Self.report([Self.inCare("Q7Z-E1", "FM-<b>&\\\"'", since: "2025-02-01")], policy: "hannover", staff: staff)
        XCTAssertEqual(r.managers.map(\.id), ["FM-<b>&\"'"])
        XCTAssertEqual(r.managers[0].figures.inCare, 1)
        let html = ReportHTML.render(r)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"), "no script, and the team name is escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("FM-&lt;b&gt;&amp;&quot;&#39;"))
        XCTAssertFalse(html.contains("FM-<b>"))
        XCTAssertFalse(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"), "no external reference")
        XCTAssertFalse(html.contains("src="))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(html.contains("<title>Monatsbericht Fallmanagement – hannover – Stichtag 2025-03-01</title>"))
    }
}

private func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
