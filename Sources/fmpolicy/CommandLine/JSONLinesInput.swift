import Dispatch
import Foundation
import PolicyLang
import PolicyRuntime

/// Reading a caseload: JSON Lines in blocks, each block's lines split over the cores.
/// `check` and `report` both read this way, so a caseload is read the same for both:
/// CRLF ignored, a last line without a line break still a line, memory one block at a time.
enum JSONLinesInput {
    /// Lines handed to the workers at a time.
    static let blockLines = 2048

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

    /// Calls `process` for every line, in order, on up to `workers` threads. `process` gets
    /// the worker's slice of a block as (line bytes without line break, line number) pairs
    /// and returns that slice's partial result; `collect` receives the partials in line order.
    static func forEachBlock<Partial>(of input: FileHandle, workers: Int,
                                      process: @escaping @Sendable (_ lines: [(UnsafeBufferPointer<UInt8>, Int)]) -> Partial,
                                      collect: (Partial) -> Void) {
        var pending: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 4 << 20)
        var lineNumber = 0
        var atEnd = false
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
            for partial in processBlock(pending, ranges, firstNumber: first, workers: workers, process: process) { collect(partial) }
            pending.removeFirst(from)
        }
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

    /// Each worker takes a contiguous slice of the block; the partials come back in order.
    static func processBlock<Partial>(_ buffer: [UInt8], _ ranges: [Range<Int>], firstNumber: Int, workers: Int,
                                      process: @escaping @Sendable ([(UnsafeBufferPointer<UInt8>, Int)]) -> Partial) -> [Partial] {
        let n = ranges.count
        let parts = min(workers, max(1, n / 64))
        let results = UnsafeMutableBufferPointer<Partial>.allocate(capacity: parts)
        defer { results.deallocate() }
        buffer.withUnsafeBufferPointer { input in
            // Each worker writes only its own slot of `results` and reads the shared input.
            nonisolated(unsafe) let bytes = input
            nonisolated(unsafe) let slots = results
            let work: @Sendable (Int) -> Void = { part in
                var lines: [(UnsafeBufferPointer<UInt8>, Int)] = []
                for i in (n * part / parts)..<(n * (part + 1) / parts) {
                    var r = ranges[i]
                    if r.upperBound > r.lowerBound, bytes[r.upperBound - 1] == 0x0D { r = r.lowerBound..<(r.upperBound - 1) }   // CRLF
                    lines.append((UnsafeBufferPointer(rebasing: bytes[r]), firstNumber + i))
                }
                (slots.baseAddress! + part).initialize(to: process(lines))
            }
            if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
        }
        return (0..<parts).map { (results.baseAddress! + $0).move() }
    }
}
