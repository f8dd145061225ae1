/// The start offsets of a file's tokens. The syntax tree has spans for names, literals and
/// expressions but not for every keyword; this finds a keyword's token from its neighbour,
/// so a comment next to `when` or `and` stays next to it.
struct TokenAnchors: Sendable {
    private let starts: [Int]

    init(_ file: SourceFile, keywords: KeywordSet) {
        starts = Lexer.tokenize(file, keywords: keywords).tokens.filter { $0.kind != .endOfFile }.map(\.span.start)
    }

    /// The start of the `back`-th token before `offset` (1: the token right before it).
    func before(_ offset: Int, back: Int = 1) -> Int? {
        let i = firstIndex(atOrAfter: offset) - back
        return i >= 0 && i < starts.count ? starts[i] : nil
    }

    /// The start of the first token at or after `offset`: the operator after a left operand.
    func after(_ offset: Int) -> Int? {
        let i = firstIndex(atOrAfter: offset)
        return i < starts.count ? starts[i] : nil
    }

    private func firstIndex(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
