import Dispatch
import Foundation
import PolicyLang
import PolicyRuntime

/// `check cases.jsonl`: reads JSON Lines in blocks, checks each block's lines on every core,
/// and writes the results in input order, so the output is byte-identical to a run on one
/// core. Memory holds one block, never the whole caseload.
struct BatchRunner {
    let stream: CaseStream
    let workers: Int
    /// Lines handed to the workers at a time.
    static let blockLines = 8192

    struct Output {
        let handle: FileHandle
        /// Set when writing to `--output FILE`: written to a temporary file, renamed at the end.
        let temporaryPath: String?
        let finalPath: String?
    }

    static func openOutput(_ path: String?) -> Output? {
        guard let path, path != "-" else { return Output(handle: .standardOutput, temporaryPath: nil, finalPath: nil) }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            Terminal.error("cannot write `\(path)`: the folder does not exist or is not writable")
            return nil
        }
        return Output(handle: handle, temporaryPath: temporary, finalPath: path)
    }

    /// Runs the whole input; returns the statistics and the caseload tally.
    func run(input: FileHandle, output: Output, progress: Bool) -> (RunStatistics, CaseloadTally) {
        var statistics = RunStatistics()
        var tally = CaseloadTally()
        var pending: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 4 << 20)
        var lineNumber = 0
        let started = DispatchTime.now()
        var lastProgress = started
        var atEnd = false
        while !atEnd {
            // Fill until a block of lines is ready or the input ends.
            var lineEnds: [Int] = []
            var scanFrom = 0
            while lineEnds.count < Self.blockLines {
                let nl = pending.withUnsafeBufferPointer { b -> Int? in
                    guard scanFrom < b.count, let base = b.baseAddress,
                          let hit = memchr(base + scanFrom, 0x0A, b.count - scanFrom) else { return nil }
                    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
                if let nl {
                    lineEnds.append(nl)
                    scanFrom = nl + 1
                    continue
                }
                if !Self.readChunk(input, into: &pending, scratch: &scratch) { atEnd = true; break }
            }
            var starts: [Int] = []
            var ends: [Int] = []
            var from = 0
            for e in lineEnds { starts.append(from); ends.append(e); from = e + 1 }
            // A last line without a line break is still a line.
            if atEnd, from < pending.count { starts.append(from); ends.append(pending.count); from = pending.count }
            if starts.isEmpty { break }
            let (lines, stats, partial) = checkBlock(pending, starts: starts, ends: ends, firstNumber: lineNumber + 1)
            lineNumber += starts.count
            lines.withUnsafeBytes { output.handle.write(Data($0)) }
            statistics.merge(stats)
            tally.merge(partial)
            pending.removeFirst(from)
            if progress {
                let now = DispatchTime.now()
                if now.uptimeNanoseconds - started.uptimeNanoseconds > 1_000_000_000,
                   now.uptimeNanoseconds - lastProgress.uptimeNanoseconds > 250_000_000 {
                    lastProgress = now
                    Terminal.err("\r\(statistics.lines) lines checked…")
                }
            }
        }
        if progress, statistics.lines > 0 { Terminal.err("\r") }
        return (statistics, tally)
    }

    /// Appends what one `read` gives (up to the scratch buffer's size); false at the end of
    /// the input. The scratch buffer is allocated once per run, not per read.
    static func readChunk(_ input: FileHandle, into buffer: inout [UInt8], scratch: inout [UInt8]) -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBufferPointer { read(input.fileDescriptor, $0.baseAddress!, $0.count) }
            if n > 0 { buffer.append(contentsOf: scratch[0..<n]); return true }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }

    /// Each worker takes a contiguous slice; results are joined in line order.
    func checkBlock(_ buffer: [UInt8], starts: [Int], ends: [Int], firstNumber: Int) -> ([UInt8], RunStatistics, CaseloadTally) {
        let n = starts.count
        let parts = min(workers, max(1, n / 64))
        let results = UnsafeMutableBufferPointer<([UInt8], RunStatistics, CaseloadTally)>.allocate(capacity: parts)
        defer { results.deallocate() }
        let stream = self.stream
        let lo: @Sendable (Int) -> Int = { n * $0 / parts }, hi: @Sendable (Int) -> Int = { n * ($0 + 1) / parts }
        buffer.withUnsafeBufferPointer { input in
            // Each worker writes only its own slot of `results` and reads the shared input.
            nonisolated(unsafe) let bytes = input
            nonisolated(unsafe) let slots = results
            let work: @Sendable (Int) -> Void = { part in
                var out: [UInt8] = []
                out.reserveCapacity((hi(part) - lo(part)) * 256)
                var stats = RunStatistics()
                var tally = CaseloadTally()
                for i in lo(part)..<hi(part) {
                    var end = ends[i]
                    if end > starts[i], bytes[end - 1] == 0x0D { end -= 1 }   // CRLF
                    let line = UnsafeBufferPointer(rebasing: bytes[starts[i]..<end])
                    stream.check(line: line, number: firstNumber + i, into: &out, statistics: &stats, tally: &tally)
                    out.append(0x0A)
                }
                (slots.baseAddress! + part).initialize(to: (out, stats, tally))
            }
            if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
        }
        var text: [UInt8] = []
        var stats = RunStatistics()
        var tally = CaseloadTally()
        for part in 0..<parts {
            let (t, s, c) = results[part]
            text.append(contentsOf: t)
            stats.merge(s)
            tally.merge(c)
            (results.baseAddress! + part).deinitialize(count: 1)
        }
        return (text, stats, tally)
    }
}
