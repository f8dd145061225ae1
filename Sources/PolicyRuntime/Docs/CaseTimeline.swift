import PolicyLang

/// `fmpolicy timeline`: one case on a date axis. The model holds only what may be shown: the
/// case id, dates of case events and their kinds (enum values, never free text), rule ids,
/// severities, due dates and finding messages. The birth date, the free-text fields and the
/// case manager are never read into it.
public struct CaseTimeline: Sendable {
    /// A stretch of time: a care episode, a clearing phase.
    public struct Bar: Sendable, Equatable {
        public var start: CalendarDate
        /// nil: still running on the Stichtag.
        public var end: CalendarDate?
        public var label: String
        /// `care`, `clearing`, `past`: how it is drawn.
        public var style: String
        public init(start: CalendarDate, end: CalendarDate?, label: String, style: String) {
            self.start = start; self.end = end; self.label = label; self.style = style
        }
    }

    /// One dated event.
    public struct Mark: Sendable, Equatable {
        public var date: CalendarDate
        /// Shown beside the mark where there is room, and always in its tooltip.
        public var label: String
        /// `event`, `qualified`, `contact`, `negative`, `start`, `end`: how it is drawn.
        public var style: String
        public init(date: CalendarDate, label: String, style: String) { self.date = date; self.label = label; self.style = style }
    }

    public struct Lane: Sendable, Equatable {
        public var title: String
        public var bars: [Bar]
        public var marks: [Mark]
        public init(title: String, bars: [Bar] = [], marks: [Mark] = []) { self.title = title; self.bars = bars; self.marks = marks }
    }

    public var caseID: String
    public var policyID: String
    public var stichtag: CalendarDate
    public var lanes: [Lane]
    /// In the checker's order: error first, then rule id.
    public var findings: [Finding]
    /// Set when contacts were told apart by the policy's own definition (`qualifizierte_kontakte`)
    /// or by the schema's kinds; says which, for the legend.
    public var qualifiedBy: String?

    public init(caseID: String, policyID: String, stichtag: CalendarDate, lanes: [Lane], findings: [Finding], qualifiedBy: String? = nil) {
        self.caseID = caseID; self.policyID = policyID; self.stichtag = stichtag
        self.lanes = lanes; self.findings = findings; self.qualifiedBy = qualifiedBy
    }
}

// MARK: - From a checked case

