import PolicyLang

/// Findings → text, in the spec's JSON form or for a person. Deterministic: same result,
/// same bytes.
public enum FindingsWriter {
    /// One line of JSON, keys in the spec's order.
    public static func json(_ r: CaseResult) -> String {
        var out = "{\"case\":"
        JSONWriter.quote(r.caseID, into: &out)
        out += ",\"policy\":"
        JSONWriter.quote(r.policy, into: &out)
        out += ",\"stichtag\":\"\(r.stichtag)\",\"findings\":"
        appendFindings(r.findings, to: &out)
        return out + "}"
    }

    /// A caseload object: `{"fallmanager": …, "policy": …, "findings": […]}`.
    public static func caseloadJSON(manager: String, policy: String, findings: [Finding]) -> String {
        var out = "{\"fallmanager\":"
        JSONWriter.quote(manager, into: &out)
        out += ",\"policy\":"
        JSONWriter.quote(policy, into: &out)
        out += ",\"findings\":"
        appendFindings(findings, to: &out)
        return out + "}"
    }

    static func appendFindings(_ findings: [Finding], to out: inout String) {
        out += "["
        for (i, f) in findings.enumerated() {
            if i > 0 { out += "," }
            out += "{\"rule\":"
            JSONWriter.quote(f.rule, into: &out)
            out += ",\"severity\":\"\(f.severity.rawValue)\",\"message\":"
            JSONWriter.quote(f.message, into: &out)
            if let due = f.due { out += ",\"due\":\"\(due)\"" }
            out += ",\"source\":"
            JSONWriter.quote(f.source, into: &out)
            out += "}"
        }
        out += "]"
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
            var detail: [String] = []
            if let due = f.due { detail.append("fällig \(due)") }
            detail.append(f.source)
            out += "  (\(detail.joined(separator: "; ")))\n"
        }
        let counts = FindingSeverity.allCases.map { s in (s, r.findings.filter { $0.severity == s }.count) }
        out += "  " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ") + "\n"
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

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
