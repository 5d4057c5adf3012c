import FuzhengCore
import Plot
import Vapor

enum FindingConfirmView {
    static func render(_ ctx: PageContext, _ m: FindingConfirmController.Model) -> Response {
        let l = ctx.l
        let budgetPath = SiteRoute.budget(code: m.unitCode, year: m.year).path
        return Layout.page(
            ctx, title: l("confirm.title"),
            .p(.a(.href(budgetPath + "#findings"), .text(l("confirm.back", String(m.year), m.unitName)))),
            .ul(.class("findings-list"), .forEach(m.findings) { f in
                .li(.class("finding \(f.severity.rawValue)"), .text(l.language == .zh ? f.messageZh : f.messageEn))
            }),
            .h2(.text(l("confirm.textHeading"))),
            .blockquote(.class("quoted-text"), .text(m.subject)),
            .form(
                .class("card"), .method(.post), .action(SiteRoute.budgetConfirmFinding(code: m.unitCode,
                    year: m.year).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("rule"), .value(m.ruleID)),
                .input(.type(.hidden), .name("path"), .value(m.path)),
                .input(.type(.hidden), .name("subject"), .value(m.subject)),
                .input(.type(.hidden), .name("version"), .value(String(m.version))),
                .p(.text(l("confirm.explain"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("confirm.submit"))),
                     .a(.class("button secondary"), .href(budgetPath + "#findings"), .text(l("form.cancel"))))
            )
        ).response()
    }
}
