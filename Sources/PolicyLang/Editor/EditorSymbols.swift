/// One entry of a document's outline.
public struct EditorSymbol: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case policy, schema, rule, caseloadRule, adoption, removal, parameter, definition, enumeration, enumValue, record, field
    }
    public let name: String
    public let kind: Kind
    /// A rule's title, a parameter's type or value, a field's type.
    public let detail: String?
    /// The whole declaration.
    public let span: Span
    /// The name within it.
    public let nameSpan: Span
    public let children: [EditorSymbol]
}

extension SyntaxTree {
    /// The outline: the header, then the rules, parameters and definitions (and, in a
    /// schema, the enums with their values and the records with their fields) in file order.
    public func symbols() -> [EditorSymbol] {
        var result: [EditorSymbol] = []
        if let h = header, !h.name.text.isEmpty {
            let title = h.title?.value
            result.append(EditorSymbol(name: h.name.text, kind: h.kind == .policy ? .policy : .schema,
                                       detail: [h.extends.map { "extends \($0.text)" }, title].compactMap { $0 }.joined(separator: " · "),
                                       span: h.span, nameSpan: h.name.span, children: []))
        }
        for decl in declarations {
            switch decl.kind {
            case .rule(let r):
                guard !r.id.text.isEmpty else { continue }
                result.append(EditorSymbol(name: r.id.text, kind: r.isCaseload ? .caseloadRule : .rule,
                                           detail: [decl.isOverride ? "override" : nil, r.title?.value].compactMap { $0 }.joined(separator: " · "),
                                           span: decl.span, nameSpan: r.id.span, children: []))
            case .adoption(let a):
                guard !a.id.text.isEmpty else { continue }
                result.append(EditorSymbol(name: a.id.text, kind: .adoption, detail: "adopt" + (a.cites.map { " · cites \"\($0.value)\"" } ?? ""),
                                           span: decl.span, nameSpan: a.id.span, children: []))
            case .removal(let n):
                guard !n.text.isEmpty else { continue }
                result.append(EditorSymbol(name: n.text, kind: .removal, detail: "remove", span: decl.span, nameSpan: n.span, children: []))
            case .parameter(let v), .definition(let v):
                guard !v.name.text.isEmpty else { continue }
                let isParameter: Bool = { if case .parameter = decl.kind { return true }; return false }()
                let value = file.text(of: v.value.span)
                let shown = value.contains("\n") || value.count > 60 ? nil : value
                result.append(EditorSymbol(name: v.name.text, kind: isParameter ? .parameter : .definition,
                                           detail: [decl.isOverride ? "override" : nil, shown].compactMap { $0 }.joined(separator: " · "),
                                           span: decl.span, nameSpan: v.name.span, children: []))
            case .enumeration(let e):
                guard !e.name.text.isEmpty else { continue }
                let values = e.cases.filter { !$0.text.isEmpty }.map {
                    EditorSymbol(name: $0.text, kind: .enumValue, detail: nil, span: $0.span, nameSpan: $0.span, children: [])
                }
                result.append(EditorSymbol(name: e.name.text, kind: .enumeration, detail: nil, span: decl.span, nameSpan: e.name.span, children: values))
            case .record(let r):
                guard !r.name.text.isEmpty else { continue }
                let fields = r.fields.filter { !$0.name.text.isEmpty }.map {
                    EditorSymbol(name: $0.name.text, kind: .field, detail: file.text(of: $0.type.span), span: $0.span, nameSpan: $0.name.span, children: [])
                }
                result.append(EditorSymbol(name: r.name.text, kind: .record, detail: nil, span: decl.span, nameSpan: r.name.span, children: fields))
            }
        }
        return result
    }
}
