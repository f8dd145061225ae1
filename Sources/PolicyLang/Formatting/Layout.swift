/// Syntax tree → lines, in the canonical layout of the shipped policies: the header's name
/// at the margin and its clauses indented by two; one declaration per line (or block);
/// a rule's clauses and outcomes indented by two, the parts of an outcome by four.
/// Comments are not placed here: `CommentWeaver` puts them back between the pieces.
struct Layout {
    let keywords: KeywordSet
    let literals: LiteralText
    let anchors: TokenAnchors
    let printer: ExpressionPrinter

    init(file: SourceFile, sourceKeywords: KeywordSet, keywords: KeywordSet) {
        self.keywords = keywords
        self.literals = LiteralText(file: file)
        self.anchors = TokenAnchors(file, keywords: sourceKeywords)
        self.printer = ExpressionPrinter(keywords: keywords, literals: literals, anchors: anchors)
    }

    func items(_ tree: SyntaxTree) -> [LayoutItem] {
        var items: [LayoutItem] = []
        var previousNeedsSpace = false
        if let header = tree.header {
            items.append(.separator(forced: false))
            items += header.lines(self).map(LayoutItem.line)
            previousNeedsSpace = true
        }
        for decl in tree.declarations {
            let standsApart = decl.standsApart
            items.append(.separator(forced: previousNeedsSpace || standsApart))
            items += lines(decl).map(LayoutItem.line)
            previousNeedsSpace = standsApart
        }
        return items
    }

    // MARK: pieces

    func keyword(_ k: Keyword, at anchor: Int?) -> Piece { Piece(keywords.spelling(k), at: anchor) }
    /// A keyword written right before the token at `offset` (`back` tokens before it).
    func keyword(_ k: Keyword, before offset: Int, back: Int = 1) -> Piece { keyword(k, at: anchors.before(offset, back: back)) }
    func name(_ n: Name) -> Piece { Piece(n.text, at: n.span.start) }
    func string(_ s: StringLiteral) -> Piece { Piece(literals.string(s.span), at: s.span.start) }
    func message(_ m: MessageSyntax) -> Piece { Piece(literals.message(m, hole: printer.text), at: m.span.start) }

    func type(_ t: TypeSyntax) -> [Piece] {
        switch t {
        case .named(let n):
            // The parser names a built-in type by its English keyword, whatever the file's language.
            if let k = Keyword(rawValue: n.text), Self.typeKeywords.contains(k) { return [keyword(k, at: n.span.start)] }
            return [name(n)]
        case .list(let inner, let s):
            return [keyword(.list, at: s.start), keyword(.of, before: inner.span.start)] + type(inner)
        case .set(let inner, let s):
            return [keyword(.set, at: s.start), keyword(.of, before: inner.span.start)] + type(inner)
        case .optional(let inner, _):
            return type(inner) + [Piece("?", at: nil, spaced: false)]
        case .missing:
            return []
        }
    }

    static let typeKeywords: Set<Keyword> = [.bool, .integer, .decimal, .string, .date, .duration]

    /// Greedy filling: `items` after `first`, as many per line as fit, further lines at `indent`.
    func fill(_ first: FormattedLine, _ items: [[Piece]], indent: Int, continuation: Int) -> [FormattedLine] {
        var lines = [first]
        for item in items {
            let joined = lines[lines.count - 1].pieces + item
            if lines[lines.count - 1].pieces.isEmpty
                || lines[lines.count - 1].indent + Piece.width(of: joined) <= SourceFormatter.lineWidth {
                lines[lines.count - 1].pieces = joined
            } else {
                lines.append(FormattedLine(indent: indent, item, continuation: continuation))
            }
        }
        return lines
    }
}

extension Declaration {
    /// Rules and records are set off by blank lines; other declarations keep the author's grouping.
    var standsApart: Bool {
        switch kind {
        case .rule, .record: true
        default: false
        }
    }
}
