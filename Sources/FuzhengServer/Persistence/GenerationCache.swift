import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Counters in `cache_generations` (M035) that several app servers share through the database: a write that can
/// change what a cache holds raises its counter inside its own transaction, and a cached value is used only while
/// the counter it was computed at still stands. So no server serves an answer older than the last commit.
enum CacheGenerations {
    static let supervision = "supervision"
    static let execution = "execution"
    static let all = [supervision, execution]

    static func bump(_ name: String, on tx: Database) async throws {
        guard let sql = tx as? SQLDatabase else { return }
        try await sql.raw("UPDATE cache_generations SET value = value + 1 WHERE name = \(bind: name)").run()
    }

    /// The counter now; -1 (never cached) when it cannot be read.
    static func value(_ name: String, on db: Database) async throws -> Int64 {
        guard let sql = db as? SQLDatabase else { return -1 }
        struct G: Decodable { var value: Int64 }
        return try await sql.raw("SELECT value FROM cache_generations WHERE name = \(bind: name)")
            .first(decoding: G.self)?.value ?? -1
    }
}

/// Values computed from the database, kept per app server under a key while their generation stands; at most
/// `maxEntries`, all dropped when full (the keys are periods and reaches: few in practice).
final class GenerationCache<Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[String: (generation: Int64, value: Value)]>([:])
    let name: String
    let maxEntries: Int

    init(_ name: String, maxEntries: Int = 512) {
        self.name = name
        self.maxEntries = maxEntries
    }

    func value(_ key: String, on db: Database, compute: () async throws -> Value) async throws -> Value {
        let generation = try await CacheGenerations.value(name, on: db)
        if generation >= 0, let hit = entries.withLockedValue({ $0[key] }), hit.generation == generation {
            return hit.value
        }
        let value = try await compute()
        entries.withLockedValue { all in
            if all.count >= maxEntries { all.removeAll(keepingCapacity: true) }
            all[key] = (generation, value)
        }
        return value
    }
}

struct M035CacheGenerations: AsyncMigration {
    var name: String { "M035CacheGenerations" }

    func prepare(on database: Database) async throws {
        try await database.schema("cache_generations")
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        guard let sql = database as? SQLDatabase else { return }
        for name in CacheGenerations.all {
            try await sql.raw("INSERT INTO cache_generations (name, value) VALUES (\(bind: name), 0)").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema("cache_generations").delete()
    }
}
