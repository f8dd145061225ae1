/// What names mean where an expression stands.
struct Scope {
    var file: SourceFile
    /// Binders of enclosing list operations, innermost last; the slot is the position.
    var locals: [(name: String, type: PolicyType)] = []
    /// Parameters are fixed values: they cannot read the case.
    var constantOnly = false
    /// Inside an outcome that has a due date: `{due}` is allowed.
    var dueAvailable = false
    /// In a caseload rule: `faelle` and `fallmanager` are in scope.
    var caseload = false

    init(file: SourceFile) { self.file = file }
}

extension PolicyChecker {
    func node(_ kind: CheckedExpr.Kind, _ type: PolicyType, _ scope: Scope, _ span: Span) -> CheckedExpr {
        CheckedExpr(kind, type, file: scope.file, span: span)
    }

    func poisoned(_ scope: Scope, _ span: Span) -> CheckedExpr { node(.constant(.absent), .error, scope, span) }

    /// Checks `expr`; `expected` only guides bare enum values (`= einzelfall`) and set literals.
    mutating func check(_ expr: Expr, expected: PolicyType?, scope: inout Scope) -> CheckedExpr {
        let span = expr.span
        switch expr {
        case .missing: return poisoned(scope, span)
        case .paren(let inner, _):
            let e = check(inner, expected: expected, scope: &scope)
            return CheckedExpr(e.kind, e.type, file: scope.file, span: span)
        case .integer(let v, _): return node(.constant(.integer(v)), .integer, scope, span)
        case .decimal(let text, _):
            guard let d = DecimalNumber(text) else {
                report("E0403", "decimal `\(text)` has too many digits", scope.file, span)
                return poisoned(scope, span)
            }
            return node(.constant(.decimal(d)), .decimal, scope, span)
        case .string(let s, _): return node(.constant(.string(s)), .string, scope, span)
        case .bool(let b, _): return node(.constant(.bool(b)), .bool, scope, span)
        case .date(let text, _):
            guard let d = CalendarDate(iso: text) else {
                report("E0401", "`\(text)` is not a date: \(CalendarDate.problem(withISO: text) ?? "expected YYYY-MM-DD")", scope.file, span)
                return poisoned(scope, span)
            }
            return node(.constant(.date(d)), .date, scope, span)
        case .duration(let n, let unit, _): return node(.constant(.duration(Duration(n, unit))), .duration, scope, span)
        case .severity(let k, _): return node(.constant(.severity(FindingSeverity(rawValue: k.rawValue)!)), .severity, scope, span)
        case .name(let name): return checkName(name, expected: expected, scope: &scope)
        case .field(let base, let name): return checkField(base, name, span, scope: &scope)
        case .setLiteral(let elements, _):
            var elementType: PolicyType? = nil
            if case .set(let t)? = expected?.base { elementType = t.base }
            var checked: [CheckedExpr] = []
            for e in elements {
                let c = check(e, expected: elementType, scope: &scope)
                if elementType == nil, !c.type.isError { elementType = c.type.base }
                else if let t = elementType, !c.type.isError, !PolicyChecker.comparable(c.type, t) {
                    report("E0404", "a set of `\(t)` cannot hold `\(c.type)`", scope.file, e.span)
                }
                checked.append(c)
            }
            return node(.setLiteral(checked), .set(elementType ?? .error), scope, span)
        case .call(let name, let args, _): return checkCall(name, args, span, scope: &scope)
        case .unary(let op, let operand, _):
            let e = check(operand, expected: nil, scope: &scope)
            switch op {
            case .not:
                requireBool(e, "`not`", scope)
                return node(.not(e), .bool.optional(if: e.type.isOptional), scope, span)
            case .negate:
                if !e.type.isError, !e.type.isNumeric {
                    report("E0405", "cannot negate `\(e.type)`", scope.file, operand.span)
                    return poisoned(scope, span)
                }
                return node(.negate(e), e.type, scope, span)
            }
        case .binary(let op, let lhs, let rhs, _): return checkBinary(op, lhs, rhs, span, scope: &scope)
        case .range(_, _, _):
            // The parser builds ranges only after `in`, and checks them there.
            return poisoned(scope, span)
        case .isTest(let operand, let test, _):
            let e = check(operand, expected: nil, scope: &scope)
            if test == .isTrue || test == .isFalse { requireBool(e, "`is \(test.rawValue)`", scope) }
            if case .list = e.type, test == .absent || test == .present {
                report("E0407", "a list is never absent (an absent list is empty)", scope.file, operand.span,
                       help: "test `count \(scope.file.text(of: operand.span)) \(test == .absent ? "= 0" : "> 0")` instead", severity: .error)
            }
            return node(.isTest(e, test), .bool, scope, span)
        case .conditional(let c, let a, let b, _):
            let cond = checkCondition(c, "the condition of `if`", scope: &scope)
            let x = check(a, expected: expected, scope: &scope)
            let y = check(b, expected: expected ?? x.type, scope: &scope)
            guard let t = PolicyChecker.unify(x.type, y.type) else {
                report("E0408", "the branches of `if` differ: `\(x.type)` and `\(y.type)`", scope.file, span)
                return poisoned(scope, span)
            }
            return node(.conditional(cond, x, y), t.optional(if: cond.type.isOptional), scope, span)
        case .listOperation(let op, let binder, let list, let condition, let key, _):
            return checkListOperation(op, binder, list, condition, key, span, scope: &scope)
        }
    }

