import Foundation

/// Environment variables, read one at a time with `getenv`: `ProcessInfo.processInfo.environment`
/// first copies every variable into a dictionary (0.4 million instructions at start-up).
enum Environment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
