import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The second factor (TOTP, RFC 6238): required for the three administrators and the roles in
/// FUZHENG_2FA_ROLES, open to anyone else who wants it. Enrolment shows a QR code drawn on the server; a
/// code counts once; ten recovery codes stand in for a lost phone.
enum TwoFactorController {
    static let issuer = "辅政"
    /// How long a right password waits for its code.
    static let pendingLifetime: TimeInterval = 5 * 60

    static func isRequired(_ user: UserModel, config: AppConfig) -> Bool {
        user.role.map { config.twoFactorRoles.contains($0) } ?? false
    }

    static func mustEnrol(_ req: Request, user: UserModel) async throws -> Bool {
        guard isRequired(user, config: req.application.fuzheng.config) else { return false }
        return try await TwoFactorStore.find(userID: user.requireID(), on: req.db)?.isConfirmed != true
    }

    /// After a right password: when the user has a confirmed second factor, the session remembers who is
    /// half-way in and the browser goes to the code form; nil when no second step is needed.
    static func beginSecondStep(_ req: Request, user: UserModel, next: String?) async throws -> Response? {
        guard let factor = try await TwoFactorStore.find(userID: user.requireID(), on: req.db), factor.isConfirmed
        else { return nil }
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        var data = SessionData()
        data[SessionKey.pendingUserID] = try user.requireID().uuidString
        data[SessionKey.pendingNext] = RedirectPolicy.sameOriginPath(next)
        data[SessionKey.pendingSince] = String(Int(req.now.timeIntervalSince1970))
        req.session.data = data
        _ = req.csrfToken
        return req.redirect(within: SiteRoute.loginVerify.path)
    }

    static func pendingUser(_ req: Request) async throws -> UserModel? {
        guard let id = req.session.data[SessionKey.pendingUserID].flatMap(UUID.init(uuidString:)),
              let since = req.session.data[SessionKey.pendingSince].flatMap(Double.init),
              req.now.timeIntervalSince1970 - since <= pendingLifetime
        else { return nil }
        return try await UserModel.query(on: req.db).filter(\.$id == id).with(\.$unit).first()
    }

    static func showVerify(req: Request) async throws -> Response {
        guard try await pendingUser(req) != nil else { return req.redirect(within: SiteRoute.login.path) }
        return TwoFactorView.verify(req.pageContext(withForm: true))
    }

    struct CodeForm: Content {
        var code: String?
    }

    static func verify(req: Request) async throws -> Response {
        guard let user = try await pendingUser(req), user.isActive else {
            req.session.destroy()
            return req.redirect(within: SiteRoute.login.path + "?expired=1")
        }
        let services = req.application.fuzheng
        let l = req.l10n
        let typed = (try req.content.decode(CodeForm.self).code ?? "").trimmingCharacters(in: .whitespaces)
        let context = AuditContext(userID: user.id?.uuidString, username: user.username, unitCode: user.unit.code,
                                   clientIP: req.clientIP, requestID: req.id)
        if case .tooManyForAccount = services.loginThrottle.attempt(address: req.clientIP ?? "unknown",
                                                                     username: "2fa:" + user.username, at: req.now) {
            return TwoFactorView.verify(req.pageContext(withForm: true), error: l("login.error.throttled", "5"),
                                        status: .tooManyRequests)
        }
        guard let factor = try await TwoFactorStore.find(userID: user.requireID(), on: req.db),
              let box = services.secretBox
        else { throw Abort(.serviceUnavailable) }
        let accepted: String?
        if typed.filter(\.isNumber).count == 6 && typed.count <= 7 {
            accepted = try await acceptCode(typed, factor: factor, box: box, at: req.now, on: req.db) ? "totp" : nil
        } else {
            let digest = RecoveryCodes.digest(typed)
            accepted = try await TwoFactorStore.claimRecovery(digest: digest, model: factor, on: req.db)
                ? "recovery code" : nil
        }
        guard let method = accepted else {
            try await services.audit.record(AuditEvent(.loginFailure, objectType: "user", objectID: user.username,
                                                       summary: "wrong second factor", result: .failure),
                                            context: context, on: req.db)
            return TwoFactorView.verify(req.pageContext(withForm: true), error: l("2fa.error.code"),
                                        status: .unauthorized)
        }
        let next = req.session.data[SessionKey.pendingNext]
        return try await AuthController.startSession(req, user: user, next: next, context: context,
                                                     summary: "password and \(method)")
    }

