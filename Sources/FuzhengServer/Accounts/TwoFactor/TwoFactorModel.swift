import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A user's second factor: the TOTP secret sealed with SM4 (SecretBox), the last time step accepted
/// (a code is good once), and the SM3 digests of the unused recovery codes.
final class TwoFactorModel: Model, @unchecked Sendable {
    static let schema = "two_factor"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "secret_sealed") var secretSealed: String
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "last_step") var lastStep: Int64?
    @Field(key: "recovery_digests") var recoveryDigests: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var isConfirmed: Bool { confirmedAt != nil }
    var digests: [String] { recoveryDigests.split(separator: ",").map(String.init) }
}

struct M007CreateTwoFactor: AsyncMigration {
    var name: String { "M007CreateTwoFactor" }

    func prepare(on database: Database) async throws {
        try await database.schema(TwoFactorModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("secret_sealed", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64)
            .field("recovery_digests", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TwoFactorModel.schema).delete()
    }
}

/// The writes that must not race: a code or a recovery code is used at most once, even when two
/// requests carry it at the same moment to two app servers.
enum TwoFactorStore {
    static func find(userID: UUID, on db: Database) async throws -> TwoFactorModel? {
        try await TwoFactorModel.query(on: db).filter(\.$user.$id == userID).first()
    }

    /// Records `step` as used if it is later than the last one; false if someone used it (or a later one) first.
    static func claim(step: Int64, id: UUID, on db: Database) async throws -> Bool {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.update(TwoFactorModel.schema)
            .set("last_step", to: step)
            .where("id", .equal, id)
            .where { $0.where("last_step", .is, SQLLiteral.null).orWhere("last_step", .lessThan, step) }
            .returning("id")
            .all()
        return rows.count == 1
    }

    /// Removes one recovery code's digest if it is still there; false if it was never there or already used.
    static func claimRecovery(digest: String, model: TwoFactorModel, on db: Database) async throws -> Bool {
        guard let sql = db as? SQLDatabase, model.digests.contains(digest) else { return false }
        let remaining = model.digests.filter { $0 != digest }.joined(separator: ",")
        let rows = try await sql.update(TwoFactorModel.schema)
            .set("recovery_digests", to: remaining)
            .where("id", .equal, model.requireID())
            .where("recovery_digests", .equal, model.recoveryDigests)
            .returning("id")
            .all()
        return rows.count == 1
    }
}
