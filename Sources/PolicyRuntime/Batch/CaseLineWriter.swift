import PolicyLang

/// The lines of a batch run, written straight from the rules' verdicts rather than through
/// `Finding`s and `FindingsWriter`: a case's line from the case rules, a case manager's caseload
/// line from the caseload rules (one writer for each). What is the same for every line is JSON
/// once per run: each rule's `{"rule":…,"severity":"…","message":"` for each severity and its
/// `","source":…}`, and the messages' literal text, escaped. The bytes are the same as
/// `FindingsWriter`'s (the tests compare the two over every example case).
struct CaseLineWriter: Sendable {
    /// A rule that gave a finding, and its message in the line's message bytes.
    struct Fired {
        let rule: Int
        let due: CalendarDate?
        let message: Range<Int>
        /// The place of its `{"rule":…` in `heads`, which depends on the severity.
        fileprivate let head: Int
        /// Severity first, then the rank of the rule id: the order of findings in a line.
        fileprivate let order: Int
    }

    /// The rules, in policy order, and their code.
    let rules: [CheckedRule]
    let codes: [RuleCode]
    let ruleIDs: [String]
    /// The messages' literal parts escaped for a JSON string.
    let messageTexts: EscapedMessageTexts
    /// Each rule's place among the rules' ids in `String` order: findings are sorted by
    /// severity, then rule id, and comparing two numbers is cheaper than comparing two ids.
    private let idRank: [Int]
    /// Per rule and severity (`3 * rule + severity.rank`) the finding's start, per rule its end,
    /// as places in `pieces`.
    private let heads: [IndexRange]
    private let tails: [IndexRange]
    private let pieces: [UInt8]
    /// `","policy":"…","stichtag":"` for a case, `","policy":"…","findings":[` for a case manager.
    private let policyPart: [UInt8]

    /// The writer of a policy's case lines, or with `caseload`, of its caseload lines.
    init(policy: CheckedPolicy, caseload: Bool = false) {
        let rules = policy.rules.filter { $0.isCaseload == caseload }
        self.rules = rules
        codes = rules.map { policy.program.code(for: $0) }
        ruleIDs = rules.map(\.id)
        messageTexts = EscapedMessageTexts(policy.program)
        var rank = [Int](repeating: 0, count: rules.count)
        for (position, index) in rules.indices.sorted(by: { rules[$0].id < rules[$1].id }).enumerated() { rank[index] = position }
        idRank = rank
        var pieces: [UInt8] = [], heads: [IndexRange] = [], tails: [IndexRange] = []
        for rule in rules {
            for severity in FindingSeverity.allCases {
                let start = pieces.count
                pieces.appendLiteral(#"{"rule":"#)
                JSONWriter.quote(rule.id, into: &pieces)
                pieces.appendLiteral(#","severity":""#)
                pieces.append(contentsOf: severity.rawValue.utf8)
                pieces.appendLiteral(#"","message":""#)
                heads.append(IndexRange(start..<pieces.count))
            }
            // The message, or the due date after it, ends with the quote this starts with.
            let start = pieces.count
            pieces.appendLiteral(#"","source":"#)
            JSONWriter.quote(rule.source, into: &pieces)
            pieces.append(UInt8(ascii: "}"))
            tails.append(IndexRange(start..<pieces.count))
        }
        self.pieces = pieces
        self.heads = heads
        self.tails = tails
        var part: [UInt8] = []
        part.appendLiteral(#"","policy":"#)
        JSONWriter.quote(policy.id, into: &part)
        part.appendLiteral(caseload ? #","findings":["# : #","stichtag":""#)
        policyPart = part
    }

    /// Rule `rule`'s finding, with its message at `message` in the line's message bytes.
    func fired(rule: Int, severity: FindingSeverity, due: CalendarDate?, message: Range<Int>) -> Fired {
        let rank = severity.rank
        return Fired(rule: rule, due: due, message: message, head: 3 * rule + rank, order: rank * rules.count + idRank[rule])
    }

    /// Orders `fired` as `CaseChecker.check` orders findings: by severity, then rule id.
    func sort(_ fired: inout [Fired]) {
        // A dozen rules at most fire per case: insertion sort, no closure context to allocate.
        fired.withUnsafeMutableBufferPointer { fired in
            var i = 1
            while i < fired.count {
                let f = fired[i]
                var j = i
                while j > 0, f.order < fired[j - 1].order {
                    fired[j] = fired[j - 1]
                    j -= 1
                }
                fired[j] = f
                i += 1
            }
        }
    }

    /// `{"case":…,"policy":…,"stichtag":…,"findings":[…]}`, keys in the spec's order, appended
    /// to `line`.
    func appendCaseLine(caseID: String, stichtag: CalendarDate, fired: [Fired], messages: OutputBytes, to line: OutputBytes) {
        line.append(literal: #"{"case":""#)
        line.appendEscaped(caseID)
        line.append(policyPart)
        line.append(date: stichtag)
        line.append(literal: #"","findings":["#)
        appendFindings(fired, messages, to: line)
        line.append(literal: "]}")
    }

    /// `{"fallmanager":…,"policy":…,"findings":[…]}` and a line break.
    func appendCaseloadLine(manager: String, fired: [Fired], messages: OutputBytes, line: OutputBytes, to out: inout [UInt8]) {
        line.removeAll()
        line.append(literal: #"{"fallmanager":""#)
        line.appendEscaped(manager)
        line.append(policyPart)
        appendFindings(fired, messages, to: line)
        line.append(literal: "]}\n")
        out.append(contentsOf: line.bytes)
    }

    private func appendFindings(_ fired: [Fired], _ messages: OutputBytes, to line: OutputBytes) {
        let text = messages.bytes
        pieces.withUnsafeBufferPointer { pieces in
            for (i, f) in fired.enumerated() {
                if i > 0 { line.append(UInt8(ascii: ",")) }
                line.append(pieces[heads[f.head].range])
                line.append(text[f.message])
                if let due = f.due {
                    line.append(literal: #"","due":""#)
                    line.append(date: due)
                }
                line.append(pieces[tails[f.rule].range])
            }
        }
    }
}
