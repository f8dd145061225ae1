import PolicyLang

/// Settings of one check run.
public struct CheckOptions: Sendable {
    /// Upcoming due dates up to this many days after the Stichtag give `info`.
    public var horizonDays: Int = 30
    /// `--as-of`: judges every case at this date instead of its own `stichtag`.
    public var asOf: CalendarDate?
    /// The date used when neither `--as-of` nor the case names one.
    public var today: CalendarDate = .today()
    public var explain = false
    /// `--ignore-in-force`: check cases whose Stichtag lies before the policy's `in force from`.
    public var ignoreInForce = false
    public init() {}
}

/// The outcome a rule chose for a case, before its message is written.
struct Verdict {
    let severity: FindingSeverity
    /// Index into `Program.messages`.
    let message: Int
    let due: CalendarDate?
}

/// Checked policy + decoded case → findings.
public struct CaseChecker: Sendable {
    public let policy: CheckedPolicy
    public init(policy: CheckedPolicy) { self.policy = policy }

    public func check(_ decoded: DecodedCase, options: CheckOptions) -> CaseResult {
        let stichtag = options.asOf ?? decoded.stichtag ?? options.today
        decoded.applyStichtag(stichtag, schema: policy.schema)
        var evaluator = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
        return check(decoded, evaluator: &evaluator, options: options)
    }

    /// With the case's evaluator, so a caller can go on to use its memoised definitions.
    func check(_ decoded: DecodedCase, evaluator: inout Evaluator, options: CheckOptions) -> CaseResult {
        let stichtag = evaluator.stichtag
        var findings: [Finding] = []
        var explanations: [RuleExplanation] = []
        for (rule, code) in zip(policy.rules, policy.program.rules) where !rule.isCaseload {
            var trace: [String]? = options.explain ? [] : nil
            let finding = evaluate(rule, code, &evaluator, horizon: options.horizonDays, trace: &trace)
            if let finding { findings.append(finding) }
            if let trace { explanations.append(RuleExplanation(rule: rule.id, fired: finding != nil, lines: trace)) }
        }
        findings.sort { a, b in a.severity != b.severity ? a.severity < b.severity : a.rule < b.rule }
        explanations.sort { $0.rule < $1.rule }
        return CaseResult(caseID: decoded.id, policy: policy.id, stichtag: stichtag, findings: findings, explanations: explanations)
    }

    /// At most one finding per rule: the first outcome that applies.
    func evaluate(_ rule: CheckedRule, _ ev: inout Evaluator, horizon: Int, trace: inout [String]?) -> Finding? {
        evaluate(rule, policy.program.code(for: rule), &ev, horizon: horizon, trace: &trace)
    }

    func evaluate(_ rule: CheckedRule, _ code: RuleCode, _ ev: inout Evaluator, horizon: Int, trace: inout [String]?) -> Finding? {
        guard let verdict = decide(code, &ev, horizon: horizon, trace: &trace, explaining: rule) else { return nil }
        var text: [UInt8] = []
        appendMessage(verdict.message, &ev, to: &text)
        return Finding(rule: rule.id, severity: verdict.severity, message: String(decoding: text, as: UTF8.self),
                       due: verdict.due, source: rule.source)
    }

    /// Which outcome of the rule compiled as `code` applies to the case, if any. The checked
    /// `rule` is read only to explain (`trace`), so a caseload passes none. Leaves the outcome's
    /// due date in `ev.due`, where the message's `{due}` reads it.
    /// Inlined into the caseload's loop, which calls it for every rule of every case.
    @inline(always)
    func decide(_ code: RuleCode, _ ev: inout Evaluator, horizon: Int, trace: inout [String]?, explaining rule: CheckedRule? = nil) -> Verdict? {
        ev.due = nil
        if code.guardCondition >= 0 {
            let v = ev.truth(code.guardCondition)
            if trace != nil, let g = rule?.guardCondition {
                trace!.append("when \(describe(g, &ev)) → \(ValueFormatter.explain(v.map(Value.bool) ?? .absent, .bool))")
            }
            guard v == true else { return nil }
        }
        let outcomes = policy.program.outcomes
        for k in 0..<Int(code.outcomeCount) {
            let outcome = outcomes[Int(code.firstOutcome) + k]
            if !outcome.isDeadline {
                if outcome.condition >= 0 {
                    let v = ev.truth(outcome.condition)
                    if trace != nil, let rule, case .finding(let severity, let condition?, _, _, _) = rule.outcomes[k] {
                        trace!.append("\(label(severity)) when \(describe(condition, &ev)) → \(ValueFormatter.explain(v.map(Value.bool) ?? .absent, .bool))")
                    }
                    guard v == true else { continue }
                }
                var due: CalendarDate?
                if outcome.due >= 0, let d = ev.date(outcome.due) {
                    due = d
                    if trace != nil { trace!.append("due \(dueText(rule, k)) = \(d)") }
                }
                ev.due = due
                return verdict(outcome.first, due, &ev)
            }
            guard let due = ev.date(outcome.due) else {
                if trace != nil { trace!.append("deadline \(dueText(rule, k)): no date") }
                if let missing = outcome.missing { return verdict(missing, nil, &ev) }
                continue
            }
            ev.due = due
            if ev.stichtag > due {
                if trace != nil { trace!.append("deadline \(dueText(rule, k)) = \(due) < stichtag \(ev.stichtag) → overdue") }
                return verdict(outcome.first, due, &ev)
            }
            if let upcoming = outcome.upcoming, due <= ev.stichtag.adding(days: horizon) {
                if trace != nil {
                    trace!.append("deadline \(dueText(rule, k)) = \(due), within \(horizon) days of stichtag \(ev.stichtag) → upcoming")
                }
                return verdict(upcoming, due, &ev)
            }
            if trace != nil { trace!.append("deadline \(dueText(rule, k)) = \(due) ≥ stichtag \(ev.stichtag) → met") }
            return nil
        }
        return nil
    }

