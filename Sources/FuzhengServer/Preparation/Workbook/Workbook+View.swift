import FuzhengCore
import Plot
import Vapor

enum WorkbookView {
    static func upload(_ ctx: PageContext, _ m: WorkbookController.UploadModel, status: HTTPResponseStatus = .ok)
        -> Response {
        let l = ctx.l
        let budgetPath = SiteRoute.budget(code: m.unitCode, year: m.year).path
        let zh = l.language == .zh
        return Layout.page(
            ctx, title: l("workbook.title", String(m.year)),
            .alert(m.flash?.text, kind: m.flash?.isError == true ? "error" : "success"),
            .p(.a(.href(budgetPath), .text(l("edit.backToBudget", String(m.year))))),
            .p(.text(l("workbook.steps"))),
            .p(.a(.class("button"), .href(SiteRoute.budgetWorkbookDownload(code: m.unitCode, year: m.year).path),
                  .text(l("workbook.downloadLink", String(m.year))))),
            .if(!m.problems.isEmpty, .section(
                .id("problems"), .class("findings has-errors"),
                .div(.class("alert error"), .attribute(named: "role", value: "alert"),
                     .text(l("workbook.problems", String(m.problems.count)))),
                .ul(.class("findings-list"), .forEach(m.problems) { p in
                    .li(.class("finding error"), .text(zh ? p.messageZh : p.messageEn))
                })
            )),
            .form(
                .class("card"), .method(.post), .action(SiteRoute.budgetWorkbook(code: m.unitCode, year: m.year).path),
                .attribute(named: "enctype", value: "multipart/form-data"),
                Form.errorSummary(m.error),
                Form.csrf(ctx.csrfToken ?? ""),
                .div(.class(m.error == nil ? "field" : "field has-error"),
                     .label(.for("file"), .text(l("workbook.file", String(BudgetWorkbook.maxUploadBytes >> 20)))),
                     .input(.id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".xlsx," + WorkbookController.mediaType))),
                .p(.class("hint"), .text(l("workbook.fileHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("workbook.preview"))),
                     .a(.class("button secondary"), .href(budgetPath), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }

    static func preview(_ ctx: PageContext, _ m: WorkbookController.PreviewModel) -> Response {
        let l = ctx.l
        let zh = l.language == .zh
        let budgetPath = SiteRoute.budget(code: m.unitCode, year: m.year).path
        let errors = m.findings.filter { $0.severity == .error }.count
        let parts = WorkbookChange.Part.allCases.compactMap { part -> (WorkbookChange.Part, [WorkbookChange])? in
            let changes = m.changes.filter { $0.part == part }
            return changes.isEmpty ? nil : (part, changes)
        }
        return Layout.page(
            ctx, title: l("workbook.previewTitle", String(m.year)),
            .p(.a(.href(budgetPath), .text(l("edit.backToBudget", String(m.year))))),
            .if(m.changes.isEmpty, .div(.class("alert info"), .attribute(named: "role", value: "status"),
                                        .text(l("workbook.noChanges")))),
            .if(!m.changes.isEmpty, .p(.text(l("workbook.previewLead", m.fileName, String(m.changes.count),
                                               String(m.version))))),
            FindingsPanel.render(l, m.findings, title: l("workbook.findingsAfter", String(errors),
                                                          String(m.findings.count - errors))),
            .forEach(parts) { part, changes in
                .section(.class("budget-part"), .id("changes-\(part.rawValue)"),
                         .h2(.text(l("workbook.partCount", l("workbook.part.\(part.rawValue)"),
                                     String(changes.count)))),
                         .div(.class("table-scroll"), .table(
                            .class("data"),
                            .thead(.tr(.th(.text(l("workbook.col.item"))), .th(.text(l("workbook.col.field"))),
                                       .th(.text(l("workbook.col.old"))), .th(.text(l("workbook.col.new"))))),
                            .tbody(.forEach(changes) { c in
                                .tr(.td(.class("summary"), .text(c.item)), .td(.text(zh ? c.fieldZh : c.fieldEn)),
                                    .td(.class("summary"), .text(c.old ?? l("workbook.added"))),
                                    .td(.class("summary"), .text(c.new ?? l("workbook.removed"))))
                            })
                         )))
            },
            .if(!m.changes.isEmpty, .form(
                .class("card"), .method(.post),
                .action(SiteRoute.budgetWorkbookConfirm(code: m.unitCode, year: m.year).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("digest"), .value(m.digest)),
                .input(.type(.hidden), .name("version"), .value(String(m.version))),
                .p(.text(l("workbook.confirmHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("workbook.confirm"))),
                     .a(.class("button secondary"), .href(budgetPath), .text(l("form.cancel"))))
            ))
        ).response()
    }
}
