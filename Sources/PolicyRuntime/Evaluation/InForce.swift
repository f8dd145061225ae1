import PolicyLang

extension CheckedPolicy {
    /// Why a case judged at `stichtag` cannot be checked with this policy: the policy's own
    /// `in force from` date (not a base policy's) lies after the Stichtag. Nil when the policy
    /// was in force, or names no date. The text of a JSON Lines error line.
    public func notInForce(at stichtag: CalendarDate) -> String? {
        guard let inForce, stichtag < inForce else { return nil }
        return "policy `\(id)` is in force from \(inForce); the Stichtag \(stichtag) lies before that"
    }
}

extension CheckOptions {
    /// The date a case is judged at: `--as-of`, else the case's own `stichtag`, else today.
    public func stichtag(of decoded: DecodedCase) -> CalendarDate { asOf ?? decoded.stichtag ?? today }

    /// The in-force problem of checking `decoded` with `policy` (for an error line), unless
    /// `--ignore-in-force`.
    public func inForceProblem(_ decoded: DecodedCase, _ policy: CheckedPolicy) -> String? {
        ignoreInForce ? nil : policy.notInForce(at: stichtag(of: decoded))
    }

    /// The same as `check` reports it for a single case: which case, and where its Stichtag
    /// came from. `file` names a case without an id.
    public func inForceError(_ decoded: DecodedCase, _ policy: CheckedPolicy, file: String) -> String? {
        guard !ignoreInForce, let inForce = policy.inForce else { return nil }
        let t = stichtag(of: decoded)
        guard t < inForce else { return nil }
        let origin = asOf != nil ? "`--as-of`" : decoded.stichtag != nil ? "the case's `stichtag`" : "today's date"
        return "case \(decoded.id.isEmpty ? "`\(file)`" : "`\(decoded.id)`"): policy `\(policy.id)` is in force from \(inForce); "
            + "the Stichtag \(t) (\(origin)) lies before that, so the policy does not apply"
    }

    public static let inForceHelp = "check the case with the instruction in force on its Stichtag, or pass `--ignore-in-force` to check it anyway"
}