    /// True when the code is right for this moment and its time step had not been used.
    static func acceptCode(_ code: String, factor: TwoFactorModel, box: SecretBox, at now: Date,
                           on db: Database) async throws -> Bool {
        guard let secret = try? box.open(Array(Data(base64Encoded: factor.secretSealed) ?? Data())),
              let step = TOTP(secret: secret).verify(code, at: now, lastUsedStep: factor.lastStep)
        else { return false }
        return try await TwoFactorStore.claim(step: step, id: factor.requireID(), on: db)
    }

    // MARK: Enrolment

    static func showEnrolment(req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard let user = try await UserModel.find(current.id, on: req.db) else { throw Abort(.notFound) }
        let required = isRequired(user, config: req.application.fuzheng.config)
        if let factor = try await TwoFactorStore.find(userID: current.id, on: req.db), factor.isConfirmed {
            return TwoFactorView.status(req.pageContext(), remaining: factor.digests.count, required: required)
        }
        let (factor, secret) = try await pendingEnrolment(req, userID: current.id)
        _ = factor
        return try TwoFactorView.enrol(req.pageContext(), username: current.username, secret: secret, required: required)
    }

    /// The unconfirmed secret of this user, made (and sealed) the first time the page is opened.
    static func pendingEnrolment(_ req: Request, userID: UUID) async throws -> (TwoFactorModel, [UInt8]) {
        guard let box = req.application.fuzheng.secretBox else { throw Abort(.serviceUnavailable) }
        if let factor = try await TwoFactorStore.find(userID: userID, on: req.db),
           let secret = try? box.open(Array(Data(base64Encoded: factor.secretSealed) ?? Data())) {
            return (factor, secret)
        }
        let secret = TOTP.newSecret()
        let factor = try await TwoFactorStore.find(userID: userID, on: req.db) ?? TwoFactorModel()
        factor.$user.id = userID
        factor.secretSealed = Data(box.seal(secret)).base64EncodedString()
        factor.recoveryDigests = ""
        factor.confirmedAt = nil
        factor.lastStep = nil
        try await factor.save(on: req.db)
        return (factor, secret)
    }

    static func confirmEnrolment(req: Request) async throws -> Response {
        let current = try req.requireUser()
        let l = req.l10n
        let code = try req.content.decode(CodeForm.self).code ?? ""
        let (factor, secret) = try await pendingEnrolment(req, userID: current.id)
        guard !factor.isConfirmed, let step = TOTP(secret: secret).verify(code, at: req.now, lastUsedStep: nil) else {
            return try TwoFactorView.enrol(req.pageContext(), username: current.username, secret: secret,
                                           required: req.session.data[SessionKey.enrolTwoFactor] == "1",
                                           error: l("2fa.error.code"), status: .unprocessableEntity)
        }
        let codes = RecoveryCodes.generate()
        let now = req.now
        try await req.audited { tx, audit in
            factor.confirmedAt = now
            factor.lastStep = step
            factor.recoveryDigests = codes.map(RecoveryCodes.digest).joined(separator: ",")
            try await factor.save(on: tx)
            audit.add(AuditEvent(.create, objectType: "two_factor", objectID: current.username,
                                 summary: "TOTP enrolled with 10 recovery codes"))
        }
        req.session.data[SessionKey.enrolTwoFactor] = nil
        return TwoFactorView.recoveryCodes(req.pageContext(), codes: codes)
    }

    /// `fuzheng security reset-2fa USER`: for an administrator who lost the phone and the recovery codes.
    static func reset(username: String, on app: Application) async throws -> Bool {
        guard let user = try await UserQueries.find(username: username, on: app.db),
              let factor = try await TwoFactorStore.find(userID: user.requireID(), on: app.db) else { return false }
        let context = AuditContext(userID: nil, username: "cli", unitCode: nil, clientIP: "local", requestID: nil)
        try await app.fuzheng.audit.transaction(on: app.db, context: context) { tx, audit in
            try await factor.delete(on: tx)
            audit.add(AuditEvent(.delete, objectType: "two_factor", objectID: username,
                                 summary: "second factor reset from the command line"))
        }
        return true
    }
}
