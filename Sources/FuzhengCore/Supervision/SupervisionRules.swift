import Foundation

/// 督查督办's warning rules, kept as data (`rules/supervision.json`) and printed beside every colour.
public struct SupervisionRules: Sendable, Codable, Equatable {
    /// Yellow from this many working days before the deadline in force.
    public var yellowWorkingDays: Int
    /// Yellow when reported progress trails 序时进度 by more than this many percentage points.
    public var behindPoints: Int
    /// Overdue this many working days: the responsible leader is told.
    public var escalateAfterWorkingDays: Int

    /// 保管期限 of a closed item filed into the archive, by its kind, and the basis printed with it.
    public var retention: [String: String]?

    public init(yellowWorkingDays: Int = 3, behindPoints: Int = 10, escalateAfterWorkingDays: Int = 5,
                retention: [String: String]? = nil) {
        self.yellowWorkingDays = yellowWorkingDays
        self.behindPoints = behindPoints
        self.escalateAfterWorkingDays = escalateAfterWorkingDays
        self.retention = retention
    }

    public func retention(of kind: SupervisionKind) -> (RetentionPeriod, String) {
        let period = retention?[kind.rawValue].flatMap(RetentionPeriod.init) ?? .tenYears
        return (period, retention?["basis"] ?? "")
    }

    public static let shared: SupervisionRules = {
        do {
            return try JSONDecoder().decode(SupervisionRules.self,
                                            from: Catalogs.resource("supervision", "json", "rules"))
        } catch {
            preconditionFailure("rules/supervision.json is missing or malformed: \(error)")
        }
    }()

    /// 序时进度 in whole percent: the share of the working days from 立项 to the deadline that have passed by `today`,
    /// 0 before the start and 100 from the deadline on.
    public func elapsedPercent(start: CivilDay, deadline: CivilDay, today: CivilDay, calendar: WorkingCalendar) -> Int {
        guard today > start else { return 0 }
        guard today < deadline else { return 100 }
        let total = calendar.workingDays(from: start, to: deadline)
        guard total > 0 else { return 100 }
        let passed = calendar.workingDays(from: start, to: today)
        return min(100, max(0, passed * 100 / total))
    }

    public enum Colour: String, Sendable, Codable {
        case green, yellow, red
    }

    /// Why an item has its colour, for the screen beside it.
    public enum Reason: String, Sendable, Codable {
        case onTrack, nearDeadline, behindSchedule, overdue, closed
    }

    /// Red when the deadline in force has passed unclosed; yellow within `yellowWorkingDays` of it or when progress
    /// trails 序时进度 by more than `behindPoints`; green otherwise (and once closed).
    public func colour(start: CivilDay, deadline: CivilDay, progress: Int, closed: Bool, today: CivilDay,
                       calendar: WorkingCalendar) -> (Colour, Reason) {
        if closed { return (.green, .closed) }
        if today > deadline { return (.red, .overdue) }
        if calendar.workingDays(from: today, to: deadline) <= yellowWorkingDays { return (.yellow, .nearDeadline) }
        let expected = elapsedPercent(start: start, deadline: deadline, today: today, calendar: calendar)
        if expected - min(max(progress, 0), 100) > behindPoints { return (.yellow, .behindSchedule) }
        return (.green, .onTrack)
    }

    /// Whether an overdue item is now escalated to its responsible leader.
    public func escalates(deadline: CivilDay, today: CivilDay, calendar: WorkingCalendar) -> Bool {
        today > deadline && calendar.workingDays(from: deadline, to: today) >= escalateAfterWorkingDays
    }
}

/// One 督办 item as the statistics see it.
public struct SupervisedItem: Sendable, Equatable {
    public var id: String
    public var unit: String
    public var deadline: CivilDay
    /// An extension's new deadline and the day it was approved.
    public var extendedTo: CivilDay?
    public var extensionApprovedOn: CivilDay?
    /// The day it was closed (销号); nil while open, and again once reopened.
    public var closedOn: CivilDay?

    public var source: SupervisionSource
    /// 建议提案: the day the 答复 was sent and the verdict on it.
    public var repliedOn: CivilDay?
    public var satisfaction: Satisfaction?

    public init(id: String, unit: String, deadline: CivilDay, extendedTo: CivilDay? = nil,
                extensionApprovedOn: CivilDay? = nil, closedOn: CivilDay? = nil, source: SupervisionSource = .meeting,
                repliedOn: CivilDay? = nil, satisfaction: Satisfaction? = nil) {
        self.id = id
        self.unit = unit
        self.deadline = deadline
        self.extendedTo = extendedTo
        self.extensionApprovedOn = extensionApprovedOn
        self.closedOn = closedOn
        self.source = source
        self.repliedOn = repliedOn
        self.satisfaction = satisfaction
    }

