import Foundation
import FuzhengCore
import Plot
import Vapor

enum SupervisionListView {
    static func render(_ ctx: PageContext, _ p: SupervisionListPage, flash: (text: String, isError: Bool)?)
        -> Response {
        let l = ctx.l
        let f = p.filter
        let base = SiteRoute.supervision.path
        let views = [("open", l("supervision.view.open")), ("closed", l("supervision.view.closed")),
                     ("all", l("supervision.view.all"))]
        let colours = [("", l("supervision.colour.any")), ("red", l("supervision.colour.red")),
                       ("yellow", l("supervision.colour.yellow")), ("green", l("supervision.colour.green"))]
        return Layout.page(
            ctx, title: l("supervision.title"),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .div(.class("toolbar"),
                 .if(p.canCreate, .a(.class("button primary"), .href(SiteRoute.supervisionNew.path),
                                     .text(l("supervision.new")))),
                 .a(.class("button secondary"), .href(SiteRoute.supervisionStatistics.path),
                    .text(l("supervision.statistics")))),
            .if(!p.red.isEmpty, .section(.class("card"), .id("red"),
                .h2(.text(l("supervision.leader.red", String(p.red.count)))),
                list(l, p.red))),
            .if(!p.mine.isEmpty, .section(.class("card"), .id("mine"),
                .h2(.text(l("supervision.leader.mine"))),
                list(l, p.mine, progress: true))),
            .if(!f.rate.isEmpty, .p(.class("alert info"),
                .text(l("supervision.drill.\(f.rate)", f.from?.description ?? "", f.to?.description ?? "")),
                .text(" "), .a(.href(base), .text(l("supervision.drill.clear"))))),
            .form(.class("filters"), .method(.get), .action(base),
                  .if(!f.rate.isEmpty, .group(
                      .input(.type(.hidden), .name("rate"), .value(f.rate)),
                      .input(.type(.hidden), .name("from"), .value(f.from?.description ?? "")),
                      .input(.type(.hidden), .name("to"), .value(f.to?.description ?? "")))),
                  Form.select(label: l("supervision.filter.view"), name: "view", options: views, selected: f.view,
                              required: false),
                  Form.select(label: l("supervision.filter.colour"), name: "colour", options: colours,
                              selected: f.colour, required: false),
                  Form.select(label: l("supervision.col.source"), name: "source",
                              options: [("", l("supervision.colour.any"))]
                                  + p.sources.map { ($0.rawValue, l("supervision.source.\($0.rawValue)")) },
                              selected: f.source, required: false),
                  Form.select(label: l("supervision.col.lead"), name: "unit",
                              options: [("", l("supervision.colour.any"))] + p.units.map { ($0.code, $0.name) },
                              selected: f.unit, required: false),
                  Form.field(label: l("supervision.filter.words"), name: "q", value: f.query, type: .search,
                             autocomplete: "off"),
                  .button(.type(.submit), .class("button secondary"), .text(l("list.search")))),
            .section(.class("card"),
                .h2(.text(l("supervision.list.heading", String(p.total)))),
                .if(p.items.isEmpty, .p(.class("empty"),
                                        .text(l(f.isPlain ? "supervision.none" : "supervision.noMatch")))),
                list(l, p.items, progress: true),
                Pager.render(l, basePath: base, query: f.query, page: f.page, perPage: SupervisionListPage.perPage,
                             total: p.total, extraQuery: f.queryString)),
            .section(.class("card"), .id("rules"),
                .h2(.text(l("supervision.rules.heading"))),
                rules(l)))
        .response()
    }

    static func list(_ l: L10n, _ items: [SupervisionListPage.Item], progress: Bool = false) -> Node<HTML.BodyContext> {
        .ul(.class("work-list"), .forEach(items) { i in
            let r = i.row
            var detail = [r.number_text, i.unitName, l("supervision.dueOn", r.due_on)]
            if r.state == "closed" { detail.append(l("supervision.closedOn", r.closed_on ?? "")) }
            else if r.state == "assigned" { detail.append(l("supervision.state.assigned")) }
            if progress { detail.append(l("supervision.progress", String(r.progress))) }
            detail.append(l("supervision.reason.\(i.reason.rawValue)"))
            return .li(.class("work-item \(i.colour.rawValue)"),
                       .a(.href(SiteRoute.supervisionItem(id: r.id.uuidString).path),
                          .span(.class("dot"), .attribute(named: "aria-hidden", value: "true")),
                          .span(.class("work-title"), .text(r.title)),
                          .span(.class("work-detail"), .text(detail.joined(separator: " · "))),
                          .span(.class("visually-hidden"), .text(" " + l("supervision.colour.\(i.colour.rawValue)")))))
        })
    }

    /// The warning rules as data, printed where the colours are.
    static func rules(_ l: L10n) -> Node<HTML.BodyContext> {
        let r = SupervisionRules.shared
        return .ul(.class("plain"),
                   .li(.text(l("supervision.rules.red"))),
                   .li(.text(l("supervision.rules.yellow", String(r.yellowWorkingDays), String(r.behindPoints)))),
                   .li(.text(l("supervision.rules.green"))),
                   .li(.text(l("supervision.rules.elapsed"))),
                   .li(.text(l("supervision.rules.escalate", String(r.escalateAfterWorkingDays)))))
    }
}
