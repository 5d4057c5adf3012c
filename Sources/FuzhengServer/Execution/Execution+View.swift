import Foundation
import FuzhengCore
import Plot
import Vapor

/// Shared pieces of the 预算执行 pages: rates as people read them, the colour tag, the rules printed on screen.
enum ExecutionViewParts {
    static func pct(_ bp: Int?) -> String { SupervisionStatistics.percentText(bp) }

    static func tag(_ l: L10n, _ c: ExecutionRules.Colour, _ r: ExecutionRules.Reason) -> Node<HTML.BodyContext> {
        .span(.class("tag \(c == .red ? "off" : c == .yellow ? "warn" : "ok")"),
              .text(l("execution.colour.\(c.rawValue)") + " · " + l("execution.reason.\(r.rawValue)")))
    }

    static func years(_ l: L10n, _ years: [Int], current: Int, path: String) -> Node<HTML.BodyContext> {
        .p(.class("status-chips"), .forEach(years) { y in
            .a(.class(y == current ? "tag ok" : "tag note"), .href(path + "?year=\(y)"),
               .attribute(named: "aria-current", value: y == current ? "page" : nil), .text(String(y)))
        })
    }

    static func rules(_ l: L10n) -> Node<HTML.BodyContext> {
        let r = ExecutionRules.shared
        return .section(.class("card"), .id("rules"),
            .h2(.text(l("execution.rules.heading"))),
            .ul(.class("plain"),
                .li(.text(l("execution.rules.rate"))),
                .li(.text(l("execution.rules.plan"))),
                .li(.text(l("execution.rules.elapsed"))),
                .li(.text(l("execution.rules.yellow", String(r.yellowBehindPoints)))),
                .li(.text(l("execution.rules.red", String(r.redBehindPoints)))),
                .li(.text(l("execution.rules.nothing")))))
    }

    static func wan(_ f: Fen) -> String { MoneyFormat.wan(f) }
}

