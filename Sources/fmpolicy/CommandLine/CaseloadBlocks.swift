import Foundation

/// Whole lines of a caseload: from the start of a line to just after a line feed, or to the
/// end of the input. Its bytes stay where they are, unchanged, until the block is released.
struct CaseloadBlock: @unchecked Sendable {   // read-only bytes, owned by the `CaseloadBlocks` until released
    let bytes: UnsafeBufferPointer<UInt8>
}

/// A caseload cut into blocks, in input order. Used from one thread; blocks are released in
/// the order they were handed out, once nothing reads them any more.
protocol CaseloadBlocks: AnyObject {
    /// The next block, or nil at the end of the input. Never empty.
    func next() -> CaseloadBlock?
    /// Gives the block's memory back for later blocks.
    func release(_ block: CaseloadBlock)
}

/// A regular file, mapped read-only: blocks are views of the mapping, so nothing is read or
/// copied. Mapped pages count into the process's memory once touched, so the pages of
/// released blocks are given back: memory stays a few blocks, whatever the file's size.
final class MappedCaseload: CaseloadBlocks {
    private let file: UnsafeBufferPointer<UInt8>   // the whole mapping
    private let blockBytes: Int
    private let pageSize = Int(getpagesize())
    private var nextStart = 0
    /// Everything before this page boundary has been given back.
    private var releasedUpTo = 0

    /// Nil when the input is not a regular file or cannot be mapped (an empty file cannot be
    /// mapped either); it is then streamed instead.
    init?(_ fd: Int32, blockBytes: Int) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        madvise(base, size, MADV_SEQUENTIAL)   // read ahead
        file = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        self.blockBytes = max(1, blockBytes)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: file.baseAddress), file.count) }

    func next() -> CaseloadBlock? {
        guard nextStart < file.count, let base = file.baseAddress else { return nil }
        let start = nextStart
        // At least `blockBytes`, then on to just after the next line feed (or the end of the file).
        let searchFrom = start + blockBytes - 1
        var end = file.count
        if searchFrom < file.count, let lf = memchr(base + searchFrom, 0x0A, file.count - searchFrom) {
            end = UnsafeRawPointer(base).distance(to: lf) + 1
        }
        nextStart = end
        return CaseloadBlock(bytes: UnsafeBufferPointer(rebasing: file[start..<end]))
    }

    func release(_ block: CaseloadBlock) {
        guard let base = file.baseAddress, let blockBase = block.bytes.baseAddress else { return }
        // The pages wholly before the block's end: the page it ends in may hold the next
        // block's first line. Were a released page touched again, it would be read back from
        // the file, so giving back too much could cost time but never change a byte.
        let end = base.distance(to: blockBase) + block.bytes.count
        let pageEnd = end / pageSize * pageSize
        guard pageEnd > releasedUpTo else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + releasedUpTo), pageEnd - releasedUpTo, MADV_DONTNEED)
        releasedUpTo = pageEnd
    }
}

/// Standard input, a pipe, or a file that cannot be mapped: read into buffers that each
/// block owns until it is released, after which the buffer is read into again. A buffer is
/// filled before it becomes a block; the unfinished line at its end moves to the next buffer.
final class StreamedCaseload: CaseloadBlocks {
    private let fd: Int32
    private let blockBytes: Int
    /// The buffer being read into, and how much of it holds input.
    private var filling: UnsafeMutableBufferPointer<UInt8>
    private var filled = 0
    private var atEnd = false
    /// Buffers handed out in blocks, oldest first, and released ones to read into again.
    private var handedOut: [UnsafeMutableBufferPointer<UInt8>] = []
    private var spare: [UnsafeMutableBufferPointer<UInt8>] = []

    init(_ fd: Int32, blockBytes: Int) {
        self.fd = fd
        self.blockBytes = max(1, blockBytes)
        filling = .allocate(capacity: self.blockBytes)
    }

    deinit {
        for buffer in [filling] + handedOut + spare { buffer.deallocate() }
    }

    func next() -> CaseloadBlock? {
        fill()
        guard filled > 0 else { return nil }
        // `fill` stopped at the end of the input or with a full buffer that has a line feed.
        let end = atEnd ? filled : lastLineFeed()! + 1
        let full = filling
        let rest = UnsafeMutableBufferPointer(rebasing: full[end..<filled])
        filling = bufferHolding(rest.count)
        _ = UnsafeMutableBufferPointer(rebasing: filling[..<rest.count]).initialize(fromContentsOf: rest)
        filled = rest.count
        handedOut.append(full)
        return CaseloadBlock(bytes: UnsafeBufferPointer(rebasing: full[..<end]))
    }

    func release(_ block: CaseloadBlock) {
        let buffer = handedOut.removeFirst()
        assert(UnsafePointer(buffer.baseAddress) == block.bytes.baseAddress, "blocks are released in order")
        spare.append(buffer)
    }

    /// Reads until the buffer is full and holds a line feed, or the input ends.
    private func fill() {
        while !atEnd {
            if filled == filling.count {
                if lastLineFeed() != nil { return }
                grow()   // a line longer than the buffer
            }
            let n = readSome(into: UnsafeMutableBufferPointer(rebasing: filling[filled...]))
            if n == 0 { atEnd = true } else { filled += n }
        }
    }

    /// Where the last line feed in the filled part is.
    private func lastLineFeed() -> Int? {
        filling[..<filled].lastIndex(of: 0x0A)
    }

    /// A spare buffer that holds `count` bytes with room to read more, or a new one.
    private func bufferHolding(_ count: Int) -> UnsafeMutableBufferPointer<UInt8> {
        if let i = spare.lastIndex(where: { $0.count > count }) { return spare.remove(at: i) }
        return .allocate(capacity: max(blockBytes, 2 * count))
    }

    /// Doubles the buffer being read into, keeping what it holds.
    private func grow() {
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * filling.count)
        _ = UnsafeMutableBufferPointer(rebasing: larger[..<filled]).initialize(fromContentsOf: filling[..<filled])
        filling.deallocate()
        filling = larger
    }

    /// What one `read` gives; 0 at the end of the input (or on a read error, which ends it too).
    private func readSome(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { return 0 }
        }
    }
}
