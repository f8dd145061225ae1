/// Checked policy → program. Every expression of the policy (its values, its rules' guards,
/// conditions, due dates, severities and message holes, the caseload key) is compiled once,
/// operands before the instruction that uses them, and learns its instruction's index.
struct ProgramCompiler {
    private var instructions: [Instruction] = []
    private var constants: [Value] = []
    private var operands: [Int32] = []
    private var messages: [IndexRange] = []
    private var messageParts: [MessagePart] = []
    private var outcomes: [OutcomeCode] = []
    private var values: [CheckedValue] = []

    static func compile(values: [CheckedValue], rules: [CheckedRule], caseloadKey: CheckedExpr?) -> Program {
        var compiler = ProgramCompiler()
        compiler.values = values
        let valueEntries = values.map { compiler.compile($0.expression) }
        for v in values {
            guard let dated = v.dated else { continue }
            _ = compiler.compile(dated.base)
            for change in dated.changes { _ = compiler.compile(change.value) }
        }
        let ruleCodes = rules.map { compiler.compile($0) }
        if let caseloadKey { _ = compiler.compile(caseloadKey) }
        return Program(instructions: compiler.instructions, constants: compiler.constants,
                       operands: compiler.operands, valueEntries: valueEntries, rules: ruleCodes, outcomes: compiler.outcomes, checkedRules: rules,
                       messages: compiler.messages, messageParts: compiler.messageParts)
    }

    private mutating func compile(_ rule: CheckedRule) -> RuleCode {
        // Every expression, including the accumulators that only the caseload pass runs.
        for e in rule.expressions { _ = compile(e) }
        func entry(_ e: CheckedExpr?) -> Int32 { e.map { compile($0) } ?? -1 }
        let compiled = rule.outcomes.map { outcome -> OutcomeCode in
            switch outcome {
            case .finding(let severity, let condition, let due, let message, _):
                return OutcomeCode(isDeadline: false, condition: entry(condition), due: entry(due),
                                   first: branch(severity, message), upcoming: nil, missing: nil)
            case .deadline(let due, let overdue, let upcoming, let missing, _):
                return OutcomeCode(isDeadline: true, condition: -1, due: entry(due), first: branch(overdue.severity, overdue.message),
                                   upcoming: upcoming.map { branch($0.severity, $0.message) },
                                   missing: missing.map { branch($0.severity, $0.message) })
            }
        }
        let first = Int32(outcomes.count)
        outcomes += compiled
        return RuleCode(guardCondition: entry(rule.guardCondition), firstOutcome: first, outcomeCount: Int32(compiled.count))
    }

    private mutating func branch(_ severity: CheckedSeverity, _ message: CheckedMessage) -> BranchCode {
        let start = messageParts.count
        for part in message.parts {
            switch part {
            case .text(let t): messageParts.append(.text(Array(t.utf8)))
            case .value(let e): messageParts.append(.value(instruction: compile(e), type: e.type))
            }
        }
        messages.append(IndexRange(start..<messageParts.count))
        switch severity {
        case .fixed(let s): return BranchCode(severity: s, computedSeverity: -1, message: messages.count - 1)
        case .computed(let e): return BranchCode(severity: nil, computedSeverity: compile(e), message: messages.count - 1)
        }
    }

    /// Whether `e` compiles to a single instruction that reads a constant or a field. Decided
    /// from `e` alone, without compiling what it refers to: a chain of definitions naming each
    /// other is compiled one definition at a time, not by recursing along the chain.
    private static func isReadInPlace(_ e: CheckedExpr) -> Bool {
        switch e.kind {
        case .constant, .rootField, .stichtag: return true
        case .setLiteral(let elements):
            return elements.allSatisfy { if case .constant = $0.kind { true } else { false } }
        default: return false
        }
    }

    /// The set that instruction `i` gives as bits (enum name `k` is bit `k`), when it is a
    /// constant set of enum names of which there are at most 64.
    private func enumNames(_ i: Int32) -> UInt64? {
        guard case .constant = instructions[Int(i)].op, case .set(let elements) = constants[Int(instructions[Int(i)].a)] else { return nil }
        var names: UInt64 = 0
        for element in elements {
            guard case .enumCase(let k) = element, k >= 0, k < 64 else { return nil }
            names |= 1 << UInt64(k)
        }
        return names
    }