extension CaseTimeline {
    /// The timeline of a checked case. Fields are found in the schema by name; a lane whose
    /// field the schema lacks is left out.
    public static func build(_ evaluation: inout CaseEvaluation, policy: CheckedPolicy) -> CaseTimeline {
        let root = CaseRecord(evaluation.decoded.root, policy.schema.root)
        var lanes: [Lane] = []

        let fm = root.record("fallmanagement")
        let hasEpisodes = root.has("fruehere_betreuungen") || root.has("fallmanagement")
        if hasEpisodes {
            var lane = Lane(title: "Betreuung")
            for earlier in root.list("fruehere_betreuungen") ?? [] {
                guard let start = earlier.date("beginn") else { continue }
                let reason = earlier.enumName("beendigungsgrund")
                lane.bars.append(Bar(start: start, end: earlier.date("ende"),
                                     label: "frühere Betreuung" + (reason.map { " (Ende: \($0))" } ?? ""), style: "past"))
            }
            if let fm {
                let beginn = fm.date("beginn"), ende = fm.date("ende")
                if let clearing = fm.date("clearing_beginn") {
                    lane.bars.append(Bar(start: clearing, end: beginn ?? ende, label: "Clearingphase", style: "clearing"))
                }
                if let beginn {
                    let art = fm.enumName("zugangsart").map { ", Zugang \($0)" } ?? ""
                    let betreuung = fm.enumName("betreuung").map { ", " + ($0 == "haupt" ? "Hauptbetreuung" : $0 == "neben" ? "Nebenbetreuung" : $0) } ?? ""
                    lane.bars.append(Bar(start: beginn, end: ende, label: "Fallmanagement" + art + betreuung, style: "care"))
                    lane.marks.append(Mark(date: beginn, label: "Beginn", style: "start"))
                }
                if let ende {
                    lane.marks.append(Mark(date: ende, label: "Ende" + (fm.enumName("beendigungsgrund").map { " (\($0))" } ?? " (ohne Grund)"), style: "end"))
                }
                if let ruecksprache = fm.date("tl_ruecksprache") {
                    lane.marks.append(Mark(date: ruecksprache, label: "Rücksprache TL", style: "event"))
                }
            }
            lanes.append(lane)
        }

        if let checks = root.list("zugangspruefungen") {
            lanes.append(Lane(title: "Zugangsprüfungen", marks: checks.compactMap { c in
                guard let d = c.date("datum") else { return nil }
                let result = c.enumName("ergebnis")
                return Mark(date: d, label: "Zugangsprüfung" + (result.map { ": \($0)" } ?? ""), style: result == "kein_zugang" ? "negative" : "event")
            }))
        }
        if let fm, let reviews = fm.list("fortfuehrungspruefungen") {
            lanes.append(Lane(title: "Fortführungsprüfungen", marks: reviews.compactMap { r in
                guard let d = r.date("datum") else { return nil }
                var notes: [String] = []
                if r.bool("tl_informiert") == true { notes.append("TL informiert") }
                if r.bool("tl_zustimmung") == true { notes.append("TL-Zustimmung") }
                return Mark(date: d, label: "Fortführungsprüfung" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"), style: "event")
            }))
        } else if fm == nil, root.has("fallmanagement") {
            lanes.append(Lane(title: "Fortführungsprüfungen"))
        }
        if let fm, let agreements = fm.list("eingliederungsvereinbarungen") {
            lanes.append(Lane(title: "Eingliederungsvereinbarungen", marks: agreements.compactMap { a in
                a.date("datum").map { Mark(date: $0, label: "Eingliederungsvereinbarung", style: "event") }
            }))
        } else if fm == nil, root.has("fallmanagement") {
            lanes.append(Lane(title: "Eingliederungsvereinbarungen"))
        }

        var qualifiedBy: String?
        if let contacts = root.list("kontakte") {
            // The policy's own definition of a qualified contact, else the schema's kinds.
            var isQualified: ((CaseRecord) -> Bool)?
            if policy.values.contains(where: { $0.name == "qualifizierte_kontakte" }),
               case .list(let chosen)? = evaluation.value(named: "qualifizierte_kontakte") {
                let records: [RecordValue] = chosen.compactMap { if case .record(let r) = $0 { return r }; return nil }
                isQualified = { c in records.contains { $0 === c.record } }
                qualifiedBy = "qualifizierte_kontakte"
            } else if policy.values.contains(where: { $0.name == "qualifizierte_kontaktarten" }),
                      case .set(let kinds)? = evaluation.value(named: "qualifizierte_kontaktarten") {
                isQualified = { c in c.value("art").map { kinds.contains($0) } ?? false }
                qualifiedBy = "qualifizierte_kontaktarten"
            }
            lanes.append(Lane(title: "Kontakte", marks: contacts.compactMap { c in
                guard let d = c.date("datum") else { return nil }
                let kind = c.enumName("art") ?? "Kontakt"
                guard let isQualified else { return Mark(date: d, label: kind, style: "contact") }
                return isQualified(c) ? Mark(date: d, label: kind + " (qualifiziert)", style: "qualified")
                                      : Mark(date: d, label: kind, style: "contact")
            }))
        }
        // The shipped policies never write a birth date into a message, but a policy could
        // (`{person.geburtsdatum}`): it is taken out of every finding's text before drawing.
        var findings = evaluation.result.findings
        if let born = root.record("person")?.date("geburtsdatum") {
            findings = findings.map { f in
                Finding(rule: f.rule, severity: f.severity, message: CaseTimeline.redact(born, in: f.message), due: f.due, source: f.source)
            }
        }
        return CaseTimeline(caseID: evaluation.result.caseID, policyID: evaluation.result.policy, stichtag: evaluation.result.stichtag,
                            lanes: lanes, findings: findings, qualifiedBy: qualifiedBy)
    }

    /// `text` without `date` in ISO form or as a German date (`03.10.1967`, `3.10.1967`).
    static func redact(_ date: CalendarDate, in text: String) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = text
        for form in ["\(date)", "\(two(date.day)).\(two(date.month)).\(date.year)", "\(date.day).\(date.month).\(date.year)"] {
            out = out.replacing(form, with: "[Geburtsdatum]")
        }
        return out
    }
}

