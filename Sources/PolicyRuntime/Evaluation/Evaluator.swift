import PolicyLang

/// Evaluates a policy's compiled expressions for one case. Absent values follow Kleene's
/// three-valued logic: a comparison with an absent value is unknown, `false and unknown`
/// is false, `true or unknown` is true, and a condition fires only when definitely true.
struct Evaluator {
    let policy: CheckedPolicy
    private(set) var root: RecordValue
    private(set) var stichtag: CalendarDate
    /// `policy.program`'s arrays, which live as long as the policy this evaluator holds.
    private let code: UnsafeMutablePointer<Instruction>
    private let constants: UnsafeMutablePointer<Value>
    private let operands: UnsafeMutablePointer<Int32>
    /// Parameters and definitions, computed at most once per case.
    private let memo: Memo
    var locals: [Value] = []
    var due: CalendarDate?
    /// Caseload rules: the counts of the rule's accumulators, and the staff entry.
    var caseloadCounts: [Int] = []
    var staff: RecordValue?
    /// Where the lists a rule builds (`filter`) are kept: they live until the next case.
    private var scratch: CaseArena?

    init(policy: CheckedPolicy, root: RecordValue, stichtag: CalendarDate) {
        self.policy = policy
        self.root = root
        self.stichtag = stichtag
        self.code = policy.program.instructions.baseAddress!
        self.constants = policy.program.constants.baseAddress!
        self.operands = policy.program.operands.baseAddress!
        self.memo = Memo(count: policy.values.count)
    }

    /// The same evaluator for the next case: what it computed for the last one is forgotten,
    /// the memory it used is kept (a batch worker checks every case with one evaluator).
    /// Copies of an evaluator share that memory, so only the one copy still in use may start again.
    mutating func start(root: RecordValue, stichtag: CalendarDate) {
        self.root = root
        self.stichtag = stichtag
        memo.forget()
        due = nil
        scratch?.reset()
    }

    /// `e`, which must be one of the policy's own expressions.
    mutating func evaluate(_ e: CheckedExpr) -> Value {
        precondition(e.instruction >= 0, "expression not compiled with the policy")
        return run(e.instruction)
    }

    /// The policy's value `i` (a parameter or definition), once per case.
    mutating func value(_ i: Int) -> Value {
        if let v = memo[i] { return v }
        let v = run(policy.program.valueEntries[i])
        memo.remember(v, at: i)
        return v
    }

    /// One value per parameter or definition, valid when stamped with the current generation:
    /// forgetting them all for the next case is one increment, not a pass over the values.
    private final class Memo {
        private let values: UnsafeMutablePointer<Value>
        private let stamps: UnsafeMutablePointer<UInt32>
        private let count: Int
        // Unchecked: an evaluator, and so its memo, is used by one thread at a time.
        @exclusivity(unchecked) private var generation: UInt32 = 1

        init(count: Int) {
            self.count = count
            values = .allocate(capacity: max(count, 1))
            values.initialize(repeating: .absent, count: count)
            stamps = .allocate(capacity: max(count, 1))
            stamps.initialize(repeating: 0, count: count)
        }

        deinit {
            values.deinitialize(count: count)
            values.deallocate()
            stamps.deallocate()
        }

        /// Value `i`, if computed for the current case.
        @inline(__always)
        subscript(i: Int) -> Value? { stamps[i] == generation ? values[i] : nil }

        @inline(__always)
        func remember(_ value: Value, at i: Int) {
            values[i] = value
            stamps[i] = generation
        }

        func forget() {
            generation &+= 1
            // After 2^32 cases the stamps could match again: start them over.
            if generation == 0 {
                stamps.update(repeating: 0, count: count)
                generation = 1
            }
        }
    }

    /// The operand at `index`: the leaves of an expression (constants, the Stichtag, fields,
    /// binders, values already computed) are read here, in the caller, and only the inner
    /// instructions cost a call of `run` (which is most of what evaluating an expression costs).
    @inline(__always)
    private mutating func operand(_ index: Int32) -> Value {
        let i = code[Int(index)]
        switch i.op {
        case .constant: return constants[Int(i.a)]
        case .stichtag: return .date(stichtag)
        case .rootField where i.a >= 0: return root[Int(i.a)]
        case .local: return locals[Int(i.a)]
        case .value: if let v = memo[Int(i.a)] { return v }
        case .field:
            // `p.datum`, `fm.beginn`: a field of a binder, of a field of the case, or of a value
            // already computed.
            let base = code[Int(i.a)]
            switch base.op {
            case .local:
                if case .record(let r) = locals[Int(base.a)] { return r[Int(i.b)] }
                return .absent
            case .rootField where base.a >= 0:
                if case .record(let r) = root[Int(base.a)] { return r[Int(i.b)] }
                return .absent
            case .value:
                guard let v = memo[Int(base.a)] else { break }
                if case .record(let r) = v { return r[Int(i.b)] }
                return .absent
            default: break
            }
        default: break
        }
        return run(index)
    }

