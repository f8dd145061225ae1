@testable import PolicyLang
@testable import PolicyRuntime
import Foundation
import XCTest

/// A batch run writes each case's line straight from the rules' verdicts, with one evaluator
/// reused from case to case. Neither may change a byte: every case in the repository, checked
/// case after case through one workspace, gives the line and the counts that checking it alone
/// and writing its `CaseResult` give.
final class BatchLineTests: XCTestCase {
    func testBatchLinesMatchCheckedResults() throws {
        let cases = try TestPolicies.repositoryCases()
        var compared = 0
        for name in ["ba", "ilmkreis", "hannover", "berlin", "kkm"] {
            let policy = try TestPolicies.load(name)
            var options = CheckOptions()
            options.today = CalendarDate(year: 2025, month: 3, day: 1)!
            options.ignoreInForce = true
            let stream = CaseStream(policy: policy, options: options, countsCaseload: false)
            let decoder = CaseDecoder(schema: policy.schema, policy: policy)
            var workspace = CaseStream.Workspace()
            var batchStatistics = RunStatistics(), expectedStatistics = RunStatistics()
            var tally = CaseloadTally()
            for (caseName, bytes) in cases {
                guard let decoded = try? bytes.withUnsafeBufferPointer({ try decoder.decode($0) }) else { continue }
                let result = CaseChecker(policy: policy).check(decoded, options: options)
                expectedStatistics.count(result)
                var line: [UInt8] = []
                bytes.withUnsafeBufferPointer {
                    stream.check(line: $0, number: 1, into: &line, statistics: &batchStatistics, tally: &tally, workspace: &workspace)
                }
                XCTAssertEqual(String(decoding: line, as: UTF8.self), FindingsWriter.json(result), "\(caseName) under \(name)")
                compared += 1
            }
            XCTAssertEqual(batchStatistics.cases, expectedStatistics.cases, name)
            XCTAssertEqual(batchStatistics.bySeverity, expectedStatistics.bySeverity, name)
            XCTAssertEqual(batchStatistics.byRule, expectedStatistics.byRule, name)
        }
        XCTAssertGreaterThan(compared, 500)
    }

    /// Findings come out by severity, then rule id, however the rules are ordered in the policy.
    func testFindingsOrderedBySeverityThenRuleID() throws {
        let loaded = try TestPolicies.compile("""
            policy order extends ba
              title "Order"
              citation "Order"
            rule z.first "Z" cites "1"
              warning when true message "z"
            rule a.second "A" cites "2"
              warning when true message "a"
            rule m.third "M" cites "3"
              error when true message "m"
            """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let stream = CaseStream(policy: policy, options: CheckOptions(), countsCaseload: false)
        let line = Array(#"{"id":"X-1","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-01-01","rechtskreis":"SGB2"}}"#.utf8)
        var statistics = RunStatistics(), tally = CaseloadTally()
        let out = line.withUnsafeBufferPointer { stream.check(line: $0, number: 1, statistics: &statistics, tally: &tally) }
        let rules = out.matches(of: /"rule":"([a-z.]+)"/).map { String($0.1) }
        XCTAssertEqual(rules.filter { ["z.first", "a.second", "m.third"].contains($0) }, ["m.third", "a.second", "z.first"])
    }

    /// A batch line escapes a message's literal text once per run and the values of its holes as
    /// they are written; `Finding.message` keeps the text as it reads. Quotes, backslashes, line
    /// breaks, tabs, control characters and non-ASCII text, in a literal, in a parameter (formatted
    /// once per run) and in a case's string, give the same line both ways, and the line's JSON
    /// reads back as the text.
    func testMessagesEscapedInLiteralsAndHoles() throws {
        let literal = "Zitat \\\"so\\\" \\\\ Pfad\\nZeile\tTab „Grüße“ € 𝄞 \\{kein Loch\\}"
        let loaded = try TestPolicies.compile("""
            policy escapes extends ba
              title "Escapes"
              citation "Escapes"
            rule text.literal "Literal" cites "1"
              warning when true message "\(literal)"
            param zitat = "sagt \\"ja\\" \\\\ „so“"
            rule text.constant "Constant" cites "3"
              info when true message "Parameter {zitat} und {regeldauer}"
            rule text.hole "Hole" cites "2"
              error when true message "FM {fallmanagement.fallmanager}: seit {fallmanagement.beginn}, {fallmanagement.zugangsart}, \\"{person.rechtskreis}\\""
            """)
        let policy = try XCTUnwrap(loaded.policy, DiagnosticRenderer().render(loaded.diagnostics))
        let manager = "A\"B\\C\u{01}\u{1F}\t\nü€𝄞 und ein langer Rest über acht Bytes hinaus \""
        let expected = [
            "text.hole": "FM \(manager): seit 2020-01-31, einzelfall, \"–\"",
            "text.literal": "Zitat \"so\" \\ Pfad\nZeile\tTab „Grüße“ € 𝄞 {kein Loch}",
            "text.constant": "Parameter sagt \"ja\" \\ „so“ und 2 Jahre",
        ]
        var caseJSON: [UInt8] = []
        JSONWriter.quote(manager, into: &caseJSON)
        let line = Array(#"{"id":"X\"1","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-01-01"},"fallmanagement":{"fallmanager":"#.utf8)
            + caseJSON + Array(#","beginn":"2020-01-31","zugangsart":"einzelfall"}}"#.utf8)
        let stream = CaseStream(policy: policy, options: CheckOptions(), countsCaseload: false)
        var statistics = RunStatistics(), tally = CaseloadTally()
        let batch = line.withUnsafeBufferPointer { stream.check(line: $0, number: 1, statistics: &statistics, tally: &tally) }
        let decoded = try line.withUnsafeBufferPointer { try CaseDecoder(schema: policy.schema, policy: policy).decode($0) }
        let result = CaseChecker(policy: policy).check(decoded, options: CheckOptions())
        XCTAssertEqual(batch, FindingsWriter.json(result))
        for f in result.findings where expected[f.rule] != nil { XCTAssertEqual(f.message, expected[f.rule], f.rule) }
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(batch.utf8)) as? [String: Any])
        XCTAssertEqual(object["case"] as? String, "X\"1")
        let messages = (object["findings"] as? [[String: Any]] ?? []).compactMap { f in (f["rule"] as? String).map { ($0, f["message"] as? String) } }
        XCTAssertEqual(messages.filter { expected[$0.0] != nil }.count, 3)
        for (rule, message) in messages where expected[rule] != nil { XCTAssertEqual(message, expected[rule], rule) }
    }

    /// The escaping of the byte path is the `String` path's, for every character that needs it,
    /// wherever it falls in the eight-byte steps, and for text that needs none.
    func testEscapedBytesMatchEscapedString() {
        var samples = ["", "plain", "Überprüfung fällig", "a\"b", "back\\slash", "tab\tnew\nline\r", "\u{7F}é€𝄞"]
        samples += (0..<0x20).map { "x\(Character(Unicode.Scalar($0)!))y" }
        for offset in 0..<17 {
            let pad = String(repeating: "a", count: offset)
            samples += [pad + "\"", pad + "\u{01}" + pad, pad + "\\" + pad + "ü"]
        }
        for s in samples {
            var bytes: [UInt8] = []
            JSONWriter.quote(s, into: &bytes)
            var text = ""
            JSONWriter.quote(s, into: &text)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), text, "escaping \(s.debugDescription)")
        }
    }

