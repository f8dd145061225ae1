import PolicyLang

/// Evaluates checked expressions for one case. Absent values follow Kleene's
/// three-valued logic: a comparison with an absent value is unknown, `false and unknown`
/// is false, `true or unknown` is true, and a condition fires only when definitely true.
struct Evaluator {
    let policy: CheckedPolicy
    let root: RecordValue
    let stichtag: CalendarDate
    /// Parameters and definitions, computed at most once per case.
    var memo: [Value?]
    var locals: [Value] = []
    var due: CalendarDate?
    /// Caseload rules: the counts of the rule's accumulators, and the staff entry.
    var caseloadCounts: [Int] = []
    var staff: RecordValue?
    /// Where the lists a rule builds (`filter`) are kept: they live as long as the evaluator.
    private var scratch: CaseArena?

    init(policy: CheckedPolicy, root: RecordValue, stichtag: CalendarDate) {
        self.policy = policy
        self.root = root
        self.stichtag = stichtag
        self.memo = Array(repeating: nil, count: policy.values.count)
    }

    mutating func evaluate(_ e: CheckedExpr) -> Value {
        switch e.kind {
        case .constant(let v): return v
        case .stichtag: return .date(stichtag)
        case .due: return due.map(Value.date) ?? .absent
        case .rootField(let slot): return slot >= 0 ? root[slot] : .absent
        case .field(let base, let slot):
            if case .record(let r) = evaluate(base) { return r[slot] }
            return .absent
        case .local(let slot): return locals[slot]
        case .value(let i):
            if let v = memo[i] { return v }
            let v = evaluate(policy.values[i].expression)
            memo[i] = v
            return v
        case .not(let x):
            if case .bool(let b) = evaluate(x) { return .bool(!b) }
            return .absent
        case .negate(let x):
            switch evaluate(x) {
            case .integer(let n): return n == Int.min ? .absent : .integer(-n)
            case .decimal(let d): return .decimal(d.negated())
            default: return .absent
            }
        case .and(let a, let b):
            let x = evaluate(a)
            if case .bool(false) = x { return .bool(false) }
            let y = evaluate(b)
            if case .bool(false) = y { return .bool(false) }
            if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
            return .absent
        case .or(let a, let b):
            let x = evaluate(a)
            if case .bool(true) = x { return .bool(true) }
            let y = evaluate(b)
            if case .bool(true) = y { return .bool(true) }
            if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
            return .absent
        case .compare(let op, let a, let b):
            let x = evaluate(a), y = evaluate(b)
            guard let order = Evaluator.compare(x, y) else { return .absent }
            switch op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            case .greaterEqual: return .bool(order >= 0)
            }
        case .arithmetic(let op, let a, let b):
            return Evaluator.arithmetic(op, evaluate(a), evaluate(b))
        case .shiftDate(let a, let b, let sign):
            guard case .date(let d) = evaluate(a), case .duration(let span) = evaluate(b) else { return .absent }
            return .date(span.added(to: d, sign: sign))
        case .otherwise(let a, let b):
            let x = evaluate(a)
            return x.isAbsent ? evaluate(b) : x
        case .isTest(let a, let test):
            let x = evaluate(a)
            switch test {
            case .isTrue: if case .bool(true) = x { return .bool(true) }; return .bool(false)
            case .isFalse: if case .bool(false) = x { return .bool(true) }; return .bool(false)
            case .absent: return .bool(x.isAbsent)
            case .present: return .bool(!x.isAbsent)
            }
        case .member(let a, let s):
            let x = evaluate(a)
            if x.isAbsent { return .absent }
            guard case .set(let elements) = evaluate(s) else { return .absent }
            return .bool(elements.contains(x))
        case .inRange(let a, let lo, let hi):
            let x = evaluate(a), l = evaluate(lo), h = evaluate(hi)
            guard let c1 = Evaluator.compare(l, x), let c2 = Evaluator.compare(x, h) else { return .absent }
            return .bool(c1 <= 0 && c2 <= 0)
        case .setLiteral(let elements):
            return .set(elements.map { evaluate($0) }.filter { !$0.isAbsent })
        case .conditional(let c, let a, let b):
            switch evaluate(c) {
            case .bool(true): return evaluate(a)
            case .bool(false): return evaluate(b)
            default: return .absent
            }
        case .age(let born, let on):
            guard case .date(let b) = evaluate(born), case .date(let d) = evaluate(on) else { return .absent }
            return .integer(CalendarDate.age(born: b, on: d))
        case .listOperation(let op, let listExpr, let binder, let condition, let key):
            return evaluateList(op, listExpr, binder, condition, key)
        case .caseValue(let base, let i):
            // Accumulators run in the evaluator of the very case they count.
            guard case .record(let r) = evaluate(base), r === root else { return .absent }
            if let v = memo[i] { return v }
            let v = evaluate(policy.values[i].expression)
            memo[i] = v
            return v
        case .caseloadCount(let i): return i < caseloadCounts.count ? .integer(caseloadCounts[i]) : .absent
        case .staffMember: return staff.map(Value.record) ?? .absent
        }
    }

    private mutating func evaluateList(_ op: ListOperation, _ listExpr: CheckedExpr, _ binder: Int,
                                       _ condition: CheckedExpr?, _ key: CheckedExpr?) -> Value {
        guard case .list(let elements) = evaluate(listExpr) else {
            // An absent list (e.g. of an absent episode) is empty.
            switch op {
            case .count: return .integer(0)
            case .any: return .bool(false)
            case .all: return .bool(true)
            case .filter: return .list(.empty)
            case .latest, .earliest: return .absent
            }
        }
        if condition == nil, key == nil, op == .count { return .integer(elements.count) }
        if locals.count <= binder { locals.append(contentsOf: repeatElement(.absent, count: binder + 1 - locals.count)) }
        var count = 0
        var kept: [Value] = []
        var best: (Value, CalendarDate)?
        for element in elements {
            locals[binder] = element
            // An element whose condition is unknown does not count.
            if let condition, evaluate(condition) != .bool(true) {
                if op == .all { return .bool(false) }
                continue
            }
            switch op {
            case .count: count += 1
            case .any: return .bool(true)
            case .all: break
            case .filter: kept.append(element)
            case .latest, .earliest:
                guard let key, case .date(let d) = evaluate(key) else { continue }
                // "Latest": on equal dates the entry later in the list; "earliest": the first.
                if let current = best {
                    if op == .latest ? d >= current.1 : d < current.1 { best = (element, d) }
                } else {
                    best = (element, d)
                }
            }
        }
        switch op {
        case .count: return .integer(count)
        case .any: return .bool(false)
        case .all: return .bool(true)
        case .filter: return .list(scratchArena().list(kept))
        case .latest, .earliest: return best?.0 ?? .absent
        }
    }

    private mutating func scratchArena() -> CaseArena {
        if let scratch { return scratch }
        let arena = CaseArena()
        scratch = arena
        return arena
    }

    /// -1, 0, 1, or nil when either side is absent or they do not compare.
    static func compare(_ x: Value, _ y: Value) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (x, y) {
        case (.integer(let a), .integer(let b)): return order(a, b)
        case (.decimal(let a), .decimal(let b)): return order(a, b)
        case (.integer(let a), .decimal(let b)): return order(DecimalNumber(a), b)
        case (.decimal(let a), .integer(let b)): return order(a, DecimalNumber(b))
        case (.date(let a), .date(let b)): return order(a, b)
        case (.string(let a), .string(let b)): return order(a, b)
        case (.enumCase(let a), .enumCase(let b)): return a == b ? 0 : 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : 1
        case (.severity(let a), .severity(let b)): return a == b ? 0 : 1
        case (.duration(let a), .duration(let b)): return a == b ? 0 : 1
        default: return nil
        }
    }

    /// Overflow gives an absent value rather than a crash or a wrong number.
    static func arithmetic(_ op: CheckedExpr.Arithmetic, _ x: Value, _ y: Value) -> Value {
        switch (x, y) {
        case (.integer(let a), .integer(let b)):
            let (r, overflow) = switch op {
            case .plus: a.addingReportingOverflow(b)
            case .minus: a.subtractingReportingOverflow(b)
            case .times: a.multipliedReportingOverflow(by: b)
            }
            return overflow ? .absent : .integer(r)
        default:
            guard let a = decimal(x), let b = decimal(y) else { return .absent }
            let r: DecimalNumber? = switch op {
            case .plus: a.adding(b)
            case .minus: a.adding(b.negated())
            case .times: a.multiplied(by: b)
            }
            return r.map(Value.decimal) ?? .absent
        }
    }

    static func decimal(_ v: Value) -> DecimalNumber? {
        switch v {
        case .integer(let n): DecimalNumber(n)
        case .decimal(let d): d
        default: nil
        }
    }
}
