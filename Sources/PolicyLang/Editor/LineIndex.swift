/// A place in a text as editors count it: a 0-based line and a 0-based column in UTF-16
/// code units (the Language Server Protocol's default). `Ü` is one unit, `📅` two.
public struct EditorPosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) { self.line = line; self.character = character }
    public var description: String { "\(line):\(character)" }
}

public struct EditorRange: Hashable, Sendable, CustomStringConvertible {
    public var start: EditorPosition
    public var end: EditorPosition
    public init(start: EditorPosition, end: EditorPosition) { self.start = start; self.end = end }
    public var description: String { "\(start)-\(end)" }
}

/// Converts between the byte offsets of spans and editor positions for one text. Spans
/// count UTF-8 bytes; editors count UTF-16 units per line, so a line with umlauts or a
/// typographic dash has fewer units than bytes.
public struct LineIndex: Sendable {
    private let bytes: [UInt8]
    /// Byte offset where each line starts; lines end at `\n` (a `\r` before it belongs to the line).
    private let lineStarts: [Int]

    public init(_ file: SourceFile) { self.init(bytes: file.bytes) }
    public init(text: String) { self.init(bytes: Array(text.utf8)) }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    public var lineCount: Int { lineStarts.count }

    /// The editor position of a byte offset. An offset inside a multi-byte character counts
    /// as the character's start; offsets past the end clamp to the end.
    public func position(of offset: Int) -> EditorPosition {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        var units = 0
        var i = lineStarts[lo]
        while i < o {
            let length = Self.sequenceLength(bytes[i])
            if i + length > o { break }
            units += length == 4 ? 2 : 1
            i += length
        }
        return EditorPosition(line: lo, character: units)
    }

    public func range(of span: Span) -> EditorRange {
        EditorRange(start: position(of: span.start), end: position(of: max(span.start, span.end)))
    }

    /// The byte offset of an editor position. A line past the end gives the end of the text;
    /// a character past the end of its line gives the line's end (as the protocol asks); a
    /// position between the two halves of a surrogate pair gives the character's start.
    public func offset(of position: EditorPosition) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let lineStart = lineStarts[position.line]
        var lineEnd = position.line + 1 < lineStarts.count ? lineStarts[position.line + 1] - 1 : bytes.count
        if position.line + 1 < lineStarts.count, lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        var i = lineStart
        var units = 0
        while i < lineEnd, units < position.character {
            let length = Self.sequenceLength(bytes[i])
            let width = length == 4 ? 2 : 1
            if units + width > position.character { break }
            units += width
            i = min(i + length, lineEnd)
        }
        return i
    }

    /// How many bytes the UTF-8 sequence starting with `lead` has (1 for a stray continuation byte).
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }
}
