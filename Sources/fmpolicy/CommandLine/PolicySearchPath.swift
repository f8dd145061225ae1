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
        // Not `Bundle.module`: it traps when the bundle is missing, and a copied binary must
        // still start and say what it cannot find.
        let exe = URL(fileURLWithPath: executablePath()).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            exe.appendingPathComponent("fmpolicy_fmpolicy.resources/policies").path,
            exe.appendingPathComponent("fmpolicy_fmpolicy.resources/Resources/policies").path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("case.fm")) }
    }

    /// The running binary, also when it was started through `PATH`.
    static func executablePath() -> String {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return link }
        return CommandLine.arguments[0]
    }
}
