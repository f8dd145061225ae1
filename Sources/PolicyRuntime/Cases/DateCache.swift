import PolicyLang

/// The day numbers of the dates a batch worker's fast reader has read, by their ten bytes.
/// Most dates in a caseload recur (every case's Stichtag, the days of the last few years), and
/// looking one up costs a fraction of checking its bytes and counting its day anew. Only dates
/// that `CalendarDate.parse(isoBytes:)` accepted are entered, so a hit is the date it would
/// return. One per worker, used by one thread at a time (public for the tests and the fuzz
/// target, which keep one from case to case as a worker does).
public final class DateCache: @unchecked Sendable {
    struct Entry {
        /// The date's first eight bytes and its last two, as `FastCursor.word` reads them.
        var head: UInt64
        var tail: UInt16
        /// `empty` for an entry never filled.
        var day: Int32
    }

    static let empty = Int32.min
    /// Direct-mapped: a date replaces the one in its place. 8,192 entries (128 KB) keep about
    /// five dates in six of the sample caseload's as they recur.
    static let bits = 13
    let entries: UnsafeMutablePointer<Entry>

    public init() {
        entries = .allocate(capacity: 1 << Self.bits)
        entries.initialize(repeating: Entry(head: 0, tail: 0, day: Self.empty), count: 1 << Self.bits)
    }

    deinit { entries.deallocate() }

    /// The entry among `entries` for the date whose bytes are `head` and `tail`.
    @inline(__always)
    static func entry(in entries: UnsafeMutablePointer<Entry>, _ head: UInt64, _ tail: UInt16) -> UnsafeMutablePointer<Entry> {
        let key = (head &* 31 &+ UInt64(tail)) &* 0x9E37_79B9_7F4A_7C15
        return entries + Int(truncatingIfNeeded: key >> UInt64(64 - bits))
    }
}
