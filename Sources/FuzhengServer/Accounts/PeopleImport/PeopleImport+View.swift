import FuzhengCore
import Plot
import Vapor

enum PeopleImportView {
    static func problems(_ l: L10n, _ problems: [WorkbookProblem]) -> Node<HTML.BodyContext> {
        .if(!problems.isEmpty, .section(
            .id("problems"), .class("findings has-errors"),
            .div(.class("alert error"), .attribute(named: "role", value: "alert"),
                 .text(l("import.people.problems", String(problems.count)))),
            .ul(.class("findings-list"), .forEach(problems.prefix(500)) { p in
                .li(.class("finding error"), .text(l.language == .zh ? p.messageZh : p.messageEn))
            })))
    }

    static func upload(_ ctx: PageContext, _ m: PeopleImportController.UploadModel,
                       status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("import.people.title"),
            .alert(m.flash, kind: "error"),
            .p(.a(.href(SiteRoute.adminUsers.path), .text(l("import.people.back")))),
            .p(.class("lead"), .text(l("import.people.intro"))),
            .section(.class("card"),
                     .h2(.text(l("import.people.columns"))),
                     .ul(.li(.text(l("import.people.colPeople"))), .li(.text(l("import.people.colRoles"))),
                         .li(.text(l("import.people.colUnits"))), .li(.text(l("import.people.colStatus")))),
                     .p(.a(.class("button"), .href(SiteRoute.adminUsersImportTemplate.path),
                           .text(l("import.people.template"))))),
            problems(l, m.problems),
            .form(
                .class("card"), .method(.post), .action(SiteRoute.adminUsersImport.path),
                .attribute(named: "enctype", value: "multipart/form-data"),
                Form.errorSummary(m.error),
                Form.csrf(ctx.csrfToken ?? ""),
                .div(.class(m.error == nil ? "field" : "field has-error"),
                     .label(.for("file"), .text(l("import.people.file",
                                                  String(PeopleImportController.maxUploadBytes >> 20)))),
                     .input(.id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".xlsx,.csv," + WorkbookController.mediaType))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("workbook.preview"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminUsers.path), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }

    static func unitText(_ m: PeopleImportController.PreviewModel, _ code: String) -> String {
        "\(code) \(m.unitNames[code] ?? "")"
    }

    static func preview(_ ctx: PageContext, _ m: PeopleImportController.PreviewModel,
                        status: HTTPResponseStatus) -> Response {
        let l = ctx.l
        let plan = m.plan
        let creates = plan.creates, updates = plan.updates
        return Layout.page(
            ctx, title: l("import.people.previewTitle"),
            .p(.a(.href(SiteRoute.adminUsersImport.path), .text(l("import.people.again")))),
            .p(.id("summary"), .class("lead"), .text(l("import.people.summary", m.fileName, String(plan.units.count),
                String(creates.count), String(updates.count), String(plan.unchangedCount)))),
            problems(l, plan.problems),
            .if(!plan.units.isEmpty, .section(.class("card"), .id("units"),
                .h2(.text(l("import.people.unitsTitle", String(plan.units.count)))),
                .div(.class("table-scroll"), .table(.class("data"),
                    .thead(.tr(.th(.text(l("unit.code"))), .th(.text(l("unit.name"))), .th(.text(l("unit.department"))),
                               .th(.text(l("list.status"))))),
                    .tbody(.forEach(plan.units) { unit, isNew in
                        .tr(.td(.text(unit.code)), .td(.text(unit.name)), .td(.text(unit.departmentCode)),
                            .td(.span(.class(isNew ? "tag ok" : "tag note"),
                                      .text(l(isNew ? "import.people.new" : "import.people.changedUnit")))))
                    }))))),
            .if(!creates.isEmpty, .section(.class("card"), .id("creates"),
                .h2(.text(l("import.people.createsTitle", String(creates.count)))),
                .div(.class("table-scroll"), .table(.class("data"),
                    .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))),
                               .th(.text(l("user.unit"))), .th(.text(l("user.roles"))), .th(.text(l("user.title"))))),
                    .tbody(.forEach(creates.prefix(1000)) { p in
                        .tr(.td(.text(p.username)), .td(.text(p.displayName)), .td(.text(unitText(m, p.unitCode))),
                            .td(.text(PeopleImport.rolesText(p.assignments))), .td(.text(p.title)))
                    }))))),
            .if(!updates.isEmpty, .section(.class("card"), .id("updates"),
                .h2(.text(l("import.people.updatesTitle", String(updates.count)))),
                .div(.class("table-scroll"), .table(.class("data"),
                    .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))),
                               .th(.text(l("import.people.changes"))))),
                    .tbody(.forEach(updates.prefix(1000)) { u in
                        .tr(.td(.text(u.before.username)), .td(.text(u.after.displayName)),
                            .td(.text(u.changes.joined(separator: "；"))))
                    }))))),
            .if(plan.problems.isEmpty && (!creates.isEmpty || !updates.isEmpty || !plan.units.isEmpty), .form(
                .class("card"), .method(.post), .action(SiteRoute.adminUsersImportConfirm.path),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("digest"), .value(m.digest)),
                .input(.type(.hidden), .name("fileName"), .value(m.fileName)),
                .input(.type(.hidden), .name("fingerprint"), .value(plan.fingerprint)),
                .p(.text(l("import.people.confirmHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .name("deliver"), .value("page"), .class("button primary"),
                             .text(l("import.people.confirmPage"))),
                     .button(.type(.submit), .name("deliver"), .value("csv"), .class("button"),
                             .text(l("import.people.confirmCSV"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminUsers.path), .text(l("form.cancel")))))),
            .if(plan.problems.isEmpty && creates.isEmpty && updates.isEmpty && plan.units.isEmpty,
                .p(.class("empty"), .text(l("import.people.nothing"))))
        ).response(status: status)
    }

    static func result(_ ctx: PageContext, _ m: PeopleImportController.ResultModel) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("import.people.doneTitle"),
            .div(.class("alert success"), .attribute(named: "role", value: "status"),
                 .text(l("import.people.done", String(m.units), String(m.created.count), String(m.updated)))),
            .if(!m.created.isEmpty, .section(.class("card"), .id("passwords"),
                .h2(.text(l("import.people.passwordsTitle"))),
                .p(.class("alert warning"), .text(l("import.people.passwordsOnce"))),
                .div(.class("table-scroll"), .table(.class("data"),
                    // The password next to the username: on a phone both show without scrolling the table.
                    .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("import.people.password"))),
                               .th(.text(l("user.displayName"))), .th(.text(l("user.unit"))))),
                    .tbody(.forEach(m.created) { c in
                        .tr(.td(.text(c.username)), .td(.class("password"), .text(c.password)),
                            .td(.text(c.displayName)), .td(.text(c.unitCode)))
                    }))))),
            .p(.a(.class("button"), .href(SiteRoute.adminUsers.path), .text(l("import.people.toUsers"))))
        ).response()
    }
}