    /// The deadline in force: the extended one only when the extension was approved before the original passed
    /// (on or before it); otherwise the original, and the extension does not excuse lateness.
    public var deadlineInForce: CivilDay {
        if let to = extendedTo, let approved = extensionApprovedOn, approved <= deadline { return to }
        return deadline
    }
}

/// What items add to a period's figures: counts only, so the database can sum them (GROUP BY) and the page never
/// carries the items themselves. One item's tally is Core's definition; SQL's sums are tested against it.
public struct SupervisionTally: Sendable, Equatable {
    /// Deadline in force in the period.
    public var due = 0
    /// Of those, closed as the figures stand (a late closure after the period counts as closed, never on time).
    public var closed = 0
    /// Of those, closed by the deadline in force.
    public var onTime = 0
    /// Of the closed, closed before the period began (shown apart).
    public var early = 0
    /// 建议提案 due in the period; answered by the period's end and the deadline in force; rated; rated 满意 or 基本满意.
    public var proposalsDue = 0
    public var repliedOnTime = 0
    public var rated = 0
    public var satisfied = 0

    public init(due: Int = 0, closed: Int = 0, onTime: Int = 0, early: Int = 0, proposalsDue: Int = 0,
                repliedOnTime: Int = 0, rated: Int = 0, satisfied: Int = 0) {
        (self.due, self.closed, self.onTime, self.early) = (due, closed, onTime, early)
        (self.proposalsDue, self.repliedOnTime, self.rated, self.satisfied) = (proposalsDue, repliedOnTime, rated,
                                                                                 satisfied)
    }

    public static func + (a: Self, b: Self) -> Self {
        Self(due: a.due + b.due, closed: a.closed + b.closed, onTime: a.onTime + b.onTime, early: a.early + b.early,
             proposalsDue: a.proposalsDue + b.proposalsDue, repliedOnTime: a.repliedOnTime + b.repliedOnTime,
             rated: a.rated + b.rated, satisfied: a.satisfied + b.satisfied)
    }
}

extension SupervisedItem {
    /// This item's part in the figures of [from, to]: all zero unless its deadline in force falls in the period.
    public func tally(from: CivilDay, to: CivilDay) -> SupervisionTally {
        let due = deadlineInForce
        guard due >= from && due <= to else { return SupervisionTally() }
        var t = SupervisionTally(due: 1)
        if let closedOn {
            t.closed = 1
            if closedOn <= due { t.onTime = 1 }
            if closedOn < from { t.early = 1 }
        }
        if source.isProposal {
            t.proposalsDue = 1
            if let repliedOn, repliedOn <= to && repliedOn <= due { t.repliedOnTime = 1 }
            if let satisfaction {
                t.rated = 1
                if satisfaction != .dissatisfied { t.satisfied = 1 }
            }
        }
        return t
    }
}

/// 办结率 and 按期办结率 for a period, with their definitions; both at most 100% by construction.
public struct SupervisionRates: Sendable, Equatable {
    /// Items whose deadline in force falls in the period.
    public var due: Int
    /// Of those, closed as the figures stand (a late closure after the period counts as closed, never on time).
    public var closed: Int
    /// Of those, closed by their deadline in force.
    public var onTime: Int
    /// Of the closed, closed before the period began (shown apart).
    public var closedBeforePeriod: Int

    public init(_ t: SupervisionTally) {
        (due, closed, onTime, closedBeforePeriod) = (t.due, t.closed, t.onTime, t.early)
    }

    public static let definitionZh = "应办结：期限（经批准延期的以延期后为准，但延期须在原期限前获批）在统计期内的事项；"
        + "办结率 = 其中截至统计时已办结 ÷ 应办结；按期办结率 = 其中在期限内办结 ÷ 应办结。统计期开始前已办结的事项另列。"

    /// Per ten-thousand, rounded down (shown as 97.50%): never a Double.
    public static func basisPoints(_ part: Int, _ whole: Int) -> Int? {
        guard whole > 0 else { return nil }
        let (product, overflow) = part.multipliedReportingOverflow(by: 10_000)
        return overflow ? nil : product / whole
    }

    public var closedRate: Int? { Self.basisPoints(closed, due) }
    public var onTimeRate: Int? { Self.basisPoints(onTime, due) }

    public static func of(_ items: [SupervisedItem], from: CivilDay, to: CivilDay) -> SupervisionRates {
        SupervisionRates(items.reduce(SupervisionTally()) { $0 + $1.tally(from: from, to: to) })
    }
}

