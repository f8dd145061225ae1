import PolicyLang

/// How values read in messages and explanations: dates ISO (as the output wants),
/// durations in German ("2 Jahre"), enum values by name.
enum ValueFormatter {
    static func text(_ v: Value, _ type: PolicyType) -> String {
        switch v {
        case .absent: return "–"
        case .bool(let b): return b ? "ja" : "nein"
        case .integer(let n): return String(n)
        case .decimal(let d): return d.description
        case .string(let s): return s
        case .date(let d): return d.description
        case .duration(let d): return d.german
        case .enumCase(let i):
            if case .enumeration(let e) = type.base, i < e.cases.count { return e.cases[i] }
            return String(i)
        case .severity(let s): return s.rawValue
        case .record: return "(\(type.base))"
        case .list(let xs): return "\(xs.count) Einträge"
        case .set(let xs):
            let element: PolicyType = if case .set(let t) = type.base { t } else { .error }
            return "{" + xs.map { text($0, element) }.joined(separator: ", ") + "}"
        }
    }

    /// `text(v, type)` as UTF-8 bytes; dates and strings without making a `String` first
    /// (messages in a caseload's output are written this way).
    static func append(_ v: Value, _ type: PolicyType, to out: inout [UInt8]) {
        switch v {
        case .date(let d): FindingsWriter.appendDate(d, to: &out)
        case .string(let s): out.append(contentsOf: s.utf8)
        default: out.append(contentsOf: text(v, type).utf8)
        }
    }

    /// Explanations show unknown values as such, so "neither true nor false" is visible.
    static func explain(_ v: Value, _ type: PolicyType) -> String {
        switch v {
        case .absent: return type.base == .bool ? "unknown" : "absent"
        case .bool(let b): return b ? "true" : "false"
        case .duration(let d): return d.description
        default: return text(v, type)
        }
    }
}
