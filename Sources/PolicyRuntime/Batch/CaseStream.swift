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
    let caseloadWriter: CaseLineWriter
    /// The caseload rules' accumulators in tally order, as instructions (-1: every case counts).
    private let accumulators: [Int32]
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
        self.caseloadWriter = CaseLineWriter(policy: policy, caseload: true)
        self.accumulatorShape = policy.caseloadRules.map(\.accumulators.count)
        self.accumulators = policy.caseloadRules.flatMap(\.accumulators).map { $0?.instruction ?? -1 }
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
    /// nothing: the arena the cases are read into, the evaluator's memory, and the findings,
    /// message bytes and bytes of the line being written. A case started with a workspace is
    /// valid until the next line is started with it. Unchecked `Sendable`: a workspace goes with
    /// its worker from thread to thread, and is never used by two at once.
    public struct Workspace: @unchecked Sendable {
        let arena = CaseArena()
        let dates = DateCache()
        var evaluator: Evaluator?
        var fired: [CaseLineWriter.Fired] = []
        let messages = OutputBytes()
        let line = OutputBytes()
        public init() {}
    }

    /// Decodes one line and judges it at its Stichtag: the workspace's evaluator started on the
    /// case (its root and Stichtag), and the case's id; or why the line cannot be judged
    /// (unreadable, or before the policy is in force). Every line of a caseload, checked or
    /// counted for the report, starts here; a batch check needs nothing more of the case.
    private func startCase(line: UnsafeBufferPointer<UInt8>, workspace: inout Workspace) throws(CaseReadError) -> String {
        let read = try decoder.decodeRecord(line, judgedAt: options.asOf, reusing: workspace.arena, dates: workspace.dates)
        let stichtag = options.asOf ?? decoder.stichtag(of: read.root) ?? options.today
        if !options.ignoreInForce, let problem = policy.notInForce(at: stichtag) {
            throw CaseReadError(path: "", message: problem, offset: 0, caseID: decoder.caseID(of: read.root))
        }
        let root = DecodedCase.judged(read.root, at: stichtag, cutAt: read.cutAt, schema: policy.schema, arena: workspace.arena)
        if workspace.evaluator == nil {
            workspace.evaluator = Evaluator(policy: policy, root: root, stichtag: stichtag)
        } else {
            workspace.evaluator!.start(root: root, stichtag: stichtag)
        }
        return decoder.caseID(of: root)
    }

    /// `startCase`, with the case as a `DecodedCase` (for the report and `evaluate(line:)`),
    /// already judged at the evaluator's Stichtag; valid until the workspace starts the next line.
    func start(line: UnsafeBufferPointer<UInt8>, workspace: inout Workspace) -> Result<DecodedCase, CaseReadError> {
        let id: String
        do { id = try startCase(line: line, workspace: &workspace) } catch { return .failure(error) }
        let evaluator = workspace.evaluator!
        return .success(DecodedCase(id: id, stichtag: decoder.stichtag(of: evaluator.root), root: evaluator.root,
                                    arena: workspace.arena, cutAt: evaluator.stichtag))
    }

    /// The same, with a worker's `workspace`.
    public func check(line: UnsafeBufferPointer<UInt8>, number: Int, into out: inout [UInt8],
                      statistics: inout RunStatistics, tally: inout CaseloadTally, workspace: inout Workspace) {
        workspace.line.removeAll()
        check(line: line, number: number, to: workspace.line, statistics: &statistics, tally: &tally, workspace: &workspace)
        out.append(contentsOf: workspace.line.bytes)
    }

    /// The same, appending the output line (without a line break) to `out`: a batch run writes
    /// a block's lines straight into the bytes it then writes out, without copying each line.
    public func check(line: UnsafeBufferPointer<UInt8>, number: Int, to out: OutputBytes,
                      statistics: inout RunStatistics, tally: inout CaseloadTally, workspace: inout Workspace) {
        statistics.lines += 1
        var isBlank = true
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { isBlank = false; break }
        if isBlank {
            statistics.errorLines += 1
            var error = Self.errorLine(number, nil, "empty line")
            error.withUTF8 { out.append($0) }
            return
        }
        let caseID: String
        do { caseID = try startCase(line: line, workspace: &workspace) } catch {
            statistics.errorLines += 1
            var text = Self.errorLine(number, error.caseID, error.description)
            text.withUTF8 { out.append($0) }
            return
        }
        var evaluator = workspace.evaluator.take()!
        let stichtag = evaluator.stichtag
        // What `checker.check` and `FindingsWriter.appendJSON` would do, without a `Finding` per
        // finding in between (the same decisions: `decide`, and the same message text).
        statistics.expect(lineWriter.ruleIDs)
        if !workspace.fired.isEmpty { workspace.fired.removeAll(keepingCapacity: true) }
        let messages = workspace.messages
        messages.removeAll()
        var noTrace: [String]? = nil
        for r in lineWriter.codes.indices {
            guard let verdict = checker.decide(lineWriter.codes[r], &evaluator, horizon: options.horizonDays, trace: &noTrace) else { continue }
            let start = messages.count
            checker.appendEscapedMessage(verdict.message, &evaluator, lineWriter.messageTexts, to: messages)
            workspace.fired.append(lineWriter.fired(rule: r, severity: verdict.severity, due: verdict.due, message: start..<messages.count))
            statistics.count(rule: lineWriter.ruleIDs[r], at: r, severity: verdict.severity)
        }
        statistics.cases += 1
        lineWriter.sort(&workspace.fired)
        if countsCaseload { accumulate(&evaluator, &tally) }
        // Moved back, not copied (a `defer` made the optimiser copy the whole evaluator per case).
        workspace.evaluator = consume evaluator
        lineWriter.appendCaseLine(caseID: caseID, stichtag: stichtag, fired: workspace.fired, messages: messages, to: out)
    }

    private func accumulate(_ ev: inout Evaluator, _ tally: inout CaseloadTally) {
        guard let keyExpr = policy.caseloadKey, case .string(let manager) = ev.evaluate(keyExpr) else { return }
        // The accumulators' binder is slot 0 (the case); list operations may use further slots.
        let root = ev.root
        if ev.locals.isEmpty { ev.locals.append(.record(root)) } else { ev.locals[0] = .record(root) }
        let counts = tally.counts(of: manager, width: 1 + accumulators.count)
        tally.increment(counts)
        for (k, condition) in accumulators.enumerated() {
            if condition < 0 {
                tally.increment(counts + 1 + k)
            } else if ev.truth(condition) == true {
                tally.increment(counts + 1 + k)
            }
        }
    }

    /// The caseload objects: one per staff entry in staff-file order, then an error object for
    /// each case manager that has cases but no staff entry (sorted by key).
    public func caseloadLines(staff: [RecordValue], tally: CaseloadTally, stichtag: CalendarDate) -> [String] {
        var statistics = RunStatistics()
        var out: [UInt8] = []
        appendCaseloadLines(staff: staff, tally: tally, stichtag: stichtag, statistics: &statistics, to: &out)
        return out.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same lines, each with its line break, appended to `out`; the caseload findings and
    /// unknown case managers are counted into `statistics`. Written as the case lines are, with
    /// one evaluator for all case managers.
    public func appendCaseloadLines(staff: [RecordValue], tally: CaseloadTally, stichtag: CalendarDate,
                                    statistics: inout RunStatistics, to out: inout [UInt8]) {
        guard let staffType = policy.schema.records["Fallmanager"], let idSlot = staffType.fieldIndex["id"] else { return }
        // Which case managers with cases have a staff entry, by their place in the tally: the
        // others get an error object at the end.
        var matched = [Bool](repeating: false, count: tally.count)
        let noCounts = [Int](repeating: 0, count: 1 + accumulators.count)
        var ev = Evaluator(policy: policy, root: RecordValue.empty, stichtag: stichtag)
        var fired: [CaseLineWriter.Fired] = []
        let messages = OutputBytes(), line = OutputBytes()
        for member in staff {
            guard case .string(let id) = member[idSlot] else { continue }
            let place = tally.place(of: id)
            if let place { matched[place] = true }
            let counts = place.map { tally.counts(at: $0) } ?? noCounts[...]
            ev.start(root: RecordValue.empty, stichtag: stichtag)
            ev.staff = member
            if !fired.isEmpty { fired.removeAll(keepingCapacity: true) }
            messages.removeAll()
            var from = counts.startIndex + 1   // past the number of cases
            for (r, rule) in caseloadWriter.rules.enumerated() {
                let n = accumulatorShape[r]
                ev.caseloadCounts = Array(counts[from..<from + n])
                from += n
                var noTrace: [String]? = nil
                guard let verdict = checker.decide(caseloadWriter.codes[r], &ev, horizon: options.horizonDays, trace: &noTrace) else { continue }
                let start = messages.count
                checker.appendEscapedMessage(verdict.message, &ev, caseloadWriter.messageTexts, to: messages)
                fired.append(caseloadWriter.fired(rule: r, severity: verdict.severity, due: verdict.due, message: start..<messages.count))
                statistics.count(caseloadRule: rule.id, severity: verdict.severity)
            }
            statistics.caseManagers += 1
            caseloadWriter.sort(&fired)
            caseloadWriter.appendCaseloadLine(manager: id, fired: fired, messages: messages, line: line, to: &out)
        }
        // Sorting only these names, not all case managers': most have a staff entry.
        let unknown = (0..<tally.count).filter { !matched[$0] }.sorted { tally.name(at: $0) < tally.name(at: $1) }
        for place in unknown {
            statistics.unknownCaseManagers += 1
            out.appendLiteral(#"{"fallmanager":"#)
            JSONWriter.quote(tally.name(at: place), into: &out)
            out.appendLiteral(#","policy":"#)
            JSONWriter.quote(policy.id, into: &out)
            let cases = tally.counts(at: place).first ?? 0
            out.append(contentsOf: ",\"error\":\"case manager not in the staff file (\(cases) case\(cases == 1 ? "" : "s"))\"}\n".utf8)
        }
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
