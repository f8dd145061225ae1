/// The syntax tree of one `.fm` file: what the author wrote, with exact spans and every
/// comment, before any name is resolved. The parser always produces one, even for a
/// file with errors (missing parts become `.missing`), so tools can work on broken text.
public struct SyntaxTree: Sendable {
    public let file: SourceFile
    public var header: Header?
    public var declarations: [Declaration]
    public var comments: [Comment]
    /// The keyword spelling the file was read in (a formatter prints it back the same way).
    public var keywords: KeywordSet = .english
}

/// A name as written, with where it was written.
public struct Name: Sendable, Hashable {
    public let text: String
    public let span: Span
    public init(_ text: String, _ span: Span) { self.text = text; self.span = span }
}

public struct Header: Sendable {
    public enum Kind: Sendable { case policy, schema }
    public var kind: Kind
    public var name: Name
    public var extends: Name?
    public var title: StringLiteral?
    public var source: StringLiteral?
    public var document: StringLiteral?
    /// `outline "§1", "§2", …`: the sections the document has, so the linter can check each
    /// rule's `cites` against them (L004). nil when the header does not declare one.
    public var outline: [StringLiteral]?
    /// Prefix of a finding's `source` ("GA 14/2017 Ilm-Kreis" → "GA 14/2017 Ilm-Kreis, §3").
    public var citation: StringLiteral?
    public var inForce: DateLiteral?
    /// The schema a policy reads its cases with (default `case`); for a schema, its root record.
    public var schema: Name?
    public var root: Name?
    /// In a schema: what groups cases by case manager for caseload rules (`caseload by fallmanagement.fallmanager`).
    public var caseloadKey: Expr?
    public var span: Span
}

public struct StringLiteral: Sendable, Hashable {
    public let value: String
    public let span: Span
}

public struct DateLiteral: Sendable, Hashable {
    public let text: String
    public let span: Span
}

public indirect enum TypeSyntax: Sendable, Hashable {
    case named(Name)                    // bool, date, Kontakt, Rechtskreis …
    case list(TypeSyntax, Span)         // list of Kontakt
    case set(TypeSyntax, Span)          // set of Kontaktart
    case optional(TypeSyntax, Span)     // date?
    case missing(Span)

    public var span: Span {
        switch self {
        case .named(let n): n.span
        case .list(_, let s), .set(_, let s), .optional(_, let s), .missing(let s): s
        }
    }
}

public struct Declaration: Sendable {
    public enum Kind: Sendable {
        case enumeration(EnumDecl)
        case record(RecordDecl)
        case parameter(ValueDecl)
        case definition(ValueDecl)
        case rule(RuleDecl)
        case removal(Name)
        /// `adopt rule ID cites "§3"`: takes over an inherited rule as it is, under this
        /// policy's own document and section.
        case adoption(AdoptDecl)
    }
    public var kind: Kind
    /// `override param …`, `override rule …`: replaces the inherited one of that name.
    public var isOverride: Bool
    public var span: Span
    /// The `#` lines right above the declaration: its documentation (hover, `fmpolicy doc`).
    public var leadingComments: [Comment]
}

public struct EnumDecl: Sendable {
    public var name: Name
    public var cases: [Name]
}

public struct RecordDecl: Sendable {
    public var name: Name
    public var fields: [FieldDecl]
}

public struct FieldDecl: Sendable {
    public var name: Name
    public var type: TypeSyntax
    /// `required`: the case is unreadable without it. `required unless x`: only while `x` is absent.
    public var required: Bool
    public var requiredUnless: Name?
    /// `dated by datum` on a list: entries dated after the Stichtag are not part of the case.
    public var datedBy: Name?
    public var leadingComments: [Comment]
    public var span: Span
}

/// `param name [: type] = value` and `define name [: type] = expression`.
public struct ValueDecl: Sendable {
    public var name: Name
    public var type: TypeSyntax?
    public var value: Expr
    /// A dated parameter's later values, `from 2024-01-01 = 21 days`, as written (the checker
    /// wants them in strictly ascending order); `value` applies before the first. Always empty
    /// for `define`.
    public var dated: [DatedValue] = []
}

