/// Schema syntax tree → `CaseSchema`. Two passes, because records name each other.
struct SchemaBuilder {
    var diagnostics: [Diagnostic] = []

    mutating func build(_ tree: SyntaxTree) -> CaseSchema? {
        let file = tree.file
        guard let header = tree.header, header.kind == .schema else {
            diagnostics.append(Diagnostic(.error, "E0200", "a schema file starts with `schema NAME`", file: file, span: Span(0, 0)))
            return nil
        }
        var enums: [String: EnumType] = [:]
        var records: [String: RecordType] = [:]
        var declaredAt: [String: Span] = [:]
        func claim(_ name: Name) -> Bool {
            if let first = declaredAt[name.text] {
                diagnostics.append(Diagnostic(.error, "E0201", "`\(name.text)` is declared twice", file: file, span: name.span,
                                              notes: [DiagnosticNote("first declared here", file: file, span: first)]))
                return false
            }
            declaredAt[name.text] = name.span
            return true
        }
        for decl in tree.declarations {
            switch decl.kind {
            case .enumeration(let e):
                guard claim(e.name) else { continue }
                var seen: [String: Span] = [:]
                for c in e.cases {
                    if let first = seen[c.text] {
                        diagnostics.append(Diagnostic(.error, "E0203", "enum `\(e.name.text)` lists `\(c.text)` twice", file: file, span: c.span,
                                                      notes: [DiagnosticNote("first listed here", file: file, span: first)]))
                    }
                    seen[c.text] = c.span
                }
                enums[e.name.text] = EnumType(name: e.name.text, cases: e.cases.map(\.text), file: file, span: e.name.span)
            case .record(let r):
                guard claim(r.name) else { continue }
                records[r.name.text] = RecordType(name: r.name.text, file: file, span: r.name.span)
            default: break
            }
        }
        let resolver = TypeResolver(enums: enums, records: records, file: file)
        for decl in tree.declarations {
            guard case .record(let r) = decl.kind, let record = records[r.name.text], record.span == r.name.span else { continue }
            var fields: [RecordType.Field] = []
            var index: [String: Int] = [:]
            for f in r.fields {
                if index[f.name.text] != nil {
                    diagnostics.append(Diagnostic(.error, "E0204", "record `\(r.name.text)` declares field `\(f.name.text)` twice", file: file, span: f.name.span))
                    continue
                }
                index[f.name.text] = fields.count
                fields.append(RecordType.Field(name: f.name.text, type: resolver.resolve(f.type, &diagnostics), required: f.required,
                                               requiredUnless: nil, datedBy: nil, documentation: "", span: f.span))
            }
            // Second look, now that every field of the record has a slot.
            for f in r.fields {
                guard let slot = index[f.name.text], fields[slot].span == f.span else { continue }
                var unless: Int?, dated: Int?
                if let u = f.requiredUnless {
                    unless = index[u.text]
                    if unless == nil {
                        diagnostics.append(Diagnostic(.error, "E0205", "record `\(r.name.text)` has no field `\(u.text)`", file: file, span: u.span,
                                                      help: Suggestions.help(for: u.text, among: Array(index.keys))))
                    }
                }
                if let d = f.datedBy {
                    if case .list(.record(let element)) = fields[slot].type {
                        dated = element.fieldIndex[d.text]
                        if dated == nil, element.fields.isEmpty {
                            // The element record is declared further down; look it up by syntax.
                            dated = Self.fieldSlot(named: d.text, inRecord: element.name, of: tree)
                        }
                        if dated == nil {
                            diagnostics.append(Diagnostic(.error, "E0205", "record `\(element.name)` has no field `\(d.text)`", file: file, span: d.span))
                        }
                    } else {
                        diagnostics.append(Diagnostic(.error, "E0206", "`dated by` belongs on a list of records", file: file, span: d.span))
                    }
                }
                let old = fields[slot]
                fields[slot] = RecordType.Field(name: old.name, type: old.type, required: old.required, requiredUnless: unless,
                                                datedBy: dated, documentation: Self.documentation(f.leadingComments),
                                                span: old.span)
                if !f.required, !old.type.isOptional, !old.type.isError, { if case .list = old.type { return false }; return true }() {
                    diagnostics.append(Diagnostic(.error, "E0212", "field `\(f.name.text)` may be absent from a case but its type says it is always there",
                                                  file: file, span: f.span,
                                                  help: "write `\(f.name.text): \(old.type)?` if cases may leave it out, or `\(f.name.text): \(old.type) required`"))
                }
                if f.required, old.type.isOptional, unless == nil {
                    diagnostics.append(Diagnostic(.error, "E0207", "field `\(f.name.text)` is optional (`?`) and `required`", file: file, span: f.span,
                                                  help: "drop `?` or `required`; `required unless other` is the way to say both"))
                }
            }
            if fields.count > 63 {
                diagnostics.append(Diagnostic(.error, "E0211", "record `\(r.name.text)` has \(fields.count) fields; at most 63 are supported",
                                              file: file, span: r.name.span, help: "group related fields into a record of their own"))
            }
            record.fields = fields
            record.fieldIndex = index
        }
        // Fixpoint: a record contains a dated list if a field is one or leads to a record that does.
        var changed = true
        while changed {
            changed = false
            for record in records.values where !record.containsDatedList {
                let has = record.fields.contains { f in
                    if f.datedBy != nil { return true }
                    switch f.type.base {
                    case .record(let r), .list(.record(let r)): return r.containsDatedList
                    default: return false
                    }
                }
                if has { record.containsDatedList = true; changed = true }
            }
        }
        guard let rootName = header.root else {
            diagnostics.append(Diagnostic(.error, "E0208", "the schema does not say which record is a case", file: file, span: header.name.span,
                                          help: "add `root Fall` (the record name) to the schema header"))
            return nil
        }
        guard let root = records[rootName.text] else {
            diagnostics.append(Diagnostic(.error, "E0205", "no record named `\(rootName.text)`", file: file, span: rootName.span,
                                          help: Suggestions.help(for: rootName.text, among: Array(records.keys))))
            return nil
        }
        return CaseSchema(name: header.name.text, file: file, root: root, records: records, enums: enums)
    }