enum ExecutionCountyView {
    static func render(_ ctx: PageContext, _ p: ExecutionCountyPage, flash: (text: String, isError: Bool)?)
        -> Response {
        let l = ctx.l
        let pct = ExecutionViewParts.pct
        return Layout.page(
            ctx, title: l("execution.county.title", String(p.year)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            ExecutionViewParts.years(l, p.years, current: p.year, path: SiteRoute.execution.path),
            .div(.class("toolbar"), .if(p.canImport, .a(.class("button primary"),
                                                         .href(SiteRoute.executionImport.path + "?year=\(p.year)"),
                                                         .text(l("execution.import")))),
                 .a(.class("button secondary"), .href(SiteRoute.monitoring.path + "?year=\(p.year)"),
                    .text(l("monitoring.list.title", String(p.year)))),
                 .a(.class("button secondary"), .href(SiteRoute.evaluations.path + "?year=\(p.year)"),
                    .text(l("evaluation.list.title", String(p.year))))),
            .section(.class("card"), .id("county"),
                .dl(.class("facts figures"),
                    .dt(.text(l("execution.judgedOn"))), .dd(.text(p.day.description)),
                    .dt(.text(l("execution.adjusted"))), .dd(.text(ExecutionViewParts.wan(p.adjusted))),
                    .dt(.text(l("execution.paid"))), .dd(.text(ExecutionViewParts.wan(p.paid))),
                    .dt(.text(l("execution.rate"))), .dd(.strong(.id("county-rate"), .text(pct(p.rate)))),
                    .dt(.text(l("execution.elapsed"))), .dd(.text(pct(p.elapsed))))),
            .section(.class("card"), .id("units"),
                .h2(.text(l("execution.county.ranking", String(p.units.count)))),
                .if(p.units.isEmpty, .p(.class("empty"), .text(l("execution.none")))),
                .ul(.class("work-list"), .forEach(p.units) { u in
                    .li(.class("work-item \(u.colour.rawValue)"),
                        .a(.href(SiteRoute.executionUnit(code: u.code).path + "?year=\(p.year)"),
                           .span(.class("dot"), .attribute(named: "aria-hidden", value: "true")),
                           .span(.class("work-title"), .text(u.name)),
                           .span(.class("work-detail"), .text(l("execution.unit.line", pct(u.rate), pct(u.expected),
                                                                ExecutionViewParts.wan(u.paid),
                                                                ExecutionViewParts.wan(u.adjusted),
                                                                String(u.red), String(u.yellow)))),
                           .span(.class("visually-hidden"), .text(" " + l("execution.colour.\(u.colour.rawValue)")))))
                }),
                .p(.class("hint"), .text(l("execution.county.rankingRule")))),
            ExecutionViewParts.rules(l))
        .response()
    }
}

enum ExecutionUnitView {
    static func render(_ ctx: PageContext, _ p: ExecutionUnitPage, flash: (text: String, isError: Bool)?)
        -> Response {
        let l = ctx.l
        let pct = ExecutionViewParts.pct
        return Layout.page(
            ctx, title: l("execution.unit.title", p.unitName, String(p.year)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            ExecutionViewParts.years(l, p.years, current: p.year,
                                     path: SiteRoute.executionUnit(code: p.unitCode).path),
            .div(.class("toolbar"), .if(p.canImport, .a(.class("button primary"),
                                                         .href(SiteRoute.executionImport.path + "?year=\(p.year)"),
                                                         .text(l("execution.import")))),
                 .a(.class("button secondary"), .href(SiteRoute.monitoring.path + "?year=\(p.year)"),
                    .text(l("monitoring.list.title", String(p.year)))),
                 .a(.class("button secondary"), .href(SiteRoute.evaluations.path + "?year=\(p.year)"),
                    .text(l("evaluation.list.title", String(p.year)))),
                 .a(.class("button secondary"), .id("final-link"),
                    .href(SiteRoute.finalAccounts(code: p.unitCode, year: p.year).path),
                    .text(l("final.title", p.unitName, String(p.year))))),
            .unwrap(p.summary) { s in
                .section(.class("card"), .id("summary"),
                    .p(ExecutionViewParts.tag(l, s.colour, s.reason)),
                    .dl(.class("facts figures"),
                        .dt(.text(l("execution.judgedOn"))), .dd(.text(p.day.description)),
                        .dt(.text(l("execution.adjusted"))), .dd(.text(ExecutionViewParts.wan(s.adjusted))),
                        .dt(.text(l("execution.paid"))), .dd(.text(ExecutionViewParts.wan(s.paid))),
                        .dt(.text(l("execution.rate"))), .dd(.strong(.id("unit-rate"), .text(pct(s.rate)))),
                        .dt(.text(l("execution.expected"))), .dd(.text(pct(s.expected))),
                        .dt(.text(l("execution.elapsed"))), .dd(.text(pct(p.elapsed))),
                        .dt(.text(l("execution.basic"))), .dd(.text(ExecutionViewParts.wan(p.basicPaid)))))
            },
            .section(.class("card"), .id("projects"),
                .h2(.text(l("execution.projects", String(p.projects.count)))),
                .if(p.projects.isEmpty, .p(.class("empty"), .text(l("execution.none")))),
                .ul(.class("work-list"), .forEach(p.projects) { r in
                    .li(.class("work-item \(r.colour.rawValue)"),
                        .a(.href(SiteRoute.executionProject(code: p.unitCode, project: r.code).path
                                 + "?year=\(p.year)"),
                           .span(.class("dot"), .attribute(named: "aria-hidden", value: "true")),
                           .span(.class("work-title"), .text(r.name)),
                           .span(.class("work-detail"), .text(l("execution.project.line", pct(r.rate), pct(r.expected),
                                                                ExecutionViewParts.wan(r.paid),
                                                                ExecutionViewParts.wan(r.adjusted))
                                                              + " · " + l("execution.reason.\(r.reason.rawValue)"))),
                           .span(.class("visually-hidden"), .text(" " + l("execution.colour.\(r.colour.rawValue)")))))
                })),
            ExecutionViewParts.rules(l))
        .response()
    }
}

enum ExecutionProjectView {
    static func render(_ ctx: PageContext, _ p: ExecutionProjectPage, flash: (text: String, isError: Bool)?)
        -> Response {
        let l = ctx.l
        let r = p.project
        let pct = ExecutionViewParts.pct
        let plan = r.plan.map { l("execution.planPoint", String($0.month), String($0.percent)) }.joined(separator: "，")
        let base = SiteRoute.executionProject(code: r.unitCode, project: r.code).path
        return Layout.page(
            ctx, title: r.name,
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.executionUnit(code: r.unitCode).path + "?year=\(p.year)"),
                  .text("← " + r.unitName))),
            .section(.class("card"), .id("figures"),
                .p(ExecutionViewParts.tag(l, r.colour, r.reason)),
                .dl(.class("facts figures"),
                    .dt(.text(l("execution.approved"))), .dd(.text(ExecutionViewParts.wan(r.approved))),
                    .dt(.text(l("execution.adjusted"))), .dd(.text(ExecutionViewParts.wan(r.adjusted))),
                    .dt(.text(l("execution.paid"))), .dd(.text(ExecutionViewParts.wan(r.paid))),
                    .dt(.text(l("execution.rate"))), .dd(.strong(.id("project-rate"), .text(pct(r.rate)))),
                    .dt(.text(l("execution.expected"))), .dd(.text(pct(r.expected))),
                    .dt(.text(l("execution.plan"))), .dd(.text(plan.isEmpty ? l("execution.noPlan") : plan)))),
            .section(.class("card"), .id("monitoring"),
                .h2(.text(l("monitoring.points"))),
                .ul(.class("plain"), .forEach(p.monitoring) { m in
                    .li(.a(.href(SiteRoute.monitoringTable(code: r.unitCode, project: r.code,
                                                           point: m.point.description).path),
                           .text("\(p.year)年\(MonitoringRules.periodZh(m.point))（\(m.point)）")),
                        .text(" · " + (m.status.map(MonitoringView.statusZh) ?? l("monitoring.notStarted"))))
                }),
                .p(.class("hint"), .text(l("monitoring.pointsHint")))),
            .section(.class("card"), .id("adjustments"),
                .h2(.text(l("execution.adjustments", String(p.adjustments.count)))),
                .if(p.adjustments.isEmpty, .p(.class("empty"), .text(l("execution.noAdjustments")))),
                .ul(.class("plain"), .forEach(p.adjustments) { a in
                    .li(.text("\(a.day) · \(l("execution.kind.\(a.kind)")) · \(a.number) · "
                        + MoneyFormat.yuan(Fen(a.amountFen)) + " " + l("execution.yuan")))
                }),
                .if(p.canEdit, .details(.id("adjust"),
                    .summary(.text(l("execution.adjust"))),
                    .form(.method(.post), .action(SiteRoute.executionAdjust(code: r.unitCode, project: r.code).path),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .input(.type(.hidden), .name("year"), .value(String(p.year))),
                          Form.select(label: l("execution.adjust.kind"), name: "kind",
                                      options: BudgetAdjustment.Kind.allCases.map { k in
                                          (k.rawValue, l("execution.kind.\(k.rawValue)"))
                                      }, selected: "add"),
                          Form.field(label: l("execution.adjust.number"), name: "number", required: true,
                                     autocomplete: "off"),
                          Form.dateField(label: l("execution.adjust.day"), name: "day", value: "",
                                         hint: l("supervision.dateHint")),
                          Form.field(label: l("execution.adjust.amount"), name: "amount", required: true,
                                     autocomplete: "off", hint: l("execution.adjust.amountHint"),
                                     inputMode: "decimal"),
                          .button(.type(.submit), .class("button primary"), .text(l("execution.adjust.submit"))))))),
            .section(.class("card"), .id("payments"),
                .h2(.text(l("execution.payments", String(p.total)))),
                .if(p.canEdit, .details(.id("pay"),
                    .summary(.text(l("execution.pay"))),
                    .form(.method(.post), .action(SiteRoute.executionPay(code: r.unitCode, project: r.code).path),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .input(.type(.hidden), .name("year"), .value(String(p.year))),
                          Form.dateField(label: l("execution.col.paidOn"), name: "paid_on", value: "",
                                         hint: l("supervision.dateHint")),
                          Form.dateField(label: l("execution.col.plannedOn"), name: "planned_on", value: "",
                                         hint: l("execution.pay.plannedHint")),
                          Form.field(label: l("execution.col.amount"), name: "amount", required: true,
                                     autocomplete: "off", inputMode: "decimal"),
                          Form.field(label: l("execution.col.line"), name: "line", autocomplete: "off"),
                          Form.field(label: l("execution.col.fund"), name: "fund", autocomplete: "off"),
                          Form.field(label: l("execution.col.economic"), name: "economic", autocomplete: "off"),
                          .button(.type(.submit), .class("button primary"), .text(l("execution.pay.submit")))))),
                .if(p.payments.isEmpty, .p(.class("empty"), .text(l("execution.noPayments")))),
                .if(!p.payments.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                    .thead(.tr(.th(.text(l("execution.col.paidOn"))), .th(.text(l("execution.col.amount"))),
                               .th(.text(l("execution.col.plannedOn"))), .th(.text(l("execution.col.line"))),
                               .th(.text(l("execution.col.fund"))), .th(.text(l("execution.col.economic"))))),
                    .tbody(.forEach(p.payments) { m in
                        .tr(.td(.text(m.paidOn)), .td(.class("num"), .text(MoneyFormat.yuan(Fen(m.amountFen)))),
                            .td(.text(m.plannedOn ?? "")), .td(.text(m.line)), .td(.text(m.fund)),
                            .td(.text(m.economic)))
                    })))),
                Pager.render(l, basePath: base, query: "", page: p.page, perPage: ExecutionProjectPage.perPage,
                             total: p.total, extraQuery: "year=\(p.year)")),
            ExecutionViewParts.rules(l))
        .response()
    }
}