/// A parent task's progress from its sub-tasks: their mean, a closed one counting 100.
public enum ProgressRollUp {
    public static func percent(_ children: [(progress: Int, closed: Bool)]) -> Int {
        guard !children.isEmpty else { return 0 }
        let sum = children.reduce(0) { $0 + ($1.closed ? 100 : min(max($1.progress, 0), 100)) }
        return sum / children.count
    }
}

/// 建议提案's own figures: 按期答复率 = answered by the deadline in force ÷ due in the period; 满意率 = 满意 and 基本满意
/// ÷ those rated.
public struct ProposalRates: Sendable, Equatable {
    public var due: Int
    public var repliedOnTime: Int
    public var rated: Int
    public var satisfied: Int

    public init(_ t: SupervisionTally) {
        (due, repliedOnTime, rated, satisfied) = (t.proposalsDue, t.repliedOnTime, t.rated, t.satisfied)
    }

    public static let definitionZh = "按期答复率 = 期限在统计期内、在期限内答复的建议提案 ÷ 期限在统计期内的建议提案；"
        + "满意率 = 代表委员评价为满意或基本满意的件数 ÷ 已评价件数。"

    public var replyRate: Int? { SupervisionRates.basisPoints(repliedOnTime, due) }
    public var satisfactionRate: Int? { SupervisionRates.basisPoints(satisfied, rated) }

    public static func of(_ items: [SupervisedItem], from: CivilDay, to: CivilDay) -> ProposalRates {
        ProposalRates(items.reduce(SupervisionTally()) { $0 + $1.tally(from: from, to: to) })
    }
}

/// The statistics page and the 通报: county-wide, per lead unit (ranked) and per source, for one period.
public struct SupervisionStatistics: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var key: String
        public var rates: SupervisionRates
    }

    public var county: SupervisionRates
    /// Units with items due, best first: 按期办结率, then 办结率, then more items due, then the code.
    public var units: [Row]
    public var sources: [Row]
    public var proposals: ProposalRates

    /// One lead unit's items of one source, summed: what the database's GROUP BY gives.
    public struct Cell: Sendable, Equatable {
        public var unit: String
        public var source: SupervisionSource
        public var tally: SupervisionTally

        public init(unit: String, source: SupervisionSource, tally: SupervisionTally) {
            (self.unit, self.source, self.tally) = (unit, source, tally)
        }
    }

    /// The cells of a period from items, as SQL would sum them (cells with nothing due left out).
    public static func cells(_ items: [SupervisedItem], from: CivilDay, to: CivilDay) -> [Cell] {
        var sums: [String: [SupervisionSource: SupervisionTally]] = [:]
        for item in items {
            let t = item.tally(from: from, to: to)
            guard t.due > 0 else { continue }
            sums[item.unit, default: [:]][item.source, default: SupervisionTally()] =
                (sums[item.unit]?[item.source] ?? SupervisionTally()) + t
        }
        return sums.flatMap { unit, bySource in bySource.map { Cell(unit: unit, source: $0.key, tally: $0.value) } }
            .sorted { ($0.unit, $0.source.rawValue) < ($1.unit, $1.source.rawValue) }
    }

    public static func make(_ items: [SupervisedItem], from: CivilDay, to: CivilDay) -> SupervisionStatistics {
        make(cells: cells(items, from: from, to: to))
    }

    public static func make(cells: [Cell]) -> SupervisionStatistics {
        let total = cells.reduce(SupervisionTally()) { $0 + $1.tally }
        var byUnit: [String: SupervisionTally] = [:]
        var bySource: [SupervisionSource: SupervisionTally] = [:]
        for c in cells {
            byUnit[c.unit] = (byUnit[c.unit] ?? SupervisionTally()) + c.tally
            bySource[c.source] = (bySource[c.source] ?? SupervisionTally()) + c.tally
        }
        let units = byUnit.map { Row(key: $0.key, rates: SupervisionRates($0.value)) }
            .filter { $0.rates.due > 0 }
            .sorted { a, b in
                let ka = (a.rates.onTimeRate ?? 0, a.rates.closedRate ?? 0, a.rates.due)
                let kb = (b.rates.onTimeRate ?? 0, b.rates.closedRate ?? 0, b.rates.due)
                if ka != kb { return ka > kb }
                return a.key < b.key
            }
        let sources = SupervisionSource.allCases.compactMap { s in
            bySource[s].map { Row(key: s.rawValue, rates: SupervisionRates($0)) }
        }.filter { $0.rates.due > 0 }
        return SupervisionStatistics(county: SupervisionRates(total), units: units, sources: sources,
                                     proposals: ProposalRates(total))
    }

    /// A rate in basis points as people read it: 97.50%, or — when nothing was due.
    public static func percentText(_ bp: Int?) -> String {
        guard let bp else { return "—" }
        let hundredths = bp % 100
        return "\(bp / 100).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }
}
