/// How literals are written back. A plain string is copied from the source byte for byte;
/// a message is rebuilt from its parts, because its `{holes}` are expressions whose keywords
/// follow the output's language.
struct LiteralText {
    let file: SourceFile

    /// A string exactly as written, quotes and escapes included.
    func string(_ span: Span) -> String { file.text(of: span) }

    /// A message with its holes printed by `hole`. Text is escaped so that the parser reads
    /// back the same text: `\` `"` and braces get a backslash, a line break becomes `\n`.
    func message(_ m: MessageSyntax, hole: (Expr) -> String) -> String {
        var s = "\""
        for part in m.parts {
            switch part {
            case .text(let t): s += Self.escape(t)
            case .hole(let e): s += "{" + hole(e) + "}"
            }
        }
        return s + "\""
    }

    static func escape(_ text: String) -> String {
        var s = ""
        for c in text {
            switch c {
            case "\\": s += "\\\\"
            case "\"": s += "\\\""
            case "\n": s += "\\n"
            case "{": s += "\\{"
            case "}": s += "\\}"
            default: s.append(c)
            }
        }
        return s
    }
}
