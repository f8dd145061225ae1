import Foundation
import PolicyLang
import PolicyRuntime
import XCTest

/// Loading the repository's policies, and small policies written inside a test.
enum TestPolicies {
    static let root = GoldenTests.root

    static func load(_ name: String) throws -> CheckedPolicy {
        let loaded = PolicyLibrary(searchPath: [root + "/policies"]).load(name)
        guard let policy = loaded.policy else {
            throw NSError(domain: "TestPolicies", code: 1, userInfo: [NSLocalizedDescriptionKey: DiagnosticRenderer().render(loaded.diagnostics)])
        }
        return policy
    }

    /// Writes `source` as a policy beside copies of nothing: it is loaded with the repository's
    /// `policies/` on the search path, so it can `extends ba`.
    static func compile(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> PolicyLibrary.Loaded {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("test.fm").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return PolicyLibrary(searchPath: [root + "/policies"]).load(path: path)
    }

    /// Every case line in the golden tests, the error corpus and the examples.
    static func repositoryCases() throws -> [(name: String, bytes: [UInt8])] {
        var cases: [(String, [UInt8])] = []
        let fm = FileManager.default
        for folder in ["Tests/Golden", "Tests/Errors/cases", "examples"] {
            let path = root + "/" + folder
            guard let walker = fm.enumerator(atPath: path) else { continue }
            for case let file as String in walker where (file.hasSuffix(".json") || file.hasSuffix(".jsonl"))
                && !file.contains(".expected.") && !file.contains(".staff.") {
                // Bytes, not text: some cases of the error corpus are not UTF-8.
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + file)))
                if file.hasSuffix(".jsonl") {
                    for (n, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                        cases.append(("\(folder)/\(file):\(n + 1)", Array(line)))
                    }
                } else {
                    cases.append(("\(folder)/\(file)", bytes))
                }
            }
        }
        return cases.sorted { $0.0 < $1.0 }
    }

    static func check(_ caseJSON: String, _ policy: CheckedPolicy, horizon: Int = 30) throws -> CaseResult {
        let decoded = try CaseDecoder(schema: policy.schema).decode(caseJSON)
        var options = CheckOptions()
        options.horizonDays = horizon
        return CaseChecker(policy: policy).check(decoded, options: options)
    }
}
