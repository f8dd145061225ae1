import Foundation
import XCTest

/// Runs the built `fmpolicy` binary the way a user does, from the repository and from elsewhere.
final class CommandLineTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The test bundle sits beside the built products.
    static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("fmpolicy"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("fmpolicy"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fmpolicy"),
        ] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("fmpolicy") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func run(_ args: [String], cwd: URL = root, stdin: String? = nil, env: [String: String] = [:]) throws -> Run {
        try Self.run(args, cwd: cwd, stdin: stdin, env: env)
    }

    static func run(_ args: [String], cwd: URL = root, stdin: String? = nil, env: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FMPOLICY_PATH")
        environment["NO_COLOR"] = "1"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        // Feed standard input and drain standard error on their own threads: a caseload run
        // writes output while it still reads, so doing these one after another can deadlock
        // on full pipes.
        let writer = input.fileHandleForWriting
        let data = Data((stdin ?? "").utf8)
        let fed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            writer.write(data)
            try? writer.close()
            fed.signal()
        }
        nonisolated(unsafe) var e = Data()
        let drained = DispatchSemaphore(value: 0)
        let errReader = err.fileHandleForReading
        DispatchQueue.global().async {
            e = errReader.readDataToEndOfFile()
            drained.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        fed.wait()
        drained.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func testReadmeExampleReportsTheOverdueContact() throws {
        let r = try run(["check", "examples/ilmkreis/kontakt-u25-ueberfaellig.json", "--policy", "ilmkreis"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("error   kontakt.intervall  Qualifizierter Kontakt überfällig seit 2025-02-20"), r.stdout)
    }

    func testJSONOutputIsTheSpecsObject() throws {
        let r = try run(["check", "examples/ilmkreis/fortfuehrung-ueberfaellig.json", "--policy", "ilmkreis", "--format", "json"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, #"{"case":"IK-B02","policy":"ilmkreis","stichtag":"2025-03-01","findings":[{"rule":"fortfuehrung.pruefung","severity":"error","message":"Fortführungsprüfung überfällig seit 2025-02-26","due":"2025-02-26","source":"GA 14/2017 Ilm-Kreis, §3"}]}"# + "\n")
    }

    func testCleanCaseExitsZero() throws {
        let r = try run(["check", "examples/ilmkreis/ohne-befund.json", "--policy", "ilmkreis"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }

    func testStandardInputAndAsOf() throws {
        let json = try String(contentsOf: Self.root.appendingPathComponent("examples/ilmkreis/ohne-befund.json"), encoding: .utf8)
        let r = try run(["check", "-", "--policy", "ilmkreis", "--format", "json", "--as-of", "2030-01-01"], stdin: json)
        XCTAssertTrue(r.stdout.contains(#""stichtag":"2030-01-01""#), r.stdout)
        XCTAssertEqual(r.status, 1)
    }

    func testPolicyIsFoundFromAnotherDirectory() throws {
        let example = Self.root.appendingPathComponent("examples/ilmkreis/ohne-befund.json").path
        let r = try run(["check", example, "--policy", "ilmkreis"], cwd: FileManager.default.temporaryDirectory)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testUnreadableCaseExitsTwoWithThePath() throws {
        let bad = #"{"id":"X-1","person":{"geburtsdatum":"1990-02-30"}}"#
        let r = try run(["check", "-", "--policy", "ilmkreis"], stdin: bad)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("`person.geburtsdatum`: not a valid date"), r.stderr)
        XCTAssertFalse(r.stderr.contains("1990"), "a birth date must never be printed")
    }

    func testUsageErrorsExitTwoWithHelp() throws {
        let unknownPolicy = try run(["check", "examples/ilmkreis/ohne-befund.json", "--policy", "ilmkries"])
        XCTAssertEqual(unknownPolicy.status, 2)
        XCTAssertTrue(unknownPolicy.stderr.contains("did you mean `ilmkreis`?"), unknownPolicy.stderr)
        let unknownFlag = try run(["check", "x.json", "--polcy", "ilmkreis"])
        XCTAssertEqual(unknownFlag.status, 2)
        XCTAssertTrue(unknownFlag.stderr.contains("did you mean `--policy`?"), unknownFlag.stderr)
        let badDate = try run(["check", "x.json", "--policy", "ilmkreis", "--as-of", "2025-13-01"])
        XCTAssertEqual(badDate.status, 2)
        XCTAssertEqual(try run([]).status, 2)
        XCTAssertEqual(try run(["frobnicate"]).status, 2)
    }

    func testHelpOnEveryCommand() throws {
        for command in [["--help"], ["check", "--help"], ["validate", "--help"], ["policies", "--help"], ["test", "--help"]] {
            let r = try run(command)
            XCTAssertEqual(r.status, 0, "\(command)")
            XCTAssertTrue(r.stdout.contains("USAGE"), "\(command): \(r.stdout)")
        }
        XCTAssertTrue(try run(["--version"]).stdout.hasPrefix("fmpolicy "))
    }

    func testValidateReportsEveryErrorWithFileLineAndCaret() throws {
        let r = try run(["validate", "Tests/Errors/policies/override-missing.fm", "policies/ilmkreis.fm"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Tests/Errors/policies/override-missing.fm:6:16: error[E0312]"), r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "error[").count - 1, 4)
        XCTAssertTrue(r.stdout.contains("policies/ilmkreis.fm: ok"))
    }

    func testUnreadablePolicyFilesAreOneClearError() throws {
        let missing = try run(["validate", "policies/nirgends.fm"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("error[E0010]: cannot read `policies/nirgends.fm`: no such file"), missing.stderr)
        let directory = try run(["validate", "policies"])
        XCTAssertTrue(directory.stderr.contains("error[E0011]: cannot read `policies`: it is a directory"), directory.stderr)
        let missingCase = try run(["check", "nirgends.json", "--policy", "ilmkreis"])
        XCTAssertEqual(missingCase.status, 2)
        XCTAssertTrue(missingCase.stderr.contains("cannot read case `nirgends.json`: no such file"), missingCase.stderr)
        let directoryCase = try run(["check", "examples", "--policy", "ilmkreis"])
        XCTAssertEqual(directoryCase.status, 2)
        XCTAssertTrue(directoryCase.stderr.contains("it is a directory"), directoryCase.stderr)
    }

    func testPoliciesListsIlmkreis() throws {
        let r = try run(["policies"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("ilmkreis  2018-01-01  ba"), r.stdout)
    }

    func testOutputIsByteForByteStable() throws {
        let a = try run(["check", "examples/ilmkreis/kontakt-u25-ueberfaellig.json", "--policy", "ilmkreis", "--format", "json", "--explain"])
        let b = try run(["check", "examples/ilmkreis/kontakt-u25-ueberfaellig.json", "--policy", "ilmkreis", "--format", "json", "--explain"])
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertEqual(a.stderr, b.stderr)
    }
}

/// Caseloads: nothing lost, order kept, same bytes on any number of threads.
final class CaseloadCommandLineTests: XCTestCase {
    func run(_ args: [String], stdin: String? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests.run(args, stdin: stdin)
    }

    func testEveryInputLineGivesOneOutputLineInOrder() throws {
        let good = try String(contentsOf: CommandLineTests.root.appendingPathComponent("examples/ilmkreis/ohne-befund.json"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        let lines = [good, "", "{not json", good.replacingOccurrences(of: "\"IK-B03\"", with: "\"IK-2\""), "[]", "   ", good + "\r",
                     #"{"id":"T","person":{}}"#, good]
        // No final line break: the last line still counts.
        let input = lines.joined(separator: "\n")
        let r = try run(["check", "-", "--jsonl", "--policy", "ilmkreis"], stdin: input)
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(out.count, lines.count, r.stdout)
        XCTAssertTrue(out[0].hasPrefix(#"{"case":"IK-B03""#))
        XCTAssertEqual(out[1], #"{"line":2,"error":"empty line"}"#)
        XCTAssertTrue(out[2].hasPrefix(#"{"line":3,"error":"invalid JSON: "#), String(out[2]))
        XCTAssertTrue(out[3].hasPrefix(#"{"case":"IK-2""#))
        XCTAssertEqual(out[4], #"{"line":5,"error":"expected a case object `{…}`"}"#)
        XCTAssertEqual(out[5], #"{"line":6,"error":"empty line"}"#)
        XCTAssertTrue(out[6].hasPrefix(#"{"case":"IK-B03""#), "CRLF line endings")
        XCTAssertEqual(out[7], #"{"line":8,"case":"T","error":"`person.geburtsdatum`: is missing"}"#)
        XCTAssertEqual(r.status, 2, "lines that could not be read make the run exit 2")
        XCTAssertTrue(r.stderr.contains("9 lines: 4 cases checked, 5 lines with errors"), r.stderr)
    }

    func testOneThreadAndManyGiveTheSameBytes() throws {
        let good = try String(contentsOf: CommandLineTests.root.appendingPathComponent("examples/ilmkreis/kontakt-u25-ueberfaellig.json"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        let input = (0..<3000).map { i in i % 7 == 0 ? "{broken \(i)" : good.replacingOccurrences(of: "IK-B01", with: "IK-\(i)") }.joined(separator: "\n") + "\n"
        let one = try run(["check", "-", "--jsonl", "--policy", "ilmkreis", "--jobs", "1"], stdin: input)
        let many = try run(["check", "-", "--jsonl", "--policy", "ilmkreis", "--jobs", "4"], stdin: input)
        XCTAssertEqual(one.stdout.split(separator: "\n").count, 3000)
        XCTAssertEqual(one.stdout, many.stdout)
        XCTAssertEqual(one.stderr, many.stderr)
    }

    func testOutputFileAndStaffFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cases = dir.appendingPathComponent("cases.jsonl"), staff = dir.appendingPathComponent("staff.json"), out = dir.appendingPathComponent("out.jsonl")
        try (#"{"id":"A","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01"},"fallmanagement":{"fallmanager":"FM-1","beginn":"2025-02-01"}}"# + "\n")
            .write(to: cases, atomically: true, encoding: .utf8)
        try #"{"fallmanager":[{"id":"FM-1","stellenanteil":0.01}]}"#.write(to: staff, atomically: true, encoding: .utf8)
        let r = try run(["check", cases.path, "--policy", "hannover", "--staff", staff.path, "--output", out.path])
        XCTAssertEqual(r.stdout, "")
        let written = try String(contentsOf: out, encoding: .utf8)
        // 1 case in care > 75 × 0.01 = 0.75.
        XCTAssertEqual(written, """
        {"case":"A","policy":"hannover","stichtag":"2025-03-01","findings":[]}
        {"fallmanager":"FM-1","policy":"hannover","findings":[{"rule":"fallzahl.schluessel","severity":"warning","message":"1 Fälle in Betreuung, höchstens 0.75 (1:75, Stellenanteil 0.01)","source":"Handlungsleitlinie bFM Hannover, IV.1"}]}

        """)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["cases.jsonl", "out.jsonl", "staff.json"], "no temporary file left")
    }
}

extension CaseloadCommandLineTests {
    /// `--output` into a pipe or a device writes into it: a temporary file renamed over it
    /// would replace it with a regular file (run as root, `--output /dev/null` did so).
    func testOutputIntoANamedPipeKeepsThePipe() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = dir.appendingPathComponent("cases.jsonl"), pipe = dir.appendingPathComponent("out.fifo")
        try (#"{"id":"A","stichtag":"2025-03-01","person":{"geburtsdatum":"1980-01-01"},"fallmanagement":{"fallmanager":"FM-1","beginn":"2025-02-01"}}"# + "\n")
            .write(to: cases, atomically: true, encoding: .utf8)
        XCTAssertEqual(mkfifo(pipe.path, 0o600), 0)
        // Opening a pipe for writing waits for a reader, so the reader starts first.
        let received = LockedData()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: pipe.path) { received.set(handle.readDataToEndOfFile()) }
        }
        reader.start()
        let r = try run(["check", cases.path, "--policy", "hannover", "--output", pipe.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let deadline = Date().addingTimeInterval(10)
        while received.get() == nil && Date() < deadline { usleep(10_000) }
        XCTAssertEqual(String(decoding: received.get() ?? Data(), as: UTF8.self), """
        {"case":"A","policy":"hannover","stichtag":"2025-03-01","findings":[]}

        """)
        var info = stat()
        XCTAssertEqual(stat(pipe.path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a pipe, not replaced by a file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["cases.jsonl", "out.fifo"], "no temporary file left")
    }

    func testOutputIntoAFolderIsRefused() throws {
        let r = try run(["check", "-", "--jsonl", "--policy", "ilmkreis", "--output", "examples"], stdin: "{}\n")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("cannot write `examples`: it is a folder"), r.stderr)
    }
}

/// What the reader thread of a pipe received, read from the test's thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data? { lock.lock(); defer { lock.unlock() }; return data }
}

final class DiffCommandLineTests: XCTestCase {
    /// Hannover vs Ilm-Kreis: exactly the differences of the catalogue (shared/spec/rules.md).
    func testHannoverVersusIlmkreisShowsTheCataloguesDifferences() throws {
        let r = try CommandLineTests.run(["diff", "hannover", "ilmkreis"])
        XCTAssertEqual(r.status, 0, r.stderr)
        func section(_ title: String) -> [String] {
            let lines = r.stdout.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix(title) }) else { return [] }
            return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.compactMap { line in
                line.hasPrefix("   ") ? nil : line.split(separator: " ").first.map(String.init)
            }
        }
        XCTAssertEqual(Set(section("Rules in both")), ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel", "beendigung.grund"])
        XCTAssertEqual(Set(section("Only in hannover")), ["zugang.einzelfall", "clearing.dauer", "fortfuehrung.tl_information",
                                                          "fortfuehrung.tl_zustimmung", "dauer.hoechst", "wiederaufnahme.sperrfrist",
                                                          "eingliederungsvereinbarung.pruefung", "fallzahl.schluessel"])
        XCTAssertEqual(section("Only in ilmkreis"), ["kontakt.intervall"])
        XCTAssertTrue(r.stdout.contains("regeldauer: 24 months / 2 years"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Handlungsleitlinie bFM Hannover, IV.4  |  GA 14/2017 Ilm-Kreis, §3"), r.stdout)
    }

    /// docs/comparison.md is generated; it must match what the policies say now.
    func testComparisonDocumentIsUpToDate() throws {
        let r = try CommandLineTests.run(["diff", "ilmkreis", "hannover", "berlin", "kkm", "--format", "markdown"])
        let committed = try String(contentsOf: CommandLineTests.root.appendingPathComponent("docs/comparison.md"), encoding: .utf8)
        XCTAssertEqual(committed, r.stdout,
                       "docs/comparison.md is out of date: run `fmpolicy diff ilmkreis hannover berlin kkm --format markdown > docs/comparison.md`")
    }
}
