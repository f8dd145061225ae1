/// What one conjunct of a condition demands of one value, when that is simple enough to
/// reason about exactly: the value compared with a constant, tested for membership in a
/// set of constants or a range between constants, or tested with `is absent`/`is present`.
/// A conjunct is definitely true only if its demand holds, so conjuncts whose demands on
/// the same value cannot hold together make the whole conjunction never true.
struct Demand {
    enum Kind {
        case compare(CheckedExpr.Comparison, Value)
        case member([Value])
        case range(Value, Value)
        case absent
        case present
    }
    /// The value the demand is about, as its canonical key.
    let subject: String
    let subjectExpr: CheckedExpr
    let kind: Kind
    /// The conjunct it comes from.
    let source: CheckedExpr

    var needsValue: Bool { if case .absent = kind { return false }; return true }

    /// The demands of one conjunct: on the value it compares with constants, on the
    /// operands of a comparison (they must have a value for it to be true), and otherwise
    /// on the conjunct itself (it must be definitely true).
    static func of(_ c: CheckedExpr, keys: ExpressionKey) -> [Demand] {
        var out: [Demand] = []
        func add(_ subject: CheckedExpr, _ kind: Kind) {
            if constant(subject) == nil { out.append(Demand(subject: keys.key(subject), subjectExpr: subject, kind: kind, source: c)) }
        }
        func mustBeTrue() { if c.type.base == .bool { add(c, .compare(.equal, .bool(true))) } }
        /// A comparison, `in` or range with an absent operand is unknown.
        func operandsPresent(_ e: CheckedExpr) {
            switch e.kind {
            case .compare(_, let a, let b): add(a, .present); add(b, .present)
            case .member(let a, _): add(a, .present)
            case .inRange(let a, let lo, let hi): add(a, .present); add(lo, .present); add(hi, .present)
            default: break
            }
        }
        switch c.kind {
        case .compare(let op, let a, let b):
            if let v = constant(b) { add(a, .compare(op, v)) }
            else if let v = constant(a) { add(b, .compare(op.flipped, v)) }
            else { mustBeTrue(); operandsPresent(c) }
        case .member(let a, let set):
            if let values = constantSet(set) { add(a, .member(values)) } else { mustBeTrue(); operandsPresent(c) }
        case .inRange(let a, let lo, let hi):
            if let l = constant(lo), let h = constant(hi) { add(a, .range(l, h)) } else { mustBeTrue(); operandsPresent(c) }
        case .isTest(let a, let test):
            switch test {
            case .absent: add(a, .absent)
            case .present: add(a, .present)
            case .isTrue: add(a, .compare(.equal, .bool(true)))
            case .isFalse: add(a, .compare(.equal, .bool(false)))
            }
        case .not(let a):
            // `not x` is definitely true exactly when `x` is definitely false. For a
            // comparison that means: its operands have values, and `not (x < 3)` is `x >= 3`,
            // `not (e in {…})` is `e` in the rest of its enum. Not through `is …`:
            // `not (x is true)` also holds when `x` is absent.
            var negated = false
            switch a.kind {
            case .compare, .member, .inRange:
                operandsPresent(a)
                for d in of(a, keys: keys) {
                    switch d.kind {
                    case .compare(let op, let v) where d.subjectExpr !== a:
                        add(d.subjectExpr, .compare(op.negated, v)); negated = true
                    case .member(let vs):
                        if case .enumeration(let e) = d.subjectExpr.type.base {
                            add(d.subjectExpr, .member(e.cases.indices.map { Value.enumCase($0) }.filter { x in !vs.contains { $0 == x } }))
                            negated = true
                        }
                    default: break
                    }
                }
            default: break
            }
            if !negated { add(a, .compare(.equal, .bool(false))) }
        default:
            mustBeTrue()
        }
        return out
    }

    /// A constant written in the condition itself. Parameters are not looked through: an
    /// extending policy may override them.
    static func constant(_ e: CheckedExpr) -> Value? {
        switch e.kind {
        case .constant(let v): return v.isAbsent ? nil : v
        case .negate(let inner):
            switch constant(inner) {
            case .integer(let n)?: return n == Int.min ? nil : .integer(-n)
            case .decimal(let d)?: return .decimal(d.negated())
            default: return nil
            }
        default: return nil
        }
    }

    static func constantSet(_ e: CheckedExpr) -> [Value]? {
        switch e.kind {
        case .setLiteral(let xs):
            var values: [Value] = []
            for x in xs { guard let v = constant(x) else { return nil }; values.append(v) }
            return values
        case .constant(.set(let xs)): return xs
        default: return nil
        }
    }
}

extension CheckedExpr.Comparison {
    /// `not (x < c)` is `x >= c` (for a value that is there).
    var negated: Self {
        switch self {
        case .equal: .notEqual
        case .notEqual: .equal
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        }
    }

    /// `c < x` is `x > c`.
    var flipped: Self {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        }
    }
}

/// What is known of a value before any condition: some values always exist, and counts and
/// ages are never negative.
struct ValueFacts {
    /// Never absent: a required field (and every field on the way to it), the Stichtag, a
    /// count, `any`/`all`, an `is` test. Not arithmetic, which gives an absent value on overflow.
    let alwaysPresent: Bool
    /// The value is at least 0: `count …`, a count over `faelle`, `age(…)`.
    let nonNegative: Bool
    /// Why, for the help line: "a required field of the schema", "a count".
    let reason: String?

