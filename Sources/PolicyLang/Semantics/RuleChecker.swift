extension PolicyChecker {
    mutating func checkRule(_ entry: RuleEntry) -> CheckedRule? {
        let r = entry.decl
        let file = entry.file
        let errorsBefore = diagnostics.filter(\.isError).count
        if r.title == nil {
            report("E0320", "rule `\(r.id.text)` has no title", file, r.id.span, help: "write the title after the id: `rule \(r.id.text) \"…\"`")
        }
        if r.cites == nil {
            report("E0321", "rule `\(r.id.text)` has no citation", file, r.id.span,
                   help: "add `cites \"§3\"`: the section of the source document the rule encodes")
        }
        if r.outcomes.isEmpty {
            report("E0322", "rule `\(r.id.text)` has no outcome", file, r.id.span,
                   help: "add `error|warning|info when … message \"…\"` or `deadline … overdue error message \"…\"`")
        }
        var scope = Scope(file: file)
        scope.caseload = r.isCaseload
        caseloadAccumulators = []
        if r.isCaseload, schema.records["Fallmanager"] == nil {
            report("E0330", "caseload rules need a record `Fallmanager` in the schema (the staff file's entries)", file, r.id.span)
        }
        let guardExpr = r.guardCondition.map { checkCondition($0, "`when`", scope: &scope) }
        var outcomes: [CheckedOutcome] = []
        for outcome in r.outcomes {
            switch outcome {
            case .finding(let severity, let condition, let due, let message, let span):
                let sev = checkSeverity(severity, scope: &scope)
                let cond = condition.map { checkCondition($0, "`when`", scope: &scope) }
                var dueExpr: CheckedExpr?
                if let due {
                    let d = check(due, expected: nil, scope: &scope)
                    if !d.type.isError, d.type.base != .date {
                        report("E0323", "`due` needs a date, found `\(d.type)`", file, due.span)
                    }
                    dueExpr = d
                }
                var inner = scope
                inner.dueAvailable = due != nil
                let text = checkMessage(message, in: r, at: span, scope: &inner)
                outcomes.append(.finding(severity: sev, condition: cond, due: dueExpr, message: text, span: span))
            case .deadline(let due, let branches, let span):
                let d = check(due, expected: nil, scope: &scope)
                if !d.type.isError, d.type.base != .date {
                    report("E0323", "a deadline needs a date, found `\(d.type)`", file, due.span)
                }
                var overdue: CheckedOutcome.DeadlineBranch?, upcoming: CheckedOutcome.DeadlineBranch?, missing: CheckedOutcome.DeadlineBranch?
                for b in branches {
                    var inner = scope
                    inner.dueAvailable = b.kind != .missing
                    let branch = CheckedOutcome.DeadlineBranch(severity: checkSeverity(b.severity, scope: &scope),
                                                               message: checkMessage(b.message, in: r, at: b.span, scope: &inner))
                    switch b.kind {
                    case .overdue: overdue = branch
                    case .upcoming: upcoming = branch
                    case .missing: missing = branch
                    }
                }
                if overdue == nil, !branches.isEmpty {
                    report("E0324", "the deadline has no `overdue` branch", file, span, help: "add `overdue error message \"…\"`")
                }
                if missing != nil, !d.type.isOptional, !d.type.isError {
                    report("E0326", "the deadline is always known, so its `missing` branch never applies", file, span, severity: .warning)
                }
                if let overdue {
                    outcomes.append(.deadline(due: d, overdue: overdue, upcoming: upcoming, missing: missing, span: span))
                }
            }
        }
        guard diagnostics.filter(\.isError).count == errorsBefore else { return nil }
        let section = entry.adoptedSection?.value ?? r.cites?.value ?? ""
        return CheckedRule(id: r.id.text, title: entry.adoptedTitle?.value ?? r.title?.value ?? "", section: section,
                           source: entry.citation.isEmpty ? section : "\(entry.citation), \(section)",
                           isCaseload: r.isCaseload, accumulators: caseloadAccumulators, guardCondition: guardExpr, outcomes: outcomes, definedIn: entry.definedIn,
                           file: file, span: r.span, isOverride: entry.isOverride, adoptedBy: entry.adoptedBy,
                           documentation: entry.documentation)
    }

    mutating func checkSeverity(_ s: SeveritySyntax, scope: inout Scope) -> CheckedSeverity {
        switch s {
        case .literal(let k, _): return .fixed(FindingSeverity(rawValue: k.rawValue) ?? .error)
        case .expression(let e):
            let c = check(e, expected: .severity, scope: &scope)
            if !c.type.isError, c.type != .severity {
                report("E0327", "a severity is `error`, `warning` or `info`, found `\(c.type)`", scope.file, e.span)
            }
            return .computed(c)
        }
    }

    mutating func checkMessage(_ m: MessageSyntax?, in rule: RuleDecl, at span: Span, scope: inout Scope) -> CheckedMessage {
        guard let m else {
            report("E0328", "an outcome of rule `\(rule.id.text)` has no message", scope.file, span,
                   help: "add `message \"…\"`: the German sentence a case manager reads")
            return CheckedMessage(parts: [])
        }
        var parts: [CheckedMessage.Part] = []
        for part in m.parts {
            switch part {
            case .text(let t): parts.append(.text(t))
            case .hole(let e):
                let c = check(e, expected: nil, scope: &scope)
                if case .list = c.type {
                    report("E0329", "a list cannot be written into a message; use `count`", scope.file, e.span)
                }
                if case .record = c.type.base {
                    report("E0329", "a record cannot be written into a message; name one of its fields", scope.file, e.span)
                }
                parts.append(.value(c))
            }
        }
        return CheckedMessage(parts: parts)
    }
}
