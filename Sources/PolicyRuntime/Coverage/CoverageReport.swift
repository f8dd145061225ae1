import PolicyLang

/// `fmpolicy test --coverage`: the recorder's figures as a table per policy, or as JSON
/// with stable, sorted keys.
public enum CoverageReport {
    /// `covered` of `total` in per cent, rounded down to one decimal (so that 99.96 % is never
    /// shown as 100 %), without a trailing `.0`; nothing to cover counts as 100 %.
    public static func percent(_ covered: Int, _ total: Int) -> String {
        guard total > 0 else { return "100" }
        let tenths = covered * 1000 / total
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// Whether `covered` of `total` reaches `minimum` per cent.
    public static func reaches(_ covered: Int, _ total: Int, _ minimum: Double) -> Bool {
        total == 0 ? minimum <= 100 : Double(covered) * 100 >= minimum * Double(total)
    }

    /// The policies whose **rule** coverage is below `minimum` per cent, sorted.
    public static func below(_ recorder: CoverageRecorder, minimum: Double) -> [String] {
        recorder.policies.values.filter { !reaches($0.rulesFired, $0.rules.count, minimum) }.map(\.id).sorted()
    }

    public static func text(_ recorder: CoverageRecorder) -> String {
        var out = ""
        for id in recorder.policies.keys.sorted() {
            let p = recorder.policies[id]!
            out += "\ncoverage of policy \(id): \(p.cases) case\(p.cases == 1 ? "" : "s")"
            if p.caseManagers > 0 { out += ", \(p.caseManagers) caseload object\(p.caseManagers == 1 ? "" : "s")" }
            out += "\n"
            let width = max(4, p.rules.map(\.id.count).max() ?? 0) + 2
            out += "  " + "rule".padded(width) + "fired  findings     branches\n"
            for r in p.rules.sorted(by: { $0.id < $1.id }) {
                let findings = "\(r.findings)/\(r.evaluations)"
                let branches = "\(r.branchesCovered)/\(r.branchesTotal)"
                out += "  " + r.id.padded(width) + (r.fired ? "yes" : "NO ").padded(7)
                    + findings.padded(13) + branches.padded(8) + percent(r.branchesCovered, r.branchesTotal) + " %"
                    + (r.isCaseload ? "  (caseload)" : "") + "\n"
            }
            out += "  rules: \(p.rulesFired)/\(p.rules.count) fired (\(percent(p.rulesFired, p.rules.count)) %)"
            out += " · branches: \(p.branchesCovered)/\(p.branchesTotal) (\(percent(p.branchesCovered, p.branchesTotal)) %)\n"
            let open = p.rules.sorted(by: { $0.id < $1.id }).flatMap { r in r.points.filter { !$0.missing.isEmpty }.map { (r.id, $0) } }
            if !open.isEmpty {
                out += "  branches not taken:\n"
                for (rule, point) in open {
                    let label = point.kind == .deadline ? "deadline" : point.kind.rawValue
                    out += "    \(rule) \(label) \(point.text): never \(point.missing.map(\.rawValue).joined(separator: " or "))  (\(point.location))\n"
                }
            }
        }
        return out
    }

    /// Every object's keys sorted, so the document is stable.
    public static func json(_ recorder: CoverageRecorder, minimum: Double?) -> JSONValue {
        func ratio(_ covered: Int, _ total: Int) -> JSONValue {
            .object([("covered", .number("\(covered)")), ("percent", .number(percent(covered, total))), ("total", .number("\(total)"))])
        }
        func outcomes(_ xs: [CoverageRecorder.Outcome]) -> JSONValue { .array(xs.map { .string($0.rawValue) }) }
        var policies: [(String, JSONValue)] = []
        for id in recorder.policies.keys.sorted() {
            let p = recorder.policies[id]!
            let rules: [(String, JSONValue)] = p.rules.sorted(by: { $0.id < $1.id }).map { r in
                let points: [JSONValue] = r.points.map { point in
                    .object([
                        ("kind", .string(point.kind.rawValue)),
                        ("location", .string(point.location)),
                        ("missing", outcomes(point.missing)),
                        ("observed", outcomes(point.possible.filter(point.observed.contains))),
                        ("possible", outcomes(point.possible)),
                        ("text", .string(point.text)),
                    ])
                }
                return (r.id, .object([
                    ("branches", ratio(r.branchesCovered, r.branchesTotal)),
                    ("caseload", .bool(r.isCaseload)),
                    ("evaluations", .number("\(r.evaluations)")),
                    ("findings", .number("\(r.findings)")),
                    ("fired", .bool(r.fired)),
                    ("points", .array(points)),
                ]))
            }
            var members: [(String, JSONValue)] = [
                ("branches", ratio(p.branchesCovered, p.branchesTotal)),
                ("by_rule", .object(rules)),
                ("caseload_objects", .number("\(p.caseManagers)")),
                ("cases", .number("\(p.cases)")),
            ]
            if let minimum { members.append(("meets_minimum", .bool(reaches(p.rulesFired, p.rules.count, minimum)))) }
            members.append(("rules", ratio(p.rulesFired, p.rules.count)))
            policies.append((id, .object(members)))
        }
        var top: [(String, JSONValue)] = []
        if let minimum { top.append(("min_coverage", .number(minimum == minimum.rounded() ? "\(Int(minimum))" : "\(minimum)"))) }
        top.append(("policies", .object(policies)))
        return .object(top)
    }
}

extension String {
    fileprivate func padded(_ n: Int) -> String {
        count >= n ? self + " " : self + String(repeating: " ", count: n - count)
    }
}
