import PolicyLang

/// The report as one JSON document: the figures of the text and HTML forms, keys in a fixed
/// order, so the same caseload always gives the same bytes. A figure the policy has no basis
/// for is `null`. See docs/report.md for the members.
public enum ReportJSON {
    public static func render(_ report: Report) -> String {
        JSONWriter.pretty(value(report)) + "\n"
    }

    public static func value(_ r: Report) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("report", .string("fmpolicy monthly report")),
            ("policy", .string(r.policyID)),
            ("policy_title", .string(r.policyTitle)),
            ("stichtag", r.stichtag.map { .string($0.description) } ?? .null),
            ("stichtage", .array(r.stichtage.map { .object([("date", .string($0.date.description)), ("cases", int($0.cases))]) })),
            ("ratio", number(r.policyFigures.ratio)),
            ("ratio_parameter", r.policyFigures.ratioParameter.map(JSONValue.string) ?? .null),
            ("lines", int(r.lines)),
            ("cases", int(r.cases)),
            ("unreadable_lines", int(r.unreadableLines)),
        ]
        var jobcenter = figures(r.jobcenter, r)
        jobcenter += [
            ("limit", r.jobcenterLimit.map(number) ?? .null),
            ("case_managers", int(r.managers.count)),
            ("case_managers_over_limit", int(r.managersOverLimit)),
        ]
        members.append(("jobcenter", .object(jobcenter)))
        members.append(("without_case_manager", .object(figures(r.unassigned, r))))
        members.append(("teams", .array(r.teams.map { team in
            var t: [(String, JSONValue)] = [("team", team.name.map(JSONValue.string) ?? .null)]
            t += figures(team.figures, r)
            t += [
                ("limit", team.limit.map(number) ?? .null),
                ("over_limit", .bool(team.overLimit)),
                ("case_managers_over_limit", int(team.managersOverLimit)),
                ("case_managers", .array(team.managers.map { m in
                    var o: [(String, JSONValue)] = [
                        ("id", .string(m.id)),
                        ("in_staff_file", .bool(m.inStaffFile)),
                        ("stellenanteil", m.stellenanteil.map(number) ?? .null),
                        ("limit", m.limit.map(number) ?? .null),
                        ("over_limit", .bool(m.overLimit)),
                    ]
                    o += figures(m.figures, r)
                    return .object(o)
                })),
            ]
            return .object(t)
        })))
        return .object(members)
    }

    static func figures(_ f: ReportFigures, _ r: Report) -> [(String, JSONValue)] {
        let available = r.policyFigures
        var contactMinimum = JSONValue.null
        if available.contactMinimum {
            contactMinimum = .object([
                ("cases", int(f.contactYearCases)),
                ("met", int(f.contactMinimumMet)),
                ("percent", Report.contactMinimumPermille(f).map { .number("\($0 / 10).\($0 % 10)") } ?? .null),
            ])
        }
        return [
            ("cases", int(f.cases)),
            ("in_care", int(f.inCare)),
            ("in_clearing", int(f.inClearing)),
            ("overdue_reviews", available.reviews ? int(f.overdueReviews) : .null),
            ("overdue_contacts", available.contacts ? int(f.overdueContacts) : .null),
            ("contact_minimum", contactMinimum),
            ("duration_months", .object(DurationBand.allCases.map { ($0.key, int(f.durationBands[$0.rawValue])) })),
            ("endings", .object(r.endings(f).map { ($0.reason == ReportFigures.noReason ? "ohne_grund" : $0.reason, int($0.count)) })),
        ]
    }

    static func int(_ n: Int) -> JSONValue { .number(String(n)) }
    static func number(_ d: DecimalNumber) -> JSONValue { .number(d.description) }
}
