import Fluent
import FuzhengCore
import Plot
import Vapor

/// 安全管理员: the security policy in force, locked accounts, unlocking and password resets.
enum SecurityController {
    static func show(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let result = try await UserQueries.search(q, page: page, perPage: 20, on: req.db)
        return SecurityView.render(req.pageContext(), config: req.application.fuzheng.config, now: req.now,
                                   query: q, page: page, result: result, flash: req.takeFlash())
    }

    static func unlock(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let user = try await UserAdminController.findUser(req)
        try await req.audited { tx, audit in
            user.lockoutState = .init()
            try await user.save(on: tx)
            audit.add(AuditEvent(.accountUnlock, objectType: "user", objectID: user.username))
        }
        req.setFlash("flash.unlocked")
        return req.redirect(within: SiteRoute.security.path)
    }

    struct ResetForm: Content {
        var password: String?
    }

    static func showReset(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let user = try await UserAdminController.findUser(req)
        return SecurityView.reset(req.pageContext(), username: user.username)
    }

    static func reset(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let user = try await UserAdminController.findUser(req)
        let form = try req.content.decode(ResetForm.self)
        let config = req.application.fuzheng.config
        let violations = config.passwordPolicy.violations(for: form.password ?? "", username: user.username)
        guard violations.isEmpty else {
            return SecurityView.reset(req.pageContext(), username: user.username,
                                      error: violations.map { req.l10n($0.rawValue) }.joined(separator: " "))
        }
        let hash = try await req.passwords.hash(form.password ?? "")
        try await req.audited { tx, audit in
            user.passwordHash = hash
            user.mustChangePassword = true
            user.lockoutState = .init()
            try await user.save(on: tx)
            audit.add(AuditEvent(.passwordReset, objectType: "user", objectID: user.username))
        }
        req.setFlash("flash.passwordReset")
        return req.redirect(within: SiteRoute.security.path)
    }
}

enum SecurityView {
    static func render(_ ctx: PageContext, config: AppConfig, now: Date, query: String, page: Int,
                       result: (items: [UserRow], total: Int), flash: String?) -> Response {
        let l = ctx.l
        let policy: [(String, String)] = [
            ("security.policy.password", l("security.policy.passwordValue", String(config.passwordPolicy.minimumLength), String(config.passwordPolicy.minimumClasses))),
            ("security.policy.lockout", l("security.policy.lockoutValue", String(config.lockout.maximumFailures), String(Int(config.lockout.lockoutDuration / 60)))),
            ("security.policy.idle", l("security.policy.minutes", String(Int(config.session.idleTimeout / 60)))),
            ("security.policy.expiry", l("security.policy.days", String(Int(config.session.passwordMaximumAge / 86_400)))),
            ("security.policy.hash", "bcrypt (cost \(config.bcryptCost))"),
            ("security.policy.audit", "SM3 (GB/T 32905-2016)"),
        ]
        return Layout.page(
            ctx, title: l("nav.security"),
            .alert(flash, kind: "success"),
            .section(.h2(.text(l("security.policyTitle"))),
                     .dl(.class("facts"), .forEach(policy) { item in .group(.dt(.text(l(item.0))), .dd(.text(item.1))) })),
            .section(
                .h2(.text(l("security.accounts"))),
                SearchBox.render(l, action: SiteRoute.security.path, query: query, placeholder: l("user.searchPlaceholder")),
                .div(.class("table-scroll"), .table(
                    .class("data"),
                    .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))), .th(.text(l("list.status"))),
                               .th(.text(l("list.actions"))))),
                    .tbody(.forEach(result.items) { user in
                        let locked = (user.lockedUntil ?? .distantPast) > now
                        return .tr(
                            .td(.text(user.username)), .td(.text(user.displayName)),
                            .td(.span(.class(locked ? "tag off" : "tag ok"), .text(l(locked ? "security.locked" : "list.active")))),
                            .td(.class("actions"),
                                .if(locked, .form(.method(.post), .action(SiteRoute.securityUnlock(username: user.username).path),
                                                  Form.csrf(ctx.csrfToken ?? ""),
                                                  .button(.type(.submit), .class("button small"), .text(l("security.unlock"))))),
                                .a(.href(SiteRoute.securityReset(username: user.username).path), .text(l("security.reset")))))
                    })
                )),
                Pager.render(l, basePath: SiteRoute.security.path, query: query, page: page, perPage: 20, total: result.total)
            )
        ).response()
    }

    static func reset(_ ctx: PageContext, username: String, error: String? = nil) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("security.resetTitle", username),
            .form(
                .class("card narrow"), .method(.post), .action(SiteRoute.securityReset(username: username).path),
                .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(ctx.csrfToken ?? ""),
                .p(.text(l("security.resetExplain"))),
                Form.field(label: l("user.initialPassword"), name: "password", error: error, type: .password,
                           required: true, autocomplete: "new-password", hint: l("password.rules")),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button danger"), .text(l("security.reset"))),
                     .a(.class("button secondary"), .href(SiteRoute.security.path), .text(l("form.cancel"))))
            )
        ).response(status: error == nil ? .ok : .unprocessableEntity)
    }
}
