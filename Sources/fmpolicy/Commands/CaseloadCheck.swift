import Foundation
import PolicyLang
import PolicyRuntime

/// `check` over a caseload file: the batch run, the caseload lines, the summary.
enum CaseloadCheck {
    static func run(path: String, policy: CheckedPolicy, options: CheckOptions, staffPath: String?, outputPath: String?, jobs: Int) -> Int32 {
        var staff: [RecordValue]?
        if let staffPath {
            guard let s = JSONLinesInput.readStaff(staffPath, policy) else { return ExitCode.unusableInput }
            staff = s
            if policy.caseloadRules.isEmpty {
                Terminal.err("note: policy `\(policy.id)` has no caseload rules; the staff file only checks that every case manager is known\n")
            }
        }
        guard let input = JSONLinesInput.open(path) else { return ExitCode.unusableInput }
        guard let output = BatchRunner.openOutput(outputPath) else { return ExitCode.unusableInput }
        let stream = CaseStream(policy: policy, options: options, countsCaseload: staff != nil)
        let runner = BatchRunner(stream: stream, workers: max(1, jobs))
        var (statistics, tally) = runner.run(input: input, output: output, progress: Terminal.colored(STDERR_FILENO) || isatty(STDERR_FILENO) == 1)
        if let staff {
            let stichtag = options.asOf ?? options.today
            var lines: [UInt8] = []
            stream.appendCaseloadLines(staff: staff, tally: tally, stichtag: stichtag, statistics: &statistics, to: &lines)
            output.handle.write(Data(lines))
        }
        guard output.finish() else { return ExitCode.unusableInput }
        Terminal.err(statistics.summary)
        // A line that could not be read, or a case manager missing from the staff file, makes
        // the input unusable as a whole, although every line was written.
        if statistics.errorLines > 0 || statistics.unknownCaseManagers > 0 { return ExitCode.unusableInput }
        return statistics.bySeverity[.error, default: 0] > 0 ? ExitCode.findingErrors : ExitCode.ok
    }
}
