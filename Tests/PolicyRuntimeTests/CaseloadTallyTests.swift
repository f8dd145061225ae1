@testable import PolicyRuntime
import XCTest

/// The caseload tally's own table: counts land with their case manager however many there
/// are, and workers' tallies merge to the tally of one worker.
final class CaseloadTallyTests: XCTestCase {
    /// Case `i` goes to manager `i % managers`, and meets accumulator 0 when `i` is even and
    /// accumulator 1 when `i` is a multiple of 3: expected counts follow by arithmetic.
    private func tally(cases range: Range<Int>, managers: Int) -> CaseloadTally {
        var tally = CaseloadTally()
        for i in range {
            let counts = tally.counts(of: "FM-\(i % managers)", width: 3)
            tally.increment(counts)
            if i % 2 == 0 { tally.increment(counts + 1) }
            if i % 3 == 0 { tally.increment(counts + 2) }
        }
        return tally
    }

    /// The case managers with cases, sorted.
    private func managers(_ tally: CaseloadTally) -> [String] { (0..<tally.count).map(tally.name(at:)).sorted() }

    /// How many cases `manager` has.
    private func cases(_ tally: CaseloadTally, _ manager: String) -> Int { tally.place(of: manager).flatMap { tally.counts(at: $0).first } ?? 0 }

    private func expected(_ m: Int, cases n: Int, managers: Int) -> (cases: Int, even: Int, third: Int) {
        let mine = stride(from: m, to: n, by: managers)
        return (mine.underestimatedCount, mine.filter { $0 % 2 == 0 }.count, mine.filter { $0 % 3 == 0 }.count)
    }

    func testCountsStayWithTheirManagerAsTheTableGrows() {
        // 1,500 managers: the table is rebuilt several times on the way.
        let tally = tally(cases: 0..<9_000, managers: 1_500)
        XCTAssertEqual(managers(tally).count, 1_500)
        XCTAssertEqual(managers(tally).first, "FM-0")
        for m in [0, 1, 2, 749, 1_499] {
            let e = expected(m, cases: 9_000, managers: 1_500)
            XCTAssertEqual(cases(tally, "FM-\(m)"), e.cases, "FM-\(m)")
            XCTAssertEqual(tally.counts(of: "FM-\(m)", shape: [2]), [[e.even, e.third]], "FM-\(m)")
        }
        XCTAssertEqual(cases(tally, "FM-1500"), 0)
        XCTAssertEqual(tally.counts(of: "FM-1500", shape: [1, 1]), [[0], [0]])
        XCTAssertEqual(cases(CaseloadTally(), "FM-0"), 0)
    }

    func testMergedWorkersCountAsOne() {
        let whole = tally(cases: 0..<3_000, managers: 97)
        var merged = tally(cases: 0..<1_000, managers: 97)
        merged.merge(tally(cases: 1_000..<2_200, managers: 97))
        merged.merge(CaseloadTally())
        merged.merge(tally(cases: 2_200..<3_000, managers: 97))
        XCTAssertEqual(managers(merged), managers(whole))
        for m in managers(merged) {
            XCTAssertEqual(merged.counts(of: m, shape: [2]), whole.counts(of: m, shape: [2]), m)
            XCTAssertEqual(cases(merged, m), cases(whole, m), m)
        }
        var fromEmpty = CaseloadTally()
        fromEmpty.merge(whole)
        XCTAssertEqual(fromEmpty.counts(of: "FM-5", shape: [1, 1]), whole.counts(of: "FM-5", shape: [1, 1]))
    }
}
