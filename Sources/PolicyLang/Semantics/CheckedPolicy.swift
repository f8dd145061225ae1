/// A resolved, type-checked expression: every name is a slot, every operator is typed.
/// The runtime evaluates this without looking anything up by name.
public final class CheckedExpr: @unchecked Sendable {
    public indirect enum Kind {
        case constant(Value)
        case stichtag
        /// The `due` date of the outcome being evaluated (inside messages).
        case due
        case rootField(Int)
        case field(CheckedExpr, Int)
        /// A binder of a list operation, by nesting depth.
        case local(Int)
        /// A parameter or definition, by index in `CheckedPolicy.values`; evaluated once per case.
        case value(Int)
        case not(CheckedExpr)
        case negate(CheckedExpr)
        case and(CheckedExpr, CheckedExpr)
        case or(CheckedExpr, CheckedExpr)
        case compare(Comparison, CheckedExpr, CheckedExpr)
        case arithmetic(Arithmetic, CheckedExpr, CheckedExpr)
        /// date ± duration
        case shiftDate(CheckedExpr, CheckedExpr, sign: Int)
        case otherwise(CheckedExpr, CheckedExpr)
        case isTest(CheckedExpr, IsTest)
        case member(CheckedExpr, CheckedExpr)
        case inRange(CheckedExpr, CheckedExpr, CheckedExpr)
        case setLiteral([CheckedExpr])
        case conditional(CheckedExpr, CheckedExpr, CheckedExpr)
        case age(CheckedExpr, CheckedExpr)
        /// `binder` is the local slot the element is bound to while `condition`/`key` run.
        case listOperation(ListOperation, list: CheckedExpr, binder: Int, condition: CheckedExpr?, key: CheckedExpr?)
        /// A definition evaluated for the case `base` (`c.in_betreuung` in a caseload rule).
        case caseValue(CheckedExpr, Int)
        /// In a caseload rule: how many of the case manager's cases met accumulator `i`.
        case caseloadCount(Int)
        /// In a caseload rule: the case manager's entry of the staff file.
        case staffMember
    }
    public enum Comparison: String, Sendable { case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=" }
    public enum Arithmetic: String, Sendable { case plus = "+", minus = "-", times = "*" }

    public let kind: Kind
    public let type: PolicyType
    public let file: SourceFile?
    public let span: Span
    /// Where the policy's `Program` holds this expression; set once, while the policy is
    /// compiled and before it is shared (-1 until then).
    public internal(set) var instruction: Int32 {
        get { instructionSlot.pointee }
        set { instructionSlot.pointee = newValue }
    }
    // Behind a pointer rather than a stored `var`: it is read on every evaluation, and each read
    // of a class's stored `var` from another module pays a dynamic exclusivity check (a
    // twentieth of checking a case), which `@exclusivity(unchecked)` does not lift across modules.
    private let instructionSlot: UnsafeMutablePointer<Int32> = {
        let slot = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        slot.initialize(to: -1)
        return slot
    }()

    public init(_ kind: Kind, _ type: PolicyType, file: SourceFile?, span: Span) {
        self.kind = kind; self.type = type; self.file = file; self.span = span
    }

    deinit { instructionSlot.deallocate() }

    /// Calls `body` with each direct sub-expression.
    public func forEachChild(_ body: (CheckedExpr) -> Void) {
        switch kind {
        case .constant, .stichtag, .due, .rootField, .local, .value, .caseloadCount, .staffMember: break
        case .field(let a, _), .not(let a), .negate(let a), .isTest(let a, _), .caseValue(let a, _): body(a)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b),
             .shiftDate(let a, let b, _), .otherwise(let a, let b), .member(let a, let b), .age(let a, let b):
            body(a); body(b)
        case .inRange(let a, let b, let c), .conditional(let a, let b, let c): body(a); body(b); body(c)
        case .setLiteral(let xs): xs.forEach(body)
        case .listOperation(_, let list, _, let condition, let key):
            body(list)
            if let condition { body(condition) }
            if let key { body(key) }
        }
    }

