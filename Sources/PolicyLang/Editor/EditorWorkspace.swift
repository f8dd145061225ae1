import Foundation

/// The `.fm` texts an editor session sees: the buffers the editor has open (saved or not)
/// in front of the files on disk. A policy's `extends` chain and its schema are found the
/// way the command line finds them (beside the file, then on the search path), but an open
/// buffer of a file wins over the file's saved content.
public struct EditorWorkspace: Sendable {
    /// Directories searched for `NAME.fm`, in order (as `PolicyLibrary.searchPath`).
    public let searchPath: [String]
    /// Open buffers by absolute path.
    public private(set) var openDocuments: [String: String] = [:]

    public init(searchPath: [String]) {
        self.searchPath = searchPath.map(EditorWorkspace.absolute)
    }

    public mutating func open(path: String, text: String) { openDocuments[Self.key(path)] = text }
    public mutating func close(path: String) { openDocuments.removeValue(forKey: Self.key(path)) }
    public func openText(path: String) -> String? { openDocuments[Self.key(path)] }

    /// An absolute, standardised path (relative ones are taken from the working directory).
    public static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Buffers are matched by the real path, so `policies/ba.fm` (a link) and the file it
    /// points at are one document.
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: absolute(path)).resolvingSymlinksInPath().path
    }

    /// The text of a file: its open buffer if there is one, else the file on disk.
    public func read(_ path: String) -> Result<SourceFile, Diagnostic> {
        if let text = openDocuments[Self.key(path)] { return .success(SourceFile(path: path, text: text)) }
        return PolicyLibrary.readSource(path)
    }

    /// `NAME.fm` beside `directory`, then on the search path. An open buffer of that name
    /// counts even if it has never been saved.
    public func locate(_ name: String, near directory: String?) -> String? {
        let dirs = (directory.map { [Self.absolute($0)] } ?? []) + searchPath
        for dir in dirs {
            let candidate = (dir as NSString).appendingPathComponent(name + ".fm")
            if openDocuments[Self.key(candidate)] != nil { return candidate }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue { return candidate }
        }
        return openDocuments.keys.sorted().first { ($0 as NSString).lastPathComponent == name + ".fm" }
    }

    /// Parses, loads the `extends` chain and the schema of, and checks the document `path`
    /// whose current text is `text`. Never fails: what cannot be loaded becomes a diagnostic
    /// and the rest of the analysis is as complete as the text allows.
    public func analyze(path: String, text: String) -> DocumentAnalysis {
        EditorLoader(workspace: self).load(SourceFile(path: path, text: text))
    }

    /// The `.fm` files beside `directory`, on the search path and open in the editor, parsed;
    /// the first file of each name wins, as when a policy is looked up by name.
    public func policyFiles(near directory: String?) -> [PolicyLayer] {
        var dirs = searchPath
        if let directory { dirs.insert(Self.absolute(directory), at: 0) }
        var paths: [String] = []
        var seenNames = Set<String>()
        for dir in dirs {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for entry in entries.sorted() where entry.hasSuffix(".fm") && seenNames.insert(entry).inserted {
                paths.append((dir as NSString).appendingPathComponent(entry))
            }
        }
        for path in openDocuments.keys.sorted() where path.hasSuffix(".fm") && seenNames.insert((path as NSString).lastPathComponent).inserted {
            paths.append(path)
        }
        var seenHeaders = Set<String>()
        return paths.compactMap { path in
            guard case .success(let source) = read(path) else { return nil }
            let tree = Parser.parse(source).tree
            guard let header = tree.header, seenHeaders.insert(header.name.text).inserted else { return nil }
            return PolicyLayer(tree: tree)
        }
    }

    /// The policies (beside `directory`, on the search path, or open) whose `extends` chain
    /// reaches the policy `name`, nearest first; for "overridden in …" on hover and for lints.
    public func policiesExtending(_ name: String, near directory: String?) -> [PolicyLayer] {
        var trees: [String: SyntaxTree] = [:]
        for layer in policyFiles(near: directory) where layer.tree.header?.kind == .policy { trees[layer.id] = layer.tree }
        var result: [(depth: Int, layer: PolicyLayer)] = []
        for (id, tree) in trees where id != name {
            // Walk up from `id`; a circle or a gap ends the walk.
            var depth = 0, current = tree, visited: Set<String> = [id]
            while let base = current.header?.extends?.text, !visited.contains(base) {
                depth += 1
                if base == name { result.append((depth, PolicyLayer(tree: tree))); break }
                guard let next = trees[base] else { break }
                visited.insert(base)
                current = next
            }
        }
        return result.sorted { ($0.depth, $0.layer.id) < ($1.depth, $1.layer.id) }.map(\.layer)
    }
}

