/// A canonical text of a checked expression, equal for two expressions that compute the
/// same thing whatever their spans, parentheses, comments or spelling (`(x)` and `x`,
/// `Kontaktart.telefonat` and `telefonat`). Parameters and definitions are named, not
/// numbered, so expressions of two different policies (a base and its extension) compare:
/// overrides bind late, so the same name means the same value in both.
struct ExpressionKey {
    let policy: CheckedPolicy
    /// The counts over `faelle` of the caseload rule the expression belongs to.
    var accumulators: [CheckedExpr?] = []

    init(_ policy: CheckedPolicy, accumulators: [CheckedExpr?] = []) {
        self.policy = policy
        self.accumulators = accumulators
    }

    func key(_ e: CheckedExpr) -> String {
        let k: String
        switch e.kind {
        case .constant(let v): k = "const(\(Self.describe(v, e.type)))"
        case .stichtag: k = "stichtag"
        case .due: k = "due"
        case .rootField(let slot): k = "field(\(policy.schema.root.fields[slot].name))"
        case .field(let base, let slot):
            var name = "#\(slot)"
            if case .record(let r) = base.type.base, slot < r.fields.count { name = r.fields[slot].name }
            k = "\(key(base)).\(name)"
        case .local(let slot): k = "local(\(slot))"
        case .value(let i): k = "value(\(policy.values[i].name))"
        case .not(let a): k = "not(\(key(a)))"
        case .negate(let a): k = "neg(\(key(a)))"
        case .and(let a, let b): k = "and(\(key(a)),\(key(b)))"
        case .or(let a, let b): k = "or(\(key(a)),\(key(b)))"
        case .compare(let op, let a, let b): k = "cmp\(op.rawValue)(\(key(a)),\(key(b)))"
        case .arithmetic(let op, let a, let b): k = "arith\(op.rawValue)(\(key(a)),\(key(b)))"
        case .shiftDate(let a, let b, let sign): k = "shift\(sign)(\(key(a)),\(key(b)))"
        case .otherwise(let a, let b): k = "otherwise(\(key(a)),\(key(b)))"
        case .isTest(let a, let t): k = "is-\(t.rawValue)(\(key(a)))"
        case .member(let a, let b): k = "in(\(key(a)),\(key(b)))"
        case .inRange(let a, let b, let c): k = "range(\(key(a)),\(key(b)),\(key(c)))"
        case .setLiteral(let xs): k = "set(\(xs.map(key).joined(separator: ",")))"
        case .conditional(let c, let a, let b): k = "if(\(key(c)),\(key(a)),\(key(b)))"
        case .age(let a, let b): k = "age(\(key(a)),\(key(b)))"
        case .listOperation(let op, let list, let binder, let condition, let by):
            k = "\(op.rawValue)(\(binder),\(key(list)),\(condition.map(key) ?? "-"),\(by.map(key) ?? "-"))"
        case .caseValue(let base, let i): k = "\(key(base)).value(\(policy.values[i].name))"
        case .caseloadCount(let i):
            let condition = i < accumulators.count ? accumulators[i].map(key) ?? "-" : "#\(i)"
            k = "faelle(\(condition))"
        case .staffMember: k = "fallmanager"
        }
        return k + ":" + e.type.description
    }

    /// A constant as text, with its enum's value name rather than its index.
    static func describe(_ v: Value, _ type: PolicyType) -> String {
        switch v {
        case .absent: return "absent"
        case .bool(let b): return String(b)
        case .integer(let n): return String(n)
        case .decimal(let d): return d.description
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .date(let d): return d.description
        case .duration(let d): return "\(d.amount) \(d.unit.rawValue)"
        case .enumCase(let i):
            if case .enumeration(let e) = type.base, i < e.cases.count { return "\(e.name).\(e.cases[i])" }
            return "#\(i)"
        case .severity(let s): return s.rawValue
        case .record: return "record"
        case .list(let xs): return entries(Array(xs))
        case .set(let xs): return entries(xs)
        }
        func entries(_ xs: [Value]) -> String {
            var element = type.base
            if case .list(let t) = element { element = t } else if case .set(let t) = element { element = t }
            return "{" + xs.map { describe($0, element) }.joined(separator: ",") + "}"
        }
    }
}

/// Canonical texts of a rule's logic, for comparing rules.
extension ExpressionKey {
    init(rule: CheckedRule, in policy: CheckedPolicy) {
        self.init(policy, accumulators: rule.accumulators)
    }

    /// Everything a rule does apart from its id, title and citation: guard, outcomes with
    /// their severities, dates and messages. Equal for an override that changes nothing.
    func behaviour(of rule: CheckedRule) -> String {
        var parts = ["caseload=\(rule.isCaseload)", "when=\(rule.guardCondition.map(key) ?? "-")"]
        for outcome in rule.outcomes {
            switch outcome {
            case .finding(let severity, let condition, let due, let message, _):
                parts.append("finding(\(self.severity(severity)),\(condition.map(key) ?? "-"),\(due.map(key) ?? "-"),\(self.message(message)))")
            case .deadline(let due, let overdue, let upcoming, let missing, _):
                let branches = [("overdue", overdue), ("upcoming", upcoming), ("missing", missing)].map { name, branch in
                    branch.map { "\(name)(\(self.severity($0.severity)),\(self.message($0.message)))" } ?? "-"
                }
                parts.append("deadline(\(key(due)),\(branches.joined(separator: ",")))")
            }
        }
        return parts.joined(separator: "\n")
    }

    /// When a rule gives a finding, ignoring which severity and message: equal for two
    /// rules that fire for exactly the same cases.
    func firing(of rule: CheckedRule) -> String {
        var parts = ["caseload=\(rule.isCaseload)", "when=\(rule.guardCondition.map(key) ?? "-")"]
        for outcome in rule.outcomes {
            switch outcome {
            case .finding(_, let condition, _, _, _):
                parts.append("finding(\(condition.map(key) ?? "-"))")
            case .deadline(let due, _, let upcoming, let missing, _):
                parts.append("deadline(\(key(due)),upcoming=\(upcoming != nil),missing=\(missing != nil))")
            }
        }
        return parts.joined(separator: "\n")
    }

    func severity(_ s: CheckedSeverity) -> String {
        switch s {
        case .fixed(let f): f.rawValue
        case .computed(let e): key(e)
        }
    }

    func message(_ m: CheckedMessage) -> String {
        m.parts.map { part in
            switch part {
            case .text(let t): "\"" + t.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            case .value(let e): "{\(key(e))}"
            }
        }.joined()
    }
}
