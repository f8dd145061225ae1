import PolicyLang

/// Which rules of a policy fired, and which branches of their conditions were taken, over
/// a set of checked cases: the golden cases of `fmpolicy test --coverage`.
///
/// The recorder is a separate, instrumented pass over the rules. It runs only when coverage
/// is asked for, after the ordinary check of a case and with that case's evaluator (whose
/// definitions are already computed), so checking without coverage does not change at all.
///
/// **Branch points** of a rule (its *points*), in the order they stand in the rule:
/// - `when`: the rule's guard, true / false / unknown;
/// - `outcome`: the `when` of a finding outcome (`error when …`), true / false / unknown;
/// - `deadline`: a deadline outcome: overdue / upcoming / met / missing (the date absent);
/// - `if`: the condition of an `if … then … else …` inside the rule's expressions (its
///   deadline dates, `due` dates, computed severities and conditions), true / false / unknown;
/// - `condition`: an atom of a condition: each operand of `and`, `or` and `not` that is not
///   itself an `and`, `or` or `not`, i.e. each comparison, `is` test, `in` test and boolean
///   name (a definition such as `in_betreuung` counts as one atom), true / false / unknown.
///
/// An outcome is possible only where it can happen by type: `unknown` only for a `bool?`,
/// `missing` only for a date that may be absent, `upcoming` only for a deadline with an
/// `upcoming` branch. What is possible by type may still be impossible for every case
/// (`fm.ende is absent or fm.ende > stichtag` is typed `bool?` but never unknown), so branch
/// coverage need not reach 100 %. Atoms are recorded only when they are evaluated: after a
/// false left side of `and` (a true one of `or`) the right side is not looked at, as in the
/// checker. Not counted: the insides of definitions, the `where` and `by` of list operations,
/// message holes, and the counts over `faelle` of caseload rules (their guard and outcomes are).
public final class CoverageRecorder: @unchecked Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case isTrue = "true", isFalse = "false", unknown, overdue, upcoming, met, missing
    }

    public struct Point: Sendable {
        public enum Kind: String, Sendable { case guardCondition = "when", outcome, deadline, ifCondition = "if", condition }
        public let kind: Kind
        /// The expression as written (for a deadline, its date).
        public let text: String
        /// `policies/ba.fm:41:8`
        public let location: String
        public let possible: [Outcome]
        public internal(set) var observed: Set<Outcome> = []
        public var missing: [Outcome] { possible.filter { !observed.contains($0) } }
    }

    public struct RuleCoverage: Sendable {
        public let id: String
        public let isCaseload: Bool
        /// Cases (for a caseload rule: case managers) the rule was evaluated for.
        public internal(set) var evaluations = 0
        /// How many of them gave a finding.
        public internal(set) var findings = 0
        public internal(set) var points: [Point]
        public var fired: Bool { findings > 0 }
        public var branchesTotal: Int { points.reduce(0) { $0 + $1.possible.count } }
        public var branchesCovered: Int { points.reduce(0) { $0 + $1.possible.filter($1.observed.contains).count } }
    }

    public struct PolicyCoverage: Sendable {
        public let id: String
        /// Cases checked with the policy, and caseload objects (case managers) evaluated.
        public internal(set) var cases = 0
        public internal(set) var caseManagers = 0
        /// In policy order.
        public internal(set) var rules: [RuleCoverage]
        public var rulesFired: Int { rules.filter(\.fired).count }
        public var branchesTotal: Int { rules.reduce(0) { $0 + $1.branchesTotal } }
        public var branchesCovered: Int { rules.reduce(0) { $0 + $1.branchesCovered } }
    }

    /// By policy id.
    public private(set) var policies: [String: PolicyCoverage] = [:]
    /// Rules the instrumented pass decided differently from the checker ("policy/rule/case");
    /// always empty unless the two have drifted apart.
    public private(set) var disagreements: [String] = []
    /// The branch points of each rule, per loaded policy object.
    private var layouts: [ObjectIdentifier: [RuleLayout]] = [:]

    public init() {}

    // MARK: recording

    /// Lists `policy` with all its rules, even before (or without) any case checked with it.
    public func add(_ policy: CheckedPolicy) { _ = layout(policy) }

    /// Checks one decoded case and records it; the result is the ordinary check's.
    public func check(_ decoded: DecodedCase, policy: CheckedPolicy, options: CheckOptions) -> CaseResult {
        let stichtag = options.asOf ?? decoded.stichtag ?? options.today
        decoded.applyStichtag(stichtag, schema: policy.schema)
        var evaluator = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
        let result = CaseChecker(policy: policy).check(decoded, evaluator: &evaluator, options: options)
        record(result, policy: policy, evaluator: &evaluator, horizon: options.horizonDays)
        return result
    }

    /// Records the case rules for a case that was just checked with `evaluator`.
    func record(_ result: CaseResult, policy: CheckedPolicy, evaluator: inout Evaluator, horizon: Int) {
        let layout = self.layout(policy)
        let fired = Set(result.findings.map(\.rule))
        var coverage = policies[policy.id]!
        coverage.cases += 1
        for (r, rule) in policy.rules.enumerated() where !rule.isCaseload {
            var walk = Walk(layout: layout[r], observed: coverage.rules[r].points.map(\.observed))
            let walked = walk.rule(rule, &evaluator, horizon: horizon)
            store(walk, fired: fired.contains(rule.id), walked: walked, rule: r, in: &coverage, caseName: result.caseID)
        }
        policies[policy.id] = coverage
    }

    /// Records the caseload rules for each staff member, with the counts of `tally`, as
    /// `CaseStream.caseloadLines` evaluates them.
    public func recordCaseload(policy: CheckedPolicy, staff: [RecordValue], tally: CaseloadTally, stichtag: CalendarDate, horizon: Int) {
        guard let staffType = policy.schema.records["Fallmanager"], let idSlot = staffType.fieldIndex["id"] else { return }
        let layout = self.layout(policy)
        let checker = CaseChecker(policy: policy)
        var coverage = policies[policy.id]!
        let caseloadRules = policy.rules.enumerated().filter { $0.element.isCaseload }
        for member in staff {
            guard case .string(let id) = member[idSlot] else { continue }
            coverage.caseManagers += 1
            let counts = tally.counts(of: id, shape: caseloadRules.map(\.element.accumulators.count))
            for (k, (r, rule)) in caseloadRules.enumerated() {
                var ev = Evaluator(policy: policy, root: RecordValue.empty, stichtag: stichtag)
                ev.staff = member
                ev.caseloadCounts = counts[k]
                var trace: [String]? = nil
                let fired = checker.evaluate(rule, &ev, horizon: horizon, trace: &trace) != nil
                var walk = Walk(layout: layout[r], observed: coverage.rules[r].points.map(\.observed))
                let walked = walk.rule(rule, &ev, horizon: horizon)
                store(walk, fired: fired, walked: walked, rule: r, in: &coverage, caseName: id)
            }
        }
        policies[policy.id] = coverage
    }

    private func store(_ walk: Walk, fired: Bool, walked: Bool, rule r: Int, in coverage: inout PolicyCoverage, caseName: String) {
        coverage.rules[r].evaluations += 1
        if fired { coverage.rules[r].findings += 1 }
        for (p, observed) in walk.observed.enumerated() { coverage.rules[r].points[p].observed = observed }
        if fired != walked { disagreements.append("\(coverage.id)/\(coverage.rules[r].id)/\(caseName)") }
    }

    /// The branch points of the policy's rules, built once per policy object; the first
    /// policy object of an id also lays out the stored coverage.
    private func layout(_ policy: CheckedPolicy) -> [RuleLayout] {
        if let known = layouts[ObjectIdentifier(policy)] { return known }
        let built = policy.rules.map(RuleLayout.init)
        layouts[ObjectIdentifier(policy)] = built
        if policies[policy.id] == nil {
            policies[policy.id] = PolicyCoverage(id: policy.id, rules: zip(policy.rules, built).map { rule, layout in
                RuleCoverage(id: rule.id, isCaseload: rule.isCaseload, points: layout.points)
            })
        }
        return built
    }
}