/// Loads one document the way `PolicyLibrary.load(path:)` does, from the workspace's texts,
/// and keeps whatever it could load when something is missing or broken.
struct EditorLoader {
    let workspace: EditorWorkspace

    func load(_ file: SourceFile) -> DocumentAnalysis {
        let parsed = Parser.parse(file)
        var parseDiagnostics = parsed.diagnostics
        var checkDiagnostics: [Diagnostic] = []
        let directory = (file.path as NSString).deletingLastPathComponent

        if parsed.tree.header?.kind == .schema {
            var builder = SchemaBuilder()
            let schema = builder.build(parsed.tree)
            checkDiagnostics = SchemaValidation.diagnostics(parsed.tree)
            return DocumentAnalysis(workspace: workspace, file: file, tree: parsed.tree, layers: [], schemaTree: parsed.tree,
                                    schema: schema, policy: nil, parseDiagnostics: parseDiagnostics, checkDiagnostics: checkDiagnostics)
        }

        var layers = [PolicyLayer(tree: parsed.tree)]
        var chainComplete = parsed.tree.header != nil
        if parsed.tree.header == nil {
            parseDiagnostics.append(Diagnostic(.error, "E0016", "a policy file starts with `policy NAME`", file: file, span: Span(0, 0)))
        }
        // Walk up the extends chain; the root ends up first.
        var visited = [parsed.tree.header?.name.text ?? ""]
        var current = parsed.tree
        chain: while let base = current.header?.extends {
            let here = current.file
            if visited.contains(base.text) {
                parseDiagnostics.append(Diagnostic(.error, "E0017", "policies extend each other in a circle: \((visited + [base.text]).joined(separator: " → "))",
                                                   file: here, span: base.span))
                chainComplete = false
                break
            }
            let near = (here.path as NSString).deletingLastPathComponent
            guard let basePath = workspace.locate(base.text, near: near) else {
                parseDiagnostics.append(Diagnostic(.error, "E0018", "`\(current.header!.name.text)` extends `\(base.text)`, but there is no policy `\(base.text)`",
                                                   file: here, span: base.span, help: "put `\(base.text).fm` beside this file or on FMPOLICY_PATH"))
                chainComplete = false
                break
            }
            let source: SourceFile
            switch workspace.read(basePath) {
            case .success(let s): source = s
            case .failure(let d):
                parseDiagnostics.append(Diagnostic(.error, d.code, d.message, file: here, span: base.span, help: d.help))
                chainComplete = false
                break chain
            }
            let baseParsed = Parser.parse(source)
            guard let header = baseParsed.tree.header, header.kind == .policy else {
                parseDiagnostics.append(Diagnostic(.error, "E0016", "`\(basePath)` is \(baseParsed.tree.header?.kind == .schema ? "a schema" : "not a policy"): a policy file starts with `policy NAME`",
                                                   file: here, span: base.span))
                chainComplete = false
                break
            }
            parseDiagnostics += baseParsed.diagnostics
            layers.insert(PolicyLayer(tree: baseParsed.tree), at: 0)
            visited.append(header.name.text)
            current = baseParsed.tree
        }

        // The schema is named by the root of the chain (default `case`).
        let rootTree = layers[0].tree
        let schemaName = rootTree.header?.schema?.text ?? "case"
        let rootDirectory = rootTree.file === file ? directory : (rootTree.file.path as NSString).deletingLastPathComponent
        var schemaTree: SyntaxTree?
        var schema: CaseSchema?
        if let schemaPath = workspace.locate(schemaName, near: rootDirectory), case .success(let schemaSource) = workspace.read(schemaPath) {
            let schemaParsed = Parser.parse(schemaSource)
            parseDiagnostics += schemaParsed.diagnostics
            var builder = SchemaBuilder()
            schema = builder.build(schemaParsed.tree)
            parseDiagnostics += builder.diagnostics
            schemaTree = schemaParsed.tree
        } else {
            let header = rootTree.header
            parseDiagnostics.append(Diagnostic(.error, "E0019", "cannot find the schema `\(schemaName).fm`", file: rootTree.file,
                                               span: header?.schema?.span ?? header?.name.span ?? .empty,
                                               help: "put `\(schemaName).fm` beside the policy or on FMPOLICY_PATH"))
        }

        var policy: CheckedPolicy?
        if chainComplete, let schema, let schemaTree, !parseDiagnostics.hasErrors {
            let (checked, diagnostics) = PolicyChecker.check(schema: schema, schemaTree: schemaTree, layers: layers)
            policy = checked
            checkDiagnostics = diagnostics
        }
        return DocumentAnalysis(workspace: workspace, file: file, tree: parsed.tree, layers: layers, schemaTree: schemaTree,
                                schema: schema, policy: policy, parseDiagnostics: PolicyLibrary.unique(parseDiagnostics),
                                checkDiagnostics: PolicyLibrary.unique(checkDiagnostics))
    }
}
