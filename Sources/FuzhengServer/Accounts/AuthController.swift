import Fluent
import FuzhengCore
import Plot
import Vapor

/// Login, logout and password change.
enum AuthController {
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    static func showLogin(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(within: SiteRoute.home.path) }
        let notice: String? = (try? req.query.get(String.self, at: "expired")) == "1" ? req.l10n("login.expired") : nil
        let next = (try? req.query.get(String.self, at: "next")) ?? ""
        return LoginView.render(req.pageContext(withForm: true), form: .init(next: next), notice: notice)
    }

    static func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let l = req.l10n
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form.password ?? ""
        var fieldErrors: [String: String] = [:]
        if username.isEmpty { fieldErrors["username"] = l("login.error.usernameRequired") }
        if password.isEmpty { fieldErrors["password"] = l("login.error.passwordRequired") }
        guard fieldErrors.isEmpty else {
            return LoginView.render(req.pageContext(withForm: true), form: form, fieldErrors: fieldErrors, status: .unprocessableEntity)
        }

        let services = req.application.fuzheng
        let now = services.clock.now()
        let policy = services.config.lockout
        let failure = { (message: String) in
            LoginView.render(req.pageContext(withForm: true), form: LoginForm(username: username, next: form.next),
                             error: message, status: .unauthorized)
        }
        let attempted = AuditContext(userID: nil, username: username, unitCode: nil, clientIP: req.clientIP, requestID: req.id)

        guard let user = try await UserModel.query(on: req.db).filter(\.$username == username).with(\.$unit).first(),
              user.isActive
        else {
            try await services.audit.record(AuditEvent(.loginFailure, objectType: "user", objectID: username,
                                                       summary: "unknown or inactive account", result: .failure),
                                            context: attempted, on: req.db)
            return failure(l("login.error.invalid"))
        }
        let context = AuditContext(userID: user.id?.uuidString, username: user.username, unitCode: user.unit.code,
                                   clientIP: req.clientIP, requestID: req.id)
        if policy.isLocked(user.lockoutState, at: now) {
            try await services.audit.record(AuditEvent(.loginFailure, objectType: "user", objectID: username,
                                                       summary: "account locked", result: .denied),
                                            context: context, on: req.db)
            return failure(l("login.error.locked", minutesUntil(user.lockedUntil, now)))
        }
        let valid = (try? Bcrypt.verify(password, created: user.passwordHash)) ?? false
        guard valid else {
            let (next, didLock) = policy.recordingFailure(user.lockoutState, at: now)
            try await services.audit.transaction(on: req.db, context: context) { tx, audit in
                user.lockoutState = next
                try await user.save(on: tx)
                audit.add(AuditEvent(.loginFailure, objectType: "user", objectID: username, summary: "wrong password", result: .failure))
                if didLock {
                    audit.add(AuditEvent(.lockout, objectType: "user", objectID: username,
                                         summary: "locked for \(Int(policy.lockoutDuration / 60)) min after \(policy.maximumFailures) failures",
                                         result: .success))
                }
            }
            if didLock { return failure(l("login.error.locked", minutesUntil(next.lockedUntil, now))) }
            let left = policy.maximumFailures - next.consecutiveFailures
            return failure(l("login.error.invalid") + " " + l("login.error.attemptsLeft", String(left)))
        }

        try await services.audit.transaction(on: req.db, context: context) { tx, audit in
            user.lockoutState = policy.recordingSuccess(user.lockoutState)
            user.lastLoginAt = now
            try await user.save(on: tx)
            audit.add(AuditEvent(.loginSuccess, objectType: "user", objectID: username))
        }
        // A fresh session id at every login defeats session fixation.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        var data = SessionData()
        data[SessionKey.userID] = user.id?.uuidString
        data[SessionKey.lastSeen] = String(Int(now.timeIntervalSince1970))
        req.session.data = data
        _ = req.csrfToken
        return req.redirect(within: RedirectPolicy.sameOriginPath(form.next) ?? SiteRoute.home.path)
    }

    static func logout(req: Request) async throws -> Response {
        if req.currentUser != nil {
            try await req.audit(AuditEvent(.logout, objectType: "session"))
        }
        req.session.destroy()
        return req.redirect(within: SiteRoute.login.path)
    }

    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    static func showChangePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return PasswordView.render(req.pageContext(), reasonKey: user.mustChangePassword ? "password.mustChange" : nil)
    }

    static func changePassword(req: Request) async throws -> Response {
        let current = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        let l = req.l10n
        let services = req.application.fuzheng
        guard let user = try await UserModel.find(current.id, on: req.db) else { throw Abort(.notFound) }
        var errors: [String: String] = [:]
        let oldValid = (try? Bcrypt.verify(form.current ?? "", created: user.passwordHash)) ?? false
        if !oldValid { errors["current"] = l("password.error.current") }
        let candidate = form.new ?? ""
        let violations = services.config.passwordPolicy.violations(
            for: candidate, username: user.username, current: oldValid ? form.current : nil)
        if !violations.isEmpty { errors["new"] = violations.map { l($0.rawValue) }.joined(separator: " ") }
        if candidate != (form.confirm ?? "") { errors["confirm"] = l("password.error.confirm") }
        guard errors.isEmpty else {
            if !oldValid {
                try await req.audit(AuditEvent(.passwordChange, objectType: "user", objectID: user.username,
                                               summary: "current password wrong", result: .failure))
            }
            return PasswordView.render(req.pageContext(), reasonKey: current.mustChangePassword ? "password.mustChange" : nil,
                                       errors: errors, status: .unprocessableEntity)
        }
        let hash = try Bcrypt.hash(candidate, cost: services.config.bcryptCost)
        let now = services.clock.now()
        try await req.audited { tx, audit in
            user.passwordHash = hash
            user.mustChangePassword = false
            user.passwordChangedAt = now
            try await user.save(on: tx)
            audit.add(AuditEvent(.passwordChange, objectType: "user", objectID: user.username))
        }
        return HomeController.redirectHome(req, flashKey: "password.changed")
    }

    private static func minutesUntil(_ date: Date?, _ now: Date) -> String {
        guard let date else { return "0" }
        return String(max(1, Int((date.timeIntervalSince(now) / 60).rounded(.up))))
    }
}

