import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// The lint goldens of `Tests/Lint`: each `<name>.fm` with the warnings `fmpolicy lint`
/// gives it in `<name>.expected.txt`. `FMPOLICY_UPDATE_GOLDEN=1 swift test` rewrites the
/// expectations (as `fmpolicy test Tests/Lint --update` does) and prints the diffs.
final class GoldenLintTests: XCTestCase {
    func testLintGoldens() throws {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(GoldenTests.root)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let update = ProcessInfo.processInfo.environment["FMPOLICY_UPDATE_GOLDEN"] == "1"
        var suite = GoldenSuite(library: PolicyLibrary(searchPath: ["policies"]), update: update)
        let paths = GoldenSuite.discover("Tests/Lint")
        XCTAssertGreaterThanOrEqual(paths.count, 10, "lint goldens")
        XCTAssertTrue(paths.allSatisfy(GoldenSuite.isLintGolden), "every .fm of Tests/Lint is a lint golden")
        for outcome in suite.run(paths) {
            switch outcome.status {
            case .passed: break
            case .updated: print("updated \(outcome.name)\n\(outcome.diff)")
            case .failed, .missingExpectation: XCTFail("\(outcome.name)\n\(outcome.diff)")
            }
        }
    }

    /// Every lint code appears in some golden, so each has a worked example there.
    func testEveryLintHasAGolden() throws {
        let folder = GoldenTests.root + "/Tests/Lint"
        var text = ""
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".expected.txt") {
            text += try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        }
        for lint in Linter.lints { XCTAssertTrue(text.contains("warning[\(lint.code)]"), lint.code) }
    }
}
