import Foundation
import XCTest

/// `fmpolicy fmt` as a user runs it: in place, `--check`, `--stdout`, standard input, and
/// files it must not touch.
final class FmtCommandLineTests: XCTestCase {
    func run(_ args: [String], cwd: URL = CommandLineTests.root, stdin: String? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests.run(args, cwd: cwd, stdin: stdin)
    }

    static let messy = "policy p\ntitle \"T\"   # Titel\ncitation \"C\"\nparam a=1\ndefine b = not (a  =  2)\n"
    static let tidy = "policy p\n  title \"T\"  # Titel\n  citation \"C\"\n\nparam a = 1\ndefine b = not (a = 2)\n"

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func read(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// CI's `fmt --check`: the shipped policies are formatted.
    func testShippedPoliciesPassTheCheck() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CommandLineTests.root.appendingPathComponent("policies").path)
            .filter { $0.hasSuffix(".fm") }.sorted().map { "policies/" + $0 }
        XCTAssertGreaterThanOrEqual(files.count, 6)
        let r = try run(["fmt", "--check"] + files)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testCheckListsFilesThatWouldChangeAndRewritesNothing() throws {
        let dir = try temporaryDirectory()
        let messy = try write(Self.messy, "messy.fm", in: dir)
        let tidy = try write(Self.tidy, "tidy.fm", in: dir)
        let r = try run(["fmt", "--check", messy.path, tidy.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, messy.path + "\n")
        XCTAssertEqual(try read(messy), Data(Self.messy.utf8))
        let clean = try run(["fmt", "--check", tidy.path])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
    }

    func testRewritesInPlaceAndLeavesAFormattedFileAlone() throws {
        let dir = try temporaryDirectory()
        let messy = try write(Self.messy, "messy.fm", in: dir)
        let tidy = try write(Self.tidy, "tidy.fm", in: dir)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: tidy.path)
        let r = try run(["fmt", messy.path, tidy.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "formatted \(messy.path)\n")
        XCTAssertEqual(String(decoding: try read(messy), as: UTF8.self), Self.tidy)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: tidy.path)[.modificationDate] as? Date, past, "an unchanged file is not rewritten")
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["messy.fm", "tidy.fm"])
    }

    func testSyntaxErrorsLeaveTheFileUntouched() throws {
        let dir = try temporaryDirectory()
        let text = "policy p\n  title \"T\"\ndefine x = (1 +\nparam   y=2\n"
        let broken = try write(text, "broken.fm", in: dir)
        for args in [["fmt", broken.path], ["fmt", "--check", broken.path], ["fmt", "--stdout", broken.path]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.contains("broken.fm:4:1: error[E0100]"), r.stderr)
            XCTAssertTrue(r.stderr.contains("^"), "the diagnostic is rendered with its line: \(r.stderr)")
            XCTAssertEqual(try read(broken), Data(text.utf8), "\(args)")
        }
    }

    func testMissingFileIsAClearError() throws {
        let r = try run(["fmt", "policies/nirgends.fm"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("error[E0010]: cannot read `policies/nirgends.fm`: no such file"), r.stderr)
    }

    func testStdoutAndStandardInput() throws {
        let dir = try temporaryDirectory()
        let messy = try write(Self.messy, "messy.fm", in: dir)
        let printed = try run(["fmt", "--stdout", messy.path])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, Self.tidy)
        XCTAssertEqual(try read(messy), Data(Self.messy.utf8))
        let piped = try run(["fmt", "-"], stdin: Self.messy)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, Self.tidy)
    }

    /// `--keywords en` and back `--keywords de` give the shipped German policy byte for byte.
    func testConvertsKeywordsBothWays() throws {
        let dir = try temporaryDirectory()
        let shipped = try read(CommandLineTests.root.appendingPathComponent("policies/kkm.fm"))
        let kkm = dir.appendingPathComponent("kkm.fm")
        try shipped.write(to: kkm)
        let english = try run(["fmt", "--keywords", "en", kkm.path])
        XCTAssertEqual(english.status, 0, english.stderr)
        let text = String(decoding: try read(kkm), as: UTF8.self)
        XCTAssertTrue(text.contains("\npolicy kkm extends ba\n") && text.contains("\nremove rule zugang.kriterien\n"), text)
        XCTAssertEqual(try run(["fmt", "--keywords", "de", kkm.path]).status, 0)
        XCTAssertEqual(try read(kkm), shipped)
        let unknown = try run(["fmt", "--keywords", "fr", kkm.path])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("`--keywords` is `en` or `de`"), unknown.stderr)
    }

    func testAConversionThatWouldTurnANameIntoAKeywordIsRefused() throws {
        let dir = try temporaryDirectory()
        let text = "policy p extends ba\n  title \"T\"\n  citation \"C\"\n\ndefine wahr = 1\n"
        let file = try write(text, "p.fm", in: dir)
        let r = try run(["fmt", "--keywords", "de", file.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("p.fm:5:8: error[E0101]: `wahr` is the keyword `true` in German"), r.stderr)
        XCTAssertEqual(try read(file), Data(text.utf8))
    }

    func testHelpAndUsageErrors() throws {
        let help = try run(["fmt", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: fmpolicy fmt"), help.stdout)
        XCTAssertEqual(try run(["fmt"]).status, 2)
        XCTAssertEqual(try run(["fmt", "--check", "--stdout", "policies/ba.fm"]).status, 2)
        let typo = try run(["fmt", "--chek", "policies/ba.fm"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("did you mean `--check`?"), typo.stderr)
        XCTAssertTrue(try run(["--help"]).stdout.contains("fmt FILE.fm"))
        XCTAssertTrue(try run(["fnt"]).stderr.contains("did you mean `fmt`?"))
    }
}
