import Foundation

/// Reads what `fmpolicy lint` needs for each file: the policy with its chain, or the
/// schema, and the policies known to extend it. A policy is known when it lies beside a
/// linted file, on the search path, or is linted itself. Each file is loaded once per run.
public struct LintLoader {
    /// A file ready to lint, or the diagnostics that keep it from being linted.
    public struct Target: Sendable {
        public let subject: LintSubject?
        /// Errors when `subject` is nil; otherwise the checker's warnings about the file.
        public let diagnostics: [Diagnostic]
    }

    public let library: PolicyLibrary
    private var loaded: [String: PolicyLibrary.Loaded] = [:]
    private var headers: [String: Header?] = [:]

    public init(library: PolicyLibrary) { self.library = library }

    /// The `.fm` files that may extend one of `paths`: `paths` themselves, the files beside
    /// them, and the files on the search path.
    public func candidates(for paths: [String]) -> [String] {
        var found = paths
        for directory in Set(paths.map { ($0 as NSString).deletingLastPathComponent }).sorted() {
            let dir = directory.isEmpty ? "." : directory
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            found += entries.filter { $0.hasSuffix(".fm") }.sorted().map { directory.isEmpty ? $0 : (directory as NSString).appendingPathComponent($0) }
        }
        found += library.availablePolicyFiles().map(\.path)
        var seen = Set<String>()
        return found.filter { seen.insert(LintPath.normalized($0)).inserted }
    }

    public mutating func target(_ path: String, candidates: [String]) -> Target {
        let source: SourceFile
        switch PolicyLibrary.readSource(path) {
        case .success(let s): source = s
        case .failure(let d): return Target(subject: nil, diagnostics: [d])
        }
        let parsed = Parser.parse(source)
        let me = LintPath.normalized(path)
        switch parsed.tree.header?.kind {
        case .policy?:
            let own = load(path)
            guard !own.hasErrors, let policy = own.policy, let schemaTree = own.schemaTree else {
                return Target(subject: nil, diagnostics: own.diagnostics)
            }
            let name = parsed.tree.header?.name.text ?? ""
            let extenders = candidates.filter { LintPath.normalized($0) != me && mayExtend($0, name, candidates) }.compactMap { c -> CheckedPolicy? in
                let l = load(c)
                guard let p = l.policy, !l.hasErrors, l.layers.contains(where: { LintPath.normalized($0.tree.file.path) == me }) else { return nil }
                return p
            }
            let subject = LintSubject(tree: own.layers.last?.tree ?? parsed.tree, policy: policy, layers: own.layers,
                                      schemaTree: schemaTree, extenders: extenders)
            return Target(subject: subject, diagnostics: own.diagnostics.filter { $0.file.map(subject.isLinted) ?? false })
        case .schema?:
            let diagnostics = (parsed.diagnostics + SchemaValidation.diagnostics(parsed.tree)).sortedByPosition()
            guard !diagnostics.hasErrors else { return Target(subject: nil, diagnostics: diagnostics) }
            let readers = candidates.filter { LintPath.normalized($0) != me && header($0)?.kind == .policy }.compactMap { c -> CheckedPolicy? in
                let l = load(c)
                guard let p = l.policy, !l.hasErrors, LintPath.normalized(p.schema.file.path) == me else { return nil }
                return p
            }
            return Target(subject: LintSubject(tree: parsed.tree, policy: nil, layers: [], schemaTree: parsed.tree, extenders: readers),
                          diagnostics: diagnostics)
        case nil:
            return Target(subject: nil, diagnostics: [Diagnostic(.error, "E0016", "`\(path)` is not a policy: a policy file starts with `policy NAME`",
                                                                 file: nil, span: .empty)])
        }
    }

    private mutating func load(_ path: String) -> PolicyLibrary.Loaded {
        let key = LintPath.normalized(path)
        if let l = loaded[key] { return l }
        let l = library.load(path: path)
        loaded[key] = l
        return l
    }

    private mutating func header(_ path: String) -> Header? {
        let key = LintPath.normalized(path)
        if let h = headers[key] { return h }
        var h: Header?
        if case .success(let source) = PolicyLibrary.readSource(path) { h = Parser.parse(source).tree.header }
        headers[key] = h
        return h
    }

    /// Whether following `extends` by name from `path` through the candidates can reach
    /// `name`; only such files are loaded to see whether they really extend the linted one.
    private mutating func mayExtend(_ path: String, _ name: String, _ candidates: [String]) -> Bool {
        var basesOf: [String: Set<String>] = [:]
        for c in candidates {
            if let h = header(c), h.kind == .policy, let base = h.extends { basesOf[h.name.text, default: []].insert(base.text) }
        }
        var pending = header(path)?.extends.map { [$0.text] } ?? []
        var seen = Set<String>()
        while let base = pending.popLast() {
            if base == name { return true }
            if seen.insert(base).inserted { pending += basesOf[base] ?? [] }
        }
        return false
    }
}
