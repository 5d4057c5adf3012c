import Foundation
import FuzhengCore
import Plot
import Vapor

enum ArchiveYearView {
    static func render(_ ctx: PageContext, _ p: ArchiveYearPage, flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        let base = SiteRoute.archive.path
        let numbered = p.rows.filter { $0.code != nil }.count
        let unitParam = QueryText.encode(p.unit.code)
        return Layout.page(
            ctx, title: l("archive.title"),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.class("lead"), .text(l("archive.lead", p.unit.name, String(p.year)))),
            .div(.class("toolbar"),
                 .p(.class("status-chips"), .forEach(p.years) { y in
                     .a(.class(y == p.year ? "tag ok" : "tag note"),
                        .href(base + "?year=\(y)&unit=\(unitParam)"),
                        .attribute(named: "aria-current", value: y == p.year ? "page" : nil), .text(String(y)))
                 }),
                 .a(.class("button secondary"),
                    .href(SiteRoute.archiveCatalogue.path + "?year=\(p.year)&unit=\(unitParam)&format=xlsx"),
                    .text(l("archive.catalogue.xlsx"))),
                 .a(.class("button secondary"),
                    .href(SiteRoute.archiveCatalogue.path + "?year=\(p.year)&unit=\(unitParam)&format=pdf"),
                    .text(l("archive.catalogue.pdf")))),
            .section(.class("card"),
                .p(.text(p.closed.map { l("archive.state.closed", DocumentView.time($0.closedAt), $0.closedBy) }
                         ?? l("archive.state.open"))),
                .p(.text(l("archive.counts", String(p.total), String(numbered), String(p.unfiled)))),
                .if(!p.series.isEmpty, .ul(.class("plain"), .forEach(p.series) { s, n in
                    .li(.text("\(s.fonds)-WS·\(s.year)-\(s.period.rawValue)\(s.organisation.isEmpty ? "" : "-")"
                        + "\(s.organisation)：\(s.period.nameZh) \(n) 件"))
                })),
                .if(p.unfiled > 0, .form(.method(.post), .action(SiteRoute.archiveFile.path),
                    Form.csrf(ctx.csrfToken ?? ""), hidden(p),
                    .button(.type(.submit), .class("button secondary"),
                            .text(l("archive.fileRemaining", String(p.unfiled))))))),
            .form(.class("search"), .method(.get), .action(base),
                  .input(.type(.hidden), .name("year"), .value(String(p.year))),
                  .input(.type(.hidden), .name("unit"), .value(p.unit.code)),
                  .input(.type(.search), .name("q"), .value(p.query),
                         .attribute(named: "aria-label", value: l("archive.search")),
                         .attribute(named: "placeholder", value: l("archive.search"))),
                  .button(.type(.submit), .class("button secondary"), .text(l("archive.find")))),
            .if(p.rows.isEmpty, .p(.class("empty"), .text(l(p.query.isEmpty ? "archive.none" : "archive.noMatch")))),
            .if(!p.rows.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("archive.col.code"))), .th(.text(l("archive.col.title"))),
                           .th(.text(l("archive.col.number"))), .th(.text(l("archive.col.responsible"))),
                           .th(.text(l("archive.col.date"))), .th(.text(l("archive.col.period"))))),
                .tbody(.forEach(p.rows) { r in
                    .tr(.td(.text(r.code ?? l("archive.unnumbered"))),
                        .td(.a(.href(SiteRoute.archiveItem(id: r.id).path), .text(r.title)),
                            .span(.class("muted"), .text(" " + l("archive.source.\(r.source)"))),
                            .if(r.revision > 0, .span(.class("tag note"), .text(l("archive.correction"))))),
                        .td(.text(r.number)), .td(.text(r.responsible)), .td(.text(r.date)),
                        .td(.text(l.term(r.period.nameZh)),
                            .if(r.period != r.proposed, .span(.class("tag warn"), .text(l("archive.changed"))))))
                })))),
            .section(.class("card"), .id("close"),
                .h2(.text(l("archive.close"))),
                .if(p.closed != nil, .p(.text(l("archive.closedNote")))),
                .if(p.closed == nil, .form(.method(.post), .action(SiteRoute.archiveClose.path),
                    Form.csrf(ctx.csrfToken ?? ""), hidden(p),
                    .p(.class("hint"), .text(l("archive.closeHint", String(p.unfiled)))),
                    .label(.input(.type(.checkbox), .name("confirm"), .value("1"),
                                  .attribute(named: "required", value: "required")),
                           .text(" " + l("archive.closeConfirm"))),
                    .button(.type(.submit), .class("button primary"), .text(l("archive.closeSubmit")))))),
            .section(.class("card"), .id("settings"),
                .h2(.text(l("archive.settings"))),
                .form(.method(.post), .action(SiteRoute.archiveSettings.path), Form.csrf(ctx.csrfToken ?? ""),
                      hidden(p),
                      Form.field(label: l("archive.fonds"), name: "fonds", value: p.settings.fonds, required: true,
                                 autocomplete: "off", hint: l("archive.fondsHint")),
                      Form.field(label: l("archive.organisation"), name: "organisation",
                                 value: p.settings.organisation, autocomplete: "off",
                                 hint: l("archive.organisationHint")),
                      .button(.type(.submit), .class("button secondary"), .text(l("archive.settingsSave"))))))
        .response()
    }

    static func hidden(_ p: ArchiveYearPage) -> Node<HTML.FormContext> {
        .group(.input(.type(.hidden), .name("year"), .value(String(p.year))),
               .input(.type(.hidden), .name("unit"), .value(p.unit.code)))
    }
}

