import PolicyLang
import XCTest

/// The editor features of `fmpolicy lsp` as library functions: positions, hover,
/// definition, completion, outline, diagnostics. Documents sit at a made-up path, so
/// `extends ba` and the schema come from the repository's `policies/`.
final class LanguageServerEditorTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policies = root.appendingPathComponent("policies").path
    static let documentPath = "/nonexistent-fmpolicy-test/muster.fm"

    static let muster = """
    policy muster extends ba
      title "Jobcenter Muster – Dienstanweisung"
      citation "DA Muster"

    # §4 „Die Betreuung soll nicht länger als 18 Monate dauern.“
    override param regeldauer = 18 months

    param ev_frist = 3 months

    define erste_ev = earliest e in fm.eingliederungsvereinbarungen by e.datum

    adopt rule dauer.regel cites "§4"

    # §5 „… ist eine Eingliederungsvereinbarung abzuschließen.“
    rule ev.abschluss "Erste Eingliederungsvereinbarung"
      cites "§5"
      when in_betreuung and erste_ev is absent and fm.zugangsart = einzelfall
      warning when (count k in kontakte where k.art = telefonat) > 2
        message "Überfällig – seit {fm.beginn}"
      deadline fm.beginn + ev_frist
        overdue error message "Keine Eingliederungsvereinbarung, fällig seit {due}"

    """

    func workspace() -> EditorWorkspace { EditorWorkspace(searchPath: [Self.policies]) }

    /// `text` with the cursor mark `‸` taken out, and the mark's byte offset.
    func marked(_ text: String) -> (String, Int) {
        guard let r = text.range(of: "‸") else { XCTFail("no cursor mark"); return (text, 0) }
        return (text.replacingCharacters(in: r, with: ""), text.utf8.distance(from: text.utf8.startIndex, to: r.lowerBound))
    }

    /// The analysis of `muster` with the cursor before the `n`-th occurrence of `word` (plus `shift` bytes).
    func at(_ word: String, _ n: Int = 0, shift: Int = 1, in text: String = muster) -> (DocumentAnalysis, Int) {
        var from = text.startIndex
        var found: Range<String.Index>?
        for _ in 0...n {
            found = text.range(of: word, range: from..<text.endIndex)
            from = found.map { $0.upperBound } ?? text.endIndex
        }
        guard let found else { XCTFail("`\(word)` not in the text"); return (workspace().analyze(path: Self.documentPath, text: text), 0) }
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: found.lowerBound) + shift
        return (workspace().analyze(path: Self.documentPath, text: text), offset)
    }

    // MARK: positions

    func testPositionsCountUTF16UnitsPerLine() {
        let text = "a\n# Überfällig – 📅 x\r\nz"
        let lines = LineIndex(text: text)
        let x = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "x")!.lowerBound)
        let expected = EditorPosition(line: 1, character: "# Überfällig – 📅 ".utf16.count)
        XCTAssertEqual(lines.position(of: x), expected)
        XCTAssertEqual(lines.offset(of: expected), x)
        XCTAssertEqual(lines.position(of: text.utf8.count), EditorPosition(line: 2, character: 1))
        // Past the end of a line: the line's end (before `\r\n`); past the last line: the end.
        XCTAssertEqual(lines.offset(of: EditorPosition(line: 1, character: 999)), x + 1)
        XCTAssertEqual(lines.offset(of: EditorPosition(line: 9, character: 0)), text.utf8.count)
        // Inside the surrogate pair of 📅: the character's start.
        let emoji = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "📅")!.lowerBound)
        XCTAssertEqual(lines.offset(of: EditorPosition(line: 1, character: "# Überfällig – ".utf16.count + 1)), emoji)
        XCTAssertEqual(lines.position(of: emoji + 2), lines.position(of: emoji))
    }

    func testDiagnosticRangeIsInUTF16() {
        let text = Self.muster.replacingOccurrences(of: "seit {fm.beginn}", with: "📅 seit {in_betreung}")
        let a = workspace().analyze(path: Self.documentPath, text: text)
        let d = a.documentDiagnostics()
        XCTAssertEqual(d.map(\.code), ["E0416"], d.map(\.message).joined(separator: "\n"))
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("in_betreung") }!
        let column = text.split(separator: "\n", omittingEmptySubsequences: false)[line].components(separatedBy: "in_betreung")[0].utf16.count
        XCTAssertEqual(a.lines.range(of: d[0].span), EditorRange(start: EditorPosition(line: line, character: column),
                                                                  end: EditorPosition(line: line, character: column + 11)))
    }

    // MARK: diagnostics

    func testACleanPolicyHasNoDiagnostics() {
        let a = workspace().analyze(path: Self.documentPath, text: Self.muster)
        XCTAssertEqual(a.documentDiagnostics(), [])
        XCTAssertNotNil(a.policy)
    }

    func testAMissingBaseIsReportedAtExtends() {
        let a = workspace().analyze(path: Self.documentPath, text: "policy x extends nichtda\n  title \"t\"\n  citation \"c\"\n")
        let d = a.documentDiagnostics()
        XCTAssertEqual(d.map(\.code), ["E0018"])
        XCTAssertEqual(a.file.text(of: d[0].span), "nichtda")
    }

    func testErrorsOfABaseAreShownAtExtends() throws {
        var ws = workspace()
        let ba = Self.policies + "/ba.fm"
        let text = try String(contentsOfFile: ba, encoding: .utf8).replacingOccurrences(of: "regeldauer = 2 ", with: "regeldauer = = 2 ")
        ws.open(path: ba, text: text)
        let a = ws.analyze(path: Self.documentPath, text: Self.muster)
        let d = a.documentDiagnostics()
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(a.file.text(of: d[0].span), "ba")
        XCTAssertTrue(d[0].message.hasPrefix("`ba.fm` has an error: expected an expression"), d[0].message)
        XCTAssertEqual(d[0].notes.first?.file?.path, ba)
    }

    func testLintWarningsAndFormattingComeFromTheirCommands() throws {
        let a = workspace().analyze(path: Self.documentPath, text: Self.muster + "\nparam ungenutzt = 3\n")
        XCTAssertEqual(a.documentDiagnostics(), [])
        let warnings = a.documentDiagnostics(phases: EditorDiagnostics.phases)
        XCTAssertEqual(warnings.map(\.code), ["L001"], warnings.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(a.file.text(of: warnings[0].span), "ungenutzt")
        // The base's definitions that only extending policies use are not "unused".
        let ba = Self.policies + "/ba.fm"
        let base = workspace().analyze(path: ba, text: try String(contentsOfFile: ba, encoding: .utf8))
        XCTAssertEqual(base.documentDiagnostics(phases: EditorDiagnostics.phases).map(\.code), [])

        let messy = workspace().analyze(path: Self.documentPath, text: "policy   m extends ba\n title \"T\"\n    citation \"C\"\nparam   x=3\n")
        let formatted = try XCTUnwrap(EditorFormatting.format(messy))
        XCTAssertTrue(formatted.hasPrefix("policy m extends ba\n  title \"T\"\n  citation \"C\"\n"), formatted)
        XCTAssertTrue(formatted.contains("\nparam x = 3\n"), formatted)
        XCTAssertNil(EditorFormatting.format(workspace().analyze(path: Self.documentPath, text: "policy m\nparam x = = 3\n")))
    }

    func testAnOpenBufferOfTheBaseWins() throws {
        var ws = workspace()
        let ba = Self.policies + "/ba.fm"
        ws.open(path: ba, text: try String(contentsOfFile: ba, encoding: .utf8).replacingOccurrences(of: "regeldauer = 2 ", with: "regeldauer = 3 "))
        let (_, offset) = at("regeldauer")
        let hover = ws.analyze(path: Self.documentPath, text: Self.muster).hover(at: offset)
        XCTAssertTrue(hover?.markdown.contains("Overrides `ba`: `3 ") == true, hover?.markdown ?? "no hover")
    }

    // MARK: hover

    func testHoverOnAnOverriddenParameterShowsTheBaseValue() throws {
        let (a, offset) = at("regeldauer")
        let hover = try XCTUnwrap(a.hover(at: offset))
        XCTAssertEqual(a.file.text(of: hover.span), "regeldauer")
        XCTAssertTrue(hover.markdown.hasPrefix("**param** `regeldauer`: `duration`"), hover.markdown)
        XCTAssertTrue(hover.markdown.contains("override param regeldauer = 18 months"), hover.markdown)
        XCTAssertTrue(hover.markdown.contains("§4 „Die Betreuung soll nicht länger als 18 Monate dauern.“"), hover.markdown)
        XCTAssertTrue(hover.markdown.contains("Overrides `ba`: `2 "), hover.markdown)
    }

    func testHoverInTheBaseNamesThePoliciesThatOverride() throws {
        let path = Self.policies + "/ba.fm"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let a = workspace().analyze(path: path, text: text)
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "regeldauer = 2")!.lowerBound) + 1
        let hover = try XCTUnwrap(a.hover(at: offset)).markdown
        XCTAssertTrue(hover.hasPrefix("**param** `regeldauer`: `duration`"), hover)
        XCTAssertTrue(hover.contains("regeldauer = 2 "), hover)
        // (berlin.fm and hannover.fm may be written with English or German keywords.)
        XCTAssertTrue(hover.contains("Overridden in `berlin`: `5 "), hover)
        XCTAssertTrue(hover.contains("; `hannover`: `24 "), hover)
    }

    func testHoverOnACaseFieldShowsItsTypeAndComment() throws {
        let (a, offset) = at("fm.beginn", shift: 4)
        let hover = try XCTUnwrap(a.hover(at: offset)).markdown
        XCTAssertTrue(hover.hasPrefix("**field** `Fallmanagement.beginn`: `date?` (required unless `clearing_beginn`)"), hover)
        XCTAssertTrue(hover.contains("formal assignment / take-over into case management"), hover)
    }

    func testHoverOnADefinitionShowsItsExpressionAndComment() throws {
        let (a, offset) = at("in_betreuung")
        let hover = try XCTUnwrap(a.hover(at: offset)).markdown
        XCTAssertTrue(hover.hasPrefix("**define** `in_betreuung`: `bool"), hover)
        XCTAssertTrue(hover.contains("in_betreuung = (fm.beginn <= stichtag)"), hover)
        XCTAssertTrue(hover.contains("In care on the Stichtag"), hover)
        XCTAssertTrue(hover.contains("Declared in `ba` (ba.fm:"), hover)
    }

    func testHoverOnARuleShowsTitleAndCitation() throws {
        let (a, offset) = at("ev.abschluss")
        let hover = try XCTUnwrap(a.hover(at: offset)).markdown
        XCTAssertTrue(hover.hasPrefix("**rule** `ev.abschluss` \"Erste Eingliederungsvereinbarung\""), hover)
        XCTAssertTrue(hover.contains("cites \"§5\": findings cite *DA Muster, §5*"), hover)
        XCTAssertTrue(hover.contains("… ist eine Eingliederungsvereinbarung abzuschließen."), hover)

        let (b, adopted) = at("dauer.regel")
        let adoption = try XCTUnwrap(b.hover(at: adopted)).markdown
        XCTAssertTrue(adoption.hasPrefix("**adopt rule** `dauer.regel` \"Regeldauer\""), adoption)
        XCTAssertTrue(adoption.contains("findings cite *DA Muster, §4*"), adoption)
        XCTAssertTrue(adoption.contains("where it cites \"Betreuungsdauer\""), adoption)
    }

    func testHoverOnEnumValuesBindersAndKeywords() throws {
        let (a, value) = at("einzelfall")
        XCTAssertTrue(try XCTUnwrap(a.hover(at: value)).markdown.hasPrefix("**enum value** `einzelfall` of `Zugangsart`"))
        let (b, binder) = at("k.art")
        XCTAssertEqual(try XCTUnwrap(b.hover(at: binder)).markdown, "**`k`**: `Kontakt`: one entry of the list at a time")
        let (c, telefonat) = at("telefonat")
        XCTAssertTrue(try XCTUnwrap(c.hover(at: telefonat)).markdown.hasPrefix("**enum value** `telefonat` of `Kontaktart`"))
        // On the left of `=`, a value takes the enum of the right side (`foerderprofil` is
        // also a `Beendigungsgrund`).
        let (f, left) = at("foerderprofil", in: Self.muster + "define p = foerderprofil = person.profillage\n")
        XCTAssertTrue(try XCTUnwrap(f.hover(at: left)).markdown.hasPrefix("**enum value** `foerderprofil` of `Profillage`"))
        let (d, keyword) = at("deadline")
        XCTAssertTrue(try XCTUnwrap(d.hover(at: keyword)).markdown.hasPrefix("**`deadline`** (keyword)"))
        let (e, comment) = at("Betreuung soll")
        XCTAssertNil(e.hover(at: comment))
    }

    // MARK: definition

    func location(_ word: String, _ n: Int = 0, shift: Int = 1) -> (path: String, text: String, line: Int)? {
        let (a, offset) = at(word, n, shift: shift)
        guard let loc = a.definition(at: offset).first else { return nil }
        return ((loc.file.path as NSString).lastPathComponent, loc.file.text(of: loc.span), loc.file.location(of: loc.span.start).line)
    }

    func testDefinitionOfAnOverrideIsTheBaseDeclaration() throws {
        let loc = try XCTUnwrap(location("regeldauer"))
        XCTAssertEqual(loc.path, "ba.fm")
        XCTAssertEqual(loc.text, "regeldauer")
    }

    func testDefinitionOfNames() throws {
        XCTAssertEqual(location("in_betreuung")?.path, "ba.fm")
        XCTAssertEqual(location("in_betreuung")?.text, "in_betreuung")
        XCTAssertEqual(location("erste_ev", 1)?.path, "muster.fm")
        XCTAssertEqual(location("erste_ev", 1)?.line, 10)
        XCTAssertEqual(location("ev_frist", 1)?.line, 8)
        let field = try XCTUnwrap(location("fm.beginn", shift: 4))
        XCTAssertEqual(field.path, "case.fm")
        XCTAssertEqual(field.text, "beginn")
        XCTAssertEqual(location("fm.beginn", shift: 1)?.text, "fm")
        XCTAssertEqual(location("einzelfall")?.path, "case.fm")
        XCTAssertEqual(location("k.art")?.text, "k")
        XCTAssertEqual(location("k.art")?.line, 18)
        XCTAssertEqual(location("extends ba", shift: 9)?.path, "ba.fm")
        XCTAssertEqual(location("extends ba", shift: 9)?.text, "ba")
    }

    func testDefinitionOfAnAdoptedRuleIsTheBaseRule() throws {
        let loc = try XCTUnwrap(location("dauer.regel"))
        XCTAssertEqual(loc.path, "ba.fm")
        XCTAssertEqual(loc.text, "dauer.regel")
        XCTAssertEqual(location("ev.abschluss")?.path, "muster.fm")
    }

    // MARK: completion

    func labels(_ marked: String) -> [String] {
        let (text, offset) = self.marked(marked)
        return workspace().analyze(path: Self.documentPath, text: text).completions(at: offset).map(\.label)
    }

    func testCompletionAfterADotOffersTheRecordsFields() {
        let fields = labels(Self.muster + "define x = fm.‸\n")
        XCTAssertTrue(fields.contains("beginn"), "\(fields)")
        XCTAssertFalse(fields.contains("in_betreuung"))
        XCTAssertEqual(labels(Self.muster + "define x = fm.be‸"), fields)
        XCTAssertEqual(labels(Self.muster + "define z = (latest k in kontakte by k.datum).‸"), ["art", "datum", "rechtskreis"])
        XCTAssertEqual(labels(Self.muster + "define z = count k in kontakte where k.‸"), ["art", "datum", "rechtskreis"])
        XCTAssertEqual(labels(Self.muster + "define z = erste_ev.‸"), ["datum"])
        XCTAssertEqual(labels(Self.muster.replacingOccurrences(of: "{fm.beginn}", with: "{fm.‸}")), fields)
        XCTAssertEqual(labels(Self.muster + "define w = Zugangsart.‸"), ["einzelfall", "formal"])
        // A whole case (`c` of `faelle`) also has the definitions.
        let caseload = labels(Self.muster + "caseload rule q \"t\" cites \"x\"\n  warning when (count c in faelle where c.‸")
        XCTAssertTrue(caseload.contains("person") && caseload.contains("in_betreuung"), "\(caseload)")
    }

    func testCompletionOffersTheEnumTheOtherSideExpects() {
        XCTAssertEqual(Array(labels(Self.muster + "define x = fm.zugangsart = ‸\n").prefix(2)), ["einzelfall", "formal"])
        XCTAssertEqual(Array(labels(Self.muster + "define x = person.rechtskreis != S‸").prefix(2)), ["SGB2", "SGB3"])
        let set = labels(Self.muster + "define y = count k in kontakte where k.art in {telefonat, ‸\n")
        XCTAssertEqual(set.first, "beratungsvermerk")
        XCTAssertTrue(set.prefix(13).contains("telefonat"))
        XCTAssertEqual(Array(labels(Self.muster + "define g: set of Rechtskreis = {‸").prefix(2)), ["SGB2", "SGB3"])
    }

    func testCompletionOffersNamesAndKeywords() {
        let names = labels(Self.muster + "define x = ‸")
        for expected in ["in_betreuung", "regeldauer", "ev_frist", "person", "stichtag", "age", "count", "otherwise"] {
            XCTAssertTrue(names.contains(expected), "\(expected) missing from \(names)")
        }
        // `due` is a name only in a message of an outcome with a due date (elsewhere, the keyword).
        func due(_ marked: String) -> EditorCompletion.Kind? {
            let (text, offset) = self.marked(marked)
            return workspace().analyze(path: Self.documentPath, text: text).completions(at: offset).first { $0.label == "due" }?.kind
        }
        XCTAssertEqual(due(Self.muster + "define x = ‸"), .keyword)
        XCTAssertEqual(due(Self.muster.replacingOccurrences(of: "seit {due}", with: "seit {d‸}")), .builtin)
        XCTAssertEqual(due(Self.muster.replacingOccurrences(of: "seit {fm.beginn}", with: "seit {d‸}")), .keyword) // no `due …` there
        XCTAssertEqual(labels(Self.muster + "‸").first, "absent") // keywords first at a line start
    }

    func testCompletionOfNamesTheBaseDeclares() throws {
        let (text, offset) = marked(Self.muster + "adopt rule dauer.r‸")
        let items = workspace().analyze(path: Self.documentPath, text: text).completions(at: offset)
        XCTAssertEqual(items.map(\.label), ["beendigung.grund", "dauer.regel", "fortfuehrung.pruefung", "zugang.kriterien", "zugang.pruefung"])
        let file = SourceFile(path: "x", text: text)
        XCTAssertEqual(file.text(of: try XCTUnwrap(items[1].replacing)), "dauer.r")
        XCTAssertEqual(items[1].detail, "Regeldauer")
        XCTAssertEqual(labels(Self.muster + "override param ‸"), ["mindestzahl_handlungsbedarfe", "pruefintervall", "zugangspruefung_intervall"])
        XCTAssertTrue(labels("policy x extends ‸").contains("ba"))
    }

    func testNoCompletionInCommentsAndText() {
        XCTAssertEqual(labels(Self.muster + "# fm.‸"), [])
        XCTAssertEqual(labels(Self.muster.replacingOccurrences(of: "Überfällig", with: "Über‸fällig")), [])
    }

    // MARK: outline

    func testSymbolsListRulesParametersAndDefinitions() {
        let a = workspace().analyze(path: Self.documentPath, text: Self.muster)
        let symbols = a.tree.symbols()
        XCTAssertEqual(symbols.map(\.name), ["muster", "regeldauer", "ev_frist", "erste_ev", "dauer.regel", "ev.abschluss"])
        XCTAssertEqual(symbols.map(\.kind), [.policy, .parameter, .parameter, .definition, .adoption, .rule])
        XCTAssertEqual(symbols[1].detail, "override · 18 months")
        XCTAssertEqual(a.file.text(of: symbols[2].span), "param ev_frist = 3 months")
        XCTAssertEqual(a.file.text(of: symbols[5].nameSpan), "ev.abschluss")
        XCTAssertEqual(a.lines.range(of: symbols[5].span).start, EditorPosition(line: 14, character: 0))
    }

    func testTheSchemaOutlineHasEnumsAndRecordsWithTheirMembers() throws {
        let path = Self.policies + "/case.fm"
        let a = workspace().analyze(path: path, text: try String(contentsOfFile: path, encoding: .utf8))
        let record = try XCTUnwrap(a.tree.symbols().first { $0.name == "Fallmanagement" })
        XCTAssertEqual(record.kind, .record)
        XCTAssertTrue(record.children.contains { $0.name == "beginn" && $0.detail == "date?" })
        XCTAssertEqual(a.tree.symbols().first { $0.name == "Zugangsart" }?.children.map(\.name), ["formal", "einzelfall"])
        XCTAssertEqual(a.documentDiagnostics(), [])
    }

    // MARK: robustness

    /// Every feature on every prefix of a real policy, at several places: broken text gives
    /// partial answers, never a crash.
    func testBrokenTextNeverTrapsAnyFeature() throws {
        let text = try String(contentsOfFile: Self.policies + "/hannover.fm", encoding: .utf8)
        let bytes = Array(text.utf8)
        let ws = workspace()
        for cut in stride(from: 0, through: bytes.count, by: 97) {
            let prefix = String(decoding: bytes[0..<cut], as: UTF8.self)
            let a = ws.analyze(path: Self.documentPath, text: prefix)
            _ = a.documentDiagnostics()
            _ = a.tree.symbols()
            for offset in Set([0, cut / 3, cut / 2, max(0, cut - 1), cut, cut + 5]) {
                _ = a.hover(at: offset)
                _ = a.definition(at: offset)
                _ = a.completions(at: offset)
                let p = a.lines.position(of: offset)
                XCTAssertLessThanOrEqual(a.lines.offset(of: p), min(offset, a.file.bytes.count))
            }
        }
        for garbage in ["„", "rule", "rule .", "define x = (((", "policy p extends", "{", "\"{", "\"{fm.", "override", "caseload rule a when count c in faelle where c."] {
            let a = ws.analyze(path: Self.documentPath, text: garbage)
            for offset in 0...garbage.utf8.count {
                _ = a.hover(at: offset); _ = a.definition(at: offset); _ = a.completions(at: offset)
            }
        }
    }
}
