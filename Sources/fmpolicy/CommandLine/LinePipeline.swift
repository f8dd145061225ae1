import Foundation

/// The worker threads of a caseload run. Each takes the oldest waiting block, splits it into
/// lines, numbers them (the block before must have been split: its lines come first) and
/// processes them into its own accumulator; the reading thread only submits blocks and waits
/// for their results in order.
final class LinePipeline<Partial: Sendable, Accumulator: Sendable>: @unchecked Sendable {   // shared state behind `state`
    /// A block on its way through the pipeline.
    final class Job: @unchecked Sendable {   // `partial` is written before `done` is signalled, read after
        let block: CaseloadBlock
        fileprivate let sequence: Int
        fileprivate var partial: Partial?
        fileprivate let done = DispatchSemaphore(value: 0)

        fileprivate init(_ block: CaseloadBlock, sequence: Int) {
            self.block = block
            self.sequence = sequence
        }

        /// The block's partial result, once its worker is done; handed over, not kept.
        func wait() -> Partial {
            done.wait()
            defer { partial = nil }
            return partial!
        }
    }

    private let workers: Int
    private let accumulator: @Sendable () -> Accumulator
    private let process: @Sendable (NumberedLines, inout Accumulator) -> Partial
    private let state = NSCondition()
    // Guarded by `state`:
    private var waiting: [Job] = []   // submitted, not yet taken; oldest first
    private var submitted = 0
    private var closed = false
    /// Blocks numbered so far, and the number of the next block's first line.
    private var numbered = 0
    private var nextLineNumber = 1
    /// The accumulators of the workers that have ended.
    private var finished: [Accumulator] = []

    init(workers: Int, accumulator: @escaping @Sendable () -> Accumulator,
         process: @escaping @Sendable (NumberedLines, inout Accumulator) -> Partial) {
        self.workers = workers
        self.accumulator = accumulator
        self.process = process
        for _ in 0..<workers { Thread { [self] in work() }.start() }
    }

    func submit(_ block: CaseloadBlock) -> Job {
        state.lock()
        defer { state.unlock() }
        let job = Job(block, sequence: submitted)
        submitted += 1
        waiting.append(job)
        state.broadcast()
        return job
    }

    /// No more blocks: waits for the workers to take the waiting ones and end; their accumulators.
    func finish() -> [Accumulator] {
        state.lock()
        defer { state.unlock() }
        closed = true
        state.broadcast()
        while finished.count < workers { state.wait() }
        return finished
    }

    private func work() {
        var sums = accumulator()
        var lines: [UnsafeBufferPointer<UInt8>] = []
        while let job = take() {
            JSONLinesInput.split(job.block, into: &lines)
            let firstNumber = number(job, lineCount: lines.count)
            job.partial = process(NumberedLines(lines: lines, firstNumber: firstNumber), &sums)
            job.done.signal()
        }
        state.lock()
        finished.append(sums)
        state.broadcast()
        state.unlock()
    }

    /// The oldest waiting job; nil once closed and none is left.
    private func take() -> Job? {
        state.lock()
        defer { state.unlock() }
        while waiting.isEmpty && !closed { state.wait() }
        return waiting.isEmpty ? nil : waiting.removeFirst()
    }

    /// The number of the job's first line. Jobs are taken in order, so the job before this one
    /// is with a running worker that numbers it right after splitting it: this wait is short
    /// and cannot deadlock.
    private func number(_ job: Job, lineCount: Int) -> Int {
        state.lock()
        defer { state.unlock() }
        while numbered < job.sequence { state.wait() }
        let first = nextLineNumber
        nextLineNumber += lineCount
        numbered += 1
        state.broadcast()
        return first
    }
}
