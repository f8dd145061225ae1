/// A byte range in one source file. Line and column are computed only when a
/// diagnostic is rendered, so tokens and nodes stay small.
public struct Span: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) { self.start = start; self.end = end }
    public static let empty = Span(0, 0)
    public func through(_ other: Span) -> Span { Span(min(start, other.start), max(end, other.end)) }
}

/// A `.fm` file as read from disk (or an editor buffer), with its line table.
public final class SourceFile: Sendable, Hashable {
    /// The path as the user named it; used verbatim in diagnostics.
    public let path: String
    public let text: String
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    public static func == (a: SourceFile, b: SourceFile) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// 1-based line and column; the column counts Unicode scalars, as editors do.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        var column = 1
        var i = start
        while i < o {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        if o > start, bytes[start..<o].allSatisfy({ $0 & 0xC0 == 0x80 }) { column = 1 }
        return (lo + 1, column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    public var lineCount: Int { lineStarts.count }

    public func text(of span: Span) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
