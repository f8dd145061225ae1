import Foundation
import PolicyLang
import PolicyRuntime

enum TestCommand {
    static let help = """
    Run golden tests: cases with their expected findings, policies with their expected diagnostics.

    USAGE: fmpolicy test [DIR...] [--update] [--coverage [--min-coverage N] [--format text|json]]

      DIR        folders of golden files (default: Tests/Golden, Tests/Errors and Tests/Lint)
                 <DIR>/<policy>/<name>.json     a case, checked against the folder's policy
                 <name>.expected.json           beside it: the findings it must give
                 <DIR>/<policy>/<name>.jsonl    a caseload, with <name>.staff.json and <name>.expected.jsonl
                 <DIR>/<policy>/<policy>.fm     a policy of the folder itself (else <policy> is looked up)
                 <DIR>/<name>.fm                a policy file
                 <name>.expected.txt            beside it: the diagnostics it must give
                 <DIR>/<name>.json + <name>.expected.txt   a case that cannot be read, and its error
                 Lint/<name>.fm + <name>.expected.txt      in a folder named Lint: what `fmpolicy lint` warns

    OPTIONS:
      --update           rewrite the expected files from the actual output and show what changed
      --coverage         after the tests, show per policy which rules fired in at least one golden
                         case and which branches of their conditions were taken (docs/language.md,
                         "Coverage of the golden cases")
      --min-coverage N   with --coverage (implied): fail when the RULE coverage of a policy (rules
                         that fired / all rules) is below N % (0 to 100; more can never be met)
      --format text|json how --coverage is written: a table per policy (default), or one JSON
                         document with sorted keys on standard output (test results then go to
                         standard error)
      --help             show this help

    EXIT STATUS: 0 all passed (or updated) and coverage met · 1 a mismatch, a missing expectation, or
    a policy below --min-coverage · 2 usage error
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--min-coverage", "--format"], switchFlags: ["--update", "--help", "--coverage"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        var minimum: Double?
        if let text = args.value("--min-coverage") {
            guard let n = Double(text), n >= 0, n.isFinite, text.allSatisfy({ $0.isNumber || $0 == "." }) else {
                throw UsageError("`--min-coverage` needs a percentage such as 100 or 92.5, found `\(text)`")
            }
            minimum = n
        }
        let coverage = args.has("--coverage") || minimum != nil
        let format = args.value("--format") ?? "text"
        guard format == "text" || format == "json" else { throw UsageError("`--format` is `text` or `json`, found `\(format)`") }
        if args.value("--format") != nil, !coverage { throw UsageError("`--format` is for the coverage report; add `--coverage`") }
        var dirs = args.operands
        if dirs.isEmpty { dirs = ["Tests/Golden", "Tests/Errors", "Tests/Lint"].filter { FileManager.default.fileExists(atPath: $0) } }
        guard !dirs.isEmpty else { throw UsageError("no golden folders given, and none in the current directory") }
        var paths: [String] = []
        for dir in dirs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw UsageError("`\(dir)` is not a folder")
            }
            paths += GoldenSuite.discover(dir)
        }
        var suite = GoldenSuite(library: PolicySearchPath.library(), update: args.has("--update"))
        let recorder = coverage ? CoverageRecorder() : nil
        suite.coverage = recorder
        let outcomes = suite.run(paths)
        // With a JSON coverage document, standard output holds that document alone.
        let toStandardError = coverage && format == "json"
        func say(_ s: String) { if toStandardError { Terminal.err(s) } else { Terminal.out(s) } }
        var passed = 0, failed = 0, updated = 0
        for o in outcomes {
            switch o.status {
            case .passed: passed += 1
            case .updated: updated += 1; say("updated \(o.name)\n\(o.diff)\n")
            case .failed, .missingExpectation: failed += 1; say("FAILED \(o.name)\n\(o.diff)\n")
            }
        }
        if updated > 0 { say("golden: \(updated) expectation\(updated == 1 ? "" : "s") rewritten; review the changes above\n") }
        say("golden: \(passed) passed, \(failed) failed\n")
        var below: [String] = []
        if let recorder {
            if let minimum { below = CoverageReport.below(recorder, minimum: minimum) }
            if format == "json" {
                Terminal.out(JSONWriter.pretty(CoverageReport.json(recorder, minimum: minimum)) + "\n")
            } else {
                Terminal.out(CoverageReport.text(recorder))
            }
            if let minimum {
                say(below.isEmpty ? "coverage: every policy has at least \(text(minimum)) % of its rules fired\n"
                                  : "coverage: rule coverage below \(text(minimum)) %: \(below.joined(separator: ", "))\n")
            }
            if !recorder.disagreements.isEmpty {
                Terminal.error("coverage pass disagrees with the checker on \(recorder.disagreements.joined(separator: ", "))")
                failed += 1
            }
        }
        return failed > 0 || !below.isEmpty ? 1 : 0
    }

    static func text(_ n: Double) -> String { n == n.rounded() && n < 1e9 ? "\(Int(n))" : "\(n)" }
}
