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
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
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
        let r = try run(["validate", "Tests/Diagnostics/override-missing.fm", "policies/ilmkreis.fm"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Tests/Diagnostics/override-missing.fm:6:16: error[E0312]"), r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "error[").count - 1, 4)
        XCTAssertTrue(r.stdout.contains("policies/ilmkreis.fm: ok"))
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
