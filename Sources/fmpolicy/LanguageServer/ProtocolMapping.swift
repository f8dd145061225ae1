import Foundation
import PolicyLang
import PolicyRuntime

/// `file://` URIs ↔ paths. Other schemes (`untitled:`) are kept as they are and used as
/// the document's name.
enum DocumentURI {
    static func path(_ uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        var rest = uri.dropFirst("file://".count)
        // `file://host/path`: only the local host is meaningful here.
        if !rest.hasPrefix("/"), let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        return String(rest).removingPercentEncoding ?? String(rest)
    }

    static func uri(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path.contains(":") ? path : uri(EditorWorkspace.absolute(path)) }
        var out = "file://"
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        for b in path.utf8 {
            if allowed.contains(b) { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }
}

/// Library values → protocol JSON.
enum ProtocolMapping {
    static func position(_ p: EditorPosition) -> JSONValue {
        .object([("line", .number(String(p.line))), ("character", .number(String(p.character)))])
    }

    static func range(_ r: EditorRange) -> JSONValue {
        .object([("start", position(r.start)), ("end", position(r.end))])
    }

    static func location(uri: String, range r: EditorRange) -> JSONValue {
        .object([("uri", .string(uri)), ("range", range(r))])
    }

    /// A diagnostic of the document `lines` indexes. Notes that point into a file become
    /// related information; the help line is appended to the message, as the CLI prints it.
    static func diagnostic(_ d: Diagnostic, lines: LineIndex, uriOf: (SourceFile) -> String) -> JSONValue {
        let severity: Int = switch d.severity { case .error: 1; case .warning: 2; case .note: 3 }
        var message = d.message
        var related: [JSONValue] = []
        for note in d.notes {
            if let file = note.file, let span = note.span {
                let place = LineIndex(file).range(of: span)
                related.append(.object([("location", location(uri: uriOf(file), range: place)), ("message", .string(note.message))]))
            } else {
                message += "\nnote: \(note.message)"
            }
        }
        if let help = d.help { message += "\nhelp: \(help)" }
        var members: [(String, JSONValue)] = [
            ("range", range(lines.range(of: d.span))),
            ("severity", .number(String(severity))),
            ("code", .string(d.code)),
            ("source", .string("fmpolicy")),
            ("message", .string(message)),
        ]
        if !related.isEmpty { members.append(("relatedInformation", .array(related))) }
        return .object(members)
    }

    static func completionKind(_ k: EditorCompletion.Kind) -> Int {
        switch k {
        case .field: 5
        case .parameter: 21
        case .definition, .local: 6
        case .enumValue: 20
        case .enumType: 13
        case .recordType: 22
        case .keyword: 14
        case .builtin: 12
        case .function: 3
        case .rule: 23
        case .policy: 9
        }
    }

    static func completion(_ c: EditorCompletion, lines: LineIndex) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("label", .string(c.label)),
            ("kind", .number(String(completionKind(c.kind)))),
            ("sortText", .string(String(format: "%02d", c.priority) + c.label)),
        ]
        if let d = c.detail, !d.isEmpty { members.append(("detail", .string(d))) }
        if let doc = c.documentation, !doc.isEmpty {
            members.append(("documentation", .object([("kind", .string("markdown")), ("value", .string(doc))])))
        }
        if let span = c.replacing {
            members.append(("filterText", .string(c.label)))
            members.append(("textEdit", .object([("range", range(lines.range(of: span))), ("newText", .string(c.label))])))
        }
        return .object(members)
    }

    static func symbolKind(_ k: EditorSymbol.Kind) -> Int {
        switch k {
        case .policy, .schema: 2
        case .rule, .caseloadRule, .adoption, .removal: 24
        case .parameter: 14
        case .definition: 13
        case .enumeration: 10
        case .enumValue: 22
        case .record: 23
        case .field: 8
        }
    }

    static func symbol(_ s: EditorSymbol, lines: LineIndex) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(s.name)),
            ("kind", .number(String(symbolKind(s.kind)))),
            ("range", range(lines.range(of: s.span.through(s.nameSpan)))),
            ("selectionRange", range(lines.range(of: s.nameSpan))),
        ]
        if let d = s.detail, !d.isEmpty { members.insert(("detail", .string(d)), at: 1) }
        if !s.children.isEmpty { members.append(("children", .array(s.children.map { symbol($0, lines: lines) }))) }
        return .object(members)
    }
}

extension JSONValue {
    /// A non-negative integer member, e.g. a position's `line`.
    var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }
}
