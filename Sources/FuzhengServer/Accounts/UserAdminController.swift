import Fluent
import FuzhengCore
import Plot
import Vapor

/// 系统管理员 adds, edits and deactivates accounts. New accounts get an initial password that
/// must be changed at first login.
enum UserAdminController {
    static let perPage = 20

    struct UserForm: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var unitCode: String?
        var initialPassword: String?

        var draft: UserDraft {
            UserDraft(username: username ?? "", displayName: displayName ?? "", role: role ?? "", unitCode: unitCode ?? "")
        }
    }

    static func list(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let result = try await UserQueries.search(q, page: page, perPage: perPage, on: req.db)
        return UserAdminView.list(req.pageContext(), query: q, page: page, result: result, flash: req.takeFlash())
    }

    static func new(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let units = try await activeUnits(req.db)
        return UserAdminView.form(req.pageContext(), form: UserForm(role: Role.officeStaff.rawValue, unitCode: units.first?.code),
                                  units: units, editing: nil)
    }

    static func create(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let form = try req.content.decode(UserForm.self)
        let draft = form.draft
        let units = try await activeUnits(req.db)
        let l = req.l10n
        let config = req.application.fuzheng.config
        var errors = draft.validate(knownUnits: Set(units.map(\.code))).mapValues { l($0) }
        let password = form.initialPassword ?? ""
        let violations = config.passwordPolicy.violations(for: password, username: draft.username)
        if !violations.isEmpty { errors["initialPassword"] = violations.map { l($0.rawValue) }.joined(separator: " ") }
        if try await UserModel.query(on: req.db).filter(\.$username == draft.username).first() != nil {
            errors["username"] = l("user.error.usernameTaken")
        }
        guard errors.isEmpty, let unit = units.first(where: { $0.code == draft.unitCode }), let role = Role(rawValue: draft.role) else {
            return UserAdminView.form(req.pageContext(), form: form, units: units, editing: nil, errors: errors)
        }
        let hash = try await req.passwords.hash(password)
        let unitID = try unit.requireID()
        try await req.audited { tx, audit in
            let user = UserModel(username: draft.username, displayName: draft.displayName, passwordHash: hash, role: role,
                                 unitID: unitID, mustChangePassword: true, passwordChangedAt: nil)
            try await user.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "user", objectID: draft.username,
                                 summary: "after: \(user.auditSummary); unit=\(unit.code)"))
        }
        req.setFlash("flash.userCreated")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    static func edit(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        let units = try await activeUnits(req.db)
        let form = UserForm(username: user.username, displayName: user.displayName, role: user.roleRaw, unitCode: user.unit.code)
        return UserAdminView.form(req.pageContext(), form: form, units: units, editing: user.username)
    }

    static func update(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        var form = try req.content.decode(UserForm.self)
        form.username = user.username
        let draft = form.draft
        let units = try await activeUnits(req.db)
        let errors = draft.validate(knownUnits: Set(units.map(\.code))).mapValues { req.l10n($0) }
        guard errors.isEmpty, let unit = units.first(where: { $0.code == draft.unitCode }) else {
            return UserAdminView.form(req.pageContext(), form: form, units: units, editing: user.username, errors: errors)
        }
        let unitID = try unit.requireID()
        do {
            try await req.audited { tx, audit in
                try await ensureAdministratorRemains(user, newRole: Role(rawValue: draft.role), newActive: user.isActive, on: tx)
                let before = user.auditSummary + "; unit=\(user.unit.code)"
                user.displayName = draft.displayName
                user.roleRaw = draft.role
                user.$unit.id = unitID
                try await user.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "user", objectID: user.username,
                                     summary: "before: \(before) | after: \(user.auditSummary); unit=\(unit.code)"))
            }
        } catch is LastAdministrator {
            req.setFlash("user.error.lastAdministrator", error: true)
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    static func confirmActivation(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        let l = req.l10n
        return ConfirmView.render(
            req.pageContext(), title: l(user.isActive ? "user.deactivate" : "user.reactivate"),
            message: l(user.isActive ? "user.confirmDeactivate" : "user.confirmReactivate", "\(user.username)（\(user.displayName)）"),
            action: SiteRoute.adminUserActivation(username: user.username).path, cancel: SiteRoute.adminUsers.path,
            danger: user.isActive)
    }

    static func toggleActivation(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        if user.id == req.currentUser?.id {
            req.setFlash("user.error.selfDeactivate")
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        do {
            try await req.audited { tx, audit in
                try await ensureAdministratorRemains(user, newRole: user.role, newActive: !user.isActive, on: tx)
                let before = user.auditSummary
                user.isActive.toggle()
                try await user.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "user", objectID: user.username, summary: "before: \(before) | after: \(user.auditSummary)"))
            }
        } catch is LastAdministrator {
            req.setFlash("user.error.lastAdministrator", error: true)
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        req.setFlash(user.isActive ? "flash.reactivated" : "flash.deactivated")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    struct LastAdministrator: Error {}

    /// Counted inside the audited transaction, which every account change takes (serialised per
    /// database), so two administrators demoting each other at once cannot both succeed.
    static func ensureAdministratorRemains(_ user: UserModel, newRole: Role?, newActive: Bool,
                                           on tx: Database) async throws {
        guard let role = user.role, role.isAdministrator else { return }
        let others = try await UserModel.query(on: tx).filter(\.$roleRaw == role.rawValue)
            .filter(\.$isActive == true).filter(\.$id != user.requireID()).count()
        guard AdministratorContinuity.allows(currentRole: role, isActive: user.isActive, newRole: newRole,
                                             newActive: newActive, otherActiveHolders: others) else {
            throw LastAdministrator()
        }
    }

    static func activeUnits(_ db: Database) async throws -> [UnitModel] {
        try await UnitModel.query(on: db).filter(\.$isActive == true).sort(\.$code).all()
    }

    static func findUser(_ req: Request) async throws -> UserModel {
        guard let user = try await UserQueries.find(username: req.parameters.get("username") ?? "", on: req.db) else {
            throw Abort(.notFound)
        }
        return user
    }
}

enum UserAdminView {
    static func list(_ ctx: PageContext, query: String, page: Int, result: (items: [UserRow], total: Int), flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("nav.adminUsers"),
            .alert(flash, kind: "success"),
            .div(.class("toolbar"),
                 SearchBox.render(l, action: SiteRoute.adminUsers.path, query: query, placeholder: l("user.searchPlaceholder")),
                 .a(.class("button primary"), .href(SiteRoute.adminUserNew.path), .text(l("user.new")))),
            .if(result.items.isEmpty, .p(.class("empty"), .text(query.isEmpty ? l("user.empty") : l("list.noMatch", query)))),
            .if(!result.items.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))), .th(.text(l("user.role"))),
                           .th(.text(l("user.unit"))), .th(.text(l("list.status"))), .th(.text(l("list.actions"))))),
                .tbody(.forEach(result.items) { user in
                    .tr(.td(.text(user.username)), .td(.text(user.displayName)), .td(.text(l("role.\(user.roleRaw)"))),
                        .td(.text("\(user.unitCode) \(user.unitName)")),
                        .td(.span(.class(user.isActive ? "tag ok" : "tag off"), .text(l(user.isActive ? "list.active" : "list.inactive")))),
                        .td(.class("actions"),
                            .a(.href(SiteRoute.adminUserEdit(username: user.username).path), .text(l("list.edit"))),
                            .a(.href(SiteRoute.adminUserActivation(username: user.username).path),
                               .text(l(user.isActive ? "user.deactivate" : "user.reactivate")))))
                })
            ))),
            Pager.render(l, basePath: SiteRoute.adminUsers.path, query: query, page: page,
                         perPage: UserAdminController.perPage, total: result.total)
        ).response()
    }

    static func form(_ ctx: PageContext, form: UserAdminController.UserForm, units: [UnitModel], editing: String?,
                     errors: [String: String] = [:]) -> Response {
        let l = ctx.l
        let action = editing.map { SiteRoute.adminUserEdit(username: $0).path } ?? SiteRoute.adminUserNew.path
        return Layout.page(
            ctx, title: l(editing == nil ? "user.new" : "user.edit"),
            .form(
                .class("card"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                editing == nil
                    ? Form.field(label: l("user.username"), name: "username", value: form.username ?? "", error: errors["username"],
                                 required: true, autocomplete: "off", hint: l("user.usernameHint"))
                    : .p(.text("\(l("user.username"))：\(form.username ?? "")")),
                Form.field(label: l("user.displayName"), name: "displayName", value: form.displayName ?? "",
                           error: errors["displayName"], required: true),
                Form.select(label: l("user.role"), name: "role", options: Role.allCases.map { ($0.rawValue, l($0.labelKey)) },
                            selected: form.role ?? "", error: errors["role"]),
                Form.select(label: l("user.unit"), name: "unitCode", options: units.map { ($0.code, "\($0.code) \($0.name)") },
                            selected: form.unitCode ?? "", error: errors["unitCode"]),
                .if(editing == nil,
                    Form.field(label: l("user.initialPassword"), name: "initialPassword", error: errors["initialPassword"],
                               type: .password, required: true, autocomplete: "new-password", hint: l("user.initialPasswordHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminUsers.path), .text(l("form.cancel"))))
            )
        ).response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
