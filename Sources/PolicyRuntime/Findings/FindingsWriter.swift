import PolicyLang

/// Findings → text, in the spec's JSON form or for a person. Deterministic: same result,
/// same bytes.
public enum FindingsWriter {
    /// One line of JSON, keys in the spec's order.
    public static func json(_ r: CaseResult) -> String {
        var bytes: [UInt8] = []
        appendJSON(r, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same line appended as bytes: the batch path writes millions of these.
    public static func appendJSON(_ r: CaseResult, to out: inout [UInt8]) {
        out.appendLiteral(#"{"case":"#)
        JSONWriter.quote(r.caseID, into: &out)
        out.appendLiteral(#","policy":"#)
        JSONWriter.quote(r.policy, into: &out)
        out.appendLiteral(#","stichtag":""#)
        appendDate(r.stichtag, to: &out)
        out.appendLiteral(#"","findings":["#)
        for (i, f) in r.findings.enumerated() {
            out.appendLiteral(i == 0 ? #"{"rule":"# : #",{"rule":"#)
            JSONWriter.quote(f.rule, into: &out)
            out.appendLiteral(#","severity":""#)
            switch f.severity {
            case .error: out.appendLiteral("error")
            case .warning: out.appendLiteral("warning")
            case .info: out.appendLiteral("info")
            }
            out.appendLiteral(#"","message":"#)
            JSONWriter.quote(f.message, into: &out)
            if let due = f.due {
                out.appendLiteral(#","due":""#)
                appendDate(due, to: &out)
                out.append(UInt8(ascii: "\""))
            }
            out.appendLiteral(#","source":"#)
            JSONWriter.quote(f.source, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.appendLiteral("]}")
    }

    /// YYYY-MM-DD without going through `String`; the same text as `CalendarDate.description`.
    static func appendDate(_ d: CalendarDate, to out: inout [UInt8]) {
        var text: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &text) { room in
            if d.writeISO(to: room.baseAddress!) {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: room[0..<10]))
            } else {
                out.append(contentsOf: d.description.utf8)
            }
        }
    }

    /// For a person: a heading, then one finding a line.
    public static func text(_ r: CaseResult, colored: Bool = false) -> String {
        func paint(_ s: String, _ code: String) -> String { colored ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = paint("Fall \(r.caseID)", "1") + " · Policy \(r.policy) · Stichtag \(r.stichtag)\n"
        if r.findings.isEmpty {
            out += "  keine Befunde\n"
        }
        let width = r.findings.map(\.rule.count).max() ?? 0
        for f in r.findings {
            let label = f.severity.rawValue.padding(7)
            let colour = f.severity == .error ? "1;31" : f.severity == .warning ? "1;33" : "1;36"
            out += "  \(paint(label, colour)) \(f.rule.padding(width))  \(f.message)"
            // Joined by hand: the first unspecialised `joined(separator:)` costs a fresh process a
            // scan of every conformance record (`[String]: Collection`), a twentieth of a check.
            out += "  ("
            if let due = f.due { out += "fällig \(due); " }
            out += "\(f.source))\n"
        }
        out += "  "
        for (i, severity) in FindingSeverity.allCases.enumerated() {
            if i > 0 { out += ", " }
            out += "\(r.findings.filter { $0.severity == severity }.count) \(severity.rawValue)"
        }
        out += "\n"
        return out
    }

    /// `--explain`: every rule, whether it fired, and the values that decided it.
    public static func explanation(_ r: CaseResult) -> String {
        var out = ""
        for e in r.explanations {
            out += "\(e.fired ? "●" : "○") \(e.rule): \(e.fired ? "fired" : "did not fire")\n"
            for line in e.lines { out += "    \(line)\n" }
        }
        return out
    }
}

extension Array where Element == UInt8 {
    /// A literal's bytes, copied at once rather than through `String.UTF8View`.
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