/// The branch points of one rule, and where its expressions hold them.
struct RuleLayout {
    var points: [CoverageRecorder.Point] = []
    /// Condition nodes (guards, outcome conditions, `if` conditions, atoms) → point.
    var byExpression: [ObjectIdentifier: Int] = [:]
    /// Outcome index → its deadline point.
    var deadlines: [Int: Int] = [:]
    /// Nodes with an `if` somewhere below them: only these are walked into.
    var leadsToIf: Set<ObjectIdentifier> = []

    init(_ rule: CheckedRule) {
        for e in rule.expressions { markIfs(e) }
        if let g = rule.guardCondition { addCondition(g, .guardCondition) }
        for (i, outcome) in rule.outcomes.enumerated() {
            switch outcome {
            case .finding(let severity, let condition, let due, _, _):
                if let condition { addCondition(condition, .outcome) }
                if let due { findIfs(due) }
                if case .computed(let e) = severity { findIfs(e) }
            case .deadline(let due, let overdue, let upcoming, let missing, _):
                var possible: [CoverageRecorder.Outcome] = [.overdue]
                if upcoming != nil { possible.append(.upcoming) }
                possible.append(.met)
                if due.type.isOptional { possible.append(.missing) }
                deadlines[i] = points.count
                points.append(point(.deadline, due, possible))
                findIfs(due)
                for branch in [overdue, upcoming, missing].compactMap({ $0 }) {
                    if case .computed(let e) = branch.severity { findIfs(e) }
                }
            }
        }
    }

