import PolicyLang

/// Turns caseload lines into report figures. Each line is judged with the policy through
/// `CaseStream.judge(line:workspace:_:)` and leaves only counts behind, under its case
/// manager's key. Safe to share between threads: each worker fills its own `ReportAggregate`.
public struct ReportBuilder: Sendable {
    public let stream: CaseStream
    /// What the policy provides; a figure the policy has no basis for is shown as n/a.
    public let policyFigures: PolicyFigures
    private let slots: Slots

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

    /// Where the figures are read from, found by name once per run, so that each case is read
    /// by position: fields by slot, values by index, and only the rules counted are decided.
    private struct Slots: Sendable {
        /// The case's `fallmanagement` record; nil when the schema has no such record.
        let fallmanagement: Int?
        /// Fields of `fallmanagement`.
        let fallmanager, beginn, ende, clearingBeginn, beendigungsgrund: Int?
        /// The values of `beendigungsgrund`, when it is an enumeration.
        let endingReasons: [String]
        /// Values of the policy, by index.
        let inCare: Int?
        let contactMinimum: (oneYearInCare: Int, yearlyMinimumMet: Int)?
        /// Case rules, by their place among the stream's case rules.
        let reviewRule, contactRule: Int?

        init(stream: CaseStream) {
            let policy = stream.policy
            let root = policy.schema.root
            var fallmanagement: Int?, fields: RecordType?
            if let slot = root.fieldIndex["fallmanagement"], case .record(let type) = root.fields[slot].type.base {
                fallmanagement = slot
                fields = type
            }
            self.fallmanagement = fallmanagement
            fallmanager = fields?.fieldIndex["fallmanager"]
            beginn = fields?.fieldIndex["beginn"]
            ende = fields?.fieldIndex["ende"]
            clearingBeginn = fields?.fieldIndex["clearing_beginn"]
            beendigungsgrund = fields?.fieldIndex["beendigungsgrund"]
            if let fields, let beendigungsgrund, case .enumeration(let e) = fields.fields[beendigungsgrund].type.base {
                endingReasons = e.cases
            } else {
                endingReasons = []
            }
            func value(_ name: String) -> Int? { policy.values.firstIndex { $0.name == name } }
            inCare = value(Names.inCare)
            if let oneYear = value(Names.oneYearInCare), let met = value(Names.yearlyMinimumMet) {
                contactMinimum = (oneYear, met)
            } else {
                contactMinimum = nil
            }
            reviewRule = stream.caseRule(Names.reviewRule)
            contactRule = stream.caseRule(Names.contactRule)
        }

        func date(_ slot: Int?, of fm: RecordValue?) -> CalendarDate? {
            guard let slot, let fm, case .date(let d) = fm[slot] else { return nil }
            return d
        }
    }

    public init(stream: CaseStream) {
        self.stream = stream
        self.policyFigures = PolicyFigures(policy: stream.policy)
        self.slots = Slots(stream: stream)
    }

    /// One caseload line (without its line break): its figures go to its case manager, or the
    /// line is counted as unreadable. Nothing of the case itself is kept.
    public func add(line: UnsafeBufferPointer<UInt8>, to aggregate: inout ReportAggregate) {
        var workspace = CaseStream.Workspace()
        add(line: line, to: &aggregate, workspace: &workspace)
    }

    /// The same, with a worker's `workspace`, which keeps one evaluator for all its cases.
    public func add(line: UnsafeBufferPointer<UInt8>, to aggregate: inout ReportAggregate, workspace: inout CaseStream.Workspace) {
        aggregate.lines += 1
        var isBlank = true
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { isBlank = false; break }
        if isBlank { aggregate.unreadableLines += 1; return }
        let judged = stream.judge(line: line, workspace: &workspace) { decoded, evaluator in
            add(decoded.root, &evaluator, to: &aggregate)
        }
        if case .failure = judged { aggregate.unreadableLines += 1 }
    }

    /// One checked case.
    public func add(_ evaluation: inout CaseEvaluation, to aggregate: inout ReportAggregate) {
        add(evaluation.decoded.root, &evaluation.evaluator, to: &aggregate)
    }

    /// One case, `root`, that `ev` has been started on.
    private func add(_ root: RecordValue, _ ev: inout Evaluator, to aggregate: inout ReportAggregate) {
        aggregate.stichtage[ev.stichtag, default: 0] += 1
        var fm: RecordValue?
        if let slot = slots.fallmanagement, case .record(let r) = root[slot] { fm = r }
        if let fm, let slot = slots.fallmanager, case .string(let manager) = fm[slot] {
            count(fm, &ev, into: &aggregate.managers[manager, default: ReportFigures()])
        } else {
            count(fm, &ev, into: &aggregate.unassigned)
        }
    }

    private func count(_ fm: RecordValue?, _ ev: inout Evaluator, into f: inout ReportFigures) {
        let t = ev.stichtag
        f.cases += 1
        let beginn = slots.date(slots.beginn, of: fm), ende = slots.date(slots.ende, of: fm)
        let clearing = slots.date(slots.clearingBeginn, of: fm)

        let inCare: Bool
        if let i = slots.inCare {
            inCare = ev.value(i) == .bool(true)
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
            f.endings[endingReason(fm) ?? ReportFigures.noReason, default: 0] += 1
        }
        if let r = slots.reviewRule, isOverdue(r, &ev) { f.overdueReviews += 1 }
        if let r = slots.contactRule, isOverdue(r, &ev) { f.overdueContacts += 1 }
        if let c = slots.contactMinimum, ev.value(c.oneYearInCare) == .bool(true) {
            f.contactYearCases += 1
            if ev.value(c.yearlyMinimumMet) == .bool(true) { f.contactMinimumMet += 1 }
        }
    }

    /// The name of `fallmanagement.beendigungsgrund` (`hoechstdauer`); nil when there is none.
    private func endingReason(_ fm: RecordValue?) -> String? {
        guard let fm, let slot = slots.beendigungsgrund, case .enumCase(let i) = fm[slot], i < slots.endingReasons.count else { return nil }
        return slots.endingReasons[i]
    }

    /// Whether case rule `r` finds the case overdue: a finding with severity error or warning.
    private func isOverdue(_ r: Int, _ ev: inout Evaluator) -> Bool {
        switch stream.severity(ofCaseRule: r, &ev) {
        case .error?, .warning?: true
        case .info?, nil: false
        }
    }
}
