import Foundation
import FuzhengCore
import Plot
import Vapor

/// The 自评表: the score as it stands (with its rules), one block per indicator (stacked on a phone), the
/// conclusion, the workflow and its history.
enum EvaluationView {
    static func statusText(_ l: L10n, _ s: EvaluationStatus?) -> String {
        s.map { l("evaluation.status.\($0.rawValue)") } ?? l("evaluation.status.none")
    }

    static func render(_ ctx: PageContext, _ p: EvaluationPage, errors: [String: String],
                       flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let e = p.evaluation
        let shown = SelfEvaluation.shown
        let file = { (f: String) in
            SiteRoute.evaluationFile(code: e.unitCode, year: e.year, project: e.projectCode, format: f).path
        }
        func line(_ i: Int, _ x: EvaluatedIndicator) -> Node<HTML.FormContext> {
            let s = p.score.flatMap { i < $0.lines.count ? $0.lines[i] : nil }
            let qualitative = x.indicator.comparator == .qualitative
            return .fieldset(.class("card indicator"), .id("line-\(i)"),
                .element(named: "legend", nodes: [.text("\(i + 1). \(x.indicator.name)")]),
                .p(.class("hint"), .text("\(x.indicator.level1) · \(x.indicator.level2) · "
                    + l("evaluation.target", x.indicator.displayValue)
                    + (s.map { " · " + l("evaluation.lineScore", shown($0.score), shown($0.weight)) } ?? ""))),
                Form.field(label: l("evaluation.weight"), name: "weight_\(i)",
                           value: x.weight.map { "\($0)" } ?? "", error: errors["weight_\(i)"], autocomplete: "off",
                           hint: l("evaluation.weightHint"), inputMode: "decimal"),
                qualitative
                    ? .group([
                        Form.select(label: l("evaluation.judgement"), name: "judgement_\(i)",
                                    options: [("", l("monitoring.choose"))] + Judgement.allCases.map {
                                        ($0.rawValue, EvaluationRules.shared.band($0)?.name ?? $0.rawValue)
                                    }, selected: x.judgement?.rawValue ?? "", error: errors["judgement_\(i)"]),
                        Form.field(label: l("evaluation.band"), name: "band_\(i)",
                                   value: x.bandPercent.map(String.init) ?? "", error: errors["band_\(i)"],
                                   autocomplete: "off", hint: l("evaluation.bandHint"), inputMode: "numeric"),
                    ])
                    : Form.field(label: l("evaluation.actual"), name: "actual_\(i)", value: x.actual,
                                 error: errors["actual_\(i)"], autocomplete: "off",
                                 hint: x.note.isEmpty ? nil : x.note),
                Form.textarea(label: l("evaluation.cause"), name: "cause_\(i)", value: x.cause, rows: 2),
                Form.textarea(label: l("evaluation.improvement"), name: "improvement_\(i)", value: x.improvement,
                              rows: 2),
                .input(.type(.hidden), .name("note_\(i)"), .value(x.note)))
        }
        let table: Node<HTML.BodyContext> = .unwrap(EvaluationController.document(p)) { doc in
            .div(.class("table-scroll"), .table(.class("data"), .tbody(.forEach(doc.rows) { row in
                .tr(.forEach(row) { .td(.text($0)) })
            })))
        }
        let rules = EvaluationRules.shared
        return Layout.page(
            ctx, title: l("evaluation.title", e.projectName, String(e.year)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.evaluations.path + "?year=\(e.year)"), .text("← " + l("evaluation.list.title",
                                                                                         String(e.year))))),
            .p(.class("status-chips"),
               .span(.class(p.status == .published ? "tag ok" : p.status == .draft ? "tag note" : "tag warn"),
                     .id("evaluation-status"), .text(statusText(l, p.status))),
               .text(" "), .a(.href(file("xlsx")), .text("XLSX")), .text(" · "),
               .a(.href(file("docx")), .text("DOCX")), .text(" · "), .a(.href(file("pdf")), .text("PDF"))),
            .section(.class("card"), .id("score"),
                .dl(.class("facts figures"),
                    .dt(.text(l("evaluation.execution"))),
                    .dd(.text(p.score.map { shown($0.executionRate * 100) + "% · " + shown($0.executionScore) }
                        ?? "—")),
                    .dt(.text(l("evaluation.total"))),
                    .dd(.strong(.id("evaluation-total"), .text(p.score.map { shown($0.total) } ?? "—"))),
                    .dt(.text(l("evaluation.grade"))),
                    .dd(.strong(.id("evaluation-grade"), .text(p.score?.grade ?? "—")))),
                .p(.class("hint definition"), .text(l("evaluation.rules", rules.levels.map {
                    "\($0.name)\($0.weight)分"
                }.joined(separator: "、"), rules.grades.map { "\($0.name)≥\($0.min)" }.joined(separator: "、"))))),
            .if(p.canEdit, .form(.method(.post), .action(p.path), .id("evaluation"), Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(p.version))),
                .if(p.rescoring, Form.textarea(label: l("evaluation.reason"), name: "reason", value: "",
                                               error: errors["reason"], rows: 2)),
                Form.textarea(label: l("evaluation.executionExplanation"), name: "execution",
                              value: e.executionExplanation, rows: 2),
                .group(e.indicators.enumerated().map { line($0.offset, $0.element) }),
                Form.textarea(label: l("evaluation.conclusion"), name: "conclusion", value: e.conclusion, rows: 3),
                Form.textarea(label: l("evaluation.problems"), name: "problems", value: e.problems, rows: 3),
                Form.textarea(label: l("evaluation.improvements"), name: "improvements", value: e.improvements,
                              rows: 3),
                .if(!p.problems.isEmpty, .details(.class("card"), .id("problems"),
                    .summary(.text(l("monitoring.problems", String(p.problems.count)))),
                    .ul(.forEach(p.problems) { .li(.text(l.language == .en ? $0.en : $0.zh)) }))),
                .div(.class("actions"),
                     .button(.type(.submit), .name("intent"), .value("save"), .class("button secondary"),
                             .text(l(p.rescoring ? "evaluation.rescore" : "monitoring.save"))),
                     .if(!p.rescoring, .button(.type(.submit), .name("intent"), .value("submit"),
                                               .class("button primary"), .text(l("monitoring.submit"))))))),
            .if(!p.canEdit, .section(.class("card"), .id("table"), table)),
            .section(.class("card"), .id("workflow"),
                .h2(.text(l("monitoring.workflow"))),
                .forEach(p.actions.filter { $0.action != .submit }) { t in
                    .form(.method(.post), .class("inline-form"),
                          .action(SiteRoute.evaluationStep(code: e.unitCode, year: e.year, project: e.projectCode)
                            .path),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .input(.type(.hidden), .name("action"), .value(t.action.rawValue)),
                          .input(.type(.hidden), .name("version"), .value(String(p.version))),
                          .if(t.action == .sendBack, Form.textarea(label: l("monitoring.comment"), name: "comment",
                                                                  value: "", rows: 2, id: "comment-send-back")),
                          .button(.type(.submit), .class(t.action == .sendBack ? "button secondary" : "button primary"),
                                  .text(l("evaluation.action.\(t.action.rawValue)"))))
                },
                .if(p.events.isEmpty, .p(.class("empty"), .text(l("monitoring.noHistory")))),
                .ol(.class("history"), .forEach(p.events) { ev in
                    .li(.text("\(DocumentView.time(ev.at)) \(ev.displayName) "
                        + l("evaluation.action.\(ev.action)") + (ev.comment.isEmpty ? "" : "：" + ev.comment)))
                })))
        .response(status: status)
    }
}

