import Foundation

/// When a recurring job is due: every `interval` seconds, on boundaries counted in China Standard Time from
/// `offset` after midnight, so "every day at 02:00" and "every 15 minutes" mean what a county expects.
public struct JobSchedule: Sendable, Equatable, CustomStringConvertible {
    public var interval: Int
    public var offset: Int

    /// China Standard Time has no daylight saving: a fixed 8 hours east of UTC.
    public static let chinaOffset = 8 * 3600

    public init(every interval: Int, offset: Int = 0) {
        precondition(interval > 0, "a schedule needs a positive interval")
        self.interval = interval
        self.offset = ((offset % interval) + interval) % interval
    }

    public static func everyMinutes(_ minutes: Int) -> JobSchedule { JobSchedule(every: minutes * 60) }
    public static func daily(hour: Int, minute: Int = 0) -> JobSchedule {
        JobSchedule(every: 86_400, offset: hour * 3600 + minute * 60)
    }

    /// The first boundary strictly after `date`.
    public func nextDue(after date: Date) -> Date {
        let local = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(Self.chinaOffset) - Int64(offset)
        let step = Int64(interval)
        let floor = local >= 0 ? local / step * step : ((local - step + 1) / step) * step
        let next = floor + step
        return Date(timeIntervalSince1970: TimeInterval(next - Int64(Self.chinaOffset) + Int64(offset)))
    }

    public var description: String {
        if interval % 86_400 == 0 {
            return String(format: "每天 %02d:%02d / daily at %02d:%02d", offset / 3600, offset % 3600 / 60,
                          offset / 3600, offset % 3600 / 60)
        }
        if interval == 60 { return "每分钟 / every minute" }
        return "每 \(interval / 60) 分钟 / every \(interval / 60) minutes"
    }
}

/// 平台正常运行率: minutes with a successful probe ÷ minutes observed. A minute without a record counts as down,
/// so a dead host (which records nothing) cannot score 100%.
public struct AvailabilitySummary: Sendable, Equatable {
    /// Minutes from the later of the period's start and the first probe ever, to the earlier of its end and now.
    public var minutesObserved: Int
    public var minutesUp: Int
    public var minutesDown: Int { minutesObserved - minutesUp }

    public init(minutesObserved: Int, minutesUp: Int) {
        self.minutesObserved = minutesObserved
        self.minutesUp = minutesUp
    }

    /// Parts per million, exact (integer) so the page, the metric and the indicator agree.
    public var ratePPM: Int? {
        guard minutesObserved > 0 else { return nil }
        return Int((Int64(minutesUp) * 1_000_000) / Int64(minutesObserved))
    }

    /// "99.93%", rounded down so a fraction of a bad minute never shows as 100%.
    public var percentText: String {
        guard let ppm = ratePPM else { return "—" }
        return "\(ppm / 10_000).\(String(format: "%02d", ppm % 10_000 / 100))%"
    }

    /// `upMinutes` are minute numbers (seconds since 1970 ÷ 60) with a successful probe.
    public static func compute(periodStart: Date, periodEnd: Date, now: Date, monitoringSince: Date?,
                               upMinutes: Set<Int64>) -> AvailabilitySummary {
        guard let since = monitoringSince else { return AvailabilitySummary(minutesObserved: 0, minutesUp: 0) }
        let first = minute(max(periodStart, since))
        let end = minute(min(periodEnd, now))
        guard end > first else { return AvailabilitySummary(minutesObserved: 0, minutesUp: 0) }
        let up = upMinutes.filter { $0 >= first && $0 < end }.count
        return AvailabilitySummary(minutesObserved: Int(end - first), minutesUp: up)
    }

    /// The same figures for each day of a period starting at a midnight of China Standard Time (days of 1,440
    /// minutes: no daylight saving), from one pass over the up minutes instead of one per day.
    public static func byDay(periodStart: Date, days: Int, now: Date, monitoringSince: Date?,
                             upMinutes: Set<Int64>) -> [AvailabilitySummary] {
        let first = minute(periodStart)
        // The same minutes `compute` counts: from monitoring's start, before the current minute.
        let from = max(first, monitoringSince.map(minute) ?? Int64.max)
        let until = minute(now)
        var upPerDay = [Int](repeating: 0, count: days)
        for m in upMinutes where m >= from && m < until {
            let day = Int((m - first) / 1440)
            if day < days { upPerDay[day] += 1 }
        }
        return (0..<days).map { day in
            let start = periodStart.addingTimeInterval(TimeInterval(day * 86_400))
            let observed = compute(periodStart: start, periodEnd: start.addingTimeInterval(86_400), now: now,
                                   monitoringSince: monitoringSince, upMinutes: []).minutesObserved
            return AvailabilitySummary(minutesObserved: observed, minutesUp: upPerDay[day])
        }
    }

    public static func minute(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 60).rounded(.down)) }
}

/// The kinds of incident the project's indicator names (应急处置时效: recovery within 24 h from each).
public enum IncidentKind: String, Sendable, CaseIterable, Codable {
    case attack = "network_attack"
    case virus
    case databaseCorruption = "database_corruption"
    case networkFailure = "network_failure"
    case other

    public var chineseName: String {
        switch self {
        case .attack: "网络攻击"
        case .virus: "病毒"
        case .databaseCorruption: "数据库损坏"
        case .networkFailure: "网络故障"
        case .other: "其他"
        }
    }
}

/// Recovery time of an incident against the 24-hour target of the project's indicator.
public struct IncidentRecovery: Sendable, Equatable {
    public static let targetSeconds = 24 * 3600

    public var seconds: Int?
    public var withinTarget: Bool? { seconds.map { $0 <= Self.targetSeconds } }

    public init(start: Date, end: Date?) {
        seconds = end.map { max(0, Int($0.timeIntervalSince(start).rounded(.down))) }
    }

    public var text: String {
        guard let seconds else { return "处置中 / open" }
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        return "\(hours) 小时 \(minutes) 分 / \(hours) h \(minutes) min"
    }
}
