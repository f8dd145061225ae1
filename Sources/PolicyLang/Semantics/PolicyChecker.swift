/// One `.fm` file of a policy chain, as parsed.
public struct PolicyLayer: Sendable {
    public let tree: SyntaxTree
    public init(tree: SyntaxTree) { self.tree = tree }
    public var id: String { tree.header?.name.text ?? tree.file.path }
}

/// Syntax trees of a policy and its `extends` chain → `CheckedPolicy`. Reports every
/// problem it finds, not just the first.
public struct PolicyChecker {
    /// A parameter or definition while the chain is merged.
    struct ValueEntry {
        var decl: ValueDecl
        var kind: CheckedValue.Kind
        var file: SourceFile
        var definedIn: String
        var span: Span
        var isOverride: Bool
        var state: State = .unchecked
        var checked: CheckedExpr?
        /// A dated parameter's values (`checked` then chooses among them by the Stichtag).
        var dated: CheckedValue.DatedValues?
        enum State { case unchecked, checking, done }
    }
    struct RuleEntry {
        var decl: RuleDecl
        var file: SourceFile
        var definedIn: String
        var citation: String
        var isOverride: Bool
        var documentation: [Comment]
        /// Set when an extending policy adopted the rule under its own section.
        var adoptedBy: String? = nil
        var adoptedSection: StringLiteral? = nil
        var adoptedTitle: StringLiteral? = nil
    }

    let schema: CaseSchema
    var diagnostics: [Diagnostic] = []
    var values: [ValueEntry] = []
    var valueIndex: [String: Int] = [:]
    /// Definitions being checked, innermost last, to name a cycle.
    var checkingStack: [Int] = []
    /// The counts over `faelle` of the caseload rule being checked.
    var caseloadAccumulators: [CheckedExpr?] = []

    /// Checks `layers` (the root of the chain first, the selected policy last) against
    /// `schema`, whose own `define`s come before every layer.
    public static func check(schema: CaseSchema, schemaTree: SyntaxTree, layers: [PolicyLayer]) -> (CheckedPolicy?, [Diagnostic]) {
        var checker = PolicyChecker(schema: schema)
        let policy = checker.run(schemaTree: schemaTree, layers: layers)
        return (checker.diagnostics.hasErrors ? nil : policy, checker.diagnostics)
    }

    mutating func report(_ code: String, _ message: String, _ file: SourceFile, _ span: Span,
                         notes: [DiagnosticNote] = [], help: String? = nil, severity: DiagnosticSeverity = .error) {
        diagnostics.append(Diagnostic(severity, code, message, file: file, span: span, notes: notes, help: help))
    }

