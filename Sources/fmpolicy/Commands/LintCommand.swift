import PolicyLang
import PolicyRuntime

enum LintCommand {
    static let help = """
    Look for likely mistakes that are not errors: unused declarations, overrides that change
    nothing, conditions that can never be true, citations of sections the document does not
    have, rules that repeat another rule.

    USAGE: fmpolicy lint [FILE.fm...] [--format text|json]

      FILE.fm    policy or schema files; without any, every `.fm` file that `fmpolicy policies`
                 finds. A file must first pass `fmpolicy validate`. Policies that extend a linted
                 file count as its users when they lie beside it or on the search path.

    LINTS:
    \(Linter.lints.map { "  \($0.code)   \($0.summary)" }.joined(separator: "\n"))
      docs/language.md, "The linter", explains each with an example.

    OPTIONS:
      --format text|json   text as the checker prints problems (default, on standard output), or
                           one JSON array of {file, line, column, endLine, endColumn, severity,
                           code, message, help}, sorted by file, line and column
      --help               show this help

    EXIT STATUS: 0 no warnings · 1 at least one warning · 2 a file cannot be read or has errors
    (they are shown; the other files are still linted) or a usage error
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--format"], switchFlags: ["--help"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        let format = args.value("--format") ?? "text"
        guard format == "text" || format == "json" else { throw UsageError("`--format` is `text` or `json`, found `\(format)`") }
        let library = PolicySearchPath.library()
        var paths = args.operands
        if paths.isEmpty {
            paths = library.availablePolicyFiles().map(\.path)
            guard !paths.isEmpty else { throw UsageError("no `.fm` files given, and none found", help: "set FMPOLICY_PATH to the directory of the `.fm` files") }
        }
        var loader = LintLoader(library: library)
        let candidates = loader.candidates(for: paths)
        var warnings: [Diagnostic] = [], errors: [Diagnostic] = []
        var unusable = 0
        for path in paths {
            let target = loader.target(path, candidates: candidates)
            guard let subject = target.subject else {
                unusable += 1
                errors += target.diagnostics
                continue
            }
            warnings += target.diagnostics + Linter.run(subject)
        }
        warnings = unique(warnings)
        errors = unique(errors)
        if format == "json" {
            Terminal.out(JSONWriter.pretty(.array((errors + warnings).sortedByPosition().map(json))) + "\n")
        } else {
            if !errors.isEmpty { Terminal.err(DiagnosticRenderer(colored: Terminal.stderrColored).render(errors)) }
            if !warnings.isEmpty { Terminal.out(DiagnosticRenderer(colored: Terminal.stdoutColored).render(warnings)) }
            let files = Set(warnings.compactMap { $0.file?.path }).count
            var summary = warnings.isEmpty ? "lint: no warnings" : "lint: \(count(warnings.count, "warning")) in \(count(files, "file"))"
            summary += " (\(count(paths.count - unusable, "file")) linted"
            summary += unusable > 0 ? ", \(unusable) not: see the errors above)" : ")"
            Terminal.out((warnings.isEmpty ? "" : "\n") + summary + "\n")
        }
        if unusable > 0 { return ExitCode.unusableInput }
        return warnings.isEmpty ? ExitCode.ok : ExitCode.findingErrors
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The same place and message once, also when two linted files share a base.
    static func unique(_ ds: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return ds.filter { d in
            seen.insert("\(d.file.map { LintPath.normalized($0.path) } ?? "")|\(d.span.start)|\(d.span.end)|\(d.code)|\(d.message)").inserted
        }.sortedByPosition()
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let file = d.file {
            let (line, column) = file.location(of: d.span.start)
            let (endLine, endColumn) = file.location(of: max(d.span.start, d.span.end))
            members = [("file", .string(file.path)), ("line", .number(String(line))), ("column", .number(String(column))),
                       ("endLine", .number(String(endLine))), ("endColumn", .number(String(endColumn)))]
        } else {
            members = [("file", .null), ("line", .null), ("column", .null), ("endLine", .null), ("endColumn", .null)]
        }
        members += [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message)),
                    ("help", d.help.map { .string($0) } ?? .null)]
        return .object(members)
    }
}