    /// `count c in faelle where …` in a caseload rule: the condition becomes an accumulator
    /// evaluated once per case; the rule reads only the count.
    mutating func checkCaseloadCount(_ op: ListOperation, _ binder: Name?, _ condition: Expr?, _ span: Span,
                                     scope: inout Scope) -> CheckedExpr {
        guard op == .count else {
            report("E0434", "`faelle` can only be counted: `count c in faelle where …`", scope.file, span,
                   help: "to ask whether any case does something, write `(count c in faelle where …) > 0`")
            return poisoned(scope, span)
        }
        guard scope.locals.isEmpty else {
            report("E0435", "`count … in faelle` cannot stand inside another list operation", scope.file, span)
            return poisoned(scope, span)
        }
        var inner = scope
        inner.caseload = true
        var checked: CheckedExpr?
        if let binder {
            inner.locals = [(binder.text, .record(schema.root))]
            checked = condition.map { checkCondition($0, "`where`", scope: &inner) }
        }
        caseloadAccumulators.append(checked)
        return node(.caseloadCount(caseloadAccumulators.count - 1), .integer, scope, span)
    }

    /// Checks a condition (`when`, `where`, `if`): an expression that must be a `bool`.
    mutating func checkCondition(_ expr: Expr, _ what: String, scope: inout Scope) -> CheckedExpr {
        let c = check(expr, expected: nil, scope: &scope)
        requireBool(c, what, scope)
        return c
    }

    mutating func requireBool(_ e: CheckedExpr, _ what: String, _ scope: Scope) {
        if !e.type.isError, e.type.base != .bool {
            report("E0409", "\(what) needs a condition (`bool`), found `\(e.type)`", scope.file, e.span)
        }
    }

    /// Names a bare identifier can mean here, for "did you mean".
    func visibleNames(_ scope: Scope) -> [String] {
        scope.locals.map(\.name) + valueIndex.keys + schema.root.fields.map(\.name) + ["stichtag"]
    }

