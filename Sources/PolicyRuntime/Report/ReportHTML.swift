import PolicyLang

/// The report as one self-contained HTML page: inline CSS, two inline SVG charts (cases in care
/// per case manager against the limit, and the duration in care), a table per team and the
/// endings by reason. No scripts, no external files, no timestamp: the same caseload gives the
/// same bytes. Every text from the policy, the staff file or the cases is escaped.
public enum ReportHTML {
    public static func render(_ r: Report) -> String {
        let a = r.policyFigures
        let j = r.jobcenter
        let title = "Monatsbericht Fallmanagement – \(r.policyID) – Stichtag \(r.stichtagText)"
        var h: HTMLText = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <style>\(css)</style>
        </head>
        <body>
        <header>
        <h1>Monatsbericht Fallmanagement</h1>
        <p class="policy">\(esc(r.policyTitle)) <span class="id">Policy \(esc(r.policyID))</span></p>
        <dl class="facts">

        """
        let facts: [(String, String)] = [
            ("Stichtag", r.stichtagText),
            ("Zeilen", "\(r.lines)"),
            ("Fälle gelesen", "\(r.cases)"),
            ("nicht lesbar", "\(r.unreadableLines)"),
            ("Fallmanager*innen", "\(r.managers.count)"),
            ("Teams", "\(r.teams.filter { $0.name != nil }.count)"),
            ("Schlüssel", "1:\(Report.german(a.ratio)) je volle Stelle"),
        ]
        for (k, v) in facts { h += "<div><dt>\(esc(k))</dt><dd>\(esc(v))</dd></div>\n" }
        h += "</dl>\n</header>\n<main>\n"

        // Key figures of the jobcenter.
        h += "<section id=\"kennzahlen\">\n<h2>Kennzahlen Jobcenter</h2>\n<div class=\"cards\">\n"
        var cards: [(String, String, String?, Bool)] = [
            ("in Betreuung", "\(j.inCare)", r.jobcenterLimit.map { "von \(Report.german($0)) Plätzen" }, r.jobcenterLimit.map { $0 < DecimalNumber(j.inCare) } ?? false),
            ("in der Clearingphase", "\(j.inClearing)", nil, false),
            ("Fallmanager*innen über dem Schlüssel", "\(r.managersOverLimit)", "von \(r.managers.count)", r.managersOverLimit > 0),
            ("Fortführungsprüfung überfällig", a.reviews ? "\(j.overdueReviews)" : "n/a", a.reviews ? nil : "Policy ohne \(ReportBuilder.Names.reviewRule)", false),
            ("Kontakt überfällig", a.contacts ? "\(j.overdueContacts)" : "n/a", a.contacts ? nil : "Policy ohne \(ReportBuilder.Names.contactRule)", false),
        ]
        if a.contactMinimum, let p = Report.contactMinimumPermille(j) {
            cards.append(("Mindestkontakt eingehalten", Report.germanPercent(permille: p), "\(j.contactMinimumMet) von \(j.contactYearCases) Fällen", false))
        } else {
            cards.append(("Mindestkontakt eingehalten", a.contactMinimum ? "–" : "n/a", a.contactMinimum ? "kein Fall ein Jahr in Betreuung" : "Policy ohne KKM-Definitionen", false))
        }
        cards.append(("Beendigungen bis Stichtag", "\(j.endingsTotal)", nil, false))
        cards.append(("nicht lesbare Zeilen", "\(r.unreadableLines)", nil, r.unreadableLines > 0))
        for (label, value, note, alert) in cards {
            h += "<div class=\"card\(alert ? " alert" : "")\"><div class=\"value\">\(esc(value))</div><div class=\"label\">\(esc(label))</div>"
            if let note { h += "<div class=\"note\">\(esc(note))</div>" }
            h += "</div>\n"
        }
        h += "</div>\n"
        if r.unassigned.cases > 0 {
            h += "<p class=\"hint\">\(r.unassigned.cases) Fälle ohne Fallmanager*in (nie im Fallmanagement oder ohne Zuordnung); sie zählen nur beim Jobcenter.</p>\n"
        }
        h += "</section>\n"

        h += "<section id=\"fallzahlen\">\n<h2>Fälle in Betreuung je Fallmanager*in</h2>\n"
        h += "<p class=\"hint\">Balken: Fälle in Betreuung. Strich: Grenze 1:\(esc(Report.german(a.ratio))) × Stellenanteil. Rot: über dem Schlüssel; grau: nicht in der Personalliste.</p>\n"
        h += caseloadChart(r)
        h += "</section>\n"

        h += "<section id=\"dauer\">\n<h2>Betreuungsdauer</h2>\n"
        h += "<p class=\"hint\">Fälle in Betreuung nach Monaten seit Beginn bis zum Stichtag; ein Band schließt seine untere Grenze ein (genau 6 Monate: 6–12).</p>\n"
        h += durationChart(j)
        h += "</section>\n"

        h += "<section id=\"teams\">\n<h2>Teams</h2>\n"
        for t in r.teams { h += teamTable(t, r) }
        if r.teams.isEmpty { h += "<p>Keine Fallmanager*innen.</p>\n" }
        h += "</section>\n"

        h += "<section id=\"beendigungen\">\n<h2>Beendigungen nach Grund</h2>\n"
        h += "<p class=\"hint\">Fälle, deren Betreuung am oder vor dem Stichtag endete.</p>\n"
        h += "<table class=\"endings\">\n<thead><tr><th>Grund</th><th class=\"n\">Fälle</th><th class=\"n\">Anteil</th><th></th></tr></thead>\n<tbody>\n"
        let total = j.endingsTotal
        let endings = r.endings(j)
        let largest = max(1, endings.map(\.count).max() ?? 0)
        for (reason, n) in endings {
            // Whole percent, rounded half up; the bar is scaled to the most frequent reason.
            let percent = total > 0 ? (n * 200 + total) / (2 * total) : 0
            h += "<tr><td>\(esc(Report.endingLabel(reason)))</td><td class=\"n\">\(n)</td><td class=\"n\">\(percent) %</td>"
            h += "<td class=\"share\"><span class=\"share-bar\" style=\"width:\(n * 100 / largest)%\"></span></td></tr>\n"
        }
        h += "</tbody>\n<tfoot><tr><td>zusammen</td><td class=\"n\">\(total)</td><td class=\"n\">\(total > 0 ? "100 %" : "–")</td><td></td></tr></tfoot>\n</table>\n</section>\n"
        h += "</main>\n<footer>\n<p>Anonymisierte Zahlen: der Bericht enthält keine Fallnummern, Geburtsdaten, Freitexte oder andere personenbezogene Angaben, nur Zählungen je Fallmanager*in, Team und Jobcenter. Erzeugt mit <code>fmpolicy report</code>.</p>\n</footer>\n</body>\n</html>\n"
        return h.string
    }

    // MARK: Charts

    /// Horizontal bars, one per case manager in team order, with a tick at their limit.
    static func caseloadChart(_ r: Report) -> HTMLText {
        // Escaping goes character by character, so a label escaped in parts is escaped whole,
        // and a team's name need be escaped once.
        let rows = r.teams.flatMap { t in
            let team = esc(t.name ?? "ohne Team")
            return t.managers.map { (team, $0) }
        }
        let labelWidth = 230, plotWidth = 600, rowHeight = 22, top = 30, bottom = 10
        let height = top + max(1, rows.count) * rowHeight + bottom
        let width = labelWidth + plotWidth + 120
        var maximum = 1.0
        for (_, m) in rows { maximum = max(maximum, Double(m.figures.inCare), m.limit?.doubleValue ?? 0) }
        let (axisMax, step) = axis(maximum)
        func x(_ v: Double) -> Double { Double(labelWidth) + v / axisMax * Double(plotWidth) }
        var s: HTMLText = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        s += "<title>Fälle in Betreuung je Fallmanager*in gegen die Grenze</title>\n"
        var tick = 0.0
        while tick <= axisMax + step / 2 {
            s += "<line class=\"grid\" x1=\"\(n(x(tick)))\" y1=\"\(top - 6)\" x2=\"\(n(x(tick)))\" y2=\"\(height - bottom)\"/>"
            s += "<text class=\"tick\" x=\"\(n(x(tick)))\" y=\"\(top - 10)\" text-anchor=\"middle\">\(n(tick))</text>\n"
            tick += step
        }
        s += "<text class=\"tick\" x=\"\(labelWidth + plotWidth + 16)\" y=\"\(top - 10)\">Fälle / Grenze</text>\n"
        if rows.isEmpty {
            s += "<text class=\"label\" x=\"\(labelWidth)\" y=\"\(top + 15)\">keine Fallmanager*innen</text>\n"
        }
        for (i, (team, m)) in rows.enumerated() {
            let y = top + i * rowHeight
            let cls = !m.inStaffFile ? "bar unknown" : m.overLimit ? "bar over" : "bar"
            let label = esc(m.id) + " · " + team
            let limit = m.limit.map { esc(Report.german($0)) }
            s += "<g><title>\(label): \(m.figures.inCare) in Betreuung"
            s += "\(limit.map { ", Grenze \($0)\(m.overLimit ? " (über dem Schlüssel)" : "")" } ?? ", nicht in der Personalliste")"
            s += "</title>"
            s += "<text class=\"label\" x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(label)</text>"
            s += "<rect class=\"\(cls)\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(n(x(Double(m.figures.inCare)) - Double(labelWidth)))\" height=\"\(rowHeight - 6)\"/>"
            if let limit = m.limit {
                let lx = n(x(limit.doubleValue))
                s += "<line class=\"limit\" x1=\"\(lx)\" y1=\"\(y + 1)\" x2=\"\(lx)\" y2=\"\(y + rowHeight - 1)\"/>"
            }
            s += "<text class=\"count\(m.overLimit ? " over" : "")\" x=\"\(labelWidth + plotWidth + 16)\" y=\"\(y + 15)\">\(m.figures.inCare)\(limit.map { " / " + $0 } ?? "")</text></g>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Vertical bars of the duration bands of every case in care.
    static func durationChart(_ f: ReportFigures) -> HTMLText {
        let width = 640, height = 280, left = 50, top = 30, plotHeight = 190, barWidth = 80, gap = 30
        let (axisMax, step) = axis(Double(max(1, f.durationBands.max() ?? 0)))
        func y(_ v: Double) -> Double { Double(top) + Double(plotHeight) * (1 - v / axisMax) }
        var s: HTMLText = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        s += "<title>Fälle in Betreuung nach Betreuungsdauer in Monaten</title>\n"
        var tick = 0.0
        while tick <= axisMax + step / 2 {
            s += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(n(y(tick)))\" x2=\"\(width - 10)\" y2=\"\(n(y(tick)))\"/>"
            s += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">\(n(tick))</text>\n"
            tick += step
        }
        for band in DurationBand.allCases {
            let count = f.durationBands[band.rawValue]
            let bx = left + gap + band.rawValue * (barWidth + gap)
            let by = y(Double(count))
            s += "<g><title>\(esc(band.label)) Monate: \(count) Fälle</title>"
            s += "<rect class=\"bar band\(band.rawValue)\" x=\"\(bx)\" y=\"\(n(by))\" width=\"\(barWidth)\" height=\"\(n(Double(top + plotHeight) - by))\"/>"
            s += "<text class=\"count\" x=\"\(bx + barWidth / 2)\" y=\"\(n(by - 6))\" text-anchor=\"middle\">\(count)</text>"
            s += "<text class=\"label\" x=\"\(bx + barWidth / 2)\" y=\"\(top + plotHeight + 20)\" text-anchor=\"middle\">\(esc(band.label))</text></g>\n"
        }
        s += "<text class=\"label\" x=\"\(left + (width - left) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">Monate in Betreuung</text>\n"
        s += "</svg>\n"
        return s
    }

    /// An axis from 0 with 1-2-5 steps and at most about six ticks.
    static func axis(_ maximum: Double) -> (max: Double, step: Double) {
        var magnitude = 1.0
        while magnitude * 10 <= maximum / 5 { magnitude *= 10 }
        var step = magnitude
        for factor in [1.0, 2.0, 5.0, 10.0] {
            step = factor * magnitude
            if maximum / step <= 6 { break }
        }
        let ticks = (maximum / step).rounded(.up)
        return (max(step, ticks * step), step)
    }

    /// A coordinate with at most one decimal, the same bytes on every platform.
    static func n(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = abs(tenths)
        return m % 10 == 0 ? sign + String(m / 10) : sign + "\(m / 10).\(m % 10)"
    }

    // MARK: Tables

    static func teamTable(_ t: Report.Team, _ r: Report) -> HTMLText {
        let a = r.policyFigures
        var h: HTMLText = "<h3>\(esc(t.name.map { "Team \($0)" } ?? "ohne Team"))</h3>\n<div class=\"scroll\"><table class=\"team\">\n<thead><tr>"
        for (label, numeric) in [("Fallmanager*in", false), ("Stelle", true), ("Fälle", true), ("in Betreuung", true), ("Grenze", true),
                                 ("Schlüssel", false), ("Clearing", true), ("Fortführungs\u{AD}prüfung überfällig", true),
                                 ("Kontakt überfällig", true), ("Mindest\u{AD}kontakt", true)] {
            h += "<th rowspan=\"2\"\(numeric ? " class=\"n\"" : "")>\(esc(label))</th>"
        }
        h += "<th colspan=\"\(DurationBand.allCases.count)\" class=\"group\">Betreuungsdauer in Monaten</th><th rowspan=\"2\" class=\"n\">Beendet</th></tr>\n<tr>"
        for band in DurationBand.allCases { h += "<th class=\"n band\">\(esc(band.label))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        /// The cells from „Clearing“ on, appended to `h`.
        func cells(_ f: ReportFigures) {
            h += "<td class=\"n\">\(f.inClearing)</td><td class=\"n\">\(a.reviews ? String(f.overdueReviews) : "n/a")</td>"
            h += "<td class=\"n\">\(a.contacts ? String(f.overdueContacts) : "n/a")</td><td class=\"n\">\(esc(ReportText.contactMinimum(f, a, long: false)))</td>"
            for v in f.durationBands { h += "<td class=\"n\">\(v)</td>" }
            h += "<td class=\"n\">\(f.endingsTotal)</td>"
        }
        for m in t.managers {
            let status = !m.inStaffFile ? "<span class=\"badge unknown\">nicht in Personalliste</span>"
                : m.overLimit ? "<span class=\"badge over\">über</span>" : "<span class=\"badge ok\">ok</span>"
            h += "<tr\(m.overLimit ? " class=\"over\"" : "")><td>\(esc(m.id))</td><td class=\"n\">\(esc(m.stellenanteil.map(Report.german) ?? "–"))</td>"
            h += "<td class=\"n\">\(m.figures.cases)</td><td class=\"n\">\(m.figures.inCare)</td><td class=\"n\">\(esc(m.limit.map(Report.german) ?? "–"))</td><td>\(status)</td>"
            cells(m.figures)
            h += "</tr>\n"
        }
        h += "</tbody>\n<tfoot><tr><td>zusammen</td><td></td><td class=\"n\">\(t.figures.cases)</td><td class=\"n\">\(t.figures.inCare)</td>"
        h += "<td class=\"n\">\(esc(t.limit.map(Report.german) ?? "–"))</td><td>\(t.managersOverLimit) über</td>"
        cells(t.figures)
        h += "</tr></tfoot>\n</table></div>\n"
        return h
    }

    /// Text and attribute values: `&`, `<`, `>`, `"` and `'` as character references
    /// (the same escaping as the documentation page and the timeline).
    public static func esc(_ s: String) -> String {
        // Most texts (ids, numbers) are printable ASCII without `& < > " '`: escaping keeps
        // them as they are, so they skip `Markup.escape`'s copy scalar by scalar.
        s.utf8.allSatisfy(isPlain) ? s : Markup.escape(s)
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
        default: byte >= 0x20 && byte < 0x7F
        }
    }

    static let css = """

    :root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --bar: #2f6db5; --over: #c0392b; --unknown: #9aa4b0; --bg: #f5f7fa; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
    header { background: #1f3b57; color: #fff; padding: 20px 24px 16px; }
    header h1 { margin: 0 0 4px; font-size: 24px; }
    header .policy { margin: 0 0 12px; color: #d6e2ee; }
    header .id { display: inline-block; margin-left: 8px; padding: 0 6px; border: 1px solid #7d9ab6; border-radius: 4px; font-size: 12px; }
    dl.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
    dl.facts div { min-width: 90px; }
    dl.facts dt { font-size: 12px; color: #b8c9da; }
    dl.facts dd { margin: 0; font-size: 16px; font-weight: 600; }
    main { padding: 8px 24px 24px; max-width: 1280px; }
    section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 16px; margin: 16px 0; }
    h2 { font-size: 18px; margin: 4px 0 8px; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    .hint { color: var(--muted); margin: 0 0 8px; font-size: 13px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
    .card .value { font-size: 24px; font-weight: 700; }
    .card .label { font-size: 13px; }
    .card .note { font-size: 12px; color: var(--muted); }
    .card.alert { border-color: var(--over); background: #fdf1ef; }
    .card.alert .value { color: var(--over); }
    svg.chart { display: block; max-width: 100%; height: auto; }
    svg .grid { stroke: #e6eaef; stroke-width: 1; }
    svg .tick { font-size: 11px; fill: var(--muted); }
    svg .label { font-size: 12px; fill: var(--ink); }
    svg .count { font-size: 12px; fill: var(--ink); font-variant-numeric: tabular-nums; }
    svg .count.over { fill: var(--over); font-weight: 700; }
    svg .bar { fill: var(--bar); }
    svg .bar.over { fill: var(--over); }
    svg .bar.unknown { fill: var(--unknown); }
    svg .limit { stroke: #111; stroke-width: 2; }
    svg .band0 { fill: #8fb8e0; } svg .band1 { fill: #5d96cf; } svg .band2 { fill: #2f6db5; } svg .band3 { fill: #244f86; } svg .band4 { fill: #c0392b; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    table.team { font-size: 12px; }
    th.group { text-align: center; border-bottom: 1px solid var(--line); }
    th.band { white-space: nowrap; }
    th, td { border-bottom: 1px solid var(--line); padding: 4px 5px; text-align: left; vertical-align: bottom; }
    th { background: #eef2f6; font-weight: 600; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
    td.n { white-space: nowrap; }
    tbody tr:nth-child(even) { background: #fafbfc; }
    tr.over td { background: #fdf1ef; }
    tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
    .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; }
    .badge.ok { background: #e3f1e6; color: #22653a; }
    .badge.over { background: var(--over); color: #fff; }
    .badge.unknown { background: #eceff2; color: var(--muted); }
    table.endings { width: auto; min-width: 520px; }
    td.share { width: 220px; }
    .share-bar { display: inline-block; height: 10px; background: var(--bar); border-radius: 2px; }
    footer { padding: 0 24px 24px; color: var(--muted); font-size: 12px; max-width: 1200px; }
    @media print { body { background: #fff; } section { break-inside: avoid; border: none; } header { color: #000; background: none; } }

    """
}

/// Markup built as UTF-8 bytes and written like a `String`: `h += "<td>\(count)</td>"`. The
/// literal parts and the interpolated texts and numbers go straight to bytes: a `String`
/// interpolation like that costs some two thousand instructions, ten times as much, and the
/// page of a jobcenter with a thousand case managers has tens of thousands of them.
struct HTMLText: ExpressibleByStringInterpolation {
    private(set) var bytes: [UInt8]

    init(stringLiteral literal: String) { bytes = Array(literal.utf8) }
    init(stringInterpolation: StringInterpolation) { bytes = stringInterpolation.bytes }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    static func += (text: inout HTMLText, more: HTMLText) { text.bytes += more.bytes }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var bytes: [UInt8] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            bytes.reserveCapacity(literalCapacity + 8 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) { bytes += literal.utf8 }
        /// As it is: what needs escaping is escaped by the caller (`ReportHTML.esc`).
        mutating func appendInterpolation(_ text: String) { bytes += text.utf8 }
        mutating func appendInterpolation(_ number: Int) { bytes += String(number).utf8 }
    }
}
