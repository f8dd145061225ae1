import Foundation
import PolicyLang
import PolicyRuntime

enum CheckCommand {
    static let help = """
    Check a case against a jobcenter's policy.

    USAGE: fmpolicy check CASE.json --policy NAME|PATH [options]
           fmpolicy check CASES.jsonl --policy NAME|PATH [--staff STAFF.json] [--output FILE] [options]

      CASE.json          a case in the format of docs/case-format.md; `-` reads standard input
      CASES.jsonl        a caseload, one case per line (also `.ndjson`, or `--jsonl` for standard
                         input): exactly one JSON line out per line in, in input order; a line that
                         cannot be read gives {"line": N, "error": …} and the run goes on; a summary
                         goes to standard error

    OPTIONS:
      --policy NAME|PATH the policy: a name (`ilmkreis`, see `fmpolicy policies`) or a `.fm` file
      --as-of DATE       judge the case at DATE (YYYY-MM-DD) instead of its `stichtag`
      --horizon DAYS     upcoming due dates within DAYS after the Stichtag are shown as info (default 30)
      --format text|json text for a person (default), json as in the spec's output section
      --explain          show for every rule whether it fired and the values that decided it
      --ignore-in-force  also check cases whose Stichtag lies before the policy's `in force from`
                         date (otherwise such a case is an error: exit 2, or an error line)
      --staff FILE       caseloads: the staff file; adds one {"fallmanager": …, "findings": […]} line per
                         staff entry after the case lines (caseload rules such as fallzahl.schluessel)
      --output FILE      caseloads: write there (via a temporary file, renamed when complete)
      --jsonl            read JSON Lines whatever the file is called
      --jobs N           caseloads: worker threads (default: every core); the output is the same for any N
      --help             show this help

    EXIT STATUS: 0 no finding is an error · 1 at least one error finding · 2 the case, a line of the
    caseload, the staff file or the policy could not be read, or a case's Stichtag lies before the
    policy came into force

    EXAMPLE: fmpolicy check examples/ilmkreis/kontakt-u25-ueberfaellig.json --policy ilmkreis
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--policy", "--as-of", "--horizon", "--format", "--staff", "--output", "--jobs"],
                                 switchFlags: ["--explain", "--help", "--jsonl", "--ignore-in-force"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard args.operands.count == 1 else {
            throw UsageError(args.operands.isEmpty ? "`check` needs a case file (or `-` for standard input)" : "`check` takes one case file, found \(args.operands.count)",
                             help: "fmpolicy check CASE.json --policy NAME")
        }
        guard let policyName = args.value("--policy") else {
            throw UsageError("`check` needs `--policy NAME|PATH`", help: "`fmpolicy policies` lists the available policies")
        }
        var options = CheckOptions()
        options.asOf = try args.asOf()
        if let h = args.value("--horizon") {
            guard let days = Int(h), days >= 0, days <= 3660 else { throw UsageError("`--horizon` needs a number of days from 0 to 3660, found `\(h)`") }
            options.horizonDays = days
        }
        let format = args.value("--format") ?? "text"
        guard format == "text" || format == "json" else { throw UsageError("`--format` is `text` or `json`, found `\(format)`") }
        options.explain = args.has("--explain")
        options.ignoreInForce = args.has("--ignore-in-force")

        let path = args.operands[0]
        let isCaseload = args.has("--jsonl") || path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson")
        if !isCaseload {
            for flag in ["--staff", "--output", "--jobs"] where args.value(flag) != nil {
                throw UsageError("`\(flag)` is for caseloads (`.jsonl` files or `--jsonl`)")
            }
        }
        guard let policy = PolicyLoading.load(policyName) else { return ExitCode.unusableInput }
        if isCaseload {
            if options.explain { throw UsageError("`--explain` is for a single case") }
            if format != "json", args.value("--format") != nil { throw UsageError("caseloads are written as JSON Lines; drop `--format \(format)`") }
            let jobs = try args.jobs()
            return CaseloadCheck.run(path: path, policy: policy, options: options, staffPath: args.value("--staff"),
                                     outputPath: args.value("--output"), jobs: jobs)
        }
        guard let data = InputFile.read(path, what: "case") else { return ExitCode.unusableInput }
        let decoder = CaseDecoder(schema: policy.schema, policy: policy)
        // Not a `Result<DecodedCase, CaseReadError>`: its first use makes the runtime look up
        // `CaseReadError: Error` among every conformance record of the binary.
        var failure: CaseReadError?
        let read: DecodedCase? = data.withUnsafeBytes { raw in
            do throws(CaseReadError) { return try decoder.decode(raw.bindMemory(to: UInt8.self)) } catch { failure = error; return nil }
        }
        guard let decoded = read else {
            Terminal.error(data.withUnsafeBytes { failure!.rendered(file: path == "-" ? "<stdin>" : path, bytes: $0.bindMemory(to: UInt8.self)) })
            return ExitCode.unusableInput
        }
        if let problem = options.inForceError(decoded, policy, file: path == "-" ? "<stdin>" : path) {
            Terminal.error(problem, help: CheckOptions.inForceHelp)
            return ExitCode.unusableInput
        }
        let result = CaseChecker(policy: policy).check(decoded, options: options)
        if format == "json" {
            Terminal.out(FindingsWriter.json(result) + "\n")
            if options.explain { Terminal.err(FindingsWriter.explanation(result)) }
        } else {
            Terminal.out(FindingsWriter.text(result, colored: Terminal.stdoutColored))
            if options.explain { Terminal.out("\n" + FindingsWriter.explanation(result)) }
        }
        return result.hasErrors ? ExitCode.findingErrors : ExitCode.ok
    }
}

/// Reading input files, with one clear error for each way it can fail.
enum InputFile {
    static func read(_ path: String, what: String) -> Data? {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            Terminal.error("cannot read \(what) `\(path)`: no such file")
            return nil
        }
        if isDir.boolValue {
            Terminal.error("cannot read \(what) `\(path)`: it is a directory")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.error("cannot read \(what) `\(path)`: permission denied or unreadable")
            return nil
        }
        return data
    }
}

/// Loads a policy and prints its diagnostics; nil when it has errors.
enum PolicyLoading {
    static func load(_ nameOrPath: String) -> CheckedPolicy? {
        loaded(nameOrPath, library: PolicySearchPath.library(), otherwise: "nothing was checked")?.policy
    }

    /// Every policy loaded, kept until the process exits: a command loads one or a few and
    /// ends soon after, and freeing a checked policy, its program and its syntax trees object
    /// by object would cost more than checking a case (about a million instructions).
    nonisolated(unsafe) private static var keptUntilExit: [PolicyLibrary.Loaded] = []

    /// With its syntax trees; `otherwise` says what did not happen because of the errors.
    static func loaded(_ nameOrPath: String, library: PolicyLibrary, otherwise: String) -> PolicyLibrary.Loaded? {
        let loaded = library.load(nameOrPath)
        keptUntilExit.append(loaded)
        if !loaded.diagnostics.isEmpty {
            Terminal.err(DiagnosticRenderer(colored: Terminal.stderrColored).render(loaded.diagnostics))
        }
        if loaded.hasErrors {
            let n = loaded.diagnostics.filter(\.isError).count
            if n > 0 { Terminal.err("policy `\(nameOrPath)` has \(n) error\(n == 1 ? "" : "s"); \(otherwise)\n") }
            return nil
        }
        return loaded
    }
}