    static func fieldSlot(named name: String, inRecord record: String, of tree: SyntaxTree) -> Int? {
        for decl in tree.declarations {
            if case .record(let r) = decl.kind, r.name.text == record {
                var seen = Set<String>()
                var slot = 0
                for f in r.fields where seen.insert(f.name.text).inserted {
                    if f.name.text == name { return slot }
                    slot += 1
                }
            }
        }
        return nil
    }

    /// A field's comments, one per line. Joined by hand: the standard library's
    /// `joined(separator:)` on `[String]` is not specialised, and its first call makes the
    /// runtime look up `[String]: Collection` among every conformance record of the binary
    /// (0.25 million instructions on the path of every check).
    static func documentation(_ comments: [Comment]) -> String {
        var text = ""
        for (n, c) in comments.enumerated() {
            if n > 0 { text += "\n" }
            text += commentText(c)
        }
        return text
    }

    /// The text of a `#` comment without the marks and the surrounding blanks.
    static func commentText(_ c: Comment) -> String {
        var t = Substring(c.text)
        while t.first == "#" || t.first == " " { t = t.dropFirst() }
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }
}

/// Type syntax → `PolicyType`.
struct TypeResolver {
    static let builtins: [String: PolicyType] = [
        "bool": .bool, "integer": .integer, "decimal": .decimal, "string": .string, "date": .date, "duration": .duration,
    ]
    let enums: [String: EnumType]
    let records: [String: RecordType]
    let file: SourceFile

    func resolve(_ syntax: TypeSyntax, _ diagnostics: inout [Diagnostic]) -> PolicyType {
        switch syntax {
        case .missing: return .error
        case .named(let n):
            if let t = TypeResolver.builtins[n.text] { return t }
            if let e = enums[n.text] { return .enumeration(e) }
            if let r = records[n.text] { return .record(r) }
            diagnostics.append(Diagnostic(.error, "E0209", "unknown type `\(n.text)`", file: file, span: n.span,
                                          help: Suggestions.help(for: n.text, among: Array(TypeResolver.builtins.keys) + Array(enums.keys) + Array(records.keys))))
            return .error
        case .list(let inner, let span):
            let element = resolve(inner, &diagnostics)
            if element.isOptional {
                diagnostics.append(Diagnostic(.error, "E0210", "the entries of a list cannot be absent", file: file, span: span,
                                              help: "write `list of \(element.base)`; an absent list is empty"))
                return .list(element.base)
            }
            return .list(element)
        case .set(let inner, _): return .set(resolve(inner, &diagnostics))
        case .optional(let inner, _):
            let t = resolve(inner, &diagnostics)
            return t.optional
        }
    }
}

/// Checks a schema file on its own (for `fmpolicy validate case.fm`).
public enum SchemaValidation {
    public static func diagnostics(_ tree: SyntaxTree) -> [Diagnostic] {
        var builder = SchemaBuilder()
        guard let schema = builder.build(tree), !builder.diagnostics.hasErrors else { return KeywordRespelling.respell(builder.diagnostics) }
        let (_, checked) = PolicyChecker.check(schema: schema, schemaTree: tree, layers: [])
        return KeywordRespelling.respell(builder.diagnostics + checked)
    }
}
