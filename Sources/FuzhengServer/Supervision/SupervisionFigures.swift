import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A period's 督办 figures, kept per app server while no 督办 write happened anywhere: every write that can move a
/// figure (a step claiming the item's version, a new item) raises the generation in `cache_generations` inside its
/// own transaction, and a cached answer is used only while the generation it was computed at still stands. So a
/// second app server never serves figures older than the last commit, and 50 people reading the county's year cost
/// one GROUP BY, not 50 (benchmark of issue 18).
final class SupervisionFiguresCache: Sendable {
    private let entries = NIOLockedValueBox<[String: (generation: Int64, cells: [SupervisionStatistics.Cell])]>([:])
    static let maxEntries = 512

    static let name = "supervision"

    /// Inside a write's transaction.
    static func bump(on tx: Database) async throws {
        guard let sql = tx as? SQLDatabase else { return }
        try await sql.raw("UPDATE cache_generations SET value = value + 1 WHERE name = \(bind: name)").run()
    }

    static func generation(on db: Database) async throws -> Int64 {
        guard let sql = db as? SQLDatabase else { return -1 }
        struct G: Decodable { var value: Int64 }
        return try await sql.raw("SELECT value FROM cache_generations WHERE name = \(bind: name)")
            .first(decoding: G.self)?.value ?? -1
    }

    /// The figures for a reach (nil: county-wide) through the cache.
    func cells(from: CivilDay, to: CivilDay, reach: Set<String>?, unit: String?, username: String,
               on db: Database) async throws -> [SupervisionStatistics.Cell] {
        let generation = try await Self.generation(on: db)
        let who = reach.map { "\(username)|" + $0.sorted().joined(separator: ",") } ?? "*"
        let key = "\(from)|\(to)|\(unit ?? "")|\(who)"
        if generation >= 0, let hit = entries.withLockedValue({ $0[key] }), hit.generation == generation {
            return hit.cells
        }
        let cells = try await SupervisionQueries.periodCells(from: from, to: to, reach: reach, unit: unit,
                                                              username: username, on: db)
        entries.withLockedValue { all in
            if all.count >= Self.maxEntries { all.removeAll(keepingCapacity: true) }
            all[key] = (generation, cells)
        }
        return cells
    }
}

/// The generation counters of caches that several app servers share through the database.
struct M035CacheGenerations: AsyncMigration {
    var name: String { "M035CacheGenerations" }

    func prepare(on database: Database) async throws {
        try await database.schema("cache_generations")
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO cache_generations (name, value) VALUES (\(bind: SupervisionFiguresCache.name), 0)
            """).run()
    }

    func revert(on database: Database) async throws {
        try await database.schema("cache_generations").delete()
    }
}
