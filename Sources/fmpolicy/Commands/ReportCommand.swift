import Dispatch
import Foundation
import PolicyLang
import PolicyRuntime

/// `fmpolicy report`: the monthly report, anonymised figures per case manager, team and
/// jobcenter for controllers and team leads.
enum ReportCommand {
    static let help = """
    Write the monthly report of a caseload: anonymised figures per case manager, team and jobcenter.

    USAGE: fmpolicy report CASES.jsonl --policy NAME|PATH --staff STAFF.json [options]

      CASES.jsonl        a caseload, one case per line; `-` (or `--jsonl`) reads standard input. Lines
                         that cannot be read are counted in the report, never shown

    OPTIONS:
      --policy NAME|PATH the policy: a name (`hannover`, see `fmpolicy policies`) or a `.fm` file
      --staff FILE       the staff file {"fallmanager": [{"id", "stellenanteil", "team"}]}: the teams, and
                         each case manager's limit (ratio × stellenanteil)
      --format FORMAT    text for the terminal (default), json (one document, stable key order), or
                         html (one self-contained page with charts)
      --output FILE      write there (via a temporary file, renamed when complete)
      --as-of DATE       judge every case at DATE (YYYY-MM-DD) instead of its `stichtag`
      --ignore-in-force  also count cases whose Stichtag lies before the policy's `in force from` date
                         (otherwise they are counted as lines that could not be read)
      --jsonl            read standard input or a file of any name as JSON Lines (the default anyway)
      --jobs N           worker threads (default: every core); the report is the same for any N
      --help             show this help

    FIGURES: cases in care (`in_betreuung`) and in the clearing phase; cases in care against the
    ratio (`fallzahl` or `betreuungsschluessel` of the policy, else 75) × stellenanteil; overdue
    continuation reviews (`fortfuehrung.pruefung`) and contacts (`kontakt.intervall`); the share of
    cases a year in care that kept the yearly contact minimum (KKM); the duration in care in bands
    0–6, 6–12, 12–24, 24–36, 36+ months; endings by reason; lines that could not be read. A figure
    the policy has no basis for is n/a. No case id, date of birth or free text is ever written.

    EXIT STATUS: 0 the report was written (lines that cannot be read are counted in it) · 2 the
    policy, the staff file or the caseload could not be read, or not a single line of it

    EXAMPLE: fmpolicy report cases.jsonl --policy hannover --staff staff.json --format html --output bericht.html
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--policy", "--staff", "--format", "--output", "--as-of", "--jobs"],
                                 switchFlags: ["--help", "--jsonl", "--ignore-in-force"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard args.operands.count == 1 else {
            throw UsageError(args.operands.isEmpty ? "`report` needs a caseload file (or `-` for standard input)" : "`report` takes one caseload file, found \(args.operands.count)",
                             help: "fmpolicy report CASES.jsonl --policy NAME --staff STAFF.json")
        }
        guard let policyName = args.value("--policy") else {
            throw UsageError("`report` needs `--policy NAME|PATH`", help: "`fmpolicy policies` lists the available policies")
        }
        guard let staffPath = args.value("--staff") else {
            throw UsageError("`report` needs `--staff STAFF.json`", help: "the staff file gives the teams and each case manager's stellenanteil")
        }
        var options = CheckOptions()
        options.asOf = try args.asOf()
        options.ignoreInForce = args.has("--ignore-in-force")
        let format = args.value("--format") ?? "text"
        guard ["text", "json", "html"].contains(format) else { throw UsageError("`--format` is `text`, `json` or `html`, found `\(format)`") }
        let jobs = try args.jobs()
        let path = args.operands[0]

        guard let policy = PolicyLoading.load(policyName) else { return ExitCode.unusableInput }
        guard let staff = JSONLinesInput.readStaff(staffPath, policy) else { return ExitCode.unusableInput }
        guard let input = JSONLinesInput.open(path) else { return ExitCode.unusableInput }

        let builder = ReportBuilder(stream: CaseStream(policy: policy, options: options, countsCaseload: false, readsEveryField: true))
        let aggregate = ReportRunner(builder: builder, workers: max(1, jobs)).run(input: input)
        if aggregate.lines > 0, aggregate.cases == 0 {
            Terminal.error("cannot read caseload `\(path == "-" ? "<stdin>" : path)`: none of its \(aggregate.lines) lines is a case",
                           help: "`fmpolicy check \(path == "-" ? "- --jsonl" : path) --policy \(policyName)` names the problem of each line")
            return ExitCode.unusableInput
        }
        let report = Report(policy: policy, figures: builder.policyFigures, staff: staff, aggregate: aggregate)

        let outputPath = args.value("--output")
        let text: String
        switch format {
        case "json": text = ReportJSON.render(report)
        case "html": text = ReportHTML.render(report)
        default: text = ReportText.render(report, colored: (outputPath == nil || outputPath == "-") && Terminal.stdoutColored)
        }
        guard let output = BatchRunner.openOutput(outputPath) else { return ExitCode.unusableInput }
        output.handle.write(Data(text.utf8))
        guard output.finish() else { return ExitCode.unusableInput }
        let u = aggregate.unreadableLines
        Terminal.err("\(aggregate.lines) line\(aggregate.lines == 1 ? "" : "s"): \(aggregate.cases) case\(aggregate.cases == 1 ? "" : "s") in the report, "
                     + "\(u) line\(u == 1 ? "" : "s") could not be read\(u > 0 ? " (counted, not shown; `fmpolicy check` names them)" : "")\n")
        return ExitCode.ok
    }
}

/// Reads JSON Lines in blocks and hands the blocks to every core; each worker fills its own
/// partial aggregate, and the partials are merged (sums only), so the report is the same for
/// any number of workers. Memory holds a few blocks and the aggregates.
struct ReportRunner {
    let builder: ReportBuilder
    let workers: Int
    func run(input: FileHandle) -> ReportAggregate {
        let builder = self.builder
        let partials = JSONLinesInput.forEachBlock(of: input, workers: workers, accumulator: { Partial() }, process: { lines, partial in
            for (line, _) in lines { builder.add(line: line, to: &partial.aggregate, workspace: &partial.workspace) }
        }, collect: { _ in })
        return partials.dropFirst().reduce(into: partials[0].aggregate) { $0.merge($1.aggregate) }
    }

    /// A worker's figures, and what it reuses from case to case.
    private struct Partial: Sendable {
        var aggregate = ReportAggregate()
        var workspace = CaseStream.Workspace()
    }
}
