import Foundation

/// 督办 items of the generated county, the data set the supervision benchmarks run on: each from its own seeded
/// stream, so item `index` is the same on every machine. Items never start after `today`; past deadlines are mostly
/// closed (some late, some still open and red), future ones in hand; a few extensions, some approved too late to
/// count; 建议提案 answered and rated.
extension CountyDocuments {
    public struct GeneratedSupervision: Sendable, Equatable {
        public var unitCode: String
        public var assisting: [String]
        public var source: SupervisionSource
        public var kind: SupervisionKind
        public var title: String
        public var start: CivilDay
        public var deadline: CivilDay
        public var state: SupervisionState
        public var progress: Int
        public var closedOn: CivilDay?
        public var extendedTo: CivilDay?
        public var extensionApprovedOn: CivilDay?
        public var proposer: String
        public var repliedOn: CivilDay?
        public var satisfaction: Satisfaction?
        /// Picks the responsible leader among the county's leaders.
        public var leaderIndex: Int
    }

    public func supervision(_ index: Int, seed: UInt64, units: [Unit], years: [Int],
                            today: CivilDay) -> GeneratedSupervision {
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash("supervision:\(index)"))
        let unit = units[rng.below(units.count)]
        let assisting = rng.chance(percent: 15) ? [units[rng.below(units.count)].code].filter { $0 != unit.code } : []
        let year = years[rng.below(years.count)]
        var start = CivilDay(year: year, month: 1, day: 2).adding(days: rng.below(330))
        let length = 10 + rng.below(110)
        if start > today { start = today.adding(days: -rng.below(90)) }
        let deadline = start.adding(days: length)
        let roll = rng.below(100)
        let source: SupervisionSource = roll < 30 ? .meeting : roll < 55 ? .instruction : roll < 65 ? .workReport
            : roll < 85 ? .superior : roll < 93 ? .npcSuggestion : .cppccProposal
        let kindRoll = rng.below(10)
        let kind: SupervisionKind = kindRoll < 6 ? .general : kindRoll < 9 ? .key : .urgent
        let topic = topics[rng.below(topics.count)]
        let title = source.isProposal ? "关于\(topic)的\(source == .npcSuggestion ? "建议" : "提案")"
            : ["推进\(topic)工作", "落实\(topic)任务", "做好\(topic)有关工作"][rng.below(3)]
        var state = SupervisionState.handling
        var closedOn: CivilDay?
        var progress = rng.below(91)
        if deadline < today {
            if rng.chance(percent: 88) {
                var closed = deadline.adding(days: rng.below(24) - 15)
                if closed < start { closed = start }
                if closed > today { closed = today }
                closedOn = closed
                state = .closed
                progress = 100
            }
        } else if rng.chance(percent: 10) {
            closedOn = min(today, start.adding(days: rng.below(max(1, CivilDay.days(from: start, to: today) + 1))))
            state = .closed
            progress = 100
        } else if rng.chance(percent: 8) {
            state = .assigned
            progress = 0
        }
        var extendedTo: CivilDay?
        var approved: CivilDay?
        if rng.chance(percent: 5) {
            extendedTo = deadline.adding(days: 10 + rng.below(30))
            approved = deadline.adding(days: rng.chance(percent: 80) ? -rng.below(5) : 2)
        }
        var repliedOn: CivilDay?
        var satisfaction: Satisfaction?
        if source.isProposal, let closedOn {
            repliedOn = closedOn
            let s = rng.below(100)
            satisfaction = s < 70 ? .satisfied : s < 95 ? .basically : .dissatisfied
        }
        return GeneratedSupervision(
            unitCode: unit.code, assisting: assisting, source: source, kind: kind, title: title, start: start,
            deadline: deadline, state: state, progress: progress, closedOn: closedOn, extendedTo: extendedTo,
            extensionApprovedOn: approved, proposer: source.isProposal ? "第\(1 + index % 400)号提出人" : "",
            repliedOn: repliedOn, satisfaction: satisfaction, leaderIndex: rng.below(10_000))
    }
}