    mutating func checkName(_ name: Name, expected: PolicyType?, scope: inout Scope) -> CheckedExpr {
        let text = name.text, span = name.span
        if let slot = scope.locals.lastIndex(where: { $0.name == text }) {
            return node(.local(slot), scope.locals[slot].type, scope, span)
        }
        if text == "due" {
            if !scope.dueAvailable {
                report("E0410", "`due` is known only in an outcome that has a due date", scope.file, span,
                       help: "`due` is the date of a `deadline`, or of `due …` in an `error`/`warning`/`info` outcome")
                return poisoned(scope, span)
            }
            return node(.due, .date, scope, span)
        }
        if case .enumeration(let e)? = expected?.base, let i = e.caseIndex[text] {
            return node(.constant(.enumCase(i)), .enumeration(e), scope, span)
        }
        if let e = schema.enums[text], scope.locals.last(where: { $0.name == text }) == nil, valueIndex[text] == nil {
            report("E0415", "`\(text)` is an enum type, not a value", scope.file, span, help: "write `\(text).\(e.cases.first ?? "value")`")
            return poisoned(scope, span)
        }
        if text == "stichtag" {
            if scope.constantOnly { reportCaseInParameter(name, scope); return poisoned(scope, span) }
            return node(.stichtag, .date, scope, span)
        }
        if scope.caseload {
            if text == "faelle" {
                report("E0434", "`faelle` can only be counted: `count c in faelle where …`", scope.file, span,
                       help: "cases stream by one at a time; a caseload rule counts them, it does not keep them")
                return poisoned(scope, span)
            }
            if text == "fallmanager", let staff = schema.records["Fallmanager"] { return node(.staffMember, .record(staff), scope, span) }
        }
        if let i = valueIndex[text] {
            if scope.constantOnly, values[i].kind == .definition {
                report("E0411", "a parameter cannot use the definition `\(text)`: parameters are fixed values", scope.file, span)
                return poisoned(scope, span)
            }
            if scope.caseload, values[i].kind == .definition {
                report("E0412", "`\(text)` is a definition about one case; in a caseload rule write `c.\(text)` for a case `c` of `faelle`",
                       scope.file, span)
                return poisoned(scope, span)
            }
            let t = checkValue(i)
            return node(.value(i), t, scope, span)
        }
        if let slot = schema.root.fieldIndex[text], !scope.caseload {
            if scope.constantOnly { reportCaseInParameter(name, scope); return poisoned(scope, span) }
            return node(.rootField(slot), schema.root.fields[slot].type, scope, span)
        }
        if case .enumeration(let e)? = expected?.base {
            report("E0413", "`\(text)` is not a value of `\(e.name)`", scope.file, span,
                   help: Suggestions.help(for: text, among: e.cases) ?? "its values are \(e.cases.map { "`\($0)`" }.joined(separator: ", "))")
            return poisoned(scope, span)
        }
        let owners = schema.enums(havingCase: text)
        if owners.count == 1 {
            return node(.constant(.enumCase(owners[0].caseIndex[text]!)), .enumeration(owners[0]), scope, span)
        }
        if owners.count > 1 {
            report("E0414", "`\(text)` is a value of several enums (\(owners.map { "`\($0.name)`" }.joined(separator: ", "))); it is unclear which is meant",
                   scope.file, span, help: "compare it with a field of that enum, or write `\(owners[0].name).\(text)`")
            return poisoned(scope, span)
        }
        var candidates = visibleNames(scope)
        if case .set(.enumeration(let e))? = expected?.base { candidates += e.cases }
        report("E0416", "unknown name `\(text)`", scope.file, span, help: Suggestions.help(for: text, among: candidates))
        return poisoned(scope, span)
    }

    mutating func reportCaseInParameter(_ name: Name, _ scope: Scope) {
        report("E0417", "a parameter cannot read the case (`\(name.text)`): parameters are fixed values", scope.file, name.span,
               help: "use `define` for a value computed from the case")
    }