/// `from DATE = value` after a parameter's value: the value from that date on.
public struct DatedValue: Sendable {
    public var from: DateLiteral
    public var value: Expr
    /// From `from` to the end of the value.
    public var span: Span
}

public struct AdoptDecl: Sendable {
    public var id: Name
    public var title: StringLiteral?
    public var cites: StringLiteral?
    public var span: Span
}

public struct RuleDecl: Sendable {
    public var id: Name                  // dotted: fortfuehrung.pruefung
    public var title: StringLiteral?
    public var cites: StringLiteral?
    /// `caseload rule`: evaluated once per case manager over their cases.
    public var isCaseload: Bool
    public var guardCondition: Expr?
    public var outcomes: [Outcome]
    public var span: Span
}

/// What a rule produces when it fires. A rule gives at most one finding: the first
/// outcome that applies wins.
public enum Outcome: Sendable {
    /// `error when cond due date message "…"`
    case finding(severity: SeveritySyntax, condition: Expr?, due: Expr?, message: MessageSyntax?, span: Span)
    /// `deadline date overdue error message "…" upcoming info message "…" missing warning message "…"`
    case deadline(due: Expr, branches: [DeadlineBranch], span: Span)

    public var span: Span {
        switch self { case .finding(_, _, _, _, let s), .deadline(_, _, let s): s }
    }
}

public struct DeadlineBranch: Sendable {
    public enum Kind: String, Sendable { case overdue, upcoming, missing }
    public var kind: Kind
    public var severity: SeveritySyntax
    public var message: MessageSyntax?
    public var span: Span
}

public enum SeveritySyntax: Sendable {
    case literal(Keyword, Span)          // error | warning | info
    case expression(Expr)                // (if … then error else warning)

    public var span: Span {
        switch self { case .literal(_, let s): s; case .expression(let e): e.span }
    }
}

/// A message with `{expression}` holes, e.g. "überfällig seit {due}".
public struct MessageSyntax: Sendable {
    public enum Part: Sendable { case text(String); case hole(Expr) }
    public var parts: [Part]
    public var span: Span
}

public enum BinaryOperator: String, Sendable {
    case and, or, equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">=", plus = "+", minus = "-", times = "*", otherwise, member = "in"
}

public enum IsTest: String, Sendable { case isTrue = "true", isFalse = "false", absent, present }

public enum ListOperation: String, Sendable { case count, any, all, filter, latest, earliest }

public enum DurationUnit: String, Sendable {
    case days, months, years
}

public indirect enum Expr: Sendable {
    case name(Name)
    case integer(Int, Span)
    case decimal(String, Span)
    case string(String, Span)
    case bool(Bool, Span)
    case date(String, Span)
    case duration(Int, DurationUnit, Span)
    case severity(Keyword, Span)
    case setLiteral([Expr], Span)
    case field(Expr, Name)                           // base.name
    case call(Name, [Expr], Span)                    // age(birth, on)
    case unary(UnaryOperator, Expr, Span)
    case binary(BinaryOperator, Expr, Expr, Span)
    case range(Expr, Expr, Span)                      // a .. b, only right of `in`
    case isTest(Expr, IsTest, Span)
    case conditional(Expr, Expr, Expr, Span)          // if c then a else b
    /// count k in L where c; any/all/filter likewise; latest/earliest with `by key`.
    case listOperation(ListOperation, binder: Name?, list: Expr, condition: Expr?, key: Expr?, Span)
    case paren(Expr, Span)
    case missing(Span)

    public var span: Span {
        switch self {
        case .name(let n): n.span
        case .integer(_, let s), .decimal(_, let s), .string(_, let s), .bool(_, let s), .date(_, let s),
             .duration(_, _, let s), .severity(_, let s), .setLiteral(_, let s), .call(_, _, let s),
             .unary(_, _, let s), .binary(_, _, _, let s), .range(_, _, let s), .isTest(_, _, let s),
             .conditional(_, _, _, let s), .listOperation(_, _, _, _, _, let s), .paren(_, let s), .missing(let s): s
        case .field(let base, let n): base.span.through(n.span)
        }
    }
}

public enum UnaryOperator: String, Sendable { case not, negate = "-" }
