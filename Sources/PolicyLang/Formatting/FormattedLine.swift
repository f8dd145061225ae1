/// One word of formatted output, with the source offset of the token it prints, so that
/// the comment weaver can put every comment back between the same two words.
struct Piece: Sendable {
    var text: String
    /// Start of the source token this piece prints; nil for punctuation the formatter adds.
    var anchor: Int?
    /// A space separates it from the piece before it on the same line.
    var spaced: Bool

    init(_ text: String, at anchor: Int?, spaced: Bool = true) {
        self.text = text; self.anchor = anchor; self.spaced = spaced
    }
}

/// One output line before comments are woven in.
struct FormattedLine: Sendable {
    var indent: Int
    var pieces: [Piece]
    /// Where the rest of the line continues if a comment inside it forces a break.
    var continuation: Int

    init(indent: Int, _ pieces: [Piece], continuation: Int) {
        self.indent = indent; self.pieces = pieces; self.continuation = continuation
    }

    /// Columns the line takes, comments aside.
    var width: Int { indent + Piece.width(of: pieces) }
}

/// What the layout hands to the weaver: lines, and the places between two top-level parts
/// (header, declarations) where blank lines may stand.
enum LayoutItem: Sendable {
    case line(FormattedLine)
    /// Blank lines here follow the source (at most one); `forced` asks for at least one.
    case separator(forced: Bool)
}

extension Piece {
    /// Columns of `pieces` written on one line.
    static func width(of pieces: [Piece]) -> Int {
        var w = 0
        for (i, p) in pieces.enumerated() { w += (i > 0 && p.spaced ? 1 : 0) + p.text.count }
        return w
    }

    /// `pieces` as one string, e.g. for a `{hole}` of a message.
    static func text(of pieces: [Piece]) -> String {
        var s = ""
        for (i, p) in pieces.enumerated() { s += (i > 0 && p.spaced ? " " : "") + p.text }
        return s
    }

    /// The same pieces with no space before the first, to follow `(`, `-` or `{` directly.
    static func glued(_ pieces: [Piece]) -> [Piece] {
        var ps = pieces
        if !ps.isEmpty { ps[0].spaced = false }
        return ps
    }
}
