@testable import PolicyLang
import XCTest

/// One arena takes case after case: `reset` keeps its chunks for the next case and destroys
/// only the values that hold references, which the arena notes as they come in.
final class CaseArenaTests: XCTestCase {
    /// A string long enough to live on the heap.
    let text = String(repeating: "Fallmanagement ", count: 4)

    func testResetKeepsTheChunksForTheNextCase() {
        let arena = CaseArena()
        let first = arena.uninitializedFields(3)
        _ = arena.uninitializedFields(500)
        let second = arena.uninitializedFields(100)   // does not fit: the next chunk
        // Larger than a chunk: a chunk of its own.
        let large = arena.list(Array(repeating: Value.integer(7), count: 2_000))
        XCTAssertEqual(large.count, 2_000)
        XCTAssertTrue(large.allSatisfy { $0 == .integer(7) })
        arena.reset()
        XCTAssertEqual(arena.uninitializedFields(3), first)
        _ = arena.uninitializedFields(500)
        XCTAssertEqual(arena.uninitializedFields(100), second)
        // The large chunk is used again, and is still large enough.
        let again = arena.list(Array(repeating: Value.integer(8), count: 2_000))
        XCTAssertEqual(again.base, large.base)
        XCTAssertTrue(again.allSatisfy { $0 == .integer(8) })
        // A list that fits no chunk left gets a new one, put in before the chunks left, which
        // the next values use as before.
        arena.reset()
        let larger = arena.list(Array(repeating: Value.bool(true), count: 3_000))
        XCTAssertEqual(larger.count, 3_000)
        XCTAssertTrue(larger.allSatisfy { $0 == .bool(true) })
        XCTAssertEqual(arena.uninitializedFields(3), first)
    }

    func testOnlyValuesHoldingReferencesAreNotedAndDestroyed() {
        let arena = CaseArena()
        let slots = arena.uninitializedFields(3)
        arena.place(.string(text), at: slots)
        arena.place(.date(CalendarDate(year: 2025, month: 3, day: 1)!), at: slots + 1)
        arena.place(.set([.string(text)]), at: slots + 2)
        let record = arena.record(madeAt: slots, count: 3)
        XCTAssertEqual(arena.holderCount, 2)
        let list = arena.list([.record(record), .string(text), .integer(1), .absent])
        XCTAssertEqual(arena.holderCount, 3)
        var moved: [Value] = [.string(text + "x"), .bool(false)]
        let movedRecord = moved.withUnsafeMutableBufferPointer { buffer in
            let r = arena.record(moving: buffer.baseAddress!, count: 2)
            // The buffer is left uninitialised: give it values again so the array can be freed.
            buffer.baseAddress!.initialize(repeating: .absent, count: 2)
            return r
        }
        XCTAssertEqual(arena.holderCount, 4)
        XCTAssertEqual(record[0], .string(text))
        XCTAssertEqual(list[1], .string(text))
        XCTAssertEqual(movedRecord[0], .string(text + "x"))
        arena.reset()
        XCTAssertEqual(arena.holderCount, 0)
        // Strings made after a reset are noted afresh.
        let next = arena.uninitializedFields(1)
        arena.place(.string(text), at: next)
        XCTAssertEqual(arena.holderCount, 1)
        XCTAssertEqual(next, slots)
        XCTAssertEqual(arena.record(madeAt: next, count: 1)[0], .string(text))
    }

    /// More strings than the first room for their slots.
    func testManyStrings() {
        let arena = CaseArena()
        for round in 0..<3 {
            let strings = (0..<100).map { Value.string("\(text)\(round)-\($0)") }
            let list = arena.list(strings)
            XCTAssertEqual(arena.holderCount, 100)
            XCTAssertTrue(zip(list, strings).allSatisfy { $0 == $1 })
            arena.reset()
        }
    }
}
