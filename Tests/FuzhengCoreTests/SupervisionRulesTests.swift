import Foundation
@testable import FuzhengCore
import Testing

@Suite("督查督办 (issue 18, start): colours, 序时进度, rates with extensions, reopened and early items, roll-up")
struct SupervisionRulesTests {
    let cal = WorkingCalendar.shared
    let rules = SupervisionRules.shared

    func day(_ m: Int, _ d: Int, _ y: Int = 2024) -> CivilDay { CivilDay(year: y, month: m, day: d) }

    @Test("Rules come from the data file with the issue's defaults")
    func defaults() {
        #expect(rules.yellowWorkingDays == 3 && rules.behindPoints == 10 && rules.escalateAfterWorkingDays == 5)
        #expect(rules.retention(of: .general).0 == .tenYears && rules.retention(of: .key).0 == .thirtyYears)
    }

    @Test("序时进度 by working days: 0 at the start, 100 at the deadline, holidays not counted")
    func elapsed() {
        // 2024-09-30 (Mon) to 2024-10-14 (Mon): 国庆 1–7 October off, 9/29 and 10/12 worked.
        let start = day(9, 30), deadline = day(10, 14)
        #expect(rules.elapsedPercent(start: start, deadline: deadline, today: start, calendar: cal) == 0)
        #expect(rules.elapsedPercent(start: start, deadline: deadline, today: day(10, 7), calendar: cal) == 0)
        #expect(rules.elapsedPercent(start: start, deadline: deadline, today: deadline, calendar: cal) == 100)
        let mid = rules.elapsedPercent(start: start, deadline: deadline, today: day(10, 10), calendar: cal)
        #expect(mid == cal.workingDays(from: start, to: day(10, 10)) * 100 / cal.workingDays(from: start, to: deadline))
        #expect(mid > 0 && mid < 100)
    }

    @Test("Red overdue, yellow near the deadline or behind 序时进度, green otherwise and once closed")
    func colours() {
        let start = day(3, 1), deadline = day(3, 29)
        #expect(rules.colour(start: start, deadline: deadline, progress: 0, closed: false, today: day(3, 30),
                             calendar: cal) == (.red, .overdue))
        #expect(rules.colour(start: start, deadline: deadline, progress: 90, closed: false, today: day(3, 26),
                             calendar: cal) == (.yellow, .nearDeadline))
        #expect(rules.colour(start: start, deadline: deadline, progress: 10, closed: false, today: day(3, 15),
                             calendar: cal) == (.yellow, .behindSchedule))
        #expect(rules.colour(start: start, deadline: deadline, progress: 50, closed: false, today: day(3, 15),
                             calendar: cal) == (.green, .onTrack))
        #expect(rules.colour(start: start, deadline: deadline, progress: 0, closed: true, today: day(4, 30),
                             calendar: cal) == (.green, .closed))
        #expect(!rules.escalates(deadline: deadline, today: day(4, 3), calendar: cal))
        #expect(rules.escalates(deadline: deadline, today: day(4, 10), calendar: cal))
    }

    @Test("Rates: extensions count only when approved in time; reopened items are open; early closures shown apart")
    func rates() {
        let items = [
            SupervisedItem(id: "on-time", unit: "a", deadline: day(5, 10), closedOn: day(5, 8)),
            SupervisedItem(id: "late", unit: "a", deadline: day(5, 10), closedOn: day(5, 20)),
            // Extended before the original passed: judged by the new deadline, and it moves out of May.
            SupervisedItem(id: "extended", unit: "a", deadline: day(5, 15), extendedTo: day(6, 15),
                           extensionApprovedOn: day(5, 14), closedOn: day(6, 10)),
            // Extension approved after the original passed: the original stays in force.
            SupervisedItem(id: "extended-late", unit: "a", deadline: day(5, 15), extendedTo: day(6, 15),
                           extensionApprovedOn: day(5, 20), closedOn: day(5, 30)),
            SupervisedItem(id: "reopened", unit: "b", deadline: day(5, 25), closedOn: nil),
            SupervisedItem(id: "early", unit: "b", deadline: day(5, 5), closedOn: day(4, 20)),
            SupervisedItem(id: "june", unit: "b", deadline: day(6, 5), closedOn: day(5, 1)),
            // Due in May, closed (late) in June: closed as the figures stand now, never on time.
            SupervisedItem(id: "after", unit: "b", deadline: day(5, 28), closedOn: day(6, 3)),
        ]
        let may = SupervisionRates.of(items, from: day(5, 1), to: day(5, 31))
        func ids(_ part: (SupervisionTally) -> Int) -> Set<String> {
            Set(items.filter { part($0.tally(from: day(5, 1), to: day(5, 31))) == 1 }.map(\.id))
        }
        #expect(ids(\.due) == ["on-time", "late", "extended-late", "reopened", "early", "after"])
        #expect(ids(\.closed) == ["on-time", "late", "extended-late", "early", "after"])
        #expect(ids(\.onTime) == ["on-time", "early"])
        #expect(ids(\.early) == ["early"] && may.due == 6 && may.closedBeforePeriod == 1)
        #expect(may.closedRate == 8_333 && may.onTimeRate == 3_333)
        let june = SupervisionRates.of(items, from: day(6, 1), to: day(6, 30))
        #expect(june.due == 2 && june.onTimeRate == 10_000)
        #expect(SupervisionRates.of([], from: day(1, 1), to: day(1, 31)).closedRate == nil)
        // Never above 100%, whatever the data.
        for seed in 0..<200 {
            var rng = SplitMix64(seed: UInt64(seed))
            let random = (0..<20).map { i -> SupervisedItem in
                let deadline = day(1, 1).adding(days: rng.below(120))
                return SupervisedItem(id: "\(i)", unit: "u", deadline: deadline,
                                      extendedTo: rng.below(3) == 0 ? deadline.adding(days: rng.below(30)) : nil,
                                      extensionApprovedOn: deadline.adding(days: rng.below(10) - 5),
                                      closedOn: rng.below(4) == 0 ? nil : day(1, 1).adding(days: rng.below(150)))
            }
            let r = SupervisionRates.of(random, from: day(2, 1), to: day(3, 31))
            #expect((r.closedRate ?? 0) <= 10_000 && (r.onTimeRate ?? 0) <= (r.closedRate ?? 0))
        }
    }

    @Test("A parent's progress is its sub-tasks' mean, a closed one counting 100")
    func rollUp() {
        #expect(ProgressRollUp.percent([(50, false), (0, false), (30, true)]) == 50)
        #expect(ProgressRollUp.percent([]) == 0)
        #expect(ProgressRollUp.percent([(250, false), (-5, false)]) == 50)
    }
}
