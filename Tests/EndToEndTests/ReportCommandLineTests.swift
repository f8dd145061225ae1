import Dispatch
import Foundation
import XCTest

/// `fmpolicy report` run as a user runs it, on a generated caseload (shared/bench/gen_cases.py).
final class ReportCommandLineTests: XCTestCase {
    static let generator = CommandLineTests.root.deletingLastPathComponent().appendingPathComponent("shared/bench/gen_cases.py")

    /// An executable of that name on PATH.
    static func onPath(_ name: String) -> URL? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return dirs.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `executable` with a time limit; standard output and error as text.
    static func execute(_ executable: URL, _ args: [String], cwd: URL? = nil, seconds: Double = 180) throws -> CommandLineTests.Run {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        // Read both pipes at once, so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        watchdog.cancel()
        return CommandLineTests.Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh folder with `cases.jsonl` (500 cases, seed 3) and `staff.json`.
    func generatedCaseload() throws -> (dir: URL, cases: URL, staff: URL, ids: [String]) {
        guard let python = Self.onPath("python3") else { throw XCTSkip("python3 is not on PATH") }
        guard FileManager.default.fileExists(atPath: Self.generator.path) else { throw XCTSkip("\(Self.generator.path) is missing") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let cases = dir.appendingPathComponent("cases.jsonl"), staff = dir.appendingPathComponent("staff.json")
        let r = try Self.execute(python, [Self.generator.path, "-n", "500", "--seed", "3", "--staff", staff.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        try r.stdout.write(to: cases, atomically: true, encoding: .utf8)
        let ids = r.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: #""id":""#)?.upperBound, let end = line[start...].firstIndex(of: "\"") else { return nil }
            return String(line[start..<end])
        }
        XCTAssertEqual(ids.count, 500)
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix("C-") })
        return (dir, cases, staff, ids)
    }

    func testAllFormatsAreTheSameForAnyJobsAndShowNoCaseID() throws {
        let (_, cases, staff, ids) = try generatedCaseload()
        let caseID = try NSRegularExpression(pattern: #"C-[0-9]{7}"#)
        for policy in ["hannover", "kkm"] {
            for format in ["text", "json", "html"] {
                let one = try CommandLineTests.run(["report", cases.path, "--policy", policy, "--staff", staff.path, "--format", format, "--jobs", "1"])
                let two = try CommandLineTests.run(["report", cases.path, "--policy", policy, "--staff", staff.path, "--format", format, "--jobs", "2"])
                XCTAssertEqual(one.status, 0, one.stderr)
                XCTAssertEqual(two.status, 0, two.stderr)
                XCTAssertFalse(one.stdout.isEmpty)
                XCTAssertEqual(one.stdout, two.stdout, "\(policy) \(format): --jobs 1 and 2 differ")
                XCTAssertTrue(one.stderr.contains("500 lines: 500 cases in the report, 0 lines could not be read"), one.stderr)
                for out in [one.stdout, one.stderr] {
                    XCTAssertEqual(caseID.numberOfMatches(in: out, range: NSRange(out.startIndex..., in: out)), 0, "\(policy) \(format): a case id")
                    for id in ids where out.contains(id) { XCTFail("\(policy) \(format): case id \(id) in the output") }
                }
            }
        }
        let json = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path, "--format", "json"])
        XCTAssertTrue(json.stdout.contains(#""cases": 500,"#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""stichtag": "2025-03-01","#))
        let text = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path])
        XCTAssertTrue(text.stdout.hasPrefix("Monatsbericht Fallmanagement\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Stichtag   2025-03-01"))
    }