    private func point(_ kind: CoverageRecorder.Point.Kind, _ e: CheckedExpr, _ possible: [CoverageRecorder.Outcome]) -> CoverageRecorder.Point {
        var location = "?"
        if let file = e.file {
            let (line, column) = file.location(of: e.span.start)
            location = "\(file.path):\(line):\(column)"
        }
        let text = e.sourceText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return .init(kind: kind, text: text, location: location, possible: possible)
    }

    private static func isConnective(_ e: CheckedExpr) -> Bool {
        switch e.kind {
        case .and, .or, .not: true
        default: false
        }
    }

    private static func children(_ e: CheckedExpr) -> [CheckedExpr] {
        switch e.kind {
        // Definitions and list operations are atoms: their insides are not walked.
        case .listOperation, .value, .caseValue: return []
        default:
            var children: [CheckedExpr] = []
            e.forEachChild { children.append($0) }
            return children
        }
    }

    /// Notes every node with an `if` at or below it; only these are walked into.
    @discardableResult
    private mutating func markIfs(_ e: CheckedExpr) -> Bool {
        var found = false
        if case .conditional = e.kind { found = true }
        for child in Self.children(e) where markIfs(child) { found = true }
        if found { leadsToIf.insert(ObjectIdentifier(e)) }
        return found
    }

    /// A condition: a point of its own, its atoms, and the `if`s inside them.
    private mutating func addCondition(_ e: CheckedExpr, _ kind: CoverageRecorder.Point.Kind) {
        guard byExpression[ObjectIdentifier(e)] == nil else { return }
        byExpression[ObjectIdentifier(e)] = points.count
        points.append(point(kind, e, Self.booleanOutcomes(e)))
        if Self.isConnective(e) { addAtoms(of: e) } else { findIfs(e) }
    }

    private static func booleanOutcomes(_ e: CheckedExpr) -> [CoverageRecorder.Outcome] {
        e.type.isOptional ? [.isTrue, .isFalse, .unknown] : [.isTrue, .isFalse]
    }

    private mutating func addAtoms(of e: CheckedExpr) {
        for child in Self.children(e) {
            if Self.isConnective(child) {
                addAtoms(of: child)
            } else if byExpression[ObjectIdentifier(child)] == nil {
                byExpression[ObjectIdentifier(child)] = points.count
                points.append(point(.condition, child, Self.booleanOutcomes(child)))
                findIfs(child)
            }
        }
    }

    /// The `if`s at or below `e`, each a condition point.
    private mutating func findIfs(_ e: CheckedExpr) {
        guard leadsToIf.contains(ObjectIdentifier(e)) else { return }
        if case .conditional(let c, let a, let b) = e.kind {
            addCondition(c, .ifCondition)
            findIfs(a)
            findIfs(b)
            return
        }
        for child in Self.children(e) { findIfs(child) }
    }
}

