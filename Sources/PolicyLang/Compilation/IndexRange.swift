/// Positions `start ..< end` in an array, as two plain numbers. Tables of them stand where
/// `[Range<Int>]` would: the first array of ranges a process makes costs it a scan of every
/// conformance record of the binary (for `Int: Comparable`), a fortieth of a single check.
public struct IndexRange: Sendable, Equatable {
    public let start: Int
    public let end: Int

    public init(_ range: Range<Int>) { start = range.lowerBound; end = range.upperBound }

    public var range: Range<Int> { start..<end }
}
