import Foundation

/// Deadline rules of the 收文 flow, kept as data (`rules/incoming.json`) so a county changes them without a release.
public struct IncomingRules: Sendable, Codable, Equatable {
    /// Working days before a deadline that it turns yellow and its "due soon" reminder goes out.
    public var warningWorkingDays: Int
    /// The deadline 拟办 suggests, in working days from registration, by 紧急程度 (raw values of `DocumentUrgency`).
    public var suggestedWorkingDays: [String: Int]

    public static let shared: IncomingRules = {
        do {
            let rules = try JSONDecoder().decode(IncomingRules.self,
                                                 from: Catalogs.resource("incoming", "json", "rules"))
            guard (0...30).contains(rules.warningWorkingDays),
                  rules.suggestedWorkingDays.values.allSatisfy({ (1...250).contains($0) }) else {
                preconditionFailure("rules/incoming.json: warningWorkingDays 0…30, suggestedWorkingDays 1…250")
            }
            return rules
        } catch {
            preconditionFailure("rules/incoming.json is missing or malformed: \(error)")
        }
    }()

    public func suggestedDays(_ urgency: DocumentUrgency) -> Int {
        suggestedWorkingDays[urgency.rawValue] ?? suggestedWorkingDays["normal"] ?? 15
    }

    /// The deadline 拟办 proposes for a document registered on `registered`.
    public func suggestedDue(_ urgency: DocumentUrgency, registered: CivilDay,
                             calendar: WorkingCalendar = .shared) -> CivilDay {
        calendar.adding(workingDays: suggestedDays(urgency), to: registered)
    }

    public func colour(due: CivilDay, today: CivilDay, calendar: WorkingCalendar = .shared) -> DeadlineColour {
        DeadlineColour.of(due: due, today: today, warningDays: warningWorkingDays, calendar: calendar)
    }

    public func reminder(due: CivilDay, today: CivilDay, calendar: WorkingCalendar = .shared) -> ReminderPoint? {
        ReminderPoint.current(due: due, today: today, warningDays: warningWorkingDays, calendar: calendar)
    }
}
