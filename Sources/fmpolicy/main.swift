import Foundation
import PolicyLang

/// fmpolicy: checks jobcenter case-management cases against local instructions
/// written as policy files.
let version = "0.1.0"

let usage = """
fmpolicy \(version): check case-management cases against a jobcenter's policy

USAGE: fmpolicy COMMAND [options]

COMMANDS:
  check CASE.json --policy NAME   check a case; findings as text or JSON
  validate FILE.fm...             parse and check policy files, print every problem
  policies                        list the available policies
  test [DIR...] [--update]        run golden tests (cases and diagnostics)
  diff POLICY POLICY...           compare policies rule by rule
  fmt FILE.fm... [--check]        rewrite policy files in the canonical layout, comments kept;
                                  `--keywords de|en` converts them to German or English keywords
  lint [FILE.fm...]               likely mistakes that are not errors (unused names, impossible
                                  conditions, …); warnings with codes L001…
  report CASES.jsonl --policy NAME --staff STAFF.json
                                  monthly report: anonymised figures per case manager, team and
                                  jobcenter as text, JSON or HTML
  doc POLICY [--output FILE.html]
                                  the policy as one HTML page: each rule beside the source
                                  sentence it encodes, its parameters, the baseline, the jobcenters
  timeline CASE.json --policy NAME
                                  one case as an SVG timeline: episodes, reviews, contacts,
                                  deadlines and findings
  lsp                             a language server for editors (stdin/stdout): diagnostics,
                                  hover, definition, completion, outline (docs/editors.md)

OPTIONS:
  --help       this help; `fmpolicy COMMAND --help` for a command
  --version    the version

Policies are found in FMPOLICY_PATH, ./policies, and those shipped with fmpolicy.
Exit status: 0 ok · 1 a finding or problem of severity error (`lint`: a warning) · 2 input could not be read.
"""

func main(_ words: [String]) -> Int32 {
    guard let command = words.first else {
        Terminal.err(usage + "\n")
        return ExitCode.unusableInput
    }
    let rest = Array(words.dropFirst())
    do throws(UsageError) {
        switch command {
        case "check": return try CheckCommand.run(rest)
        case "validate": return try ValidateCommand.run(rest)
        case "policies": return try PoliciesCommand.run(rest)
        case "test": return try TestCommand.run(rest)
        case "diff": return try DiffCommand.run(rest)
        case "report": return try ReportCommand.run(rest)
        case "doc": return try DocCommand.run(rest)
        case "timeline": return try TimelineCommand.run(rest)
        case "lint": return try LintCommand.run(rest)
        case "lsp": return try LspCommand.run(rest)
        case "fmt": return try FmtCommand.run(rest)
        case "--help", "-h", "help": Terminal.out(usage + "\n"); return ExitCode.ok
        case "--version": Terminal.out("fmpolicy \(version)\n"); return ExitCode.ok
        default:
            throw UsageError("unknown command `\(command)`",
                             help: Suggestions.help(for: command, among: ["check", "validate", "policies", "test", "diff", "report", "lint", "doc", "timeline", "fmt", "lsp"]) ?? "`fmpolicy --help` lists the commands")
        }
    } catch {
        Terminal.error(error.message, help: error.help ?? "`fmpolicy \(command) --help` shows the usage")
        return ExitCode.unusableInput
    }
}

exit(main(Array(CommandLine.arguments.dropFirst())))
