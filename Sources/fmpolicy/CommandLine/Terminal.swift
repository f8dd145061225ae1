import Foundation

/// Where output goes, and whether it may be coloured: only on a terminal, never with NO_COLOR.
struct Terminal {
    static func colored(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && Environment.value("NO_COLOR") == nil
    }
    static var stdoutColored: Bool { colored(STDOUT_FILENO) }
    static var stderrColored: Bool { colored(STDERR_FILENO) }

    static func out(_ s: String) { write(s, to: .standardOutput) }
    static func err(_ s: String) { write(s, to: .standardError) }

    /// The bytes are handed over as a buffer: `Data(s.utf8)` asks the runtime whether a
    /// string's UTF-8 view is `ContiguousBytes`, a search through every conformance record
    /// of the binary on the first call (0.3 million instructions, more than checking a case).
    private static func write(_ s: String, to handle: FileHandle) {
        var s = s
        s.withUTF8 { handle.write(Data(buffer: $0)) }
    }

    /// `fmpolicy: error: …` on standard error, with an optional help line.
    static func error(_ message: String, help: String? = nil) {
        let c = stderrColored
        var s = (c ? "\u{1B}[1;31merror\u{1B}[0m" : "error") + ": \(message)\n"
        if let help { s += (c ? "\u{1B}[1;32mhelp\u{1B}[0m" : "help") + ": \(help)\n" }
        err(s)
    }
}

/// Exit statuses, as the spec fixes them.
enum ExitCode {
    static let ok: Int32 = 0
    static let findingErrors: Int32 = 1
    static let unusableInput: Int32 = 2
}
