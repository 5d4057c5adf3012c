import Foundation
import FuzhengCore
import Plot
import Vapor

/// Views of the public disclosure portal.
enum DisclosurePages {
    static let downloadFormats: [(format: String, label: String)] = [
        ("html", "HTML"), ("pdf", "PDF"), ("docx", "Word (DOCX)"), ("xlsx", "Excel (XLSX)"),
        ("csv", "CSV (zip)"), ("json", "JSON"), ("datapackage", "Fiscal Data Package (zip)"),
    ]

    /// A disclosure's body as DisclosureHTML wrote it (it escapes every text it writes).
    static func body(_ html: String) -> Node<HTML.BodyContext> { .trustedMarkup(escapedBy: "DisclosureHTML", html) }

    static func date(_ d: Date) -> String { String(AuditFilter.display(d).prefix(10)) }

    static func list(_ ctx: PageContext, query: String, listings: [DisclosureStore.Listing]) -> Response {
        let l = ctx.l
        let years = Array(Set(listings.map(\.fiscalYear))).sorted(by: >)
        return Layout.page(
            ctx, title: l("disclosure.listTitle"),
            .p(.class("lead"), .text(l("disclosure.listIntro"))),
            .div(.class("toolbar"),
                 SearchBox.render(l, action: SiteRoute.disclosures.path, query: query, placeholder: l("disclosure.searchPlaceholder")),
                 .a(.class("button secondary"), .href(SiteRoute.disclosureOverview.path), .text(l("disclosure.overviewTitle")))),
            .if(listings.isEmpty, .p(.class("empty"), .text(query.isEmpty ? l("disclosure.none") : l("list.noMatch", query)))),
            .forEach(years) { year in
                .section(.h2(.text(l("disclosure.yearHeading", String(year)))),
                         .div(.class("table-scroll"), .table(
                            .class("data"),
                            .thead(.tr(.th(.text(l("unit.department"))), .th(.text(l("unit.name"))), .th(.text(l("disclosure.expenditure"))),
                                       .th(.text(l("disclosure.published"))), .th(.text(l("disclosure.version"))))),
                            .tbody(.forEach(listings.filter { $0.fiscalYear == year }) { item in
                                .tr(.td(.text("\(item.departmentCode) \(item.departmentName)")),
                                    .td(.a(.href(SiteRoute.disclosure(code: item.unitCode, year: year).path), .text("\(item.unitCode) \(item.unitName)"))),
                                    .td(.class("num"), .text(MoneyFormat.wan(item.expenditure))),
                                    .td(.text(date(item.publishedAt))),
                                    .td(.text(l("disclosure.versionN", String(item.latestVersion)))))
                            })
                         )))
            }
        ).response()
    }

    static func disclosure(_ ctx: PageContext, unit: UnitModel, versions: [DisclosureVersionModel], shown: DisclosureVersionModel,
                           body: String, flash: String?, related: (final: Bool, evaluations: Bool) = (false, false))
        -> Response {
        let l = ctx.l
        let latest = versions.last?.version ?? shown.version
        let year = shown.fiscalYear
        return Layout.page(
            ctx, title: l("disclosure.pageTitle", unit.name, String(year)),
            .alert(flash, kind: "success"),
            .nav(.class("crumbs"), .attribute(named: "aria-label", value: l("disclosure.crumbs")),
                 .a(.href(SiteRoute.portal.path), .text(l("nav.portal"))), .text(" › "),
                 .a(.href(SiteRoute.disclosures.path), .text(l("disclosure.listTitle"))), .text(" › "),
                 .span(.text("\(unit.code) \(unit.name) · \(year)"))),
            .div(.class("version-bar"),
                 .p(.text(l("disclosure.versionLine", String(shown.version), date(shown.publishedAt)))),
                 .if(shown.version < latest, .p(.class("alert warning"),
                     .text(l("disclosure.oldVersion", String(latest))), .text(" "),
                     .a(.href(SiteRoute.disclosure(code: unit.code, year: year).path), .text(l("disclosure.toLatest"))))),
                 .if(versions.count > 1, .details(
                    .summary(.text(l("disclosure.history", String(versions.count)))),
                    .ul(.forEach(versions.reversed()) { v in
                        .li(.a(.href(SiteRoute.disclosureVersion(code: unit.code, year: year, version: v.version).path),
                               .text(l("disclosure.versionLine", String(v.version), date(v.publishedAt)))),
                            .if(v.note != nil, .span(.class("muted"), .text(" — " + l("disclosure.correction") + (v.note ?? "")))))
                    })))),
            .if(shown.note != nil, .div(.class("alert info"),
                .text(l(shown.version > 1 ? "disclosure.correction" : "disclosure.note") + (shown.note ?? "")))),
            .div(.class("downloads"),
                 .span(.text(l("disclosure.download"))),
                 .forEach(downloadFormats) { f in
                     .a(.class("button small secondary"),
                        .href(SiteRoute.disclosureDownload(code: unit.code, year: year, version: shown.version, format: f.format).path),
                        .text(f.label))
                 },
                 .a(.class("button small"), .href(SiteRoute.disclosureCompare(code: unit.code, year: year).path), .text(l("disclosure.compare")))),
            .if(related.final || related.evaluations, .p(.class("related"), .id("year-end"),
                .if(related.final, .a(.class("button small secondary"),
                                      .href(SiteRoute.publicFinal(code: unit.code, year: year).path),
                                      .text(l("final.public.title", unit.name, String(year))))),
                .text(" "),
                .if(related.evaluations, .a(.class("button small secondary"),
                                            .href(SiteRoute.publicEvaluation(code: unit.code, year: year).path),
                                            .text(l("evaluation.public.title", unit.name, String(year))))))),
            .trustedMarkup(escapedBy: "DisclosureHTML", body)
        ).response()
    }

