/// A unified-style line diff (`-` expected, `+` actual) with a little context, for golden
/// mismatches a policy author has to read.
public enum LineDiff {
    public static func render(expected: String, actual: String, context: Int = 2) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Longest common subsequence table; golden files are small.
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(Character, String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { ops.append((" ", a[i])); i += 1; j += 1 }
            else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] { ops.append(("+", b[j])); j += 1 }
            else { ops.append(("-", a[i])); i += 1 }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        var shown = Set<Int>()
        for c in changed { for k in max(0, c - context)...min(ops.count - 1, c + context) { shown.insert(k) } }
        var out = ""
        var last = -1
        for k in shown.sorted() {
            if last >= 0, k > last + 1 { out += "  …\n" }
            out += "\(ops[k].0) \(ops[k].1)\n"
            last = k
        }
        return out
    }
}