    /// The expression as the author wrote it, for `--explain`.
    public var sourceText: String { file?.text(of: span) ?? "" }
}

/// A message with holes; `{due}` and values render as the output wants (dates ISO).
public struct CheckedMessage: Sendable {
    public enum Part: Sendable { case text(String); case value(CheckedExpr) }
    public let parts: [Part]
}

public enum CheckedSeverity: Sendable {
    case fixed(FindingSeverity)
    case computed(CheckedExpr)
}

public enum CheckedOutcome: Sendable {
    case finding(severity: CheckedSeverity, condition: CheckedExpr?, due: CheckedExpr?, message: CheckedMessage, span: Span)
    case deadline(due: CheckedExpr, overdue: DeadlineBranch, upcoming: DeadlineBranch?, missing: DeadlineBranch?, span: Span)

    public struct DeadlineBranch: Sendable {
        public let severity: CheckedSeverity
        public let message: CheckedMessage
    }
}

/// A class, not a struct: every case reads every rule, and a struct of a dozen references
/// would be copied (and each reference retained) each time.
public final class CheckedRule: Sendable {
    public let id: String
    public let title: String
    /// The cited section ("§3", "IV.4").
    public let section: String
    /// What a finding names as its source: "GA 14/2017 Ilm-Kreis, §3".
    public let source: String
    public let isCaseload: Bool
    /// Caseload rules: the conditions counted over the cases as they stream by; the case is
    /// bound to local slot 0. `caseloadCount(i)` reads the count of condition `i`.
    public let accumulators: [CheckedExpr?]
    public let guardCondition: CheckedExpr?
    public let outcomes: [CheckedOutcome]
    /// The policy whose file declares this rule (a base policy for inherited rules).
    public let definedIn: String
    public let file: SourceFile
    public let span: Span
    public let isOverride: Bool
    /// The extending policy that adopted this rule under its own section, if any.
    public let adoptedBy: String?
    public let documentation: [Comment]

    public init(id: String, title: String, section: String, source: String, isCaseload: Bool,
                accumulators: [CheckedExpr?], guardCondition: CheckedExpr?, outcomes: [CheckedOutcome],
                definedIn: String, file: SourceFile, span: Span, isOverride: Bool, adoptedBy: String?,
                documentation: [Comment]) {
        self.id = id
        self.title = title
        self.section = section
        self.source = source
        self.isCaseload = isCaseload
        self.accumulators = accumulators
        self.guardCondition = guardCondition
        self.outcomes = outcomes
        self.definedIn = definedIn
        self.file = file
        self.span = span
        self.isOverride = isOverride
        self.adoptedBy = adoptedBy
        self.documentation = documentation
    }
}

extension CheckedRule {
    /// Every expression the rule evaluates: guard, caseload counts, conditions, due dates,
    /// computed severities and message holes (for analyses that walk a rule).
    public var expressions: [CheckedExpr] {
        var all: [CheckedExpr] = [guardCondition].compactMap { $0 } + accumulators.compactMap { $0 }
        func add(_ s: CheckedSeverity) { if case .computed(let e) = s { all.append(e) } }
        func add(_ m: CheckedMessage) { all += m.parts.compactMap { if case .value(let e) = $0 { return e }; return nil } }
        for outcome in outcomes {
            switch outcome {
            case .finding(let s, let c, let d, let m, _):
                add(s)
                all += [c, d].compactMap { $0 }
                add(m)
            case .deadline(let d, let overdue, let upcoming, let missing, _):
                all.append(d)
                for b in [overdue, upcoming, missing].compactMap({ $0 }) { add(b.severity); add(b.message) }
            }
        }
        return all
    }