/// A record of the case read by field name through the schema.
struct CaseRecord {
    let record: RecordValue
    let type: RecordType
    init(_ record: RecordValue, _ type: RecordType) { self.record = record; self.type = type }

    func has(_ name: String) -> Bool { type.fieldIndex[name] != nil }

    func value(_ name: String) -> Value? {
        guard let slot = type.fieldIndex[name], slot < record.count else { return nil }
        return record[slot]
    }

    func date(_ name: String) -> CalendarDate? {
        if case .date(let d)? = value(name) { return d }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = value(name) { return b }
        return nil
    }

    /// The name of an enum value; nil for anything else (a string is never returned).
    func enumName(_ name: String) -> String? {
        guard let slot = type.fieldIndex[name], case .enumeration(let e) = type.fields[slot].type.base,
              case .enumCase(let i)? = value(name), i >= 0, i < e.cases.count else { return nil }
        return e.cases[i]
    }

    func record(_ name: String) -> CaseRecord? {
        guard let slot = type.fieldIndex[name], case .record(let t) = type.fields[slot].type.base,
              case .record(let r)? = value(name) else { return nil }
        return CaseRecord(r, t)
    }

    /// The entries of a list of records; nil when the schema has no such list.
    func list(_ name: String) -> [CaseRecord]? {
        guard let slot = type.fieldIndex[name], case .list(.record(let t)) = type.fields[slot].type.base else { return nil }
        guard case .list(let entries)? = value(name) else { return [] }
        return entries.compactMap { if case .record(let r) = $0 { return CaseRecord(r, t) }; return nil }
    }
}

// MARK: - SVG

