import Foundation

/// Where output goes, and whether it may be coloured: only on a terminal, never with NO_COLOR.
struct Terminal {
    static func colored(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
    static var stdoutColored: Bool { colored(STDOUT_FILENO) }
    static var stderrColored: Bool { colored(STDERR_FILENO) }

    static func out(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }
    static func err(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

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
