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
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var plainFrom = 0, i = 0
        while i < count {
            // Eight bytes at a time while none of them needs escaping.
            if i + 8 <= count, !needsEscaping(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8; continue }
            let b = base[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { i += 1; continue }
            out.append(contentsOf: UnsafeBufferPointer(start: base + plainFrom, count: i - plainFrom))
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
                out.appendLiteral("u00")
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 0xF)])
            }
            i += 1
            plainFrom = i
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + plainFrom, count: count - plainFrom))
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
        var writer = PrettyWriter(indent: indent)
        writer.write(value, level: 0)
        return String(decoding: writer.out, as: UTF8.self)
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

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
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

    /// `pretty`'s output, built as UTF-8 bytes: a report of a large caseload is megabytes of
    /// short members, and appending bytes costs a fraction of appending small `String`s.
    private struct PrettyWriter {
        let indent: Int
        var out: [UInt8] = []
        /// A line break and the indentation of the deepest level so far: the break before a
        /// line of level `l` is its first `1 + indent × l` bytes (made once, not per line).
        var lineBreak: [UInt8] = [0x0A]

        init(indent: Int) { self.indent = indent }

        mutating func write(_ value: JSONValue, level: Int) {
            switch value {
            case .array(let elements) where elements.isEmpty:
                out.appendLiteral("[]")
            case .array(let elements) where elements.allSatisfy(JSONWriter.isScalar):
                out.append(UInt8(ascii: "["))
                for (index, element) in elements.enumerated() {
                    if index > 0 { out.appendLiteral(", ") }
                    writeScalar(element)
                }
                out.append(UInt8(ascii: "]"))
            case .array(let elements):
                out.append(UInt8(ascii: "["))
                for (index, element) in elements.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    breakLine(level: level + 1)
                    write(element, level: level + 1)
                }
                breakLine(level: level)
                out.append(UInt8(ascii: "]"))
            case .object(let members) where members.isEmpty:
                out.appendLiteral("{}")
            case .object(let members):
                out.append(UInt8(ascii: "{"))
                for (index, (key, member)) in members.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    breakLine(level: level + 1)
                    JSONWriter.quote(key, into: &out)
                    out.appendLiteral(": ")
                    write(member, level: level + 1)
                }
                breakLine(level: level)
                out.append(UInt8(ascii: "}"))
            default:
                writeScalar(value)
            }
        }

        private mutating func breakLine(level: Int) {
            let count = 1 + indent * level
            if lineBreak.count < count { lineBreak.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count - lineBreak.count)) }
            out.append(contentsOf: lineBreak[..<count])
        }

        private mutating func writeScalar(_ value: JSONValue) {
            switch value {
            case .null: out.appendLiteral("null")
            case .bool(let flag): if flag { out.appendLiteral("true") } else { out.appendLiteral("false") }
            case .number(var text): text.withUTF8 { out.append(contentsOf: $0) }
            case .string(let text): JSONWriter.quote(text, into: &out)
            case .array, .object: preconditionFailure("containers are written by the caller")
            }
        }
    }
}
