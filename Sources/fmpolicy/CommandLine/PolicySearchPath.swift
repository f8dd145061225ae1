import Foundation
import PolicyLang

/// Where `--policy NAME` is looked for: `FMPOLICY_PATH` (colon-separated) if set, else
/// `./policies`, then the policies shipped with the binary.
enum PolicySearchPath {
    static func library() -> PolicyLibrary {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["FMPOLICY_PATH"], !env.isEmpty {
            dirs = env.split(separator: ":").map(String.init)
        } else {
            dirs.append("policies")
            if let shipped = shippedPolicies() { dirs.append(shipped) }
        }
        return PolicyLibrary(searchPath: dirs)
    }

    /// The policies installed beside the executable (`…/fmpolicy_fmpolicy.resources/policies`),
    /// or the repository's `policies/` when run from a build folder inside it.
    static func shippedPolicies() -> String? {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            Bundle.module.resourceURL?.appendingPathComponent("policies").path,
            exe.deletingLastPathComponent().appendingPathComponent("fmpolicy_fmpolicy.resources/policies").path,
        ].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("case.fm")) }
    }
}