enum EvaluationListView {
    static func render(_ ctx: PageContext, _ p: EvaluationListPage) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("evaluation.list.title", String(p.year)),
            .if(p.rows.isEmpty, .p(.class("empty"), .text(l("evaluation.list.none")))),
            .if(!p.rows.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("monitoring.list.unit"))), .th(.text(l("monitoring.list.project"))),
                           .th(.text(l("evaluation.total"))), .th(.text(l("evaluation.grade"))),
                           .th(.text(l("monitoring.list.status"))))),
                .tbody(.forEach(p.rows) { r in
                    .tr(.td(.text(r.unitName)),
                        .td(.a(.href(SiteRoute.evaluation(code: r.unitCode, year: p.year, project: r.projectCode)
                                        .path), .text(r.projectName))),
                        .td(.text(r.total)), .td(.text(r.grade)), .td(.text(EvaluationView.statusText(l, r.status))))
                })))))
        .response()
    }
}

enum EvaluationPublicView {
    static func render(_ ctx: PageContext, unitName: String, year: Int, tables: [(String, [[String]])]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("evaluation.public.title", unitName, String(year)),
            .forEach(tables) { name, rows in
                .section(.class("card"), .h2(.text(name)),
                         .div(.class("table-scroll"), .table(.class("data"), .tbody(.forEach(rows) { row in
                             .tr(.forEach(row) { .td(.text($0)) })
                         }))))
            })
        .response()
    }
}
