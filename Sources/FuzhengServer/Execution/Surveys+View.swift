import Foundation
import FuzhengCore
import Plot
import Vapor

enum SurveysView {
    static func list(_ ctx: PageContext, mine: [SurveyModel], toAnswer: [SurveyModel], canCreate: Bool,
                     units: [(String, String)], flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("survey.title"),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .if(!toAnswer.isEmpty, .section(.class("card"), .id("answer"),
                .h2(.text(l("survey.toAnswer"))),
                .ul(.class("plain"), .forEach(toAnswer) { s in
                    .li(.a(.href(SiteRoute.survey(id: s.id?.uuidString ?? "").path), .text(s.title)))
                }))),
            .section(.class("card"), .id("mine"),
                .h2(.text(l("survey.mine"))),
                .if(mine.isEmpty, .p(.class("empty"), .text(l("survey.none")))),
                .ul(.class("plain"), .forEach(mine) { s in
                    .li(.a(.href(SiteRoute.survey(id: s.id?.uuidString ?? "").path), .text(s.title)),
                        .text(" · " + l("survey.status.\(s.status)") + " · " + l("survey.invited", String(s.invited))))
                })),
            .if(canCreate, .details(.class("card"), .id("new"),
                .summary(.text(l("survey.new"))),
                .form(.method(.post), .action(SiteRoute.surveys.path), Form.csrf(ctx.csrfToken ?? ""),
                      Form.field(label: l("survey.field.title"), name: "title", required: true, autocomplete: "off"),
                      Form.textarea(label: l("survey.field.questions"), name: "questions",
                                    value: "对一体化移动办公系统的总体满意度\n系统运行的稳定性\n操作的便捷性", rows: 4),
                      Form.select(label: l("survey.field.formula"), name: "formula",
                                  options: SurveyRateFormula.allCases.map { ($0.rawValue, $0.definitionZh) },
                                  selected: SurveyRateFormula.topThree.rawValue),
                      .div(.class("field"),
                           .label(.for("units"), .text(l("survey.field.units"))),
                           .element(named: "select", nodes: [
                               .attribute(named: "id", value: "units"), .attribute(named: "name", value: "units[]"),
                               .attribute(named: "multiple", value: "multiple"), .attribute(named: "size", value: "5"),
                               .group(units.map { u in
                                   .element(named: "option", nodes: [.attribute(named: "value", value: u.0),
                                                                     .text("\(u.1)（\(u.0)）")])
                               }),
                           ])),
                      .p(.class("hint"), .text(l("survey.anonymous"))),
                      .button(.type(.submit), .class("button primary"), .text(l("survey.send")))))))
        .response()
    }

    static func show(_ ctx: PageContext, _ s: SurveyModel, results: [Surveys.Result], manages: Bool, mayAnswer: Bool,
                     flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        let id = s.id?.uuidString ?? ""
        let levels = SurveyLevel.allCases
        let pct = SupervisionStatistics.percentText
        return Layout.page(
            ctx, title: s.title,
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.surveys.path), .text("← " + l("survey.title")))),
            .if(mayAnswer, .form(.class("card"), .id("form"), .method(.post),
                .action(SiteRoute.surveyAnswer(id: id).path), Form.csrf(ctx.csrfToken ?? ""),
                .p(.class("hint"), .text(l("survey.anonymous"))),
                .forEach(Array(s.questionList.enumerated())) { i, q in
                    .fieldset(.element(named: "legend", text: "\(i + 1). \(q)"),
                        .forEach(levels) { level in
                            .label(.class("choice"),
                                   .input(.type(.radio), .name("q\(i)"), .value(level.rawValue),
                                          .attribute(named: "required", value: "required")),
                                   .text(" " + l.term(level.zh)))
                        })
                },
                .button(.type(.submit), .class("button primary"), .text(l("survey.submit"))))),
            .if(manages, .section(.class("card"), .id("results"),
                .h2(.text(l("survey.results", l("survey.status.\(s.status)")))),
                .p(.class("hint definition"), .text(s.formulaValue.definitionZh + "；" + l("survey.marginRule"))),
                .forEach(results) { r in
                    .div(.class("survey-question"),
                         .h3(.text(r.question)),
                         .p(.strong(.class("survey-rate"), .text(pct(r.result.rate))),
                            .text(" " + l("survey.counts", String(r.result.answers), String(r.result.base),
                                          String(s.invited),
                                          r.result.margin.map { "±" + pct($0) } ?? "—"))),
                         .ul(.class("plain"), .forEach(levels) { level in
                             .li(.text("\(l.term(level.zh))：\(r.counts[level] ?? 0)"))
                         }))
                },
                .if(s.status == "open", .form(.method(.post), .action(SiteRoute.surveyTokens(id: id).path),
                                              Form.csrf(ctx.csrfToken ?? ""),
                                              Form.field(label: l("survey.tokens.count"), name: "count", value: "20",
                                                         autocomplete: "off", hint: l("survey.tokens.hint"),
                                                         inputMode: "numeric"),
                                              .button(.type(.submit), .class("button secondary"),
                                                      .text(l("survey.tokens.make"))))),
                .if(s.status == "open", .form(.method(.post), .action(SiteRoute.surveyClose(id: id).path),
                                              Form.csrf(ctx.csrfToken ?? ""),
                                              .button(.type(.submit), .class("button secondary"),
                                                      .text(l("survey.close"))))))))
        .response()
    }

    static func tokens(_ ctx: PageContext, _ s: SurveyModel, links: [String]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("survey.tokens.title"),
            .p(.a(.href(SiteRoute.survey(id: s.id?.uuidString ?? "").path), .text("← " + s.title))),
            .div(.class("alert warning"), .text(l("survey.tokens.once"))),
            .section(.class("card"), .id("links"), .ol(.forEach(links) { .li(.code(.text($0))) })))
        .response()
    }

    static func publicForm(_ ctx: PageContext, _ s: SurveyModel, path: String, error: String? = nil) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: s.title,
            .alert(error, kind: "error"),
            .form(.class("card"), .method(.post), .action(path), Form.csrf(ctx.csrfToken ?? ""),
                  .p(.class("hint"), .text(l("survey.anonymous"))),
                  .forEach(Array(s.questionList.enumerated())) { i, q in
                      .fieldset(.element(named: "legend", text: "\(i + 1). \(q)"),
                          .forEach(SurveyLevel.allCases) { level in
                              .label(.class("choice"),
                                     .input(.type(.radio), .name("q\(i)"), .value(level.rawValue),
                                            .attribute(named: "required", value: "required")),
                                     .text(" " + l.term(level.zh)))
                          })
                  },
                  .button(.type(.submit), .class("button primary"), .text(l("survey.submit")))))
        .response()
    }

    static func publicDone(_ ctx: PageContext, thanks: Bool, status: HTTPResponseStatus) -> Response {
        let l = ctx.l
        return Layout.page(ctx, title: l("survey.title"),
                           .p(.class(thanks ? "alert success" : "alert error"),
                              .text(l(thanks ? "survey.thanks" : "survey.tokens.spent"))))
        .response(status: status)
    }
}
