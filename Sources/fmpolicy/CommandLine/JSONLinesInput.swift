import Foundation
import PolicyLang
import PolicyRuntime

/// Reading a caseload: JSON Lines in blocks of whole lines, the blocks spread over the cores.
/// `check` and `report` both read this way, so a caseload is read the same for both:
/// CRLF ignored, a last line without a line break still a line, memory a few blocks at a time.
enum JSONLinesInput {
    /// Bytes per block (a block then runs on to the end of its last line): large enough that
    /// handing a block to a worker costs nothing next to checking it, small enough that the
    /// last block does not keep one core busy while the others wait.
    static let blockBytes = 1 << 20

    /// Opens a caseload (`-` is standard input), or says why it cannot.
    static func open(_ path: String) -> FileHandle? {
        if path == "-" { return .standardInput }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            Terminal.error("cannot read caseload `\(path)`: no such file"); return nil
        }
        guard !isDir.boolValue else { Terminal.error("cannot read caseload `\(path)`: it is a directory"); return nil }
        guard let h = FileHandle(forReadingAtPath: path) else { Terminal.error("cannot read caseload `\(path)`: permission denied"); return nil }
        return h
    }

    /// Reads the staff file through the policy's schema, or says where it is wrong.
    static func readStaff(_ path: String, _ policy: CheckedPolicy) -> [RecordValue]? {
        guard let data = InputFile.read(path, what: "staff file") else { return nil }
        let decoder = CaseDecoder(schema: policy.schema)
        let read: Result<[RecordValue], CaseReadError> = data.withUnsafeBytes { raw in
            do throws(CaseReadError) { return .success(try decoder.decodeStaff(raw.bindMemory(to: UInt8.self))) } catch { return .failure(error) }
        }
        switch read {
        case .success(let s): return s
        case .failure(let e):
            let (line, column) = data.withUnsafeBytes { JSONScanner.lineAndColumn(of: e.offset, in: $0.bindMemory(to: UInt8.self)) }
            Terminal.error("cannot read staff file \(path):\(line):\(column): \(e.description)")
            return nil
        }
    }

    /// Calls `process` for every block of lines, in order, on up to `workers` threads, and hands
    /// the blocks' partial results to `collect` in line order, on this thread (`inout`, so that
    /// `collect` can keep a partial's buffers for later blocks without copying). What need not be
    /// in order (sums) goes into the worker's own accumulator instead, made by `accumulator`:
    /// merging per block would cost the collecting thread as much as a few cases per line.
    /// Returns the workers' accumulators (at least one).
    ///
    /// A caseload file is mapped into memory and read in place when it is a regular file;
    /// standard input (which may be a file read from the middle) and anything else (a pipe, a
    /// FIFO) are read into buffers. With one worker everything happens on this thread. With
    /// several, the workers split their own blocks into lines, so this thread only hands out
    /// blocks and collects results (`LinePipeline`).
    static func forEachBlock<Partial: Sendable, Accumulator: Sendable>(
        of input: FileHandle, workers: Int, blockBytes: Int = blockBytes,
        accumulator: @escaping @Sendable () -> Accumulator,
        process: @escaping @Sendable (_ lines: NumberedLines, _ sums: inout Accumulator) -> Partial,
        collect: (inout Partial) -> Void
    ) -> [Accumulator] {
        let mapped = input === FileHandle.standardInput ? nil : MappedCaseload(input.fileDescriptor, blockBytes: blockBytes)
        let blocks: any CaseloadBlocks = mapped ?? StreamedCaseload(input.fileDescriptor, blockBytes: blockBytes)
        if workers <= 1 {
            var sums = accumulator()
            var lines: [UnsafeBufferPointer<UInt8>] = []
            var firstNumber = 1
            while let block = blocks.next() {
                split(block, into: &lines)
                var partial = process(NumberedLines(lines: lines, firstNumber: firstNumber), &sums)
                collect(&partial)
                firstNumber += lines.count
                blocks.release(block)
            }
            return [sums]
        }
        let pipeline = LinePipeline(workers: workers, accumulator: accumulator, process: process)
        // Two blocks per worker: when a worker finishes one, the next is already waiting.
        let depth = 2 * workers
        var inFlight: [LinePipeline<Partial, Accumulator>.Job] = []   // oldest first
        func finishOldest() {
            let job = inFlight.removeFirst()
            var partial = job.wait()
            collect(&partial)
            blocks.release(job.block)
        }
        while let block = blocks.next() {
            if inFlight.count == depth { finishOldest() }
            inFlight.append(pipeline.submit(block))
        }
        while !inFlight.isEmpty { finishOldest() }
        return pipeline.finish()
    }

    /// Splits a block into its lines. This is where a line is defined, for every way of
    /// reading: it ends at a line feed, a CR before the line feed is dropped, and a last line
    /// without a line break is still a line (a block ends just after a line feed or at the end
    /// of the input, so that is the caseload's last line). `lines` is reused, not reallocated.
    static func split(_ block: CaseloadBlock, into lines: inout [UnsafeBufferPointer<UInt8>]) {
        lines.removeAll(keepingCapacity: true)
        let bytes = block.bytes
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            // The line feed ending this line, or the end of the block.
            let end = memchr(base + start, 0x0A, bytes.count - start).map { UnsafeRawPointer(base).distance(to: $0) } ?? bytes.count
            let contentEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
            lines.append(UnsafeBufferPointer(rebasing: bytes[start..<contentEnd]))
            start = end + 1
        }
    }
}

/// A block's lines, each with its number in the caseload (from 1).
struct NumberedLines: Sequence {
    let lines: [UnsafeBufferPointer<UInt8>]
    let firstNumber: Int

    var count: Int { lines.count }

    func makeIterator() -> Zip2Sequence<[UnsafeBufferPointer<UInt8>], PartialRangeFrom<Int>>.Iterator {
        zip(lines, firstNumber...).makeIterator()
    }
}
