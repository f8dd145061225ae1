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

    /// `s` as a JSON string literal.
    /// The same escaping, appended as UTF-8 bytes (the batch output path builds bytes, not Strings).
    public static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var plain = true
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { plain = false; break }
            if plain { out.append(contentsOf: bytes); return }
            var escaped = ""
            quote(String(decoding: bytes, as: UTF8.self), into: &escaped)
            out.append(contentsOf: escaped.utf8.dropFirst().dropLast())
        }
        out.append(UInt8(ascii: "\""))
    }

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
        var out = ""
        writePretty(value, indent: indent, level: 0, into: &out)
        return out
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

    private static func writePretty(_ value: JSONValue, indent: Int, level: Int, into out: inout String) {
        let inner = String(repeating: " ", count: indent * (level + 1))
        let outer = String(repeating: " ", count: indent * level)
        switch value {
        case .array(let elements) where elements.isEmpty:
            out.append("[]")
        case .array(let elements) where elements.allSatisfy(isScalar):
            out.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(", ") }
                writeScalar(element, into: &out)
            }
            out.append("]")
        case .array(let elements):
            out.append("[\n")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(",\n") }
                out.append(inner)
                writePretty(element, indent: indent, level: level + 1, into: &out)
            }
            out.append("\n" + outer + "]")
        case .object(let members) where members.isEmpty:
            out.append("{}")
        case .object(let members):
            out.append("{\n")
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { out.append(",\n") }
                out.append(inner)
                quote(key, into: &out)
                out.append(": ")
                writePretty(member, indent: indent, level: level + 1, into: &out)
            }
            out.append("\n" + outer + "}")
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
}