    mutating func checkField(_ baseExpr: Expr, _ name: Name, _ span: Span, scope: inout Scope) -> CheckedExpr {
        // `Kontaktart.telefonat`: a value named with its enum.
        if case .name(let n) = baseExpr, scope.locals.last(where: { $0.name == n.text }) == nil, valueIndex[n.text] == nil,
           schema.root.fieldIndex[n.text] == nil, let e = schema.enums[n.text] {
            guard let i = e.caseIndex[name.text] else {
                report("E0413", "`\(name.text)` is not a value of `\(e.name)`", scope.file, name.span,
                       help: Suggestions.help(for: name.text, among: e.cases))
                return poisoned(scope, span)
            }
            return node(.constant(.enumCase(i)), .enumeration(e), scope, span)
        }
        let base = check(baseExpr, expected: nil, scope: &scope)
        if base.type.isError { return poisoned(scope, span) }
        guard case .record(let record) = base.type.base else {
            var isList = false
            if case .list = base.type { isList = true }
            report("E0418", "`\(scope.file.text(of: baseExpr.span))` is a `\(base.type)`, which has no fields", scope.file, name.span,
                   help: isList ? "to look into a list, use `latest k in … by k.datum`, `count`, `any` or `filter`" : nil)
            return poisoned(scope, span)
        }
        if let slot = record.fieldIndex[name.text] {
            let field = record.fields[slot]
            return node(.field(base, slot), field.type.optional(if: base.type.isOptional), scope, span)
        }
        // `c.in_betreuung`: a definition about the case `c`.
        if record == schema.root, let i = valueIndex[name.text], values[i].kind == .definition {
            let t = checkValue(i)
            return node(.caseValue(base, i), t, scope, span)
        }
        report("E0419", "`\(record.name)` has no field `\(name.text)`", scope.file, name.span,
               help: Suggestions.help(for: name.text, among: record.fields.map(\.name)))
        return poisoned(scope, span)
    }

    mutating func checkCall(_ name: Name, _ args: [Expr], _ span: Span, scope: inout Scope) -> CheckedExpr {
        guard name.text == "age" else {
            report("E0420", "unknown function `\(name.text)`", scope.file, name.span,
                   help: Suggestions.help(for: name.text, among: ["age"]) ?? "the built-in function is `age(birth, on)`")
            return poisoned(scope, span)
        }
        guard args.count == 2 else {
            report("E0421", "`age` takes 2 arguments (date of birth, date), found \(args.count)", scope.file, span)
            return poisoned(scope, span)
        }
        let born = check(args[0], expected: nil, scope: &scope)
        let on = check(args[1], expected: nil, scope: &scope)
        for (e, a) in [(born, args[0]), (on, args[1])] where !e.type.isError && e.type.base != .date {
            report("E0422", "`age` needs dates, found `\(e.type)`", scope.file, a.span)
            return poisoned(scope, span)
        }
        return node(.age(born, on), .integer.optional(if: born.type.isOptional || on.type.isOptional), scope, span)
    }

    static func comparable(_ a: PolicyType, _ b: PolicyType) -> Bool {
        let x = a.base, y = b.base
        if x.isError || y.isError { return true }
        if x.isNumeric && y.isNumeric { return true }
        return x == y
    }

    static func unify(_ a: PolicyType, _ b: PolicyType) -> PolicyType? {
        if a.isError { return b }
        if b.isError { return a }
        let optional = a.isOptional || b.isOptional
        if a.base == b.base { return a.base.optional(if: optional) }
        if a.isNumeric && b.isNumeric { return PolicyType.decimal.optional(if: optional) }
        return nil
    }

    /// A bare name that is neither local, value nor field: probably an enum value that
    /// needs the other side's type to be understood.
    func isBareEnumCandidate(_ e: Expr, _ scope: Scope) -> Bool {
        guard case .name(let n) = e else { return false }
        return scope.locals.last(where: { $0.name == n.text }) == nil && valueIndex[n.text] == nil
            && schema.root.fieldIndex[n.text] == nil && n.text != "stichtag" && n.text != "due"
    }

