import Foundation

/// The text shown when the cursor rests on a name: Markdown, and the span it is about.
public struct EditorHover: Sendable, Equatable {
    public let markdown: String
    public let span: Span
}

extension DocumentAnalysis {
    /// What the name at `offset` is: a rule's title and citation; a parameter's value, with
    /// the base value it overrides and the extending policies that override it; a
    /// definition's expression and documentation; a case field's type and its `#` comment
    /// in the schema; an enum value's enum; a keyword's meaning.
    public func hover(at offset: Int) -> EditorHover? {
        if let target = target(at: offset), let text = hoverText(target) {
            return EditorHover(markdown: text, span: target.span)
        }
        if let (k, span) = keywordToken(at: offset), let text = KeywordHelp.text[k] {
            let word = tree.keywords.spelling(k)
            return EditorHover(markdown: "**`\(word)`** (keyword\(word == k.rawValue ? "" : ", `\(k.rawValue)`")): \(text)", span: span)
        }
        return nil
    }

    private func hoverText(_ target: EditorTarget) -> String? {
        switch target.resolved {
        case .value(let sites):
            guard let i = target.isDeclaration ? sites.lastIndex(where: { $0.file === file }) : sites.indices.last else { return nil }
            return valueHover(sites, i)
        case .rule(let sites):
            guard let i = sites.lastIndex(where: { $0.file === file }) ?? sites.indices.last else { return nil }
            return ruleHover(sites, i)
        case .field(let record, let i):
            return fieldHover(record, i)
        case .enumCase(let e, let value):
            var text = "**enum value** `\(value)` of `\(e.name)`\n\n`\(e.name)` = \(e.cases.map { "`\($0)`" }.joined(separator: " | "))"
            let owners = schema?.enums(havingCase: value).filter { $0 !== e } ?? []
            if !owners.isEmpty {
                text += "\n\nAlso a value of \(owners.map { "`\($0.name)`" }.joined(separator: ", ")): where the context does not say which enum is meant, write `\(e.name).\(value)`."
            }
            return text
        case .enumType(let e):
            var text = "**enum** `\(e.name)` = \(e.cases.map { "`\($0)`" }.joined(separator: " | "))"
            if let doc = schemaDeclaration(named: e.name).map({ Self.documentation($0.leadingComments) }), !doc.isEmpty { text += "\n\n" + doc }
            return text
        case .recordType(let r), .staff(let r):
            var text: String
            if case .staff = target.resolved {
                text = "**`fallmanager`**: `\(r.name)`: this case manager's entry in the staff file"
            } else {
                text = "**record** `\(r.name)`\(r === schema?.root ? " (a whole case)" : "")"
            }
            if let doc = schemaDeclaration(named: r.name).map({ Self.documentation($0.leadingComments) }), !doc.isEmpty { text += "\n\n" + doc }
            if !r.fields.isEmpty { text += "\n\n" + r.fields.map { "- `\($0.name)`: `\($0.type)`" }.joined(separator: "\n") }
            return text
        case .local(let n, let t):
            return "**`\(n.text)`**\(t.map { ": `\($0)`" } ?? ""): one entry of the list at a time"
        case .builtin(let name):
            switch name {
            case "stichtag": return "**`stichtag`**: `date`: the date the case is judged at: `--as-of` if given, else the case's own `stichtag`, else today"
            case "due": return "**`due`**: `date`: the due date of this outcome (the `deadline`'s date, or the outcome's `due …`)"
            default: return "**`faelle`**: the cases of this case manager; they can only be counted (`count c in faelle where …`)"
            }
        case .function:
            return "**`age(birth, on)`**: `integer`: the number of completed years on the date `on` (birthdays on 29 February fall on 28 February in common years)"
        case .policy(let t):
            guard let h = t.header else { return nil }
            var text = "**\(h.kind == .policy ? "policy" : "schema")** `\(h.name.text)`"
            if let base = h.extends { text += " extends `\(base.text)`" }
            if let title = h.title?.value { text += "\n\n\(title)" }
            var facts: [String] = []
            if let c = h.citation?.value { facts.append("cited as *\(c)*") }
            if let d = h.inForce?.text { facts.append("in force from \(d)") }
            if !facts.isEmpty { text += "\n\n" + facts.joined(separator: ", ") }
            if let s = h.source?.value { text += "\n\nSource: \(s)" }
            if t.file !== file { text += "\n\n`\(t.file.path)`" }
            return text
        }
    }

