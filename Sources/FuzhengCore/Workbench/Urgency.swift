/// The colour of a piece of waiting work on the 工作台: red when its deadline has passed, yellow when it falls
/// within the warning window, green otherwise (also when it has no deadline).
public enum Urgency: String, Sendable, CaseIterable, Comparable {
    case overdue = "red"
    case dueSoon = "yellow"
    case onTrack = "green"

    private var rank: Int { self == .overdue ? 0 : self == .dueSoon ? 1 : 2 }
    public static func < (a: Urgency, b: Urgency) -> Bool { a.rank < b.rank }

    /// Days before a deadline that it turns yellow. Three working days are about five calendar days.
    public static let warningDays = 5

    /// `daysLeft`: calendar days from today to the deadline (0 = due today, negative = overdue).
    public static func of(daysLeft: Int?) -> Urgency {
        guard let daysLeft else { return .onTrack }
        if daysLeft < 0 { return .overdue }
        return daysLeft <= warningDays ? .dueSoon : .onTrack
    }
}

/// 地方预决算公开操作规程 (财预〔2016〕143号): a department budget is published within 20 days of its approval.
public enum PublicationDeadline {
    public static let days = 20

    /// Days left to publish, counted in calendar days from the day of 批复.
    public static func daysLeft(daysSinceApproval: Int) -> Int { days - daysSinceApproval }
}

/// One piece of waiting work, however its module words it; the 工作台 sorts them overdue first.
public struct WorkOrdering {
    /// Most urgent first; within a colour, the nearest deadline first, then items without one, by title.
    public static func sorted<T>(_ items: [T], urgency: (T) -> Urgency, daysLeft: (T) -> Int?,
                                 title: (T) -> String) -> [T] {
        items.sorted { a, b in
            if urgency(a) != urgency(b) { return urgency(a) < urgency(b) }
            switch (daysLeft(a), daysLeft(b)) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return title(a) < title(b)
            }
        }
    }
}
