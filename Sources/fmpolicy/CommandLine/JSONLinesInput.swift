import Dispatch
import Foundation
import PolicyLang
import PolicyRuntime

/// Reading a caseload: JSON Lines in blocks, each block's lines split over the cores.
/// `check` and `report` both read this way, so a caseload is read the same for both:
/// CRLF ignored, a last line without a line break still a line, memory one block at a time.
enum JSONLinesInput {
    /// Lines handed to the workers at a time.
    static let blockLines = 1024

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

    /// Calls `process` for every line, in order, on up to `workers` threads. `process` gets a
    /// block of lines as (line bytes without line break, line number) pairs and returns that
    /// block's partial result; `collect` receives the partials in line order, on this thread.
    ///
    /// With several workers the blocks form a pipeline: while the workers check one block each,
    /// this thread reads and splits the next and writes out the finished ones in order, so
    /// reading and writing do not hold up the cores (a barrier per block left a core idle
    /// for about a third of the run).
    static func forEachBlock<Partial>(of input: FileHandle, workers: Int,
                                      process: @escaping @Sendable (_ lines: [(UnsafeBufferPointer<UInt8>, Int)]) -> Partial,
                                      collect: (Partial) -> Void) {
        var pending: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 4 << 20)
        var lineNumber = 0
        var atEnd = false
        var inFlight: [PendingBlock<Partial>] = []   // oldest first
        while !atEnd {
            // Fill until a block of lines is ready or the input ends.
            var lineEnds: [Int] = []
            var scanFrom = 0
            while lineEnds.count < blockLines {
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
                if !readChunk(input, into: &pending, scratch: &scratch) { atEnd = true; break }
            }
            var ranges: [Range<Int>] = []
            var from = 0
            for e in lineEnds { ranges.append(from..<e); from = e + 1 }
            // A last line without a line break is still a line.
            if atEnd, from < pending.count { ranges.append(from..<pending.count); from = pending.count }
            if ranges.isEmpty { break }
            let first = lineNumber + 1
            lineNumber += ranges.count
            if workers <= 1 {
                pending.withUnsafeBufferPointer { collect(process(lines(of: $0, ranges, firstNumber: first))) }
            } else {
                if inFlight.count >= workers { collect(inFlight.removeFirst().wait()) }
                inFlight.append(PendingBlock(bytes: Array(pending[0..<from]), ranges: ranges, firstNumber: first, process: process))
            }
            pending.removeFirst(from)
        }
        for block in inFlight { collect(block.wait()) }
    }

    /// The lines of a block, a CR before the line break dropped.
    static func lines(of bytes: UnsafeBufferPointer<UInt8>, _ ranges: [Range<Int>], firstNumber: Int) -> [(UnsafeBufferPointer<UInt8>, Int)] {
        var lines: [(UnsafeBufferPointer<UInt8>, Int)] = []
        lines.reserveCapacity(ranges.count)
        for (i, range) in ranges.enumerated() {
            var r = range
            if r.upperBound > r.lowerBound, bytes[r.upperBound - 1] == 0x0D { r = r.lowerBound..<(r.upperBound - 1) }   // CRLF
            lines.append((UnsafeBufferPointer(rebasing: bytes[r]), firstNumber + i))
        }
        return lines
    }

    /// Appends what one `read` gives; false at the end of the input. The scratch buffer is
    /// allocated once per run, not per read.
    static func readChunk(_ input: FileHandle, into buffer: inout [UInt8], scratch: inout [UInt8]) -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBufferPointer { read(input.fileDescriptor, $0.baseAddress!, $0.count) }
            if n > 0 { buffer.append(contentsOf: scratch[0..<n]); return true }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }
}

/// One block being checked on a worker thread: it owns a copy of its bytes, so the reader can
/// go on to the next block at once.
private final class PendingBlock<Partial>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting for it.
    private var result: Partial?
    private let done = DispatchSemaphore(value: 0)

    init(bytes: [UInt8], ranges: [Range<Int>], firstNumber: Int,
         process: @escaping @Sendable ([(UnsafeBufferPointer<UInt8>, Int)]) -> Partial) {
        DispatchQueue.global().async { [self] in
            result = bytes.withUnsafeBufferPointer { process(JSONLinesInput.lines(of: $0, ranges, firstNumber: firstNumber)) }
            done.signal()
        }
    }

    /// The block's partial result, once its worker is done.
    func wait() -> Partial {
        done.wait()
        return result!
    }
}
