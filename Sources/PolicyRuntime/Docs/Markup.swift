/// Escaping and number formatting shared by the report, the documentation page and the case
/// timeline: every text that comes from a policy, a case or a finding goes through
/// `Markup.escape` before it stands in HTML or SVG (text or attribute).
enum Markup {
    /// `&`, `<`, `>`, `"` and `'` as character references; valid in HTML and in XML (SVG)
    /// text and attribute values alike. Control characters other than tab and line breaks,
    /// which XML does not allow, become U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0xFFFE || c.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    /// A fragment identifier from a name: letters, digits, `_`, `-` and `.` stay, anything
    /// else becomes `-` plus its code point, so two different names never share an anchor.
    static func anchor(_ prefix: String, _ name: String) -> String {
        var out = prefix + "-"
        for c in name.unicodeScalars {
            if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "." || c == "-" {
                out.unicodeScalars.append(c)
            } else {
                out += "-\(String(c.value, radix: 16))"
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, the same bytes on every platform.
    static func number(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = abs(tenths)
        return m % 10 == 0 ? sign + String(m / 10) : sign + "\(m / 10).\(m % 10)"
    }
}
