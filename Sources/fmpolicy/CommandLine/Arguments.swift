import Foundation
import PolicyLang

/// A usage mistake: exit 2 with the message and a pointer to `--help`.
struct UsageError: Error {
    let message: String
    let help: String?
    init(_ message: String, help: String? = nil) { self.message = message; self.help = help }
}

/// The words after the command name, split into flags and operands. Small on purpose:
/// flags are `--name value`, `--name=value` or a bare `--switch`; `-` is an operand (stdin).
struct Arguments {
    private(set) var operands: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// `valueFlags` take a value; `switchFlags` do not. Anything else is an unknown flag.
    init(_ words: [String], valueFlags: Set<String>, switchFlags: Set<String>) throws(UsageError) {
        var i = 0
        var onlyOperands = false
        while i < words.count {
            let word = words[i]
            i += 1
            if onlyOperands || word == "-" || !word.hasPrefix("-") { operands.append(word); continue }
            if word == "--" { onlyOperands = true; continue }
            var name = word, inline: String?
            if let eq = word.firstIndex(of: "=") { name = String(word[..<eq]); inline = String(word[word.index(after: eq)...]) }
            if valueFlags.contains(name) {
                if let inline { values[name] = inline; continue }
                guard i < words.count else { throw UsageError("`\(name)` needs a value") }
                values[name] = words[i]
                i += 1
            } else if switchFlags.contains(name), inline == nil {
                switches.insert(name)
            } else {
                throw UsageError("unknown option `\(name)`",
                                 help: Suggestions.help(for: name, among: (valueFlags.union(switchFlags)).sorted()))
            }
        }
    }

    func value(_ flag: String) -> String? { values[flag] }
    func has(_ flag: String) -> Bool { switches.contains(flag) }

    /// `--as-of DATE`, checked.
    func asOf() throws(UsageError) -> CalendarDate? {
        guard let text = values["--as-of"] else { return nil }
        guard let d = CalendarDate(iso: text) else {
            throw UsageError("`--as-of` needs a date YYYY-MM-DD: \(CalendarDate.problem(withISO: text) ?? "expected YYYY-MM-DD")")
        }
        return d
    }

    /// `--jobs N`, default every core.
    func jobs() throws(UsageError) -> Int {
        guard let text = values["--jobs"] else { return ProcessInfo.processInfo.activeProcessorCount }
        guard let n = Int(text), n >= 1, n <= 256 else { throw UsageError("`--jobs` needs a number from 1 to 256, found `\(text)`") }
        return n
    }
}
