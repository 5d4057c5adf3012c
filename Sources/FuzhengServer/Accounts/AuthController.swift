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
        let failure = { (message: String, status: HTTPResponseStatus) in
            LoginView.render(req.pageContext(withForm: true), form: LoginForm(username: username, next: form.next),
                             error: message, status: status)
        }
        let attempted = AuditContext(userID: nil, username: username, unitCode: nil, clientIP: req.clientIP, requestID: req.id)

        switch services.loginThrottle.attempt(address: req.clientIP ?? "unknown", username: username, at: now) {
        case .allowed: break
        case .tooManyForAccount(let wait), .tooManyFromAddress(let wait):
            try await services.audit.record(AuditEvent(.loginThrottled, objectType: "user", objectID: username,
                                                       summary: "too many attempts from \(req.clientIP ?? "unknown")",
                                                       result: .denied),
                                            context: attempted, on: req.db)
            let minutes = String(max(1, Int((wait / 60).rounded(.up))))
            return failure(l("login.error.throttled", minutes), .tooManyRequests)
        }
        // Every path below runs exactly one bcrypt; a full queue answers at once instead of after 30 s.
        guard services.passwordGate.enter() else {
            let response = failure(l("login.error.busy"), .serviceUnavailable)
            response.headers.replaceOrAdd(name: .retryAfter, value: "5")
            return response
        }
        defer { services.passwordGate.leave() }

        guard let user = try await UserModel.query(on: req.db).filter(\.$username == username).with(\.$unit).first(),
              user.isActive
        else {
            // The same bcrypt as for a real account, so the time taken does not say which accounts exist.
            _ = try await req.passwords.verify(password, against: services.dummyPassword.hash)
            try await services.audit.record(AuditEvent(.loginFailure, objectType: "user", objectID: username,
                                                       summary: "unknown or inactive account", result: .failure),
                                            context: attempted, on: req.db)
            return failure(l("login.error.invalid"), .unauthorized)
        }
        let context = AuditContext(userID: user.id?.uuidString, username: user.username, unitCode: user.unit.code,
                                   clientIP: req.clientIP, requestID: req.id)
        // The attempt is counted in the database before the password is checked, so fifty guesses sent at
        // once get no more than the threshold's worth of checks, on any number of app servers.
        let userID = try user.requireID()
        guard let attempt = try await LoginAttempts.reserve(userID: userID, policy: policy, at: now, on: req.db) else {
            _ = try await req.passwords.verify(password, against: services.dummyPassword.hash)
            try await services.audit.record(AuditEvent(.loginFailure, objectType: "user", objectID: username,
                                                       summary: "account locked", result: .denied),
                                            context: context, on: req.db)
            let until = try await UserModel.find(userID, on: req.db)?.lockedUntil
                ?? now.addingTimeInterval(policy.lockoutDuration)
            return failure(l("login.error.locked", minutesUntil(until, now)), .unauthorized)
        }
        guard try await req.passwords.verify(password, against: user.passwordHash) else {
            let didLock = attempt >= policy.maximumFailures
            let lockedUntil = now.addingTimeInterval(policy.lockoutDuration)
            try await services.audit.transaction(on: req.db, context: context) { tx, audit in
                if didLock { try await LoginAttempts.lock(userID: userID, until: lockedUntil, on: tx) }
                audit.add(AuditEvent(.loginFailure, objectType: "user", objectID: username, summary: "wrong password", result: .failure))
                if didLock {
                    audit.add(AuditEvent(.lockout, objectType: "user", objectID: username,
                                         summary: "locked for \(Int(policy.lockoutDuration / 60)) min after \(policy.maximumFailures) failures",
                                         result: .success))
                }
            }
            if didLock { return failure(l("login.error.locked", minutesUntil(lockedUntil, now)), .unauthorized) }
            let left = policy.maximumFailures - attempt
            return failure(l("login.error.invalid") + " " + l("login.error.attemptsLeft", String(left)), .unauthorized)
        }

        // With a second factor enrolled the attempt stays counted until the code is right too.
        if let secondStep = try await TwoFactorController.beginSecondStep(req, user: user, next: form.next) {
            return secondStep
        }
        return try await startSession(req, user: user, next: form.next, context: context, summary: "password")
    }

    /// The end of every successful login: the attempt count cleared, the login audited, a new session.
    static func startSession(_ req: Request, user: UserModel, next: String?, context: AuditContext,
                             summary: String) async throws -> Response {
        let now = req.now
        try await req.application.fuzheng.audit.transaction(on: req.db, context: context) { tx, audit in
            user.lastLoginAt = now
            try await user.save(on: tx)
            try await LoginAttempts.lock(userID: user.requireID(), until: nil, on: tx)
            audit.add(AuditEvent(.loginSuccess, objectType: "user", objectID: user.username, summary: summary))
        }
        let mustEnrol = try await TwoFactorController.mustEnrol(req, user: user)
        // A fresh session id at every login defeats session fixation.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        var data = SessionData()
        data[SessionKey.userID] = user.id?.uuidString
        data[SessionKey.lastSeen] = String(Int(now.timeIntervalSince1970))
        if mustEnrol { data[SessionKey.enrolTwoFactor] = "1" }
        req.session.data = data
        _ = req.csrfToken
        return req.redirect(within: RedirectPolicy.sameOriginPath(next) ?? SiteRoute.home.path)
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
        let oldValid = try await req.passwords.verify(form.current ?? "", against: user.passwordHash)
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
        let hash = try await req.passwords.hash(candidate)
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
