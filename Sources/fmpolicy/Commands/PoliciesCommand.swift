import PolicyLang

enum PoliciesCommand {
    static let help = """
    List the policies that `--policy NAME` can name.

    USAGE: fmpolicy policies

      Looks in FMPOLICY_PATH (directories separated by `:`) if set, else in ./policies and
      the policies shipped with fmpolicy.
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: [], switchFlags: ["--help"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        let library = PolicySearchPath.library()
        var rows: [[String]] = [["ID", "IN FORCE", "EXTENDS", "TITLE"]]
        var problems = false
        for (name, path) in library.availablePolicyFiles() {
            guard case .success(let source) = PolicyLibrary.readSource(path) else { continue }
            guard Parser.parse(source).tree.header?.kind == .policy else { continue }
            let loaded = library.load(path: path)
            guard let p = loaded.policy else {
                rows.append([name, "", "", "(has errors: fmpolicy validate \(path))"])
                problems = true
                continue
            }
            rows.append([p.id, p.inForce?.description ?? "–", p.bases.first ?? "–", p.title])
            rows.append(["", "", "", "\(p.sourceDescription)\(p.document.isEmpty ? "" : " [\(p.document)]")"])
        }
        let widths = (0..<3).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            Terminal.out((0..<3).map { row[$0].padding(toLength: widths[$0]) }.joined(separator: "  ") + "  " + row[3] + "\n")
        }
        return problems ? 1 : 0
    }
}

extension String {
    func padding(toLength n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
