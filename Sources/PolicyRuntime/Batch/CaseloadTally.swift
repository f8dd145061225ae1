import PolicyLang

/// Per case manager: how many cases they have, and how many of those met each accumulator of
/// the policy's caseload rules — what `CaseStream.caseloadLines` judges them by. Sums only, so
/// the tallies of parallel workers merge to the same result in any order.
public struct CaseloadTally: Sendable {
    /// The case managers in the order their first case came.
    private var names: [String] = []
    /// Their counts back to back, `width` each: cases, then the accumulators' counts (caseload
    /// rules in policy order, each rule's accumulators in order).
    private var counts: [Int] = []
    private var width = 0
    /// Open addressing over `names` by a short hash of their bytes (index + 1; 0 is empty; the
    /// count a power of two, at most half full): every case looks up its case manager, and
    /// SipHash in a `Dictionary` cost more than the rest of the counting.
    private var table: [Int32] = []

    public init() {}

    /// Per caseload rule, per accumulator, how many of `manager`'s cases met it (zeros without
    /// cases); `shape` gives each caseload rule's number of accumulators.
    func counts(of manager: String, shape: [Int]) -> [[Int]] {
        guard let p = place(of: manager) else { return shape.map { [Int](repeating: 0, count: $0) } }
        var from = p * width + 1
        return shape.map { n in
            defer { from += n }
            return Array(counts[from..<from + n])
        }
    }

    /// Where `manager`'s `width` counts start, made (all zero) on their first case.
    mutating func counts(of manager: String, width: Int) -> Int {
        if table.isEmpty {
            self.width = width
            table = [Int32](repeating: 0, count: 64)
        }
        precondition(width == self.width, "one tally counts for one policy")
        let (slot, found) = probe(manager)
        if let found { return found * width }
        table[slot] = Int32(names.count + 1)
        names.append(manager)
        counts.append(contentsOf: repeatElement(0, count: width))
        if names.count * 2 > table.count { rebuild(size: table.count * 2) }
        return (names.count - 1) * width
    }

    /// How many case managers have cases: their places are `0 ..< count`, in the order their
    /// first case came.
    var count: Int { names.count }

    /// The case manager at `place`.
    func name(at place: Int) -> String { names[place] }

    /// The cases and accumulator counts of the case manager at `place`.
    func counts(at place: Int) -> ArraySlice<Int> { counts[place * width ..< (place + 1) * width] }

    /// Adds one to count `k` (from `counts(of:width:)`).
    mutating func increment(_ k: Int) { counts[k] += 1 }

    public mutating func merge(_ other: CaseloadTally) {
        for (p, manager) in other.names.enumerated() {
            let mine = counts(of: manager, width: other.width)
            for k in 0..<other.width { counts[mine + k] += other.counts[p * other.width + k] }
        }
    }

    /// The place of `manager`, if they have cases.
    func place(of manager: String) -> Int? {
        table.isEmpty ? nil : probe(manager).place
    }

    /// The table slot that holds `manager` and their place, or the empty slot where they go.
    private func probe(_ manager: String) -> (slot: Int, place: Int?) {
        let mask = table.count - 1
        var slot = Self.hash(manager) & mask
        while table[slot] != 0 {
            let p = Int(table[slot]) - 1
            if names[p] == manager { return (slot, p) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    private mutating func rebuild(size: Int) {
        table = [Int32](repeating: 0, count: size)
        for (p, name) in names.enumerated() {
            var slot = Self.hash(name) & (size - 1)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(p + 1)
        }
    }

    /// FNV-1a over the key's UTF-8 bytes. Case manager keys come from case files, so a file
    /// could make them collide; that costs a longer probe, never a wrong count.
    private static func hash(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: h ^ h >> 32)
        }
    }
}
