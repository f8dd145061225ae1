import PolicyLang

/// The report for the terminal: the jobcenter's figures, then tables per team, per case
/// manager, of the duration in care and of the endings. German labels, as in the HTML form.
public enum ReportText {
    /// `colored` marks case managers over their limit in red (only on a terminal).
    public static func render(_ r: Report, colored: Bool = false) -> String {
        let a = r.policyFigures
        var out = "Monatsbericht Fallmanagement\n"
        out += "Policy     \(r.policyID) – \(r.policyTitle)\n"
        out += "Stichtag   \(r.stichtagText)\n"
        out += "Eingabe    \(r.lines) Zeile\(r.lines == 1 ? "" : "n"): \(r.cases) Fälle gelesen, \(r.unreadableLines) nicht lesbar\n"
        out += "Schlüssel  1:\(Report.german(a.ratio)) je volle Stelle"
        out += a.ratioParameter.map { " (Parameter \($0))\n" } ?? " (Vorgabe; die Policy nennt keinen)\n"

        let j = r.jobcenter
        out += "\nJobcenter\n"
        var summary: [(String, String)] = [
            ("Fälle", "\(j.cases)"),
            ("in Betreuung", "\(j.inCare)" + (r.jobcenterLimit.map { " von \(Report.german($0)) Plätzen" } ?? "")),
            ("in der Clearingphase", "\(j.inClearing)"),
            ("Fallmanager*innen über dem Schlüssel", "\(r.managersOverLimit) von \(r.managers.count)"),
            ("Fortführungsprüfung überfällig", a.reviews ? "\(j.overdueReviews)" : "n/a (Policy ohne \(ReportBuilder.Names.reviewRule))"),
            ("Kontakt überfällig", a.contacts ? "\(j.overdueContacts)" : "n/a (Policy ohne \(ReportBuilder.Names.contactRule))"),
            ("Mindestkontakt eingehalten", contactMinimum(j, a, long: true)),
            ("beendet (Ende bis Stichtag)", "\(j.endingsTotal)"),
            ("nicht lesbare Zeilen", "\(r.unreadableLines)"),
        ]
        if r.unassigned.cases > 0 { summary.insert(("davon ohne Fallmanager*in", "\(r.unassigned.cases)"), at: 1) }
        let width = summary.map(\.0.count).max() ?? 0
        for (label, value) in summary { out += "  " + pad(label, width) + "  " + value + "\n" }

        out += "\nTeams\n"
        var teamRows: [[String]] = r.teams.map { t in
            [t.name ?? "ohne Team", "\(t.managers.count)", "\(t.figures.cases)", "\(t.figures.inCare)", t.limit.map(Report.german) ?? "–",
             "\(t.managersOverLimit)", "\(t.figures.inClearing)", optional(a.reviews, t.figures.overdueReviews),
             optional(a.contacts, t.figures.overdueContacts), contactMinimum(t.figures, a, long: false)]
        }
        if r.unassigned.cases > 0 {
            let u = r.unassigned
            teamRows.append(["ohne Fallmanager*in", "–", "\(u.cases)", "\(u.inCare)", "–", "–", "\(u.inClearing)",
                             optional(a.reviews, u.overdueReviews), optional(a.contacts, u.overdueContacts), contactMinimum(u, a, long: false)])
        }
        teamRows.append(["Jobcenter", "\(r.managers.count)", "\(j.cases)", "\(j.inCare)", r.jobcenterLimit.map(Report.german) ?? "–",
                         "\(r.managersOverLimit)", "\(j.inClearing)", optional(a.reviews, j.overdueReviews),
                         optional(a.contacts, j.overdueContacts), contactMinimum(j, a, long: false)])
        out += table(["Team", "FM", "Fälle", "in Betr.", "Plätze", "FM über", "Clearing", "Fortführung überf.", "Kontakt überf.", "Mindestkontakt"],
                     teamRows, leftColumns: 1, totalRows: 1)

        out += "\nFallmanager*innen (in Betreuung gegen 1:\(Report.german(a.ratio)) × Stellenanteil)\n"
        var managerRows: [[String]] = []
        var marks: [Bool] = []
        for t in r.teams {
            for m in t.managers {
                let f = m.figures
                managerRows.append([t.name ?? "ohne Team", m.id, m.stellenanteil.map(Report.german) ?? "–", "\(f.inCare)",
                                    m.limit.map(Report.german) ?? "–", m.inStaffFile ? (m.overLimit ? "über" : "ok") : "nicht in Personalliste",
                                    "\(f.inClearing)", optional(a.reviews, f.overdueReviews), optional(a.contacts, f.overdueContacts),
                                    contactMinimum(f, a, long: false)])
                marks.append(m.overLimit)
            }
        }
        var managerTable = table(["Team", "Fallmanager*in", "Stelle", "in Betr.", "Grenze", "Schlüssel", "Clearing", "Fortführung überf.",
                                  "Kontakt überf.", "Mindestkontakt"], managerRows, leftColumns: 2, textColumns: [5])
        if colored {
            var lines = managerTable.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, over) in marks.enumerated() where over && i + 1 < lines.count {
                lines[i + 1] = "\u{1B}[31m" + lines[i + 1] + "\u{1B}[0m"
            }
            managerTable = lines.joined(separator: "\n")
        }
        out += managerTable
        if managerRows.isEmpty { out += "  (keine)\n" }

