import Foundation
import PolicyLang

/// Where `--policy NAME` is looked for: `FMPOLICY_PATH` (colon-separated) if set, else
/// `./policies`, then the policies shipped with the binary.
enum PolicySearchPath {
    static func library() -> PolicyLibrary {
        var dirs: [String] = []
        if let env = Environment.value("FMPOLICY_PATH"), !env.isEmpty {
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
        // still start and say what it cannot find. Plain paths rather than `URL` and
        // `FileManager`, which cost half a million instructions here, on every start.
        let exe = executablePath()
        let directory = exe.lastIndex(of: "/").map { String(exe[..<$0]) } ?? "."
        let candidates = [
            directory + "/fmpolicy_fmpolicy.resources/policies",
            directory + "/fmpolicy_fmpolicy.resources/Resources/policies",
        ]
        return candidates.first { access($0 + "/case.fm", F_OK) == 0 }
    }

    /// The running binary with every symbolic link resolved, also when it was started
    /// through `PATH` or a link.
    static func executablePath() -> String {
        for path in ["/proc/self/exe", CommandLine.arguments[0]] {
            if let resolved = realpath(path, nil) {
                defer { free(resolved) }
                return String(cString: resolved)
            }
        }
        return CommandLine.arguments[0]
    }
}
