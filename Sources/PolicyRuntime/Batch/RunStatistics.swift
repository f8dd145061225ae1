import PolicyLang

/// What a batch run found, for the summary on standard error. Sums only, so partial
/// statistics of parallel workers merge to the same result in any order.
public struct RunStatistics: Sendable {
    public var lines = 0
    public var cases = 0
    public var errorLines = 0
    /// Findings per severity, in `FindingSeverity.allCases` order.
    private var severityCounts = [0, 0, 0]
    /// Findings per rule id, in the order the ids were first seen. A policy has a dozen rules
    /// or so, and a finding's id is the very string of its rule, so a look along this list
    /// (equal storage compares at once) is cheaper than hashing the id for every finding.
    private var ruleCounts: [(rule: String, count: Int)] = []
    /// Caseload objects written, and case managers with cases but no staff entry.
    public var caseManagers = 0
    public var unknownCaseManagers = 0

    public init() {}

    public var bySeverity: [FindingSeverity: Int] {
        Dictionary(uniqueKeysWithValues: zip(FindingSeverity.allCases, severityCounts).filter { $0.1 > 0 })
    }

    public var byRule: [String: Int] {
        Dictionary(ruleCounts.filter { $0.count > 0 }.map { ($0.rule, $0.count) }, uniquingKeysWith: +)
    }

    private mutating func count(_ f: Finding) {
        severityCounts[f.severity.rank] += 1
        add(f.rule, 1)
    }

    /// The same for a case stream, which lists its rules first (`expect`) and then names the
    /// place of each rule it counts: no look along the list, and no comparing of two ids that
    /// differ (which costs more than comparing two that are the same string).
    mutating func count(rule: String, at position: Int, severity: FindingSeverity) {
        severityCounts[severity.rank] += 1
        if position < ruleCounts.count, ruleCounts[position].rule == rule {
            ruleCounts[position].count += 1
        } else {
            add(rule, 1)
        }
    }

    /// Lists `rules` with no findings yet, in this order, if no rule is listed so far.
    mutating func expect(_ rules: [String]) {
        if ruleCounts.isEmpty { ruleCounts = rules.map { ($0, 0) } }
    }

    private mutating func add(_ rule: String, _ n: Int) {
        for i in ruleCounts.indices where ruleCounts[i].rule == rule {
            ruleCounts[i].count += n
            return
        }
        ruleCounts.append((rule, n))
    }

    /// A caseload rule's finding: its rule is not among a case stream's (`expect`).
    mutating func count(caseloadRule rule: String, severity: FindingSeverity) {
        severityCounts[severity.rank] += 1
        add(rule, 1)
    }

    mutating func count(_ result: CaseResult) {
        cases += 1
        for f in result.findings { count(f) }
    }

    public mutating func merge(_ o: RunStatistics) {
        lines += o.lines
        cases += o.cases
        errorLines += o.errorLines
        caseManagers += o.caseManagers
        unknownCaseManagers += o.unknownCaseManagers
        for (i, n) in o.severityCounts.enumerated() { severityCounts[i] += n }
        for (rule, n) in o.ruleCounts { add(rule, n) }
    }

    public var summary: String {
        var out = "\(lines) lines: \(cases) cases checked, \(errorLines) line\(errorLines == 1 ? "" : "s") with errors\n"
        if caseManagers + unknownCaseManagers > 0 {
            out += "caseload: \(caseManagers) case manager\(caseManagers == 1 ? "" : "s") checked, \(unknownCaseManagers) not in the staff file\n"
        }
        out += "findings: " + FindingSeverity.allCases.map { "\(severityCounts[$0.rank]) \($0.rawValue)" }.joined(separator: ", ") + "\n"
        let byRule = byRule
        for rule in byRule.keys.sorted() { out += "  \(rule): \(byRule[rule]!)\n" }
        return out
    }
}
