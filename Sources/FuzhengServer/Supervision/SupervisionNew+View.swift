import Foundation
import FuzhengCore
import Plot
import Vapor

/// 立项: the 督办单 form, filled in from its source when it comes from a 批示 or a 纪要.
struct SupervisionNewPage: Sendable {
    var fields: [String: String]
    var problems: [FieldProblem]
    var units: [(code: String, name: String)]
    var leaders: [(username: String, name: String)]
    var sourceTitle: String?
}

enum SupervisionNewView {
    static func render(_ ctx: PageContext, _ p: SupervisionNewPage, status: HTTPResponseStatus) -> Response {
        let l = ctx.l
        let f = p.fields
        func error(_ field: String) -> String? {
            let list = p.problems.filter { $0.field == field }.map { l.language == .zh ? $0.zh : $0.en }
            return list.isEmpty ? nil : list.joined(separator: "；")
        }
        let assisting = Set((f["assisting"] ?? "").split(separator: ",").map(String.init))
        return Layout.page(
            ctx, title: l("supervision.new"),
            .p(.a(.href(SiteRoute.supervision.path), .text("← " + l("supervision.title")))),
            .unwrap(p.sourceTitle) { t in .p(.class("alert info"), .text(l("supervision.new.from", t))) },
            .form(.class("card"), .method(.post), .action(SiteRoute.supervision.path),
                  .attribute(named: "novalidate", value: "novalidate"),
                  Form.csrf(ctx.csrfToken ?? ""),
                  Form.errorSummary(p.problems.isEmpty ? nil : l("form.hasErrors")),
                  .input(.type(.hidden), .name("incoming"), .value(f["incoming"] ?? "")),
                  .input(.type(.hidden), .name("document"), .value(f["document"] ?? "")),
                  Form.field(label: l("supervision.col.title"), name: "title", value: f["title"] ?? "",
                             error: error("title"), required: true, autocomplete: "off"),
                  Form.select(label: l("supervision.col.source"), name: "source",
                              options: SupervisionSource.allCases.map {
                                  ($0.rawValue, l("supervision.source.\($0.rawValue)"))
                              },
                              selected: f["source"] ?? "meeting", error: error("source")),
                  Form.field(label: l("supervision.col.sourceText"), name: "source_text", value: f["source_text"] ?? "",
                             autocomplete: "off", hint: l("supervision.sourceTextHint")),
                  Form.textarea(label: l("supervision.col.requirement"), name: "requirement",
                                value: f["requirement"] ?? "", rows: 3),
                  SupervisionItemView.unitSelect(l, name: "lead", id: "lead", units: p.units,
                                                 selected: f["lead"] ?? ""),
                  .if(error("lead") != nil, .p(.class("error"), .text(error("lead") ?? ""))),
                  .div(.class("field"),
                       .label(.for("assisting"), .text(l("supervision.col.assisting"))),
                       .element(named: "select", nodes: [
                           .attribute(named: "id", value: "assisting"), .attribute(named: "name", value: "assisting[]"),
                           .attribute(named: "multiple", value: "multiple"), .attribute(named: "size", value: "5"),
                           .group(p.units.map { u in
                               .element(named: "option", nodes: [
                                   .attribute(named: "value", value: u.code),
                                   .attribute(named: "selected", value: assisting.contains(u.code) ? "selected" : nil),
                                   .text("\(u.name)（\(u.code)）")])
                           }),
                       ]),
                       .p(.class("hint"), .text(l("supervision.assistingHint")))),
                  Form.field(label: l("supervision.col.responsible"), name: "responsible",
                             value: f["responsible"] ?? "", autocomplete: "off"),
                  Form.select(label: l("supervision.col.leader"), name: "leader",
                              options: [("", l("supervision.choose"))] + p.leaders.map { ($0.username, $0.name) },
                              selected: f["leader"] ?? "", required: false),
                  Form.dateField(label: l("supervision.col.deadline"), name: "deadline", value: f["deadline"] ?? "",
                                 hint: l("supervision.dateHint"), error: error("deadline")),
                  Form.select(label: l("supervision.col.kind"), name: "kind",
                              options: SupervisionKind.allCases.map {
                                  ($0.rawValue, l("supervision.kind.\($0.rawValue)"))
                              },
                              selected: f["kind"] ?? "general"),
                  Form.select(label: l("supervision.col.cycle"), name: "cycle",
                              options: ["weekly", "monthly", "once"].map { ($0, l("supervision.cycle.\($0)")) },
                              selected: f["cycle"] ?? "monthly"),
                  Form.field(label: l("supervision.cycleDay"), name: "cycle_day", value: f["cycle_day"] ?? "",
                             error: error("cycle_day"), autocomplete: "off", hint: l("supervision.cycleDayHint"),
                             inputMode: "numeric"),
                  Form.dateField(label: l("supervision.reportOn"), name: "report_on", value: f["report_on"] ?? "",
                                 hint: l("supervision.reportOnHint")),
                  Form.field(label: l("supervision.col.proposer"), name: "proposer", value: f["proposer"] ?? "",
                             error: error("proposer"), autocomplete: "off", hint: l("supervision.proposerHint")),
                  .p(.class("hint"), .text(l("supervision.workReportHint"))),
                  .button(.type(.submit), .class("button primary"), .text(l("supervision.create")))))
        .response(status: status)
    }
}
