/// A `param` or `define` as one file of the chain (or the schema) declares it.
struct ValueSite {
    let declaration: Declaration
    let value: ValueDecl
    let kind: CheckedValue.Kind
    /// The policy (or schema) whose file declares it.
    let owner: String
    let file: SourceFile
}

/// A rule, an adoption or a removal as one file of the chain declares it.
struct RuleSite {
    enum Form { case rule(RuleDecl), adoption(AdoptDecl), removal(Name) }
    let declaration: Declaration
    let form: Form
    let id: Name
    let owner: String
    let file: SourceFile
    /// The header's `citation` of the declaring file.
    let citation: String?

    var rule: RuleDecl? { if case .rule(let r) = form { return r }; return nil }
}

/// What a name means where it stands, seen from the editor (the checker's `Scope`, without
/// the checking).
struct EditorScope {
    var locals: [(name: Name, type: PolicyType?)] = []
    var caseload = false
    var dueAvailable = false
    var inParameter = false
}

/// What a name or a place in the text refers to.
enum Resolved {
    /// The binder of a list operation (`k` in `count k in kontakte where …`).
    case local(Name, PolicyType?)
    /// `stichtag`, `due`, `faelle`.
    case builtin(String)
    /// `fallmanager` in a caseload rule: the staff file's entry.
    case staff(RecordType)
    /// A parameter or definition: every declaration of the name along the chain, the root
    /// first; the last one is in force.
    case value([ValueSite])
    case field(RecordType, Int)
    case enumCase(EnumType, String)
    case enumType(EnumType)
    case recordType(RecordType)
    /// Every declaration of the rule id along the chain, the root first.
    case rule([RuleSite])
    case policy(SyntaxTree)
    case function(String)
}

/// One step of `EditorModel.walk`: an expression with the scope it stands in and the type
/// its context expects (for bare enum values), or the binder of a list operation.
enum WalkStep {
    case expression(Expr, EditorScope, expected: PolicyType?)
    case binder(Name, PolicyType?)
}

/// Name lookup along the `extends` chain and the types of expressions, computed from
/// syntax so that they work while the text has errors. Where the policy checked cleanly,
/// the types of parameters and definitions come from the checked policy.
final class EditorModel {
    unowned let analysis: DocumentAnalysis
    var schema: CaseSchema? { analysis.schema }
    /// Files whose declarations are visible, in the order they apply: the schema, then
    /// the chain from its root to this document.
    let sources: [(owner: String, tree: SyntaxTree)]
    private(set) var valueSites: [String: [ValueSite]] = [:]
    private(set) var ruleSites: [String: [RuleSite]] = [:]
    private var valueTypeCache: [String: PolicyType?] = [:]
    private var valuesInProgress = Set<String>()
    private lazy var checkedTypes: [String: PolicyType] = {
        var types: [String: PolicyType] = [:]
        for v in analysis.policy?.values ?? [] { types[v.name] = v.type }
        return types
    }()

    init(_ analysis: DocumentAnalysis) {
        self.analysis = analysis
        var sources: [(String, SyntaxTree)] = []
        if let schemaTree = analysis.schemaTree, schemaTree.file !== analysis.file {
            sources.append((schemaTree.header?.name.text ?? "case", schemaTree))
        }
        if analysis.kind == .schema {
            sources.append((analysis.tree.header?.name.text ?? "case", analysis.tree))
        } else {
            sources += analysis.layers.map { ($0.id, $0.tree) }
        }
        self.sources = sources
        for (owner, tree) in sources {
            for decl in tree.declarations {
                switch decl.kind {
                case .parameter(let v) where !v.name.text.isEmpty:
                    valueSites[v.name.text, default: []].append(ValueSite(declaration: decl, value: v, kind: .parameter, owner: owner, file: tree.file))
                case .definition(let v) where !v.name.text.isEmpty:
                    valueSites[v.name.text, default: []].append(ValueSite(declaration: decl, value: v, kind: .definition, owner: owner, file: tree.file))
                case .rule(let r) where !r.id.text.isEmpty:
                    addRule(RuleSite(declaration: decl, form: .rule(r), id: r.id, owner: owner, file: tree.file, citation: tree.header?.citation?.value))
                case .adoption(let a) where !a.id.text.isEmpty:
                    addRule(RuleSite(declaration: decl, form: .adoption(a), id: a.id, owner: owner, file: tree.file, citation: tree.header?.citation?.value))
                case .removal(let n) where !n.text.isEmpty:
                    addRule(RuleSite(declaration: decl, form: .removal(n), id: n, owner: owner, file: tree.file, citation: tree.header?.citation?.value))
                default: break
                }
            }
        }
    }

