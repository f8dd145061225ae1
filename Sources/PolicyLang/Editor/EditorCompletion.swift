import Foundation

/// One completion proposal.
public struct EditorCompletion: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case field, parameter, definition, enumValue, enumType, recordType, keyword, local, builtin, function, rule, policy
    }
    public let label: String
    public let kind: Kind
    /// A type, or a rule's title.
    public let detail: String?
    /// Markdown: a field's or declaration's `#` comment.
    public let documentation: String?
    /// Lower sorts first.
    public let priority: Int
    /// The text the proposal replaces, when more than the word at the cursor (a dotted rule id).
    public let replacing: Span?

    init(_ label: String, _ kind: Kind, detail: String? = nil, documentation: String? = nil, priority: Int, replacing: Span? = nil) {
        self.label = label; self.kind = kind; self.detail = detail; self.documentation = documentation
        self.priority = priority; self.replacing = replacing
    }
}

extension DocumentAnalysis {
    /// Proposals at byte `offset`: the fields of a record after `.` (`fm.` → `beginn`, …),
    /// the values of an enum after `Enum.`, after `=`/`!=`/`otherwise` or inside `in {…}`
    /// when the other side is of that enum, the base's rule ids after `override rule`,
    /// `adopt rule` and `remove rule`, the base's names after `override param`/`define`,
    /// policy names after `extends`, and elsewhere the names in scope and the keywords.
    /// Nothing inside a comment or in the text of a string (but in a message's `{…}`).
    public func completions(at offset: Int) -> [EditorCompletion] {
        let bytes = file.bytes
        let o = max(0, min(offset, bytes.count))
        let lexed = Lexer.tokenize(file, keywords: tree.keywords)
        if lexed.comments.contains(where: { $0.span.start < o && o <= $0.span.end }) { return [] }
        var wordStart = o
        while wordStart > 0, Self.isIdentifierByte(bytes[wordStart - 1]) { wordStart -= 1 }

        // The tokens before the word: the file's, or inside a message's `{…}` the hole's.
        let before: [Token]
        var inHole = false
        if let string = lexed.tokens.first(where: { $0.kind == .string && isInside(string: $0, o) }) {
            guard let open = holeStart(in: string, before: wordStart) else { return [] }
            before = Lexer.tokenize(file, range: (open + 1)..<wordStart, keywords: tree.keywords).tokens.filter { $0.kind != .endOfFile && $0.kind != .invalid }
            inHole = true
        } else {
            before = lexed.tokens.filter { $0.kind != .endOfFile && $0.kind != .invalid && $0.span.end <= wordStart }
        }

        if !inHole, let special = declarationNameCompletions(before, wordStart: wordStart, o: o) { return special }
        if let dot = before.last, dot.kind == .symbol(.dot), dot.span.end == wordStart, before.count >= 2 {
            return memberCompletions(receiverEnd: before[before.count - 2].span.end, tokens: before, o: o)
        }
        var scope = scopeAt(o)
        if inHole { scope.dueAvailable = dueAvailable(inMessageAt: o) }
        var items = expectedEnum(before, o).map { e in
            e.cases.map { EditorCompletion($0, .enumValue, detail: e.name, priority: 0) }
        } ?? []
        let atLineStart = !inHole && lineStartsAt(wordStart)
        items += nameCompletions(scope, priority: atLineStart ? 3 : 1)
        items += Keyword.allCases.map { EditorCompletion(tree.keywords.spelling($0), .keyword, priority: atLineStart ? 1 : 4) }
        return Self.unique(items)
    }

    /// Whether the message at `o` belongs to an outcome with a due date (a `deadline`'s
    /// `overdue`/`upcoming` branch, or a finding with `due …`), where `{due}` may be used.
    private func dueAvailable(inMessageAt o: Int) -> Bool {
        for decl in tree.declarations where decl.span.start <= o && o <= decl.span.end {
            guard case .rule(let r) = decl.kind else { return false }
            for outcome in r.outcomes {
                switch outcome {
                case .finding(_, _, let due, let message?, _) where message.span.start < o && o <= message.span.end:
                    return due != nil
                case .deadline(_, let branches, _):
                    if let b = branches.first(where: { $0.message.map { $0.span.start < o && o <= $0.span.end } ?? false }) {
                        return b.kind != .missing
                    }
                default: break
                }
            }
        }
        return false
    }