    init(_ e: CheckedExpr) {
        var present = false, nonNegative = false
        var reason: String?
        switch e.kind {
        case .rootField, .field, .local, .staffMember:
            present = !e.type.isOptional && ValueFacts.isFieldPath(e)
            if present { reason = "a required field of the schema" }
        case .stichtag: present = true; reason = "the Stichtag is always known"
        case .listOperation(.count, _, _, _, _), .caseloadCount:
            present = true; nonNegative = true; reason = "a count"
        case .listOperation(.any, _, _, _, _), .listOperation(.all, _, _, _, _), .isTest:
            present = true; reason = "it is always true or false"
        case .age: nonNegative = true; reason = "an age"
        default: break
        }
        self.alwaysPresent = present
        self.nonNegative = nonNegative
        self.reason = reason
    }

    /// A chain of field reads from the case, an entry of a list, or the staff entry.
    static func isFieldPath(_ e: CheckedExpr) -> Bool {
        switch e.kind {
        case .rootField, .local, .staffMember: true
        case .field(let base, _): isFieldPath(base)
        default: false
        }
    }
}

/// Whether demands on one value can all hold at once. Exact for enums and bools (a finite
/// set of values), for integers and dates (whole steps) and for decimals, strings and
/// durations; it answers "can hold" whenever it cannot tell.
enum DemandSolver {
    static func canHold(_ demands: [Demand], facts: ValueFacts) -> Bool {
        let wantsAbsent = demands.contains { !$0.needsValue }
        let wantsValue = demands.contains { $0.needsValue }
        if wantsAbsent && wantsValue { return false }
        if wantsAbsent { return !facts.alwaysPresent }
        guard let first = demands.first else { return true }
        switch first.subjectExpr.type.base {
        case .enumeration(let e):
            return finite(demands, all: e.cases.indices.map { Value.enumCase($0) })
        case .bool:
            return finite(demands, all: [.bool(true), .bool(false)])
        case .integer, .decimal, .date:
            return ordered(demands, facts: facts, whole: first.subjectExpr.type.base != .decimal)
        default:
            return finite(demands, all: nil)
        }
    }

    /// Values from a known list (`all`), or any value at all (`nil`): kept by `=` and `in`,
    /// removed by `!=`.
    static func finite(_ demands: [Demand], all: [Value]?) -> Bool {
        var allowed = all
        var excluded: [Value] = []
        for d in demands {
            switch d.kind {
            case .compare(.equal, let v): allowed = (allowed ?? [v]).filter { $0 == v }
            case .compare(.notEqual, let v): excluded.append(v)
            case .member(let vs): allowed = (allowed ?? vs).filter { x in vs.contains { $0 == x } }
            case .compare, .range: return true   // orderings are not possible on these types
            case .absent, .present: break
            }
        }
        guard let allowed else { return true }
        return allowed.contains { x in !excluded.contains { $0 == x } }
    }

    /// A bound: the number, and whether it is itself allowed.
    struct Bound { var value: DecimalNumber; var inclusive: Bool }

    /// Numbers and dates (as day numbers): an interval, narrowed by each demand.
    static func ordered(_ demands: [Demand], facts: ValueFacts, whole wholeType: Bool) -> Bool {
        var low: Bound? = facts.nonNegative ? Bound(value: DecimalNumber(0), inclusive: true) : nil
        var high: Bound?
        var allowed: [DecimalNumber]?
        var excluded: [DecimalNumber] = []
        var whole = wholeType
        func number(_ v: Value) -> DecimalNumber? {
            switch v {
            case .integer(let n): return DecimalNumber(n)
            case .decimal(let d): if d.normalized.scale > 0 { whole = false }; return d
            case .date(let d): return DecimalNumber(Int(d.dayNumber))
            default: return nil
            }
        }
        func raise(_ b: Bound) { if let l = low, l.value > b.value || (l.value == b.value && !l.inclusive) { return }; low = b }
        func lower(_ b: Bound) { if let h = high, h.value < b.value || (h.value == b.value && !h.inclusive) { return }; high = b }
        for d in demands {
            switch d.kind {
            case .compare(let op, let v):
                guard let n = number(v) else { return true }
                switch op {
                case .equal: allowed = (allowed ?? [n]).filter { $0 == n }
                case .notEqual: excluded.append(n)
                case .less: lower(Bound(value: n, inclusive: false))
                case .lessEqual: lower(Bound(value: n, inclusive: true))
                case .greater: raise(Bound(value: n, inclusive: false))
                case .greaterEqual: raise(Bound(value: n, inclusive: true))
                }
            case .member(let vs):
                var ns: [DecimalNumber] = []
                for v in vs { guard let n = number(v) else { return true }; ns.append(n) }
                allowed = (allowed ?? ns).filter { x in ns.contains(x) }
            case .range(let a, let b):
                guard let l = number(a), let h = number(b) else { return true }
                raise(Bound(value: l, inclusive: true))
                lower(Bound(value: h, inclusive: true))
            case .absent, .present: break
            }
        }
        func inside(_ x: DecimalNumber) -> Bool {
            if let l = low, x < l.value || (x == l.value && !l.inclusive) { return false }
            if let h = high, x > h.value || (x == h.value && !h.inclusive) { return false }
            return true
        }
        if let allowed { return allowed.contains { inside($0) && !excluded.contains($0) } }
        guard var l = low, var h = high else { return true }
        if whole {
            // Whole steps: `x > 3` is `x >= 4`; every bound is a whole number here.
            let one = DecimalNumber(1)
            if !l.inclusive { guard let v = l.value.adding(one) else { return true }; l = Bound(value: v, inclusive: true) }
            if !h.inclusive { guard let v = h.value.adding(one.negated()) else { return true }; h = Bound(value: v, inclusive: true) }
        }
        if l.value > h.value { return false }
        if l.value == h.value { return l.inclusive && h.inclusive && !excluded.contains(l.value) }
        return true
    }
}
