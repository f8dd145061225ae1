import Foundation
import PolicyLang

/// Golden tests as pairs of files a policy author can add without writing Swift:
/// - `<dir>/<policy>/<name>.json` (a case) beside `<name>.expected.json` (its findings);
/// - `<dir>/<name>.fm` (a policy with mistakes) beside `<name>.expected.txt` (the rendered diagnostics);
/// - `<dir>/<name>.json` beside `<name>.expected.txt`: a case that cannot be read, and the error
///   `check` prints for it;
/// - `<dir>/<policy>/<name>.jsonl` (a caseload) with `<name>.staff.json` beside `<name>.expected.jsonl`
///   (every output line of `fmpolicy check <name>.jsonl --staff <name>.staff.json`);
/// - `<dir>/<policy>/<policy>.fm`: a policy that belongs to the golden folder (a test policy); the
///   folder's cases are checked with it rather than with a policy of that name on the search path;
/// - `Lint/<name>.fm` beside `<name>.expected.txt`: the warnings of `fmpolicy lint` (LintGolden.swift).
public struct GoldenSuite {
    public struct Outcome: Sendable {
        public enum Status: Sendable, Equatable { case passed, failed, updated, missingExpectation }
        public let name: String
        public let status: Status
        /// For failures and updates: the diff between expected and actual.
        public let diff: String
    }

    public let library: PolicyLibrary
    public var update: Bool
    public var options: CheckOptions
    /// When set, every case (and caseload object) checked is recorded for `test --coverage`.
    public var coverage: CoverageRecorder?

    public init(library: PolicyLibrary, update: Bool = false) {
        self.library = library
        self.update = update
        var options = CheckOptions()
        options.horizonDays = 30
        self.options = options
    }