    private func valueHover(_ sites: [ValueSite], _ i: Int) -> String {
        let site = sites[i]
        let kindWord = site.kind == .parameter ? "param" : "define"
        let type = model.valueType(site.value.name.text)
        var text = "**\(kindWord)** `\(site.value.name.text)`\(type.map { ": `\($0)`" } ?? "")"
        text += "\n\n```fmpolicy\n\(Self.excerpt(site.file.text(of: site.declaration.span)))\n```"
        let doc = Self.documentation(site.declaration.leadingComments)
        if !doc.isEmpty { text += "\n\n" + doc }
        if site.file !== file { text += "\n\nDeclared in `\(site.owner)` (\(Self.place(site.file, site.value.name.span)))." }
        if site.declaration.isOverride, i > 0 {
            let base = sites[i - 1]
            text += "\n\nOverrides `\(base.owner)`: `\(Self.excerpt(base.file.text(of: base.value.value.span), lines: 3))`"
        }
        // Hovering in a base policy: the policies that change this value.
        let overriders = extendingPolicies().compactMap { layer -> String? in
            for decl in layer.tree.declarations where decl.isOverride {
                switch decl.kind {
                case .parameter(let v), .definition(let v):
                    if v.name.text == site.value.name.text {
                        return "`\(layer.id)`: `\(Self.excerpt(layer.tree.file.text(of: v.value.span), lines: 3))`"
                    }
                default: break
                }
            }
            return nil
        }
        if !overriders.isEmpty { text += "\n\nOverridden in " + overriders.joined(separator: "; ") }
        return text
    }

    private func ruleHover(_ sites: [RuleSite], _ i: Int) -> String {
        let site = sites[i]
        // The rule as it is written: this one, or for `adopt`/`remove` the base's.
        let written = site.rule != nil ? site : sites[..<i].last(where: { $0.rule != nil })
        var text: String
        switch site.form {
        case .rule(let r):
            text = "**\(site.declaration.isOverride ? "override " : "")\(r.isCaseload ? "caseload " : "")rule** `\(r.id.text)`"
            if let title = r.title?.value { text += " \"\(title)\"" }
            if let cites = r.cites?.value { text += "\n\ncites \"\(cites)\"" + Self.sourceLine(site.citation, cites) }
        case .adoption(let a):
            text = "**adopt rule** `\(a.id.text)`"
            if let title = a.title?.value ?? written?.rule?.title?.value { text += " \"\(title)\"" }
            if let cites = a.cites?.value { text += "\n\ncites \"\(cites)\"" + Self.sourceLine(site.citation, cites) }
            if let w = written, let r = w.rule {
                text += "\n\nAdopted as `\(w.owner)` writes it (\(Self.place(w.file, w.id.span)))"
                if let cites = r.cites?.value { text += ", where it cites \"\(cites)\"" }
                text += "."
            }
        case .removal(let n):
            text = "**remove rule** `\(n.text)`"
            if let w = written, let r = w.rule {
                text += "\n\nRemoves `\(w.owner)`'s rule" + (r.title.map { " \"\($0.value)\"" } ?? "") + (r.cites.map { " (cites \"\($0.value)\")" } ?? "") + "."
            }
        }
        if site.declaration.isOverride, let base = sites[..<i].last(where: { $0.rule != nil }), let r = base.rule {
            text += "\n\nOverrides `\(base.owner)`'s rule" + (r.title.map { " \"\($0.value)\"" } ?? "") + (r.cites.map { " (cites \"\($0.value)\")" } ?? "") + "."
        }
        if let w = written, let r = w.rule, case .rule = site.form {
            text += "\n\n```fmpolicy\n\(Self.excerpt(w.file.text(of: r.span), lines: 12))\n```"
        }
        let doc = Self.documentation(site.declaration.leadingComments)
        if !doc.isEmpty { text += "\n\n" + doc }
        if site.file !== file { text += "\n\nDeclared in `\(site.owner)` (\(Self.place(site.file, site.id.span)))." }
        var changes: [String] = []
        for layer in extendingPolicies() {
            for decl in layer.tree.declarations {
                switch decl.kind {
                case .rule(let r) where r.id.text == site.id.text && decl.isOverride: changes.append("overridden in `\(layer.id)`")
                case .adoption(let a) where a.id.text == site.id.text:
                    changes.append("adopted by `\(layer.id)`" + (a.cites.map { " (\"\($0.value)\")" } ?? ""))
                case .removal(let n) where n.text == site.id.text: changes.append("removed in `\(layer.id)`")
                default: break
                }
            }
        }
        if !changes.isEmpty { text += "\n\nExtending policies: " + changes.joined(separator: "; ") + "." }
        return text
    }