    /// The due date of outcome `k` as written, for explanations.
    private func dueText(_ rule: CheckedRule?, _ k: Int) -> String {
        switch rule?.outcomes[k] {
        case .finding(_, _, let due, _, _): due?.sourceText ?? ""
        case .deadline(let due, _, _, _, _): due.sourceText
        case nil: ""
        }
    }

    /// Nil when a computed severity comes out absent: then the rule gives no finding.
    private func verdict(_ branch: BranchCode, _ due: CalendarDate?, _ ev: inout Evaluator) -> Verdict? {
        if let s = branch.severity { return Verdict(severity: s, message: branch.message, due: due) }
        guard case .severity(let s) = ev.run(branch.computedSeverity) else { return nil }
        return Verdict(severity: s, message: branch.message, due: due)
    }

    /// The message's text as UTF-8, its holes filled from the case (and `ev.due`). Every finding's
    /// message is written here, whether it becomes a `Finding` or goes straight into a JSON line.
    func appendMessage(_ message: Int, _ ev: inout Evaluator, to out: inout [UInt8]) {
        let program = policy.program
        for k in program.messages[message].range {
            switch program.messageParts[k] {
            case .text(let t): out.append(contentsOf: t)
            case .value(let instruction, let type): ValueFormatter.append(ev.run(instruction), type, to: &out)
            }
        }
    }

    /// The same text escaped for a JSON string, for a batch line: the literal parts come escaped
    /// once per run (`texts`), a hole's value is escaped as it is written (a date never needs it).
    func appendEscapedMessage(_ message: Int, _ ev: inout Evaluator, _ texts: EscapedMessageTexts, to out: OutputBytes) {
        let program = policy.program
        texts.bytes.withUnsafeBufferPointer { escaped in
            for k in program.messages[message].range {
                let part = texts.parts[k]
                guard part.instruction >= 0 else {
                    out.append(escaped[part.text])
                    continue
                }
                // `{faellig}`: the outcome's due date without a call or a `Value` (none is written as `run` gives it).
                if part.readsDue, let d = ev.due {
                    out.append(date: d)
                    continue
                }
                switch ev.run(part.instruction) {
                case .date(let d): out.append(date: d)
                case .string(let s): out.appendEscaped(s)
                case let v:
                    guard case .value(_, let type) = program.messageParts[k] else { continue }
                    out.appendEscaped(ValueFormatter.text(v, type))
                }
            }
        }
    }

    private func label(_ s: CheckedSeverity) -> String {
        if case .fixed(let f) = s { return f.rawValue }
        return "severity"
    }

    /// `a and b` shows each side; a comparison shows both operands' values:
    /// `fm.beginn + 6 months = 2024-08-20 < stichtag = 2025-03-01`.
    func describe(_ e: CheckedExpr, _ ev: inout Evaluator) -> String {
        switch e.kind {
        case .and(let a, let b): return "\(describe(a, &ev)) and \(describe(b, &ev))"
        case .or(let a, let b): return "(\(describe(a, &ev)) or \(describe(b, &ev)))"
        case .compare(let op, let a, let b):
            return "(\(operand(a, &ev)) \(op.rawValue) \(operand(b, &ev)))"
        default: return operand(e, &ev)
        }
    }

    private func operand(_ e: CheckedExpr, _ ev: inout Evaluator) -> String {
        if case .constant = e.kind { return e.sourceText }
        return "\(e.sourceText) = \(ValueFormatter.explain(ev.evaluate(e), e.type))"
    }
}

/// The literal parts of a policy's messages escaped for a JSON string, once per run, so that a
/// batch line escapes only what a message's holes give. Derived from `Program.messageParts`,
/// which keeps the text as it reads (for `Finding.message`, text output and `--explain`).
/// A hole that reads a constant (a parameter such as `{regeldauer}`) is text here too: its
/// instruction gives that constant for every case, so it is formatted once.
struct EscapedMessageTexts: Sendable {
    /// A message part: its escaped text in `bytes`, or for a hole, the instruction that fills it.
    struct Part {
        let text: Range<Int>
        let instruction: Int32
        var readsDue = false
    }

    /// In `Program.messageParts` order.
    let parts: [Part]
    let bytes: [UInt8]

    init(_ program: Program) {
        var bytes: [UInt8] = []
        func escaped(_ text: [UInt8]) -> Part {
            let start = bytes.count
            text.withUnsafeBufferPointer { JSONWriter.appendEscaped($0, to: &bytes) }
            return Part(text: start..<bytes.count, instruction: -1)
        }
        parts = program.messageParts.map { part in
            switch part {
            case .text(let t):
                return escaped(t)
            case .value(let instruction, let type):
                let code = program.instructions[Int(instruction)]
                if case .constant = code.op { return escaped(Array(ValueFormatter.text(program.constants[Int(code.a)], type).utf8)) }
                if case .due = code.op { return Part(text: 0..<0, instruction: instruction, readsDue: true) }
                return Part(text: 0..<0, instruction: instruction)
            }
        }
        self.bytes = bytes
    }
}