/// One instrumented evaluation of a rule: the checker's decisions, recording each point's outcome.
struct Walk {
    let layout: RuleLayout
    var observed: [Set<CoverageRecorder.Outcome>]

    /// Whether the rule gives a finding, decided as `CaseChecker.evaluate` decides it.
    mutating func rule(_ rule: CheckedRule, _ ev: inout Evaluator, horizon: Int) -> Bool {
        ev.due = nil
        if let g = rule.guardCondition, condition(g, &ev) != .bool(true) { return false }
        for (i, outcome) in rule.outcomes.enumerated() {
            switch outcome {
            case .finding(let severity, let c, let dueExpr, _, _):
                if let c, condition(c, &ev) != .bool(true) { continue }
                var due: CalendarDate?
                if let dueExpr, case .date(let d) = value(dueExpr, &ev) { due = d }
                ev.due = due
                return self.severity(severity, &ev)
            case .deadline(let dueExpr, let overdue, let upcoming, let missing, _):
                let point = layout.deadlines[i]!
                guard case .date(let due) = value(dueExpr, &ev) else {
                    observed[point].insert(.missing)
                    if let missing { return severity(missing.severity, &ev) }
                    continue
                }
                ev.due = due
                if ev.stichtag > due {
                    observed[point].insert(.overdue)
                    return severity(overdue.severity, &ev)
                }
                if let upcoming, due <= ev.stichtag.adding(days: horizon) {
                    observed[point].insert(.upcoming)
                    return severity(upcoming.severity, &ev)
                }
                observed[point].insert(.met)
                return false
            }
        }
        return false
    }

    private mutating func severity(_ s: CheckedSeverity, _ ev: inout Evaluator) -> Bool {
        guard case .computed(let e) = s else { return true }
        if case .severity = value(e, &ev) { return true }
        return false
    }

    /// A condition, evaluated as the evaluator does (Kleene logic, the right side only when
    /// the left does not decide), recording it and its atoms.
    private mutating func condition(_ e: CheckedExpr, _ ev: inout Evaluator) -> Value {
        let v: Value
        switch e.kind {
        case .and(let a, let b):
            let x = condition(a, &ev)
            if x == .bool(false) { v = .bool(false); break }
            let y = condition(b, &ev)
            v = y == .bool(false) ? .bool(false) : (x == .bool(true) && y == .bool(true) ? .bool(true) : .absent)
        case .or(let a, let b):
            let x = condition(a, &ev)
            if x == .bool(true) { v = .bool(true); break }
            let y = condition(b, &ev)
            v = y == .bool(true) ? .bool(true) : (x == .bool(false) && y == .bool(false) ? .bool(false) : .absent)
        case .not(let a):
            if case .bool(let b) = condition(a, &ev) { v = .bool(!b) } else { v = .absent }
        default:
            v = value(e, &ev)
        }
        if let p = layout.byExpression[ObjectIdentifier(e)] {
            switch v {
            case .bool(true): observed[p].insert(.isTrue)
            case .bool(false): observed[p].insert(.isFalse)
            default: observed[p].insert(.unknown)
            }
        }
        return v
    }

    /// A value; walked into only where an `if` lies below, to record the `if`'s condition and
    /// the branch taken.
    private mutating func value(_ e: CheckedExpr, _ ev: inout Evaluator) -> Value {
        guard layout.leadsToIf.contains(ObjectIdentifier(e)) else { return ev.evaluate(e) }
        switch e.kind {
        case .conditional(let c, let a, let b):
            switch condition(c, &ev) {
            case .bool(true): return value(a, &ev)
            case .bool(false): return value(b, &ev)
            default: return .absent
            }
        case .otherwise(let a, let b):
            let x = value(a, &ev)
            return x.isAbsent ? value(b, &ev) : x
        case .and, .or, .not:
            return condition(e, &ev)
        default:
            var children: [CheckedExpr] = []
            e.forEachChild { children.append($0) }
            for child in children where layout.leadsToIf.contains(ObjectIdentifier(child)) { _ = value(child, &ev) }
            return ev.evaluate(e)
        }
    }
}
