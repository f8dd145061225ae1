import PolicyLang
@testable import PolicyRuntime
import XCTest

/// The findings line of the spec, byte for byte.
final class FindingsWriterTests: XCTestCase {
    func result(due: CalendarDate?, message: String = "Frist überschritten") -> CaseResult {
        CaseResult(caseID: "C-1", policy: "hannover", stichtag: CalendarDate(year: 2025, month: 3, day: 1)!,
                   findings: [Finding(rule: "dauer.hoechst", severity: .warning, message: message, due: due, source: "IV.4")],
                   explanations: [])
    }

    func testLineHasTheSpecsKeysInOrder() {
        XCTAssertEqual(FindingsWriter.json(result(due: CalendarDate(year: 2024, month: 2, day: 9)!)),
                       #"{"case":"C-1","policy":"hannover","stichtag":"2025-03-01","findings":[{"rule":"dauer.hoechst","severity":"warning","message":"Frist überschritten","due":"2024-02-09","source":"IV.4"}]}"#)
    }

    func testMessagesAreEscaped() {
        let line = FindingsWriter.json(result(due: nil, message: "a \"b\" \\ c\nd"))
        XCTAssertTrue(line.contains(#""message":"a \"b\" \\ c\nd","source""#), line)
    }

    /// Date arithmetic can leave four digits (9999-12-31 + 36 months); the line then says the
    /// same as the text output instead of cutting the year to four digits.
    func testDueDatesBeyondYear9999AreWrittenInFull() {
        let late = CalendarDate(year: 9999, month: 12, day: 31)!.adding(months: 36)
        XCTAssertEqual(late.description, "10002-12-31")
        XCTAssertTrue(FindingsWriter.json(result(due: late)).contains(#""due":"10002-12-31""#))
    }
}
