import Foundation
import XCTest

/// `fmpolicy doc` and `fmpolicy timeline` run as a user runs them, and their pages in a real browser.
final class DocTimelineCommandLineTests: XCTestCase {
    static let example = "examples/hannover/langzeitbetreuung.json"
    /// The example's birth date, which must never reach the image.
    static let birthDate = "1972-05-08"

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testDocWritesOneSelfContainedPage() throws {
        let dir = try temporaryDirectory()
        let page = dir.appendingPathComponent("hannover.html")
        let r = try CommandLineTests.run(["doc", "hannover", "--output", page.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "")
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["hannover.html"], "no temporary file left")
        // Standard output gives the same bytes, and so does a second run from another folder.
        let stdout = try CommandLineTests.run(["doc", "hannover"])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        XCTAssertEqual(stdout.stdout, html)
        // The same files reached by an absolute path from another folder: no folder in the page.
        let elsewhere = try CommandLineTests.run(["doc", "hannover"], cwd: dir,
                                                 env: ["FMPOLICY_PATH": CommandLineTests.root.appendingPathComponent("policies").path])
        XCTAssertEqual(elsewhere.stdout, html, "the page does not depend on the folder")
        // The shipped copy of the policies works from anywhere.
        let shipped = try CommandLineTests.run(["doc", "hannover", "--no-compare"], cwd: dir)
        XCTAssertEqual(shipped.status, 0, shipped.stderr)
        XCTAssertTrue(shipped.stdout.contains("<article class=\"rule\" id=\"regel-dauer.hoechst\">"))

        XCTAssertTrue(html.contains("<h1>Jobcenter Region Hannover – Handlungsleitlinie beschäftigungsorientiertes Fallmanagement</h1>"))
        for rule in ["zugang.kriterien", "zugang.pruefung", "zugang.einzelfall", "eingliederungsvereinbarung.pruefung", "clearing.dauer",
                     "beendigung.grund", "fortfuehrung.pruefung", "fortfuehrung.tl_information", "fortfuehrung.tl_zustimmung",
                     "dauer.regel", "dauer.hoechst", "wiederaufnahme.sperrfrist", "fallzahl.schluessel"] {
            XCTAssertTrue(html.contains("<article class=\"rule\" id=\"regel-\(rule)\">"), rule)
        }
        // The comparison: the four jobcenters in the order of docs/comparison.md.
        XCTAssertTrue(html.contains("<code>fmpolicy diff ilmkreis hannover berlin kkm --format markdown</code>"), "comparison of the four jobcenters")
        let comparison = try String(contentsOf: CommandLineTests.root.appendingPathComponent("docs/comparison.md"), encoding: .utf8)
        for line in comparison.split(separator: "\n") where line.hasPrefix("| `") && line.contains("` | ") {
            let rule = line.dropFirst(3).prefix { $0 != "`" }
            XCTAssertTrue(html.contains("<code>\(rule)</code>"), "\(rule) of docs/comparison.md")
        }
        XCTAssertFalse(html.contains("<script"))

        let without = try CommandLineTests.run(["doc", "hannover", "--no-compare"])
        XCTAssertFalse(without.stdout.contains("id=\"vergleich\""))
        let two = try CommandLineTests.run(["doc", "hannover", "--compare", "hannover,berlin"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stdout.contains("<code>fmpolicy diff hannover berlin --format markdown</code>"))
        // A policy given as a path.
        let path = try CommandLineTests.run(["doc", "policies/ilmkreis.fm", "--no-compare"])
        XCTAssertEqual(path.status, 0, path.stderr)
        XCTAssertTrue(path.stdout.contains("<article class=\"rule\" id=\"regel-kontakt.intervall\">"))
    }

    func testTimelineDrawsTheExampleWithoutPersonalData() throws {
        let dir = try temporaryDirectory()
        let image = dir.appendingPathComponent("fall.svg")
        let r = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--output", image.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let svg = try String(contentsOf: image, encoding: .utf8)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["fall.svg"], "no temporary file left")
        XCTAssertTrue(svg.contains("<title>Zeitstrahl Fall H-BSP-01 · Policy hannover · Stichtag 2025-03-01</title>"))
        // The findings of `check`, each named in the image.
        let check = try CommandLineTests.run(["check", Self.example, "--policy", "hannover", "--format", "json"])
        let findings = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 4, check.stdout)
        for f in findings {
            let rule = try XCTUnwrap(f["rule"] as? String)
            XCTAssertTrue(svg.contains(">\(rule)</text>"), rule)
            if let due = f["due"] as? String { XCTAssertTrue(svg.contains("fällig \(due)"), due) }
        }
        XCTAssertTrue(svg.contains("class=\"due overdue\""))
        XCTAssertTrue(svg.contains("class=\"due upcoming\""))
        // Nothing personal: no birth date in any form, no free text, no case manager.
        for secret in [Self.birthDate, "1972", "08.05.72", "Schulden", "Gesundheitliche", "Pflege", "Zugangskriterien erfüllt", "FM-H-07"] {
            XCTAssertFalse(svg.contains(secret), "\(secret) in the image")
        }
        // The same bytes on standard output, and again.
        let stdout = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover"])
        XCTAssertEqual(stdout.stdout, svg)
        // `--as-of` moves the Stichtag; standard input works.
        let asOf = try CommandLineTests.run(["timeline", "-", "--policy", "hannover", "--as-of", "2025-06-30"],
                                            stdin: try String(contentsOf: CommandLineTests.root.appendingPathComponent(Self.example), encoding: .utf8))
        XCTAssertEqual(asOf.status, 0, asOf.stderr)
        XCTAssertTrue(asOf.stdout.contains("Stichtag 2025-06-30</title>"))
    }

