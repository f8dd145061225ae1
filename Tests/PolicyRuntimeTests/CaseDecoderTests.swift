import PolicyLang
import PolicyRuntime
import XCTest

/// Malformed cases: each error names the JSON path, never the value of a personal field.
final class CaseDecoderTests: XCTestCase {
    var decoder: CaseDecoder!

    override func setUpWithError() throws {
        decoder = CaseDecoder(schema: try TestPolicies.load("ilmkreis").schema)
    }

    let valid = """
    {"id":"T-1","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14","rechtskreis":"SGB2"},
     "fallmanagement":{"beginn":"2024-01-10","fortfuehrungspruefungen":[{"datum":"2024-07-01"},{"datum":"2024-12-01"}]},
     "kontakte":[]}
    """

    func error(_ json: String) -> CaseReadError? {
        do { _ = try decoder.decode(json); return nil } catch { return error }
    }

    func testValidCaseDecodes() throws {
        let decoded = try decoder.decode(valid)
        XCTAssertEqual(decoded.id, "T-1")
        XCTAssertEqual(decoded.stichtag, CalendarDate(iso: "2025-03-01"))
    }

    /// A policy's decoder keeps the lists its rules can reach, through definitions, message
    /// holes and a caseload rule's `c.NAME`, and drops (empty) those only a definition that no
    /// rule uses reads.
    func testAPolicysDecoderKeepsWhatItsRulesReach() throws {
        let loaded = try TestPolicies.compile("""
        policy reichweite
          title "Reichweite"
          citation "Reichweite"

        define nie_benutzt = count kontakte
        define bedarfe = count handlungsbedarfe
        define frueher = count fruehere_betreuungen

        rule frueher "Frühere Betreuungen"
          cites "1"
          info when stichtag >= 2020-01-01
            message "{frueher} frühere Betreuungen"

        caseload rule bedarfe "Bedarfe"
          cites "2"
          info when (count c in faelle where c.bedarfe > 0) > 100
            message "viele"
        """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let json = #"{"id":"T-1","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-05-14"},"handlungsbedarfe":[{"verfestigt":true}],"zugangspruefungen":[{"datum":"2024-01-01"}],"fruehere_betreuungen":[{"beginn":"2020-01-01","ende":"2021-01-01"}],"kontakte":[{"datum":"2024-02-01"}]}"#
        let decoded = try CaseDecoder(schema: policy.schema, policy: policy).decode(json)
        func entries(_ name: String) -> Int? {
            guard let slot = policy.schema.root.fieldIndex[name], case .list(let list) = decoded.root[slot] else { return nil }
            return list.count
        }
        XCTAssertEqual(entries("fruehere_betreuungen"), 1)    // a message hole's definition
        XCTAssertEqual(entries("handlungsbedarfe"), 1)        // a caseload rule's `c.bedarfe`
        XCTAssertEqual(entries("kontakte"), 0)                // only a definition no rule uses
        XCTAssertEqual(entries("zugangspruefungen"), 0)       // nothing
    }

    func testMissingRequiredFieldNamesItsPath() {
        let e = error(#"{"id":"T-1","person":{}}"#)
        XCTAssertEqual(e?.path, "person.geburtsdatum")
        XCTAssertEqual(e?.message, "is missing")
        XCTAssertEqual(error(#"{"person":{"geburtsdatum":"1990-01-01"}}"#)?.path, "id")
    }

    func testBeginnMayBeAbsentOnlyDuringClearing() {
        let withoutBeginn = #"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"fallmanagement":{"fallmanager":"FM-1"}}"#
        XCTAssertEqual(error(withoutBeginn)?.path, "fallmanagement.beginn")
        let clearing = #"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"fallmanagement":{"clearing_beginn":"2025-01-01"}}"#
        XCTAssertNil(error(clearing))
    }

    func testWrongTypeNamesPathAndExpectedType() {
        let e = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01","arbeitslos":"ja"}}"#)
        XCTAssertEqual(e?.path, "person.arbeitslos")
        XCTAssertEqual(e?.message, "expected true or false, found a string")
    }

    func testImpossibleDateInAListNamesIndexAndHidesTheValue() {
        let json = #"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"fallmanagement":{"beginn":"2024-01-01","fortfuehrungspruefungen":[{"datum":"2024-07-01"},{"datum":"2024-08-01"},{"datum":"2023-02-30"}]}}"#
        let e = error(json)
        XCTAssertEqual(e?.path, "fallmanagement.fortfuehrungspruefungen[2].datum")
        XCTAssertEqual(e?.message, "not a valid date: day 30 does not exist in that month")
        XCTAssertFalse(e?.description.contains("2023") ?? true)
    }

    func testBirthDateIsNeverEchoed() {
        for bad in ["1990-13-01", "1990-1-5", "14.05.1990", "2023-02-29"] {
            let e = error(#"{"id":"T","person":{"geburtsdatum":"\#(bad)"}}"#)
            XCTAssertEqual(e?.path, "person.geburtsdatum", bad)
            XCTAssertFalse(e?.description.contains(bad) ?? true, "\(bad) must not appear in \(e?.description ?? "")")
        }
    }

    func testUnknownEnumValueListsTheValues() {
        let e = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01","rechtskreis":"SGB9"}}"#)
        XCTAssertEqual(e?.path, "person.rechtskreis")
        XCTAssertEqual(e?.message, "unknown Rechtskreis `SGB9`; expected one of SGB2, SGB3; did you mean `SGB2`?")
        let kontakt = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"kontakte":[{"datum":"2025-01-01","art":"beratungsvermerck"}]}"#)
        XCTAssertEqual(kontakt?.path, "kontakte[0].art")
        XCTAssertTrue(kontakt?.message.hasSuffix("did you mean `beratungsvermerk`?") ?? false)
    }

    func testDuplicateKeyIsAnError() {
        let e = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01","geburtsdatum":"1991-01-01"}}"#)
        XCTAssertEqual(e?.path, "person.geburtsdatum")
        XCTAssertEqual(e?.message, "appears twice in the same object")
    }

    func testSyntaxErrorsKeepTheirOffsetAndPath() {
        let e = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01",}}"#)
        XCTAssertEqual(e?.path, "person")
        XCTAssertTrue(e?.message.hasPrefix("invalid JSON: ") ?? false)
        XCTAssertEqual(error("")?.message, "the input is empty; expected a case object")
        XCTAssertEqual(error("[]")?.message, "expected a case object `{…}`")
    }

    func testUnknownFieldsAreIgnoredButMustBeJSON() {
        XCTAssertNil(error(#"{"id":"T","extra":{"a":[1,2,{"b":null}]},"person":{"geburtsdatum":"1990-01-01","neu":true}}"#))
    }

    func testNullAndAbsentListsAreEmpty() throws {
        XCTAssertNil(error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"kontakte":null}"#))
        let e = error(#"{"id":"T","person":{"geburtsdatum":"1990-01-01"},"kontakte":[null]}"#)
        XCTAssertEqual(e?.path, "kontakte[0]")
    }

    func testByteOrderMarkIsAccepted() {
        XCTAssertNil(error("\u{FEFF}" + #"{"id":"T","person":{"geburtsdatum":"1990-01-01"}}"#))
    }
}
