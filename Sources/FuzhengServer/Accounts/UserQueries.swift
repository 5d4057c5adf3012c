import Fluent
import Foundation
import FuzhengCore

struct UserRow: Sendable {
    var username: String
    var displayName: String
    var roleRaw: String
    var rolesText: String?
    var unitCode: String
    var unitName: String
    var isActive: Bool
    var lockedUntil: Date?
    var mustChangePassword: Bool
    var lastLoginAt: Date?
}

enum UserQueries {
    static func row(_ user: UserModel) -> UserRow {
        UserRow(username: user.username, displayName: user.displayName, roleRaw: user.roleRaw,
                rolesText: user.rolesText, unitCode: user.unit.code,
                unitName: user.unit.name, isActive: user.isActive, lockedUntil: user.lockedUntil,
                mustChangePassword: user.mustChangePassword, lastLoginAt: user.lastLoginAt)
    }

    static func search(_ text: String, lockedAt now: Date? = nil, page: Int, perPage: Int,
        on db: Database) async throws -> (items: [UserRow], total: Int) {
        let query = UserModel.query(on: db).with(\.$unit)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            query.group(.or) { group in
                group.filter(\.$username, .contains(inverse: false, .anywhere), trimmed.lowercased())
                group.filter(\.$displayName, .contains(inverse: false, .anywhere), trimmed)
            }
        }
        if let now { query.filter(\.$lockedUntil > now) }
        let total = try await query.count()
        let items = try await query.sort(\.$username).range(((page - 1) * perPage)..<(page * perPage)).all().map(row)
        return (items, total)
    }

    static func find(username: String, on db: Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$username == username).with(\.$unit).first()
    }
}