    mutating func checkBinary(_ op: BinaryOperator, _ lhsExpr: Expr, _ rhsExpr: Expr, _ span: Span, scope: inout Scope) -> CheckedExpr {
        switch op {
        case .and, .or:
            let l = check(lhsExpr, expected: nil, scope: &scope), r = check(rhsExpr, expected: nil, scope: &scope)
            requireBool(l, "`\(op.rawValue)`", scope)
            requireBool(r, "`\(op.rawValue)`", scope)
            let t = PolicyType.bool.optional(if: l.type.isOptional || r.type.isOptional)
            return node(op == .and ? .and(l, r) : .or(l, r), t, scope, span)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            var l: CheckedExpr, r: CheckedExpr
            if isBareEnumCandidate(lhsExpr, scope), !isBareEnumCandidate(rhsExpr, scope) {
                r = check(rhsExpr, expected: nil, scope: &scope)
                l = check(lhsExpr, expected: r.type, scope: &scope)
            } else {
                l = check(lhsExpr, expected: nil, scope: &scope)
                r = check(rhsExpr, expected: l.type, scope: &scope)
            }
            let comparison = CheckedExpr.Comparison(rawValue: op.rawValue)!
            if l.type.isError || r.type.isError { return poisoned(scope, span) }
            guard PolicyChecker.comparable(l.type, r.type) else {
                report("E0423", "cannot compare `\(l.type)` with `\(r.type)`", scope.file, span,
                       help: l.type.base == .date && r.type.base == .integer ? "a date compares with a date, e.g. `fm.beginn + 6 months`" : nil)
                return poisoned(scope, span)
            }
            if op != .equal && op != .notEqual {
                // Not a `Set<PolicyType>`: its first use would look up `PolicyType: Hashable`
                // among every conformance record of the binary (0.3 million instructions).
                let ordered: Bool
                switch l.type.base {
                case .integer, .decimal, .date: ordered = true
                default: ordered = false
                }
                if !ordered {
                    report("E0424", "`\(op.rawValue)` orders numbers and dates, not `\(l.type)`", scope.file, span,
                           help: l.type.base == .duration ? "durations of different units do not compare; compare the dates they lead to" : nil)
                    return poisoned(scope, span)
                }
            } else {
                switch l.type.base {
                case .list, .record, .set:
                    report("E0424", "`\(op.rawValue)` does not compare `\(l.type)` values", scope.file, span)
                    return poisoned(scope, span)
                default: break
                }
            }
            return node(.compare(comparison, l, r), PolicyType.bool.optional(if: l.type.isOptional || r.type.isOptional), scope, span)
        case .plus, .minus:
            let l = check(lhsExpr, expected: nil, scope: &scope), r = check(rhsExpr, expected: nil, scope: &scope)
            if l.type.isError || r.type.isError { return poisoned(scope, span) }
            let optional = l.type.isOptional || r.type.isOptional
            if l.type.base == .date, r.type.base == .duration {
                return node(.shiftDate(l, r, sign: op == .plus ? 1 : -1), PolicyType.date.optional(if: optional), scope, span)
            }
            if l.type.isNumeric, r.type.isNumeric {
                let t: PolicyType = l.type.base == .integer && r.type.base == .integer ? .integer : .decimal
                return node(.arithmetic(op == .plus ? .plus : .minus, l, r), t.optional(if: optional), scope, span)
            }
            let verb = op == .plus ? "add `\(r.type)` to `\(l.type)`" : "subtract `\(r.type)` from `\(l.type)`"
            report("E0425", "cannot \(verb)", scope.file, span,
                   help: r.type.base == .date && l.type.base == .duration ? "write the date first: `date + duration`"
                       : l.type.base == .date && r.type.base == .date ? "dates are compared, not subtracted: `a + 6 months < b`" : nil)
            return poisoned(scope, span)
        case .times:
            let l = check(lhsExpr, expected: nil, scope: &scope), r = check(rhsExpr, expected: nil, scope: &scope)
            if l.type.isError || r.type.isError { return poisoned(scope, span) }
            guard l.type.isNumeric, r.type.isNumeric else {
                report("E0426", "cannot multiply `\(l.type)` by `\(r.type)`", scope.file, span)
                return poisoned(scope, span)
            }
            let t: PolicyType = l.type.base == .integer && r.type.base == .integer ? .integer : .decimal
            return node(.arithmetic(.times, l, r), t.optional(if: l.type.isOptional || r.type.isOptional), scope, span)
        case .otherwise:
            let l = check(lhsExpr, expected: nil, scope: &scope)
            let r = check(rhsExpr, expected: l.type.base, scope: &scope)
            if l.type.isError || r.type.isError { return poisoned(scope, span) }
            guard let t = PolicyChecker.unify(l.type.base, r.type) else {
                report("E0427", "`otherwise` gives `\(r.type)` where `\(l.type.base)` is expected", scope.file, rhsExpr.span)
                return poisoned(scope, span)
            }
            return node(.otherwise(l, r), t.optional(if: r.type.isOptional), scope, span)
        case .member:
            let l = check(lhsExpr, expected: nil, scope: &scope)
            if case .range(let lo, let hi, _) = rhsExpr {
                let a = check(lo, expected: nil, scope: &scope), b = check(hi, expected: nil, scope: &scope)
                if l.type.isError || a.type.isError || b.type.isError { return poisoned(scope, span) }
                for bound in [a, b] where !PolicyChecker.comparable(l.type, bound.type) || ![.date, .integer, .decimal].contains(l.type.base) {
                    report("E0428", "cannot test whether `\(l.type)` lies in a range of `\(bound.type)`", scope.file, span)
                    return poisoned(scope, span)
                }
                let optional = l.type.isOptional || a.type.isOptional || b.type.isOptional
                return node(.inRange(l, a, b), PolicyType.bool.optional(if: optional), scope, span)
            }
            let r = check(rhsExpr, expected: .set(l.type.base), scope: &scope)
            if l.type.isError || r.type.isError { return poisoned(scope, span) }
            guard case .set(let element) = r.type.base else {
                report("E0429", "`in` needs a set (`{a, b}`) or a range (`a .. b`), found `\(r.type)`", scope.file, rhsExpr.span)
                return poisoned(scope, span)
            }
            guard PolicyChecker.comparable(l.type, element) else {
                report("E0430", "a set of `\(element)` cannot contain `\(l.type)`", scope.file, span)
                return poisoned(scope, span)
            }
            return node(.member(l, r), PolicyType.bool.optional(if: l.type.isOptional), scope, span)
        }
    }

