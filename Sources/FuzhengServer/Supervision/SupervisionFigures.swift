import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A period's 督办 figures, kept per app server while no 督办 write happened anywhere (`CacheGenerations`): every
/// write that can move a figure (a step claiming the item's version, a new item) raises the generation, so 50
/// people reading the county's year cost one GROUP BY, not 50 (benchmark of issue 18).
final class SupervisionFiguresCache: Sendable {
    private let cache = GenerationCache<[SupervisionStatistics.Cell]>(CacheGenerations.supervision)

    /// Inside a write's transaction.
    static func bump(on tx: Database) async throws {
        try await CacheGenerations.bump(CacheGenerations.supervision, on: tx)
    }

    /// The figures for a reach (nil: county-wide) through the cache.
    func cells(from: CivilDay, to: CivilDay, reach: Set<String>?, unit: String?, username: String,
               on db: Database) async throws -> [SupervisionStatistics.Cell] {
        let who = reach.map { "\(username)|" + $0.sorted().joined(separator: ",") } ?? "*"
        return try await cache.value("\(from)|\(to)|\(unit ?? "")|\(who)", on: db) {
            try await SupervisionQueries.periodCells(from: from, to: to, reach: reach, unit: unit,
                                                      username: username, on: db)
        }
    }
}
