@testable import PolicyLang
@testable import PolicyRuntime
import XCTest

/// A rule's conditions and dates are decided by `Evaluator.truth` and `Evaluator.date`, which read
/// leaves in place and give a `Bool?` or a `CalendarDate?` instead of a `Value`. They must give
/// exactly what the general `run` gives, whether the definitions they read are already computed
/// or not.
final class ConditionEvaluationTests: XCTestCase {
    /// Every bool and date expression of every policy (outside a list operation's binder), on
    /// every case in the repository: once asked first of `truth`/`date` in a fresh evaluator,
    /// once after `run` has computed every definition.
    func testConditionsAndDatesAgreeWithRun() throws {
        let cases = try TestPolicies.repositoryCases()
        var compared = 0
        for name in ["ba", "ilmkreis", "hannover", "berlin", "kkm"] {
            let policy = try TestPolicies.load(name)
            let decoder = CaseDecoder(schema: policy.schema, policy: policy)
            let expressions = Self.expressionsWithoutBinders(policy).filter { [.bool, .date].contains($0.type.base) }
            XCTAssertGreaterThan(expressions.count, 20, name)
            for (caseName, bytes) in cases {
                guard let decoded = try? bytes.withUnsafeBufferPointer({ try decoder.decode($0) }) else { continue }
                let stichtag = decoded.stichtag ?? CalendarDate(year: 2025, month: 3, day: 1)!
                decoded.applyStichtag(stichtag, schema: policy.schema)
                var typedFirst = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
                var runFirst = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
                for e in expressions {
                    // The definitions `truth` and `date` compute and remember are those `run` would.
                    let typed = Self.typed(e, &typedFirst), general = Self.general(e, &runFirst)
                    XCTAssertEqual(typed, general, "\(name) \(caseName): `\(e.sourceText)`")
                    XCTAssertEqual(Self.general(e, &typedFirst), general, "\(name) \(caseName): `\(e.sourceText)` (after truth/date)")
                    XCTAssertEqual(Self.typed(e, &runFirst), general, "\(name) \(caseName): `\(e.sourceText)` (after run)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
    }

    /// `fm.beginn <= stichtag` compiles to a comparison of dates; comparisons of anything else
    /// stay general.
    func testDateComparisonsAreCompiledAsSuch() throws {
        let policy = try TestPolicies.load("hannover")
        var dates = 0, others = 0
        for e in Self.expressionsWithoutBinders(policy) {
            guard case .compare(_, let x, let y) = e.kind else { continue }
            let op = policy.program.instructions[Int(e.instruction)].op
            if x.type.base == .date && y.type.base == .date {
                guard case .compareDates = op else { return XCTFail("`\(e.sourceText)` compares dates as values") }
                dates += 1
            } else {
                guard case .compare = op else { return XCTFail("`\(e.sourceText)` is compared as dates") }
                others += 1
            }
        }
        XCTAssertGreaterThan(dates, 5)
        XCTAssertGreaterThan(others, 0)
    }

    /// Dates compared as fields of the case, as computed dates and through `otherwise` and
    /// `if … then … else`, with and without a date to compare.
    func testDateConditionsOnPresentAndAbsentDates() throws {
        let loaded = try TestPolicies.compile("""
        policy probe extends ba
          title "Probe"
          citation "Probe"
        define bis = if fm.beginn <= stichtag then fm.beginn + 1 month else stichtag
        rule t.vor "v" cites "1" info when fm.beginn < stichtag message "vor"
        rule t.nicht_vor "n" cites "1" info when not (fm.beginn < stichtag) message "nicht vor"
        rule t.monat "m" cites "1" info when fm.beginn + 1 month = stichtag message "monat"
        rule t.ende "e" cites "1" info when (fm.ende otherwise stichtag) >= stichtag message "ende"
        rule t.bis "b" cites "1" info when bis >= stichtag and bis is present due bis message "bis {due}"
        """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        func fired(_ fm: String) throws -> [String] {
            let person = #""person":{"geburtsdatum":"2001-03-01","rechtskreis":"SGB2"}"#
            let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person)\#(fm)}"#, policy)
            return r.findings.filter { $0.rule.hasPrefix("t.") }.map { "\($0.rule) \($0.message)" }.sorted()
        }
        XCTAssertEqual(try fired(""), ["t.ende ende"])
        XCTAssertEqual(try fired(#","fallmanagement":{"beginn":"2025-02-01"}"#),
                       ["t.bis bis 2025-03-01", "t.ende ende", "t.monat monat", "t.vor vor"])
        XCTAssertEqual(try fired(#","fallmanagement":{"beginn":"2025-03-02","ende":"2025-02-28"}"#),
                       ["t.bis bis 2025-03-01", "t.nicht_vor nicht vor"])
    }

    /// `x in {a, b}` of enum names is a bit mask: members, non-members and an absent value (which
    /// is unknown, so it counts neither in `count … where x in …` nor in `… where not (x in …)`).
    func testMembershipInASetOfEnumNames() throws {
        let loaded = try TestPolicies.compile("""
        policy probe extends ba
          title "Probe"
          citation "Probe"
        define drin = count b in handlungsbedarfe where b.schluesselgruppe in {leistungsfaehigkeit, rahmenbedingungen}
        define draussen = count b in handlungsbedarfe where not (b.schluesselgruppe in {leistungsfaehigkeit, rahmenbedingungen})
        define ohne_letzten = count b in handlungsbedarfe where b.schluesselgruppe in {qualifikation, leistungsfaehigkeit, motivation, rahmenbedingungen}
        rule t.zahlen "z" cites "1" info when drin >= 0 message "{drin} {draussen} {ohne_letzten}"
        """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let drin = try XCTUnwrap(policy.values.first { $0.name == "drin" })
        guard case .listOperation(_, _, _, let condition?, _) = drin.expression.kind,
              case .inEnumSet = policy.program.instructions[Int(condition.instruction)].op else {
            return XCTFail("membership in a set of enum names is not compiled as a mask")
        }
        let bedarfe = [#"{"schluesselgruppe":"leistungsfaehigkeit"}"#, #"{"schluesselgruppe":"motivation"}"#,
                       #"{"bezeichnung":"ohne Gruppe"}"#, #"{"schluesselgruppe":"rahmenbedingungen"}"#,
                       #"{"schluesselgruppe":"arbeitsmarkt"}"#].joined(separator: ",")
        let person = #""person":{"geburtsdatum":"2001-03-01","rechtskreis":"SGB2"}"#
        let r = try TestPolicies.check(#"{"id":"A","stichtag":"2025-03-01",\#(person),"handlungsbedarfe":[\#(bedarfe)]}"#, policy)
        XCTAssertEqual(r.findings.first { $0.rule == "t.zahlen" }?.message, "2 2 3")
    }

    static func typed(_ e: CheckedExpr, _ ev: inout Evaluator) -> Value {
        if e.type.base == .date { return ev.date(e.instruction).map(Value.date) ?? .absent }
        return ev.truth(e.instruction).map(Value.bool) ?? .absent
    }

    static func general(_ e: CheckedExpr, _ ev: inout Evaluator) -> Value { ev.run(e.instruction) }

    /// The policy's expressions that can be evaluated on their own: none inside a list
    /// operation's condition or key (they read its binder), none of a caseload rule.
    static func expressionsWithoutBinders(_ policy: CheckedPolicy) -> [CheckedExpr] {
        var found: [CheckedExpr] = []
        var stack = policy.values.map(\.expression) + policy.rules.filter { !$0.isCaseload }.flatMap(\.expressions)
        while let e = stack.popLast() {
            guard !readsBinder(e) else { continue }
            found.append(e)
            e.forEachChild { stack.append($0) }
        }
        return found
    }

    static func readsBinder(_ e: CheckedExpr) -> Bool {
        switch e.kind {
        case .local, .caseValue, .caseloadCount, .staffMember: return true
        case .listOperation(_, let list, _, _, _): return readsBinder(list)
        default:
            var reads = false
            e.forEachChild { reads = reads || readsBinder($0) }
            return reads
        }
    }
}
