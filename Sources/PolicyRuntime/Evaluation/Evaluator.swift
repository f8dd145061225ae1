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
        let entry = code[Int(policy.program.valueEntries[i])]
        let v: Value
        // `letzte_… = latest p in … by p.datum`, the commonest definition, without a call of `run`.
        if case .entryByField(let op) = entry.op {
            v = self.entry(op, of: entry.a, byDateIn: Int(entry.b))
        } else {
            v = run(policy.program.valueEntries[i])
        }
        memo.remember(v, at: i)
        return v
    }

    /// One value per parameter or definition, valid when stamped with the current generation:
    /// forgetting them all for the next case is one increment, not a pass over the values.
    private final class Memo {
        /// Read in place (`isCurrent` first) where only a bool or a date is wanted: no copy of the `Value`.
        let values: UnsafeMutablePointer<Value>
        private let stamps: UnsafeMutablePointer<UInt32>
        private let count: Int
        // Unchecked: an evaluator, and so its memo, is used by one thread at a time.
        @exclusivity(unchecked) private var generation: UInt32 = 1

        /// An absent value after the last, for `leaf` to point at.
        var absent: UnsafePointer<Value> { UnsafePointer(values + count) }

        init(count: Int) {
            self.count = count
            values = .allocate(capacity: count + 1)
            values.initialize(repeating: .absent, count: count + 1)
            stamps = .allocate(capacity: max(count, 1))
            stamps.initialize(repeating: 0, count: count)
        }

        deinit {
            values.deinitialize(count: count + 1)
            values.deallocate()
            stamps.deallocate()
        }

        /// Value `i`, if computed for the current case.
        @inline(__always)
        subscript(i: Int) -> Value? { stamps[i] == generation ? values[i] : nil }

        @inline(__always)
        func isCurrent(_ i: Int) -> Bool { stamps[i] == generation }

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
        case .not, .and, .or, .compare, .compareDates, .isTest, .inEnumSet:
            return innerTruth(index).map(Value.bool) ?? .absent
        case .negate:
            switch operand(i.a) {
            case .integer(let n): return n == Int.min ? .absent : .integer(-n)
            case .decimal(let d): return .decimal(d.negated())
            default: return .absent
            }
        case .arithmetic(let op):
            return Evaluator.arithmetic(op, operand(i.a), operand(i.b))
        case .shiftDate:
            return innerDate(index).map(Value.date) ?? .absent
        case .otherwise:
            let x = operand(i.a)
            return x.isAbsent ? operand(i.b) : x
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

    // MARK: Conditions and dates without a `Value`

    /// What instruction `index` gives as a condition: its bool, or nil when it is absent. A rule's
    /// guard and conditions and the logic inside them are decided here (and dates in `date`)
    /// rather than in `run`: a bool or a date comes back in a register, where a `Value` is
    /// returned through memory and copied and destroyed by the runtime's outlined functions,
    /// and a definition already computed is read without a call.
    @inline(always)
    mutating func truth(_ index: Int32) -> Bool? {
        let i = code[Int(index)]
        switch i.op {
        case .isTest(let test):
            // `fm.tl_ruecksprache ist fehlend`, `arbeitsaufnahme_seit_ende ist wahr`
            guard let x = leaf(i.a) else { break }
            return Evaluator.holds(test, x)
        case .compareDates(let op):
            // `fm.beginn <= stichtag`
            let x = leafDate(i.a), y = leafDate(i.b)
            guard x.isLeaf, y.isLeaf else { break }
            guard let a = x.date, let b = y.date else { return nil }
            return Evaluator.holds(op, a < b ? -1 : (a == b ? 0 : 1))
        case .not:
            guard let x = leaf(i.a) else { break }
            if case .bool(let b) = x.pointee { return !b }
            return nil
        default:
            guard let x = leaf(index) else { break }
            if case .bool(let b) = x.pointee { return b }
            return nil
        }
        return innerTruth(index)
    }

    /// Where the value of a leaf instruction lies (a field of the case, of a record the case
    /// holds or of a definition already computed, a definition already computed, a constant),
    /// or nil when it has to be computed. Read in place, a leaf costs no call and no copy.
    @inline(always)
    private func leaf(_ index: Int32) -> UnsafePointer<Value>? {
        let i = code[Int(index)]
        switch i.op {
        case .constant: return UnsafePointer(constants + Int(i.a))
        case .rootField where i.a >= 0: return root.address(of: Int(i.a))
        case .value where memo.isCurrent(Int(i.a)): return UnsafePointer(memo.values + Int(i.a))
        case .field:
            let base = code[Int(i.a)]
            let record: UnsafePointer<Value>
            switch base.op {
            case .rootField where base.a >= 0: record = root.address(of: Int(base.a))
            case .value where memo.isCurrent(Int(base.a)): record = UnsafePointer(memo.values + Int(base.a))
            default: return nil
            }
            // A field of an absent record (an episode the case does not have) is absent.
            if case .record(let r) = record.pointee { return r.address(of: Int(i.b)) }
            return memo.absent
        default: return nil
        }
    }

    /// `leaf` for a date, and the Stichtag, which is not stored as a `Value`.
    @inline(always)
    private func leafDate(_ index: Int32) -> (isLeaf: Bool, date: CalendarDate?) {
        if case .stichtag = code[Int(index)].op { return (true, stichtag) }
        guard let x = leaf(index) else { return (false, nil) }
        if case .date(let d) = x.pointee { return (true, d) }
        return (true, nil)
    }

    @inline(always)
    private static func holds(_ test: IsTest, _ x: UnsafePointer<Value>) -> Bool {
        switch test {
        case .isTrue: if case .bool(true) = x.pointee { return true }; return false
        case .isFalse: if case .bool(false) = x.pointee { return true }; return false
        case .absent: if case .absent = x.pointee { return true }; return false
        case .present: if case .absent = x.pointee { return false }; return true
        }
    }

    /// `truth` of an instruction that is not a definition already computed; `run` gives its
    /// answer for the logical operations, comparisons and tests.
    private mutating func innerTruth(_ index: Int32) -> Bool? {
        let i = code[Int(index)]
        switch i.op {
        case .not:
            return truth(i.a).map { !$0 }
        case .and:
            let x = truth(i.a)
            if x == false { return false }
            let y = truth(i.b)
            if y == false { return false }
            return x == true && y == true ? true : nil
        case .or:
            let x = truth(i.a)
            if x == true { return true }
            let y = truth(i.b)
            if y == true { return true }
            return x == false && y == false ? false : nil
        case .compareDates(let op):
            guard let x = date(i.a), let y = date(i.b) else { return nil }
            return Evaluator.holds(op, x < y ? -1 : (x == y ? 0 : 1))
        case .compare(let op):
            guard let order = Evaluator.compare(operand(i.a), operand(i.b)) else { return nil }
            return Evaluator.holds(op, order)
        case .inEnumSet:
            // An absent value is in no set and outside none: unknown.
            guard case .enumCase(let k) = operand(i.a) else { return nil }
            let names = UInt64(UInt32(bitPattern: i.c)) | UInt64(UInt32(bitPattern: i.d)) << 32
            return names >> k & 1 == 1
        case .isTest(let test):
            switch test {
            case .isTrue: return truth(i.a) == true
            case .isFalse: return truth(i.a) == false
            case .absent: return operand(i.a).isAbsent
            case .present: return !operand(i.a).isAbsent
            }
        case .value:
            // A condition defined once (`in_betreuung`), decided here the first time it is asked
            // for and remembered as the `Value` that `run` would have given.
            let k = Int(i.a)
            guard !memo.isCurrent(k) else { return truth(index) }
            let b = innerTruth(policy.program.valueEntries[k])
            memo.remember(b.map(Value.bool) ?? .absent, at: k)
            return b
        case .caseValue:
            // `c.in_betreuung` in a caseload rule's accumulator: the case's own definition,
            // nearly always already computed for its rules.
            guard case .record(let r) = operand(i.a), r === root else { return nil }
            let k = Int(i.b)
            if memo.isCurrent(k) {
                if case .bool(let b) = memo.values[k] { return b }
                return nil
            }
            if case .bool(let b) = value(k) { return b }
            return nil
        default:
            if case .bool(let b) = run(index) { return b }
            return nil
        }
    }

    @inline(always)
    private static func holds(_ op: CheckedExpr.Comparison, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessEqual: order <= 0
        case .greater: order > 0
        case .greaterEqual: order >= 0
        }
    }

    /// What instruction `index` gives as a date, or nil when it is absent: `fm.beginn`,
    /// `stichtag` and a definition already computed are read without a call.
    @inline(always)
    mutating func date(_ index: Int32) -> CalendarDate? {
        let i = code[Int(index)]
        switch i.op {
        case .stichtag: return stichtag
        case .rootField where i.a >= 0:
            if case .date(let d) = root[Int(i.a)] { return d }
            return nil
        case .value where memo.isCurrent(Int(i.a)):
            if case .date(let d) = memo.values[Int(i.a)] { return d }
            return nil
        case .field:
            // `fm.beginn`, `p.datum`: a field of a field of the case, of a binder, or of a
            // value already computed.
            let base = code[Int(i.a)], slot = Int(i.b)
            switch base.op {
            case .rootField where base.a >= 0:
                if case .record(let r) = root[Int(base.a)], case .date(let d) = r[slot] { return d }
            case .local:
                if case .record(let r) = locals[Int(base.a)], case .date(let d) = r[slot] { return d }
            case .value where memo.isCurrent(Int(base.a)):
                if case .record(let r) = memo.values[Int(base.a)], case .date(let d) = r[slot] { return d }
            default:
                return innerDate(index)
            }
            return nil
        default:
            return innerDate(index)
        }
    }

    /// `date` of an instruction that is not a leaf; `run` gives its answer for `shiftDate`.
    private mutating func innerDate(_ index: Int32) -> CalendarDate? {
        let i = code[Int(index)]
        switch i.op {
        case .shiftDate(let adding):
            guard let d = date(i.a) else { return nil }
            // The duration is nearly always a parameter, which is read as a constant.
            let span = code[Int(i.b)]
            let amount: PolicyLang.Duration
            if case .constant = span.op, case .duration(let constant) = constants[Int(span.a)] {
                amount = constant
            } else {
                guard case .duration(let computed) = operand(i.b) else { return nil }
                amount = computed
            }
            return amount.added(to: d, sign: adding ? 1 : -1)
        case .field:
            // `letzte_eingliederungsvereinbarung.datum`, the definition not yet computed
            let base = code[Int(i.a)]
            if case .value = base.op {
                if case .record(let r) = value(Int(base.a)), case .date(let d) = r[Int(i.b)] { return d }
                return nil
            }
            if case .date(let d) = run(index) { return d }
            return nil
        case .otherwise:
            // Both sides are dates (or absent): the first that is not absent.
            return date(i.a) ?? date(i.b)
        case .conditional:
            switch truth(i.a) {
            case true?: return date(i.b)
            case false?: return date(i.c)
            case nil: return nil
            }
        case .value:
            // A date defined once (`clearing_ende`), as for a condition in `innerTruth`.
            let k = Int(i.a)
            guard !memo.isCurrent(k) else { return date(index) }
            let d = innerDate(policy.program.valueEntries[k])
            memo.remember(d.map(Value.date) ?? .absent, at: k)
            return d
        case .due:
            return due
        default:
            if case .date(let d) = run(index) { return d }
            return nil
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
            if condition >= 0, truth(condition) != true {
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
