import Foundation
@testable import PolicyLang
import XCTest

/// The lints on small policies written here, each with examples that must be reported and
/// examples that must not. The policies extend the repository's `ba.fm` and use `case.fm`.
final class LintTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tree(_ path: String, _ text: String) -> SyntaxTree {
        let out = Parser.parse(SourceFile(path: path, text: text))
        XCTAssertTrue(out.diagnostics.isEmpty, DiagnosticRenderer().render(out.diagnostics))
        return out.tree
    }

    static func shipped(_ name: String) throws -> SyntaxTree {
        tree("policies/\(name).fm", try String(contentsOf: root.appendingPathComponent("policies/\(name).fm"), encoding: .utf8))
    }

    /// Lints `source` (a policy that extends `ba`, or stands alone), with `extensions` as the
    /// known policies that extend it; returns the warnings.
    func lint(_ source: String, extensions: [String] = [], schema: String? = nil,
              file: StaticString = #filePath, line: UInt = #line) throws -> [Diagnostic] {
        let schemaTree = try schema.map { Self.tree("case.fm", $0) } ?? Self.shipped("case")
        let me = Self.tree("test.fm", source)
        var layers = [PolicyLayer(tree: me)]
        if me.header?.extends?.text == "ba" { layers.insert(PolicyLayer(tree: try Self.shipped("ba")), at: 0) }
        let chains = extensions.enumerated().map { i, text in layers + [PolicyLayer(tree: Self.tree("ext\(i).fm", text))] }
        let (subject, diagnostics) = LintSubject.make(schemaTree: schemaTree, layers: layers, extenderChains: chains)
        guard let subject else {
            XCTFail("does not check: " + DiagnosticRenderer().render(diagnostics), file: file, line: line)
            return []
        }
        XCTAssertEqual(subject.extenders.count, extensions.count, "every extension checks", file: file, line: line)
        return Linter.run(subject)
    }

    /// The warnings as `code line:column text-under-the-caret`, for compact assertions.
    func summary(_ ds: [Diagnostic]) -> [String] {
        ds.map { d in
            let (l, c) = d.file!.location(of: d.span.start)
            return "\(d.code) \(l):\(c) \(d.file!.text(of: d.span))"
        }
    }

    func codes(_ ds: [Diagnostic], _ code: String) -> [String] { summary(ds.filter { $0.code == code }) }

    let header = """
    policy test extends ba
      title "Test"
      citation "Test"

    """

    // MARK: L001 unused declarations

    func testUnusedParameterAndDefinitionAreReported() throws {
        let ds = try lint(header + """
        param unbenutzt = 3
        define auch_unbenutzt = count kontakte
        """)
        XCTAssertEqual(codes(ds, "L001"), ["L001 4:7 unbenutzt", "L001 5:8 auch_unbenutzt"])
        XCTAssertTrue(ds.allSatisfy { $0.severity == .warning && $0.help != nil })
    }

    func testDeclarationsReadByRulesDefinitionsMessagesAndCaseloadRulesAreUsed() throws {
        let ds = try lint(header + """
        param in_meldung = 5
        param in_definition = 2 months
        define frist = fm.beginn + in_definition
        define je_fall = in_betreuung and fm.fallmanager is present
        param severity_schwelle = 3
        rule t.a "A" cites "1"
          info when stichtag > frist message "mehr als {in_meldung}"
        rule t.b "B" cites "2"
          (if count kontakte > severity_schwelle then warning else info) when in_betreuung message "b"
        caseload rule t.c "C" cites "3"
          info when (count c in faelle where c.je_fall) > 1 message "c"
        """)
        XCTAssertEqual(codes(ds, "L001"), [])
    }

    func testABaseParameterReadOnlyByAnExtensionIsUsed() throws {
        let base = """
        policy test
          title "Basis"
          citation "Basis"
        param nur_in_erweiterung = 4 months
        rule t.a "A" cites "1" info when count kontakte > 1 message "a"
        """
        XCTAssertEqual(codes(try lint(base), "L001"), ["L001 4:7 nur_in_erweiterung"])
        let reading = """
        policy erweiterung extends test
          title "E"
          citation "E"
        rule e.a "A" cites "1"
          when (fallmanagement.beginn <= stichtag) is true
          deadline fallmanagement.beginn + nur_in_erweiterung overdue info message "a"
        """
        XCTAssertEqual(codes(try lint(base, extensions: [reading]), "L001"), [])
    }

    func testAnOverrideThatNothingReadsIsUnused() throws {
        let ds = try lint(header + """
        remove rule dauer.regel
        override param regeldauer = 3 years
        """)
        XCTAssertEqual(codes(ds, "L001"), ["L001 5:16 regeldauer"])
        // With the rule that reads it, the override is used.
        XCTAssertEqual(codes(try lint(header + "override param regeldauer = 3 years"), "L001"), [])
    }

    func testSchemaDefinitionsCountUsesInThePoliciesThatReadCasesWithIt() throws {
        let schemaText = try String(contentsOf: Self.root.appendingPathComponent("policies/case.fm"), encoding: .utf8)
            + "\ndefine nie_gebraucht: set of Kontaktart = {telefonat}\n"
        let schemaTree = Self.tree("case.fm", schemaText)
        let chain = [PolicyLayer(tree: try Self.shipped("ba")), PolicyLayer(tree: try Self.shipped("kkm"))]
        let (subject, diagnostics) = LintSubject.make(schemaTree: schemaTree, layers: [], extenderChains: [chain])
        XCTAssertNotNil(subject, DiagnosticRenderer().render(diagnostics))
        // `qualifizierte_kontaktarten` is read by ba.fm; the new one by nobody.
        XCTAssertEqual(codes(Linter.run(subject!), "L001").map { $0.components(separatedBy: " ").last! }, ["nie_gebraucht"])
    }

    // MARK: L002 overrides that change nothing

    func testAnOverrideWithTheInheritedValueIsReported() throws {
        let ds = try lint(header + """
        override param pruefintervall = 6 months
        override define zugangskriterien_erfuellt = (ba_zugangskriterien)
        """)
        XCTAssertEqual(codes(ds, "L002"), ["L002 4:16 pruefintervall", "L002 5:17 zugangskriterien_erfuellt"])
        XCTAssertEqual(ds.first?.notes.first?.file?.path, "policies/ba.fm")
    }

    func testAnOverrideWithAnotherValueIsNotReported() throws {
        // 24 months behave like 2 years in dates, but messages write them differently.
        let ds = try lint(header + """
        override param regeldauer = 24 months
        override param pruefintervall = 3 months
        override define zugangskriterien_erfuellt = ba_zugangskriterien and u25
        """)
        XCTAssertEqual(codes(ds, "L002"), [])
    }

    func testAnOverriddenRuleIdenticalExceptLayoutCommentsAndSectionIsReported() throws {
        let ds = try lint(header + """
        override rule dauer.regel "Regeldauer"
          cites "§3"
          # a comment
          when (in_betreuung)
          deadline fm.beginn
              + regeldauer
            overdue warning message "Regeldauer ({regeldauer}) überschritten seit {due}"
        """)
        XCTAssertEqual(codes(ds, "L002"), ["L002 4:15 dauer.regel"])
        XCTAssertEqual(ds.first { $0.code == "L002" }?.help, "write `adopt rule dauer.regel cites \"§3\"`: the same findings, and a reader sees that nothing changed")
    }

    /// A German policy reads its warnings in its own keywords, like the checker's errors.
    func testWarningsQuoteTheKeywordsOfAGermanFile() throws {
        let ds = try lint("""
        richtlinie test erweitert ba
          titel "Test"
          zitierweise "Test"

        ersetze regel dauer.regel "Regeldauer"
          zitiert "§3"
          wenn in_betreuung
          frist fm.beginn + regeldauer
            ueberfaellig warnung meldung "Regeldauer ({regeldauer}) überschritten seit {due}"
        """)
        XCTAssertEqual(codes(ds, "L002"), ["L002 5:15 dauer.regel"])
        XCTAssertEqual(ds.first { $0.code == "L002" }?.help, "write `uebernimm regel dauer.regel zitiert \"§3\"`: the same findings, and a reader sees that nothing changed")
    }

    func testAnOverriddenRuleWithAnotherSeverityOrMessageIsNotReported() throws {
        for changed in ["overdue error message \"Regeldauer ({regeldauer}) überschritten seit {due}\"",
                        "overdue warning message \"Regeldauer überschritten seit {due}\"",
                        "overdue warning message \"Regeldauer ({regeldauer}) überschritten seit {due}\"\n    upcoming info message \"bald\""] {
            let ds = try lint(header + """
            override rule dauer.regel "Regeldauer"
              cites "Betreuungsdauer"
              when in_betreuung
              deadline fm.beginn + regeldauer
                \(changed)
            """)
            XCTAssertEqual(codes(ds, "L002"), [], changed)
        }
    }

    // MARK: L003 conditions that are never true

    func impossible(_ condition: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let ds = try lint(header + "rule t.a \"A\" cites \"1\"\n  info when \(condition) message \"m\"\n", file: file, line: line)
        return ds.filter { $0.code == "L003" }.map { $0.file!.text(of: $0.span) }
    }

    func testContradictoryConditionsAreReported() throws {
        XCTAssertEqual(try impossible("fm.zugangsart = formal and fm.zugangsart = einzelfall"),
                       ["fm.zugangsart = formal and fm.zugangsart = einzelfall"])
        XCTAssertEqual(try impossible("in_betreuung and fm.zugangsart = formal and u25 and fm.zugangsart != formal"),
                       ["fm.zugangsart = formal and u25 and fm.zugangsart != formal"])
        XCTAssertEqual(try impossible("not (fm.zugangsart = formal) and fm.zugangsart = formal"),
                       ["not (fm.zugangsart = formal) and fm.zugangsart = formal"])
        XCTAssertEqual(try impossible("fm.zugangsart = formal and not (fm.zugangsart in {formal})"),
                       ["fm.zugangsart = formal and not (fm.zugangsart in {formal})"])
        XCTAssertEqual(try impossible("person.profillage in {marktprofil} and person.profillage in {foerderprofil}").count, 1)
        XCTAssertEqual(try impossible("fm.ende is absent and fm.ende <= stichtag"), ["fm.ende is absent and fm.ende <= stichtag"])
        XCTAssertEqual(try impossible("fm.ende is absent and fm.ende is present").count, 1)
        XCTAssertEqual(try impossible("count kontakte > 3 and count kontakte < 4").count, 1)
        XCTAssertEqual(try impossible("count kontakte >= 3 and count kontakte <= 3 and count kontakte != 3").count, 1)
        XCTAssertEqual(try impossible("fm.beginn > 2025-01-01 and fm.beginn < 2025-01-02").count, 1)
        XCTAssertEqual(try impossible("person.arbeitslos is true and person.arbeitslos is false").count, 1)
        XCTAssertEqual(try impossible("in_betreuung and not in_betreuung").count, 1)
        XCTAssertEqual(try impossible("fm.fallmanager = \"A\" and fm.fallmanager = \"B\"").count, 1)
    }

    func testConditionsThatOneTestMakesImpossibleAreReported() throws {
        XCTAssertEqual(try impossible("count kontakte < 0"), ["count kontakte < 0"])
        XCTAssertEqual(try impossible("0 > count kontakte"), ["0 > count kontakte"])
        XCTAssertEqual(try impossible("count kontakte = -1"), ["count kontakte = -1"])
        XCTAssertEqual(try impossible("age(person.geburtsdatum, stichtag) < 0").count, 1)
        XCTAssertEqual(try impossible("person.geburtsdatum is absent"), ["person.geburtsdatum is absent"])
        XCTAssertEqual(try impossible("any k in kontakte where k.datum is absent"), ["k.datum is absent"])
        XCTAssertEqual(try impossible("fm.zugangsart in {}"), ["fm.zugangsart in {}"])
        XCTAssertEqual(try impossible("(count kontakte) in 5 .. 3"), ["(count kontakte) in 5 .. 3"])
    }

    func testPossibleConditionsAreNotReported() throws {
        for condition in [
            "fm.zugangsart = formal or fm.zugangsart = einzelfall",
            "fm.zugangsart = formal and fm.zugangsart != einzelfall",
            "count kontakte > 3 and count kontakte < 5",
            "count kontakte >= 0",
            "count kontakte >= 3 and count kontakte <= 3",
            "fm.ende is absent or fm.ende > stichtag",
            "fm.ende is absent and fm.beginn <= stichtag",
            "not (fm.ende is present) and fm.beginn is present",
            "(any k in kontakte where k.art = telefonat) and (any k in kontakte where k.art = netzwerk)",
            "count kontakte < mindestzahl_handlungsbedarfe and count kontakte > 5",
            "person.geburtsdatum is present",
            "fm.beginn > 2025-01-01 and fm.beginn < 2025-01-03",
            "not (person.arbeitslos is true) and person.arbeitslos is false",
            "stichtag in fm.beginn .. fm.beginn + 6 months",
            "count kontakte * 2 is absent",
        ] {
            XCTAssertEqual(try impossible(condition), [], condition)
        }
    }

    func testDecimalsHaveValuesBetweenTwoNumbers() throws {
        let ds = try lint(header + """
        caseload rule t.c "C" cites "1"
          info when fallmanager.stellenanteil > 0.5 and fallmanager.stellenanteil < 0.6 message "m"
        caseload rule t.d "D" cites "2"
          info when fallmanager.stellenanteil > 0.5 and fallmanager.stellenanteil < 0.5 message "m"
        """)
        XCTAssertEqual(codes(ds, "L003").count, 1)
        XCTAssertEqual(ds.first { $0.code == "L003" }.map { $0.file!.location(of: $0.span.start).line }, 7)
    }

    func testAnOutcomeThatContradictsTheRulesGuardIsReported() throws {
        let ds = try lint(header + """
        rule t.a "A" cites "1"
          when fm.zugangsart = formal
          error when fm.zugangsart = einzelfall message "nie"
          warning when fm.zugangsart = formal and u25 message "ja"
          info message "sonst"
        """)
        XCTAssertEqual(codes(ds, "L003"), ["L003 6:14 fm.zugangsart = einzelfall"])
        XCTAssertTrue(ds[0].message.hasPrefix("this outcome never applies"), ds[0].message)
    }

    func testTheShippedPoliciesHaveNoImpossibleConditions() throws {
        for name in ["hannover", "berlin", "kkm", "ilmkreis"] {
            let source = try String(contentsOf: Self.root.appendingPathComponent("policies/\(name).fm"), encoding: .utf8)
            XCTAssertEqual(codes(try lint(source), "L003"), [], name)
        }
    }

    // MARK: L004 citations against the outline

    let outlineHeader = """
    policy test extends ba
      title "Test"
      citation "Test"
      document "test.txt"
      outline "§1", "§2", "§3",
        "III.2", "Anlage 1"

    """

    func testCitationsOutsideTheOutlineAreReported() throws {
        let ds = try lint(outlineHeader + """
        rule t.a "A" cites "§4" info when u25 message "a"
        rule t.b "B" cites "§30" info when in_betreuung message "b"
        rule t.c "C" cites "III.20" info when count kontakte > 1 message "c"
        adopt rule dauer.regel cites "§9"
        """)
        XCTAssertEqual(codes(ds, "L004"), ["L004 7:20 \"§4\"", "L004 8:20 \"§30\"", "L004 9:20 \"III.20\"", "L004 10:30 \"§9\""])
        XCTAssertEqual(ds.first?.message, "`§4` is not a section of `test.txt`")
        XCTAssertEqual(ds.first?.notes.first?.message, "the document's outline")
    }

    func testCitationsOfAnOutlineEntryOrAPartOfItAreNotReported() throws {
        let ds = try lint(outlineHeader + """
        rule t.a "A" cites "§3 Abs. 2" info when u25 message "a"
        rule t.b "B" cites "§3" info when in_betreuung message "b"
        rule t.c "C" cites "III.2 (a)" info when count kontakte > 1 message "c"
        rule t.d "D" cites "Anlage 1" info when count kontakte > 2 message "d"
        adopt rule dauer.regel cites "§1, Satz 2"
        """)
        XCTAssertEqual(codes(ds, "L004"), [])
    }

    func testWithoutAnOutlineNothingIsChecked() throws {
        XCTAssertEqual(codes(try lint(header + "rule t.a \"A\" cites \"§99\" info when u25 message \"a\""), "L004"), [])
    }

    func testOutlinePrefixesEndAtAWordBoundary() {
        XCTAssertTrue(OutlineCitations.matches(citation: "§3", entry: "§3"))
        XCTAssertTrue(OutlineCitations.matches(citation: "§3 Abs. 2", entry: "§3"))
        XCTAssertTrue(OutlineCitations.matches(citation: "§3, Satz 1", entry: "§3"))
        XCTAssertTrue(OutlineCitations.matches(citation: "III.2 (a)", entry: "III.2"))
        XCTAssertFalse(OutlineCitations.matches(citation: "§30", entry: "§3"))
        XCTAssertFalse(OutlineCitations.matches(citation: "§3a", entry: "§3"))
        XCTAssertFalse(OutlineCitations.matches(citation: "IV.4", entry: "IV"))
        XCTAssertFalse(OutlineCitations.matches(citation: "§", entry: "§3"))
    }

    func testTheOutlineIsAHeaderClauseOfPolicies() {
        let out = Parser.parse(SourceFile(path: "t.fm", text: "policy p\n  title \"T\"\n  outline \"§1\", \"§2 Abs. 1\"\n  citation \"C\"\n"))
        XCTAssertTrue(out.diagnostics.isEmpty, DiagnosticRenderer().render(out.diagnostics))
        XCTAssertEqual(out.tree.header?.outline?.map(\.value), ["§1", "§2 Abs. 1"])
        XCTAssertEqual(out.tree.header?.citation?.value, "C")
        XCTAssertNil(Parser.parse(SourceFile(path: "t.fm", text: "policy p\n  title \"T\"\n")).tree.header?.outline)
        let missing = Parser.parse(SourceFile(path: "t.fm", text: "policy p\n  outline \"§1\", 3\n"))
        XCTAssertEqual(missing.diagnostics.map(\.code), ["E0100"])
        XCTAssertTrue(missing.diagnostics[0].message.contains("a section of the document"), missing.diagnostics[0].message)
    }

    // MARK: L005 rules that repeat another rule

    func testARuleThatFiresLikeABaseRuleUnderAnotherIdIsReported() throws {
        let ds = try lint(header + """
        rule t.regeldauer "Betreuung zu lang"
          cites "1"
          when in_betreuung
          deadline fm.beginn + regeldauer
            overdue error message "anders"
        """)
        XCTAssertEqual(codes(ds, "L005"), ["L005 4:6 t.regeldauer"])
        XCTAssertEqual(ds[0].message, "rule `t.regeldauer` fires in exactly the same cases as `dauer.regel` of `ba`")
    }

    func testARuleWithTheTitleOfAnotherRuleIsReported() throws {
        let ds = try lint(header + """
        rule t.grund " beendigungsgrund " cites "1" info when fm.beendigungsgrund = sonstiges message "m"
        """)
        XCTAssertEqual(codes(ds, "L005"), ["L005 4:14 \" beendigungsgrund \""])
    }

    func testTwoRulesOfOneFileWithTheSameConditionsAreReportedAtTheSecond() throws {
        let ds = try lint(header + """
        rule t.a "A" cites "1" info when in_betreuung and fm.betreuung = neben message "a"
        rule t.b "B" cites "1" warning when (in_betreuung) and fm.betreuung = neben message "b"
        """)
        XCTAssertEqual(codes(ds, "L005"), ["L005 5:6 t.b"])
    }

    func testRenamedOverriddenAndDifferentRulesAreNotReported() throws {
        let ds = try lint(header + """
        remove rule zugang.kriterien
        rule t.zugang "Zugangskriterien erfüllt"
          cites "1"
          when not in_betreuung and zugangskriterien_erfuellt
          info message "Zugangskriterien erfüllt: Zuweisung ins Fallmanagement prüfen"
        override rule dauer.regel "Regeldauer" cites "2"
          when in_betreuung
          deadline fm.beginn + regeldauer overdue error message "m"
        rule t.a "A" cites "3" info when in_betreuung and fm.betreuung = neben message "a"
        rule t.b "B" cites "3" info when in_betreuung and fm.betreuung = haupt message "a"
        """)
        XCTAssertEqual(codes(ds, "L005"), [])
    }

    // MARK: the shipped policies

    /// The shipped policies, each linted with the others as its known extensions.
    func testTheShippedPoliciesAreClean() throws {
        let ba = try Self.shipped("ba")
        let extensions = try ["ilmkreis", "hannover", "berlin", "kkm"].map { try Self.shipped($0) }
        let (baSubject, baDiagnostics) = LintSubject.make(schemaTree: try Self.shipped("case"), layers: [PolicyLayer(tree: ba)],
                                                          extenderChains: extensions.map { [PolicyLayer(tree: ba), PolicyLayer(tree: $0)] })
        XCTAssertEqual(summary(Linter.run(try XCTUnwrap(baSubject, DiagnosticRenderer().render(baDiagnostics)))), [])
        // Without its extensions, ba.fm's `u25` and `qualifizierte_kontakte` (read only by
        // ilmkreis.fm and kkm.fm) look unused.
        let (alone, _) = LintSubject.make(schemaTree: try Self.shipped("case"), layers: [PolicyLayer(tree: ba)])
        XCTAssertEqual(Linter.run(try XCTUnwrap(alone)).map(\.message),
                       ["definition `u25` is never used", "definition `qualifizierte_kontakte` is never used"])
        for e in extensions {
            let (s, _) = LintSubject.make(schemaTree: try Self.shipped("case"), layers: [PolicyLayer(tree: ba), PolicyLayer(tree: e)])
            XCTAssertEqual(summary(Linter.run(try XCTUnwrap(s))), [], e.file.path)
        }
    }
}