extension CaseTimeline {
    /// The timeline as a standalone SVG document: valid XML, a `<title>`, inline CSS, no
    /// script and no external reference. Deterministic: the same case gives the same bytes.
    public func svg() -> String {
        let width = 1040.0, left = 236.0, right = 1010.0
        let top = 74.0, laneHeight = 40.0, deadlineRow = 22.0
        let dueFindings = findings.filter { $0.due != nil }
        let deadlineRows = max(1, dueFindings.count)

        // The axis: the whole history, and a little after the Stichtag and the last due date.
        var dates = [stichtag]
        for lane in lanes {
            for b in lane.bars { dates.append(b.start); if let e = b.end { dates.append(e) } }
            for m in lane.marks { dates.append(m.date) }
        }
        dates += dueFindings.compactMap(\.due)
        var first = dates.min()!, last = dates.max()!
        if Int(last.dayNumber) - Int(first.dayNumber) < 180 { first = last.adding(days: -180) }
        let margin = max(21, (Int(last.dayNumber) - Int(first.dayNumber)) / 25)
        first = first.adding(days: -margin)
        last = last.adding(days: margin)
        let axisStart = Double(first.dayNumber), axisDays = Double(Int(last.dayNumber) - Int(first.dayNumber))
        func x(_ d: CalendarDate) -> Double { left + (Double(d.dayNumber) - axisStart) / axisDays * (right - left) }
        let n = Markup.number, e = Markup.escape

        let lanesBottom = top + Double(lanes.count) * laneHeight
        let deadlineTop = lanesBottom
        let deadlineBottom = deadlineTop + 18 + Double(deadlineRows) * deadlineRow
        let listTop = deadlineBottom + 34
        let listRow = 20.0
        let height = listTop + 26 + Double(max(1, findings.count)) * listRow + 50

        let title = "Zeitstrahl Fall \(caseID) · Policy \(policyID) · Stichtag \(stichtag)"
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"DejaVu Sans, Noto Sans, Arial, sans-serif\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<desc>Ereignisse des Falls bis zum Stichtag, die Fristen aus den Befunden (rot: überfällig, gelb: bevorstehend) und die Befunde mit Regel und Schweregrad. Ohne Geburtsdatum und Freitexte.</desc>\n"
        s += "<style>\(Self.css)</style>\n"
        s += "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\"/>\n"
        s += "<text class=\"heading\" x=\"16\" y=\"26\">Fall \(e(caseID))</text>\n"
        s += "<text class=\"sub\" x=\"16\" y=\"45\">Policy \(e(policyID)) · Stichtag \(stichtag) · \(findings.count) Befund\(findings.count == 1 ? "" : "e")</text>\n"

        // Axis with ticks: months, quarters or years, by the length shown.
        s += "<g class=\"axis\">\n"
        let months = Int(axisDays / 30.4)
        let step = months <= 14 ? 1 : months <= 42 ? 3 : months <= 96 ? 6 : 12
        var tick = CalendarDate(year: first.year, month: first.month, day: 1)!
        if tick < first { tick = tick.adding(months: 1) }
        while (tick.month - 1) % step != 0 { tick = tick.adding(months: 1) }
        let firstTick = tick
        while tick <= last {
            let tx = x(tick)
            // January shows its year; the first tick shows month and year.
            let label = tick.month == 1 ? "\(tick.year)" : Self.monthNames[tick.month - 1] + (tick == firstTick ? " \(tick.year)" : "")
            s += "<line class=\"grid\(tick.month == 1 ? " year" : "")\" x1=\"\(n(tx))\" y1=\"\(n(top - 8))\" x2=\"\(n(tx))\" y2=\"\(n(deadlineBottom))\"/>"
            s += "<text class=\"tick\" x=\"\(n(tx))\" y=\"\(n(top - 12))\" text-anchor=\"middle\">\(e(label))</text>\n"
            tick = tick.adding(months: step)
        }
        s += "</g>\n"

        // Lanes.
        for (i, lane) in lanes.enumerated() {
            let y0 = top + Double(i) * laneHeight, mid = y0 + laneHeight / 2
            s += "<g class=\"lane\">\n"
            s += "<rect class=\"lane-bg\(i % 2 == 1 ? " odd" : "")\" x=\"0\" y=\"\(n(y0))\" width=\"\(n(width))\" height=\"\(n(laneHeight))\"/>\n"
            s += "<text class=\"lane-title\" x=\"16\" y=\"\(n(mid + 4))\">\(e(lane.title))</text>\n"
            if lane.bars.isEmpty && lane.marks.isEmpty {
                s += "<text class=\"none\" x=\"\(n(left + 6))\" y=\"\(n(mid + 4))\">keine Einträge</text>\n"
            }
            for bar in lane.bars {
                let x1 = x(bar.start)
                let solidEnd = bar.end ?? max(stichtag, bar.start)
                let x2 = max(x1 + 2, x(solidEnd))
                let range = "\(bar.start) – \(bar.end.map { "\($0)" } ?? "laufend")"
                s += "<g><title>\(e(bar.label)): \(e(range))</title>"
                s += "<rect class=\"bar \(e(bar.style))\" x=\"\(n(x1))\" y=\"\(n(mid - 8))\" width=\"\(n(x2 - x1))\" height=\"16\" rx=\"3\"/>"
                if bar.end == nil {
                    // Still running: a dashed continuation to the end of the axis.
                    s += "<line class=\"ongoing \(e(bar.style))\" x1=\"\(n(x2))\" y1=\"\(n(mid))\" x2=\"\(n(right))\" y2=\"\(n(mid))\"/>"
                }
                // The whole label where it fits, else its first part (before a comma or bracket).
                var short = String(bar.label.prefix { $0 != "," && $0 != "(" })
                while short.last == " " { short.removeLast() }
                let running = bar.end == nil ? " (laufend)" : ""
                if let label = [bar.label + running, short + running, short].first(where: { x2 - x1 > Double($0.count) * 5.7 + 10 }) {
                    s += "<text class=\"bar-label\" x=\"\(n(x1 + 5))\" y=\"\(n(mid + 4))\">\(e(label))</text>"
                }
                s += "</g>\n"
            }
            // Labels go beside their mark while they do not run into the previous one.
            var labelEnd = -Double.infinity
            for mark in lane.marks.sorted(by: { $0.date != $1.date ? $0.date < $1.date : $0.label < $1.label }) {
                let mx = x(mark.date)
                s += "<g><title>\(mark.date): \(e(mark.label))</title>"
                switch mark.style {
                case "qualified": s += "<circle class=\"mark qualified\" cx=\"\(n(mx))\" cy=\"\(n(mid))\" r=\"5.5\"/>"
                case "contact": s += "<circle class=\"mark contact\" cx=\"\(n(mx))\" cy=\"\(n(mid))\" r=\"4.5\"/>"
                case "start", "end": s += "<rect class=\"mark \(e(mark.style))\" x=\"\(n(mx - 1.5))\" y=\"\(n(mid - 11))\" width=\"3\" height=\"22\"/>"
                default: s += "<path class=\"mark \(e(mark.style))\" d=\"M\(n(mx)) \(n(mid - 7))L\(n(mx + 6)) \(n(mid))L\(n(mx)) \(n(mid + 7))L\(n(mx - 6)) \(n(mid))Z\"/>"
                }
                let text = "\(Self.shortDate(mark.date))"
                if mx + 8 > labelEnd, lane.bars.isEmpty {
                    s += "<text class=\"mark-label\" x=\"\(n(mx + 8))\" y=\"\(n(mid - 6))\">\(e(text))</text>"
                    labelEnd = mx + 8 + Double(text.count) * 5.6 + 4
                }
                s += "</g>\n"
            }
            s += "</g>\n"
        }

        // Deadlines from the findings: overdue in red, upcoming in amber.
        s += "<g class=\"deadlines\">\n"
        s += "<rect class=\"lane-bg deadline-bg\" x=\"0\" y=\"\(n(deadlineTop))\" width=\"\(n(width))\" height=\"\(n(deadlineBottom - deadlineTop))\"/>\n"
        s += "<text class=\"lane-title\" x=\"16\" y=\"\(n(deadlineTop + 20))\">Fristen aus Befunden</text>\n"
        if dueFindings.isEmpty {
            s += "<text class=\"none\" x=\"\(n(left + 6))\" y=\"\(n(deadlineTop + 20))\">keine Frist in den Befunden</text>\n"
        }
        for (i, f) in dueFindings.enumerated() {
            guard let due = f.due else { continue }
            let y = deadlineTop + 18 + Double(i) * deadlineRow
            let overdue = stichtag > due
            let cls = overdue ? "overdue" : "upcoming"
            let dx = x(due)
            s += "<g class=\"deadline \(cls)\"><title>\(e(f.rule)) (\(f.severity.rawValue)): fällig \(due)\(overdue ? ", überfällig" : ", bevorstehend") – \(e(f.message))</title>"
            if overdue {
                s += "<rect class=\"overdue-span\" x=\"\(n(dx))\" y=\"\(n(y - 5))\" width=\"\(n(max(1, x(stichtag) - dx)))\" height=\"10\"/>"
            }
            s += "<path class=\"due \(cls)\" d=\"M\(n(dx)) \(n(y - 8))L\(n(dx + 7)) \(n(y))L\(n(dx)) \(n(y + 8))L\(n(dx - 7)) \(n(y))Z\"/>"
            let label = "\(f.rule) · \(f.severity.rawValue) · fällig \(due)"
            let labelWidth = Double(label.count) * 6.1
            if dx + 12 + labelWidth < width - 4 {
                s += "<text class=\"due-label \(cls)\" x=\"\(n(dx + 12))\" y=\"\(n(y + 4))\">\(e(label))</text>"
            } else {
                s += "<text class=\"due-label \(cls)\" x=\"\(n(dx - 12))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(e(label))</text>"
            }
            s += "</g>\n"
        }
        s += "</g>\n"

        // The Stichtag across every lane.
        let sx = x(stichtag)
        s += "<g class=\"stichtag\"><title>Stichtag \(stichtag)</title>"
        s += "<line x1=\"\(n(sx))\" y1=\"\(n(top - 30))\" x2=\"\(n(sx))\" y2=\"\(n(deadlineBottom))\"/>"
        s += "<text x=\"\(n(sx))\" y=\"\(n(top - 32))\" text-anchor=\"\(sx > right - 60 ? "end" : "middle")\">Stichtag \(stichtag)</text></g>\n"

        // The findings, listed.
        s += "<g class=\"findings\">\n"
        s += "<text class=\"section\" x=\"16\" y=\"\(n(listTop))\">Befunde</text>\n"
        if findings.isEmpty {
            s += "<text class=\"none\" x=\"16\" y=\"\(n(listTop + 24))\">keine Befunde</text>\n"
        }
        // The message column starts after the longest rule id (monospace, about 7.3 px a character).
        let messageX = 86 + Double(findings.map(\.rule.count).max() ?? 0) * 7.3 + 14
        for (i, f) in findings.enumerated() {
            let y = listTop + 24 + Double(i) * listRow
            var message = f.message
            let room = max(40, Int((width - 16 - messageX) / 6.3) - (f.due == nil ? 0 : 19))
            if message.count > room { message = String(message.prefix(room - 1)) + "…" }
            s += "<g class=\"finding \(f.severity.rawValue)\"><title>\(e(f.rule)) (\(f.severity.rawValue)): \(e(f.message))\(f.due.map { " – fällig \($0)" } ?? "") – \(e(f.source))</title>"
            s += "<rect class=\"sev \(f.severity.rawValue)\" x=\"16\" y=\"\(n(y - 11))\" width=\"60\" height=\"15\" rx=\"7\"/>"
            s += "<text class=\"sev-label\" x=\"46\" y=\"\(n(y))\" text-anchor=\"middle\">\(f.severity.rawValue)</text>"
            s += "<text class=\"finding-rule\" x=\"86\" y=\"\(n(y))\">\(e(f.rule))</text>"
            s += "<text class=\"finding-text\" x=\"\(n(messageX))\" y=\"\(n(y))\">\(e(message))\(f.due.map { " (fällig \($0))" } ?? "")</text></g>\n"
        }
        s += "</g>\n"

        // Legend.
        let ly = height - 18
        s += "<g class=\"legend\">"
        var lx = 16.0
        func item(_ shape: String, _ text: String) {
            s += "<g>" + shape + "<text class=\"legend-text\" x=\"\(n(lx + 16))\" y=\"\(n(ly))\">\(e(text))</text></g>"
            lx += 24 + Double(text.count) * 6.0
        }
        func square(_ cls: String) -> String { "<rect class=\"\(cls)\" x=\"\(n(lx))\" y=\"\(n(ly - 10))\" width=\"12\" height=\"12\" rx=\"2\"/>" }
        func circle(_ cls: String, _ r: String) -> String { "<circle class=\"\(cls)\" cx=\"\(n(lx + 6))\" cy=\"\(n(ly - 4))\" r=\"\(r)\"/>" }
        item(square("bar care"), "Betreuung")
        item(square("bar clearing"), "Clearing")
        item(circle("mark qualified", "5"), qualifiedBy == nil ? "Kontakt" : "qualifizierter Kontakt")
        if qualifiedBy != nil { item(circle("mark contact", "4.5"), "anderer Kontakt") }
        item(circle("due overdue", "5"), "Frist überfällig")
        item(circle("due upcoming", "5"), "Frist bevorstehend")
        s += "</g>\n"
        if let qualifiedBy {
            s += "<text class=\"legend-note\" x=\"\(n(width - 16))\" y=\"\(n(ly))\" text-anchor=\"end\">qualifiziert nach \(e(qualifiedBy))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    static let monthNames = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]

    /// `03.02.24`: short enough to stand beside a mark.
    static func shortDate(_ d: CalendarDate) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(d.day)).\(two(d.month)).\(two(d.year % 100))"
    }

