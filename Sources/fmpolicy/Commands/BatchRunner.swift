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
        let started = DispatchTime.now()
        var lastProgress = started
        let stream = self.stream
        JSONLinesInput.forEachBlock(of: input, workers: workers, process: { lines in
            var out: [UInt8] = []
            out.reserveCapacity(lines.count * 256)
            var stats = RunStatistics()
            var partial = CaseloadTally()
            var workspace = CaseStream.Workspace()
            for (line, number) in lines {
                stream.check(line: line, number: number, into: &out, statistics: &stats, tally: &partial, workspace: &workspace)
                out.append(0x0A)
            }
            return (out, stats, partial)
        }, collect: { (out: [UInt8], stats: RunStatistics, partial: CaseloadTally) in
            out.withUnsafeBytes { output.handle.write(Data($0)) }
            statistics.merge(stats)
            tally.merge(partial)
            if progress {
                let now = DispatchTime.now()
                if now.uptimeNanoseconds - started.uptimeNanoseconds > 1_000_000_000,
                   now.uptimeNanoseconds - lastProgress.uptimeNanoseconds > 250_000_000 {
                    lastProgress = now
                    Terminal.err("\r\(statistics.lines) lines checked…")
                }
            }
        })
        if progress, statistics.lines > 0 { Terminal.err("\r") }
        return (statistics, tally)
    }
}
