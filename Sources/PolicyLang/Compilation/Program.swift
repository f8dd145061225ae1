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

    init(instructions: [Instruction], constants: [Value], operands: [Int32], valueEntries: [Int32]) {
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
            _ = b.initialize(from: a)
            return UnsafeMutableBufferPointer(rebasing: b[0..<a.count])
        }
        self.instructions = copy(instructions)
        self.constants = copy(constants)
        self.operands = copy(operands)
        self.valueEntries = valueEntries
    }

    deinit {
        for buffer in [UnsafeMutableRawBufferPointer(instructions), UnsafeMutableRawBufferPointer(operands)] {
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
        case arithmetic(CheckedExpr.Arithmetic)
        /// the date `a` plus (`adding`) or minus the duration `b`
        case shiftDate(adding: Bool)
        case otherwise
        case isTest(IsTest)
        case member
        case inRange
        /// elements in `Program.operands[a ..< a + b]`
        case setLiteral
        case conditional
        case age
        /// `a` the list, `b` the binder's slot, `c` the condition, `d` the key
        case listOperation(ListOperation)
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