    static func compare(_ ctx: PageContext, unit: UnitModel, current: Budget, previous: Budget?) -> Response {
        let l = ctx.l
        let year = current.fiscalYear
        let p = previous
        let prior3 = p?.threePublic.items ?? current.prior.threePublic
        let rows: [(String, Fen, Fen?)] = [
            (l("budget.revenue"), current.totalRevenue, p?.totalRevenue ?? current.prior.total),
            (l("budget.expenditure"), current.totalExpenditure, p?.totalExpenditure ?? current.prior.total),
            (l("budget.basic"), current.basicExpenditure, p?.basicExpenditure ?? current.prior.basic),
            (l("budget.project"), current.projectExpenditure, p?.projectExpenditure ?? current.prior.project),
            (l("budget.operatingCosts"), current.operatingCosts.amount, p?.operatingCosts.amount),
            (l("budget.threePublic"), current.threePublic.items.total, prior3?.total),
            (l("budget.3p.outbound"), current.threePublic.items.outboundTravel, prior3?.outboundTravel),
            (l("budget.3p.vehicles"), current.threePublic.items.vehicles, prior3?.vehicles),
            (l("budget.3p.reception"), current.threePublic.items.reception, prior3?.reception),
            (l("budget.procurement"), current.procurementTotal, p?.procurementTotal),
        ]
        let bars = rows.prefix(6).flatMap { row -> [SVGBarChart.Bar] in
            [SVGBarChart.Bar("\(row.0) \(year - 1)", row.2 ?? .zero), SVGBarChart.Bar("\(row.0) \(year)", row.1)]
        }
        return Layout.page(
            ctx, title: l("disclosure.compareTitle", unit.name, String(year)),
            .p(.class("muted"), .text(previous == nil ? l("disclosure.compareFromPrior") : l("disclosure.compareFromPublished", String(year - 1)))),
            .div(.class("table-scroll"), .table(
                .class("data"),
                .caption(.text(l("budget.unitWanCaption"))),
                .thead(.tr(.th(.text(l("budget.item"))), .th(.text(String(year - 1))), .th(.text(String(year))),
                           .th(.text(l("budget.change"))), .th(.text(l("disclosure.changePercent"))))),
                .tbody(.forEach(rows) { row in
                    .tr(.td(.text(row.0)), .td(.class("num"), .text(row.2.map(MoneyFormat.wan) ?? "—")),
                        .td(.class("num"), .text(MoneyFormat.wan(row.1))),
                        .td(.class("num"), .text(row.2.map { MoneyFormat.wan(row.1 - $0) } ?? "—")),
                        .td(.class("num"), .text(row.2.flatMap { row.1.percentChange(from: $0) } ?? "—")))
                })
            )),
            .div(.class("chart-box"), .trustedMarkup(escapedBy: "SVGBarChart", SVGBarChart.render(title: l("disclosure.compareChart", String(year - 1), String(year)), bars: bars,
                                                                                     emptyText: l("chart.empty")))),
            .p(.a(.href(SiteRoute.disclosure(code: unit.code, year: year).path), .text(l("disclosure.back"))))
        ).response()
    }

    static func overview(_ ctx: PageContext, year: Int, years: [Int], rows: [DisclosureStore.OverviewRow]) -> Response {
        let l = ctx.l
        let total3 = rows.sum(\.threePublic)
        let totalOp = rows.sum(\.operatingCosts)
        let totalExp = rows.sum(\.expenditure)
        return Layout.page(
            ctx, title: l("disclosure.overviewHeading", String(year)),
            .p(.class("lead"), .text(l("disclosure.overviewIntro"))),
            .nav(.class("pager"), .forEach(years) { y in
                y == year ? .strong(.text(String(y))) : .a(.href(SiteRoute.disclosureOverview.path + "?year=\(y)"), .text(String(y)))
            }),
            .if(rows.isEmpty, .p(.class("empty"), .text(l("disclosure.none")))),
            .if(!rows.isEmpty, .group(
                .div(.class("table-scroll"), .table(
                    .class("data"),
                    .caption(.text(l("budget.unitWanCaption"))),
                    .thead(.tr(.th(.text(l("unit.name"))), .th(.text(l("budget.threePublic"))), .th(.text(l("budget.operatingCosts"))),
                               .th(.text(l("disclosure.expenditure"))))),
                    .tbody(.group(rows.map { r in
                        .tr(.td(.a(.href(SiteRoute.disclosure(code: r.unitCode, year: year).path), .text("\(r.unitCode) \(r.unitName)"))),
                            .td(.class("num"), .text(MoneyFormat.wan(r.threePublic))), .td(.class("num"), .text(MoneyFormat.wan(r.operatingCosts))),
                            .td(.class("num"), .text(MoneyFormat.wan(r.expenditure))))
                    }) , .tr(.class("total"), .td(.text(l("budget.total"))), .td(.class("num"), .text(MoneyFormat.wan(total3))),
                             .td(.class("num"), .text(MoneyFormat.wan(totalOp))), .td(.class("num"), .text(MoneyFormat.wan(totalExp)))))
                )),
                .div(.class("chart-box"), .trustedMarkup(escapedBy: "SVGBarChart", SVGBarChart.render(title: l("disclosure.chart3", String(year)),
                                                                  bars: rows.map { .init($0.unitName, $0.threePublic) },
                                                                  emptyText: l("chart.empty")))),
                .div(.class("chart-box"), .trustedMarkup(escapedBy: "SVGBarChart", SVGBarChart.render(title: l("disclosure.chartOp", String(year)),
                                                                  bars: rows.map { .init($0.unitName, $0.operatingCosts) },
                                                                  emptyText: l("chart.empty"))))
            ))
        ).response()
    }
}