    private func addRule(_ site: RuleSite) { ruleSites[site.id.text, default: []].append(site) }

    /// Rules in force at the end of the chain, excluding what the document itself declares:
    /// what `override rule`, `adopt rule` and `remove rule` can name.
    func inheritedRuleIDs() -> [String] {
        ruleSites.filter { _, sites in
            guard let last = sites.last(where: { $0.file !== analysis.file }) else { return false }
            if case .removal = last.form { return false }
            return true
        }.keys.sorted()
    }

    // MARK: types

    func resolveType(_ syntax: TypeSyntax) -> PolicyType? {
        guard let schema else { return nil }
        var ignored: [Diagnostic] = []
        let t = TypeResolver(enums: schema.enums, records: schema.records, file: analysis.file).resolve(syntax, &ignored)
        return t.isError ? nil : t
    }

    /// The type of a parameter or definition in force.
    func valueType(_ name: String) -> PolicyType? {
        if let t = checkedTypes[name] { return t }
        if let cached = valueTypeCache[name] { return cached }
        guard let site = valueSites[name]?.last, !valuesInProgress.contains(name) else { return nil }
        valuesInProgress.insert(name)
        defer { valuesInProgress.remove(name) }
        var scope = EditorScope()
        scope.inParameter = site.kind == .parameter
        let t = site.value.type.flatMap(resolveType) ?? type(of: site.value.value, in: scope)
        valueTypeCache[name] = .some(t)
        return t
    }

    func type(of resolved: Resolved) -> PolicyType? {
        switch resolved {
        case .local(_, let t): t
        case .builtin(let name): name == "faelle" ? nil : .date
        case .staff(let r): .record(r)
        case .value(let sites): sites.last.flatMap { valueType($0.value.name.text) }
        case .field(let r, let i): r.fields[i].type
        case .enumCase(let e, _): .enumeration(e)
        case .enumType, .recordType, .rule, .policy, .function: nil
        }
    }

    /// The type of an expression as far as the syntax tells; nil where it is unknown.
    func type(of expr: Expr, in scope: EditorScope, expected: PolicyType? = nil) -> PolicyType? {
        switch expr {
        case .missing, .range: return nil
        case .integer: return .integer
        case .decimal: return .decimal
        case .string: return .string
        case .bool: return .bool
        case .date: return .date
        case .duration: return .duration
        case .severity: return .severity
        case .paren(let inner, _): return type(of: inner, in: scope, expected: expected)
        case .name(let n): return resolveName(n, in: scope, expected: expected).flatMap(type(of:))
        case .field(let base, let n):
            guard let r = resolveMember(base, n, in: scope) else { return nil }
            if case .field = r, type(of: base, in: scope)?.isOptional == true { return type(of: r)?.optional }
            return type(of: r)
        case .setLiteral(let elements, _):
            if case .set? = expected?.base { return expected?.base }
            return elements.lazy.compactMap { self.type(of: $0, in: scope) }.first.map { .set($0.base) }
        case .call(let n, _, _): return n.text == "age" ? .integer : nil
        case .unary(let op, let operand, _): return op == .not ? .bool : type(of: operand, in: scope)
        case .isTest: return .bool
        case .binary(let op, let l, let r, _):
            switch op {
            case .and, .or, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member: return .bool
            case .otherwise:
                return type(of: l, in: scope, expected: expected)?.base ?? type(of: r, in: scope, expected: expected)
            case .plus, .minus, .times:
                guard let a = type(of: l, in: scope), let b = type(of: r, in: scope) else { return nil }
                if a.base == .date, b.base == .duration { return .date }
                if a.isNumeric, b.isNumeric { return a.base == .integer && b.base == .integer ? .integer : .decimal }
                return nil
            }
        case .conditional(_, let a, let b, _):
            return type(of: a, in: scope, expected: expected) ?? type(of: b, in: scope, expected: expected)
        case .listOperation(let op, _, let list, _, _, _):
            switch op {
            case .count: return .integer
            case .any, .all: return .bool
            case .filter: return type(of: list, in: scope)
            case .latest, .earliest:
                if scope.caseload, case .name(let n) = list, n.text == "faelle" { return nil }
                if case .list(let element)? = type(of: list, in: scope) { return element.optional }
                return nil
            }
        }
    }

