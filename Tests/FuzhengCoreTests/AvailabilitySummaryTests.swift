import Foundation
@testable import FuzhengCore
import Testing

@Suite("Availability by day")
struct AvailabilitySummaryTests {
    @Test("the one-pass daily figures equal computing each day on its own")
    func byDayMatchesCompute() {
        let start = Date(timeIntervalSince1970: 1_796_054_400 - 8 * 3600)  // a midnight, China Standard Time
        let since = start.addingTimeInterval(1.5 * 86_400 + 37)
        let now = start.addingTimeInterval(4.2 * 86_400)
        var up = Set<Int64>()
        var seed: UInt64 = 7
        for m in AvailabilitySummary.minute(start) - 100..<AvailabilitySummary.minute(start) + 6 * 1440 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            if seed >> 60 != 0 { up.insert(m) }
        }
        let days = AvailabilitySummary.byDay(periodStart: start, days: 6, now: now, monitoringSince: since,
                                             upMinutes: up)
        for (i, day) in days.enumerated() {
            let dayStart = start.addingTimeInterval(TimeInterval(i * 86_400))
            let alone = AvailabilitySummary.compute(periodStart: dayStart, periodEnd: dayStart.addingTimeInterval(86_400),
                                                    now: now, monitoringSince: since, upMinutes: up)
            #expect(day == alone, "day \(i)")
        }
    }
}
