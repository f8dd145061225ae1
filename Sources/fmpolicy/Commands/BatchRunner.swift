import Foundation
import PolicyLang
import PolicyRuntime

/// `check cases.jsonl`: checks each line on every core and writes the results in input
/// order, so the output is byte-identical to a run on one core.
struct BatchRunner {
    let stream: CaseStream
    let workers: Int

    struct Output {
        let handle: FileHandle
        /// Set when writing to `--output FILE`: written to a temporary file, renamed at the end.
        let temporaryPath: String?
        let finalPath: String?

        /// Moves the finished temporary file into place; false (with an error printed) if that fails.
        func finish() -> Bool {
            guard let temporaryPath, let finalPath else { return true }
            try? handle.close()
            if rename(temporaryPath, finalPath) != 0 {
                unlink(temporaryPath)
                Terminal.error("cannot write `\(finalPath)`")
                return false
            }
            return true
        }
    }

    static func openOutput(_ path: String?) -> Output? {
        guard let path, path != "-" else { return Output(handle: .standardOutput, temporaryPath: nil, finalPath: nil) }
        // A device or a pipe (`--output /dev/null`, a FIFO) is written to as it is: renaming a
        // temporary file over it would replace it with a regular file (for root, even /dev/null).
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard info.st_mode & S_IFMT != S_IFDIR else {
                Terminal.error("cannot write `\(path)`: it is a folder")
                return nil
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                Terminal.error("cannot write `\(path)`")
                return nil
            }
            return Output(handle: handle, temporaryPath: nil, finalPath: nil)
        }
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
        let started = DispatchTime.now()
        var lastProgress = started
        var linesWritten = 0
        let stream = self.stream
        let buffers = OutputBuffers()
        let sums = JSONLinesInput.forEachBlock(of: input, workers: workers, accumulator: { Sums() }, process: { lines, sums in
            let out = buffers.take()
            for (line, number) in lines {
                stream.check(line: line, number: number, to: out, statistics: &sums.statistics, tally: &sums.tally,
                             workspace: &sums.workspace)
                out.append(0x0A)
            }
            return (out, lines.count)
        }, collect: { (block: inout (out: OutputBytes, lines: Int)) in
            // What `FileHandle.write(_: Data)` does, without first copying the block into a `Data`.
            try! output.handle.write(contentsOf: block.out.bytes)
            buffers.keep(block.out)
            linesWritten += block.lines
            if progress {
                let now = DispatchTime.now()
                if now.uptimeNanoseconds - started.uptimeNanoseconds > 1_000_000_000,
                   now.uptimeNanoseconds - lastProgress.uptimeNanoseconds > 250_000_000 {
                    lastProgress = now
                    Terminal.err("\r\(linesWritten) lines checked…")
                }
            }
        })
        if progress, linesWritten > 0 { Terminal.err("\r") }
        // Into the first worker's sums: with one worker there is nothing to merge.
        var (statistics, tally) = (sums[0].statistics, sums[0].tally)
        for worker in sums.dropFirst() {
            statistics.merge(worker.statistics)
            tally.merge(worker.tally)
        }
        return (statistics, tally)
    }

    /// A worker's sums over all the blocks it checked.
    private struct Sums: Sendable {
        var statistics = RunStatistics()
        var tally = CaseloadTally()
        /// Not a sum: what the worker reuses from case to case.
        var workspace = CaseStream.Workspace()
    }
}

/// Output buffers of written blocks, for later blocks to write into: a run reuses a few
/// buffers instead of allocating (and faulting in) one per block.
private final class OutputBuffers: @unchecked Sendable {   // `spare` behind `lock`
    private let lock = NSLock()
    private var spare: [OutputBytes] = []

    /// An empty buffer, with the capacity of an earlier block's output when there is one.
    func take() -> OutputBytes {
        let buffer = lock.withLock { spare.popLast() } ?? OutputBytes(capacity: 1 << 16)
        buffer.removeAll()
        return buffer
    }

    /// Takes a written block's buffer for a later block.
    func keep(_ buffer: OutputBytes) {
        lock.withLock { spare.append(buffer) }
    }
}
