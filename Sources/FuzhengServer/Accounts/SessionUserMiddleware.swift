import Fluent
import SQLKit
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
        var found = req.storage[SessionUserRow.Key.self].flatMap { $0.id == userID ? $0 : nil }
        if found == nil { found = try await SessionUserRow.query(on: req.db, userID: userID) }
        guard let row = found, row.isActive,
              let role = Role(rawValue: row.role)
        else {
            req.session.destroy()
            return try await next.respond(to: req)
        }
        if services.config.session.isIdleExpired(lastSeen: lastSeen, now: now) {
            let context = AuditContext(userID: userID.uuidString, username: row.username, unitCode: row.unitCode,
                                       clientIP: req.clientIP, requestID: req.id)
            try await services.audit.record(
                AuditEvent(.sessionTimeout, objectType: "session",
                    summary: "idle since \(Int(lastSeen.timeIntervalSince1970))"),
                context: context, on: req.db)
            req.session.destroy()
            req.sessionExpired = true
            return try await next.respond(to: req)
        }
        if req.session.data[SessionKey.lastSeen] == nil
            || services.config.session.shouldRecordLastSeen(lastSeen: lastSeen, now: now) {
            req.session.data[SessionKey.lastSeen] = String(Int(now.timeIntervalSince1970))
        }
        var user = CurrentUser(
            id: userID, username: row.username, displayName: row.displayName, role: role,
            unitCode: row.unitCode, unitName: row.unitName,
            mustChangePassword: row.mustChangePassword
                || services.config.session.isPasswordExpired(changedAt: row.passwordChangedAt, now: now),
            unreadNotifications: row.unreadNotifications)
        user.title = row.title ?? ""
        user.assignments = UserModel.assignments(roles: row.roles, main: row.role)
        user.sectionCode = row.sectionCode
        user.principal = Principal(assignments: user.assignments, unitCode: row.unitCode, sectionCode: row.sectionCode)
        if row.delegationsReceived > 0 {
            for held in try await DelegationQueries.held(by: userID, at: now, on: req.db) {
                user.principal.add(held.delegation, delegatorAssignments: held.assignments,
                                   delegatorUnit: held.unitCode, delegatorSection: held.sectionCode, at: now)
                user.actingFor.append(held.delegation)
            }
        }
        req.currentUser = user
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

/// What every signed-in request needs to know of its user, in one query instead of three model loads.
struct SessionUserRow: Decodable, Sendable {
    struct Key: StorageKey { typealias Value = SessionUserRow }

    var id: UUID?
    var username: String
    var displayName: String
    var role: String
    var isActive: Bool
    var mustChangePassword: Bool
    var passwordChangedAt: Date?
    var unitCode: String
    var unitName: String
    var unreadNotifications: Int
    var roles: String?
    var title: String?
    var sectionCode: String?
    /// Delegations naming this user as deputy that are not revoked: only then is the delegation table read.
    var delegationsReceived: Int = 0

    // Spelled out: a key-decoding strategy converts every column name on every row (measured: 6% of a page).
    enum CodingKeys: String, CodingKey {
        case id, username, role
        case displayName = "display_name", isActive = "is_active", mustChangePassword = "must_change_password"
        case passwordChangedAt = "password_changed_at", unitCode = "unit_code", unitName = "unit_name"
        case unreadNotifications = "unread_notifications"
        case roles, title, sectionCode = "section_code", delegationsReceived = "delegations_received"
    }

    static func query(on db: any Database, userID: UUID) async throws -> SessionUserRow? {
        guard let sql = db as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "the session user query needs an SQL database")
        }
        return try await sql.raw("""
            SELECT u.id, u.username, u.display_name, u.role, u.is_active, u.must_change_password, u.password_changed_at,
                   u.roles, u.title, u.section_code, un.code AS unit_code, un.name AS unit_name,
                   (SELECT count(*) FROM delegations d WHERE d.deputy_id = u.id AND d.revoked_at IS NULL)
                       AS delegations_received,
                   (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)
                       AS unread_notifications
            FROM users u JOIN units un ON un.id = u.unit_id
            WHERE u.id = \(bind: userID)
            """).first(decoding: SessionUserRow.self)
    }
}

extension SessionUserRow {
    /// The session's data and, when it names a user who exists, that user: one round trip.
    struct WithSession: Sendable {
        var data: SessionData
        var user: SessionUserRow?
    }

    private struct Joined: Decodable {
        var data: SessionData
        var id: UUID?
        var username: String?
        var displayName: String?
        var role: String?
        var isActive: Bool?
        var mustChangePassword: Bool?
        var passwordChangedAt: Date?
        var unitCode: String?
        var unitName: String?
        var unreadNotifications: Int?
        var roles: String?
        var title: String?
        var sectionCode: String?
        var delegationsReceived: Int?

        enum CodingKeys: String, CodingKey {
            case roles, title, sectionCode = "section_code", delegationsReceived = "delegations_received"
            case data, id, username, role
            case displayName = "display_name", isActive = "is_active", mustChangePassword = "must_change_password"
            case passwordChangedAt = "password_changed_at", unitCode = "unit_code", unitName = "unit_name"
            case unreadNotifications = "unread_notifications"
        }
    }

    static func withSession(_ key: String, on sql: any SQLDatabase) async throws -> WithSession? {
        // The session names its user in its JSON; each dialect reads it its own way (PostgreSQL casts only a
        // well-formed id, so a tampered value cannot fail the query).
        let uid = sql.dialect.name == "postgresql"
            ? "CASE WHEN s.data->>'uid' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "
                + "THEN (s.data->>'uid')::uuid END"
            : "json_extract(s.data, '$.uid')"
        let query: SQLQueryString = """
            SELECT s.data, u.id, u.username, u.display_name, u.role, u.is_active, u.must_change_password,
                   u.password_changed_at, u.roles, u.title, u.section_code, un.code AS unit_code, un.name AS unit_name,
                   (SELECT count(*) FROM delegations d WHERE d.deputy_id = u.id AND d.revoked_at IS NULL)
                       AS delegations_received,
                   (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)
                       AS unread_notifications
            FROM _fluent_sessions s LEFT JOIN users u ON u.id = \(unsafeRaw: uid) LEFT JOIN units un ON un.id = u.unit_id
            WHERE s.key = \(bind: key)
            """
        guard let row = try await sql.raw(query)
            .first(decoding: Joined.self) else { return nil }
        guard let username = row.username, let role = row.role, let unitCode = row.unitCode, let unitName = row.unitName
        else { return WithSession(data: row.data, user: nil) }
        return WithSession(data: row.data, user: SessionUserRow(
            id: row.id, username: username, displayName: row.displayName ?? "", role: role,
            isActive: row.isActive ?? false, mustChangePassword: row.mustChangePassword ?? true,
            passwordChangedAt: row.passwordChangedAt, unitCode: unitCode, unitName: unitName,
            unreadNotifications: row.unreadNotifications ?? 0, roles: row.roles, title: row.title,
            sectionCode: row.sectionCode, delegationsReceived: row.delegationsReceived ?? 0))
    }
}