    static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_")
    }

    private func isInside(string t: Token, _ o: Int) -> Bool {
        guard t.span.start < o else { return false }
        if o < t.span.end { return true }
        // An unterminated string runs to the end of its line; the cursor may stand there.
        let closed = t.span.end - t.span.start >= 2 && file.bytes[t.span.end - 1] == UInt8(ascii: "\"")
        return o == t.span.end && !closed
    }

    /// The `{` of the message hole the cursor is in, if it is in one.
    private func holeStart(in t: Token, before o: Int) -> Int? {
        let bytes = file.bytes
        var open: Int?
        var i = t.span.start + 1
        while i < o {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 1
            case UInt8(ascii: "{"): open = i
            case UInt8(ascii: "}"): open = nil
            default: break
            }
            i += 1
        }
        return open
    }

    private func lineStartsAt(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, file.bytes[i] == UInt8(ascii: " ") || file.bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        return i < 0 || file.bytes[i] == UInt8(ascii: "\n")
    }

    /// After `override rule`, `adopt rule`, `remove rule`, `override param`/`define` and `extends`.
    private func declarationNameCompletions(_ before: [Token], wordStart: Int, o: Int) -> [EditorCompletion]? {
        func keyword(_ i: Int) -> Keyword? {
            guard i >= 0, i < before.count, case .keyword(let k) = before[i].kind else { return nil }
            return k
        }
        // A dotted rule id typed so far: `dauer.` + word.
        var j = before.count - 1
        var idStart = wordStart
        while j >= 1, before[j].kind == .symbol(.dot), before[j].span.end == idStart,
              before[j - 1].span.end == before[j].span.start, before[j - 1].kind == .identifier || keyword(j - 1) != nil,
              keyword(j - 1) != .rule {
            idStart = before[j - 1].span.start
            j -= 2
        }
        if keyword(j) == .rule, let k = keyword(j - 1), [.override, .adopt, .remove, .caseload].contains(k) {
            let m = model
            return m.inheritedRuleIDs().map { id in
                let rule = m.ruleSites[id]?.last(where: { $0.rule != nil })?.rule
                return EditorCompletion(id, .rule, detail: rule?.title?.value, documentation: rule?.cites.map { "cites \"\($0.value)\"" },
                                        priority: 0, replacing: Span(idStart, o))
            }
        }
        guard idStart == wordStart, let last = keyword(before.count - 1) else { return nil }
        if (last == .param || last == .define), keyword(before.count - 2) == .override {
            let kind: CheckedValue.Kind = last == .param ? .parameter : .definition
            return model.valueSites.compactMap { name, sites in
                // Not what this document already overrides.
                guard !sites.contains(where: { $0.file === file }), let base = sites.last, base.kind == kind else { return nil }
                return EditorCompletion(name, kind == .parameter ? .parameter : .definition, detail: model.valueType(name)?.description,
                                        documentation: Self.documentation(base.declaration.leadingComments), priority: 0)
            }.sorted { $0.label < $1.label }
        }
        if last == .extends {
            let own = tree.header?.name.text
            let directory = (file.path as NSString).deletingLastPathComponent
            let names = PolicyLibrary(searchPath: [directory] + workspace.searchPath).availablePolicyFiles().map(\.name)
            return names.filter { $0 != own && $0 != (schemaTree?.header?.name.text ?? "case") }
                .map { EditorCompletion($0, .policy, priority: 0) }
        }
        return nil
    }

    /// After `receiver.`: the fields of its record (and, on a whole case, its definitions),
    /// or the values of the enum it names.
    private func memberCompletions(receiverEnd: Int, tokens: [Token], o: Int) -> [EditorCompletion] {
        let m = model
        let receiver = smallestExpression(endingAt: receiverEnd) ?? tokenReceiver(tokens).map { ($0, scopeAt(o)) }
        guard let (expr, scope) = receiver else { return [] }
        if case .enumType(let e)? = m.enumTypeReceiver(expr, in: scope) {
            return Self.unique(e.cases.map { EditorCompletion($0, .enumValue, detail: e.name, priority: 0) })
        }
        guard case .record(let record)? = m.type(of: expr, in: scope)?.base else { return [] }
        var items = record.fields.map { f in
            EditorCompletion(f.name, .field, detail: f.type.description, documentation: f.documentation.isEmpty ? nil : f.documentation, priority: 0)
        }
        if record === schema?.root {
            items += m.valueSites.compactMap { name, sites in
                guard let site = sites.last, site.kind == .definition else { return nil }
                return EditorCompletion(name, .definition, detail: m.valueType(name)?.description,
                                        documentation: Self.documentation(site.declaration.leadingComments), priority: 1)
            }
        }
        return Self.unique(items)
    }

    /// `a.b.c` written just before the dot, when the parser kept no expression there.
    private func tokenReceiver(_ tokens: [Token]) -> Expr? {
        var i = tokens.count - 2
        var names: [Name] = []
        while i >= 0, tokens[i].kind == .identifier {
            names.insert(Name(tokens[i].text, tokens[i].span), at: 0)
            guard i >= 1, tokens[i - 1].kind == .symbol(.dot) else { break }
            i -= 2
        }
        guard let first = names.first else { return nil }
        return names.dropFirst().reduce(Expr.name(first)) { .field($0, $1) }
    }

    /// The enum the context expects: the other side of `=`, `!=` or `otherwise`, the left
    /// side of `in {…}`, or the declared type of the `param`/`define` being written.
    private func expectedEnum(_ before: [Token], _ o: Int) -> EnumType? {
        guard let last = before.last else { return nil }
        let m = model
        func enumOf(exprEndingAt end: Int) -> EnumType? {
            guard let (e, scope) = smallestExpression(endingAt: end) else { return nil }
            if case .enumeration(let t)? = m.type(of: e, in: scope)?.base { return t }
            return nil
        }
        func declared() -> EnumType? {
            guard let decl = tree.declarations.first(where: { $0.span.start <= o && o <= $0.span.end }) else { return nil }
            switch decl.kind {
            case .parameter(let v), .definition(let v):
                switch v.type.flatMap(m.resolveType)?.base {
                case .enumeration(let e)?, .set(.enumeration(let e))?: return e
                default: return nil
                }
            default: return nil
            }
        }
        switch last.kind {
        case .symbol(.equals), .symbol(.notEquals), .keyword(.otherwise):
            guard before.count >= 2 else { return nil }
            return enumOf(exprEndingAt: before[before.count - 2].span.end) ?? (last.kind == .symbol(.equals) ? declared() : nil)
        case .symbol(.leftBrace), .symbol(.comma):
            // Find the `{` this element belongs to.
            var depth = 0
            var i = before.count - 1
            while i >= 0 {
                switch before[i].kind {
                case .symbol(.rightBrace), .symbol(.rightParen): depth += 1
                case .symbol(.leftParen): depth -= 1
                case .symbol(.leftBrace):
                    if depth == 0 {
                        guard i >= 1 else { return nil }
                        if before[i - 1].kind == .keyword(.in), i >= 2 { return enumOf(exprEndingAt: before[i - 2].span.end) }
                        return before[i - 1].kind == .symbol(.equals) ? declared() : nil
                    }
                    depth -= 1
                default: break
                }
                if depth < 0 { return nil }
                i -= 1
            }
            return nil
        default:
            return nil
        }
    }

    /// Parameters, definitions, case fields, binders and built-in names usable at the cursor.
    private func nameCompletions(_ scope: EditorScope, priority: Int) -> [EditorCompletion] {
        let m = model
        var items: [EditorCompletion] = []
        for local in scope.locals.reversed() {
            items.append(EditorCompletion(local.name.text, .local, detail: local.type?.description, priority: priority - 1))
        }
        for (name, sites) in m.valueSites.sorted(by: { $0.key < $1.key }) {
            guard let site = sites.last else { continue }
            items.append(EditorCompletion(name, site.kind == .parameter ? .parameter : .definition, detail: m.valueType(name)?.description,
                                          documentation: Self.documentation(site.declaration.leadingComments), priority: priority))
        }
        if let root = schema?.root, !scope.caseload {
            items += root.fields.map { f in
                EditorCompletion(f.name, .field, detail: f.type.description, documentation: f.documentation.isEmpty ? nil : f.documentation, priority: priority)
            }
        }
        items.append(EditorCompletion("stichtag", .builtin, detail: "date", documentation: "the date the case is judged at", priority: priority))
        if scope.dueAvailable { items.append(EditorCompletion(tree.keywords.spelling(.due), .builtin, detail: "date", documentation: "the due date of this outcome", priority: priority)) }
        if scope.caseload {
            items.append(EditorCompletion("faelle", .builtin, documentation: "the case manager's cases: `count c in faelle where …`", priority: priority))
            if let staff = schema?.records["Fallmanager"] {
                items.append(EditorCompletion("fallmanager", .builtin, detail: staff.name, documentation: "this case manager's entry in the staff file", priority: priority))
            }
        }
        items.append(EditorCompletion("age", .function, detail: "age(birth, on) -> integer", documentation: "completed years on `on`", priority: priority))
        for e in (schema?.enums.values.map { $0 } ?? []).sorted(by: { $0.name < $1.name }) {
            items.append(EditorCompletion(e.name, .enumType, detail: e.cases.joined(separator: " | "), priority: priority + 2))
        }
        return items
    }

    /// The scope at the cursor: the binders of the list operations around it, whether it is
    /// in a caseload rule, a parameter or a message.
    func scopeAt(_ o: Int) -> EditorScope {
        let m = model
        guard let decl = tree.declarations.first(where: { $0.span.start <= o && o <= $0.span.end }) else { return EditorScope() }
        var scope = EditorScope()
        switch decl.kind {
        case .rule(let r): scope.caseload = r.isCaseload
        case .parameter: scope.inParameter = true
        default: break
        }
        var innermost: (length: Int, scope: EditorScope)?
        var binderScope: EditorScope?
        m.walk(decl) { step in
            guard case .expression(let e, let s, _) = step, e.span.start <= o, o <= e.span.end else { return }
            if innermost == nil || e.span.end - e.span.start <= innermost!.length { innermost = (e.span.end - e.span.start, s) }
            if case .listOperation(_, let binder?, let list, _, _, _) = e, binder.span.end <= o, list.span.end < o {
                var inner = s
                if s.caseload, case .name(let n) = list, n.text == "faelle" {
                    inner.locals = [(binder, schema.map { .record($0.root) })]
                } else {
                    var element: PolicyType?
                    if case .list(let t)? = m.type(of: list, in: s) { element = t }
                    inner.locals.append((binder, element))
                }
                binderScope = inner
            }
        }
        var result = binderScope ?? innermost?.scope ?? scope
        result.caseload = scope.caseload
        result.inParameter = scope.inParameter
        return result
    }

    /// The smallest expression that ends at `end`, with its scope: the receiver of a `.`, the
    /// left side of an operator.
    func smallestExpression(endingAt end: Int) -> (Expr, EditorScope)? {
        let m = model
        var best: (Expr, EditorScope)?
        let visit: (WalkStep) -> Void = { step in
            guard case .expression(let e, let s, _) = step, e.span.end == end, e.span.start < end else { return }
            if case .missing = e { return }
            if best == nil || e.span.end - e.span.start < best!.0.span.end - best!.0.span.start { best = (e, s) }
        }
        m.walk(tree, visit)
        return best
    }

    static func unique(_ items: [EditorCompletion]) -> [EditorCompletion] {
        var seen = Set<String>()
        return items.sorted { ($0.priority, $0.label) < ($1.priority, $1.label) }.filter { seen.insert($0.label).inserted }
    }
}
