import Foundation
import PolicyLang

enum LspCommand {
    static let help = """
    A language server for `.fm` files (Language Server Protocol over standard input and
    output), for VS Code, Neovim, Emacs, Helix and other editors: diagnostics while you
    type, hover, go to definition, completion, the outline, formatting.

    USAGE: fmpolicy lsp

      Editors start this command themselves; see docs/editors.md for the configuration.
      `extends NAME` and the schema are found as `--policy NAME` finds them: beside the
      file, in FMPOLICY_PATH, ./policies (of the editor's working directory) and the
      policies shipped with fmpolicy. A base policy open in the editor is read from the
      editor, saved or not.

    OPTIONS:
      --stdio  accepted for editors that pass it; standard input and output are always used
      --help   show this help

    EXIT STATUS: 0 after `shutdown` and `exit` · 1 `exit` without `shutdown`, or the editor
    closed the connection · 2 usage error
    """

    static func run(_ words: [String]) throws(UsageError) -> Int32 {
        let args = try Arguments(words, valueFlags: [], switchFlags: ["--help", "--stdio"])
        if args.has("--help") { Terminal.out(help + "\n"); return ExitCode.ok }
        guard args.operands.isEmpty else { throw UsageError("`lsp` takes no operands, found `\(args.operands[0])`") }
        let server = LanguageServer(transport: MessageTransport(), searchPath: PolicySearchPath.library().searchPath,
                                    version: version)
        return onLargeStack { server.run() }
    }

    /// The checker and the syntax tree recurse once per operator of a chain like
    /// `1 + 1 + …`; a few thousand of them overflow the main thread's 8 MB stack. An editor
    /// session must survive whatever is typed, so the server runs on a thread with room
    /// for chains a hundred times as long.
    static let stackSize = 1 << 30

    static func onLargeStack(_ body: @escaping () -> Int32) -> Int32 {
        final class Outcome: @unchecked Sendable {
            var status: Int32 = 1
            let done = DispatchSemaphore(value: 0)
            let body: () -> Int32
            init(_ body: @escaping () -> Int32) { self.body = body }
        }
        let outcome = Outcome(body)
        let thread = Thread {
            outcome.status = outcome.body()
            outcome.done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        outcome.done.wait()
        return outcome.status
    }
}
