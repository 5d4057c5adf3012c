import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The statistics page: one period's figures for the items a person reaches (county-wide for the 督查室 and the
/// principal leaders), per unit ranked and per source, each figure linked to the items behind it.
struct SupervisionStatsPage: Sendable {
    var from: CivilDay
    var to: CivilDay
    var unit: String
    var statistics: SupervisionStatistics
    var names: [String: String]
    var presets: [(key: String, from: CivilDay, to: CivilDay)]
    var canBulletin: Bool
    var openCount: Int
    /// The whole ranking, or its head and tail: 300 rows are long on a phone and most of the page's rendering.
    var wholeRanking = false

    static let rankingHead = 20
    static let rankingTail = 10

    /// The ranked rows shown, with the rank of each; a gap between head and tail when the ranking is cut.
    var shownUnits: [(rank: Int, row: SupervisionStatistics.Row)] {
        let all = statistics.units.enumerated().map { (rank: $0.offset + 1, row: $0.element) }
        guard !wholeRanking, all.count > Self.rankingHead + Self.rankingTail else { return all }
        return Array(all.prefix(Self.rankingHead)) + Array(all.suffix(Self.rankingTail))
    }

    /// A period from a link: both days valid and in order, at most five years long; otherwise this month.
    static func period(from: String?, to: String?, today: CivilDay) -> (CivilDay, CivilDay) {
        let month = monthOf(today)
        guard let a = from.flatMap(DayInput.iso).flatMap(CivilDay.init),
              let b = to.flatMap(DayInput.iso).flatMap(CivilDay.init), a <= b, CivilDay.days(from: a, to: b) <= 1_830
        else { return month }
        return (a, b)
    }

    static func monthOf(_ d: CivilDay) -> (CivilDay, CivilDay) {
        let first = CivilDay(year: d.year, month: d.month, day: 1)
        let next = d.month == 12 ? CivilDay(year: d.year + 1, month: 1, day: 1)
            : CivilDay(year: d.year, month: d.month + 1, day: 1)
        return (first, next.adding(days: -1))
    }

    static func presets(today: CivilDay) -> [(key: String, from: CivilDay, to: CivilDay)] {
        let this = monthOf(today)
        let last = monthOf(this.0.adding(days: -1))
        let q = (today.month - 1) / 3
        let quarter = (CivilDay(year: today.year, month: q * 3 + 1, day: 1),
                       monthOf(CivilDay(year: today.year, month: q * 3 + 3, day: 1)).1)
        return [("thisMonth", this.0, this.1), ("lastMonth", last.0, last.1), ("quarter", quarter.0, quarter.1),
                ("year", CivilDay(year: today.year, month: 1, day: 1), CivilDay(year: today.year, month: 12, day: 31))]
    }

    static func query(on db: Database, figures: SupervisionFiguresCache, user: CurrentUser,
                      from: CivilDay, to: CivilDay, unit: String, today: CivilDay,
                      wholeRanking: Bool = false) async throws -> SupervisionStatsPage {
        let reach = try await SupervisionQueries.reach(user.principal, on: db)
        let cells = try await figures.cells(from: from, to: to, reach: reach,
                                                             unit: unit.isEmpty ? nil : unit,
                                                             username: user.username, on: db)
        var open = 0
        if let sql = db as? SQLDatabase {
            struct Count: Decodable { var n: Int }
            open = try await SupervisionQueries.restrict(
                sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                    .from(SupervisionItemModel.schema).where("state", .in, SupervisionQueries.openStates)
                    .where("has_children", .equal, false), reach: reach, username: user.username)
                .first(decoding: Count.self)?.n ?? 0
        }
        return SupervisionStatsPage(from: from, to: to, unit: unit,
                                    statistics: .make(cells: cells),
                                    names: try await SupervisionQueries.unitNames(on: db),
                                    presets: presets(today: today),
                                    canBulletin: SupervisionQueries.supervises(user.principal), openCount: open,
                                    wholeRanking: wholeRanking)
    }
}