enum ExecutionImportView {
    static func render(_ ctx: PageContext, year: Int, problems: [WorkbookProblem], status: HTTPResponseStatus)
        -> Response {
        let l = ctx.l
        let english = l.language == .en
        let mapping = PaymentMapping.shared
        return Layout.page(
            ctx, title: l("execution.import"),
            .p(.a(.href(SiteRoute.execution.path + "?year=\(year)"), .text("← " + l("execution.title")))),
            .if(!problems.isEmpty, .section(.class("card"), .id("problems"),
                .div(.class("alert error"), .attribute(named: "role", value: "alert"),
                     .text(l("execution.import.refused", String(problems.count)))),
                .ul(.forEach(problems) { p in
                    .li(.text(english ? "\(p.placeEn): \(p.reasonEn)" : "\(p.placeZh)：\(p.reasonZh)"))
                }))),
            .form(.class("card"), .method(.post), .action(SiteRoute.executionImport.path),
                  .enctype(.multipartData), Form.csrf(ctx.csrfToken ?? ""),
                  .p(.class("hint"), .text(l("execution.import.hint"))),
                  Form.field(label: l("execution.import.year"), name: "year", value: String(year), required: true,
                             autocomplete: "off", inputMode: "numeric"),
                  .div(.class("field"),
                       .label(.for("file"), .text(l("execution.import.file"))),
                       .input(.id("file"), .name("file"), .type(.file),
                              .attribute(named: "accept", value: ".csv,.xlsx"))),
                  .button(.type(.submit), .class("button primary"), .text(l("execution.import.submit")))),
            .section(.class("card"), .id("columns"),
                .h2(.text(l("execution.import.columns"))),
                .ul(.class("plain"), .forEach(mapping.columns) { c in
                    .li(.text(c.headings.joined(separator: " / ") + (c.required ? " *" : "")))
                }),
                .p(.class("hint"), .text(l("execution.import.mapping")))))
        .response(status: status)
    }
}
