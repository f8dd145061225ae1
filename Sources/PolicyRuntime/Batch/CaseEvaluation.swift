import PolicyLang

/// One case after checking, for consumers that need more than the findings (the monthly
/// report): the findings, and the case's values by name.
public struct CaseEvaluation {
    public let result: CaseResult
    public let decoded: DecodedCase
    var evaluator: Evaluator

    /// A parameter or definition of the policy (`in_betreuung`, `u25`), evaluated for this
    /// case; nil when the policy has no such name.
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
        let decoded: DecodedCase
        do { decoded = try decoder.decode(line) } catch { return .failure(error) }
        let stichtag = options.asOf ?? decoded.stichtag ?? options.today
        if !options.ignoreInForce, let problem = policy.notInForce(at: stichtag) {
            return .failure(CaseReadError(path: "", message: problem, offset: 0, caseID: decoded.id))
        }
        decoded.applyStichtag(stichtag, schema: policy.schema)
        var evaluator = Evaluator(policy: policy, root: decoded.root, stichtag: stichtag)
        let result = checker.check(decoded, evaluator: &evaluator, options: options)
        return .success(CaseEvaluation(result: result, decoded: decoded, evaluator: evaluator))
    }
}
