import Fluent
import Foundation

/// One step of a budget's approval path, with its comment: the history shown on the budget page.
final class BudgetEventModel: Model, @unchecked Sendable {
    static let schema = "budget_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: BudgetModel
    @Field(key: "at") var at: Date
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "action") var action: String
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    @Field(key: "comment") var comment: String
    init() {}
}

/// An in-app message to one user: the next actor of a budget, or its preparer when it is sent back.
final class NotificationModel: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "text") var text: String
    @Field(key: "link") var link: String
    @OptionalField(key: "read_at") var readAt: Date?
    init() {}
}

struct M006CreateWorkflowTables: AsyncMigration {
    var name: String { "M006CreateWorkflowTables" }

    func prepare(on database: Database) async throws {
        try await database.schema(BudgetEventModel.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(BudgetModel.schema, .id, onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("action", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("comment", .string, .required)
            .create()
        try await database.schema(NotificationModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("text", .string, .required)
            .field("link", .string, .required)
            .field("read_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(NotificationModel.schema).delete()
        try await database.schema(BudgetEventModel.schema).delete()
    }
}

enum Notifier {
    /// Notifies every active user with `role` (of `unitCode`, for unit roles; all reviewers for the finance bureau).
    static func notify(role: Role, unitCode: String, text: String, link: String, at date: Date, on db: Database) async throws {
        var query = UserModel.query(on: db).filter(\.$roleRaw == role.rawValue).filter(\.$isActive == true).with(\.$unit)
        if role != .financeReviewer {
            guard let unit = try await UnitModel.query(on: db).filter(\.$code == unitCode).first() else { return }
            query = query.filter(\.$unit.$id == (try unit.requireID()))
        }
        for user in try await query.all() {
            let n = NotificationModel()
            n.$user.id = try user.requireID()
            n.createdAt = date
            n.text = text
            n.link = link
            try await n.create(on: db)
        }
    }

    /// The step an item asked for is done (by whoever did it): every unread item pointing there is settled, for
    /// everyone it went to.
    static func settle(link: String, at date: Date, on db: Database) async throws {
        try await NotificationModel.query(on: db).filter(\.$link == link).filter(\.$readAt == nil)
            .set(\.$readAt, to: date).update()
    }

    static func unreadCount(userID: UUID, on db: Database) async throws -> Int {
        try await NotificationModel.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
    }
}

import FuzhengCore
