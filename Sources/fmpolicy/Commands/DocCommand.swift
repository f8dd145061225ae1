import Foundation
import PolicyLang
import PolicyRuntime

/// `fmpolicy doc`: a policy as one self-contained HTML page, read beside its source text.
enum DocCommand {
    static let help = """
    Write a policy's literate documentation: one self-contained HTML page.

    USAGE: fmpolicy doc POLICY [--output FILE.html] [--compare NAME,NAME,...] [--no-compare]

      POLICY             a name (`hannover`, see `fmpolicy policies`) or a `.fm` file

      The page follows the policy file from top to bottom: the header (title, source document,
      in-force date, the policies it extends), then each rule as the file groups it, with the
      sentence of the source it encodes (the `#` lines above it), its citation, severities and
      outcomes, the rule as written, the parameters and definitions it uses with their values,
      and whether it is new or overrides, adopts or removes a rule of the baseline (with the
      baseline's version). Then every parameter (with the base value where it is overridden),
      every definition, and the jobcenters side by side (as docs/comparison.md).
      No scripts, no external files, no timestamp: the same policy gives the same bytes.

    OPTIONS:
      --output FILE      write there (via a temporary file, renamed when complete); default standard output
      --compare LIST     the policies of the comparison, comma-separated (default: every policy on the
                         search path that extends another, in the order of their source documents)
      --no-compare       leave the comparison out
      --help             show this help

    EXIT STATUS: 0 the page was written · 2 the policy could not be read, the output could not be
    written, or the command line was wrong

    EXAMPLE: fmpolicy doc hannover --output hannover.html
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: ["--output", "--compare"], switchFlags: ["--help", "--no-compare"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard args.operands.count == 1 else {
            throw UsageError(args.operands.isEmpty ? "`doc` needs a policy" : "`doc` takes one policy, found \(args.operands.count)",
                             help: "fmpolicy doc hannover --output hannover.html")
        }
        if args.has("--no-compare"), args.value("--compare") != nil { throw UsageError("`--compare` and `--no-compare` exclude each other") }
        let library = PolicySearchPath.library()
        guard let loaded = load(args.operands[0], library: library), let policy = loaded.policy else { return ExitCode.unusableInput }

        var comparison: PolicyComparison?
        if !args.has("--no-compare") {
            var policies: [CheckedPolicy] = []
            if let list = args.value("--compare") {
                let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !names.isEmpty else { throw UsageError("`--compare` needs policy names separated by commas", help: "--compare ilmkreis,hannover,berlin,kkm") }
                for name in names {
                    if name == policy.id || name == args.operands[0] { policies.append(policy); continue }
                    guard let other = load(name, library: library)?.policy else { return ExitCode.unusableInput }
                    policies.append(other)
                }
            } else {
                policies = jobcenterPolicies(library: library, documented: policy)
            }
            if !policies.isEmpty { comparison = PolicyComparison(policies) }
        }

        let html = PolicyDocumentation.html(policy: policy, layers: loaded.layers, schemaTree: loaded.schemaTree, comparison: comparison)
        guard let output = BatchRunner.openOutput(args.value("--output")) else { return ExitCode.unusableInput }
        output.handle.write(Data(html.utf8))
        guard output.finish() else { return ExitCode.unusableInput }
        return ExitCode.ok
    }

    static func load(_ nameOrPath: String, library: PolicyLibrary) -> PolicyLibrary.Loaded? {
        PolicyLoading.loaded(nameOrPath, library: library, otherwise: "no documentation was written")
    }

    /// The jobcenters' policies on the search path: every policy that extends another, in the
    /// order of their source documents (as docs/comparison.md). The documented policy stands
    /// for the policy of its name, so a policy given as a path is compared as it is.
    static func jobcenterPolicies(library: PolicyLibrary, documented: CheckedPolicy) -> [CheckedPolicy] {
        var found: [CheckedPolicy] = []
        for (name, _) in library.availablePolicyFiles() {
            if name == documented.id { continue }
            // Quietly: a file on the path that is not a usable policy (the schema) is no jobcenter.
            guard let p = library.load(name).policy, !p.bases.isEmpty else { continue }
            found.append(p)
        }
        if !documented.bases.isEmpty { found.append(documented) }
        return found.sorted { a, b in
            if a.document.isEmpty != b.document.isEmpty { return !a.document.isEmpty }
            return a.document != b.document ? a.document < b.document : a.id < b.id
        }
    }
}