    private mutating func compile(_ e: CheckedExpr) -> Int32 {
        // A checked expression belongs to one policy, and the same node can be reached twice
        // (a rule's expressions list a condition that is also part of another).
        if e.instruction >= 0 { return e.instruction }
        let instruction: Instruction
        switch e.kind {
        case .constant(let v):
            constants.append(v)
            instruction = Instruction(.constant, Int32(constants.count - 1))
        case .stichtag: instruction = Instruction(.stichtag)
        case .due: instruction = Instruction(.due)
        case .rootField(let slot): instruction = Instruction(.rootField, Int32(slot))
        case .field(let base, let slot): instruction = Instruction(.field, compile(base), Int32(slot))
        case .local(let slot): instruction = Instruction(.local, Int32(slot))
        case .value(let i):
            // A parameter (`regeldauer = 24 months`), a set of constants or an alias
            // (`fm = fallmanagement`) is read where it is named: remembering it per case would
            // cost more than reading it.
            let target = values[i].expression
            if Self.isReadInPlace(target) {
                e.instruction = compile(target)
                return e.instruction
            }
            instruction = Instruction(.value, Int32(i))
        case .not(let x): instruction = Instruction(.not, compile(x))
        case .negate(let x): instruction = Instruction(.negate, compile(x))
        case .and(let x, let y): instruction = Instruction(.and, compile(x), compile(y))
        case .or(let x, let y): instruction = Instruction(.or, compile(x), compile(y))
        case .compare(let op, let x, let y):
            // Most of a deadline policy's comparisons are of dates.
            let dates = x.type.base == .date && y.type.base == .date
            instruction = Instruction(dates ? .compareDates(op) : .compare(op), compile(x), compile(y))
        case .arithmetic(let op, let x, let y): instruction = Instruction(.arithmetic(op), compile(x), compile(y))
        case .shiftDate(let x, let y, let sign): instruction = Instruction(.shiftDate(adding: sign > 0), compile(x), compile(y))
        case .otherwise(let x, let y): instruction = Instruction(.otherwise, compile(x), compile(y))
        case .isTest(let x, let test): instruction = Instruction(.isTest(test), compile(x))
        case .member(let x, let set):
            let value = compile(x), elements = compile(set)
            if let names = enumNames(elements) {
                instruction = Instruction(.inEnumSet, value, elements, Int32(truncatingIfNeeded: names),
                                          Int32(truncatingIfNeeded: names >> 32))
            } else {
                instruction = Instruction(.member, value, elements)
            }
        case .inRange(let x, let lo, let hi): instruction = Instruction(.inRange, compile(x), compile(lo), compile(hi))
        case .setLiteral(let elements):
            let compiled = elements.map { compile($0) }
            let fixed = elements.compactMap { e -> Value? in if case .constant(let v) = e.kind { v } else { nil } }
            if fixed.count == elements.count {
                // `k.art in {beratungsvermerk, …}` runs for every entry of a list: a set of constants
                // is made once, here, not once per entry.
                constants.append(.set(fixed.filter { !$0.isAbsent }))
                instruction = Instruction(.constant, Int32(constants.count - 1))
            } else {
                instruction = Instruction(.setLiteral, Int32(operands.count), Int32(compiled.count))
                operands += compiled
            }
        case .conditional(let c, let x, let y): instruction = Instruction(.conditional, compile(c), compile(x), compile(y))
        case .age(let born, let on): instruction = Instruction(.age, compile(born), compile(on))
        case .listOperation(let op, let list, let binder, let condition, let key):
            let keyInstruction = key.map { compile($0) } ?? -1
            if op == .latest || op == .earliest, condition == nil, let key, case .field(let base, let slot) = key.kind,
               case .local(binder) = base.kind {
                // The key is still compiled above, for `--explain` and coverage, which run it alone.
                instruction = Instruction(.entryByField(op), compile(list), Int32(slot))
            } else {
                instruction = Instruction(.listOperation(op), compile(list), Int32(binder),
                                          condition.map { compile($0) } ?? -1, keyInstruction)
            }
        case .caseValue(let base, let i): instruction = Instruction(.caseValue, compile(base), Int32(i))
        case .caseloadCount(let i): instruction = Instruction(.caseloadCount, Int32(i))
        case .staffMember: instruction = Instruction(.staffMember)
        }
        instructions.append(instruction)
        e.instruction = Int32(instructions.count - 1)
        return e.instruction
    }
}
