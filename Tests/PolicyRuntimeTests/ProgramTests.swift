@testable import PolicyLang
import XCTest

/// The compile phase: every expression of a checked policy gets an instruction, and the
/// program's shortcuts (constants folded in) keep what the expressions mean.
final class ProgramTests: XCTestCase {
    func testEveryExpressionOfEveryPolicyIsCompiled() throws {
        for name in ["ba", "ilmkreis", "hannover", "berlin", "kkm"] {
            let policy = try TestPolicies.load(name)
            var stack = policy.values.map(\.expression) + policy.rules.flatMap(\.expressions)
            if let key = policy.caseloadKey { stack.append(key) }
            var seen = 0
            while let e = stack.popLast() {
                XCTAssertTrue(e.instruction >= 0 && Int(e.instruction) < policy.program.instructions.count,
                              "\(name): `\(e.sourceText)` has no instruction")
                seen += 1
                e.forEachChild { stack.append($0) }
            }
            XCTAssertGreaterThan(seen, 50, name)
            XCTAssertEqual(policy.program.rules.count, policy.rules.count, name)
            XCTAssertEqual(policy.program.valueEntries.count, policy.values.count, name)
        }
    }

    /// A set of constants is one constant; a parameter is read where it is named.
    func testConstantsAreFoldedIn() throws {
        let policy = try TestPolicies.load("ilmkreis")
        let program = policy.program
        let kinds = try XCTUnwrap(policy.values.first { $0.name == "qualifizierte_kontaktarten" })
        guard case .constant = program.instructions[Int(kinds.expression.instruction)].op else {
            return XCTFail("the set of qualified contact kinds is built per case")
        }
        guard case .set(let elements) = program.constants[Int(program.instructions[Int(kinds.expression.instruction)].a)] else {
            return XCTFail("the folded constant is not a set")
        }
        XCTAssertEqual(elements.count, 10)

        // `fm.beginn + regeldauer` in `dauer.regel`: the duration is the parameter's constant itself.
        let rule = try XCTUnwrap(policy.rules.first { $0.id == "dauer.regel" })
        guard case .deadline(let due, _, _, _, _) = rule.outcomes[0], case .shiftDate(_, let span, _) = due.kind,
              case .value(let i) = span.kind else { return XCTFail("dauer.regel is not `fm.beginn + regeldauer`") }
        XCTAssertEqual(policy.values[i].name, "regeldauer")
        XCTAssertEqual(span.instruction, policy.values[i].expression.instruction)
        guard case .constant = program.instructions[Int(span.instruction)].op else {
            return XCTFail("the parameter is remembered per case instead of read as a constant")
        }
    }

    /// `latest p in L by p.datum` reads each entry's date by slot; with a condition it takes
    /// the general path, which sets the binder per entry.
    func testLatestByAFieldIsReadWithoutABinder() throws {
        let policy = try TestPolicies.load("hannover")
        func op(_ name: String) throws -> Instruction.Op {
            let value = try XCTUnwrap(policy.values.first { $0.name == name }, name)
            return policy.program.instructions[Int(value.expression.instruction)].op
        }
        guard case .entryByField(.latest) = try op("letzte_fortfuehrungspruefung") else {
            return XCTFail("`latest p in fm.fortfuehrungspruefungen by p.datum` sets a binder per entry")
        }
        guard case .listOperation(.filter) = try op("qualifizierte_kontakte") else {
            return XCTFail("a filter is not a list operation")
        }
    }
}
