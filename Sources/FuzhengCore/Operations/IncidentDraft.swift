import Foundation

/// An incident as the 安全管理员 enters it, checked: times in China Standard Time to the minute, recovery not before
/// the start, a known kind, the texts present and of bounded length.
public struct IncidentDraft: Sendable, Equatable {
    public var startedAt: Date
    public var endedAt: Date?
    public var kind: IncidentKind
    public var title: String
    public var cause: String
    public var measures: String
    public var backupRef: String

    /// A field's problem as a string-table key and its arguments.
    public struct Problem: Sendable, Equatable {
        public var key: String
        public var arguments: [String] = []
    }

    /// The typed values (nil for a field not sent); on any problem no draft, and every problem by field name.
    public static func check(startedAt: String?, endedAt: String?, kind: String?, title: String?, cause: String?,
                             measures: String?, backupRef: String?) -> (IncidentDraft?, [String: Problem]) {
        var problems: [String: Problem] = [:]
        let started = IncidentTime.parse(startedAt ?? "")
        if started == nil { problems["startedAt"] = Problem(key: "incident.error.time") }
        var ended: Date?
        if let raw = endedAt?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            ended = IncidentTime.parse(raw)
            if ended == nil { problems["endedAt"] = Problem(key: "incident.error.time") }
        }
        if let s = started, let e = ended, e < s { problems["endedAt"] = Problem(key: "incident.error.order") }
        let kindValue = IncidentKind(rawValue: kind ?? "")
        if kindValue == nil { problems["kind"] = Problem(key: "incident.error.kind") }
        func text(_ value: String?, _ field: String, max: Int, required: Bool) -> String {
            let v = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if required && v.isEmpty { problems[field] = Problem(key: "incident.error.required") }
            if v.count > max { problems[field] = Problem(key: "incident.error.long", arguments: [String(max)]) }
            return v
        }
        let titleValue = text(title, "title", max: 200, required: true)
        let causeValue = text(cause, "cause", max: 4000, required: true)
        let measuresValue = text(measures, "measures", max: 4000, required: true)
        let backup = text(backupRef, "backupRef", max: 200, required: false)
        guard problems.isEmpty, let started, let kindValue else { return (nil, problems) }
        return (IncidentDraft(startedAt: started, endedAt: ended, kind: kindValue, title: titleValue, cause: causeValue,
                              measures: measuresValue, backupRef: backup), problems)
    }
}

/// Times are entered and shown in China Standard Time, minute precision: "2026-12-03 08:30".
public enum IncidentTime {
    static func formatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: JobSchedule.chinaOffset)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }

    public static func format(_ date: Date) -> String { formatter().string(from: date) }

    public static func parse(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "T", with: " ")
        guard let date = formatter().date(from: text), format(date) == text else { return nil }
        return date
    }
}
