import PolicyLang

/// One thing a rule found about a case, as the spec's output section describes it.
public struct Finding: Sendable, Equatable {
    public let rule: String
    public let severity: FindingSeverity
    public let message: String
    public let due: CalendarDate?
    public let source: String
}

/// The result of checking one case.
public struct CaseResult: Sendable {
    public let caseID: String
    public let policy: String
    public let stichtag: CalendarDate
    /// Ordered by severity (error first), then rule id.
    public let findings: [Finding]
    /// For `--explain`: per rule, how it was decided.
    public let explanations: [RuleExplanation]

    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}

/// Why a rule fired or did not, with the values that decided it.
public struct RuleExplanation: Sendable {
    public let rule: String
    public let fired: Bool
    public let lines: [String]
}