enum LoginView {
    static func render(_ ctx: PageContext, form: AuthController.LoginForm, fieldErrors: [String: String] = [:],
                       error: String? = nil, notice: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("login.title"),
            .div(
                .class("card narrow"),
                .alert(notice, kind: "info"),
                .form(
                    .method(.post), .action(SiteRoute.login.path), .attribute(named: "novalidate", value: "novalidate"),
                    Form.errorSummary(error),
                    Form.csrf(ctx.csrfToken ?? ""),
                    .input(.type(.hidden), .name("next"), .value(form.next ?? "")),
                    Form.field(label: l("login.username"), name: "username", value: form.username ?? "",
                               error: fieldErrors["username"], required: true, autocomplete: "username"),
                    Form.field(label: l("login.password"), name: "password", error: fieldErrors["password"],
                               type: .password, required: true, autocomplete: "current-password"),
                    .button(.type(.submit), .class("button primary wide"), .text(l("login.submit")))
                ),
                .p(.class("hint"), .text(l("login.policyHint")))
            )
        ).response(status: status)
    }
}

enum PasswordView {
    static func render(_ ctx: PageContext, reasonKey: String?, errors: [String: String] = [:],
                       status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("password.title"),
            .div(
                .class("card narrow"),
                .alert(reasonKey.map { l($0) }, kind: "warning"),
                .form(
                    .method(.post), .action(SiteRoute.changePassword.path), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(ctx.csrfToken ?? ""),
                    Form.field(label: l("password.current"), name: "current", error: errors["current"], type: .password,
                               required: true, autocomplete: "current-password"),
                    Form.field(label: l("password.new"), name: "new", error: errors["new"], type: .password,
                               required: true, autocomplete: "new-password", hint: l("password.rules")),
                    Form.field(label: l("password.confirm"), name: "confirm", error: errors["confirm"], type: .password,
                               required: true, autocomplete: "new-password"),
                    .button(.type(.submit), .class("button primary wide"), .text(l("password.submit")))
                )
            )
        ).response(status: status)
    }
}
