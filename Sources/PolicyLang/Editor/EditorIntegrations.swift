import Foundation

/// The analyses the editor shows besides parsing and checking, in one place, so the
/// language server needs no change when one is added.
public enum EditorDiagnostics {
    /// The phases a document's diagnostics are collected from: what `fmpolicy validate`
    /// reports, then what `fmpolicy lint` reports.
    public static let phases: [DiagnosticPhase] = DiagnosticPhase.standard + [.lint]
}

extension DiagnosticPhase {
    /// `fmpolicy lint`'s warnings, for a file without errors (as the command lints only
    /// such files). A base policy is linted together with the policies that extend it, so
    /// a definition used only by an extending policy is not reported as unused.
    public static let lint = DiagnosticPhase(name: "lint") { a in
        guard !a.parseDiagnostics.hasErrors, !a.checkDiagnostics.hasErrors, let schemaTree = a.schemaTree else { return [] }
        switch a.kind {
        case .policy:
            guard let policy = a.policy else { return [] }
            return Linter.run(LintSubject(tree: a.tree, policy: policy, layers: a.layers, schemaTree: schemaTree,
                                          extenders: a.checkedExtenders()))
        case .schema:
            return Linter.run(LintSubject(tree: a.tree, policy: nil, layers: [], schemaTree: schemaTree, extenders: a.checkedExtenders()))
        case .unknown:
            return []
        }
    }
}

extension DocumentAnalysis {
    /// The checked policies (on the search path, beside this file, or open) whose chain
    /// contains this document, or, for a schema, that read their cases with it; each read
    /// with this document's current text.
    func checkedExtenders() -> [CheckedPolicy] {
        var ws = workspace
        ws.open(path: file.path, text: file.text)
        let directory = (file.path as NSString).deletingLastPathComponent
        let me = LintPath.normalized(EditorWorkspace.absolute(file.path))
        let candidates: [PolicyLayer]
        switch kind {
        case .policy:
            guard let name = tree.header?.name.text else { return [] }
            candidates = ws.policiesExtending(name, near: directory)
        case .schema:
            candidates = ws.policyFiles(near: directory).filter { $0.tree.header?.kind == .policy }
        case .unknown:
            return []
        }
        return candidates.compactMap { layer -> CheckedPolicy? in
            let other = ws.analyze(path: layer.tree.file.path, text: layer.tree.file.text)
            guard let policy = other.policy else { return nil }
            let files = kind == .schema ? [policy.schema.file] : other.layers.map(\.tree.file)
            return files.contains { LintPath.normalized(EditorWorkspace.absolute($0.path)) == me } ? policy : nil
        }
    }
}

/// `textDocument/formatting`: the formatter of `fmpolicy fmt`.
public enum EditorFormatting {
    /// The document's text as `fmpolicy fmt` writes it, in the file's own keywords; nil when
    /// the file has syntax errors (it would not read back the same, so it is left alone).
    public static func format(_ analysis: DocumentAnalysis) -> String? {
        try? SourceFormatter().format(analysis.file).get()
    }
}