    /// One evaluator for many cases forgets each case's values before the next.
    func testReusedEvaluatorForgetsTheLastCase() throws {
        let policy = try TestPolicies.load("hannover")
        let stream = CaseStream(policy: policy, options: CheckOptions(), countsCaseload: false)
        let inCare = #"{"id":"A","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-01-01","rechtskreis":"SGB2"},"fallmanagement":{"beginn":"2020-01-01","clearing_beginn":"2019-12-01","fallmanager":"FM-1","zugangsart":"kriterien"}}"#
        let notInCare = #"{"id":"B","stichtag":"2025-03-01","person":{"geburtsdatum":"1990-01-01","rechtskreis":"SGB2"}}"#
        func lines(_ cases: [String], shared: Bool) -> [String] {
            var workspace = CaseStream.Workspace()
            var statistics = RunStatistics(), tally = CaseloadTally()
            return cases.map { text in
                var out: [UInt8] = []
                if !shared { workspace = CaseStream.Workspace() }
                Array(text.utf8).withUnsafeBufferPointer {
                    stream.check(line: $0, number: 1, into: &out, statistics: &statistics, tally: &tally, workspace: &workspace)
                }
                return String(decoding: out, as: UTF8.self)
            }
        }
        let sequence = [inCare, notInCare, inCare, notInCare]
        let alone = lines(sequence, shared: false)
        XCTAssertNotEqual(alone[0].count, alone[1].count, "the two cases must give different findings for this test to mean anything")
        XCTAssertEqual(lines(sequence, shared: true), alone)
    }

    /// A batch run writes a block's lines one after another into one `OutputBytes`: the same
    /// bytes as each line written on its own, error lines included, and the same counts.
    func testBlockOfLinesMatchesLinesOneByOne() throws {
        let policy = try TestPolicies.load("hannover")
        var options = CheckOptions()
        options.today = CalendarDate(year: 2025, month: 3, day: 1)!
        options.ignoreInForce = true
        let stream = CaseStream(policy: policy, options: options, countsCaseload: false)
        var lines = try TestPolicies.repositoryCases().prefix(60).map(\.1)
        lines.insert(Array("  ".utf8), at: 3)
        lines.insert(Array(#"{"id":"BROKEN","stichtag":"#.utf8), at: 7)
        var expected: [UInt8] = []
        var oneByOne = RunStatistics(), inBlock = RunStatistics(), tally = CaseloadTally()
        var workspace = CaseStream.Workspace()
        for (i, line) in lines.enumerated() {
            line.withUnsafeBufferPointer {
                stream.check(line: $0, number: i + 1, into: &expected, statistics: &oneByOne, tally: &tally, workspace: &workspace)
            }
            expected.append(0x0A)
        }
        let block = OutputBytes(capacity: 16)   // grows while the block is written
        var blockWorkspace = CaseStream.Workspace()
        for (i, line) in lines.enumerated() {
            line.withUnsafeBufferPointer {
                stream.check(line: $0, number: i + 1, to: block, statistics: &inBlock, tally: &tally, workspace: &blockWorkspace)
            }
            block.append(0x0A)
        }
        XCTAssertEqual(String(decoding: block.bytes, as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(inBlock.errorLines, oneByOne.errorLines)
        XCTAssertGreaterThan(inBlock.errorLines, 2)
        XCTAssertGreaterThan(inBlock.cases, 20)
        XCTAssertEqual(inBlock.lines, oneByOne.lines)
        XCTAssertEqual(inBlock.cases, oneByOne.cases)
        XCTAssertEqual(inBlock.byRule, oneByOne.byRule)
    }
}
