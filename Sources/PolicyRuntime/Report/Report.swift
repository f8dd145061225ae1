import PolicyLang

/// The monthly report, ready to render: the aggregate joined with the staff file and grouped
/// into case managers, teams and the jobcenter. It holds no case data, only counts, the keys of
/// case managers and the names of teams.
public struct Report: Sendable {
    /// One case manager: a staff-file entry, or a key that occurs only in the cases.
    public struct Manager: Sendable {
        public let id: String
        public let stellenanteil: DecimalNumber?
        /// ratio × stellenanteil; nil when the case manager is not in the staff file.
        public let limit: DecimalNumber?
        public let inStaffFile: Bool
        public let figures: ReportFigures

        /// More cases in care than the limit allows (the comparison is exact: 38 > 37.5).
        public var overLimit: Bool { limit.map { $0 < DecimalNumber(figures.inCare) } ?? false }
    }

    /// A team of the staff file, or the case managers without one (`name` nil: „ohne Team“).
    public struct Team: Sendable {
        public let name: String?
        public let managers: [Manager]
        public let figures: ReportFigures
        /// The sum of the members' limits.
        public let limit: DecimalNumber?
        public var managersOverLimit: Int { managers.filter(\.overLimit).count }
        public var overLimit: Bool { limit.map { $0 < DecimalNumber(figures.inCare) } ?? false }
    }

    public let policyID: String
    public let policyTitle: String
    public let policyFigures: ReportBuilder.PolicyFigures
    /// The Stichtage the cases were judged on, in date order, with their number of cases.
    public let stichtage: [(date: CalendarDate, cases: Int)]
    public let lines: Int
    public let unreadableLines: Int
    /// Staff-file order of first appearance; „ohne Team“ last.
    public let teams: [Team]
    /// Cases without a case manager key.
    public let unassigned: ReportFigures
    /// Every case read.
    public let jobcenter: ReportFigures
    /// The sum of all staff-file limits.
    public let jobcenterLimit: DecimalNumber?
    /// The values of `beendigungsgrund` in the schema's order; endings are listed in this order,
    /// then those without a reason.
    public let endingReasons: [String]

    public var cases: Int { lines - unreadableLines }
    public var managers: [Manager] { teams.flatMap(\.managers) }
    public var managersOverLimit: Int { teams.reduce(0) { $0 + $1.managersOverLimit } }
    /// The one Stichtag of every case, or nil when they differ (or there are no cases).
    public var stichtag: CalendarDate? { stichtage.count == 1 ? stichtage[0].date : nil }

    /// Joins the aggregate with the staff file (`Fallmanager` records of the policy's schema).
    /// A key that appears twice in the staff file counts once, at its first entry.
    public init(policy: CheckedPolicy, figures: ReportBuilder.PolicyFigures, staff: [RecordValue], aggregate: ReportAggregate) {
        policyID = policy.id
        policyTitle = policy.title
        policyFigures = figures
        stichtage = aggregate.stichtage.keys.sorted().map { ($0, aggregate.stichtage[$0]!) }
        lines = aggregate.lines
        unreadableLines = aggregate.unreadableLines
        unassigned = aggregate.unassigned

        let staffType = policy.schema.records["Fallmanager"]
        func slot(_ name: String) -> Int? { staffType?.fieldIndex[name] }
        let idSlot = slot("id"), shareSlot = slot("stellenanteil"), teamSlot = slot("team")

        var teamOrder: [String] = []
        var members: [String: [Manager]] = [:]
        var withoutTeam: [Manager] = []
        var known = Set<String>()
        for entry in staff {
            guard let idSlot, case .string(let id) = entry[idSlot], known.insert(id).inserted else { continue }
            var share: DecimalNumber?
            if let shareSlot {
                switch entry[shareSlot] {
                case .decimal(let d): share = d
                case .integer(let n): share = DecimalNumber(n)
                default: break
                }
            }
            let manager = Manager(id: id, stellenanteil: share, limit: share.flatMap { figures.ratio.multiplied(by: $0) },
                                  inStaffFile: true, figures: aggregate.managers[id] ?? ReportFigures())
            if let teamSlot, case .string(let team) = entry[teamSlot] {
                if members[team] == nil { teamOrder.append(team) }
                members[team, default: []].append(manager)
            } else {
                withoutTeam.append(manager)
            }
        }
        for id in aggregate.managers.keys.sorted() where !known.contains(id) {
            withoutTeam.append(Manager(id: id, stellenanteil: nil, limit: nil, inStaffFile: false, figures: aggregate.managers[id]!))
        }
        var teams = teamOrder.map { Self.team($0, members[$0]!) }
        if !withoutTeam.isEmpty { teams.append(Self.team(nil, withoutTeam)) }
        self.teams = teams

        var total = aggregate.unassigned
        for t in teams { total.merge(t.figures) }
        jobcenter = total
        jobcenterLimit = Self.sum(teams.map(\.limit))

        var reasons: [String] = []
        if case .record(let fm)? = policy.schema.root.fieldIndex["fallmanagement"].map({ policy.schema.root.fields[$0].type.base }),
           let slot = fm.fieldIndex["beendigungsgrund"], case .enumeration(let e) = fm.fields[slot].type.base {
            reasons = e.cases
        }
        // Values the schema does not list cannot be decoded, but keep the report total anyway.
        for reason in total.endings.keys.sorted() where reason != ReportFigures.noReason && !reasons.contains(reason) {
            reasons.append(reason)
        }
        endingReasons = reasons
    }

