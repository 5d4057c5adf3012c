import Foundation
import FuzhengCore
import Plot
import Vapor

enum SupervisionStatsView {
    static func render(_ ctx: PageContext, _ p: SupervisionStatsPage, flash: (text: String, isError: Bool)?)
        -> Response {
        let l = ctx.l
        let s = p.statistics
        let pct = SupervisionStatistics.percentText
        func drill(_ rate: String, unit: String = "", source: String = "") -> String {
            var q = "rate=\(rate)&from=\(p.from)&to=\(p.to)"
            if !unit.isEmpty { q += "&unit=" + QueryText.encode(unit) }
            if !source.isEmpty { q += "&source=" + QueryText.encode(source) }
            return SiteRoute.supervision.path + "?" + q
        }
        func count(_ n: Int, _ rate: String, unit: String = "", source: String = "") -> Node<HTML.BodyContext> {
            .a(.href(drill(rate, unit: unit, source: source)), .text(String(n)))
        }
        let chart = SupervisionChart.render(
            title: l("supervision.stats.chart", p.from.description, p.to.description),
            bars: s.units.prefix(15).map { .init(label: p.names[$0.key] ?? $0.key, closed: $0.rates.closedRate,
                                                 onTime: $0.rates.onTimeRate) },
            closedLabel: l("supervision.stats.closedRate"), onTimeLabel: l("supervision.stats.onTimeRate"),
            emptyText: l("supervision.stats.none"))
        func table(_ rows: [(rank: Int, row: SupervisionStatistics.Row)], label: (String) -> String, key: String,
                   ranked: Bool) -> Node<HTML.BodyContext> {
            .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.if(ranked, .th(.text(l("supervision.stats.rank")))), .th(.text(label(""))),
                           .th(.text(l("supervision.stats.due"))), .th(.text(l("supervision.stats.closed"))),
                           .th(.text(l("supervision.stats.closedRate"))), .th(.text(l("supervision.stats.onTime"))),
                           .th(.text(l("supervision.stats.onTimeRate"))))),
                .tbody(.forEach(rows) { i, r in
                    let unit = key == "unit" ? r.key : ""
                    let source = key == "source" ? r.key : ""
                    return .tr(.if(ranked, .td(.text(String(i)))), .td(.text(label(r.key))),
                               .td(count(r.rates.due, "due", unit: unit, source: source)),
                               .td(count(r.rates.closed, "closed", unit: unit, source: source)),
                               .td(.text(pct(r.rates.closedRate))),
                               .td(count(r.rates.onTime, "ontime", unit: unit, source: source)),
                               .td(.text(pct(r.rates.onTimeRate))))
                })))
        }
        return Layout.page(
            ctx, title: l("supervision.stats.title"),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.supervision.path), .text("← " + l("supervision.title")))),
            .p(.class("status-chips"), .forEach(p.presets) { preset in
                let current = preset.from == p.from && preset.to == p.to
                return .a(.class(current ? "tag ok" : "tag note"),
                          .href(SiteRoute.supervisionStatistics.path + "?from=\(preset.from)&to=\(preset.to)"),
                          .attribute(named: "aria-current", value: current ? "page" : nil),
                          .text(l("supervision.stats.preset.\(preset.key)")))
            }),
            .form(.class("filters"), .method(.get), .action(SiteRoute.supervisionStatistics.path),
                  Form.dateField(label: l("supervision.stats.from"), name: "from", value: p.from.description,
                                 hint: ""),
                  Form.dateField(label: l("supervision.stats.to"), name: "to", value: p.to.description, hint: ""),
                  .button(.type(.submit), .class("button secondary"), .text(l("supervision.stats.show")))),
            .section(.class("card"), .id("county"),
                .h2(.text(l("supervision.stats.period", p.from.description, p.to.description))),
                .dl(.class("facts figures"),
                    .dt(.text(l("supervision.stats.due"))), .dd(count(s.county.due, "due")),
                    .dt(.text(l("supervision.stats.closed"))), .dd(count(s.county.closed, "closed")),
                    .dt(.text(l("supervision.stats.closedRate"))),
                    .dd(.strong(.id("closed-rate"), .text(pct(s.county.closedRate)))),
                    .dt(.text(l("supervision.stats.onTime"))), .dd(count(s.county.onTime, "ontime")),
                    .dt(.text(l("supervision.stats.onTimeRate"))),
                    .dd(.strong(.id("ontime-rate"), .text(pct(s.county.onTimeRate)))),
                    .dt(.text(l("supervision.stats.early"))), .dd(count(s.county.closedBeforePeriod, "early")),
                    .dt(.text(l("supervision.stats.open"))), .dd(.text(String(p.openCount)))),
                .p(.class("hint definition"), .text(l("supervision.stats.definition")))),
            .if(s.proposals.due > 0, .section(.class("card"), .id("proposals"),
                .h2(.text(l("supervision.stats.proposals"))),
                .dl(.class("facts figures"),
                    .dt(.text(l("supervision.stats.proposalsDue"))), .dd(.text(String(s.proposals.due))),
                    .dt(.text(l("supervision.stats.replyRate"))), .dd(.strong(.text(pct(s.proposals.replyRate)))),
                    .dt(.text(l("supervision.stats.rated"))), .dd(.text(String(s.proposals.rated))),
                    .dt(.text(l("supervision.stats.satisfactionRate"))),
                    .dd(.strong(.text(pct(s.proposals.satisfactionRate))))),
                .p(.class("hint definition"), .text(l("supervision.stats.proposalDefinition"))))),
            .section(.class("card"), .id("chart"),
                .div(.class("chart-box"), .trustedMarkup(escapedBy: "SupervisionChart", chart))),
            .section(.class("card"), .id("units"),
                .h2(.text(l("supervision.stats.ranking"))),
                .if(s.units.isEmpty, .p(.class("empty"), .text(l("supervision.stats.none")))),
                .if(!s.units.isEmpty, table(p.shownUnits, label: { $0.isEmpty ? l("supervision.col.lead")
                    : (p.names[$0] ?? $0) }, key: "unit", ranked: true)),
                .if(p.shownUnits.count < s.units.count, .p(.a(
                    .href(SiteRoute.supervisionStatistics.path + "?from=\(p.from)&to=\(p.to)"
                        + (p.unit.isEmpty ? "" : "&unit=" + QueryText.encode(p.unit)) + "&ranking=all#units"),
                    .text(l("supervision.stats.wholeRanking", String(SupervisionStatsPage.rankingHead),
                            String(SupervisionStatsPage.rankingTail), String(s.units.count)))))),
                .p(.class("hint"), .text(l("supervision.stats.rankingRule")))),
            .if(!s.sources.isEmpty, .section(.class("card"), .id("sources"),
                .h2(.text(l("supervision.stats.bySource"))),
                table(s.sources.enumerated().map { ($0.offset + 1, $0.element) }, label: { $0.isEmpty ? l("supervision.col.source")
                    : l("supervision.source.\($0)") }, key: "source", ranked: false))),
            .if(p.canBulletin, .section(.class("card"), .id("bulletin"),
                .h2(.text(l("supervision.bulletin"))),
                .form(.method(.post), .action(SiteRoute.supervisionBulletin.path), Form.csrf(ctx.csrfToken ?? ""),
                      Form.field(label: l("supervision.bulletin.month"), name: "month",
                                 value: String(format: "%04d-%02d", p.from.year, p.from.month), required: true,
                                 autocomplete: "off", hint: l("supervision.bulletin.hint"), inputMode: "numeric"),
                      .button(.type(.submit), .class("button primary"), .text(l("supervision.bulletin.submit")))))))
        .response()
    }
}