    private func fieldHover(_ record: RecordType, _ i: Int) -> String {
        let field = record.fields[i]
        var text = "**field** `\(record.name).\(field.name)`: `\(field.type)`"
        var notes: [String] = []
        if field.required {
            if let u = field.requiredUnless { notes.append("required unless `\(record.fields[u].name)`") } else { notes.append("required") }
        }
        if let d = field.datedBy, case .list(.record(let element)) = field.type, d < element.fields.count {
            notes.append("dated by `\(element.fields[d].name)`: entries after the Stichtag are not part of the case")
        }
        if !notes.isEmpty { text += " (\(notes.joined(separator: "; ")))" }
        if !field.documentation.isEmpty { text += "\n\n" + field.documentation }
        return text
    }

    /// The policies that extend this document's policy (for "overridden in …").
    func extendingPolicies() -> [PolicyLayer] {
        guard kind == .policy, let name = tree.header?.name.text else { return [] }
        return workspace.policiesExtending(name, near: (file.path as NSString).deletingLastPathComponent)
    }

    /// `#` comments as prose: the marks taken off, one line each.
    static func documentation(_ comments: [Comment]) -> String {
        comments.map { SchemaBuilder.commentText($0) }.joined(separator: "\n")
    }

    static func sourceLine(_ citation: String?, _ section: String) -> String {
        guard let citation, !citation.isEmpty else { return "" }
        return ": findings cite *\(citation), \(section)*"
    }

    static func place(_ file: SourceFile, _ span: Span) -> String {
        let (line, column) = file.location(of: span.start)
        return "\((file.path as NSString).lastPathComponent):\(line):\(column)"
    }

    /// At most `lines` lines and `characters` characters of `text`, an ellipsis for the rest.
    static func excerpt(_ text: String, lines: Int = 20, characters: Int = 2000) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        var shown = all.count <= lines ? text : all.prefix(lines).joined(separator: "\n") + "\n…"
        if shown.count > characters { shown = String(shown.prefix(characters)) + " …" }
        return shown
    }
}

/// One line on each keyword, for hover.
enum KeywordHelp {
    static let text: [Keyword: String] = [
        .policy: "starts a policy file: `policy NAME [extends BASE]`",
        .schema: "starts the schema file, or in a policy header names the schema its cases are read with",
        .extends: "this policy builds on the named base policy and states only what differs",
        .param: "a fixed value the instruction states; it cannot read the case",
        .define: "a named value computed for each case",
        .rule: "`rule ID \"Titel\" cites \"…\" [when …] outcome…`: one requirement of the instruction",
        .caseload: "a rule over a case manager's whole caseload, evaluated once per case manager",
        .override: "replaces the base policy's parameter, definition or rule of that name",
        .adopt: "takes over a base rule as it is, under this policy's own section",
        .remove: "drops a base rule",
        .cites: "the section of the source document the rule encodes",
        .when: "a condition; it applies only when definitely true (unknown counts as not satisfied)",
        .deadline: "a date with `overdue`, `upcoming` and `missing` branches",
        .overdue: "applies when the Stichtag is after the deadline",
        .upcoming: "applies when the deadline lies within the horizon (30 days unless `--horizon`)",
        .missing: "applies when the deadline's date is absent",
        .due: "the outcome's due date; `{due}` writes it into a message",
        .message: "the German sentence a case manager reads; `{…}` holes insert values",
        .otherwise: "`a otherwise b` is `a` when it has a value, else `b`",
        .absent: "`x is absent`: `x` has no value (always true or false, never unknown)",
        .present: "`x is present`: `x` has a value",
        .count: "`count L` or `count k in L where c`: how many entries",
        .any: "`any k in L where c`: true if `c` holds for at least one entry",
        .all: "`all k in L where c`: true if `c` holds for every entry",
        .filter: "`filter k in L where c`: the entries for which `c` holds",
        .latest: "`latest k in L [where c] by k.datum`: the entry with the latest date, absent if none",
        .earliest: "`earliest k in L [where c] by k.datum`: the entry with the earliest date, absent if none",
        .in: "`x in {a, b}` or `x in lo .. hi` (both ends included)",
        .months: "a month has no fixed number of days: the same day N months later, or that month's last day",
        .years: "12 months, with the same month-end clamping",
    ]
}
