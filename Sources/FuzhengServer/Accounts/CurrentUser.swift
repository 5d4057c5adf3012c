import Foundation
import FuzhengCore
import Vapor

/// The signed-in user as every page and permission check sees it.
public struct CurrentUser: Sendable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var unitCode: String
    public var unitName: String
    /// An initial or reset password, or an expired one: only the password page is open.
    public var mustChangePassword: Bool
    /// Unread in-app notifications, for the badge in the header.
    public var unreadNotifications: Int = 0
    /// 职务, shown beside the name.
    public var title: String = ""
    public var assignments: [RoleAssignment] = []
    public var sectionCode: String?
    /// Every role, scope and active delegation, resolved once per request.
    public var principal: Principal = .anonymous
    /// The delegations this person acts under now (代), for the banner and the audit trail.
    public var actingFor: [Delegation] = []

    init(id: UUID, username: String, displayName: String, role: Role, unitCode: String, unitName: String,
         mustChangePassword: Bool, unreadNotifications: Int = 0) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unitCode = unitCode
        self.unitName = unitName
        self.mustChangePassword = mustChangePassword
        self.unreadNotifications = unreadNotifications
        self.assignments = [RoleAssignment(role: role)]
        self.principal = Principal(role: role, unitCode: unitCode)
    }

    public func holds(_ role: Role) -> Bool { principal.ownRoles.contains(role) }
}

enum SessionKey {
    static let userID = "uid"
    static let lastSeen = "seen"
    static let csrf = "csrf"
    /// Set at login for a user whose role needs a second factor not yet enrolled: only enrolment is open.
    static let enrolTwoFactor = "enrol2fa"
    /// Between a right password and a right code: who, where to go after, and since when.
    static let pendingUserID = "pending_uid"
    static let pendingNext = "pending_next"
    static let pendingSince = "pending_at"
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
    private struct SessionExpiredKey: StorageKey { typealias Value = Bool }

    public var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    var sessionExpired: Bool {
        get { storage[SessionExpiredKey.self] ?? false }
        set { storage[SessionExpiredKey.self] = newValue }
    }

    public var principal: Principal { currentUser?.principal ?? .anonymous }

    /// Least privilege at the door of every protected handler: a denial is audited and answered 403. Allowed only
    /// through someone's delegation, the request acts for them: everything it audits is marked 代.
    public func require(_ permission: Permission) async throws {
        guard currentUser != nil else { throw Redirect.toLogin(self) }
        switch AccessPolicy.decide(principal, permission) {
        case .denied:
            try await audit(AuditEvent(.accessDenied, objectType: "route", objectID: url.path,
                                       summary: String(describing: permission), result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        case .allowed(let delegator):
            if let delegator { actingFor = delegator }
        }
    }

    private struct ActingForKey: StorageKey { typealias Value = Delegator }

    /// Whom this request acts for (代), once a check allowed it only through their delegation.
    public var actingFor: Delegator? {
        get { storage[ActingForKey.self] }
        set { storage[ActingForKey.self] = newValue }
    }

    public func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Redirect.toLogin(self) }
        return user
    }
}

/// Thrown to send a visitor elsewhere; the error middleware turns it into a 303.
struct Redirect: Error {
    var location: String

    static func toLogin(_ req: Request) -> Redirect {
        let next = req.url.path
        var location = SiteRoute.login.path + "?next=" + QueryText.encode(next)
        if req.sessionExpired { location += "&expired=1" }
        return Redirect(location: location)
    }
}
