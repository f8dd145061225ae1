/// Syntax tree → canonical source text (`fmpolicy fmt`). Phases: `Layout` lays the tree
/// out as lines of pieces (expressions via `ExpressionPrinter`, long ones broken by
/// `expressionLines`), then `CommentWeaver` puts every comment of the file back between
/// the pieces it stood between and renders the text. The output parses to the same tree.
public struct SourceFormatter: Sendable {
    /// Lines longer than this are broken where an expression allows it.
    public static let lineWidth = 100

    /// The keyword spelling of the output (a file can be converted to another language).
    public let keywords: KeywordSet?

    /// `keywords`: the spelling to print in; nil keeps the file's own.
    public init(keywords: KeywordSet? = nil) { self.keywords = keywords }

    /// The file would not read back the same, so it is not formatted.
    public struct SyntaxErrors: Error, Sendable {
        public let diagnostics: [Diagnostic]
    }

    /// The canonical text of `tree`. Every comment of the tree is kept.
    public func format(_ tree: SyntaxTree) -> String {
        let layout = Layout(file: tree.file, sourceKeywords: tree.keywords, keywords: keywords ?? tree.keywords)
        var weaver = CommentWeaver(file: tree.file, comments: tree.comments)
        return weaver.weave(layout.items(tree))
    }

    /// Parses `file` in its own language and formats it; a file with syntax errors is refused
    /// with the parser's diagnostics, and so is a conversion to other keywords that would turn
    /// a name into a keyword (`E0101`).
    public func format(_ file: SourceFile) -> Result<String, SyntaxErrors> {
        let parsed = Parser.parse(file)
        if parsed.diagnostics.hasErrors { return .failure(SyntaxErrors(diagnostics: parsed.diagnostics)) }
        if let keywords, keywords.language != parsed.tree.keywords.language {
            // Only the header's first word names a file's language; without one, it is English.
            guard parsed.tree.header != nil else {
                return .failure(SyntaxErrors(diagnostics: [Diagnostic(.error, "E0101", "a file without a header is read in English keywords, so it cannot be converted",
                                                                      file: file, span: Span(0, 0), help: "start the file with `policy NAME` or `schema NAME`")]))
            }
            let collisions = KeywordCollisions.find(parsed.tree, target: keywords)
            if !collisions.isEmpty { return .failure(SyntaxErrors(diagnostics: collisions)) }
        }
        return .success(format(parsed.tree))
    }
}
