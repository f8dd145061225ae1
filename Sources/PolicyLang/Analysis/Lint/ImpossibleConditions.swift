/// L003: a condition that can never be true, whatever the case.
///
/// Every `and` chain (and every condition on its own) of the linted file's rules and
/// definitions is split into conjuncts. Each conjunct that compares a value with constants
/// written in the condition, or tests it with `is absent`/`is present`/`is true`/`is false`,
/// becomes a demand on that value (`Demand`); `DemandSolver` decides whether the demands on
/// one value can hold together, knowing the schema's enums, which fields are required, and
/// that counts and ages are never negative. A condition is reported when:
/// - one conjunct can never hold (`count kontakte < 0`, `person.geburtsdatum is absent`,
///   `x in {}`, `x in 5 .. 3`),
/// - two conjuncts on the same value exclude each other (`x = a and x = b`, `x = a and
///   x != a`, `x is absent and x = a`, `n > 3 and n < 4` for a whole number), or
/// - all conjuncts on one value together exclude every value.
/// A rule's `when` and an outcome's `when` are a conjunction too: an outcome whose
/// condition contradicts the rule's guard never applies.
enum ImpossibleConditions {
    static let code = "L003"

    static func check(_ subject: LintSubject) -> [Diagnostic] {
        // A schema's definitions are checked inside a policy that uses the schema.
        guard let view = subject.policy ?? subject.extenders.first else { return [] }
        var reporter = Reporter(subject: subject)
        for value in view.values where subject.isLinted(value.file) {
            reporter.keys = ExpressionKey(view)
            reporter.visit(value.expression)
        }
        for rule in view.rules where subject.isLinted(rule.file) {
            reporter.keys = ExpressionKey(rule: rule, in: view)
            rule.expressions.forEach { reporter.visit($0) }
            reporter.checkOutcomes(of: rule)
        }
        return reporter.out
    }

    struct Reporter {
        let subject: LintSubject
        var keys: ExpressionKey?
        var out: [Diagnostic] = []

        init(subject: LintSubject) { self.subject = subject }

        mutating func visit(_ e: CheckedExpr) {
            let conjuncts = Self.conjuncts(e)
            report(conjuncts, in: e)
            for c in conjuncts { c.forEachChild { visit($0) } }
        }

        static func conjuncts(_ e: CheckedExpr) -> [CheckedExpr] {
            if case .and(let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
            return [e]
        }

        func demands(_ conjuncts: [CheckedExpr]) -> [Demand] {
            guard let keys else { return [] }
            return conjuncts.flatMap { Demand.of($0, keys: keys) }
        }

        /// The first contradiction among `conjuncts`, reported at `whole`.
        mutating func report(_ conjuncts: [CheckedExpr], in whole: CheckedExpr) {
            let all = demands(conjuncts)
            var subjects: [String] = []
            for d in all where !subjects.contains(d.subject) { subjects.append(d.subject) }
            for s in subjects {
                let mine = all.filter { $0.subject == s }
                let facts = ValueFacts(mine[0].subjectExpr)
                if let single = mine.first(where: { !DemandSolver.canHold([$0], facts: facts) }) {
                    add(single.source.span, "`\(Linter.quote(single.source.sourceText))` is never true", help: Self.why(single, facts))
                    return
                }
                for (i, a) in mine.enumerated() {
                    for b in mine[(i + 1)...] where !DemandSolver.canHold([a, b], facts: facts) {
                        add(a.source.span.through(b.source.span),
                            "`\(Linter.quote(a.source.sourceText, limit: 40))` and `\(Linter.quote(b.source.sourceText, limit: 40))` are never both true",
                            help: Self.why(a, b))
                        return
                    }
                }
                if !DemandSolver.canHold(mine, facts: facts) {
                    add(whole.span, "this condition is never true",
                        help: "its tests of `\(Linter.quote(mine[0].subjectExpr.sourceText))` together exclude every value")
                    return
                }
            }
        }

        /// An outcome whose `when` contradicts the rule's `when` never applies.
        mutating func checkOutcomes(of rule: CheckedRule) {
            guard let guardCondition = rule.guardCondition else { return }
            let guardDemands = demands(Self.conjuncts(guardCondition))
            for outcome in rule.outcomes {
                guard case .finding(_, let condition?, _, _, _) = outcome else { continue }
                let own = demands(Self.conjuncts(condition))
                search: for b in own {
                    for a in guardDemands where a.subject == b.subject {
                        let facts = ValueFacts(a.subjectExpr)
                        guard DemandSolver.canHold([a], facts: facts), DemandSolver.canHold([b], facts: facts),
                              !DemandSolver.canHold([a, b], facts: facts) else { continue }
                        add(condition.span,
                            "this outcome never applies: `\(Linter.quote(b.source.sourceText, limit: 40))` contradicts the rule's `when` (`\(Linter.quote(a.source.sourceText, limit: 40))`)",
                            help: Self.why(a, b))
                        break search
                    }
                }
            }
        }

        mutating func add(_ span: Span, _ message: String, help: String) {
            out.append(Diagnostic(.warning, ImpossibleConditions.code, message, file: subject.file, span: span, help: help))
        }

        /// Why one demand cannot hold.
        static func why(_ d: Demand, _ facts: ValueFacts) -> String {
            let name = "`\(Linter.quote(d.subjectExpr.sourceText, limit: 40))`"
            switch d.kind {
            case .absent: return "\(name) always has a value (\(facts.reason ?? "it is never absent"))"
            case .member(let vs) where vs.isEmpty:
                if case .member = d.source.kind { return "the set is empty" }
                return "no value of \(name) passes this test"
            case .range: return "the range is empty: it ends before it starts"
            default:
                if facts.nonNegative { return "\(name) is never negative (\(facts.reason ?? "a count"))" }
                return "no value of \(name) passes this test"
            }
        }

        /// Why two demands on one value cannot both hold.
        static func why(_ a: Demand, _ b: Demand) -> String {
            let name = "`\(Linter.quote(a.subjectExpr.sourceText, limit: 40))`"
            if !a.needsValue || !b.needsValue {
                return "a test of an absent value is unknown, never true: \(name) cannot be absent and have a value at once"
            }
            if case .compare(.equal, let x) = a.kind, case .compare(.equal, let y) = b.kind {
                let type = a.subjectExpr.type
                return "\(name) has one value at a time; it cannot be `\(ExpressionKey.display(x, type))` and `\(ExpressionKey.display(y, type))` at once"
            }
            return "no value of \(name) passes both tests"
        }
    }
}

extension ExpressionKey {
    /// A constant as an author writes it: `einzelfall`, `3`, `2025-01-01`, `true`.
    static func display(_ v: Value, _ type: PolicyType) -> String {
        switch v {
        case .enumCase(let i):
            if case .enumeration(let e) = type.base, i < e.cases.count { return e.cases[i] }
            return describe(v, type)
        case .duration(let d): return d.description
        default: return describe(v, type)
        }
    }
}
