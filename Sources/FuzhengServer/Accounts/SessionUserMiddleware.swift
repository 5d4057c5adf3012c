import Fluent
import FuzhengCore
import Vapor

/// Restores the signed-in user from the session, ends idle sessions, and keeps users whose
/// password must change away from everything but the password page.
struct SessionUserMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard req.hasSession, let raw = req.session.data[SessionKey.userID], let userID = UUID(uuidString: raw) else {
            return try await next.respond(to: req)
        }
        let services = req.application.fuzheng
        let now = services.clock.now()
        let lastSeen = req.session.data[SessionKey.lastSeen].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? now
        guard let user = try await UserModel.query(on: req.db).filter(\.$id == userID).with(\.$unit).first(),
              user.isActive, let role = user.role
        else {
            req.session.destroy()
            return try await next.respond(to: req)
        }
        let current = CurrentUser(
            id: userID, username: user.username, displayName: user.displayName, role: role,
            unitCode: user.unit.code, unitName: user.unit.name,
            mustChangePassword: user.mustChangePassword
                || services.config.session.isPasswordExpired(changedAt: user.passwordChangedAt, now: now))
        if services.config.session.isIdleExpired(lastSeen: lastSeen, now: now) {
            let context = AuditContext(userID: userID.uuidString, username: user.username, unitCode: user.unit.code,
                                       clientIP: req.clientIP, requestID: req.id)
            try await services.audit.record(
                AuditEvent(.sessionTimeout, objectType: "session", summary: "idle since \(Int(lastSeen.timeIntervalSince1970))"),
                context: context, on: req.db)
            req.session.destroy()
            req.sessionExpired = true
            return try await next.respond(to: req)
        }
        req.session.data[SessionKey.lastSeen] = String(Int(now.timeIntervalSince1970))
        var withInbox = current
        withInbox.unreadNotifications = try await Notifier.unreadCount(userID: userID, on: req.db)
        req.currentUser = withInbox
        return try await next.respond(to: req)
    }
}

/// Routes behind this need a signed-in user whose password is in order.
struct RequireLoginMiddleware: AsyncMiddleware {
    /// The password page and logout stay reachable while a change is due.
    var allowPendingPasswordChange = false

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard let user = req.currentUser else { throw Redirect.toLogin(req) }
        if user.mustChangePassword && !allowPendingPasswordChange {
            throw Redirect(location: SiteRoute.changePassword.path)
        }
        if req.session.data[SessionKey.enrolTwoFactor] == "1" && !allowPendingPasswordChange {
            throw Redirect(location: SiteRoute.twoFactor.path)
        }
        return try await next.respond(to: req)
    }
}
