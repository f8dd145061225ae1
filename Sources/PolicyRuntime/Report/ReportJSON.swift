import PolicyLang

/// The report as one JSON document: the figures of the text and HTML forms, keys in a fixed
/// order, so the same caseload always gives the same bytes. A figure the policy has no basis
/// for is `null`. See docs/report.md for the members.
public enum ReportJSON {
    /// Written straight from the figures, not through a `JSONValue`: a caseload with a thousand
    /// case managers gives tens of thousands of members, and a value of each would cost more
    /// than writing them.
    public static func render(_ report: Report) -> String {
        var json = PrettyJSONWriter()
        write(report, to: &json)
        return json.text + "\n"
    }

    /// The same document as a value.
    public static func value(_ r: Report) -> JSONValue {
        // `render` writes valid JSON with distinct keys.
        try! JSONValue.parse(render(r))
    }

    static func write(_ r: Report, to json: inout PrettyJSONWriter) {
        let keys = Keys(r)
        json.beginObject()
        json.member("report", "fmpolicy monthly report")
        json.member("policy", r.policyID)
        json.member("policy_title", r.policyTitle)
        json.member("stichtag", r.stichtag?.description)
        json.key("stichtage")
        json.beginArray()
        for (date, cases) in r.stichtage {
            json.element()
            json.beginObject()
            json.member("date", date.description)
            json.member("cases", cases)
            json.endObject()
        }
        json.endArray()
        json.member("ratio", number: r.policyFigures.ratio.description)
        json.member("ratio_parameter", r.policyFigures.ratioParameter)
        json.member("lines", r.lines)
        json.member("cases", r.cases)
        json.member("unreadable_lines", r.unreadableLines)

        json.key("jobcenter")
        json.beginObject()
        write(r.jobcenter, keys, r, to: &json)
        json.member(keys.limit, number: r.jobcenterLimit?.description)
        json.member(keys.caseManagers, r.managers.count)
        json.member(keys.caseManagersOverLimit, r.managersOverLimit)
        json.endObject()

        json.key("without_case_manager")
        json.beginObject()
        write(r.unassigned, keys, r, to: &json)
        json.endObject()

        json.key("teams")
        json.beginArray()
        for team in r.teams {
            json.element()
            write(team, keys, r, to: &json)
        }
        json.endArray()
        json.endObject()
    }

    static func write(_ team: Report.Team, _ keys: Keys, _ r: Report, to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member(keys.team, team.name)
        write(team.figures, keys, r, to: &json)
        json.member(keys.limit, number: team.limit?.description)
        json.member(keys.overLimit, team.overLimit)
        json.member(keys.caseManagersOverLimit, team.managersOverLimit)
        json.key(keys.caseManagers)
        json.beginArray()
        for m in team.managers {
            json.element()
            json.beginObject()
            json.member(keys.id, m.id)
            json.member(keys.inStaffFile, m.inStaffFile)
            json.member(keys.stellenanteil, number: m.stellenanteil?.description)
            json.member(keys.limit, number: m.limit?.description)
            json.member(keys.overLimit, m.overLimit)
            write(m.figures, keys, r, to: &json)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    /// The keys written for every team and case manager, quoted once per document.
    struct Keys {
        typealias Key = PrettyJSONWriter.Key
        let team = Key("team"), caseManagers = Key("case_managers"), caseManagersOverLimit = Key("case_managers_over_limit")
        let id = Key("id"), inStaffFile = Key("in_staff_file"), stellenanteil = Key("stellenanteil")
        let limit = Key("limit"), overLimit = Key("over_limit")
        let cases = Key("cases"), inCare = Key("in_care"), inClearing = Key("in_clearing")
        let overdueReviews = Key("overdue_reviews"), overdueContacts = Key("overdue_contacts")
        let contactMinimum = Key("contact_minimum"), met = Key("met"), percent = Key("percent")
        let durationMonths = Key("duration_months"), endings = Key("endings")
        /// By `DurationBand.rawValue`.
        let bands = DurationBand.allCases.map { Key($0.key) }
        /// The reasons of `Report.endings` in its order, and their keys.
        let reasons: [String]
        let reasonKeys: [Key]

        init(_ r: Report) {
            reasons = r.endings(ReportFigures()).map(\.reason)
            reasonKeys = reasons.map { Key($0 == ReportFigures.noReason ? "ohne_grund" : $0) }
        }
    }

    /// The members every unit has, from `cases` to `endings`.
    static func write(_ f: ReportFigures, _ keys: Keys, _ r: Report, to json: inout PrettyJSONWriter) {
        let available = r.policyFigures
        json.member(keys.cases, f.cases)
        json.member(keys.inCare, f.inCare)
        json.member(keys.inClearing, f.inClearing)
        json.member(keys.overdueReviews, available.reviews ? f.overdueReviews : nil)
        json.member(keys.overdueContacts, available.contacts ? f.overdueContacts : nil)
        json.key(keys.contactMinimum)
        if available.contactMinimum {
            json.beginObject()
            json.member(keys.cases, f.contactYearCases)
            json.member(keys.met, f.contactMinimumMet)
            json.member(keys.percent, number: Report.contactMinimumPermille(f).map { "\($0 / 10).\($0 % 10)" })
            json.endObject()
        } else {
            json.write(.null)
        }
        json.key(keys.durationMonths)
        json.beginObject()
        for (band, key) in keys.bands.enumerated() { json.member(key, f.durationBands[band]) }
        json.endObject()
        json.key(keys.endings)
        json.beginObject()
        for (reason, key) in zip(keys.reasons, keys.reasonKeys) { json.member(key, f.endings[reason] ?? 0) }
        json.endObject()
    }
}
