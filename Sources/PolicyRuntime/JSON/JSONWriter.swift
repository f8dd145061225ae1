/// Deterministic JSON output: the same value always gives the same bytes, so findings can be
/// compared with golden files and diffed.
///
/// Strings escape `"`, `\` and control characters (`\b \f \n \r \t`, others as `\u00XX`)
/// and keep everything else, non-ASCII included, as UTF-8. Numbers are written as their
/// stored text, which is trusted to be valid JSON. Object members keep their stored order.
public struct JSONWriter {
    /// Appends `s` as a JSON string literal, quotes included.
    public static func quote(_ s: String, into out: inout String) {
        out.append("\"")
        // Most strings need no escaping; append them whole rather than scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(s)
            out.append("\"")
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case "\u{00}"..."\u{1F}":
                let hex = Array("0123456789abcdef".utf8)
                let value = Int(scalar.value)
                out.append("\\u00")
                out.unicodeScalars.append(Unicode.Scalar(hex[value >> 4]))
                out.unicodeScalars.append(Unicode.Scalar(hex[value & 0xF]))
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    /// The same escaping, appended as UTF-8 bytes (the batch output path builds bytes, not Strings).
    public static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { appendEscaped($0, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// The UTF-8 text `bytes`, escaped as `quote` escapes it, without the quotes.
    static func appendEscaped<Sink: ByteSink>(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var plainFrom = 0, i = 0
        while i < count {
            // Eight bytes at a time while none of them needs escaping.
            if i + 8 <= count, !needsEscaping(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8; continue }
            let b = base[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { i += 1; continue }
            out.append(UnsafeBufferPointer(start: base + plainFrom, count: i - plainFrom))
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                let hex: StaticString = "0123456789abcdef"
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 0xF)])
            }
            i += 1
            plainFrom = i
        }
        out.append(UnsafeBufferPointer(start: base + plainFrom, count: count - plainFrom))
    }

    /// Whether any of the eight bytes in `word` is a control character, `"` or `\\`
    /// (the classic "has a zero byte" test, applied to `word` and to it XOR each character).
    @inline(__always)
    static func needsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        // A byte below 0x20 is one whose top three bits are zero.
        let control = hasZeroByte(word & 0xE0E0_E0E0_E0E0_E0E0)
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        return control | quote | backslash != 0
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    /// One line, no spaces: `{"a":[1,2],"b":null}`. Suits JSON Lines.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        writeCompact(value, into: &out)
        return out
    }

    /// Indented for people: one member or element per line, `"key": value`; arrays whose
    /// elements are all scalars, and empty arrays and objects, stay on one line
    /// (`["a", "b"]`, `[]`, `{}`). No newline at the end.
    public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
        var writer = PrettyJSONWriter(indent: indent)
        writer.write(value)
        return writer.text
    }

    private static func writeCompact(_ value: JSONValue, into out: inout String) {
        switch value {
        case .array(let elements):
            out.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(",") }
                writeCompact(element, into: &out)
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { out.append(",") }
                quote(key, into: &out)
                out.append(":")
                writeCompact(member, into: &out)
            }
            out.append("}")
        default:
            writeScalar(value, into: &out)
        }
    }

    private static func writeScalar(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out.append("null")
        case .bool(let flag): out.append(flag ? "true" : "false")
        case .number(let text): out.append(text)
        case .string(let text): quote(text, into: &out)
        case .array, .object: preconditionFailure("containers are written by the caller")
        }
    }
}