    /// The figures worked out independently in Python from the generated cases, by the
    /// definitions of docs/report.md, against the JSON report.
    func testFiguresAgreeWithAnIndependentCount() throws {
        let (dir, cases, staff, _) = try generatedCaseload()
        let script = dir.appendingPathComponent("count.py")
        try #"""
        import calendar, datetime as dt, json, sys
        def plus_months(d, m):
            i = d.year * 12 + d.month - 1 + m
            y, mo = divmod(i, 12)
            return dt.date(y, mo + 1, min(d.day, calendar.monthrange(y, mo + 1)[1]))
        date = lambda s: dt.date.fromisoformat(s) if s else None
        r = {"in_care": 0, "in_clearing": 0, "bands": [0] * 5, "endings": {}, "managers": {}}
        for line in open(sys.argv[1], encoding="utf-8"):
            c = json.loads(line)
            t, fm = date(c["stichtag"]), c.get("fallmanagement")
            if not fm:
                continue
            b, e, cl = date(fm.get("beginn")), date(fm.get("ende")), date(fm.get("clearing_beginn"))
            care = b is not None and b <= t and (e is None or e > t)
            if care:
                r["in_care"] += 1
                r["bands"][sum(1 for k in (6, 12, 24, 36) if plus_months(b, k) <= t)] += 1
                r["managers"][fm["fallmanager"]] = r["managers"].get(fm["fallmanager"], 0) + 1
            elif cl is not None and (e is None or e > t):
                r["in_clearing"] += 1
            if e is not None and e <= t:
                reason = fm.get("beendigungsgrund") or "ohne_grund"
                r["endings"][reason] = r["endings"].get(reason, 0) + 1
        print(json.dumps(r))
        """#.write(to: script, atomically: true, encoding: .utf8)
        let python = try Self.execute(Self.onPath("python3")!, [script.path, cases.path])
        XCTAssertEqual(python.status, 0, python.stderr)
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        let run = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path, "--format", "json", "--jobs", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let jobcenter = try XCTUnwrap(report["jobcenter"] as? [String: Any])
        XCTAssertEqual(jobcenter["in_care"] as? Int, expected["in_care"] as? Int)
        XCTAssertEqual(jobcenter["in_clearing"] as? Int, expected["in_clearing"] as? Int)
        let bands = try XCTUnwrap(jobcenter["duration_months"] as? [String: Int])
        XCTAssertEqual(["0-6", "6-12", "12-24", "24-36", "36+"].map { bands[$0] ?? -1 }, expected["bands"] as? [Int])
        let endings = try XCTUnwrap(jobcenter["endings"] as? [String: Int]).filter { $0.value > 0 }
        XCTAssertEqual(endings, expected["endings"] as? [String: Int])
        var perManager: [String: Int] = [:]
        for team in report["teams"] as? [[String: Any]] ?? [] {
            for m in team["case_managers"] as? [[String: Any]] ?? [] where (m["in_care"] as? Int ?? 0) > 0 {
                perManager[m["id"] as? String ?? "?"] = m["in_care"] as? Int
            }
        }
        XCTAssertEqual(perManager, expected["managers"] as? [String: Int])
    }

    func testStandardInputOutputFileAndUnreadableLines() throws {
        let (dir, cases, staff, _) = try generatedCaseload()
        var input = try String(contentsOf: cases, encoding: .utf8)
        input += "{broken C-9999999\n\n"
        let out = dir.appendingPathComponent("bericht.html")
        let r = try CommandLineTests.run(["report", "-", "--policy", "hannover", "--staff", staff.path, "--format", "html", "--output", out.path], stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("502 lines: 500 cases in the report, 2 lines could not be read"), r.stderr)
        let html = try String(contentsOf: out, encoding: .utf8)
        XCTAssertFalse(html.contains("C-9999999"))
        XCTAssertTrue(html.contains("<dt>nicht lesbar</dt><dd>2</dd>"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["bericht.html", "cases.jsonl", "staff.json"], "no temporary file left")
        // `--jsonl` is accepted too, and `--as-of` moves the Stichtag.
        let asOf = try CommandLineTests.run(["report", "-", "--jsonl", "--policy", "hannover", "--staff", staff.path, "--format", "json", "--as-of", "2025-06-30"], stdin: input)
        XCTAssertEqual(asOf.status, 0, asOf.stderr)
        XCTAssertTrue(asOf.stdout.contains(#""stichtag": "2025-06-30","#))
    }

    func testUnusableInputExitsTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let cases = dir.appendingPathComponent("cases.jsonl"), staff = dir.appendingPathComponent("staff.json"), bad = dir.appendingPathComponent("bad.json")
        try (#"{"id":"C-0000001","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01"},"fallmanagement":{"fallmanager":"FM-1","beginn":"2025-02-01"}}"# + "\n")
            .write(to: cases, atomically: true, encoding: .utf8)
        try #"{"fallmanager":[{"id":"FM-1","stellenanteil":1}]}"#.write(to: staff, atomically: true, encoding: .utf8)
        try #"{"fallmanager":[{"id":"FM-1"}]}"#.write(to: bad, atomically: true, encoding: .utf8)

        let ok = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let missingCases = try CommandLineTests.run(["report", dir.appendingPathComponent("nope.jsonl").path, "--policy", "hannover", "--staff", staff.path])
        XCTAssertEqual(missingCases.status, 2)
        XCTAssertTrue(missingCases.stderr.contains("cannot read caseload"), missingCases.stderr)
        let missingStaff = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", dir.appendingPathComponent("nope.json").path])
        XCTAssertEqual(missingStaff.status, 2)
        let badStaff = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", bad.path])
        XCTAssertEqual(badStaff.status, 2)
        XCTAssertTrue(badStaff.stderr.contains("cannot read staff file"), badStaff.stderr)
        let badPolicy = try CommandLineTests.run(["report", cases.path, "--policy", "nirgendwo", "--staff", staff.path])
        XCTAssertEqual(badPolicy.status, 2)
        let noStaff = try CommandLineTests.run(["report", cases.path, "--policy", "hannover"])
        XCTAssertEqual(noStaff.status, 2)
        XCTAssertTrue(noStaff.stderr.contains("`report` needs `--staff STAFF.json`"), noStaff.stderr)
        let badFormat = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path, "--format", "pdf"])
        XCTAssertEqual(badFormat.status, 2)
        // Not a single line is a case: the caseload is unusable; the error names no case.
        let garbage = try CommandLineTests.run(["report", "-", "--policy", "hannover", "--staff", staff.path], stdin: "{\"id\":\"C-0000002\"\nnot json\n")
        XCTAssertEqual(garbage.status, 2)
        XCTAssertEqual(garbage.stdout, "")
        XCTAssertFalse(garbage.stderr.contains("C-0000002"), garbage.stderr)
    }

    func testHelpAndDidYouMean() throws {
        let help = try CommandLineTests.run(["report", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: fmpolicy report CASES.jsonl --policy NAME|PATH --staff STAFF.json"), help.stdout)
        let usage = try CommandLineTests.run(["--help"])
        XCTAssertTrue(usage.stdout.contains("report CASES.jsonl"), usage.stdout)
        let typo = try CommandLineTests.run(["reprot"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("report"), typo.stderr)
    }

    /// The HTML page in a real browser: Chromium parses it into a DOM with both charts, and logs
    /// no console error. Skipped where no `chromium` is installed.
    func testHTMLRendersInHeadlessChromium() throws {
        guard let chromium = Self.onPath("chromium") ?? Self.onPath("chromium-browser") else { throw XCTSkip("no chromium on PATH") }
        let (dir, cases, staff, ids) = try generatedCaseload()
        let page = dir.appendingPathComponent("bericht.html")
        let r = try CommandLineTests.run(["report", cases.path, "--policy", "hannover", "--staff", staff.path, "--format", "html", "--output", page.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let profile = dir.appendingPathComponent("chromium-profile")
        let dom = try Self.execute(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                                              "--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString], cwd: dir)
        XCTAssertEqual(dom.status, 0, dom.stderr)
        XCTAssertEqual(dom.stdout.components(separatedBy: "<svg").count - 1, 2, "two charts")
        XCTAssertTrue(dom.stdout.contains("<title>Monatsbericht Fallmanagement – hannover – Stichtag 2025-03-01</title>"), String(dom.stdout.prefix(600)))
        XCTAssertTrue(dom.stdout.contains("<h2>Betreuungsdauer</h2>"))
        XCTAssertFalse(dom.stdout.contains("<script"))
        for id in ids where dom.stdout.contains(id) { XCTFail("case id \(id) in the page") }
        XCTAssertEqual(Self.consoleLines(dom.stderr), [], dom.stderr)

        // The check itself: a page that throws is caught (Chromium logs console messages as
        // `INFO:CONSOLE` or `ERROR:CONSOLE` depending on its version; the page has no script, so any counts).
        let throwing = dir.appendingPathComponent("throwing.html")
        try "<!DOCTYPE html><title>x</title><script>throw new Error('probe')</script>".write(to: throwing, atomically: true, encoding: .utf8)
        let probe = try Self.execute(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                                                "--enable-logging=stderr", "--v=0", "--dump-dom", throwing.absoluteString], cwd: dir)
        XCTAssertFalse(Self.consoleLines(probe.stderr).isEmpty, "the console check sees an uncaught error: " + probe.stderr)
    }

    /// Console messages and uncaught exceptions in Chromium's log.
    static func consoleLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains("Uncaught") || $0.contains(":CONSOLE") }
    }
}