enum ArchiveItemView {
    static func render(_ ctx: PageContext, _ p: ArchiveItemPage, flash: (text: String, isError: Bool)?,
                       error: ArchiveProblem?, form: ArchiveController.PeriodForm? = nil,
                       status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let i = p.item
        let id = i.id?.uuidString ?? ""
        let english = l.language == .en
        let periods = RetentionPeriod.allCases.map { ($0.rawValue, l.term($0.nameZh)) }
        let fields: [(String, String)] = [
            (l("archive.col.code"), i.code ?? l("archive.unnumbered")),
            (l("archive.fonds"), i.fonds), (l("archive.col.year"), String(i.year)),
            (l("archive.col.period"), l.term(i.retention.nameZh) + " (\(i.period))"),
            (l("archive.proposed"), l.term((RetentionPeriod(rawValue: i.proposedPeriod) ?? .tenYears).nameZh)
                + (i.retentionBasis.isEmpty ? "" : " — " + i.retentionBasis)),
            (l("archive.reason"), i.periodReason),
            (l("archive.organisation"), i.organisation), (l("archive.col.item"), i.item.map(String.init) ?? ""),
            (l("archive.col.number"), i.numberText), (l("archive.col.responsible"), i.responsible),
            (l("archive.col.title"), i.title), (l("archive.col.date"), i.date),
            (l("archive.col.secrecy"), i.secrecy), (l("archive.col.pages"), i.pages == 0 ? "" : String(i.pages)),
            (l("archive.col.remarks"), i.remarks),
            (l("archive.filedBy"), "\(i.filedByName) \(DocumentView.time(i.filedAt))"),
        ]
        return Layout.page(
            ctx, title: i.code ?? i.title,
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .alert(error.map { english ? $0.en : $0.zh }, kind: "error"),
            .p(.a(.href(ArchiveController.path(unit: p.unit.code, year: i.year)), .text("← " + l("archive.title")))),
            .section(.class("card"),
                .h2(.text(i.title)),
                .dl(.class("facts"), .forEach(fields.filter { !$0.1.isEmpty }) { k, v in
                    .group(.dt(.text(k)), .dd(.text(v)))
                }),
                .unwrap(p.corrects) { c in .p(.class("alert info"), .text(l("archive.corrects", c))) },
                .forEach(p.correctedBy) { c in
                    .p(.class("alert warning"), .a(.href(SiteRoute.archiveItem(id: c.id).path),
                                                  .text(l("archive.correctedBy", c.code))))
                },
                .p(.a(.href(p.sourcePath), .text(l("archive.source.open")))),
                .if(i.code != nil, .a(.class("button primary"), .href(SiteRoute.archivePackage(id: id).path),
                                      .text(l("archive.package"))))),
            .if(i.code == nil, .section(.class("card"), .id("period"),
                .h2(.text(l("archive.changePeriod"))),
                .form(.method(.post), .action(SiteRoute.archivePeriod(id: id).path), Form.csrf(ctx.csrfToken ?? ""),
                      .input(.type(.hidden), .name("version"), .value(String(i.version))),
                      Form.select(label: l("archive.col.period"), name: "period", options: periods,
                                  selected: form?.period ?? i.period),
                      Form.textarea(label: l("archive.reason"), name: "reason", value: form?.reason ?? "", rows: 2),
                      .button(.type(.submit), .class("button primary"), .text(l("archive.save")))))),
            .if(i.code != nil && p.correctedBy.isEmpty, .details(.class("card"), .id("correct"),
                .summary(.text(l("archive.correct"))),
                .p(.class("hint"), .text(l("archive.correctHint"))),
                .form(.method(.post), .action(SiteRoute.archiveCorrect(id: id).path), Form.csrf(ctx.csrfToken ?? ""),
                      Form.field(label: l("archive.col.title"), name: "title", value: form?.title ?? i.title),
                      Form.select(label: l("archive.col.period"), name: "period", options: periods,
                                  selected: form?.period ?? i.period),
                      Form.textarea(label: l("archive.correctReason"), name: "reason", value: form?.reason ?? "",
                                    rows: 2),
                      .button(.type(.submit), .class("button primary"), .text(l("archive.correctSubmit")))))))
        .response(status: status)
    }
}
