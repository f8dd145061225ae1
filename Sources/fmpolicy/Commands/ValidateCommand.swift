import PolicyLang

enum ValidateCommand {
    static let help = """
    Parse and check policy files; print every problem with its place in the file.

    USAGE: fmpolicy validate FILE.fm...

      A policy file is checked with everything it extends and with its schema.

    OPTIONS:
      --help   show this help

    EXIT STATUS: 0 no errors (warnings may be printed) · 1 at least one error · 2 usage error
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: [], switchFlags: ["--help"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard !args.operands.isEmpty else { throw UsageError("`validate` needs one or more `.fm` files") }
        let library = PolicySearchPath.library()
        let renderer = DiagnosticRenderer(colored: Terminal.stderrColored)
        var failed = false
        for path in args.operands {
            let diagnostics = validate(path, library)
            if !diagnostics.isEmpty { Terminal.err(renderer.render(diagnostics)) }
            if diagnostics.hasErrors {
                failed = true
                let n = diagnostics.filter(\.isError).count
                Terminal.out("\(path): \(n) error\(n == 1 ? "" : "s")\n")
            } else {
                Terminal.out("\(path): ok\n")
            }
        }
        return failed ? 1 : 0
    }

    /// A schema is built on its own; a policy is loaded with its chain.
    static func validate(_ path: String, _ library: PolicyLibrary) -> [Diagnostic] {
        switch PolicyLibrary.readSource(path) {
        case .failure(let d): return [d]
        case .success(let source):
            let parsed = Parser.parse(source)
            if parsed.tree.header?.kind == .schema {
                return (parsed.diagnostics + SchemaValidation.diagnostics(parsed.tree)).sortedByPosition()
            }
            return library.load(path: path).diagnostics
        }
    }
}