    mutating func checkListOperation(_ op: ListOperation, _ binder: Name?, _ listExpr: Expr, _ condition: Expr?, _ key: Expr?,
                                     _ span: Span, scope: inout Scope) -> CheckedExpr {
        if scope.caseload, case .name(let n) = listExpr, n.text == "faelle" {
            return checkCaseloadCount(op, binder, condition, span, scope: &scope)
        }
        let list = check(listExpr, expected: nil, scope: &scope)
        if list.type.isError { return poisoned(scope, span) }
        guard case .list(let element) = list.type else {
            report("E0431", "`\(op.rawValue)` needs a list, found `\(list.type)`", scope.file, listExpr.span)
            return poisoned(scope, span)
        }
        let slot = scope.locals.count
        // A binder shadows a global of the same name inside its list operation, so a name
        // added in an extending policy never breaks a base policy's expressions.
        if let binder { scope.locals.append((binder.text, element)) }
        defer { if binder != nil { scope.locals.removeLast() } }
        let checkedCondition = condition.map { checkCondition($0, "`where`", scope: &scope) }
        var checkedKey: CheckedExpr?
        if let key {
            let k = check(key, expected: nil, scope: &scope)
            if !k.type.isError, k.type.base != .date {
                report("E0433", "`\(op.rawValue)` orders by a date, found `\(k.type)`", scope.file, key.span)
            }
            checkedKey = k
        }
        let type: PolicyType
        switch op {
        case .count: type = .integer
        case .any, .all: type = .bool
        case .filter: type = list.type
        case .latest, .earliest: type = element.optional
        }
        return node(.listOperation(op, list: list, binder: slot, condition: checkedCondition, key: checkedKey), type, scope, span)
    }
}
