import PolicyLang

/// How long a case has been in care on its Stichtag, in the bands of the monthly report.
/// A band includes its lower edge: a case exactly 6 months in care is in `sixToTwelve`.
public enum DurationBand: Int, CaseIterable, Sendable {
    case underSix, sixToTwelve, twelveToTwentyFour, twentyFourToThirtySix, thirtySixAndMore

    /// The lower edges in months of every band after the first.
    public static let edges = [6, 12, 24, 36]

    /// The band of a case in care since `beginn`, judged on `stichtag`: the number of edges `e`
    /// with `beginn + e months <= stichtag`, by the spec's month arithmetic (§ 188 (3) BGB
    /// clamping, so 2024-08-31 + 6 months = 2025-02-28).
    public static func of(beginn: CalendarDate, stichtag: CalendarDate) -> DurationBand {
        var band = 0
        for edge in edges where beginn.adding(months: edge) <= stichtag { band += 1 }
        return DurationBand(rawValue: band)!
    }

    /// The key in the JSON report.
    public var key: String {
        switch self {
        case .underSix: "0-6"
        case .sixToTwelve: "6-12"
        case .twelveToTwentyFour: "12-24"
        case .twentyFourToThirtySix: "24-36"
        case .thirtySixAndMore: "36+"
        }
    }

    /// Short German label, for tables and charts.
    public var label: String {
        switch self {
        case .underSix: "0–6"
        case .sixToTwelve: "6–12"
        case .twelveToTwentyFour: "12–24"
        case .twentyFourToThirtySix: "24–36"
        case .thirtySixAndMore: "ab 36"
        }
    }
}

/// The report's figures for one unit (a case manager, a team, the jobcenter). Counts only, so
/// figures add up: a team's figures are the sum of its case managers', and partial figures of
/// parallel workers merge to the same result in any order.
public struct ReportFigures: Sendable, Equatable {
    /// Cases read that belong to the unit.
    public var cases = 0
    /// In care on the Stichtag (the policy's `in_betreuung`).
    public var inCare = 0
    /// In the clearing phase: `clearing_beginn` present, not in care, not ended by the Stichtag.
    public var inClearing = 0
    /// Findings of `fortfuehrung.pruefung` with severity error or warning.
    public var overdueReviews = 0
    /// Findings of `kontakt.intervall` with severity error or warning.
    public var overdueContacts = 0
    /// Cases for which `ein_jahr_in_betreuung` is true …
    public var contactYearCases = 0
    /// … and of those, the cases for which `jahresminimum_erfuellt` is true.
    public var contactMinimumMet = 0
    /// Cases in care by `DurationBand.rawValue`.
    public var durationBands = [Int](repeating: 0, count: DurationBand.allCases.count)
    /// Cases whose `fallmanagement.ende` is on or before the Stichtag, by `beendigungsgrund`
    /// (the enum value's name; `noReason` when there is none).
    public var endings: [String: Int] = [:]

    /// The key of `endings` for an ending without a reason (no enum value is empty).
    public static let noReason = ""

    public init() {}

    public var endingsTotal: Int { endings.values.reduce(0, +) }

    public mutating func merge(_ o: ReportFigures) {
        cases += o.cases
        inCare += o.inCare
        inClearing += o.inClearing
        overdueReviews += o.overdueReviews
        overdueContacts += o.overdueContacts
        contactYearCases += o.contactYearCases
        contactMinimumMet += o.contactMinimumMet
        for i in durationBands.indices { durationBands[i] += o.durationBands[i] }
        for (reason, n) in o.endings { endings[reason, default: 0] += n }
    }

    public static func + (a: ReportFigures, b: ReportFigures) -> ReportFigures {
        var sum = a
        sum.merge(b)
        return sum
    }
}

/// What the workers collect while reading a caseload: figures per case manager, never per case,
/// so memory grows with the number of case managers and not with the number of cases. Sums
/// only: merging partial aggregates in any order gives the same aggregate.
public struct ReportAggregate: Sendable, Equatable {
    /// Input lines seen (blank lines included).
    public var lines = 0
    /// Lines that could not be read as a case; counted, never shown.
    public var unreadableLines = 0
    /// Per case manager key (`fallmanagement.fallmanager`).
    public var managers: [String: ReportFigures] = [:]
    /// Cases without a case manager key (never in case management, or no `fallmanager`).
    public var unassigned = ReportFigures()
    /// How many cases were judged on each Stichtag.
    public var stichtage: [CalendarDate: Int] = [:]

    public init() {}

    /// Cases read.
    public var cases: Int { lines - unreadableLines }

    public mutating func merge(_ o: ReportAggregate) {
        lines += o.lines
        unreadableLines += o.unreadableLines
        for (manager, figures) in o.managers { managers[manager, default: ReportFigures()].merge(figures) }
        unassigned.merge(o.unassigned)
        for (date, n) in o.stichtage { stichtage[date, default: 0] += n }
    }
}
