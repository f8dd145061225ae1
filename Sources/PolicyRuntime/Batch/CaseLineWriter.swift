import PolicyLang

/// A case's output line in a batch run, written straight from the rules' verdicts rather than
/// through `Finding`s and `FindingsWriter.appendJSON`: what is the same for every case (a rule's
/// `{"rule":…,"severity":"` and `,"source":…}`) is JSON once per run, and a message is written
/// once, as bytes, and escaped as it is copied. The bytes are the same as `appendJSON`'s
/// (the tests compare the two over every example case).
struct CaseLineWriter: Sendable {
    /// A rule that gave a finding: its index in `rules`, and its message in the case's message bytes.
    struct Fired {
        let rule: Int
        let severity: FindingSeverity
        let due: CalendarDate?
        let message: Range<Int>
    }

    /// The policy's case rules, in policy order, and their code.
    let rules: [CheckedRule]
    let codes: [RuleCode]
    let ruleIDs: [String]
    /// Each rule's place among the rules' ids in `String` order: findings are sorted by
    /// severity, then rule id, and comparing two numbers is cheaper than comparing two ids.
    private let idRank: [Int]
    private let heads: [[UInt8]]
    private let tails: [[UInt8]]
    /// `,"policy":"…","stichtag":"`
    private let policyPart: [UInt8]

    init(policy: CheckedPolicy) {
        let rules = policy.rules.filter { !$0.isCaseload }
        self.rules = rules
        codes = rules.map { policy.program.code(for: $0) }
        ruleIDs = rules.map(\.id)
        var rank = [Int](repeating: 0, count: rules.count)
        for (position, index) in rules.indices.sorted(by: { rules[$0].id < rules[$1].id }).enumerated() { rank[index] = position }
        idRank = rank
        heads = rules.map { rule in
            var out: [UInt8] = []
            out.appendLiteral(#"{"rule":"#)
            JSONWriter.quote(rule.id, into: &out)
            out.appendLiteral(#","severity":""#)
            return out
        }
        tails = rules.map { rule in
            var out: [UInt8] = []
            out.appendLiteral(#","source":"#)
            JSONWriter.quote(rule.source, into: &out)
            out.append(UInt8(ascii: "}"))
            return out
        }
        var part: [UInt8] = []
        part.appendLiteral(#","policy":"#)
        JSONWriter.quote(policy.id, into: &part)
        part.appendLiteral(#","stichtag":""#)
        policyPart = part
    }

    /// Orders `fired` as `CaseChecker.check` orders findings: by severity, then rule id.
    func sort(_ fired: inout [Fired]) {
        // A dozen rules at most fire per case: insertion sort, no closure context to allocate.
        var i = 1
        while i < fired.count {
            let f = fired[i]
            var j = i
            while j > 0, precedes(f, fired[j - 1]) {
                fired[j] = fired[j - 1]
                j -= 1
            }
            fired[j] = f
            i += 1
        }
    }

    private func precedes(_ a: Fired, _ b: Fired) -> Bool {
        a.severity != b.severity ? a.severity < b.severity : idRank[a.rule] < idRank[b.rule]
    }

    /// `{"case":…,"policy":…,"stichtag":…,"findings":[…]}`, keys in the spec's order.
    func append(caseID: String, stichtag: CalendarDate, fired: [Fired], messages: [UInt8], to out: inout [UInt8]) {
        out.appendLiteral(#"{"case":"#)
        JSONWriter.quote(caseID, into: &out)
        out.append(contentsOf: policyPart)
        FindingsWriter.appendDate(stichtag, to: &out)
        out.appendLiteral(#"","findings":["#)
        messages.withUnsafeBufferPointer { text in
            for (i, f) in fired.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: heads[f.rule])
                switch f.severity {
                case .error: out.appendLiteral(#"error","message":""#)
                case .warning: out.appendLiteral(#"warning","message":""#)
                case .info: out.appendLiteral(#"info","message":""#)
                }
                JSONWriter.appendEscaped(UnsafeBufferPointer(rebasing: text[f.message]), to: &out)
                out.append(UInt8(ascii: "\""))
                if let due = f.due {
                    out.appendLiteral(#","due":""#)
                    FindingsWriter.appendDate(due, to: &out)
                    out.append(UInt8(ascii: "\""))
                }
                out.append(contentsOf: tails[f.rule])
            }
        }
        out.appendLiteral("]}")
    }
}
