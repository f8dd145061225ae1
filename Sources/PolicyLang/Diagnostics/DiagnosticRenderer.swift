/// Renders diagnostics for a person: `file:line:column: error: message`, the source line
/// with a gutter, carets under the span, then notes and help. Colour is a decoration
/// the caller switches on only for a terminal.
public struct DiagnosticRenderer: Sendable {
    public var colored: Bool
    public init(colored: Bool = false) { self.colored = colored }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    public func render(_ d: Diagnostic) -> String {
        var out = ""
        let label = paint(d.severity.rawValue, d.severity == .error ? "1;31" : d.severity == .warning ? "1;33" : "1;36")
        if let file = d.file {
            let (line, column) = file.location(of: d.span.start)
            out += paint("\(file.path):\(line):\(column):", "1") + " \(label)[\(d.code)]: " + paint(d.message, "1") + "\n"
            out += snippet(file: file, span: d.span, line: line, column: column)
        } else {
            out += "\(label)[\(d.code)]: " + paint(d.message, "1") + "\n"
        }
        for note in d.notes {
            if let file = note.file, let span = note.span {
                let (line, column) = file.location(of: span.start)
                out += paint("note", "1;36") + ": \(note.message) (\(file.path):\(line):\(column))\n"
                out += snippet(file: file, span: span, line: line, column: column)
            } else {
                out += paint("note", "1;36") + ": \(note.message)\n"
            }
        }
        if let help = d.help { out += paint("help", "1;32") + ": \(help)\n" }
        return out
    }

    /// Columns of a source line shown at most; a longer line is cut around the span.
    static let maxShownColumns = 160

    private func snippet(file: SourceFile, span: Span, line: Int, column originalColumn: Int) -> String {
        var text = file.lineText(line)
        var column = originalColumn
        let scalars = Array(text.unicodeScalars)
        if scalars.count > Self.maxShownColumns {
            let from = max(0, min(column - 1 - Self.maxShownColumns / 2, scalars.count - Self.maxShownColumns))
            let to = from + Self.maxShownColumns
            text = (from > 0 ? "…" : "") + String(String.UnicodeScalarView(scalars[from..<to])) + (to < scalars.count ? "…" : "")
            column = column - from + (from > 0 ? 1 : 0)
        }
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        // Carets cover the span on its first line only; at least one caret so an empty
        // span (end of file, a missing token) still points somewhere.
        let (endLine, endColumnInFile) = file.location(of: max(span.start, span.end))
        let endColumn = endColumnInFile - (originalColumn - column)
        let lineLength = text.unicodeScalars.count
        let last = endLine == line ? min(endColumn, lineLength + 1) : lineLength + 1
        let width = max(1, last - column)
        // Keep tabs so the carets line up under tab-indented source.
        let lead = String(String.UnicodeScalarView(text.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }))
        var out = "\(pad) |\n"
        out += "\(paint(gutter, "34")) | \(text)\n"
        out += "\(pad) | \(lead)\(paint(String(repeating: "^", count: width), "1;31"))\n"
        return out
    }

    private func paint(_ s: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
