import Foundation
import XCTest
@testable import fmpolicy

/// Reading a caseload in blocks: the same lines, numbers and order from a mapped file and from
/// a pipe, whatever the block size and the number of workers.
final class CaseloadInputTests: XCTestCase {
    /// Inputs at the edges of what a line is.
    static let inputs = [
        "", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "a\r\nb\r\n", "a\r\nb", "\r", "\r\n", "a\n\n", "a\n \n",
        "a\rb\n", "\n\nab\n\r\n\n", String(repeating: "x", count: 3000) + "\n" + String(repeating: "y", count: 5000),
        (0..<400).map { String(repeating: "z", count: $0 % 37) + ($0 % 3 == 0 ? "\r" : "") }.joined(separator: "\n"),
    ]

    /// What the lines of `input` are, written down independently of the reader: split at line
    /// feeds, one CR before a line feed dropped, no line after a final line feed.
    static func expectedLines(_ input: String) -> [String] {
        // Bytes, not characters: to a String, CR LF is one character.
        var lines = input.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
    }

    /// Reads `input` with `forEachBlock`; the lines with their numbers, in the order collected,
    /// and the number of lines the workers' accumulators counted.
    static func read(_ input: FileHandle, workers: Int, blockBytes: Int) -> (lines: [String], numbers: [Int], counted: Int) {
        var lines: [String] = [], numbers: [Int] = []
        let counts = JSONLinesInput.forEachBlock(of: input, workers: workers, blockBytes: blockBytes, accumulator: { 0 }, process: { block, count in
            count += block.count
            return block.map { (String(decoding: $0.0, as: UTF8.self), $0.1) }
        }, collect: { (block: inout [(String, Int)]) in
            for (line, number) in block { lines.append(line); numbers.append(number) }
        })
        return (lines, numbers, counts.reduce(0, +))
    }

    func temporaryFile(_ contents: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-input-\(UUID().uuidString).jsonl")
        try Data(contents.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A pipe fed with `contents` from another thread.
    func pipe(_ contents: String) -> FileHandle {
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        let data = Data(contents.utf8)
        DispatchQueue.global().async {
            writer.write(data)
            try? writer.close()
        }
        return pipe.fileHandleForReading
    }

    func testEveryWayOfReadingGivesTheSameLines() throws {
        for input in Self.inputs {
            let expected = Self.expectedLines(input)
            let file = try temporaryFile(input)
            for blockBytes in [1, 2, 5, 64, 4096, JSONLinesInput.blockBytes] {
                for workers in [1, 2, 3] {
                    let what = "input \(input.debugDescription.prefix(40)), \(blockBytes)-byte blocks, \(workers) workers"
                    let handle = try XCTUnwrap(FileHandle(forReadingAtPath: file.path))
                    let mapped = Self.read(handle, workers: workers, blockBytes: blockBytes)
                    let streamed = Self.read(pipe(input), workers: workers, blockBytes: blockBytes)
                    XCTAssertEqual(mapped.lines, expected, "mapped, " + what)
                    XCTAssertEqual(streamed.lines, expected, "streamed, " + what)
                    XCTAssertEqual(mapped.numbers, Array(1..<expected.count + 1), what)
                    XCTAssertEqual(streamed.numbers, mapped.numbers, what)
                    XCTAssertEqual(mapped.counted, expected.count, what)
                    XCTAssertEqual(streamed.counted, expected.count, what)
                }
            }
        }
    }

    /// A file several pages long in small blocks: the pages of finished blocks are given back
    /// while later blocks are read, and no line is lost or changed by that.
    func testFileOfManyPagesInSmallBlocks() throws {
        let input = (1...20_000).map { "{\"line\":\($0)}" }.joined(separator: "\n") + "\n"
        let file = try temporaryFile(input)
        for workers in [1, 2] {
            let read = Self.read(try XCTUnwrap(FileHandle(forReadingAtPath: file.path)), workers: workers, blockBytes: 1000)
            XCTAssertEqual(read.lines, Self.expectedLines(input))
            XCTAssertEqual(read.numbers, Array(1...20_000))
        }
    }

    func testRegularFilesAreMappedAndEverythingElseStreamed() throws {
        let file = try XCTUnwrap(FileHandle(forReadingAtPath: try temporaryFile("a\n").path))
        XCTAssertNotNil(MappedCaseload(file.fileDescriptor, blockBytes: 64))
        XCTAssertNil(MappedCaseload(Pipe().fileHandleForReading.fileDescriptor, blockBytes: 64))
        let empty = try XCTUnwrap(FileHandle(forReadingAtPath: try temporaryFile("").path))
        XCTAssertNil(MappedCaseload(empty.fileDescriptor, blockBytes: 64), "an empty file cannot be mapped; it is streamed")
    }
}

/// The same through the binary: a caseload file and the same bytes on standard input give the
/// same output, on one thread and on several.
final class CaseloadInputCommandLineTests: XCTestCase {
    func testFileAndStandardInputGiveTheSameOutput() throws {
        let good = try String(contentsOf: CommandLineTests.root.appendingPathComponent("examples/ilmkreis/kontakt-u25-ueberfaellig.json"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        let many = (0..<2000).map { i in i % 11 == 0 ? "{broken \(i)" : good.replacingOccurrences(of: "IK-B01", with: "IK-\(i)") }
        let inputs = [
            "": 0,
            many.joined(separator: "\n") + "\n": 2000,
            many.joined(separator: "\r\n") + "\r\n": 2000,
            many.joined(separator: "\n"): 2000,   // no final line break
            many.joined(separator: "\n") + "\n\n": 2001,   // the last line is blank
            good + "\n   ": 2,
        ]
        for (input, lineCount) in inputs {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-input-\(UUID().uuidString).jsonl")
            try Data(input.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let fromFile = try CommandLineTests.run(["check", url.path, "--policy", "ilmkreis", "--jobs", "1"])
            XCTAssertEqual(fromFile.stdout.split(separator: "\n", omittingEmptySubsequences: false).count - 1, lineCount, fromFile.stderr)
            XCTAssertTrue(fromFile.stderr.hasPrefix("\(lineCount) line"), fromFile.stderr)
            for jobs in ["1", "2", "3"] {
                let what = "\(lineCount) lines, --jobs \(jobs)"
                let file = try CommandLineTests.run(["check", url.path, "--policy", "ilmkreis", "--jobs", jobs])
                let stdin = try CommandLineTests.run(["check", "-", "--jsonl", "--policy", "ilmkreis", "--jobs", jobs], stdin: input)
                XCTAssertEqual(file.stdout, fromFile.stdout, what)
                XCTAssertEqual(stdin.stdout, fromFile.stdout, what)
                XCTAssertEqual(file.stderr, fromFile.stderr, what)
                XCTAssertEqual(stdin.stderr, fromFile.stderr, what)
                XCTAssertEqual(file.status, fromFile.status, what)
                XCTAssertEqual(stdin.status, fromFile.status, what)
            }
        }
    }

    func testUnreadableCaseloadsAreOneClearError() throws {
        let missing = try CommandLineTests.run(["check", "nirgends.jsonl", "--policy", "ilmkreis"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "error: cannot read caseload `nirgends.jsonl`: no such file\n")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fmpolicy-dir-\(UUID().uuidString).jsonl")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let isDirectory = try CommandLineTests.run(["check", directory.path, "--policy", "ilmkreis"])
        XCTAssertEqual(isDirectory.status, 2)
        XCTAssertEqual(isDirectory.stderr, "error: cannot read caseload `\(directory.path)`: it is a directory\n")
    }
}
