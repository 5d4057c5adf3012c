import Fluent
import Foundation
import FuzhengCore

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var roleRaw: String
    /// Every role with its scope (Core `RoleAssignments.encode`); nil: the main role with its default scope.
    @OptionalField(key: "roles") var rolesText: String?
    /// 职务: 县长, 副县长, 科长 …
    @OptionalField(key: "title") var title: String?
    /// Where reminders go outside the platform (M021); nil: the in-app inbox only.
    @OptionalField(key: "email") var email: String?
    /// The office section (a `bodies` code) the person works in, for section-scoped roles.
    @OptionalField(key: "section_code") var sectionCode: String?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    @Field(key: "failed_attempts") var failedAttempts: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: Role,
         unitID: UUID, mustChangePassword: Bool, passwordChangedAt: Date?) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roleRaw = role.rawValue
        self.$unit.id = unitID
        self.isActive = true
        self.mustChangePassword = mustChangePassword
        self.passwordChangedAt = passwordChangedAt
        self.failedAttempts = 0
        self.lockedUntil = nil
        self.lastLoginAt = nil
    }

    var role: Role? { Role(rawValue: roleRaw) }

    var assignments: [RoleAssignment] {
        get { Self.assignments(roles: rolesText, main: roleRaw) }
        set {
            rolesText = RoleAssignments.encode(newValue)
            if let first = newValue.first { roleRaw = first.role.rawValue }
        }
    }

    static func assignments(roles: String?, main: String) -> [RoleAssignment] {
        if let roles, let decoded = RoleAssignments.decode(roles) { return decoded }
        return Role(rawValue: main).map { [RoleAssignment(role: $0)] } ?? []
    }

    var lockoutState: LockoutPolicy.State {
        get { .init(consecutiveFailures: failedAttempts, lockedUntil: lockedUntil) }
        set {
            failedAttempts = newValue.consecutiveFailures
            lockedUntil = newValue.lockedUntil
        }
    }

    var auditSummary: String {
        "username=\(username); name=\(displayName); roles=\(RoleAssignments.encode(assignments)); "
            + "title=\(title ?? ""); section=\(sectionCode ?? ""); email=\(email ?? ""); active=\(isActive)"
    }
}
