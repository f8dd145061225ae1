import Foundation

/// Finds `.fm` files by policy name and loads a policy with its `extends` chain and
/// schema. This is the only place PolicyLang touches the file system.
public struct PolicyLibrary: Sendable {
    /// Directories searched for `NAME.fm`, in order.
    public let searchPath: [String]

    public init(searchPath: [String]) { self.searchPath = searchPath }

    public struct Loaded: Sendable {
        public let policy: CheckedPolicy?
        public let diagnostics: [Diagnostic]
        public var hasErrors: Bool { policy == nil || diagnostics.hasErrors }
        /// The parsed files of the chain, root first, and the schema's, for analyses that
        /// work on the syntax (the linter); empty when reading stopped early.
        public var layers: [PolicyLayer] = []
        public var schemaTree: SyntaxTree?
    }

    /// The policies found on the search path (first occurrence of a name wins), sorted by name.
    public func availablePolicyFiles() -> [(name: String, path: String)] {
        var seen = Set<String>()
        var found: [(String, String)] = []
        for dir in searchPath {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for entry in entries.sorted() where entry.hasSuffix(".fm") {
                let name = String(entry.dropLast(3))
                if seen.insert(name).inserted { found.append((name, (dir as NSString).appendingPathComponent(entry))) }
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// A name (`ilmkreis`) or a path (`./mine.fm`, `policies/x.fm`).
    public static func isPath(_ s: String) -> Bool { s.contains("/") || s.hasSuffix(".fm") }

    func locate(_ name: String, near directory: String?) -> String? {
        let dirs = (directory.map { [$0] } ?? []) + searchPath
        for dir in dirs {
            let candidate = (dir as NSString).appendingPathComponent(name + ".fm")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue { return candidate }
        }
        return nil
    }

    /// Reads a `.fm` file, or says in one diagnostic why it cannot.
    public static func readSource(_ path: String) -> Result<SourceFile, Diagnostic> {
        switch read(path) {
        case .source(let source): return .success(source)
        case .unreadable(let diagnostic): return .failure(diagnostic)
        }
    }

    /// What `readSource` says, without `Result`: loading a policy is on the path of every
    /// check, and the first `Result<_, Diagnostic>` makes the runtime look up
    /// `Diagnostic: Error` among every conformance record of the binary (0.2 million
    /// instructions, more than checking the case).
    enum SourceRead {
        case source(SourceFile)
        case unreadable(Diagnostic)
    }

    static func read(_ path: String) -> SourceRead {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            return .unreadable(Diagnostic(.error, "E0010", "cannot read `\(path)`: no such file", file: nil, span: .empty))
        }
        if isDir.boolValue {
            return .unreadable(Diagnostic(.error, "E0011", "cannot read `\(path)`: it is a directory", file: nil, span: .empty))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unreadable(Diagnostic(.error, "E0012", "cannot read `\(path)`: permission denied or unreadable", file: nil, span: .empty))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .unreadable(Diagnostic(.error, "E0013", "cannot read `\(path)`: it is not UTF-8 text", file: nil, span: .empty,
                                          help: "save the file as UTF-8"))
        }
        // memchr, not `text.utf8.contains(0)`, which goes through the string's generic iterator.
        if data.withUnsafeBytes({ $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }) {
            return .unreadable(Diagnostic(.error, "E0014", "cannot read `\(path)`: it contains NUL bytes, so it is not a policy text", file: nil, span: .empty))
        }
        return .source(SourceFile(path: path, text: text))
    }

    /// Loads, parses and checks the policy `nameOrPath` with everything it extends.
    public func load(_ nameOrPath: String) -> Loaded {
        let path: String
        if PolicyLibrary.isPath(nameOrPath) {
            path = nameOrPath
        } else if let found = locate(nameOrPath, near: nil) {
            path = found
        } else {
            let names = availablePolicyFiles().map(\.name).filter { $0 != "case" }
            let help = Suggestions.help(for: nameOrPath, among: names)
                ?? (names.isEmpty ? "no policies found; set FMPOLICY_PATH to the directory of the `.fm` files" : "available: \(names.joined(separator: ", "))")
            return Loaded(policy: nil, diagnostics: [Diagnostic(.error, "E0015", "unknown policy `\(nameOrPath)`", file: nil, span: .empty, help: help)])
        }
        return load(path: path)
    }

    public func load(path: String) -> Loaded {
        var diagnostics: [Diagnostic] = []
        var layers: [PolicyLayer] = []
        var visited: [String] = []
        var currentPath = path
        var via: (SourceFile, Span)?
        // Walk up the extends chain; the root ends up first.
        while true {
            let source: SourceFile
            switch PolicyLibrary.read(currentPath) {
            case .source(let s): source = s
            case .unreadable(var d):
                if let (file, span) = via { d = Diagnostic(.error, d.code, d.message, file: file, span: span, help: d.help) }
                return Loaded(policy: nil, diagnostics: diagnostics + [d])
            }
            let parsed = Parser.parse(source)
            guard let header = parsed.tree.header, header.kind == .policy else {
                // Only this, and no line of the file: it may be a case, whose content is social data.
                let what = parsed.tree.header?.kind == .schema ? "a schema" : "not a policy"
                diagnostics.append(Diagnostic(.error, "E0016", "`\(currentPath)` is \(what): a policy file starts with `policy NAME`",
                                              file: nil, span: .empty))
                return Loaded(policy: nil, diagnostics: diagnostics)
            }
            diagnostics += parsed.diagnostics
            layers.insert(PolicyLayer(tree: parsed.tree), at: 0)
            visited.append(header.name.text)
            guard let base = header.extends else { break }
            if visited.contains(base.text) {
                diagnostics.append(Diagnostic(.error, "E0017", "policies extend each other in a circle: \((visited + [base.text]).joined(separator: " → "))",
                                              file: source, span: base.span))
                return Loaded(policy: nil, diagnostics: diagnostics)
            }
            let directory = (currentPath as NSString).deletingLastPathComponent
            guard let basePath = locate(base.text, near: directory) else {
                let names = availablePolicyFiles().map(\.name)
                diagnostics.append(Diagnostic(.error, "E0018", "`\(header.name.text)` extends `\(base.text)`, but there is no policy `\(base.text)`",
                                              file: source, span: base.span, help: Suggestions.help(for: base.text, among: names)))
                return Loaded(policy: nil, diagnostics: diagnostics)
            }
            currentPath = basePath
            via = (source, base.span)
        }
        // The schema is named by the root of the chain (default `case`).
        let rootHeader = layers[0].tree.header!
        let schemaName = rootHeader.schema?.text ?? "case"
        let rootDirectory = (layers[0].tree.file.path as NSString).deletingLastPathComponent
        guard let schemaPath = locate(schemaName, near: rootDirectory) else {
            diagnostics.append(Diagnostic(.error, "E0019", "cannot find the schema `\(schemaName).fm`", file: layers[0].tree.file,
                                          span: rootHeader.schema?.span ?? rootHeader.name.span,
                                          help: "put `\(schemaName).fm` beside the policy or on FMPOLICY_PATH"))
            return Loaded(policy: nil, diagnostics: diagnostics)
        }
        guard case .source(let schemaSource) = PolicyLibrary.read(schemaPath) else {
            diagnostics.append(Diagnostic(.error, "E0019", "cannot read the schema `\(schemaPath)`", file: nil, span: .empty))
            return Loaded(policy: nil, diagnostics: diagnostics)
        }
        let schemaParsed = Parser.parse(schemaSource)
        diagnostics += schemaParsed.diagnostics
        var builder = SchemaBuilder()
        let schema = builder.build(schemaParsed.tree)
        diagnostics += builder.diagnostics
        guard let schema, !diagnostics.hasErrors else {
            return Loaded(policy: nil, diagnostics: Self.unique(diagnostics))
        }
        let (policy, checkDiagnostics) = PolicyChecker.check(schema: schema, schemaTree: schemaParsed.tree, layers: layers)
        diagnostics += checkDiagnostics
        var loaded = Loaded(policy: diagnostics.hasErrors ? nil : policy, diagnostics: Self.unique(diagnostics))
        loaded.layers = layers
        loaded.schemaTree = schemaParsed.tree
        return loaded
    }

    /// Each diagnostic once, in file order, quoting keywords in its file's language.
    static func unique(_ ds: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return KeywordRespelling.respell(ds.filter { seen.insert($0).inserted }).sortedByPosition()
    }
}