/// Where escaped JSON text goes: a `[UInt8]`, or a batch worker's `OutputBytes`.
protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(_ run: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {
    mutating func append(_ run: UnsafeBufferPointer<UInt8>) { append(contentsOf: run) }
}

/// Pretty JSON in `JSONWriter.pretty`'s layout, written piece by piece as UTF-8 bytes: a
/// document too large to build as a `JSONValue` first (the monthly report of a large
/// caseload) is written straight from its figures. `pretty` writes through it too.
///
///     json.beginObject()
///     json.member("cases", 12)
///     json.key("teams"); json.beginArray()
///     for team in teams { json.element(); json.beginObject(); …; json.endObject() }
///     json.endArray()
///     json.endObject()
struct PrettyJSONWriter: ~Copyable {
    let indent: Int
    private let out = OutputBytes(capacity: 4096)
    /// How many members or elements the innermost open object or array has so far, and the
    /// counts of those around it (innermost last).
    private var written = 0
    private var outer: [Int] = []
    /// Where strings are quoted before they are copied out.
    private var quoted: [UInt8] = []

    init(indent: Int = 2) { self.indent = indent }

    /// What has been written, as text.
    var text: String { out.text }

    /// A key quoted once, with its `: `, for members written over and over (the figures of
    /// every case manager): writing it is one copy, not quoting it again.
    struct Key {
        fileprivate var bytes: [UInt8] = []
        init(_ name: String) {
            JSONWriter.quote(name, into: &bytes)
            bytes.appendLiteral(": ")
        }
    }

    mutating func beginObject() { begin(UInt8(ascii: "{")) }
    mutating func endObject() { end(UInt8(ascii: "}")) }
    /// An array written element by element has one element per line: write one of scalars
    /// whole with `write(_:)`, which keeps it on one line as `pretty` does.
    mutating func beginArray() { begin(UInt8(ascii: "[")) }
    mutating func endArray() { end(UInt8(ascii: "]")) }

    /// Starts a member of the innermost object; its value is written next.
    mutating func key(_ name: String) {
        nextLine()
        write(name)
        out.append(literal: ": ")
    }

    mutating func key(_ key: Key) {
        nextLine()
        key.bytes.withUnsafeBufferPointer { out.append($0) }
    }

    /// Starts an element of the innermost array; it is written next.
    mutating func element() { nextLine() }

    mutating func member(_ key: String, _ value: Int?) { self.key(key); write(value) }
    mutating func member(_ key: String, _ value: String?) { self.key(key); write(value) }
    mutating func member(_ key: String, number text: String?) { self.key(key); write(number: text) }
    mutating func member(_ key: Key, _ value: Int?) { self.key(key); write(value) }
    mutating func member(_ key: Key, _ value: String?) { self.key(key); write(value) }
    mutating func member(_ key: Key, _ value: Bool) { self.key(key); write(value) }
    mutating func member(_ key: Key, number text: String?) { self.key(key); write(number: text) }

    /// A number; null when nil.
    mutating func write(_ value: Int?) {
        guard let value else { return out.append(literal: "null") }
        out.append(decimal: value)
    }

    /// A string; null when nil.
    mutating func write(_ value: String?) {
        guard let value else { return out.append(literal: "null") }
        quoted.removeAll(keepingCapacity: true)
        JSONWriter.quote(value, into: &quoted)
        quoted.withUnsafeBufferPointer { out.append($0) }
    }

    mutating func write(_ flag: Bool) {
        out.append(literal: flag ? "true" : "false")
    }

    /// A number given as its JSON text, which is trusted; null when nil.
    mutating func write(number text: String?) {
        guard var text else { return out.append(literal: "null") }
        text.withUTF8 { out.append($0) }
    }

    /// A whole value: arrays whose elements are all scalars on one line, other containers one
    /// member or element per line.
    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: out.append(literal: "null")
        case .bool(let flag): write(flag)
        case .number(let text): write(number: text)
        case .string(let text): write(text)
        case .array(let elements) where !elements.isEmpty && elements.allSatisfy(Self.isScalar):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(literal: ", ") }
                write(element)
            }
            out.append(UInt8(ascii: "]"))
        case .array(let elements):
            beginArray()
            for element in elements {
                self.element()
                write(element)
            }
            endArray()
        case .object(let members):
            beginObject()
            for (key, member) in members {
                self.key(key)
                write(member)
            }
            endObject()
        }
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
        }
    }

    private mutating func begin(_ bracket: UInt8) {
        out.append(bracket)
        outer.append(written)
        written = 0
    }

    /// An empty container closes on its own line: `[]`, `{}`.
    private mutating func end(_ bracket: UInt8) {
        if written > 0 { out.appendLineBreak(indentation: indent * (outer.count - 1), comma: false) }
        out.append(bracket)
        written = outer.removeLast()
    }

    private mutating func nextLine() {
        out.appendLineBreak(indentation: indent * outer.count, comma: written > 0)
        written += 1
    }
}
