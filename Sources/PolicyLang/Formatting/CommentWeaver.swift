/// Lines + the file's comments → text. Every comment is written exactly once, in source
/// order, before the first piece whose token came after it:
/// - a comment behind code stays behind the code it followed (two spaces, then `#`);
///   if more of the line follows, the line breaks after the comment;
/// - a whole-line comment gets a line of its own, indented like the line it precedes.
/// Blank lines stand only between top-level parts, where the source had one (or where the
/// layout forces one); inside a declaration there are none.
struct CommentWeaver {
    let file: SourceFile
    let comments: [Comment]
    private var next = 0
    private var output: [String] = []
    private var current: String?

    init(file: SourceFile, comments: [Comment]) {
        self.file = file
        self.comments = comments.sorted { $0.span.start < $1.span.start }
    }

    mutating func weave(_ items: [LayoutItem]) -> String {
        var separator: Bool?
        for item in items {
            switch item {
            case .separator(let forced): separator = (separator ?? false) || forced
            case .line(let line):
                emit(line, separator: separator)
                separator = nil
            }
        }
        finishLine()
        // Comments after the last declaration.
        for c in pending(before: Int.max) {
            if isWholeLine(c) {
                if blankLine(before: c.span.start) { blank() }
                output.append(text(c))
            } else {
                appendBehind(c)
            }
        }
        while output.last == "" { output.removeLast() }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    private mutating func emit(_ line: FormattedLine, separator: Bool?) {
        for (i, piece) in line.pieces.enumerated() {
            let before = piece.anchor.map { pending(before: $0) } ?? []
            if i == 0 {
                for c in before where !isWholeLine(c) { appendBehind(c) }
                let whole = before.filter(isWholeLine)
                if let forced = separator {
                    // Blank lines where the source had them, between the comments and before the code.
                    var gaps = whole.map { blankLine(before: $0.span.start) } + [piece.anchor.map(blankLine(before:)) ?? false]
                    if forced, !gaps.contains(true) { gaps[0] = true }
                    for (k, c) in whole.enumerated() {
                        if gaps[k] { blank() }
                        output.append(indentation(line.indent) + text(c))
                    }
                    if gaps[whole.count] { blank() }
                } else {
                    for c in whole { output.append(indentation(line.indent) + text(c)) }
                }
                current = indentation(line.indent) + piece.text
                continue
            }
            if !before.isEmpty {
                for c in before where !isWholeLine(c) { current = (current ?? "") + "  " + text(c) }
                finishLine()
                for c in before where isWholeLine(c) { output.append(indentation(line.continuation) + text(c)) }
                current = indentation(line.continuation) + piece.text
                continue
            }
            current = (current ?? "") + (piece.spaced ? " " : "") + piece.text
        }
        finishLine()
    }

    /// The comments not yet written that start before `offset`.
    private mutating func pending(before offset: Int) -> [Comment] {
        var out: [Comment] = []
        while next < comments.count, comments[next].span.start < offset {
            out.append(comments[next])
            next += 1
        }
        return out
    }

    private mutating func finishLine() {
        if let c = current { output.append(c) }
        current = nil
    }

    /// A comment behind code goes behind the last line written.
    private mutating func appendBehind(_ c: Comment) {
        if output.isEmpty || output[output.count - 1].isEmpty { output.append(text(c)) } else { output[output.count - 1] += "  " + text(c) }
    }

    private mutating func blank() {
        if let last = output.last, !last.isEmpty { output.append("") }
    }

    private func indentation(_ n: Int) -> String { String(repeating: " ", count: n) }

    private func text(_ c: Comment) -> String {
        var t = c.text
        while let last = t.last, last == " " || last == "\t" { t.removeLast() }
        return t
    }

    /// Nothing but spaces between the start of its line and the comment.
    private func isWholeLine(_ c: Comment) -> Bool {
        var i = c.span.start - 1
        while i >= 0, file.bytes[i] == UInt8(ascii: " ") || file.bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        if i < 0 || file.bytes[i] == UInt8(ascii: "\n") { return true }
        // A byte-order mark before the first line is not code.
        return i == 2 && file.bytes.starts(with: [0xEF, 0xBB, 0xBF])
    }

    /// The whitespace right before `offset` contains an empty line.
    private func blankLine(before offset: Int) -> Bool {
        var i = min(offset, file.bytes.count) - 1
        var breaks = 0
        while i >= 0 {
            let b = file.bytes[i]
            if b == UInt8(ascii: "\n") { breaks += 1 } else if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\r") { break }
            i -= 1
        }
        return breaks >= 2 && i >= 0
    }
}
