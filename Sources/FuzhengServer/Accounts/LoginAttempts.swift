import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Failed-login counting done by the database itself, so concurrent attempts on several app servers
/// cannot all read "0 failures" and all be let through.
enum LoginAttempts {
    /// Counts one attempt against the account and returns its number (1 = first since the last success),
    /// or nil when the account is locked or the threshold's worth of attempts are already under way.
    static func reserve(userID: UUID, policy: LockoutPolicy, at now: Date, on db: Database) async throws -> Int? {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        // An expired lock starts a fresh count.
        try await sql.update(UserModel.schema)
            .set("failed_attempts", to: 0).set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, userID).where("locked_until", .lessThanOrEqual, now)
            .run()
        let rows = try await sql.update(UserModel.schema)
            .set(SQLIdentifier("failed_attempts"),
                 to: SQLBinaryExpression(left: SQLIdentifier("failed_attempts"), op: SQLBinaryOperator.add,
                                         right: SQLLiteral.numeric("1")))
            .where("id", .equal, userID)
            .where("locked_until", .is, SQLLiteral.null)
            .where("failed_attempts", .lessThan, policy.maximumFailures)
            .returning("failed_attempts")
            .all()
        return try rows.first?.decode(column: "failed_attempts", as: Int.self)
    }

    /// Sets the lock (`until`) or, with nil after a success, clears it; the count starts again either way.
    static func lock(userID: UUID, until: Date?, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        try await sql.update(UserModel.schema)
            .set("failed_attempts", to: 0)
            .set(SQLIdentifier("locked_until"), to: until.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("id", .equal, userID)
            .run()
    }
}
