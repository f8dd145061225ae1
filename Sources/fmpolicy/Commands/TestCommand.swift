import Foundation
import PolicyLang
import PolicyRuntime

enum TestCommand {
    static let help = """
    Run golden tests: cases with their expected findings, policies with their expected diagnostics.

    USAGE: fmpolicy test [DIR...] [--update]

      DIR        folders of golden files (default: Tests/Golden and Tests/Errors)
                 <DIR>/<policy>/<name>.json     a case, checked against the folder's policy
                 <name>.expected.json           beside it: the findings it must give
                 <DIR>/<name>.fm                a policy file
                 <name>.expected.txt            beside it: the diagnostics it must give
                 <DIR>/<name>.json + <name>.expected.txt   a case that cannot be read, and its error

    OPTIONS:
      --update   rewrite the expected files from the actual output and show what changed
      --help     show this help

    EXIT STATUS: 0 all passed (or updated) · 1 a mismatch or a missing expectation
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: [], switchFlags: ["--update", "--help"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        var dirs = args.operands
        if dirs.isEmpty { dirs = ["Tests/Golden", "Tests/Errors"].filter { FileManager.default.fileExists(atPath: $0) } }
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
        let outcomes = suite.run(paths)
        var passed = 0, failed = 0, updated = 0
        for o in outcomes {
            switch o.status {
            case .passed: passed += 1
            case .updated: updated += 1; Terminal.out("updated \(o.name)\n\(o.diff)\n")
            case .failed, .missingExpectation: failed += 1; Terminal.out("FAILED \(o.name)\n\(o.diff)\n")
            }
        }
        if updated > 0 { Terminal.out("golden: \(updated) expectation\(updated == 1 ? "" : "s") rewritten; review the changes above\n") }
        Terminal.out("golden: \(passed) passed, \(failed) failed\n")
        return failed > 0 ? 1 : 0
    }
}