    /// Every golden file below `directory`, sorted, so runs are reproducible.
    public static func discover(_ directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = (directory as NSString).appendingPathComponent(relative)
            if relative.hasSuffix(".expected.json") || relative.hasSuffix(".expected.txt") || relative.hasSuffix(".expected.jsonl")
                || relative.hasSuffix(".staff.json") { continue }
            if relative.hasSuffix(".fm"), isFolderPolicy(path) { continue }
            if relative.hasSuffix(".json") || relative.hasSuffix(".jsonl") || relative.hasSuffix(".fm") { found.append(path) }
        }
        return found.sorted()
    }

    /// `<dir>/<policy>/<policy>.fm`: the policy of its golden folder, not a diagnostics golden.
    static func isFolderPolicy(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return (path as NSString).lastPathComponent == (folder as NSString).lastPathComponent + ".fm"
            && !FileManager.default.fileExists(atPath: String(path.dropLast(".fm".count)) + ".expected.txt")
    }

    /// The policy of the golden folder `folder`: its own `<folder>.fm` if it has one, else the
    /// policy of the folder's name on the search path.
    func loadPolicy(folder: String) -> PolicyLibrary.Loaded {
        let name = (folder as NSString).lastPathComponent
        let own = (folder as NSString).appendingPathComponent(name + ".fm")
        return FileManager.default.fileExists(atPath: own) ? library.load(path: own) : library.load(name)
    }

    public mutating func run(_ paths: [String]) -> [Outcome] {
        var policies: [String: PolicyLibrary.Loaded] = [:]
        return paths.map { path in
            if path.hasSuffix(".fm") { return Self.isLintGolden(path) ? runLint(path) : runDiagnostics(path) }
            // The folder a case lies in names its policy.
            let folder = (path as NSString).deletingLastPathComponent
            let policyName = (folder as NSString).lastPathComponent
            let stem = (path as NSString).deletingPathExtension
            // An error case: its expectation is a text, or its folder names no policy.
            let isErrorCase = FileManager.default.fileExists(atPath: stem + ".expected.txt")
                || (!FileManager.default.fileExists(atPath: stem + ".expected.json") && loadPolicy(folder: folder).policy == nil)
            if path.hasSuffix(".json"), isErrorCase {
                if policies["ba"] == nil { policies["ba"] = library.load("ba") }
                // In a policy's folder, a case that can be read may still be refused by that policy.
                if policies[policyName] == nil, FileManager.default.fileExists(atPath: stem + ".expected.txt") {
                    policies[policyName] = loadPolicy(folder: folder)
                }
                return runCaseError(path, policies["ba"]!, folderPolicy: policies[policyName]?.policy)
            }
            if policies[policyName] == nil {
                policies[policyName] = loadPolicy(folder: folder)
                if let coverage, let policy = policies[policyName]?.policy { coverage.add(policy) }
            }
            if path.hasSuffix(".jsonl") { return runCaseload(path, policies[policyName]!) }
            return runCase(path, policies[policyName]!)
        }
    }

    func runCase(_ path: String, _ loaded: PolicyLibrary.Loaded) -> Outcome {
        let expectedPath = String(path.dropLast(".json".count)) + ".expected.json"
        let actual: String
        if let policy = loaded.policy {
            actual = Self.actualText(path, policy, options, coverage: coverage)
        } else {
            actual = "policy could not be loaded:\n" + DiagnosticRenderer().render(loaded.diagnostics)
        }
        return compare(path, expectedPath: expectedPath, actual: actual) { text in
            // Compare the meaning, not the layout: re-render the expectation canonically.
            (try? JSONValue.parse(text)).map { JSONWriter.pretty(Self.canonical($0)) + "\n" } ?? text
        }
    }

    /// A case that cannot be read: the error as `check` prints it (every field of the schema is
    /// read, so the error does not depend on a policy). In the folder of a policy, a case that
    /// can be read but lies before the policy came into force gives that error.
    func runCaseError(_ path: String, _ loaded: PolicyLibrary.Loaded, folderPolicy: CheckedPolicy? = nil) -> Outcome {
        let expectedPath = (path as NSString).deletingPathExtension + ".expected.txt"
        guard let policy = loaded.policy else {
            return compare(path, expectedPath: expectedPath, actual: "policy could not be loaded\n") { $0 }
        }
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let decoder = CaseDecoder(schema: policy.schema)
        let actual: String = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(CaseReadError) {
                let decoded = try decoder.decode(bytes)
                if let folderPolicy, let problem = options.inForceError(decoded, folderPolicy, file: path) { return "error: \(problem)\n" }
                return "no error: the case can be read\n"
            } catch {
                return "error: " + error.rendered(file: path, bytes: bytes) + "\n"
            }
        }
        return compare(path, expectedPath: expectedPath, actual: actual) { $0 }
    }

    /// A caseload with its staff file: every output line, in order, as `check` writes them.
    func runCaseload(_ path: String, _ loaded: PolicyLibrary.Loaded) -> Outcome {
        let stem = String(path.dropLast(".jsonl".count))
        let expectedPath = stem + ".expected.jsonl"
        guard let policy = loaded.policy else {
            return compare(path, expectedPath: expectedPath, actual: "policy could not be loaded:\n" + DiagnosticRenderer().render(loaded.diagnostics)) { $0 }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return compare(path, expectedPath: expectedPath, actual: "cannot read \(path)\n") { $0 }
        }
        let stream = CaseStream(policy: policy, options: options, countsCaseload: true)
        var statistics = RunStatistics()
        var tally = CaseloadTally()
        var out: [UInt8] = []
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (i, line) in (lines.last?.isEmpty == true ? lines.dropLast() : lines[...]).enumerated() {
            Array(line).withUnsafeBufferPointer { stream.check(line: $0, number: i + 1, into: &out, statistics: &statistics, tally: &tally) }
            out.append(0x0A)
            if let coverage {
                // The same line once more, instrumented; lines the stream refused are left out.
                let decoded = Array(line).withUnsafeBufferPointer { try? stream.decoder.decode($0) }
                if let decoded, options.inForceProblem(decoded, policy) == nil { _ = coverage.check(decoded, policy: policy, options: options) }
            }
        }
        var actual = String(decoding: out, as: UTF8.self)
        if let staffData = FileManager.default.contents(atPath: stem + ".staff.json") {
            let decoder = CaseDecoder(schema: policy.schema)
            let staff: Result<[RecordValue], CaseReadError> = staffData.withUnsafeBytes { raw in
                do throws(CaseReadError) { return .success(try decoder.decodeStaff(raw.bindMemory(to: UInt8.self))) } catch { return .failure(error) }
            }
            switch staff {
            case .success(let members):
                let stichtag = options.asOf ?? options.today
                actual += stream.caseloadLines(staff: members, tally: tally, stichtag: stichtag).map { $0 + "\n" }.joined()
                coverage?.recordCaseload(policy: policy, staff: members, tally: tally, stichtag: stichtag, horizon: options.horizonDays)
            case .failure(let e): actual += "staff file: \(e.description)\n"
            }
        }
        return compare(path, expectedPath: expectedPath, actual: actual) { $0 }
    }

    func runDiagnostics(_ path: String) -> Outcome {
        let expectedPath = String(path.dropLast(".fm".count)) + ".expected.txt"
        let diagnostics: [Diagnostic]
        switch PolicyLibrary.readSource(path) {
        case .failure(let d): diagnostics = [d]
        case .success(let source):
            let parsed = Parser.parse(source)
            diagnostics = parsed.tree.header?.kind == .schema
                ? (parsed.diagnostics + SchemaValidation.diagnostics(parsed.tree)).sortedByPosition()
                : library.load(path: path).diagnostics
        }
        let actual = diagnostics.isEmpty ? "no diagnostics\n" : DiagnosticRenderer().render(diagnostics)
        return compare(path, expectedPath: expectedPath, actual: actual) { $0 }
    }

    /// `--update` writes an expectation; a folder that cannot be written is a failure, not an update.
    private func write(_ text: String, to path: String) -> Bool {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    private func cannotWrite(_ name: String, _ path: String) -> Outcome {
        Outcome(name: name, status: .failed, diff: "cannot write \(path)\n")
    }

    func compare(_ name: String, expectedPath: String, actual: String, normalize: (String) -> String) -> Outcome {
        guard let data = FileManager.default.contents(atPath: expectedPath),
              let expectedText = String(data: data, encoding: .utf8) else {
            if update {
                guard write(actual, to: expectedPath) else { return cannotWrite(name, expectedPath) }
                return Outcome(name: name, status: .updated, diff: LineDiff.render(expected: "", actual: actual))
            }
            return Outcome(name: name, status: .missingExpectation, diff: "no \(expectedPath); run `fmpolicy test --update` to write it\n")
        }
        let expected = normalize(expectedText)
        if expected == actual { return Outcome(name: name, status: .passed, diff: "") }
        let diff = LineDiff.render(expected: expected, actual: actual)
        if update {
            guard write(actual, to: expectedPath) else { return cannotWrite(name, expectedPath) }
            return Outcome(name: name, status: .updated, diff: diff)
        }
        return Outcome(name: name, status: .failed, diff: diff)
    }

    /// The findings of a case in the canonical layout of `.expected.json`.
    static func actualText(_ path: String, _ policy: CheckedPolicy, _ options: CheckOptions, coverage: CoverageRecorder? = nil) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "cannot read \(path)\n" }
        let decoder = CaseDecoder(schema: policy.schema, policy: policy)
        let read: Result<DecodedCase, CaseReadError> = data.withUnsafeBytes { raw in
            do throws(CaseReadError) { return .success(try decoder.decode(raw.bindMemory(to: UInt8.self))) } catch { return .failure(error) }
        }
        switch read {
        case .failure(let e): return "error: \(e.description)\n"
        case .success(let decoded):
            if let problem = options.inForceProblem(decoded, policy) { return "error: \(problem)\n" }
            let result = coverage?.check(decoded, policy: policy, options: options) ?? CaseChecker(policy: policy).check(decoded, options: options)
            return JSONWriter.pretty(resultValue(result)) + "\n"
        }
    }

    static func resultValue(_ r: CaseResult) -> JSONValue {
        .object([
            ("case", .string(r.caseID)), ("policy", .string(r.policy)), ("stichtag", .string(r.stichtag.description)),
            ("findings", .array(r.findings.map { f in
                var members: [(String, JSONValue)] = [("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)),
                                                      ("message", .string(f.message))]
                if let due = f.due { members.append(("due", .string(due.description))) }
                members.append(("source", .string(f.source)))
                return .object(members)
            })),
        ])
    }

    /// Keys in the order the output uses, so a hand-written expectation in another order still matches.
    static func canonical(_ v: JSONValue) -> JSONValue {
        let order = ["case", "policy", "stichtag", "findings", "rule", "severity", "message", "due", "source"]
        switch v {
        case .object(let members):
            let sorted = members.map { ($0.0, canonical($0.1)) }.sorted { a, b in
                (order.firstIndex(of: a.0) ?? order.count, a.0) < (order.firstIndex(of: b.0) ?? order.count, b.0)
            }
            return .object(sorted)
        case .array(let xs): return .array(xs.map(canonical))
        default: return v
        }
    }
}
