import PolicyLang

/// One case after checking, for consumers that need more than the findings (the monthly
/// report): the findings, and the case's values by name.
public struct CaseEvaluation {
    public let result: CaseResult
    public let decoded: DecodedCase
    var evaluator: Evaluator

    /// A parameter or definition of the policy (`in_betreuung`, `u25`), evaluated for this
    /// case; nil when the policy has no such name. A definition that no rule reaches needs a
    /// stream that reads every field (`readsEveryField`): a policy's own decoder drops what its
    /// rules cannot read, so such a definition would see empty lists and `""` strings.
    public mutating func value(named name: String) -> Value? {
        guard let i = evaluator.policy.values.firstIndex(where: { $0.name == name }) else { return nil }
        return evaluator.value(i)
    }

    /// A field of the case by its path (`["fallmanagement", "beginn"]`); absent when any step is.
    public func field(_ path: [String]) -> Value {
        var record: RecordValue? = decoded.root
        var type: RecordType? = evaluator.policy.schema.root
        var value = Value.absent
        for name in path {
            guard let r = record, let t = type, let slot = t.fieldIndex[name] else { return .absent }
            value = r[slot]
            if case .record(let inner) = value, case .record(let innerType) = t.fields[slot].type.base {
                record = inner; type = innerType
            } else {
                record = nil; type = nil
            }
        }
        return value
    }

    /// The name of an enum value of the field at `path` (`beendigungsgrund` → "hoechstdauer").
    public func enumName(_ path: [String]) -> String? {
        guard case .enumCase(let i) = field(path) else { return nil }
        var type: RecordType? = evaluator.policy.schema.root
        var fieldType: PolicyType?
        for name in path {
            guard let t = type, let slot = t.fieldIndex[name] else { return nil }
            fieldType = t.fields[slot].type.base
            if case .record(let inner)? = fieldType { type = inner } else { type = nil }
        }
        if case .enumeration(let e)? = fieldType, i < e.cases.count { return e.cases[i] }
        return nil
    }
}

extension CaseStream {
    /// Decodes and checks one line; the error text of a line that cannot be read otherwise.
    public func evaluate(line: UnsafeBufferPointer<UInt8>) -> Result<CaseEvaluation, CaseReadError> {
        var workspace = Workspace()
        return judge(line: line, workspace: &workspace) { decoded, evaluator in
            let result = checker.check(decoded, evaluator: &evaluator, options: options)
            return CaseEvaluation(result: result, decoded: decoded, evaluator: evaluator)
        }
    }

    /// Decodes one line and judges it at its Stichtag as `check(line:…)` does, then hands the
    /// case and the worker's evaluator, started on it, to `body`, which asks for the verdicts
    /// it needs (`severity(ofCaseRule:_:)`): no rule is decided, no message written unasked.
    /// The failure of a line that cannot be judged otherwise.
    func judge<Judged>(line: UnsafeBufferPointer<UInt8>, workspace: inout Workspace,
                       _ body: (DecodedCase, inout Evaluator) -> Judged) -> Result<Judged, CaseReadError> {
        switch start(line: line, workspace: &workspace) {
        case .failure(let error): return .failure(error)
        case .success(let decoded):
            var evaluator = workspace.evaluator.take()!
            defer { workspace.evaluator = evaluator }
            let judged = body(decoded, &evaluator)
            // The evaluator's records are views into the case's arena, which goes with `decoded`.
            withExtendedLifetime(decoded) {}
            return .success(judged)
        }
    }

    /// The place of the case rule `id` among the stream's case rules; nil when the policy has none.
    func caseRule(_ id: String) -> Int? {
        lineWriter.ruleIDs.firstIndex(of: id)
    }

    /// The severity of the finding that case rule `r` gives the case `evaluator` was started
    /// on, nil when it gives none: `check`'s decision, without the message.
    func severity(ofCaseRule r: Int, _ evaluator: inout Evaluator) -> FindingSeverity? {
        var noTrace: [String]? = nil
        return checker.decide(lineWriter.codes[r], &evaluator, horizon: options.horizonDays, trace: &noTrace)?.severity
    }
}
