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

    public var principal: Principal { Principal(role: role, unitCode: unitCode) }
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

    /// Least privilege at the door of every protected handler: a denial is audited and answered 403.
    public func require(_ permission: Permission) async throws {
        guard currentUser != nil else { throw Redirect.toLogin(self) }
        guard AccessPolicy.allows(principal, permission) else {
            try await audit(AuditEvent(.accessDenied, objectType: "route", objectID: url.path,
                                       summary: String(describing: permission), result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
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
