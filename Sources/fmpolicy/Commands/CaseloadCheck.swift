import Foundation
import PolicyLang
import PolicyRuntime

/// `check` over a caseload file: the batch run, the caseload lines, the summary.
enum CaseloadCheck {
    static func run(path: String, policy: CheckedPolicy, options: CheckOptions, staffPath: String?, outputPath: String?, jobs: Int) -> Int32 {
        var staff: [RecordValue]?
        if let staffPath {
            guard let data = InputFile.read(staffPath, what: "staff file") else { return ExitCode.unusableInput }
            let decoder = CaseDecoder(schema: policy.schema, policy: policy)
            let read: Result<[RecordValue], CaseReadError> = data.withUnsafeBytes { raw in
                do throws(CaseReadError) { return .success(try decoder.decodeStaff(raw.bindMemory(to: UInt8.self))) } catch { return .failure(error) }
            }
            switch read {
            case .success(let s): staff = s
            case .failure(let e):
                let (line, column) = data.withUnsafeBytes { JSONScanner.lineAndColumn(of: e.offset, in: $0.bindMemory(to: UInt8.self)) }
                Terminal.error("cannot read staff file \(staffPath):\(line):\(column): \(e.description)")
                return ExitCode.unusableInput
            }
            if policy.caseloadRules.isEmpty {
                Terminal.err("note: policy `\(policy.id)` has no caseload rules; the staff file only checks that every case manager is known\n")
            }
        }
        let input: FileHandle
        if path == "-" {
            input = .standardInput
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                Terminal.error("cannot read caseload `\(path)`: no such file"); return ExitCode.unusableInput
            }
            guard !isDir.boolValue else { Terminal.error("cannot read caseload `\(path)`: it is a directory"); return ExitCode.unusableInput }
            guard let h = FileHandle(forReadingAtPath: path) else {
                Terminal.error("cannot read caseload `\(path)`: permission denied"); return ExitCode.unusableInput
            }
            input = h
        }
        guard let output = BatchRunner.openOutput(outputPath) else { return ExitCode.unusableInput }
        let stream = CaseStream(policy: policy, options: options, countsCaseload: staff != nil)
        let runner = BatchRunner(stream: stream, workers: max(1, jobs))
        var (statistics, tally) = runner.run(input: input, output: output, progress: Terminal.colored(STDERR_FILENO) || isatty(STDERR_FILENO) == 1)
        if let staff {
            let stichtag = options.asOf ?? options.today
            let lines = stream.caseloadLines(staff: staff, tally: tally, stichtag: stichtag, statistics: &statistics)
            output.handle.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        }
        if let temporary = output.temporaryPath, let final = output.finalPath {
            try? output.handle.close()
            if rename(temporary, final) != 0 {
                Terminal.error("cannot write `\(final)`")
                return ExitCode.unusableInput
            }
        }
        Terminal.err(statistics.summary)
        // A line that could not be read, or a case manager missing from the staff file, makes
        // the input unusable as a whole, although every line was written.
        if statistics.errorLines > 0 || statistics.unknownCaseManagers > 0 { return ExitCode.unusableInput }
        return statistics.bySeverity[.error, default: 0] > 0 ? ExitCode.findingErrors : ExitCode.ok
    }
}
