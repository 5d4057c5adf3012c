import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 代理: one row per delegation; it is active while `starts_at <= now < ends_at` and not revoked, so it ends by
/// itself without any job switching it off.
final class DelegationModel: Model, @unchecked Sendable {
    static let schema = "delegations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "delegator_id") var delegator: UserModel
    @Parent(key: "deputy_id") var deputy: UserModel
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    /// Unit or department codes, comma-separated; empty for all the delegator's business.
    @Field(key: "units") var units: String
    @Field(key: "reason") var reason: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}

    var unitList: [String] { units.split(separator: ",").map(String.init) }

    /// The Core value; both users must be loaded.
    var value: Delegation {
        Delegation(delegator: Delegator(username: delegator.username, displayName: delegator.displayName),
                   deputy: deputy.username, starts: startsAt, ends: endsAt, units: unitList, revokedAt: revokedAt)
    }
}

/// Several roles per person, their title and section, and delegation (issue 13).
struct M013PeopleRolesAndDelegation: AsyncMigration {
    var name: String { "M013PeopleRolesAndDelegation" }

    func prepare(on database: Database) async throws {
        try await database.schema(UserModel.schema).field("roles", .string).update()
        try await database.schema(UserModel.schema).field("title", .string).update()
        try await database.schema(UserModel.schema).field("section_code", .string).update()
        try await database.schema(DelegationModel.schema)
            .id()
            .field("delegator_id", .uuid, .required, .references(UserModel.schema, .id))
            .field("deputy_id", .uuid, .required, .references(UserModel.schema, .id))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("units", .string, .required)
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .create()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "delegations_deputy").on(DelegationModel.schema).column("deputy_id").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(DelegationModel.schema).delete()
        for field in ["roles", "title", "section_code"] {
            try await database.schema(UserModel.schema).deleteField(.string(field)).update()
        }
    }
}

enum DelegationQueries {
    /// What a deputy holds for others right now: each active delegation with its delegator's roles and place.
    struct Held: Sendable {
        var delegation: Delegation
        var assignments: [RoleAssignment]
        var unitCode: String
        var sectionCode: String?
    }

    static func held(by deputyID: UUID, at now: Date, on db: Database) async throws -> [Held] {
        try await DelegationModel.query(on: db)
            .filter(\.$deputy.$id == deputyID).filter(\.$startsAt <= now).filter(\.$endsAt > now)
            .filter(\.$revokedAt == nil)
            .with(\.$delegator) { $0.with(\.$unit) }.with(\.$deputy)
            .all()
            .filter { $0.delegator.isActive }
            .map { Held(delegation: $0.value, assignments: $0.delegator.assignments, unitCode: $0.delegator.unit.code,
                        sectionCode: $0.delegator.sectionCode) }
    }

    /// Given and received, newest first, for the person's delegation page.
    static func involving(_ userID: UUID, on db: Database) async throws -> [DelegationModel] {
        try await DelegationModel.query(on: db)
            .group(.or) { $0.filter(\.$delegator.$id == userID).filter(\.$deputy.$id == userID) }
            .with(\.$delegator).with(\.$deputy)
            .sort(\.$startsAt, .descending).limit(50).all()
    }

    /// Delegations of `userID` standing now or later: shown to the delegator on their 工作台.
    static func standing(given userID: UUID, at now: Date, on db: Database) async throws -> [DelegationModel] {
        try await DelegationModel.query(on: db)
            .filter(\.$delegator.$id == userID).filter(\.$endsAt > now).filter(\.$revokedAt == nil)
            .with(\.$delegator).with(\.$deputy).sort(\.$startsAt).all()
    }
}
