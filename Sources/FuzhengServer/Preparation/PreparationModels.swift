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
    /// The message as a string-table key and its arguments (`Message`), so each reader sees it in their language;
    /// `text` keeps it in Chinese for items stored before, and for search.
    @OptionalField(key: "message") var message: String?
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

/// A notification's words as a key of the string tables and its arguments; an argument written "@key" is itself a
/// key (a status, an action), so it too is shown in the reader's language.
struct Message: Codable, Sendable, Equatable {
    var key: String
    var args: [String]

    init(_ key: String, _ args: String...) {
        self.key = key
        self.args = args
    }

    func text(_ l: L10n) -> String {
        l.text(key, args.map { $0.hasPrefix("@") ? l(String($0.dropFirst())) : $0 })
    }

    func encoded() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    static func decoded(_ s: String?) -> Message? {
        s.flatMap { try? JSONDecoder().decode(Message.self, from: Data($0.utf8)) }
    }
}

struct M011NotificationMessages: AsyncMigration {
    var name: String { "M011NotificationMessages" }

    func prepare(on database: Database) async throws {
        try await database.schema(NotificationModel.schema).field("message", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(NotificationModel.schema).deleteField("message").update()
    }
}

enum Notifier {
    /// Notifies every active user with `role` (of `unitCode`, for unit roles; all reviewers for the finance bureau).
    static func notify(role: Role, unitCode: String, message: Message, link: String, at date: Date,
                       on db: Database) async throws {
        let text = message.text(L10n(.zh))
        let encoded = try message.encoded()
        // The role may be a person's main role or one of several (`roles` holds "unit_head:unit;…").
        var query = UserModel.query(on: db).group(.or) {
            $0.filter(\.$roleRaw == role.rawValue)
                .filter(\.$rolesText, .contains(inverse: false, .anywhere), role.rawValue + ":")
        }.filter(\.$isActive == true).with(\.$unit)
        if role != .financeReviewer {
            guard let unit = try await UnitModel.query(on: db).filter(\.$code == unitCode).first() else { return }
            query = query.filter(\.$unit.$id == (try unit.requireID()))
        }
        let users = try await query.all()
        var told = Set<UUID>()
        for user in users {
            let id = try user.requireID()
            told.insert(id)
            try await notify(userID: id, text: text, encoded: encoded, link: link, at: date, on: db)
        }
        // Whoever acts for them now hears it too: the step may well be theirs to take.
        guard !told.isEmpty else { return }
        let standing = try await DelegationModel.query(on: db).filter(\.$delegator.$id ~~ Array(told))
            .filter(\.$startsAt <= date).filter(\.$endsAt > date).filter(\.$revokedAt == nil).all()
        for d in standing where !told.contains(d.$deputy.id) {
            guard d.unitList.isEmpty || Reach.units(Set(d.unitList)).covers(Target(unitCode: unitCode)) else { continue }
            told.insert(d.$deputy.id)
            try await notify(userID: d.$deputy.id, text: text, encoded: encoded, link: link, at: date, on: db)
        }
    }

    /// Notifies one person (a deputy named in a delegation, its delegator when it is revoked).
    static func notify(userID: UUID, message: Message, link: String, at date: Date, on db: Database) async throws {
        try await notify(userID: userID, text: message.text(L10n(.zh)), encoded: message.encoded(), link: link,
                         at: date, on: db)
    }

    private static func notify(userID: UUID, text: String, encoded: String, link: String, at date: Date,
                               on db: Database) async throws {
        let n = NotificationModel()
        n.$user.id = userID
        n.createdAt = date
        n.text = text
        n.message = encoded
        n.link = link
        try await n.create(on: db)
    }

    /// The step an item asked for is done (by whoever did it): every unread item pointing there is settled, for
    /// everyone it went to.
    static func settle(link: String, at date: Date, on db: Database) async throws {
        try await NotificationModel.query(on: db).filter(\.$link == link).filter(\.$readAt == nil)
            .set(\.$readAt, to: date).update()
    }

    /// Settles one person's unread items pointing there (a reader has read; others still have theirs).
    static func settle(link: String, userID: UUID, at date: Date, on db: Database) async throws {
        try await NotificationModel.query(on: db).filter(\.$link == link).filter(\.$user.$id == userID)
            .filter(\.$readAt == nil).set(\.$readAt, to: date).update()
    }

    static func unreadCount(userID: UUID, on db: Database) async throws -> Int {
        try await NotificationModel.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
    }
}

import FuzhengCore
