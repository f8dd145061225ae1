import Foundation
import PolicyRuntime

/// libFuzzer target for `FuzzEntry.check` (see docs/robustness.md). Built normally it replays
/// the files named on the command line, so a crashing input can be run without libFuzzer.
private let shipped: FuzzEntry.Shipped = {
    let directory = ProcessInfo.processInfo.environment["FMPOLICY_FUZZ_POLICIES"] ?? "policies"
    guard let s = FuzzEntry.Shipped(directory: directory) else { fatalError("cannot load the shipped policies from \(directory)") }
    return s
}()

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.check(UnsafeBufferPointer(start: data, count: size), shipped: shipped)
    return 0
}
#else
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { FuzzEntry.check($0.bindMemory(to: UInt8.self), shipped: shipped) }
            print("ok \(path)")
        }
    }
}
#endif
