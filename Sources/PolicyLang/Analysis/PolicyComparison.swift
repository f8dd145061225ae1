/// Rule by rule, how policies differ: which rules each has, their citation, severities,
/// the parameters their conditions depend on, and whether the logic is the same
/// declaration. The model behind `fmpolicy diff` and docs/comparison.md.
public struct PolicyComparison: Sendable {
    public struct RuleView: Sendable, Equatable {
        public let source: String
        public let severities: String
        /// Where the rule's logic is declared (`ba.fm:64`), so two views with the same origin
        /// are the same rule, whatever policy adopted it.
        public let origin: String
        /// The rule as written (for rules whose logic differs).
        public let text: String
        /// Parameters the rule depends on, with their values as written (`regeldauer = 24 months`).
        public let parameters: [String: String]
        public let isCaseload: Bool
    }

    public struct Row: Sendable {
        public let rule: String
        /// One entry per compared policy, nil where the policy does not have the rule.
        public let views: [RuleView?]

        /// The differences between the first two views, in words.
        public var differences: [String] {
            guard views.count >= 2, let a = views[0], let b = views[1] else { return [] }
            var out: [String] = []
            if a.origin != b.origin { out.append("condition: different declarations (\(a.origin) / \(b.origin))") }
            if a.severities != b.severities { out.append("severity: \(a.severities) / \(b.severities)") }
            for name in Set(a.parameters.keys).union(b.parameters.keys).sorted() where a.parameters[name] != b.parameters[name] {
                out.append("\(name): \(a.parameters[name] ?? "–") / \(b.parameters[name] ?? "–")")
            }
            if a.source != b.source { out.append("cites: \(a.source) / \(b.source)") }
            return out
        }
    }

    public let policies: [CheckedPolicy]
    public let rows: [Row]

    public init(_ policies: [CheckedPolicy]) {
        self.policies = policies
        var order: [String] = []
        for p in policies { for r in p.rules where !order.contains(r.id) { order.append(r.id) } }
        rows = order.map { id in
            Row(rule: id, views: policies.map { p in p.rules.first { $0.id == id }.map { Self.view($0, in: p) } })
        }
    }

    static func view(_ rule: CheckedRule, in policy: CheckedPolicy) -> RuleView {
        let expressions = rule.expressions
        var used = Set<Int>()
        var stack = expressions
        while let e = stack.popLast() {
            e.forEachChild { stack.append($0) }
            if case .value(let i) = e.kind, used.insert(i).inserted { stack.append(policy.values[i].expression) }
            if case .caseValue(_, let i) = e.kind, used.insert(i).inserted { stack.append(policy.values[i].expression) }
        }
        var parameters: [String: String] = [:]
        for i in used where policy.values[i].kind == .parameter {
            parameters[policy.values[i].name] = policy.values[i].displayText
        }
        let origin = "\(rule.file.path.split(separator: "/").last.map(String.init) ?? rule.file.path):\(rule.file.location(of: rule.span.start).line)"
        return RuleView(source: rule.source, severities: rule.possibleSeverities.map(\.rawValue).joined(separator: "/"), origin: origin,
                        text: rule.file.text(of: rule.span), parameters: parameters, isCaseload: rule.isCaseload)
    }
}
