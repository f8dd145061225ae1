import Foundation
import PolicyLang
import PolicyRuntime

/// `fmpolicy timeline`: one case drawn on a date axis, as a standalone SVG.
enum TimelineCommand {
    static let help = """
    Draw one case as a timeline: a standalone SVG image.

    USAGE: fmpolicy timeline CASE.json --policy NAME|PATH [--as-of DATE] [--horizon DAYS] [--ignore-in-force] [--output FILE.svg]

      CASE.json          a case in the format of docs/case-format.md; `-` reads standard input

      The image shows the case's history up to a little after the Stichtag: the care episodes
      (earlier ones, the clearing phase, the current one from `beginn` to `ende` or ongoing), the
      access checks, continuation reviews, integration agreements and contacts (qualified ones by
      the policy's own definition `qualifizierte_kontakte`, else by the schema's kinds), the
      Stichtag as a vertical line, every due date of the findings (overdue in red, upcoming in
      amber) and the findings with rule and severity. It shows the case id, dates, kinds, rule ids
      and the findings' messages, never the birth date, free text or the case manager.

    OPTIONS:
      --policy NAME|PATH the policy: a name (`hannover`, see `fmpolicy policies`) or a `.fm` file
      --as-of DATE       judge the case at DATE (YYYY-MM-DD) instead of its `stichtag`
      --horizon DAYS     upcoming due dates within DAYS after the Stichtag count (default 30)
      --ignore-in-force  also draw a case whose Stichtag lies before the policy's `in force from` date
      --output FILE      write there (via a temporary file, renamed when complete); default standard output
      --help             show this help

    EXIT STATUS: 0 the image was written (whatever the findings) · 2 the case or the policy could not
    be read, the case's Stichtag lies before the policy came into force, the output could not be
    written, or the command line was wrong

    EXAMPLE: fmpolicy timeline examples/hannover/langzeitbetreuung.json --policy hannover --output fall.svg
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--policy", "--as-of", "--horizon", "--output"], switchFlags: ["--help", "--ignore-in-force"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard args.operands.count == 1 else {
            throw UsageError(args.operands.isEmpty ? "`timeline` needs a case file (or `-` for standard input)" : "`timeline` draws one case, found \(args.operands.count) files",
                             help: "fmpolicy timeline CASE.json --policy NAME")
        }
        guard let policyName = args.value("--policy") else {
            throw UsageError("`timeline` needs `--policy NAME|PATH`", help: "`fmpolicy policies` lists the available policies")
        }
        let path = args.operands[0]
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") {
            throw UsageError("`timeline` draws one case, not a caseload", help: "take one line of the caseload into a file of its own")
        }
        var options = CheckOptions()
        options.asOf = try args.asOf()
        if let h = args.value("--horizon") {
            guard let days = Int(h), days >= 0, days <= 3660 else { throw UsageError("`--horizon` needs a number of days from 0 to 3660, found `\(h)`") }
            options.horizonDays = days
        }
        options.ignoreInForce = args.has("--ignore-in-force")

        guard let policy = PolicyLoading.load(policyName) else { return ExitCode.unusableInput }
        guard let data = InputFile.read(path, what: "case") else { return ExitCode.unusableInput }
        // Every field is read (the lanes need fields no rule reads); errors name the JSON path,
        // never a value, exactly as `check` prints them.
        // The in-force date is checked below, so that it reads as `check` reports it.
        var readOptions = options
        readOptions.ignoreInForce = true
        let stream = CaseStream(policy: policy, options: readOptions, countsCaseload: false, readsEveryField: true)
        let result = data.withUnsafeBytes { stream.evaluate(line: $0.bindMemory(to: UInt8.self)) }
        var evaluation: CaseEvaluation
        switch result {
        case .success(let e): evaluation = e
        case .failure(let error):
            Terminal.error(data.withUnsafeBytes { error.rendered(file: path == "-" ? "<stdin>" : path, bytes: $0.bindMemory(to: UInt8.self)) })
            return ExitCode.unusableInput
        }
        if let problem = options.inForceError(evaluation.decoded, policy, file: path == "-" ? "<stdin>" : path) {
            Terminal.error(problem, help: CheckOptions.inForceHelp)
            return ExitCode.unusableInput
        }
        let svg = CaseTimeline.build(&evaluation, policy: policy).svg()
        guard let output = BatchRunner.openOutput(args.value("--output")) else { return ExitCode.unusableInput }
        output.handle.write(Data(svg.utf8))
        guard output.finish() else { return ExitCode.unusableInput }
        return ExitCode.ok
    }
}
