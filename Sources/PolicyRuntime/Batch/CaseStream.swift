import PolicyLang

/// Checks a caseload line by line: each line in, exactly one JSON line out, and the counts
/// that the policy's caseload rules need. Safe to use from several threads at once; each
/// thread keeps its own statistics and tally.
public struct CaseStream: Sendable {
    public let policy: CheckedPolicy
    public let options: CheckOptions
    let checker: CaseChecker
    let decoder: CaseDecoder
    let caseloadRules: [CheckedRule]
    let lineWriter: CaseLineWriter
    /// A case manager's tally entry before their first case: no cases, and zero for each accumulator.
    private let noCounts: [Int]
    /// Each caseload rule's number of accumulators.
    private let accumulatorShape: [Int]
    /// Count towards caseload rules (only when a staff file was given).
    public let countsCaseload: Bool

    /// `readsEveryField`: keep fields no rule reads too (the report reads fields by path, the
    /// timeline evaluates definitions no rule may use).
    public init(policy: CheckedPolicy, options: CheckOptions, countsCaseload: Bool, readsEveryField: Bool = false) {
        self.policy = policy
        self.options = options
        self.checker = CaseChecker(policy: policy)
        self.decoder = CaseDecoder(schema: policy.schema, policy: readsEveryField ? nil : policy)
        self.caseloadRules = policy.caseloadRules
        self.lineWriter = CaseLineWriter(policy: policy)
        self.accumulatorShape = policy.caseloadRules.map(\.accumulators.count)
        self.noCounts = [Int](repeating: 0, count: 1 + accumulatorShape.reduce(0, +))
        self.countsCaseload = countsCaseload && policy.caseloadKey != nil
    }

