import Foundation
import PolicyLang

/// Lint goldens: in a folder named `Lint`, `<name>.fm` beside `<name>.expected.txt` holds
/// the warnings `fmpolicy lint <name>.fm` prints (or the errors that keep the file from being
/// linted), rendered as the checker renders its diagnostics; `no warnings` when there are none.
/// The file is linted on its own, so the policies beside it and on the search path are the
/// ones known to extend it.
extension GoldenSuite {
    /// Whether a `.fm` golden is a lint golden: it lies in a folder named `Lint`.
    public static func isLintGolden(_ path: String) -> Bool {
        (path as NSString).pathComponents.dropLast().contains("Lint")
    }

    /// What `fmpolicy lint PATH` shows for one file.
    public static func lintText(_ path: String, library: PolicyLibrary) -> String {
        var loader = LintLoader(library: library)
        let target = loader.target(path, candidates: loader.candidates(for: [path]))
        let diagnostics = target.subject.map { target.diagnostics + Linter.run($0) } ?? target.diagnostics
        return diagnostics.isEmpty ? "no warnings\n" : DiagnosticRenderer().render(diagnostics.sortedByPosition())
    }

    func runLint(_ path: String) -> Outcome {
        let expectedPath = String(path.dropLast(".fm".count)) + ".expected.txt"
        return compare(path, expectedPath: expectedPath, actual: Self.lintText(path, library: library)) { $0 }
    }
}
