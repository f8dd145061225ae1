import PolicyLang

/// Turns caseload lines into report figures. Each line is checked with the policy through
/// `CaseStream.evaluate(line:)` and leaves only counts behind, under its case manager's key.
/// Safe to share between threads: each worker fills its own `ReportAggregate`.
public struct ReportBuilder: Sendable {
    public let stream: CaseStream
    /// What the policy provides; a figure the policy has no basis for is shown as n/a.
    public let policyFigures: PolicyFigures

    /// The names the report reads from the policy.
    public enum Names {
        public static let inCare = "in_betreuung"
        public static let oneYearInCare = "ein_jahr_in_betreuung"
        public static let yearlyMinimumMet = "jahresminimum_erfuellt"
        public static let reviewRule = "fortfuehrung.pruefung"
        public static let contactRule = "kontakt.intervall"
        /// The ratio parameters, in the order they are looked for.
        public static let ratioParameters = ["fallzahl", "betreuungsschluessel"]
        /// The ratio when the policy names none: 1:75, as the BA and every jobcenter instruction set it.
        public static let defaultRatio = 75
    }

    /// Which figures the policy can give, and the case ratio it sets.
    public struct PolicyFigures: Sendable, Equatable {
        /// The policy has the rule `fortfuehrung.pruefung`.
        public var reviews: Bool
        /// The policy has the rule `kontakt.intervall`.
        public var contacts: Bool
        /// The policy defines `ein_jahr_in_betreuung` and `jahresminimum_erfuellt` (KKM).
        public var contactMinimum: Bool
        /// Cases in care per full-time post.
        public var ratio: DecimalNumber
        /// The parameter the ratio was read from; nil when the default of 75 applies.
        public var ratioParameter: String?

        public init(policy: CheckedPolicy) {
            let ruleIDs = Set(policy.caseRules.map(\.id))
            let valueNames = Set(policy.values.map(\.name))
            reviews = ruleIDs.contains(Names.reviewRule)
            contacts = ruleIDs.contains(Names.contactRule)
            contactMinimum = valueNames.contains(Names.oneYearInCare) && valueNames.contains(Names.yearlyMinimumMet)
            ratio = DecimalNumber(Names.defaultRatio)
            ratioParameter = nil
            for name in Names.ratioParameters {
                guard let i = policy.values.firstIndex(where: { $0.name == name && $0.kind == .parameter }),
                      let value = Self.constant(policy.values[i].expression, policy, depth: 0) else { continue }
                ratio = value
                ratioParameter = name
                break
            }
        }

        /// A parameter's number: parameters are constant (the checker forbids case data in them),
        /// so literals, other parameters and arithmetic are all there is to fold.
        static func constant(_ e: CheckedExpr, _ policy: CheckedPolicy, depth: Int) -> DecimalNumber? {
            guard depth < 32 else { return nil }
            switch e.kind {
            case .constant(.integer(let n)): return DecimalNumber(n)
            case .constant(.decimal(let d)): return d
            case .value(let i) where policy.values[i].kind == .parameter:
                return constant(policy.values[i].expression, policy, depth: depth + 1)
            case .negate(let x): return constant(x, policy, depth: depth + 1)?.negated()
            case .arithmetic(let op, let a, let b):
                guard let x = constant(a, policy, depth: depth + 1), let y = constant(b, policy, depth: depth + 1) else { return nil }
                switch op {
                case .plus: return x.adding(y)
                case .minus: return x.adding(y.negated())
                case .times: return x.multiplied(by: y)
                }
            default: return nil
            }
        }
    }

    public init(stream: CaseStream) {
        self.stream = stream
        self.policyFigures = PolicyFigures(policy: stream.policy)
    }

    /// One caseload line (without its line break): its figures go to its case manager, or the
    /// line is counted as unreadable. Nothing of the case itself is kept.
    public func add(line: UnsafeBufferPointer<UInt8>, to aggregate: inout ReportAggregate) {
        aggregate.lines += 1
        var isBlank = true
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { isBlank = false; break }
        if isBlank { aggregate.unreadableLines += 1; return }
        switch stream.evaluate(line: line) {
        case .failure:
            aggregate.unreadableLines += 1
        case .success(var evaluation):
            add(&evaluation, to: &aggregate)
        }
    }

    /// One checked case.
    public func add(_ evaluation: inout CaseEvaluation, to aggregate: inout ReportAggregate) {
        aggregate.stichtage[evaluation.result.stichtag, default: 0] += 1
        if case .string(let manager) = evaluation.field(["fallmanagement", "fallmanager"]) {
            count(&evaluation, into: &aggregate.managers[manager, default: ReportFigures()])
        } else {
            count(&evaluation, into: &aggregate.unassigned)
        }
    }

    private func count(_ ev: inout CaseEvaluation, into f: inout ReportFigures) {
        let t = ev.result.stichtag
        f.cases += 1
        var beginn: CalendarDate?, ende: CalendarDate?, clearing: CalendarDate?
        if case .date(let d) = ev.field(["fallmanagement", "beginn"]) { beginn = d }
        if case .date(let d) = ev.field(["fallmanagement", "ende"]) { ende = d }
        if case .date(let d) = ev.field(["fallmanagement", "clearing_beginn"]) { clearing = d }

        let inCare: Bool
        if let v = ev.value(named: Names.inCare) {
            inCare = v == .bool(true)
        } else {
            // A policy without the baseline's definition: the spec's "in care".
            inCare = beginn.map { $0 <= t } == true && (ende.map { $0 > t } ?? true)
        }
        if inCare {
            f.inCare += 1
            if let beginn { f.durationBands[DurationBand.of(beginn: beginn, stichtag: t).rawValue] += 1 }
        } else if clearing != nil, ende.map({ $0 > t }) ?? true {
            f.inClearing += 1
        }
        if let ende, ende <= t {
            f.endings[ev.enumName(["fallmanagement", "beendigungsgrund"]) ?? ReportFigures.noReason, default: 0] += 1
        }
        for finding in ev.result.findings where finding.severity == .error || finding.severity == .warning {
            if finding.rule == Names.reviewRule { f.overdueReviews += 1 }
            if finding.rule == Names.contactRule { f.overdueContacts += 1 }
        }
        if policyFigures.contactMinimum, ev.value(named: Names.oneYearInCare) == .bool(true) {
            f.contactYearCases += 1
            if ev.value(named: Names.yearlyMinimumMet) == .bool(true) { f.contactMinimumMet += 1 }
        }
    }
}
