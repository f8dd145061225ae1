import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// `fmpolicy doc`: the literate page of a policy, from the checked policy and its syntax trees.
final class DocumentationTests: XCTestCase {
    static func loaded(_ name: String) throws -> PolicyLibrary.Loaded {
        let loaded = PolicyLibrary(searchPath: [TestPolicies.root + "/policies"]).load(name)
        guard loaded.policy != nil else { throw XCTSkip("policy \(name) does not load: \(DiagnosticRenderer().render(loaded.diagnostics))") }
        return loaded
    }

    static func page(_ loaded: PolicyLibrary.Loaded, comparison: PolicyComparison? = nil) -> String {
        PolicyDocumentation.html(policy: loaded.policy!, layers: loaded.layers, schemaTree: loaded.schemaTree, comparison: comparison)
    }

    /// The text of an HTML fragment: tags dropped, character references resolved.
    static func text(_ html: Substring) -> String {
        var out = "", inTag = false
        for c in html {
            if c == "<" { inTag = true; continue }
            if c == ">" { inTag = false; continue }
            if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The `<pre class="code">` blocks of a page, as text.
    static func codeBlocks(_ html: String) -> [String] {
        html.components(separatedBy: "<pre class=\"code\"><code>").dropFirst().map { chunk in
            text(Substring(chunk.components(separatedBy: "</code></pre>")[0]))
        }
    }

    func testEveryRuleSectionAndParameterOfHannover() throws {
        let loaded = try Self.loaded("hannover")
        let policy = loaded.policy!
        let html = Self.page(loaded)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"))
        XCTAssertTrue(html.contains("<title>Jobcenter Region Hannover – Handlungsleitlinie beschäftigungsorientiertes Fallmanagement – Policy hannover</title>"))
        for id in ["einleitung", "regeln", "parameter", "definitionen"] { XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id) }
        XCTAssertFalse(html.contains("<section id=\"vergleich\">"), "no comparison was asked for")
        // Header facts.
        XCTAssertTrue(html.contains("<dt>Dokument</dt><dd>001_a2829d132e1426eb.txt</dd>"))
        XCTAssertTrue(html.contains("<dt>In Kraft seit</dt><dd>2018-07-16</dd>"))
        XCTAssertTrue(html.contains("erweitert <code>ba</code>: BA-Grundlage – Fachliche Weisung Fallmanagement vom 20.10.2017 (in Kraft seit 2017-10-20)"))
        // Every rule once, with its section and the source sentence above it.
        for rule in policy.rules {
            XCTAssertEqual(html.components(separatedBy: "<article class=\"rule\" id=\"regel-\(rule.id)\">").count, 2, rule.id)
            XCTAssertTrue(html.contains("<dt>Fundstelle</dt><dd>\(rule.section) "), rule.id)
        }
        XCTAssertTrue(html.contains("<blockquote class=\"quelle\"><p>IV.2 „Der/die Fallmanager*in übernimmt die Person in eine Clearingphase. … Die Clearingphase ist nach spätestens 2 Monaten abzuschließen …“</p></blockquote>"))
        // Adopted rules name the baseline and show its version of the rule.
        XCTAssertTrue(html.contains("<span class=\"badge rel adopt\">übernommen aus ba</span>"))
        XCTAssertTrue(html.contains("Übernimmt die Regel <code>dauer.regel</code> der Grundlage <code>ba</code> (BA-Grundlage – Fachliche Weisung Fallmanagement vom 20.10.2017, in Kraft seit 2017-10-20) unverändert"))
        XCTAssertTrue(html.contains("<span class=\"badge rel\">neu in hannover</span>"))
        // The caseload rule's sentence stands above the parameter it uses.
        let caseload = try XCTUnwrap(html.components(separatedBy: "id=\"regel-fallzahl.schluessel\">").last)
        XCTAssertTrue(caseload.contains("IV.1 „Die Fallzahl je Fallmanager*in beträgt 75 eLb"), String(caseload.prefix(800)))
        let keywords = try XCTUnwrap(loaded.layers.last).tree.keywords
        XCTAssertTrue(caseload.contains("Der Kommentar steht über <code>\(keywords.spelling(.param)) fallzahl</code>"))
        // Every parameter with an anchor; the overridden one with the base value.
        for v in policy.values where v.kind == .parameter { XCTAssertTrue(html.contains("<tr id=\"param-\(v.name)\""), v.name) }
        for v in policy.values where v.kind == .definition { XCTAssertTrue(html.contains("<div class=\"definition\" id=\"def-\(v.name)\">"), v.name) }
        let regeldauer = try XCTUnwrap(html.components(separatedBy: "<tr id=\"param-regeldauer\"").last?.components(separatedBy: "</tr>").first)
        XCTAssertTrue(regeldauer.contains("<code class=\"value\">24 months</code>"), regeldauer)
        XCTAssertTrue(regeldauer.contains("<code class=\"value\">2 years</code> <span class=\"muted\">(ba)</span>"), regeldauer)
        // A rule lists what it uses, linked, with values.
        let clearing = try XCTUnwrap(html.components(separatedBy: "id=\"regel-clearing.dauer\">").last?.components(separatedBy: "</article>").first)
        XCTAssertTrue(clearing.contains("<a href=\"#param-clearing_hoechstdauer\"><code>clearing_hoechstdauer</code></a></td><td>Parameter</td><td><code class=\"value\">2 months</code>"), clearing)
        XCTAssertTrue(clearing.contains("<a href=\"#def-clearing_ende\">"))
        // Self-contained: no script, nothing fetched.
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("url("))
        XCTAssertFalse(html.contains("@import"))
        // Every internal link has its target.
        let targets = Set(html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) })
        for link in html.components(separatedBy: "href=\"#").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            XCTAssertTrue(targets.contains(link), "link #\(link) has no target")
        }
    }

    /// The highlighted rule is the exact source text of its declaration.
    func testRuleAsWrittenIsTheExactSourceText() throws {
        let loaded = try Self.loaded("hannover")
        let html = Self.page(loaded)
        let blocks = Self.codeBlocks(html)
        let own = try XCTUnwrap(loaded.layers.last)
        for d in own.tree.declarations {
            guard case .rule = d.kind else { continue }
            let source = own.tree.file.text(of: d.span)
            XCTAssertTrue(blocks.contains(source), "not shown verbatim: \(source.prefix(60))")
        }
        // The words are classified by the syntax tree (in whichever keyword language the file is written).
        let keywords = own.tree.keywords
        XCTAssertTrue(html.contains("<span class=\"kw\">\(keywords.spelling(.rule))</span> <span class=\"def\">clearing.dauer</span> <span class=\"str\">&quot;Dauer der Clearingphase&quot;</span>"))
        XCTAssertTrue(html.contains("<a class=\"ref\" href=\"#param-clearing_hoechstdauer\">clearing_hoechstdauer</a>"))
        XCTAssertTrue(html.contains("<span class=\"sev sev-error\">\(keywords.spelling(.error))</span>"))
        XCTAssertTrue(html.contains("fm</a>.<span class=\"fld\">clearing_beginn</span>"))
        XCTAssertTrue(html.contains("<span class=\"hole\">{due}</span>"))
    }

    func testOverrideRemoveAndGroups() throws {
        let berlin = Self.page(try Self.loaded("berlin"))
        XCTAssertTrue(berlin.contains("<span class=\"badge rel override\">ersetzt ba</span>"))
        let review = try XCTUnwrap(berlin.components(separatedBy: "id=\"regel-fortfuehrung.pruefung\">").last?.components(separatedBy: "</article>").first)
        XCTAssertTrue(review.contains("Ersetzt die Regel <code>fortfuehrung.pruefung</code> der Grundlage <code>ba</code>"))
        XCTAssertTrue(review.contains("<summary>Fassung der Grundlage (<code>ba.fm:"), review)
        XCTAssertTrue(review.contains("<span class=\"badge sev-warning\">warning</span>"), "a computed severity counts as each it chooses")
        // `adopt rule zugang.pruefung` has no comment of its own: its group's comment applies.
        let adopted = try XCTUnwrap(berlin.components(separatedBy: "id=\"regel-zugang.pruefung\">").last?.components(separatedBy: "</article>").first)
        XCTAssertTrue(adopted.contains("Fallzugang „Im laufenden Integrationsprozess"), adopted)
        XCTAssertTrue(adopted.contains("Der Kommentar steht über der Gruppe"))
        // The overridden definition shows the baseline's version.
        let criteria = try XCTUnwrap(berlin.components(separatedBy: "id=\"def-zugangskriterien_erfuellt\">").last?.components(separatedBy: "</div>").first)
        XCTAssertTrue(criteria.contains("Fassung der Grundlage"), criteria)

        let kkm = Self.page(try Self.loaded("kkm"))
        for id in ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel", "beendigung.grund"] {
            let card = try XCTUnwrap(kkm.components(separatedBy: "<article class=\"rule removed\" id=\"regel-\(id)\">").dropFirst().first, id)
            XCTAssertTrue(card.contains("<span class=\"badge rel remove\">entfernt aus ba</span>"), id)
            XCTAssertTrue(card.contains("Entfernte Fassung der Grundlage"), id)
            XCTAssertTrue(card.contains("The concept regulates contact density only"), "the group's comment: \(id)")
        }
        XCTAssertFalse(kkm.contains("<section id=\"geerbt\">"), "kkm removes every baseline rule")

        // The baseline itself: every rule its own, nothing inherited.
        let ba = Self.page(try Self.loaded("ba"))
        XCTAssertEqual(ba.components(separatedBy: "<span class=\"badge rel\">eigene Regel</span>").count - 1, 5)
        XCTAssertFalse(ba.contains("<ul class=\"chain\""))
    }

    func testComparisonHasTheContentOfDiff() throws {
        let names = ["ilmkreis", "hannover", "berlin", "kkm"]
        let policies = try names.map { try XCTUnwrap(Self.loaded($0).policy) }
        let comparison = PolicyComparison(policies)
        let html = Self.page(try Self.loaded("hannover"), comparison: comparison)
        let section = try XCTUnwrap(html.components(separatedBy: "<section id=\"vergleich\">").last)
        XCTAssertTrue(section.contains("<th class=\"self\"><code>hannover</code></th>"))
        for row in comparison.rows {
            XCTAssertTrue(section.contains("<code>\(row.rule)</code>"), row.rule)
            for v in row.views.compactMap({ $0 }) {
                XCTAssertTrue(section.contains(v.source), v.source)
                for (name, value) in v.parameters { XCTAssertTrue(section.contains("<code>\(name) = \(value)</code>"), "\(name) = \(value)") }
            }
        }
        XCTAssertTrue(section.contains("<tr><th scope=\"row\"><code>regeldauer</code></th><td><code>2 years</code></td><td class=\"self\"><code>24 months</code></td><td><code>5 years</code></td><td><code>2 years</code></td></tr>"))
        // A rule the documented policy has links to its card; one it lacks does not.
        XCTAssertTrue(section.contains("<a href=\"#regel-dauer.hoechst\"><code>dauer.hoechst</code></a>"))
        XCTAssertFalse(section.contains("href=\"#regel-kontakt.intervall\""))
    }

    func testTheSameBytesEveryTime() throws {
        let a = Self.page(try Self.loaded("hannover"))
        let b = Self.page(try Self.loaded("hannover"))
        XCTAssertEqual(a, b)
        XCTAssertFalse(a.contains(TestPolicies.root), "no folder of this machine in the page")
    }

    /// Titles, comments, messages and values with `<`, `&` and `"` are escaped everywhere.
    func testEscaping() throws {
        let loaded = try TestPolicies.compile(#"""
        # Preamble <script>alert("x")</script> & more
        policy escapes extends ba
          title "Titel <b>fett</b> & \"zitiert\""
          source "Quelle <i> & \"q\""
          citation "GA <1> & \"2\""

        # §1 „a < b & c > d“ "quoted"
        param grenze_x = 3

        # §2 „Fristen <sofort> & \"jetzt\"“
        rule esc.rule "Regel <b> & \"c\""
          cites "§2 <a> & \"b\""
          warning when stichtag > fm.beginn + regeldauer
            message "Wert <{grenze_x}> & \"q\" \{x\}"
        """#)
        guard loaded.policy != nil else { return XCTFail(DiagnosticRenderer().render(loaded.diagnostics)) }
        let html = Self.page(loaded)
        for raw in ["<b>fett</b>", "<script>", "<i>", "<1>", "<sofort>", "Regel <b>", "<a> &", "Wert <"] {
            XCTAssertFalse(html.contains(raw), "unescaped: \(raw)")
        }
        XCTAssertTrue(html.contains("<title>Titel &lt;b&gt;fett&lt;/b&gt; &amp; &quot;zitiert&quot; – Policy escapes</title>"))
        XCTAssertTrue(html.contains("<h1>Titel &lt;b&gt;fett&lt;/b&gt; &amp; &quot;zitiert&quot;</h1>"))
        XCTAssertTrue(html.contains("Preamble &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"))
        XCTAssertTrue(html.contains("<span class=\"rule-title\">Regel &lt;b&gt; &amp; &quot;c&quot;</span>"))
        XCTAssertTrue(html.contains("§2 „Fristen &lt;sofort&gt; &amp; \\&quot;jetzt\\&quot;“"))
        XCTAssertTrue(html.contains("§1 „a &lt; b &amp; c &gt; d“ &quot;quoted&quot;"))
        XCTAssertTrue(html.contains("Wert &lt;<span class=\"hole\">{grenze_x}</span>&gt; &amp; \\&quot;q\\&quot; \\{x\\}"), "the message with its hole")
        // The source text of the rule survives escaping exactly.
        let own = try XCTUnwrap(loaded.layers.last)
        let rule = try XCTUnwrap(own.tree.declarations.first { if case .rule = $0.kind { return true }; return false })
        XCTAssertTrue(Self.codeBlocks(html).contains(own.tree.file.text(of: rule.span)))
    }
}