    // MARK: names

    /// A bare name, looked up in the checker's order.
    func resolveName(_ name: Name, in scope: EditorScope, expected: PolicyType? = nil) -> Resolved? {
        let text = name.text
        if let local = scope.locals.last(where: { $0.name.text == text }) { return .local(local.name, local.type) }
        if text == "due" { return .builtin("due") }
        if case .enumeration(let e)? = expected?.base, e.caseIndex[text] != nil { return .enumCase(e, text) }
        if let e = schema?.enums[text], valueSites[text] == nil { return .enumType(e) }
        if text == "stichtag" { return .builtin("stichtag") }
        if scope.caseload {
            if text == "faelle" { return .builtin("faelle") }
            if text == "fallmanager", let staff = schema?.records["Fallmanager"] { return .staff(staff) }
        }
        if let sites = valueSites[text] { return .value(sites) }
        if let root = schema?.root, let i = root.fieldIndex[text], !scope.caseload { return .field(root, i) }
        if let owner = schema?.enums(havingCase: text).first { return .enumCase(owner, text) }
        if let r = schema?.records[text] { return .recordType(r) }
        if text == "age" { return .function("age") }
        return nil
    }

    /// `base.name`: a field, a definition about a case (`c.in_betreuung`), or an enum value
    /// named with its enum (`Kontaktart.telefonat`).
    func resolveMember(_ base: Expr, _ name: Name, in scope: EditorScope) -> Resolved? {
        if case .enumType(let e)? = enumTypeReceiver(base, in: scope) {
            return e.caseIndex[name.text] != nil ? .enumCase(e, name.text) : nil
        }
        guard case .record(let record)? = type(of: base, in: scope)?.base else { return nil }
        if let i = record.fieldIndex[name.text] { return .field(record, i) }
        if record === schema?.root, let sites = valueSites[name.text], sites.last?.kind == .definition { return .value(sites) }
        return nil
    }

    /// `Kontaktart` in `Kontaktart.telefonat`, unless a local, value or field of that name hides the enum.
    func enumTypeReceiver(_ base: Expr, in scope: EditorScope) -> Resolved? {
        guard case .name(let n) = base, scope.locals.last(where: { $0.name.text == n.text }) == nil, valueSites[n.text] == nil,
              schema?.root.fieldIndex[n.text] == nil, let e = schema?.enums[n.text] else { return nil }
        return .enumType(e)
    }

    // MARK: walking

    /// Every expression and binder of `tree`, outermost first, with its scope.
    func walk(_ tree: SyntaxTree, _ visit: (WalkStep) -> Void) {
        if let key = tree.header?.caseloadKey { walk(key, EditorScope(), expected: nil, visit) }
        for decl in tree.declarations { walk(decl, visit) }
    }

    func walk(_ decl: Declaration, _ visit: (WalkStep) -> Void) {
        switch decl.kind {
        case .parameter(let v), .definition(let v):
            var scope = EditorScope()
            if case .parameter = decl.kind { scope.inParameter = true }
            let declared = v.type.flatMap(resolveType)
            walk(v.value, scope, expected: declared, visit)
            // A dated parameter's later values (`from 2024-01-01 = 21 days`).
            for d in v.dated { walk(d.value, scope, expected: declared, visit) }
        case .rule(let r):
            var scope = EditorScope()
            scope.caseload = r.isCaseload
            if let g = r.guardCondition { walk(g, scope, expected: nil, visit) }
            for outcome in r.outcomes {
                switch outcome {
                case .finding(let severity, let condition, let due, let message, _):
                    if case .expression(let e) = severity { walk(e, scope, expected: .severity, visit) }
                    if let condition { walk(condition, scope, expected: nil, visit) }
                    if let due { walk(due, scope, expected: nil, visit) }
                    var inMessage = scope
                    inMessage.dueAvailable = due != nil
                    if let message { walk(message, inMessage, visit) }
                case .deadline(let due, let branches, _):
                    walk(due, scope, expected: nil, visit)
                    for b in branches {
                        if case .expression(let e) = b.severity { walk(e, scope, expected: .severity, visit) }
                        var inMessage = scope
                        inMessage.dueAvailable = b.kind != .missing
                        if let m = b.message { walk(m, inMessage, visit) }
                    }
                }
            }
        case .enumeration, .record, .removal, .adoption: break
        }
    }

