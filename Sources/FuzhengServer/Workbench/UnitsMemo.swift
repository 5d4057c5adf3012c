import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The units, read once while a 工作台 is put together: each source used to read all 300 of them for itself (by
/// reflection into Fluent models, about 15 ms a time at county scale). Task-local, so it lives exactly as long as one
/// collection and never serves another request or another database.
final class UnitsMemo: Sendable {
    @TaskLocal static var current: UnitsMemo?

    struct Unit: Sendable, Decodable {
        var id: UUID
        var code: String
        var name: String
        var is_active: Bool
    }

    private let units = NIOLockedValueBox<[Unit]?>(nil)

    /// Every unit, ordered by code: from the memo when one is set, else read now.
    static func all(on db: Database) async throws -> [Unit] {
        if let memo = current, let known = memo.units.withLockedValue({ $0 }) { return known }
        guard let sql = db as? SQLDatabase else { return [] }
        let read = try await sql.raw("SELECT id, code, name, is_active FROM units ORDER BY code")
            .all(decoding: Unit.self)
        current?.units.withLockedValue { $0 = read }
        return read
    }
}