    func testUnusableInputAndUsage() throws {
        let dir = try temporaryDirectory()
        // A case the reader refuses: the error names the JSON path, never a value, and exits 2.
        let broken = dir.appendingPathComponent("kaputt.json")
        try #"{"id": "X-1", "stichtag": "2025-03-01", "person": {"rechtskreis": "SGB2"}, "kontakte": [{"datum": "2024-13-45"}]}"#
            .write(to: broken, atomically: true, encoding: .utf8)
        let r = try CommandLineTests.run(["timeline", broken.path, "--policy", "hannover", "--output", dir.appendingPathComponent("x.svg").path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        let check = try CommandLineTests.run(["check", broken.path, "--policy", "hannover"])
        XCTAssertEqual(r.stderr, check.stderr, "the same error text as `check`")
        XCTAssertTrue(r.stderr.contains("cannot read case \(broken.path):1:"), r.stderr)
        XCTAssertFalse(r.stderr.contains("2024-13-45"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.svg").path))
        let birth = dir.appendingPathComponent("geburt.json")
        try #"{"id": "X-2", "person": {"geburtsdatum": "1980-02-31"}}"#.write(to: birth, atomically: true, encoding: .utf8)
        let badDate = try CommandLineTests.run(["timeline", birth.path, "--policy", "hannover"])
        XCTAssertEqual(badDate.status, 2)
        XCTAssertTrue(badDate.stderr.contains("`person.geburtsdatum`"), badDate.stderr)
        XCTAssertFalse(badDate.stderr.contains("1980"), badDate.stderr)

        let missing = try CommandLineTests.run(["timeline", dir.appendingPathComponent("nope.json").path, "--policy", "hannover"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read case"), missing.stderr)
        let noPolicy = try CommandLineTests.run(["timeline", Self.example])
        XCTAssertEqual(noPolicy.status, 2)
        XCTAssertTrue(noPolicy.stderr.contains("`timeline` needs `--policy NAME|PATH`"), noPolicy.stderr)
        let unknownPolicy = try CommandLineTests.run(["timeline", Self.example, "--policy", "hanover"])
        XCTAssertEqual(unknownPolicy.status, 2)
        XCTAssertTrue(unknownPolicy.stderr.contains("hannover"), unknownPolicy.stderr)
        let caseload = try CommandLineTests.run(["timeline", "cases.jsonl", "--policy", "hannover"])
        XCTAssertEqual(caseload.status, 2)
        let badAsOf = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--as-of", "2025-02-30"])
        XCTAssertEqual(badAsOf.status, 2)
        // Judged before the policy came into force: refused as `check` refuses it, unless asked.
        let early = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--as-of", "2018-01-01"])
        XCTAssertEqual(early.status, 2)
        XCTAssertEqual(early.stderr, try CommandLineTests.run(["check", Self.example, "--policy", "hannover", "--as-of", "2018-01-01"]).stderr)
        XCTAssertTrue(early.stderr.contains("in force from 2018-07-16"), early.stderr)
        let anyway = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--as-of", "2018-01-01", "--ignore-in-force"])
        XCTAssertEqual(anyway.status, 0, anyway.stderr)
        let unwritable = try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--output", dir.appendingPathComponent("no/such/dir.svg").path])
        XCTAssertEqual(unwritable.status, 2)

        let unknownDoc = try CommandLineTests.run(["doc", "hanover"])
        XCTAssertEqual(unknownDoc.status, 2)
        XCTAssertEqual(unknownDoc.stdout, "")
        XCTAssertTrue(unknownDoc.stderr.contains("did you mean"), unknownDoc.stderr)
        let noPolicyDoc = try CommandLineTests.run(["doc"])
        XCTAssertEqual(noPolicyDoc.status, 2)
        let badCompare = try CommandLineTests.run(["doc", "hannover", "--compare", "hannover,nirgendwo"])
        XCTAssertEqual(badCompare.status, 2)
        let both = try CommandLineTests.run(["doc", "hannover", "--compare", "berlin", "--no-compare"])
        XCTAssertEqual(both.status, 2)

        for command in ["doc", "timeline"] {
            let help = try CommandLineTests.run([command, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("USAGE: fmpolicy \(command) "), help.stdout)
        }
        let usage = try CommandLineTests.run(["--help"])
        XCTAssertTrue(usage.stdout.contains("  doc POLICY"), usage.stdout)
        XCTAssertTrue(usage.stdout.contains("  timeline CASE.json"), usage.stdout)
        let typo = try CommandLineTests.run(["timline"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("`timeline`"), typo.stderr)
    }

    /// Both outputs in a real browser: Chromium parses the page and the image (opened as an SVG
    /// document, so it must be well-formed XML), the DOM has the expected content, and the
    /// console stays empty. Skipped where no `chromium` is installed; screenshots (none are
    /// needed) would go to the temporary folder, never into the repository.
    func testPageAndImageRenderInHeadlessChromium() throws {
        guard let chromium = ReportCommandLineTests.onPath("chromium") ?? ReportCommandLineTests.onPath("chromium-browser") else {
            throw XCTSkip("no chromium on PATH")
        }
        let dir = try temporaryDirectory()
        let page = dir.appendingPathComponent("hannover.html"), image = dir.appendingPathComponent("fall.svg")
        XCTAssertEqual(try CommandLineTests.run(["doc", "hannover", "--output", page.path]).status, 0)
        XCTAssertEqual(try CommandLineTests.run(["timeline", Self.example, "--policy", "hannover", "--output", image.path]).status, 0)
        let profile = dir.appendingPathComponent("chromium-profile")
        func dump(_ url: URL) throws -> CommandLineTests.Run {
            try ReportCommandLineTests.execute(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                                                          "--enable-logging=stderr", "--v=0", "--dump-dom", url.absoluteString], cwd: dir)
        }

        let html = try dump(page)
        XCTAssertEqual(html.status, 0, html.stderr)
        XCTAssertTrue(html.stdout.contains("<title>Jobcenter Region Hannover – Handlungsleitlinie beschäftigungsorientiertes Fallmanagement – Policy hannover</title>"),
                      String(html.stdout.prefix(600)))
        XCTAssertTrue(html.stdout.contains("<h2>Vergleich der Jobcenter</h2>"))
        XCTAssertTrue(html.stdout.contains("<article class=\"rule\" id=\"regel-clearing.dauer\">"))
        XCTAssertTrue(html.stdout.contains("</span> <span class=\"def\">clearing.dauer</span> <span class=\"str\">"))
        XCTAssertTrue(html.stdout.contains("IV.2 „Der/die Fallmanager*in übernimmt die Person in eine Clearingphase."))
        XCTAssertEqual(html.stdout.components(separatedBy: "<article class=\"rule").count - 1, 13)
        XCTAssertFalse(html.stdout.contains("<script"))
        XCTAssertEqual(ReportCommandLineTests.consoleLines(html.stderr), [], html.stderr)

        let svg = try dump(image)
        XCTAssertEqual(svg.status, 0, svg.stderr)
        XCTAssertFalse(svg.stdout.contains("parsererror"), "Chromium could not parse the SVG: \(svg.stdout.prefix(800))")
        XCTAssertFalse(svg.stdout.contains("This page contains the following errors"))
        XCTAssertTrue(svg.stdout.contains("<title>Zeitstrahl Fall H-BSP-01 · Policy hannover · Stichtag 2025-03-01</title>"), String(svg.stdout.prefix(800)))
        for text in ["Betreuung", "Fortführungsprüfungen", "Eingliederungsvereinbarungen", "Kontakte", "Fristen aus Befunden", "Befunde",
                     "Stichtag 2025-03-01", "eingliederungsvereinbarung.pruefung", "fortfuehrung.tl_zustimmung", "dauer.regel", "fortfuehrung.pruefung"] {
            XCTAssertTrue(svg.stdout.contains(">\(text)</text>") || svg.stdout.contains(">\(text) "), text)
        }
        XCTAssertFalse(svg.stdout.contains(Self.birthDate))
        XCTAssertEqual(ReportCommandLineTests.consoleLines(svg.stderr), [], svg.stderr)

        // The image inside an HTML page, as a report would embed it.
        let wrapper = dir.appendingPathComponent("eingebettet.html")
        let inline = try String(contentsOf: image, encoding: .utf8).replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
        try "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Fall</title></head><body>\(inline)</body></html>"
            .write(to: wrapper, atomically: true, encoding: .utf8)
        let embedded = try dump(wrapper)
        XCTAssertEqual(embedded.status, 0, embedded.stderr)
        XCTAssertEqual(embedded.stdout.components(separatedBy: "<svg").count - 1, 1)
        XCTAssertTrue(embedded.stdout.contains("class=\"due overdue\""))
        XCTAssertEqual(ReportCommandLineTests.consoleLines(embedded.stderr), [], embedded.stderr)
    }
}
