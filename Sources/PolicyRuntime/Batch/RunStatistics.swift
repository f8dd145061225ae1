import PolicyLang

/// What a batch run found, for the summary on standard error. Sums only, so partial
/// statistics of parallel workers merge to the same result in any order.
public struct RunStatistics: Sendable {
    public var lines = 0
    public var cases = 0
    public var errorLines = 0
    public var bySeverity: [FindingSeverity: Int] = [:]
    public var byRule: [String: Int] = [:]
    /// Caseload objects written, and case managers with cases but no staff entry.
    public var caseManagers = 0
    public var unknownCaseManagers = 0

    public init() {}

    mutating func count(caseload findings: [Finding]) {
        caseManagers += 1
        for f in findings {
            bySeverity[f.severity, default: 0] += 1
            byRule[f.rule, default: 0] += 1
        }
    }

    mutating func count(_ result: CaseResult) {
        cases += 1
        for f in result.findings {
            bySeverity[f.severity, default: 0] += 1
            byRule[f.rule, default: 0] += 1
        }
    }

    public mutating func merge(_ o: RunStatistics) {
        lines += o.lines
        cases += o.cases
        errorLines += o.errorLines
        caseManagers += o.caseManagers
        unknownCaseManagers += o.unknownCaseManagers
        for (k, v) in o.bySeverity { bySeverity[k, default: 0] += v }
        for (k, v) in o.byRule { byRule[k, default: 0] += v }
    }

    public var summary: String {
        var out = "\(lines) lines: \(cases) cases checked, \(errorLines) line\(errorLines == 1 ? "" : "s") with errors\n"
        if caseManagers + unknownCaseManagers > 0 {
            out += "caseload: \(caseManagers) case manager\(caseManagers == 1 ? "" : "s") checked, \(unknownCaseManagers) not in the staff file\n"
        }
        out += "findings: " + FindingSeverity.allCases.map { "\(bySeverity[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ") + "\n"
        for rule in byRule.keys.sorted() { out += "  \(rule): \(byRule[rule]!)\n" }
        return out
    }
}

/// Per case manager, how many of their cases met each accumulator of each caseload rule.
public struct CaseloadTally: Sendable {
    /// case manager key → caseload rule (in policy order) → accumulator → count
    public var counts: [String: [[Int]]] = [:]
    public var cases: [String: Int] = [:]

    public init() {}

    public mutating func merge(_ o: CaseloadTally) {
        for (manager, rules) in o.counts {
            var mine = counts[manager] ?? rules.map { [Int](repeating: 0, count: $0.count) }
            for r in rules.indices { for a in rules[r].indices { mine[r][a] += rules[r][a] } }
            counts[manager] = mine
        }
        for (k, v) in o.cases { cases[k, default: 0] += v }
    }
}
