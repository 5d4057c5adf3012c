import Foundation

/// A year of treasury payments for the generated county, the data set of the execution benchmark (500,000 rows over
/// 3,000 projects by default). Each project pays at its own pace against its plan (from 55% to 105% of it, so the
/// county page shows every colour), in payments dated along the plan's curve; the rest are 基本支出 (no project)
/// spread over the year. Row `i` of a project and of a unit come from their own seeded streams: the same on every
/// machine.
public enum CountyPayments {
    public struct ProjectInput: Sendable, Equatable {
        public var unitCode: String
        public var code: String
        public var amount: Fen
        public var plan: [SpendingCheckpoint]

        public init(unitCode: String, code: String, amount: Fen, plan: [SpendingCheckpoint]) {
            (self.unitCode, self.code, self.amount, self.plan) = (unitCode, code, amount, plan)
        }
    }

    public struct Payment: Sendable, Equatable {
        public var unitCode: String
        public var projectCode: String
        public var line: String
        public var paidOn: CivilDay
        public var plannedOn: CivilDay?
        public var amount: Fen
        public var economic: String
    }

    /// The share of rows that belong to projects; the others are 基本支出.
    static let projectShare = 60

    /// How many rows each project gets when `total` rows are spread over `projects` projects and `units` units.
    public static func split(total: Int, projects: Int, units: Int) -> (perProject: Int, perUnit: Int) {
        let projectRows = projects > 0 ? total * projectShare / 100 : 0
        let perProject = projects > 0 ? max(1, projectRows / projects) : 0
        let perUnit = units > 0 ? max(0, (total - perProject * projects) / units) : 0
        return (perProject, perUnit)
    }

    /// The day by which the plan expects `basisPoints` of the money (the inverse of `ExecutionProgress.planned`).
    static func day(for basisPoints: Int, year: Int, plan: [SpendingCheckpoint]) -> CivilDay {
        var low = CivilDay(year: year, month: 1, day: 1), high = CivilDay(year: year, month: 12, day: 31)
        while low < high {
            let mid = low.adding(days: CivilDay.days(from: low, to: high) / 2)
            if ExecutionProgress.planned(on: mid, year: year, plan: plan) >= basisPoints { high = mid }
            else { low = mid.adding(days: 1) }
        }
        return low
    }

    /// One project's payments: a pace drawn for it, `count` payments at even steps of its plan's curve.
    public static func project(_ p: ProjectInput, year: Int, count: Int, seed: UInt64) -> [Payment] {
        guard count > 0, p.amount > .zero else { return [] }
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash("payments:\(p.unitCode):\(p.code)"))
        let pace = min(100, rng.uniform(55, 105))
        let total = p.amount.value / 100 * Int64(pace)
        let share = total / Int64(count)
        return (0..<count).map { j in
            let at = (j * 2 + 1) * 10_000 / (count * 2)
            let paid = day(for: at, year: year, plan: p.plan)
            let late = rng.uniform(0, 9) == 0
            let planned = paid.adding(days: late ? -rng.uniform(1, 10) : 0)
            let amount = j == count - 1 ? total - share * Int64(count - 1) : share
            return Payment(unitCode: p.unitCode, projectCode: p.code, line: "项目支出", paidOn: paid,
                           plannedOn: planned.year == year ? planned : paid, amount: Fen(amount), economic: "30299")
        }
    }

    /// A unit's 基本支出 payments: salaries and running costs on days spread over the year.
    public static func basic(unit: String, year: Int, count: Int, seed: UInt64) -> [Payment] {
        guard count > 0 else { return [] }
        var rng = SplitMix64(seed: seed ^ Fuzzer.hash("payments:\(unit):basic"))
        let lines = [("工资福利支出", "30101"), ("办公费", "30201"), ("印刷费", "30202"), ("水电费", "30205"),
                     ("差旅费", "30211"), ("维修（护）费", "30213")]
        return (0..<count).map { j in
            let day = CivilDay(year: year, month: 1, day: 1).adding(days: j * 365 / count)
            let line = lines[rng.uniform(0, lines.count - 1)]
            return Payment(unitCode: unit, projectCode: "", line: line.0, paidOn: day, plannedOn: nil,
                           amount: .yuan(Int64(rng.uniform(200, 60_000))), economic: line.1)
        }
    }
}