    /// The severities the rule's outcomes can give; a computed one counts as each severity
    /// constant it chooses between.
    public var possibleSeverities: [FindingSeverity] {
        var found = Set<FindingSeverity>()
        func add(_ s: CheckedSeverity) {
            switch s {
            case .fixed(let f): found.insert(f)
            case .computed(let e):
                var stack = [e]
                while let x = stack.popLast() {
                    if case .constant(.severity(let f)) = x.kind { found.insert(f) }
                    x.forEachChild { stack.append($0) }
                }
            }
        }
        for outcome in outcomes {
            switch outcome {
            case .finding(let s, _, _, _, _): add(s)
            case .deadline(_, let overdue, let upcoming, let missing, _):
                for b in [overdue, upcoming, missing].compactMap({ $0 }) { add(b.severity) }
            }
        }
        return FindingSeverity.allCases.filter(found.contains)
    }
}

/// A parameter or definition after merging the `extends` chain.
public struct CheckedValue: Sendable {
    public enum Kind: String, Sendable { case parameter, definition }
    public let name: String
    public let kind: Kind
    public let type: PolicyType
    public let expression: CheckedExpr
    public let definedIn: String
    public let file: SourceFile
    public let span: Span
    public let isOverride: Bool
    /// A dated parameter (`param x = 14 days from 2024-01-01 = 21 days`): its values as
    /// written; `expression` chooses among them by the Stichtag. Nil for every other value.
    public var dated: DatedValues?

    public struct DatedValues: Sendable {
        /// The value before the first date.
        public let base: CheckedExpr
        /// Strictly ascending dates.
        public let changes: [DatedValue]
    }
    public struct DatedValue: Sendable {
        public let from: CalendarDate
        public let value: CheckedExpr
    }

    /// The value as written, on one line (`14 days from 2024-01-01 = 21 days` for a dated one).
    /// In English keywords whatever the file's language (`5 jahre` → `5 years`), so values of
    /// several policies compare in one table.
    public var displayText: String {
        let source = KeywordSet.detect(file)
        func english(_ e: CheckedExpr) -> String { KeywordSet.english.respelled(e.sourceText, from: source) }
        guard let dated else { return english(expression) }
        return ([english(dated.base)] + dated.changes.map { "from \($0.from) = \(english($0.value))" }).joined(separator: " ")
    }

    /// The value that applies on `stichtag` (for a value that is not dated, its expression).
    public func expression(on stichtag: CalendarDate) -> CheckedExpr {
        guard let dated else { return expression }
        return dated.changes.last { $0.from <= stichtag }?.value ?? dated.base
    }
}

/// A policy ready to run: the extends chain merged, every name resolved, every type checked.
public final class CheckedPolicy: @unchecked Sendable {
    public let id: String
    public let title: String
    public let sourceDescription: String
    public let document: String
    public let citation: String
    public let inForce: CalendarDate?
    /// The chain of policies this one extends, nearest first.
    public let bases: [String]
    public let schema: CaseSchema
    public let values: [CheckedValue]
    public let rules: [CheckedRule]
    public let file: SourceFile
    /// Which case manager a case counts for (the schema's `caseload by …`), if declared.
    public let caseloadKey: CheckedExpr?
    /// Every expression above, compiled for the evaluator.
    public let program: Program

    init(id: String, title: String, sourceDescription: String, document: String, citation: String, inForce: CalendarDate?,
         bases: [String], schema: CaseSchema, values: [CheckedValue], rules: [CheckedRule], caseloadKey: CheckedExpr?,
         file: SourceFile) {
        self.id = id; self.title = title; self.sourceDescription = sourceDescription; self.document = document
        self.citation = citation; self.inForce = inForce; self.bases = bases; self.schema = schema
        self.values = values; self.rules = rules; self.caseloadKey = caseloadKey; self.file = file
        self.program = ProgramCompiler.compile(values: values, rules: rules, caseloadKey: caseloadKey)
    }

    public var caseRules: [CheckedRule] { rules.filter { !$0.isCaseload } }
    public var caseloadRules: [CheckedRule] { rules.filter(\.isCaseload) }
}