    static let css = """

    .bg { fill: #ffffff; }
    .heading { font-size: 18px; font-weight: bold; fill: #1d2733; }
    .sub { font-size: 12px; fill: #5b6775; }
    .grid { stroke: #e3e8ee; stroke-width: 1; }
    .grid.year { stroke: #b9c3cf; }
    .tick { font-size: 10px; fill: #5b6775; }
    .lane-bg { fill: #ffffff; }
    .lane-bg.odd { fill: #f6f8fa; }
    .deadline-bg { fill: #fbfbf7; }
    .lane-title { font-size: 12px; font-weight: bold; fill: #1d2733; }
    .none { font-size: 11px; fill: #8a94a0; font-style: italic; }
    .bar.care { fill: #2f6db5; }
    .bar.clearing { fill: #8fb8e0; }
    .bar.past { fill: #9aa4b0; }
    .ongoing { stroke-width: 3; stroke-dasharray: 4 3; }
    .ongoing.care { stroke: #2f6db5; }
    .ongoing.clearing { stroke: #8fb8e0; }
    .ongoing.past { stroke: #9aa4b0; }
    .bar-label { font-size: 10px; fill: #ffffff; }
    .mark.event { fill: #244f86; }
    .mark.negative { fill: #ffffff; stroke: #244f86; stroke-width: 1.5; }
    .mark.start { fill: #1d2733; }
    .mark.end { fill: #1d2733; }
    .mark.qualified { fill: #22653a; }
    .mark.contact { fill: #ffffff; stroke: #7b8794; stroke-width: 1.5; }
    .mark-label { font-size: 9px; fill: #5b6775; }
    .due.overdue { fill: #c0392b; }
    .due.upcoming { fill: #e0a100; }
    .overdue-span { fill: #c0392b; fill-opacity: 0.18; }
    .due-label { font-size: 11px; }
    .due-label.overdue { fill: #a0281c; }
    .due-label.upcoming { fill: #7a5700; }
    .stichtag line { stroke: #1d2733; stroke-width: 2; stroke-dasharray: 6 3; }
    .stichtag text { font-size: 11px; font-weight: bold; fill: #1d2733; }
    .section { font-size: 14px; font-weight: bold; fill: #1d2733; }
    .sev.error { fill: #c0392b; }
    .sev.warning { fill: #e0a100; }
    .sev.info { fill: #2f6db5; }
    .sev-label { font-size: 10px; font-weight: bold; fill: #ffffff; }
    .finding-rule { font-size: 12px; font-family: DejaVu Sans Mono, Noto Sans Mono, monospace; fill: #1d2733; }
    .finding-text { font-size: 12px; fill: #1d2733; }
    .legend-text, .legend-note { font-size: 11px; fill: #5b6775; }

    """
}
