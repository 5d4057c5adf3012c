import Foundation
import FuzhengCore
import Plot
import Vapor

/// The 监控表: spending at the point, one block per indicator (on a phone the blocks stack), the workflow and its
/// history. A bound indicator shows its metric's value and what it was computed over instead of a field.
enum MonitoringView {
    static func statusZh(_ s: MonitoringStatus) -> String {
        switch s {
        case .draft: "填报中"
        case .submitted: "已提交，待财政审核"
        case .approved: "财政审核通过"
        }
    }

    static func render(_ ctx: PageContext, _ p: MonitoringPage, errors: [String: String],
                       flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let s = p.sheet
        let pct = SupervisionStatistics.percentText
        let project = SiteRoute.executionProject(code: s.unitCode, project: s.projectCode).path + "?year=\(s.year)"
        let file = { (f: String) in
            SiteRoute.monitoringFile(code: s.unitCode, project: s.projectCode, point: s.point.description, format: f)
                .path
        }
        let metrics = MetricCatalog.shared.metrics
        func entry(_ i: Int, _ e: MonitoringEntry) -> Node<HTML.FormContext> {
            .fieldset(.class("card indicator"), .id("line-\(i)"),
                .element(named: "legend", nodes: [.text("\(i + 1). \(e.name)")]),
                .p(.class("hint"), .text("\(e.level1) · \(e.level2) · " + l("monitoring.target", e.target))),
                Form.select(label: l("monitoring.source"), name: "metric_\(i)",
                            options: [("", l("monitoring.byHand"))] + metrics.map { ($0.id, $0.name) },
                            selected: e.metric ?? "", required: false),
                e.metric == nil
                    ? Form.field(label: l("monitoring.value"), name: "value_\(i)", value: e.value,
                                 error: errors["value_\(i)"], autocomplete: "off")
                    : .div(.class("field live"),
                           .p(.strong(.class("live-value"), .id("value-\(i)"), .text(e.value.isEmpty ? "—" : e.value)),
                              .text(" " + l("monitoring.live"))),
                           .p(.class("hint"), .text(e.basis))),
                Form.select(label: l("monitoring.likelihood"), name: "likelihood_\(i)",
                            options: [("", l("monitoring.choose"))] + Likelihood.allCases.map { ($0.rawValue, $0.zh) },
                            selected: e.likelihood?.rawValue ?? "", error: errors["likelihood_\(i)"],
                            required: true),
                Form.select(label: l("monitoring.cause"), name: "cause_\(i)",
                            options: [("", l("monitoring.choose"))]
                                + DeviationCause.allCases.map { ($0.rawValue, $0.zh) },
                            selected: e.cause?.rawValue ?? "", error: errors["cause_\(i)"], required: false),
                Form.textarea(label: l("monitoring.causeText"), name: "cause_text_\(i)", value: e.causeText, rows: 2),
                Form.textarea(label: l("monitoring.measures"), name: "measures_\(i)", value: e.measures, rows: 2))
        }
        let readOnly: Node<HTML.BodyContext> = .div(.class("table-scroll"), .table(.class("data"),
            .thead(.tr(.forEach(MonitoringSheet.columnsZh) { .th(.text($0)) })),
            .tbody(.forEach(s.rows().dropFirst(6)) { row in .tr(.forEach(row) { .td(.text($0)) }) })))
        return Layout.page(
            ctx, title: l("monitoring.title", s.projectName, String(s.year), MonitoringRules.periodZh(s.point)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(project), .text("← " + s.projectName))),
            .p(.class("status-chips"),
               .span(.class(p.status == .approved ? "tag ok" : p.status == .submitted ? "tag warn" : "tag note"),
                     .id("monitoring-status"), .text(statusZh(p.status))),
               .text(" "), .a(.href(file("xlsx")), .text("XLSX")), .text(" · "),
               .a(.href(file("docx")), .text("DOCX"))),
            .section(.class("card"), .id("spending"),
                .h2(.text(l("monitoring.spending", s.point.description))),
                .dl(.class("facts figures"),
                    .dt(.text(l("monitoring.approved"))), .dd(.text(MoneyFormat.yuan(s.approved) + " 元")),
                    .dt(.text(l("monitoring.adjusted"))), .dd(.text(MoneyFormat.yuan(s.adjusted) + " 元")),
                    .dt(.text(l("monitoring.paid"))), .dd(.text(MoneyFormat.yuan(s.paid) + " 元")),
                    .dt(.text(l("monitoring.rate"))), .dd(.strong(.id("monitoring-rate"),
                                                                   .text(pct(s.rate) + " / " + pct(s.planned)))),
                    .dt(.text(l("monitoring.forecast"))),
                    .dd(.text(s.forecast.map { MoneyFormat.yuan($0) + " 元" } ?? "—"))),
                .p(.class("hint definition"), .text(l("monitoring.rateDefinition")))),
            .if(p.canEdit, .form(.method(.post), .action(p.path), .id("sheet"), Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(p.version))),
                Form.field(label: l("monitoring.forecast"), name: "forecast",
                           value: s.forecast.map(MoneyFormat.yuan) ?? "", error: errors["forecast"],
                           autocomplete: "off", hint: l("monitoring.forecastHint"), inputMode: "decimal"),
                .group(s.entries.enumerated().map { entry($0.offset, $0.element) }),
                .if(!p.problems.isEmpty, .details(.class("card"), .id("problems"),
                    .summary(.text(l("monitoring.problems", String(p.problems.count)))),
                    .ul(.forEach(p.problems) { .li(.text(l.language == .en ? $0.en : $0.zh)) }))),
                .div(.class("actions"),
                     .button(.type(.submit), .name("intent"), .value("save"), .class("button secondary"),
                             .text(l("monitoring.save"))),
                     .button(.type(.submit), .name("intent"), .value("submit"), .class("button primary"),
                             .text(l("monitoring.submit")))))),
            .if(!p.canEdit, .section(.class("card"), .id("indicators"),
                .h2(.text(l("monitoring.indicators"))), readOnly)),
            .section(.class("card"), .id("workflow"),
                .h2(.text(l("monitoring.workflow"))),
                .forEach(p.actions.filter { $0.action != .submit }) { t in
                    .form(.method(.post), .class("inline-form"),
                          .action(SiteRoute.monitoringStep(code: s.unitCode, project: s.projectCode,
                                                           point: s.point.description).path),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .input(.type(.hidden), .name("action"), .value(t.action.rawValue)),
                          .input(.type(.hidden), .name("version"), .value(String(p.version))),
                          .if(t.action == .sendBack, Form.textarea(label: l("monitoring.comment"), name: "comment",
                                                                  value: "", rows: 2, id: "comment-send-back")),
                          .button(.type(.submit), .class(t.action == .approve ? "button primary" : "button secondary"),
                                  .text(l("monitoring.action.\(t.action.rawValue)"))))
                },
                .if(p.events.isEmpty, .p(.class("empty"), .text(l("monitoring.noHistory")))),
                .ol(.class("history"), .forEach(p.events) { e in
                    .li(.text("\(DocumentView.time(e.at)) \(e.displayName) "
                        + l("monitoring.action.\(e.action)") + (e.comment.isEmpty ? "" : "：" + e.comment)))
                })))
        .response(status: status)
    }
}

enum MonitoringListView {
    static func render(_ ctx: PageContext, _ p: MonitoringListPage) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("monitoring.list.title", String(p.year)),
            .p(.a(.href(SiteRoute.execution.path + "?year=\(p.year)"), .text("← " + l("execution.title")))),
            .if(p.rows.isEmpty, .p(.class("empty"), .text(l("monitoring.list.none")))),
            .if(!p.rows.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("monitoring.list.unit"))), .th(.text(l("monitoring.list.project"))),
                           .th(.text(l("monitoring.list.point"))), .th(.text(l("monitoring.list.status"))))),
                .tbody(.forEach(p.rows) { r in
                    .tr(.td(.text(r.unitName)),
                        .td(.a(.href(SiteRoute.monitoringTable(code: r.unitCode, project: r.projectCode,
                                                               point: r.point).path), .text(r.projectName))),
                        .td(.text(r.point)), .td(.text(MonitoringView.statusZh(r.status))))
                })))))
        .response()
    }
}