    private func walk(_ message: MessageSyntax, _ scope: EditorScope, _ visit: (WalkStep) -> Void) {
        for part in message.parts { if case .hole(let e) = part { walk(e, scope, expected: nil, visit) } }
    }

    /// A bare name that is no binder, value, field or built-in: probably an enum value.
    func isBareEnumCandidate(_ e: Expr, _ scope: EditorScope) -> Bool {
        guard case .name(let n) = e else { return false }
        return scope.locals.last(where: { $0.name.text == n.text }) == nil && valueSites[n.text] == nil
            && schema?.root.fieldIndex[n.text] == nil && n.text != "stichtag" && n.text != "due"
    }

    /// Whether the type the context expects can change what `e` means: a bare name may be
    /// a value of the expected enum, a set literal's values too. Only for these is the other
    /// side's type worked out, so a long chain is walked in linear time.
    static func takesExpectedType(_ e: Expr) -> Bool {
        switch e {
        case .name, .setLiteral, .missing: true
        case .paren(let inner, _): takesExpectedType(inner)
        case .conditional(_, let a, let b, _): takesExpectedType(a) || takesExpectedType(b)
        default: false
        }
    }

    func walk(_ expr: Expr, _ scope: EditorScope, expected: PolicyType?, _ visit: (WalkStep) -> Void) {
        visit(.expression(expr, scope, expected: expected))
        switch expr {
        case .name, .integer, .decimal, .string, .bool, .date, .duration, .severity, .missing: break
        case .field(let base, _): walk(base, scope, expected: nil, visit)
        case .setLiteral(let elements, _):
            var element: PolicyType?
            if case .set(let t)? = expected?.base { element = t }
            for e in elements { walk(e, scope, expected: element, visit) }
        case .call(_, let args, _): for a in args { walk(a, scope, expected: nil, visit) }
        case .unary(_, let operand, _): walk(operand, scope, expected: nil, visit)
        case .binary(let op, let l, let r, _):
            switch op {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                // As the checker does: a bare enum value on the left takes the right side's enum.
                if isBareEnumCandidate(l, scope), !isBareEnumCandidate(r, scope) {
                    walk(l, scope, expected: type(of: r, in: scope), visit)
                    walk(r, scope, expected: nil, visit)
                } else {
                    walk(l, scope, expected: nil, visit)
                    walk(r, scope, expected: Self.takesExpectedType(r) ? type(of: l, in: scope) : nil, visit)
                }
            case .member:
                let lt = Self.takesExpectedType(r) ? type(of: l, in: scope) : nil
                walk(l, scope, expected: nil, visit)
                walk(r, scope, expected: lt.map { .set($0.base) }, visit)
            case .otherwise:
                walk(l, scope, expected: expected, visit)
                walk(r, scope, expected: Self.takesExpectedType(r) ? type(of: l, in: scope)?.base ?? expected : expected, visit)
            default:
                walk(l, scope, expected: nil, visit)
                walk(r, scope, expected: nil, visit)
            }
        case .range(let lo, let hi, _):
            walk(lo, scope, expected: nil, visit)
            walk(hi, scope, expected: nil, visit)
        case .isTest(let operand, _, _): walk(operand, scope, expected: nil, visit)
        case .conditional(let c, let a, let b, _):
            walk(c, scope, expected: nil, visit)
            walk(a, scope, expected: expected, visit)
            walk(b, scope, expected: expected ?? (Self.takesExpectedType(b) ? type(of: a, in: scope) : nil), visit)
        case .listOperation(_, let binder, let list, let condition, let key, _):
            var inner = scope
            let element: PolicyType?
            if scope.caseload, case .name(let n) = list, n.text == "faelle" {
                element = schema.map { .record($0.root) }
                inner.locals = []
            } else {
                if case .list(let t)? = type(of: list, in: scope) { element = t } else { element = nil }
            }
            walk(list, scope, expected: nil, visit)
            if let binder {
                visit(.binder(binder, element))
                inner.locals.append((binder, element))
            }
            if let condition { walk(condition, inner, expected: nil, visit) }
            if let key { walk(key, inner, expected: nil, visit) }
        case .paren(let inner, _): walk(inner, scope, expected: expected, visit)
        }
    }
}
