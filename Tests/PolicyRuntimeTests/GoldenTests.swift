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

    func testIlmkreisGoldenCases() throws { try runGolden("Tests/Golden/ilmkreis", minimum: 24) }
    func testDiagnosticsGoldenFiles() throws { try runGolden("Tests/Diagnostics", minimum: 20) }

    /// Every Ilm-Kreis rule of the catalogue is produced by some golden case, and no rule
    /// of another jobcenter ever is.
    func testIlmkreisGoldenCasesCoverEveryIlmkreisRule() throws {
        let ilmkreisRules: Set<String> = ["zugang.kriterien", "zugang.pruefung", "fortfuehrung.pruefung", "dauer.regel",
                                          "kontakt.intervall", "beendigung.grund"]
        var seen = Set<String>()
        let folder = Self.root + "/Tests/Golden/ilmkreis"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".expected.json") {
            let value = try JSONValue.parse(String(contentsOfFile: folder + "/" + file, encoding: .utf8))
            for finding in value["findings"]?.arrayValue ?? [] { seen.insert(finding["rule"]?.stringValue ?? "") }
        }
        XCTAssertEqual(seen, ilmkreisRules)
    }
}