        out += "\nBetreuungsdauer (Fälle in Betreuung, Monate seit Beginn bis zum Stichtag)\n"
        var bandRows: [[String]] = r.teams.map { t in [t.name ?? "ohne Team"] + bands(t.figures) }
        if r.unassigned.inCare > 0 { bandRows.append(["ohne Fallmanager*in"] + bands(r.unassigned)) }
        bandRows.append(["Jobcenter"] + bands(j))
        out += table(["Team"] + DurationBand.allCases.map(\.label) + ["zusammen"], bandRows, leftColumns: 1, totalRows: 1)

        out += "\nBeendigungen nach Grund (Ende am oder vor dem Stichtag)\n"
        var endingRows = r.endings(j).map { [Report.endingLabel($0.reason), "\($0.count)"] }
        endingRows.append(["zusammen", "\(j.endingsTotal)"])
        out += table(["Grund", "Fälle"], endingRows, leftColumns: 1, totalRows: 1)
        return out
    }

    static func bands(_ f: ReportFigures) -> [String] {
        f.durationBands.map { "\($0)" } + ["\(f.durationBands.reduce(0, +))"]
    }

    static func optional(_ available: Bool, _ n: Int) -> String { available ? "\(n)" : "n/a" }

    /// `36/40 (90,0 %)`; `–` when no case has been in care for a year; n/a without the definitions.
    static func contactMinimum(_ f: ReportFigures, _ a: ReportBuilder.PolicyFigures, long: Bool) -> String {
        guard a.contactMinimum else {
            return long ? "n/a (Policy ohne \(ReportBuilder.Names.oneYearInCare), \(ReportBuilder.Names.yearlyMinimumMet))" : "n/a"
        }
        guard let p = Report.contactMinimumPermille(f) else { return long ? "– (kein Fall ein Jahr in Betreuung)" : "–" }
        return long ? "\(Report.germanPercent(permille: p)) (\(f.contactMinimumMet) von \(f.contactYearCases) Fällen ein Jahr in Betreuung)"
                    : "\(f.contactMinimumMet)/\(f.contactYearCases) (\(Report.germanPercent(permille: p)))"
    }

    /// Columns padded to their widest cell; the first `leftColumns` and `textColumns` are
    /// left-aligned, numbers right-aligned. The last `totalRows` rows follow a rule.
    static func table(_ header: [String], _ rows: [[String]], leftColumns: Int, textColumns: Set<Int> = [], totalRows: Int = 0) -> String {
        // Widths are numbers of characters: each cell's is counted once.
        let cellWidths = ([header] + rows).map { $0.map(\.count) }
        var widths = cellWidths[0]
        for row in cellWidths { for (i, width) in row.enumerated() { widths[i] = max(widths[i], width) } }
        let leftAligned = widths.indices.map { $0 < leftColumns || textColumns.contains($0) }
        var out = ""
        // A line is put together as bytes: appending to a `String` costs hundreds of
        // instructions a piece, and a table of every case manager has tens of thousands.
        var bytes: [UInt8] = []
        func line(_ cells: [String], _ cellWidths: [Int]) {
            bytes.removeAll(keepingCapacity: true)
            for (i, cell) in cells.enumerated() {
                let padding = repeatElement(UInt8(ascii: " "), count: widths[i] - cellWidths[i])
                bytes += "  ".utf8
                if leftAligned[i] {
                    bytes += cell.utf8
                    bytes += padding
                } else {
                    bytes += padding
                    bytes += cell.utf8
                }
            }
            var text = String(decoding: bytes, as: UTF8.self)
            while text.last == " " { text.removeLast() }
            out += text
            out += "\n"
        }
        line(header, cellWidths[0])
        for (i, row) in rows.enumerated() {
            if totalRows > 0, i == rows.count - totalRows {
                out += "  " + String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            }
            line(row, cellWidths[i + 1])
        }
        return out
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }
}
