import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// Runs every golden folder of the repository. `FMPOLICY_UPDATE_GOLDEN=1 swift test`
/// rewrites the expectations (as `fmpolicy test --update` does) and prints the diffs.
final class GoldenTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func runGolden(_ folder: String, minimum: Int) throws {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.root)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let update = ProcessInfo.processInfo.environment["FMPOLICY_UPDATE_GOLDEN"] == "1"
        var suite = GoldenSuite(library: PolicyLibrary(searchPath: ["policies"]), update: update)
        let paths = GoldenSuite.discover(folder)
        XCTAssertGreaterThanOrEqual(paths.count, minimum, "golden files in \(folder)")
        for outcome in suite.run(paths) {
            switch outcome.status {
            case .passed: break
            case .updated: print("updated \(outcome.name)\n\(outcome.diff)")
            case .failed, .missingExpectation: XCTFail("\(outcome.name)\n\(outcome.diff)")
            }
        }
    }

    /// `--update` that cannot write an expectation says so as a failure; it does not report the
    /// case as updated. (As root, a read-only folder would not stop the write: the expectation's
    /// path is a folder here instead.)
    func testUpdateThatCannotWriteFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)/hannover").path
        try FileManager.default.createDirectory(atPath: folder + "/beendet-ohne-grund.expected.json", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        try FileManager.default.copyItem(atPath: Self.root + "/Tests/Golden/hannover/beendet-ohne-grund.json",
                                         toPath: folder + "/beendet-ohne-grund.json")
        var suite = GoldenSuite(library: PolicyLibrary(searchPath: [Self.root + "/policies"]), update: true)
        let outcomes = suite.run(GoldenSuite.discover(folder))
        XCTAssertEqual(outcomes.map(\.status), [.failed])
        XCTAssertTrue(outcomes.first?.diff.hasPrefix("cannot write ") ?? false, outcomes.first?.diff ?? "")
    }

    func testIlmkreisGoldenCases() throws { try runGolden("Tests/Golden/ilmkreis", minimum: 24) }
    func testHannoverGoldenCases() throws { try runGolden("Tests/Golden/hannover", minimum: 24) }
    func testBerlinGoldenCases() throws { try runGolden("Tests/Golden/berlin", minimum: 20) }
    func testKKMGoldenCases() throws { try runGolden("Tests/Golden/kkm", minimum: 16) }
    func testErrorCorpus() throws { try runGolden("Tests/Errors", minimum: 40) }

    /// No error about a case shows the value of a personal field: birth dates and free text
    /// (any string value with a space, or of `bezeichnung`/`begruendung`/`geburtsdatum`).
    func testErrorCorpusNeverShowsPersonalValues() throws {
        let folder = Self.root + "/Tests/Errors/cases"
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".json") {
            let input = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
            let expected = try String(contentsOfFile: folder + "/" + file.dropLast(5) + ".expected.txt", encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: #""(geburtsdatum|bezeichnung|begruendung)"\s*:\s*"([^"]*)"|"([^"]* [^"]*)""#)
            for m in pattern.matches(in: input, range: NSRange(input.startIndex..., in: input)) {
                for group in [2, 3] {
                    guard let r = Range(m.range(at: group), in: input), !input[r].isEmpty else { continue }
                    XCTAssertFalse(expected.contains(input[r]), "\(file): the error shows `\(input[r])`")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 20, "the corpus must contain personal values to test against")
    }

    /// The per-case rules of each jobcenter, as the catalogue (shared/spec/rules.md) lists them.
    static let catalogue: [String: Set<String>] = [
        "ilmkreis": ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel", "kontakt.intervall", "beendigung.grund"],
        "hannover": ["zugang.kriterien", "zugang.pruefung", "zugang.einzelfall", "clearing.dauer", "fortfuehrung.pruefung",
                     "fortfuehrung.tl_information", "fortfuehrung.tl_zustimmung", "dauer.regel", "dauer.hoechst",
                     "wiederaufnahme.sperrfrist", "eingliederungsvereinbarung.pruefung", "beendigung.grund"],
        "berlin": ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel", "betreuung.nebenbetreuung", "beendigung.grund"],
        "kkm": ["kontakt.jahresminimum", "profillage.foerderprofil"],
    ]

    /// Each policy declares exactly the catalogue's rules for its jobcenter.
    func testPoliciesDeclareExactlyTheCataloguesRules() throws {
        for (name, rules) in Self.catalogue {
            let policy = try TestPolicies.load(name)
            XCTAssertEqual(Set(policy.caseRules.map(\.id)), rules, name)
        }
    }

    /// The caseload rules of the catalogue (batch with a staff file).
    static let caseloadCatalogue: [String: Set<String>] = [
        "ilmkreis": [], "hannover": ["fallzahl.schluessel"], "berlin": ["fallzahl.schluessel"], "kkm": ["kontakt.quote"],
    ]

    /// Every rule of a jobcenter, caseload rules included, is produced by some golden file of
    /// that jobcenter, and no golden file produces a rule the jobcenter does not have.
    func testGoldenCasesProduceEveryRuleOfTheirPolicy() throws {
        for (name, rules) in Self.catalogue {
            var seen = Set<String>()
            let folder = Self.root + "/Tests/Golden/" + name
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for file in files where file.hasSuffix(".expected.json") || file.hasSuffix(".expected.jsonl") {
                let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
                let documents = file.hasSuffix(".jsonl") ? text.split(separator: "\n").map(String.init) : [text]
                for document in documents {
                    let value = try JSONValue.parse(document)
                    for finding in value["findings"]?.arrayValue ?? [] { seen.insert(finding["rule"]?.stringValue ?? "") }
                }
            }
            XCTAssertEqual(seen, rules.union(Self.caseloadCatalogue[name] ?? []), name)
        }
    }
}
