import PolicyLang
@testable import PolicyRuntime
import XCTest

/// The text and HTML renderers build their output as bytes where they used to build `String`s;
/// each shortcut must give what the plain way gives, for any text a staff file can hold.
final class ReportRenderingTests: XCTestCase {
    /// Texts with what makes bytes, scalars and characters differ: umlauts, a combining accent,
    /// a family emoji, an en dash, trailing spaces, markup characters, a C1 control, nothing.
    static let texts = ["FM-1", "Jürgen", "e\u{301}e", "👩‍👩‍👧", "M&I 1", "a – b", "trailing  ", " ", "", "<b>\"'", "x\u{85}y", "tab\there"]

    func testTablesPadByCharactersAndDropTrailingSpacesAsBefore() {
        let texts = Self.texts
        let rows = texts.indices.map { i in [texts[i], texts[(i + 3) % texts.count], String(i * 37), texts[(i + 7) % texts.count]] }
        for (left, textColumns, totals) in [(1, Set<Int>(), 0), (2, Set([3]), 1), (0, Set<Int>(), 2), (4, Set<Int>(), 0)] {
            let header = ["Team", "Fallmanager*in", "Fälle", "Schlüssel"]
            XCTAssertEqual(ReportText.table(header, rows, leftColumns: left, textColumns: textColumns, totalRows: totals),
                           Self.tableAsBefore(header, rows, leftColumns: left, textColumns: textColumns, totalRows: totals))
        }
        XCTAssertEqual(ReportText.table(["A", "B"], [], leftColumns: 1, totalRows: 1), "  A  B\n")
    }

    func testEscapingKeepsPlainTextAndEscapesTheRestAsMarkupDoes() {
        for text in Self.texts + ["FM-00012", "37,5", "0–6", "ohne Team"] {
            XCTAssertEqual(ReportHTML.esc(text), Markup.escape(text), text)
        }
        // Escaping goes character by character: parts escaped apart make the whole.
        XCTAssertEqual(ReportHTML.esc("<b>") + " · " + ReportHTML.esc("M&I"), Markup.escape("<b> · M&I"))
    }

    func testGermanNumbers() {
        let numbers = [DecimalNumber(75), DecimalNumber(significand: 375, scale: 1), DecimalNumber(significand: 5625, scale: 2),
                       DecimalNumber(significand: -5, scale: 1), DecimalNumber(significand: 100, scale: 2)]
        XCTAssertEqual(numbers.map(Report.german), numbers.map { String($0.description.map { $0 == "." ? "," : $0 }) })
        XCTAssertEqual(Report.german(DecimalNumber(significand: 375, scale: 1)), "37,5")
    }

    /// `ReportText.table` as it was written with `String`s.
    static func tableAsBefore(_ header: [String], _ rows: [[String]], leftColumns: Int, textColumns: Set<Int>, totalRows: Int) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, cell) in cells.enumerated() {
                let left = i < leftColumns || textColumns.contains(i)
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                s += "  " + (left ? cell + padding : padding + cell)
            }
            while s.last == " " { s.removeLast() }
            return s + "\n"
        }
        var out = line(header)
        for (i, row) in rows.enumerated() {
            if totalRows > 0, i == rows.count - totalRows {
                out += "  " + String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            }
            out += line(row)
        }
        return out
    }
}