    private static func team(_ name: String?, _ managers: [Manager]) -> Team {
        var figures = ReportFigures()
        for m in managers { figures.merge(m.figures) }
        return Team(name: name, managers: managers, figures: figures, limit: sum(managers.map(\.limit)))
    }

    /// The sum of the known limits; nil when none is known.
    private static func sum(_ limits: [DecimalNumber?]) -> DecimalNumber? {
        var total: DecimalNumber?
        for case let l? in limits { total = total.map { $0.adding(l) ?? $0 } ?? l }
        return total
    }

    /// The share of cases that kept the yearly contact minimum in tenths of a percent, rounded
    /// half up (905 = 90.5 %); nil when no case has been in care for a year.
    public static func contactMinimumPermille(_ f: ReportFigures) -> Int? {
        guard f.contactYearCases > 0 else { return nil }
        return (f.contactMinimumMet * 2000 + f.contactYearCases) / (2 * f.contactYearCases)
    }

    /// German label of a reason for ending (`hoechstdauer` → „Höchstdauer“).
    public static func endingLabel(_ reason: String) -> String {
        switch reason {
        case ReportFigures.noReason: "ohne Grund"
        case "zugangsvoraussetzungen_entfallen": "Zugangsvoraussetzungen entfallen"
        case "unbefristete_integration": "Unbefristete Integration"
        case "keine_verbesserung": "Keine Verbesserung"
        case "verfestigung": "Verfestigung"
        case "zustaendigkeitswechsel": "Zuständigkeitswechsel"
        case "arbeitsbuendnis_nicht_tragfaehig": "Arbeitsbündnis nicht tragfähig"
        case "wirtschaftlichkeit_entfallen": "Wirtschaftlichkeit entfallen"
        case "foerderprofil": "Förderprofil"
        case "hoechstdauer": "Höchstdauer"
        case "sonstiges": "Sonstiges"
        default:
            reason.prefix(1).uppercased() + String(reason.dropFirst().map { $0 == "_" ? " " : $0 })
        }
    }

    /// The endings of `figures` in report order: every reason of the schema, then „ohne Grund“.
    public func endings(_ figures: ReportFigures) -> [(reason: String, count: Int)] {
        (endingReasons + [ReportFigures.noReason]).map { ($0, figures.endings[$0] ?? 0) }
    }

    /// German number text: `37,5`, `75`.
    public static func german(_ d: DecimalNumber) -> String {
        // By bytes, not characters: a number's text is ASCII.
        String(decoding: d.description.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self)
    }

    /// `90,5 %` from tenths of a percent.
    public static func germanPercent(permille: Int) -> String {
        "\(permille / 10),\(permille % 10) %"
    }

    /// The Stichtag line: one date, or the range and how many dates.
    public var stichtagText: String {
        switch stichtage.count {
        case 0: return "–"
        case 1: return stichtage[0].date.description
        default: return "\(stichtage.first!.date) bis \(stichtage.last!.date) (\(stichtage.count) verschiedene)"
        }
    }
}
