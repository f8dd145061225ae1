import Foundation
import PolicyRuntime

/// libFuzzer target for `FuzzEntry.caseReader` (docs/robustness.md). Built normally it replays the
/// files named on the command line, so a stopping input can be run without libFuzzer.
private let shipped = FuzzEntry.shippedFromEnvironment(ProcessInfo.processInfo.environment)

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.caseReader(UnsafeBufferPointer(start: data, count: size), shipped: shipped)
    return 0
}
#else
@main
struct Replay {
    static func main() {
        FuzzEntry.replay(Array(CommandLine.arguments.dropFirst()), read: { FileManager.default.contents(atPath: $0).map(Array.init) }) {
            FuzzEntry.caseReader($0, shipped: shipped)
        }
    }
}
#endif
