@testable import PolicyLang

/// A syntax tree as an S-expression without spans or comments: two texts that parse to the
/// same dump mean the same thing, down to every `not`, every parenthesis and every string.
/// The formatter tests compare the dump of a file with the dump of its formatted text.
enum SyntaxDump {
    static func dump(_ tree: SyntaxTree) -> String {
        var out: [String] = []
        if let h = tree.header { out.append(header(h)) }
        out += tree.declarations.map(declaration)
        return out.joined(separator: "\n")
    }

    static func header(_ h: Header) -> String {
        var parts = ["\(h.kind)", h.name.text]
        if let e = h.extends { parts.append("extends \(e.text)") }
        for (label, s) in [("title", h.title), ("source", h.source), ("document", h.document), ("citation", h.citation)] {
            if let s { parts.append("\(label) \(string(s))") }
        }
        if let o = h.outline { parts.append("outline " + o.map(string).joined(separator: " ")) }
        if let d = h.inForce { parts.append("in-force \(d.text)") }
        if let s = h.schema { parts.append("schema \(s.text)") }
        if let r = h.root { parts.append("root \(r.text)") }
        if let k = h.caseloadKey { parts.append("caseload-by \(expr(k))") }
        return "(header " + parts.joined(separator: " ") + ")"
    }

    static func string(_ s: StringLiteral) -> String { "\"\(s.value)\"" }

    static func declaration(_ d: Declaration) -> String {
        let o = d.isOverride ? "override " : ""
        switch d.kind {
        case .enumeration(let e): return "(\(o)enum \(e.name.text) \(e.cases.map(\.text).joined(separator: " ")))"
        case .record(let r):
            let fields = r.fields.map { f in
                "(\(f.name.text) \(type(f.type))\(f.required ? " required" : "")\(f.requiredUnless.map { " unless \($0.text)" } ?? "")\(f.datedBy.map { " dated-by \($0.text)" } ?? ""))"
            }
            return "(\(o)record \(r.name.text) \(fields.joined(separator: " ")))"
        case .parameter(let v): return "(\(o)param \(value(v)))"
        case .definition(let v): return "(\(o)define \(value(v)))"
        case .removal(let n): return "(\(o)remove \(n.text))"
        case .adoption(let a): return "(\(o)adopt \(a.id.text) \(a.title.map(string) ?? "-") \(a.cites.map(string) ?? "-"))"
        case .rule(let r):
            var parts = ["\(o)\(r.isCaseload ? "caseload-" : "")rule \(r.id.text)", r.title.map(string) ?? "-", r.cites.map(string) ?? "-"]
            if let g = r.guardCondition { parts.append("(when \(expr(g)))") }
            parts += r.outcomes.map(outcome)
            return "(" + parts.joined(separator: " ") + ")"
        }
    }

    static func value(_ v: ValueDecl) -> String {
        var s = "\(v.name.text) \(v.type.map(type) ?? "-") \(expr(v.value))"
        for d in v.dated { s += " (from \(d.from.text) \(expr(d.value)))" }
        return s
    }

    static func type(_ t: TypeSyntax) -> String {
        switch t {
        case .named(let n): n.text
        case .list(let x, _): "(list \(type(x)))"
        case .set(let x, _): "(set \(type(x)))"
        case .optional(let x, _): "(optional \(type(x)))"
        case .missing: "?missing"
        }
    }

    static func outcome(_ o: Outcome) -> String {
        switch o {
        case .finding(let s, let c, let d, let m, _):
            return "(finding \(severity(s)) \(c.map(expr) ?? "-") \(d.map(expr) ?? "-") \(m.map(message) ?? "-"))"
        case .deadline(let d, let branches, _):
            return "(deadline \(expr(d)) " + branches.map { "(\($0.kind.rawValue) \(severity($0.severity)) \($0.message.map(message) ?? "-"))" }.joined(separator: " ") + ")"
        }
    }

    static func severity(_ s: SeveritySyntax) -> String {
        switch s {
        case .literal(let k, _): k.rawValue
        case .expression(let e): expr(e)
        }
    }

    static func message(_ m: MessageSyntax) -> String {
        "(message " + m.parts.map { part in
            switch part {
            case .text(let t): "\"\(t)\""
            case .hole(let e): "{\(expr(e))}"
            }
        }.joined(separator: " ") + ")"
    }

    static func expr(_ e: Expr) -> String {
        switch e {
        case .name(let n): n.text
        case .integer(let v, _): "\(v)"
        case .decimal(let t, _): "#\(t)"
        case .string(let s, _): "\"\(s)\""
        case .bool(let b, _): "\(b)"
        case .date(let t, _): "@\(t)"
        case .duration(let v, let u, _): "(\(v) \(u.rawValue))"
        case .severity(let k, _): "!\(k.rawValue)"
        case .setLiteral(let xs, _): "(set " + xs.map(expr).joined(separator: " ") + ")"
        case .field(let b, let n): "(. \(expr(b)) \(n.text))"
        case .call(let n, let args, _): "(call \(n.text) " + args.map(expr).joined(separator: " ") + ")"
        case .unary(let op, let x, _): "(\(op.rawValue) \(expr(x)))"
        case .binary(let op, let l, let r, _): "(\(op.rawValue) \(expr(l)) \(expr(r)))"
        case .range(let a, let b, _): "(.. \(expr(a)) \(expr(b)))"
        case .isTest(let x, let t, _): "(is-\(t.rawValue) \(expr(x)))"
        case .conditional(let c, let a, let b, _): "(if \(expr(c)) \(expr(a)) \(expr(b)))"
        case .listOperation(let op, let binder, let list, let c, let k, _):
            "(\(op.rawValue) \(binder?.text ?? "-") \(expr(list)) \(c.map(expr) ?? "-") \(k.map(expr) ?? "-"))"
        case .paren(let x, _): "(paren \(expr(x)))"
        case .missing: "?missing"
        }
    }
}