    /// One input line (without its line break) → one output line (without a line break).
    public func check(line: UnsafeBufferPointer<UInt8>, number: Int, statistics: inout RunStatistics, tally: inout CaseloadTally) -> String {
        var out: [UInt8] = []
        check(line: line, number: number, into: &out, statistics: &statistics, tally: &tally)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appending the output line's bytes to `out`.
    public func check(line: UnsafeBufferPointer<UInt8>, number: Int, into out: inout [UInt8],
                      statistics: inout RunStatistics, tally: inout CaseloadTally) {
        var workspace = Workspace()
        check(line: line, number: number, into: &out, statistics: &statistics, tally: &tally, workspace: &workspace)
    }

    /// What one worker reuses from case to case, so that checking a case allocates next to
    /// nothing: the arena the cases are read into, the evaluator's memory, and the findings and
    /// message bytes of the line being written. A case started with a workspace is valid until
    /// the next line is started with it. Unchecked `Sendable`: a workspace goes with its worker
    /// from thread to thread, and is never used by two at once.
    public struct Workspace: @unchecked Sendable {
        let arena = CaseArena()
        var evaluator: Evaluator?
        var fired: [CaseLineWriter.Fired] = []
        var messages: [UInt8] = []
        public init() {}
    }

    /// Decodes one line and judges it at its Stichtag: the case, with the workspace's evaluator
    /// started on it, or why the line cannot be judged (unreadable, or before the policy is in
    /// force). `check` and the report both start a line this way.
    func start(line: UnsafeBufferPointer<UInt8>, workspace: inout Workspace) -> Result<DecodedCase, CaseReadError> {
        let decoded: DecodedCase
        do { decoded = try decoder.decode(line, judgedAt: options.asOf, reusing: workspace.arena) } catch { return .failure(error) }
        let stichtag = options.asOf ?? decoded.stichtag ?? options.today
        if !options.ignoreInForce, let problem = policy.notInForce(at: stichtag) {
            return .failure(CaseReadError(path: "", message: problem, offset: 0, caseID: decoded.id))
        }
        decoded.applyStichtag(stichtag, schema: policy.schema)
        if workspace.evaluator == nil {
            workspace.evaluator = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
        } else {
            workspace.evaluator!.start(root: decoded.root, stichtag: stichtag)
        }
        return .success(decoded)
    }

    /// The same, with a worker's `workspace`.
    public func check(line: UnsafeBufferPointer<UInt8>, number: Int, into out: inout [UInt8],
                      statistics: inout RunStatistics, tally: inout CaseloadTally, workspace: inout Workspace) {
        statistics.lines += 1
        var isBlank = true
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { isBlank = false; break }
        if isBlank {
            statistics.errorLines += 1
            out.append(contentsOf: Self.errorLine(number, nil, "empty line").utf8)
            return
        }
        let decoded: DecodedCase
        switch start(line: line, workspace: &workspace) {
        case .failure(let error):
            statistics.errorLines += 1
            out.append(contentsOf: Self.errorLine(number, error.caseID, error.description).utf8)
            return
        case .success(let started): decoded = started
        }
        var evaluator = workspace.evaluator.take()!
        defer { workspace.evaluator = evaluator }
        let stichtag = evaluator.stichtag
        // What `checker.check` and `FindingsWriter.appendJSON` would do, without a `Finding` per
        // finding in between (the same decisions: `decide`, and the same message text).
        statistics.expect(lineWriter.ruleIDs)
        workspace.fired.removeAll(keepingCapacity: true)
        workspace.messages.removeAll(keepingCapacity: true)
        for (r, rule) in lineWriter.rules.enumerated() {
            var noTrace: [String]? = nil
            guard let verdict = checker.decide(rule, lineWriter.codes[r], &evaluator, horizon: options.horizonDays, trace: &noTrace) else { continue }
            let start = workspace.messages.count
            checker.appendMessage(verdict.message, &evaluator, to: &workspace.messages)
            workspace.fired.append(.init(rule: r, severity: verdict.severity, due: verdict.due, message: start..<workspace.messages.count))
            statistics.count(rule: rule.id, at: r, severity: verdict.severity)
        }
        statistics.cases += 1
        lineWriter.sort(&workspace.fired)
        if countsCaseload { accumulate(&evaluator, decoded, &tally) }
        lineWriter.append(caseID: decoded.id, stichtag: stichtag, fired: workspace.fired, messages: workspace.messages, to: &out)
        // The evaluator's records are views into the case's arena, which goes with `decoded`.
        withExtendedLifetime(decoded) {}
    }

    private func accumulate(_ ev: inout Evaluator, _ decoded: DecodedCase, _ tally: inout CaseloadTally) {
        guard let keyExpr = policy.caseloadKey, case .string(let manager) = ev.evaluate(keyExpr) else { return }
        // The accumulators' binder is slot 0 (the case); list operations may use further slots.
        if ev.locals.isEmpty { ev.locals.append(.record(decoded.root)) } else { ev.locals[0] = .record(decoded.root) }
        // Counted in place: one look-up of the manager, no copy of their counts.
        let rules = caseloadRules
        func add(_ entry: inout [Int]) {
            entry[0] += 1
            var k = 1
            for rule in rules {
                for condition in rule.accumulators {
                    if let condition {
                        if case .bool(true) = ev.evaluate(condition) { entry[k] += 1 }
                    } else {
                        entry[k] += 1
                    }
                    k += 1
                }
            }
        }
        // A local, not `noCounts` itself: `default:` is a closure, which would copy the whole stream.
        let none = noCounts
        add(&tally.entries[manager, default: none])
    }

    /// The caseload objects: one per staff entry in staff-file order, then an error object for
    /// each case manager that has cases but no staff entry (sorted by key).
    public func caseloadLines(staff: [RecordValue], tally: CaseloadTally, stichtag: CalendarDate) -> [String] {
        var statistics = RunStatistics()
        return caseloadLines(staff: staff, tally: tally, stichtag: stichtag, statistics: &statistics)
    }

    /// The same, counting the caseload findings and unknown case managers into `statistics`.
    public func caseloadLines(staff: [RecordValue], tally: CaseloadTally, stichtag: CalendarDate,
                              statistics: inout RunStatistics) -> [String] {
        guard let staffType = policy.schema.records["Fallmanager"], let idSlot = staffType.fieldIndex["id"] else { return [] }
        var lines: [String] = []
        var known = Set<String>()
        for member in staff {
            guard case .string(let id) = member[idSlot] else { continue }
            known.insert(id)
            var ev = Evaluator(policy: policy, root: RecordValue.empty, stichtag: stichtag)
            ev.staff = member
            var findings: [Finding] = []
            let counts = tally.counts(of: id, shape: accumulatorShape)
            for (r, rule) in caseloadRules.enumerated() {
                ev.caseloadCounts = counts[r]
                var trace: [String]? = nil
                if let f = checker.evaluate(rule, &ev, horizon: options.horizonDays, trace: &trace) { findings.append(f) }
            }
            findings.sort { a, b in a.severity != b.severity ? a.severity < b.severity : a.rule < b.rule }
            statistics.count(caseload: findings)
            lines.append(FindingsWriter.caseloadJSON(manager: id, policy: policy.id, findings: findings))
        }
        for manager in tally.managers where !known.contains(manager) {
            statistics.unknownCaseManagers += 1
            var out = "{\"fallmanager\":"
            JSONWriter.quote(manager, into: &out)
            out += ",\"policy\":"
            JSONWriter.quote(policy.id, into: &out)
            let cases = tally.cases(of: manager)
            out += ",\"error\":\"case manager not in the staff file (\(cases) case\(cases == 1 ? "" : "s"))\"}"
            lines.append(out)
        }
        return lines
    }

    static func errorLine(_ number: Int, _ caseID: String?, _ message: String) -> String {
        var out = "{\"line\":\(number)"
        if let caseID, !caseID.isEmpty {
            out += ",\"case\":"
            JSONWriter.quote(caseID, into: &out)
        }
        out += ",\"error\":"
        JSONWriter.quote(message, into: &out)
        return out + "}"
    }
}