    mutating func run(schemaTree: SyntaxTree, layers: [PolicyLayer]) -> CheckedPolicy? {
        guard let last = layers.last, let header = last.tree.header else { return nil }
        var rules: [RuleEntry] = []
        var ruleIndex: [String: Int] = [:]

        addValues(from: schemaTree, definedIn: schema.name, allowOverride: false)
        for (position, layer) in layers.enumerated() {
            let file = layer.tree.file
            let citation = layer.tree.header?.citation?.value ?? ""
            checkHeader(layer.tree, isRoot: position == 0)
            addValues(from: layer.tree, definedIn: layer.id, allowOverride: position > 0)
            var removed: [String: Span] = [:]
            var declaredHere: [String: Span] = [:]
            for decl in layer.tree.declarations {
                switch decl.kind {
                case .enumeration(let e):
                    report("E0211", "enums belong in the schema (`\(schema.file.path)`), not in a policy", file, e.name.span)
                case .record(let r):
                    report("E0211", "records belong in the schema (`\(schema.file.path)`), not in a policy", file, r.name.span)
                case .rule(let r):
                    let id = r.id.text
                    guard claimRuleID(r.id, file, &declaredHere) else { continue }
                    let entry = RuleEntry(decl: r, file: file, definedIn: layer.id, citation: citation, isOverride: decl.isOverride,
                                          documentation: decl.leadingComments)
                    if decl.isOverride {
                        guard let i = ruleIndex[id] else {
                            let inherited = layers[..<position].map(\.id).joined(separator: ", ")
                            report("E0303", "`override rule \(id)`, but \(inherited.isEmpty ? "no base policy" : "`\(inherited)`") has no rule `\(id)`",
                                   file, r.id.span, help: Suggestions.help(for: id, among: Array(ruleIndex.keys)) ?? (position == 0 ? "a policy that extends nothing declares its rules without `override`" : nil))
                            continue
                        }
                        if rules[i].decl.isCaseload != r.isCaseload {
                            report("E0304", "`\(id)` is a \(rules[i].decl.isCaseload ? "caseload " : "")rule in `\(rules[i].definedIn)`; the override must be one too", file, r.id.span)
                        }
                        rules[i] = entry
                    } else {
                        if let i = ruleIndex[id] {
                            report("E0305", "rule `\(id)` is already declared in `\(rules[i].definedIn)`", file, r.id.span,
                                   notes: [DiagnosticNote("declared here", file: rules[i].file, span: rules[i].decl.id.span)],
                                   help: "write `override rule \(id)` to replace it")
                            continue
                        }
                        ruleIndex[id] = rules.count
                        rules.append(entry)
                    }
                case .removal(let name):
                    if let first = removed[name.text] {
                        report("E0306", "rule `\(name.text)` is removed twice", file, name.span,
                               notes: [DiagnosticNote("first removed here", file: file, span: first)])
                        continue
                    }
                    removed[name.text] = name.span
                    guard let i = ruleIndex[name.text] else {
                        report("E0307", "`remove rule \(name.text)`, but no base policy has a rule `\(name.text)`", file, name.span,
                               help: Suggestions.help(for: name.text, among: Array(ruleIndex.keys)))
                        continue
                    }
                    rules.remove(at: i)
                    ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($0.element.decl.id.text, $0.offset) })
                case .adoption(let a):
                    let id = a.id.text
                    guard claimRuleID(a.id, file, &declaredHere) else { continue }
                    guard let i = ruleIndex[id] else {
                        report("E0308", "`adopt rule \(id)`, but no base policy has a rule `\(id)`", file, a.id.span,
                               help: Suggestions.help(for: id, among: Array(ruleIndex.keys)))
                        continue
                    }
                    rules[i].adoptedBy = layer.id
                    rules[i].citation = citation
                    rules[i].adoptedSection = a.cites
                    if let t = a.title { rules[i].adoptedTitle = t }
                    rules[i].documentation = decl.leadingComments
                case .parameter, .definition: break
                }
            }
        }

        for i in values.indices { _ = checkValue(i) }
        let checkedRules = rules.compactMap { checkRule($0) }
        let checkedValues = values.compactMap { v -> CheckedValue? in
            guard let e = v.checked else { return nil }
            var value = CheckedValue(name: v.decl.name.text, kind: v.kind, type: e.type, expression: e, definedIn: v.definedIn,
                                     file: v.file, span: v.span, isOverride: v.isOverride)
            value.dated = v.dated
            return value
        }
        guard checkedValues.count == values.count else { return nil }
        let inForce = header.inForce.flatMap { CalendarDate(iso: $0.text) }
        var caseloadKey: CheckedExpr?
        if let keyExpr = schemaTree.header?.caseloadKey {
            var scope = Scope(file: schemaTree.file)
            let k = check(keyExpr, expected: nil, scope: &scope)
            if !k.type.isError, k.type.base != .string {
                report("E0331", "`caseload by` names the case manager's key, a string; found `\(k.type)`", schemaTree.file, keyExpr.span)
            }
            caseloadKey = k
        } else if checkedRules.contains(where: \.isCaseload) {
            report("E0332", "the policy has caseload rules, but the schema does not say whose case a case is",
                   schema.file, schemaTree.header?.name.span ?? .empty, help: "add `caseload by fallmanagement.fallmanager` to the schema header")
        }
        let policy = CheckedPolicy(id: header.name.text, title: header.title?.value ?? "", sourceDescription: header.source?.value ?? "",
                             document: header.document?.value ?? "", citation: header.citation?.value ?? "", inForce: inForce,
                             bases: layers.dropLast().reversed().map(\.id), schema: schema, values: checkedValues,
                             rules: checkedRules, caseloadKey: caseloadKey, file: last.tree.file)
        return policy
    }

    /// A rule id may be declared (or adopted) once per file; false, with an error, the second time.
    mutating func claimRuleID(_ id: Name, _ file: SourceFile, _ declaredHere: inout [String: Span]) -> Bool {
        if let first = declaredHere[id.text] {
            report("E0302", "rule `\(id.text)` is declared twice", file, id.span,
                   notes: [DiagnosticNote("first declared here", file: file, span: first)])
            return false
        }
        declaredHere[id.text] = id.span
        return true
    }

    mutating func checkHeader(_ tree: SyntaxTree, isRoot: Bool) {
        guard let header = tree.header else { return }
        let file = tree.file
        // The loader admits only policy files here.
        if header.title == nil {
            report("E0301", "policy `\(header.name.text)` has no title", file, header.name.span, help: "add `title \"…\"` to the header")
        }
        if header.citation == nil {
            report("E0301", "policy `\(header.name.text)` has no citation", file, header.name.span,
                   help: "add `citation \"GA 14/2017 Ilm-Kreis\"`: findings name it with the rule's section as their source")
        }
        if let d = header.inForce, CalendarDate(iso: d.text) == nil {
            report("E0401", "`\(d.text)` is not a date: \(CalendarDate.problem(withISO: d.text) ?? "expected YYYY-MM-DD")", file, d.span)
        }
    }

    mutating func addValues(from tree: SyntaxTree, definedIn: String, allowOverride: Bool) {
        var declaredHere: [String: Span] = [:]
        for decl in tree.declarations {
            let kind: CheckedValue.Kind
            let v: ValueDecl
            switch decl.kind {
            case .parameter(let x): v = x; kind = .parameter
            case .definition(let x): v = x; kind = .definition
            default: continue
            }
            let name = v.name.text
            guard !name.isEmpty else { continue }
            if let first = declaredHere[name] {
                report("E0310", "`\(name)` is declared twice", tree.file, v.name.span,
                       notes: [DiagnosticNote("first declared here", file: tree.file, span: first)])
                continue
            }
            declaredHere[name] = v.name.span
            if name == "stichtag" || name == "due" {
                report("E0311", "`\(name)` is built in and cannot be redefined", tree.file, v.name.span)
                continue
            }
            if schema.root.fieldIndex[name] != nil {
                report("E0316", "`\(name)` is a field of the case; a \(kind.rawValue) of that name would hide it", tree.file, v.name.span,
                       help: "choose another name, e.g. `\(name)_\(kind == .parameter ? "wert" : "def")`")
                continue
            }
            let entry = ValueEntry(decl: v, kind: kind, file: tree.file, definedIn: definedIn, span: decl.span, isOverride: decl.isOverride)
            if decl.isOverride {
                guard allowOverride, let i = valueIndex[name] else {
                    report("E0312", "`override \(kind.keyword) \(name)`, but no base policy declares `\(name)`", tree.file, v.name.span,
                           help: Suggestions.help(for: name, among: values.filter { $0.kind == kind }.map { $0.decl.name.text }))
                    continue
                }
                if values[i].kind != kind {
                    report("E0313", "`\(name)` is a \(values[i].kind.rawValue) in `\(values[i].definedIn)`; override it with `override \(values[i].kind.keyword)`",
                           tree.file, v.name.span)
                    continue
                }
                values[i] = entry
            } else {
                if let i = valueIndex[name] {
                    report("E0314", "`\(name)` is already declared in `\(values[i].definedIn)`", tree.file, v.name.span,
                           notes: [DiagnosticNote("declared here", file: values[i].file, span: values[i].decl.name.span)],
                           help: "write `override \(values[i].kind.keyword) \(name) = …` to change it")
                    continue
                }
                valueIndex[name] = values.count
                values.append(entry)
            }
        }
    }

    /// Checks a parameter or definition once; a definition that reaches itself is a cycle.
    mutating func checkValue(_ i: Int) -> PolicyType {
        switch values[i].state {
        case .done: return values[i].checked?.type ?? .error
        case .checking:
            let cycleStart = checkingStack.firstIndex(of: i) ?? 0
            let names = (checkingStack[cycleStart...] + [i]).map { values[$0].decl.name.text }
            let e = values[i]
            report("E0315", "`\(e.decl.name.text)` is defined in terms of itself: \(names.joined(separator: " → "))", e.file, e.decl.name.span,
                   help: "definitions are evaluated, not solved: break the cycle")
            return .error
        case .unchecked: break
        }
        values[i].state = .checking
        checkingStack.append(i)
        let entry = values[i]
        var scope = Scope(file: entry.file)
        scope.constantOnly = entry.kind == .parameter
        var declared: PolicyType?
        if let t = entry.decl.type {
            let resolver = TypeResolver(enums: schema.enums, records: schema.records, file: entry.file)
            declared = resolver.resolve(t, &diagnostics)
        }
        var expr = check(entry.decl.value, expected: declared, scope: &scope)
        if let declared, !expr.type.isError, !declared.isError, !PolicyChecker.assignable(expr.type, to: declared) {
            report("E0402", "`\(entry.decl.name.text)` is declared as `\(declared)` but its value is `\(expr.type)`", entry.file, entry.decl.value.span)
        } else if let declared, !declared.isError {
            expr = CheckedExpr(expr.kind, declared, file: expr.file, span: expr.span)
        }
        if !entry.decl.dated.isEmpty { expr = checkDatedValues(i, base: expr, declared: declared, scope: &scope) }
        checkingStack.removeLast()
        values[i].checked = expr
        values[i].state = .done
        return expr.type
    }

    /// `param kontaktintervall = 14 days from 2024-01-01 = 21 days`: each later value has the
    /// parameter's type, the dates ascend strictly. The checked value chooses by the Stichtag:
    /// `if stichtag >= 2024-01-01 then 21 days else 14 days` (the latest date first), so it is
    /// computed once per case like any other value.
    mutating func checkDatedValues(_ i: Int, base: CheckedExpr, declared: PolicyType?, scope: inout Scope) -> CheckedExpr {
        let entry = values[i]
        let name = entry.decl.name.text
        let type = declared ?? base.type
        var changes: [CheckedValue.DatedValue] = []
        var previous: (date: CalendarDate, literal: DateLiteral)?
        var valid = !type.isError
        for d in entry.decl.dated {
            let value = check(d.value, expected: type, scope: &scope)
            if value.type.isError || type.isError {
                valid = false
            } else if !PolicyChecker.assignable(value.type, to: type) {
                valid = false
                report("E0317", "`\(name)` is `\(type)`, but its value from \(d.from.text) is `\(value.type)`", entry.file, d.value.span,
                       notes: [DiagnosticNote("the value before the first date", file: entry.file, span: entry.decl.value.span)],
                       help: declared == nil && value.type.isNumeric && type.isNumeric
                           ? "to mix whole and decimal numbers, declare the type: `param \(name): decimal = …`"
                           : "every value of a parameter has the same type, the \(declared == nil ? "first value's" : "declared") `\(type)`")
            }
            guard let date = CalendarDate(iso: d.from.text) else {
                report("E0401", "`\(d.from.text)` is not a date: \(CalendarDate.problem(withISO: d.from.text) ?? "expected YYYY-MM-DD")", entry.file, d.from.span)
                valid = false
                continue
            }
            if let previous, date == previous.date {
                report("E0319", "`\(name)` has two values from \(d.from.text)", entry.file, d.from.span,
                       notes: [DiagnosticNote("the first value from that date", file: entry.file, span: previous.literal.span)],
                       help: "keep one of them: on each date one value applies")
                valid = false
            } else if let previous, date < previous.date {
                report("E0318", "the dates of `\(name)` must ascend: \(d.from.text) comes after \(previous.literal.text)", entry.file, d.from.span,
                       notes: [DiagnosticNote("the previous date", file: entry.file, span: previous.literal.span)],
                       help: "write the values in the order of their dates, the earliest first")
                valid = false
            }
            if previous == nil || date > previous!.date { previous = (date, d.from) }
            changes.append(CheckedValue.DatedValue(from: date, value: value))
        }
        guard valid else { return base }
        values[i].dated = CheckedValue.DatedValues(base: base, changes: changes)
        var chosen = base
        for (d, change) in zip(entry.decl.dated, changes) {
            let span = d.from.span
            let stichtag = CheckedExpr(.stichtag, .date, file: entry.file, span: span)
            let from = CheckedExpr(.constant(.date(change.from)), .date, file: entry.file, span: span)
            let applies = CheckedExpr(.compare(.greaterEqual, stichtag, from), .bool, file: entry.file, span: span)
            chosen = CheckedExpr(.conditional(applies, change.value, chosen), type, file: entry.file,
                                 span: Span(entry.decl.value.span.start, d.span.end))
        }
        return chosen
    }

    static func assignable(_ t: PolicyType, to target: PolicyType) -> Bool {
        if t == target || t.isError || target.isError { return true }
        if case .optional(let inner) = target { return assignable(t, to: inner) }
        if t == .integer, target == .decimal { return true }
        if case .set(let a) = t, case .set(let b) = target { return assignable(a, to: b) }
        return false
    }
}

extension CheckedValue.Kind {
    var keyword: String { self == .parameter ? "param" : "define" }
}
