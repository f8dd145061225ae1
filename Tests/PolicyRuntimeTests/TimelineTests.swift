import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PolicyLang
@testable import PolicyRuntime
import XCTest

/// `fmpolicy timeline`: a checked case as a standalone SVG.
final class TimelineTests: XCTestCase {
    /// Hannover, Stichtag 2025-03-01, in care since 2023-02-13 after a clearing phase. Born
    /// 1967-10-03, with free text and a case manager that must never reach the image.
    static let caseJSON = #"""
    {"id": "T-007", "stichtag": "2025-03-01",
     "person": {"geburtsdatum": "1967-10-03", "rechtskreis": "SGB2", "arbeitslos": true, "integration_12_monate": false},
     "handlungsbedarfe": [{"schluesselgruppe": "leistungsfaehigkeit", "bezeichnung": "Geheimer Freitext Bedarf", "verfestigt": true}],
     "zugangspruefungen": [{"datum": "2022-12-12", "ergebnis": "zugang", "begruendung": "Geheime Begründung"},
                           {"datum": "2022-06-01", "ergebnis": "kein_zugang", "begruendung": "Noch geheimer"}],
     "fallmanagement": {"fallmanager": "FM-GEHEIM-9", "clearing_beginn": "2022-12-19", "beginn": "2023-02-13", "zugangsart": "formal",
       "betreuung": "haupt",
       "fortfuehrungspruefungen": [{"datum": "2023-08-10", "tl_informiert": false}, {"datum": "2024-02-12", "tl_informiert": true},
                                   {"datum": "2024-09-16", "tl_informiert": true}, {"datum": "2025-06-01", "tl_informiert": true}],
       "eingliederungsvereinbarungen": [{"datum": "2023-03-06"}, {"datum": "2024-08-05"}],
       "ende": null},
     "fruehere_betreuungen": [{"beginn": "2020-04-01", "ende": "2021-09-30", "beendigungsgrund": "keine_verbesserung"}],
     "kontakte": [{"datum": "2024-10-07", "art": "beratungsvermerk", "rechtskreis": "SGB2"},
                  {"datum": "2024-11-20", "art": "telefonat", "rechtskreis": "SGB2"},
                  {"datum": "2025-01-22", "art": "reha_kontakt", "rechtskreis": "SGB3"},
                  {"datum": "2025-02-17", "art": "fallmanagement", "rechtskreis": "SGB2"}]}
    """#

    static func timeline(_ json: String = caseJSON, policy name: String = "hannover", asOf: String? = nil) throws -> CaseTimeline {
        let policy = try TestPolicies.load(name)
        var options = CheckOptions()
        options.asOf = asOf.flatMap { CalendarDate(iso: $0) }
        let stream = CaseStream(policy: policy, options: options, countsCaseload: false, readsEveryField: true)
        let bytes = Array(json.utf8)
        var evaluation = try bytes.withUnsafeBufferPointer { try stream.evaluate(line: $0).get() }
        return CaseTimeline.build(&evaluation, policy: policy)
    }

    /// Parses `svg` as XML; the error, if it is not well-formed.
    static func xmlError(_ svg: String) -> String? {
        final class Delegate: NSObject, XMLParserDelegate {
            var root: String?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if root == nil { root = name }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { return parser.parserError.map { "\($0)" } ?? "not well-formed" }
        return delegate.root == "svg" ? nil : "root element is \(delegate.root ?? "none")"
    }

    func testLanesEventsDeadlinesAndFindings() throws {
        let t = try Self.timeline()
        XCTAssertEqual(t.caseID, "T-007")
        XCTAssertEqual(t.lanes.map(\.title), ["Betreuung", "Zugangsprüfungen", "Fortführungsprüfungen", "Eingliederungsvereinbarungen", "Kontakte"])
        let care = t.lanes[0]
        XCTAssertEqual(care.bars.map(\.style), ["past", "clearing", "care"])
        XCTAssertEqual(care.bars[1].end, CalendarDate(iso: "2023-02-13"), "the clearing phase ends with the take-over")
        XCTAssertNil(care.bars[2].end, "still in care")
        XCTAssertEqual(t.lanes[1].marks.map(\.style), ["event", "negative"])
        XCTAssertEqual(t.lanes[2].marks.count, 3, "the review after the Stichtag is not part of the case")
        XCTAssertEqual(t.lanes[2].marks.map(\.label).last, "Fortführungsprüfung (TL informiert)")
        // Hannover keeps the baseline's definition: the kind counts, and the Rechtskreis must be the person's.
        XCTAssertEqual(t.qualifiedBy, "qualifizierte_kontakte")
        XCTAssertEqual(t.lanes[4].marks.map(\.style), ["qualified", "contact", "contact", "qualified"])

        let svg = t.svg()
        XCTAssertNil(Self.xmlError(svg))
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("<title>Zeitstrahl Fall T-007 · Policy hannover · Stichtag 2025-03-01</title>"))
        XCTAssertTrue(svg.contains("Stichtag 2025-03-01</text>"))
        for title in ["Betreuung", "Zugangsprüfungen", "Fortführungsprüfungen", "Eingliederungsvereinbarungen", "Kontakte", "Fristen aus Befunden", "Befunde"] {
            XCTAssertTrue(svg.contains(">\(title)</text>"), title)
        }
        // Every finding listed with rule and severity; every due date marked, red when overdue, amber when upcoming.
        XCTAssertFalse(t.findings.isEmpty)
        for f in t.findings {
            XCTAssertTrue(svg.contains("<text class=\"finding-rule\" x=\"86\" y=\""), f.rule)
            XCTAssertTrue(svg.contains(">\(f.rule)</text>"), f.rule)
            XCTAssertTrue(svg.contains("<g class=\"finding \(f.severity.rawValue)\"><title>\(f.rule) (\(f.severity.rawValue))"), f.rule)
            if let due = f.due {
                let cls = t.stichtag > due ? "overdue" : "upcoming"
                XCTAssertTrue(svg.contains("<g class=\"deadline \(cls)\"><title>\(f.rule) (\(f.severity.rawValue)): fällig \(due)"), f.rule)
            }
        }
        // EV due 2025-02-05 (overdue), continuation review due 2025-03-16 (upcoming, within 30 days).
        XCTAssertTrue(t.findings.contains { $0.rule == "eingliederungsvereinbarung.pruefung" && $0.due == CalendarDate(iso: "2025-02-05") })
        XCTAssertTrue(t.findings.contains { $0.rule == "fortfuehrung.pruefung" && $0.due == CalendarDate(iso: "2025-03-16") && $0.severity == .info })
        XCTAssertTrue(svg.contains("class=\"due overdue\""))
        XCTAssertTrue(svg.contains("class=\"due upcoming\""))
    }

    func testNoPersonalFieldIsShown() throws {
        let svg = try Self.timeline().svg()
        for secret in ["1967", "03.10.67", "10-03", "Geheim", "geheim", "FM-GEHEIM", "Begründung", "geburtsdatum"] {
            XCTAssertFalse(svg.contains(secret), "\(secret) in the image")
        }
        // Nor any birth-date digit pattern in another form.
        XCTAssertFalse(svg.contains("03.10.1967"))
    }

    /// A policy that writes the birth date into a message still gets no birth date drawn.
    func testABirthDateInAMessageIsTakenOut() throws {
        let loaded = try TestPolicies.compile("""
        policy plaudert extends ba
          title "Plaudert"
          citation "P"
        rule geburt.nennen "Nennt das Geburtsdatum"
          cites "§1"
          info message "Geboren {person.geburtsdatum}, Alter {age(person.geburtsdatum, stichtag)}"
        """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let stream = CaseStream(policy: policy, options: CheckOptions(), countsCaseload: false, readsEveryField: true)
        var evaluation = try Array(Self.caseJSON.utf8).withUnsafeBufferPointer { try stream.evaluate(line: $0).get() }
        XCTAssertTrue(evaluation.result.findings.contains { $0.message.contains("1967-10-03") }, "the policy does write it")
        let svg = CaseTimeline.build(&evaluation, policy: policy).svg()
        XCTAssertFalse(svg.contains("1967"), svg)
        XCTAssertTrue(svg.contains("Geboren [Geburtsdatum], Alter 57"))
        XCTAssertEqual(CaseTimeline.redact(CalendarDate(iso: "1967-10-03")!, in: "a 1967-10-03 b 03.10.1967 c 3.10.1967"),
                       "a [Geburtsdatum] b [Geburtsdatum] c [Geburtsdatum]")
    }

    func testTheSameBytesEveryTime() throws {
        XCTAssertEqual(try Self.timeline().svg(), try Self.timeline().svg())
        XCTAssertNotEqual(try Self.timeline().svg(), try Self.timeline(asOf: "2025-06-30").svg(), "the Stichtag moves")
    }

    /// The case id, rule ids and messages come from outside: `<`, `&`, `"` are escaped.
    func testEscaping() throws {
        let d = CalendarDate(iso: "2025-03-01")!
        let finding = Finding(rule: "r.<x>", severity: .error, message: #"Frist <sofort> & "jetzt" ']]>"#, due: d.adding(days: -3), source: "Quelle <&>")
        let t = CaseTimeline(caseID: #"A<&"B'"#, policyID: "p&<", stichtag: d,
                             lanes: [CaseTimeline.Lane(title: "Ereignis <&>", marks: [CaseTimeline.Mark(date: d.adding(days: -40), label: #"Art "<&>""#, style: "event")])],
                             findings: [finding])
        let svg = t.svg()
        XCTAssertNil(Self.xmlError(svg), svg)
        XCTAssertTrue(svg.contains("<title>Zeitstrahl Fall A&lt;&amp;&quot;B&#39; · Policy p&amp;&lt; · Stichtag 2025-03-01</title>"))
        XCTAssertTrue(svg.contains("Frist &lt;sofort&gt; &amp; &quot;jetzt&quot; &#39;]]&gt;"))
        XCTAssertTrue(svg.contains(">r.&lt;x&gt;</text>"))
        XCTAssertTrue(svg.contains(">Ereignis &lt;&amp;&gt;</text>"))
        XCTAssertFalse(svg.contains("<sofort>"))
        XCTAssertFalse(svg.contains("A<&"))
    }

    /// Without `qualifizierte_kontakte`, the schema's kinds decide; a schema without a field
    /// simply has no lane for it.
    func testSchemaDecidesLanesAndKinds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try """
        schema case
          title "small"
          root Fall
        enum Kontaktart = besuch | telefonat
        define qualifizierte_kontaktarten: set of Kontaktart = {besuch}
        record Fall
          id: string required
          stichtag: date?
          person: Person required
          fallmanagement: Fallmanagement?
          kontakte: list of Kontakt dated by datum
        record Person
          geburtsdatum: date required
        record Fallmanagement
          beginn: date required
        record Kontakt
          datum: date required
          art: Kontaktart?
        """.write(to: dir.appendingPathComponent("case.fm"), atomically: true, encoding: .utf8)
        try """
        policy klein
          title "Klein"
          citation "K"
        rule nie "Nie"
          cites "§1"
          info when count kontakte > 5 message "viele"
        """.write(to: dir.appendingPathComponent("klein.fm"), atomically: true, encoding: .utf8)
        let loaded = PolicyLibrary(searchPath: [dir.path]).load("klein")
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let json = #"{"id":"K-1","stichtag":"2025-03-01","person":{"geburtsdatum":"1999-12-31"},"fallmanagement":{"beginn":"2024-05-01"},"kontakte":[{"datum":"2024-06-01","art":"besuch"},{"datum":"2024-07-01","art":"telefonat"}]}"#
        let stream = CaseStream(policy: policy, options: CheckOptions(), countsCaseload: false, readsEveryField: true)
        var evaluation = try Array(json.utf8).withUnsafeBufferPointer { try stream.evaluate(line: $0).get() }
        let t = CaseTimeline.build(&evaluation, policy: policy)
        XCTAssertEqual(t.lanes.map(\.title), ["Betreuung", "Kontakte"], "no access checks, reviews or agreements in this schema")
        XCTAssertEqual(t.qualifiedBy, "qualifizierte_kontaktarten")
        XCTAssertEqual(t.lanes[1].marks.map(\.style), ["qualified", "contact"])
        let svg = t.svg()
        XCTAssertNil(Self.xmlError(svg))
        XCTAssertTrue(svg.contains("keine Befunde"))
        XCTAssertTrue(svg.contains("keine Frist in den Befunden"))
        XCTAssertFalse(svg.contains("1999"))
    }
}