    /// The instruction at `index` of the policy's program.
    mutating func run(_ index: Int32) -> Value {
        let i = code[Int(index)]
        switch i.op {
        case .constant: return constants[Int(i.a)]
        case .stichtag: return .date(stichtag)
        case .due: return due.map(Value.date) ?? .absent
        case .rootField: return i.a >= 0 ? root[Int(i.a)] : .absent
        case .field:
            if case .record(let r) = operand(i.a) { return r[Int(i.b)] }
            return .absent
        case .local: return locals[Int(i.a)]
        case .value: return value(Int(i.a))
        case .not:
            if case .bool(let b) = operand(i.a) { return .bool(!b) }
            return .absent
        case .negate:
            switch operand(i.a) {
            case .integer(let n): return n == Int.min ? .absent : .integer(-n)
            case .decimal(let d): return .decimal(d.negated())
            default: return .absent
            }
        case .and:
            let x = operand(i.a)
            if case .bool(false) = x { return .bool(false) }
            let y = operand(i.b)
            if case .bool(false) = y { return .bool(false) }
            if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
            return .absent
        case .or:
            let x = operand(i.a)
            if case .bool(true) = x { return .bool(true) }
            let y = operand(i.b)
            if case .bool(true) = y { return .bool(true) }
            if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
            return .absent
        case .compare(let op):
            let x = operand(i.a), y = operand(i.b)
            guard let order = Evaluator.compare(x, y) else { return .absent }
            switch op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            case .greaterEqual: return .bool(order >= 0)
            }
        case .arithmetic(let op):
            return Evaluator.arithmetic(op, operand(i.a), operand(i.b))
        case .shiftDate(let adding):
            guard case .date(let d) = operand(i.a), case .duration(let span) = operand(i.b) else { return .absent }
            return span.added(to: d, sign: adding ? 1 : -1).map(Value.date) ?? .absent
        case .otherwise:
            let x = operand(i.a)
            return x.isAbsent ? operand(i.b) : x
        case .isTest(let test):
            let x = operand(i.a)
            switch test {
            case .isTrue: if case .bool(true) = x { return .bool(true) }; return .bool(false)
            case .isFalse: if case .bool(false) = x { return .bool(true) }; return .bool(false)
            case .absent: return .bool(x.isAbsent)
            case .present: return .bool(!x.isAbsent)
            }
        case .member:
            let x = operand(i.a)
            if x.isAbsent { return .absent }
            guard case .set(let elements) = operand(i.b) else { return .absent }
            return .bool(elements.contains(x))
        case .inRange:
            let x = operand(i.a), l = operand(i.b), h = operand(i.c)
            guard let c1 = Evaluator.compare(l, x), let c2 = Evaluator.compare(x, h) else { return .absent }
            return .bool(c1 <= 0 && c2 <= 0)
        case .setLiteral:
            var elements: [Value] = []
            for k in Int(i.a)..<Int(i.a + i.b) {
                let x = operand(operands[k])
                if !x.isAbsent { elements.append(x) }
            }
            return .set(elements)
        case .conditional:
            switch operand(i.a) {
            case .bool(true): return operand(i.b)
            case .bool(false): return operand(i.c)
            default: return .absent
            }
        case .age:
            guard case .date(let b) = operand(i.a), case .date(let d) = operand(i.b) else { return .absent }
            return .integer(CalendarDate.age(born: b, on: d))
        case .listOperation(let op):
            return evaluateList(op, i.a, Int(i.b), i.c, i.d)
        case .entryByField(let op):
            return entry(op, of: i.a, byDateIn: Int(i.b))
        case .caseValue:
            // Accumulators run in the evaluator of the very case they count.
            guard case .record(let r) = operand(i.a), r === root else { return .absent }
            return value(Int(i.b))
        case .caseloadCount: return Int(i.a) < caseloadCounts.count ? .integer(caseloadCounts[Int(i.a)]) : .absent
        case .staffMember: return staff.map(Value.record) ?? .absent
        }
    }

    /// `condition` and `key` are -1 when the operation has none.
    private mutating func evaluateList(_ op: ListOperation, _ list: Int32, _ binder: Int,
                                       _ condition: Int32, _ key: Int32) -> Value {
        guard case .list(let elements) = operand(list) else {
            // An absent list (e.g. of an absent episode) is empty.
            switch op {
            case .count: return .integer(0)
            case .any: return .bool(false)
            case .all: return .bool(true)
            case .filter: return .list(.empty)
            case .latest, .earliest: return .absent
            }
        }
        if condition < 0, key < 0, op == .count { return .integer(elements.count) }
        if locals.count <= binder { locals.append(contentsOf: repeatElement(.absent, count: binder + 1 - locals.count)) }
        var count = 0
        var kept: [Value] = []
        var best: (Value, CalendarDate)?
        for element in elements {
            locals[binder] = element
            // An element whose condition is unknown does not count.
            if condition >= 0, operand(condition) != .bool(true) {
                if op == .all { return .bool(false) }
                continue
            }
            switch op {
            case .count: count += 1
            case .any: return .bool(true)
            case .all: break
            case .filter: kept.append(element)
            case .latest, .earliest:
                guard key >= 0, case .date(let d) = operand(key) else { continue }
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

    /// `latest`/`earliest` entry of the list `list` by the date in field `slot` of each entry,
    /// decided as `evaluateList` decides it; entries without that date do not count.
    private mutating func entry(_ op: ListOperation, of list: Int32, byDateIn slot: Int) -> Value {
        guard case .list(let entries) = operand(list) else { return .absent }
        var best: RecordValue?
        var bestDate = CalendarDate(dayNumber: 0)
        for entry in entries {
            guard case .record(let r) = entry, case .date(let d) = r[slot] else { continue }
            // "Latest": on equal dates the entry later in the list; "earliest": the first.
            if best == nil || (op == .latest ? d >= bestDate : d < bestDate) {
                best = r
                bestDate = d
            }
        }
        return best.map(Value.record) ?? .absent
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
