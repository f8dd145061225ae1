/// A checked policy's expressions compiled once into one flat array of instructions.
///
/// The evaluator runs a case through these instead of the checked expression tree: an
/// instruction is a few plain numbers (no references to count, no boxes to open), its operands
/// are indices into the same array, and a field is read by its slot. Each `CheckedExpr` of the
/// policy knows its instruction (`CheckedExpr.instruction`), so whoever holds an expression
/// (a rule's outcome, `--explain`, coverage) runs that one and the same code.
public final class Program: @unchecked Sendable {
    /// Never changed after compiling, so safe to share between threads.
    public let instructions: UnsafeMutableBufferPointer<Instruction>
    public let constants: UnsafeMutableBufferPointer<Value>
    /// The elements of set literals, by `Instruction.a` (start) and `.b` (count).
    public let operands: UnsafeMutableBufferPointer<Int32>
    /// The instruction of each of the policy's values, in `CheckedPolicy.values` order.
    public let valueEntries: [Int32]
    /// Each of the policy's rules, in `CheckedPolicy.rules` order.
    public let rules: [RuleCode]
    /// The rules' outcomes, each rule's from `RuleCode.firstOutcome` on: plain numbers in one
    /// buffer, so deciding a rule for a case counts no references.
    public let outcomes: UnsafeMutableBufferPointer<OutcomeCode>
    /// The messages the rules' outcomes give (`BranchCode.message`), and their parts.
    public let messages: [IndexRange]
    public let messageParts: [MessagePart]
    /// The rules themselves, to find a rule's code (`ObjectIdentifier`s in a dictionary would
    /// cost a check of a single case a fiftieth more, in finding the `Hashable` conformance).
    private let checkedRules: [CheckedRule]

    init(instructions: [Instruction], constants: [Value], operands: [Int32], valueEntries: [Int32],
         rules: [RuleCode], outcomes: [OutcomeCode], checkedRules: [CheckedRule], messages: [IndexRange], messageParts: [MessagePart]) {
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
            _ = b.initialize(from: a)
            return UnsafeMutableBufferPointer(rebasing: b[0..<a.count])
        }
        self.instructions = copy(instructions)
        self.constants = copy(constants)
        self.operands = copy(operands)
        self.outcomes = copy(outcomes)
        self.valueEntries = valueEntries
        self.rules = rules
        self.checkedRules = checkedRules
        self.messages = messages
        self.messageParts = messageParts
    }

    /// The code of one of the policy's own rules.
    public func code(for rule: CheckedRule) -> RuleCode {
        rules[checkedRules.firstIndex { $0 === rule }!]
    }

    deinit {
        for buffer in [UnsafeMutableRawBufferPointer(instructions), UnsafeMutableRawBufferPointer(operands),
                       UnsafeMutableRawBufferPointer(outcomes)] {
            buffer.baseAddress?.deallocate()
        }
        constants.baseAddress?.deinitialize(count: constants.count)
        constants.baseAddress?.deallocate()
    }
}

/// One step of a compiled expression. What `a`…`d` hold depends on `op` (see `Op`); an operand
/// that is absent (a list operation without condition) is -1.
public struct Instruction: Sendable {
    /// Mirrors `CheckedExpr.Kind`, with its operands moved out into `a`…`d`.
    public enum Op: Sendable {
        /// `constants[a]`
        case constant
        case stichtag
        case due
        /// the case's field in slot `a`
        case rootField
        /// field slot `b` of the record `a` gives
        case field
        /// the binder in local slot `a`
        case local
        /// the policy's value `a`, once per case
        case value
        case not, negate
        case and, or
        case compare(CheckedExpr.Comparison)
        /// `compare` of two dates (`fm.beginn <= stichtag`): the evaluator compares their day
        /// numbers without making a `Value` of either side
        case compareDates(CheckedExpr.Comparison)
        case arithmetic(CheckedExpr.Arithmetic)
        /// the date `a` plus (`adding`) or minus the duration `b`
        case shiftDate(adding: Bool)
        case otherwise
        case isTest(IsTest)
        case member
        /// `member` of a set of enum names (`b.schluesselgruppe in {leistungsfaehigkeit, …}`,
        /// run for every entry of a list): the names as bits, 0–31 in `c`, 32–63 in `d`, instead
        /// of a search of the set's `Value`s; `a` the value, `b` the set's constant
        case inEnumSet
        case inRange
        /// elements in `Program.operands[a ..< a + b]`
        case setLiteral
        case conditional
        case age
        /// `a` the list, `b` the binder's slot, `c` the condition, `d` the key
        case listOperation(ListOperation)
        /// `latest`/`earliest` of the list `a` by the date in field slot `b` of each entry
        /// (`latest p in L by p.datum`), with no condition: no binder to set per entry
        case entryByField(ListOperation)
        /// the policy's value `b` for the case `a`
        case caseValue
        case caseloadCount
        case staffMember
    }

    public let op: Op
    public let a: Int32, b: Int32, c: Int32, d: Int32

    init(_ op: Op, _ a: Int32 = -1, _ b: Int32 = -1, _ c: Int32 = -1, _ d: Int32 = -1) {
        self.op = op; self.a = a; self.b = b; self.c = c; self.d = d
    }
}

/// A rule with its expressions as instructions (-1 where it has none): what the evaluator
/// walks for every case, made of plain numbers, so walking it counts no references.
public struct RuleCode: Sendable {
    public let guardCondition: Int32
    /// `Program.outcomes[firstOutcome ..< firstOutcome + outcomeCount]`, in the order of
    /// `CheckedRule.outcomes`.
    public let firstOutcome: Int32
    public let outcomeCount: Int32
}

/// `finding`: `condition`, `due` and `first`. `deadline`: the date `due`, `first` when it has
/// passed, `upcoming` when it is near, `missing` when there is no date.
public struct OutcomeCode: Sendable {
    public let isDeadline: Bool
    public let condition: Int32
    public let due: Int32
    public let first: BranchCode
    public let upcoming: BranchCode?
    public let missing: BranchCode?
}

/// A severity (fixed, or the instruction that computes it) and a message.
public struct BranchCode: Sendable {
    public let severity: FindingSeverity?
    public let computedSeverity: Int32
    /// Index into `Program.messages`.
    public let message: Int
}

/// Literal text, or a hole whose value is written as its type says (`CheckedExpr.type`).
public enum MessagePart: Sendable {
    case text([UInt8])
    case value(instruction: Int32, type: PolicyType)
}
