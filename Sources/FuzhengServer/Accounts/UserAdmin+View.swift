import FuzhengCore
import Plot
import Vapor

enum UserAdminView {
    static func list(_ ctx: PageContext, query: String, page: Int, result: (items: [UserRow], total: Int),
        flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("nav.adminUsers"),
            .alert(flash, kind: "success"),
            .div(.class("toolbar"),
                 SearchBox.render(l, action: SiteRoute.adminUsers.path, query: query,
                     placeholder: l("user.searchPlaceholder")),
                 .a(.class("button"), .href(SiteRoute.adminUsersImport.path), .text(l("import.people.title"))),
                 .a(.class("button primary"), .href(SiteRoute.adminUserNew.path), .text(l("user.new")))),
            .if(result.items.isEmpty, .p(.class("empty"), .text(query.isEmpty ? l("user.empty") : l("list.noMatch",
                query)))),
            .if(!result.items.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))),
                    .th(.text(l("user.role"))),
                           .th(.text(l("user.unit"))), .th(.text(l("list.status"))), .th(.text(l("list.actions"))))),
                .tbody(.forEach(result.items) { user in
                    .tr(.td(.text(user.username)), .td(.text(user.displayName)),
                        .td(.text(UserModel.assignments(roles: user.rolesText, main: user.roleRaw)
                            .map { l($0.role.labelKey) }.joined(separator: "、"))),
                        .td(.text("\(user.unitCode) \(user.unitName)")),
                        .td(.span(.class(user.isActive ? "tag ok" : "tag off"),
                            .text(l(user.isActive ? "list.active" : "list.inactive")))),
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

    /// One row per role: the role, its scope, and the named units of a scope of named units (a leader's 分管).
    static func roleRows(_ l: L10n, _ form: UserAdminController.UserForm, errors: [String: String])
        -> Node<HTML.FormContext> {
        let rows = min(UserAdminController.roleRows, form.roles.count + 1)
        let roleOptions = [("", l("user.roleNone"))] + Role.allCases.map { ($0.rawValue, l($0.labelKey)) }
        let scopeOptions = [("", l("scope.default"))] + ScopeKind.allCases.map { ($0.rawValue, l($0.labelKey)) }
        return .div(
            .class(errors["roles"] == nil && errors["units"] == nil ? "role-rows" : "role-rows has-error"),
            .h2(.text(l("user.roles"))),
            .p(.class("hint"), .text(l("user.rolesHint"))),
            .if(errors["roles"] != nil, .p(.class("error"), .id("roles-error"), .text(errors["roles"] ?? ""))),
            .if(errors["units"] != nil, .p(.class("error"), .text(errors["units"] ?? ""))),
            .forEach(Array(0..<rows)) { i in
                let row = i < form.roles.count ? form.roles[i] : .init(role: "", scope: "", units: "")
                return .div(.class("role-row grid3"),
                    Form.select(label: l("user.roleN", String(i + 1)), name: "role\(i)", options: roleOptions,
                                selected: row.role, required: i == 0),
                    Form.select(label: l("user.scope"), name: "scope\(i)", options: scopeOptions, selected: row.scope,
                                required: false),
                    Form.field(label: l("user.scopeUnits"), name: "units\(i)", value: row.units, autocomplete: "off",
                               hint: l("user.scopeUnitsHint")))
            })
    }

    static func form(_ ctx: PageContext, form: UserAdminController.UserForm, units: [UnitModel],
                     sections: [String: String], editing: String?, errors: [String: String] = [:]) -> Response {
        let l = ctx.l
        let action = editing.map { SiteRoute.adminUserEdit(username: $0).path } ?? SiteRoute.adminUserNew.path
        return Layout.page(
            ctx, title: l(editing == nil ? "user.new" : "user.edit"),
            .form(
                .class("card"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                editing == nil
                    ? Form.field(label: l("user.username"), name: "username", value: form.username ?? "",
                        error: errors["username"],
                                 required: true, autocomplete: "off", hint: l("user.usernameHint"))
                    : .p(.text("\(l("user.username"))：\(form.username ?? "")")),
                Form.field(label: l("user.displayName"), name: "displayName", value: form.displayName ?? "",
                           error: errors["displayName"], required: true),
                Form.field(label: l("user.title"), name: "title", value: form.title ?? "", error: errors["title"],
                           autocomplete: "off", hint: l("user.titleHint")),
                Form.field(label: l("user.email"), name: "email", value: form.email ?? "", error: errors["email"],
                           type: .email, autocomplete: "off", hint: l("user.emailHint")),
                Form.select(label: l("user.unit"), name: "unitCode", options: units.map { ($0.code,
                    "\($0.code) \($0.name)") },
                            selected: form.unitCode ?? "", error: errors["unitCode"]),
                Form.select(label: l("user.section"), name: "sectionCode",
                            options: [("", l("user.noSection"))] + sections.sorted { $0.key < $1.key }
                                .map { ($0.key, $0.value) },
                            selected: form.sectionCode ?? "", error: errors["sectionCode"], required: false),
                roleRows(l, form, errors: errors),
                .if(editing == nil,
                    Form.field(label: l("user.initialPassword"), name: "initialPassword",
                        error: errors["initialPassword"],
                               type: .password, required: true, autocomplete: "new-password",
                                   hint: l("user.initialPasswordHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminUsers.path), .text(l("form.cancel"))))
            )
        ).response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
