import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// Converting keywords changes nothing a policy does: every golden case gives the same
/// findings with the shipped policies converted to English, to German (the baseline and the
/// schema too), and mixed across `extends` in both directions.
final class KeywordLanguageGoldenTests: XCTestCase {
    static let jobcenters = ["ilmkreis", "hannover", "berlin", "kkm"]

    /// The shipped policies in `dir`, the jobcenters in `jobcenters`' keywords and the baseline
    /// and schema in `base`'s.
    func writePolicies(jobcenters: KeywordSet, base: KeywordSet) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-keywords-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for name in Self.jobcenters + ["ba", "case"] {
            let source = try XCTUnwrap(try? PolicyLibrary.readSource(GoldenTests.root + "/policies/\(name).fm").get())
            let keywords = Self.jobcenters.contains(name) ? jobcenters : base
            guard case .success(let text) = SourceFormatter(keywords: keywords).format(source) else {
                throw NSError(domain: "convert", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(name).fm could not be converted"])
            }
            XCTAssertEqual(KeywordSet.detect(SourceFile(path: name, text: text)).language, keywords.language)
            try text.write(to: dir.appendingPathComponent("\(name).fm"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    func assertGoldensPass(jobcenters: KeywordSet, base: KeywordSet, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try writePolicies(jobcenters: jobcenters, base: base)
        let library = PolicyLibrary(searchPath: [dir.path])
        let shipped = PolicyLibrary(searchPath: [GoldenTests.root + "/policies"])
        var suite = GoldenSuite(library: library)
        var cases = 0
        for name in Self.jobcenters {
            // The same rules, citations and severities as the shipped policy.
            let converted = try XCTUnwrap(library.load(name).policy, "\(name) in \(jobcenters.language)/\(base.language)", file: file, line: line)
            let original = try XCTUnwrap(shipped.load(name).policy, file: file, line: line)
            XCTAssertEqual(converted.rules.map { "\($0.id) \($0.source) \($0.possibleSeverities)" },
                           original.rules.map { "\($0.id) \($0.source) \($0.possibleSeverities)" }, name, file: file, line: line)
            XCTAssertEqual(converted.values.map { "\($0.name) = \($0.displayText)" }, original.values.map { "\($0.name) = \($0.displayText)" },
                           name, file: file, line: line)
            for outcome in suite.run(GoldenSuite.discover(GoldenTests.root + "/Tests/Golden/" + name)) {
                cases += 1
                if case .passed = outcome.status { continue }
                XCTFail("\(jobcenters.language)/\(base.language): \(outcome.name)\n\(outcome.diff)", file: file, line: line)
            }
        }
        XCTAssertGreaterThanOrEqual(cases, 80, file: file, line: line)
    }

    func testGoldensPassWithEnglishJobcenters() throws { try assertGoldensPass(jobcenters: .english, base: .english) }
    func testGoldensPassWithEverythingGerman() throws { try assertGoldensPass(jobcenters: .german, base: .german) }
    func testGoldensPassWithEnglishJobcentersOnAGermanBase() throws { try assertGoldensPass(jobcenters: .english, base: .german) }
}
