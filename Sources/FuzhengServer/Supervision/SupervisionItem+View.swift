import Foundation
import FuzhengCore
import Plot
import Vapor

enum SupervisionItemView {
    static func render(_ ctx: PageContext, _ p: SupervisionItemPage, today: CivilDay,
                       flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        let m = p.item
        let id = m.id?.uuidString ?? ""
        let state = m.stateValue
        let open = state != .closed
        var facts: [(String, String)] = [
            (l("supervision.col.number"), m.numberText),
            (l("supervision.col.source"), l("supervision.source.\(m.source)")
                + (m.sourceText.isEmpty ? "" : "：" + m.sourceText)),
            (l("supervision.col.requirement"), m.requirement),
            (l("supervision.col.lead"), p.unit(m.leadUnit)),
            (l("supervision.col.assisting"), m.assistingList.map(p.unit).joined(separator: "、")),
            (l("supervision.col.responsible"), m.responsible),
            (l("supervision.col.leader"), p.leaderName ?? ""),
            (l("supervision.col.kind"), l("supervision.kind.\(m.kind)")),
            (l("supervision.col.cycle"), cycle(l, m.cycleValue)),
            (l("supervision.col.start"), m.startOn),
            (l("supervision.col.deadline"), m.deadline),
            (l("supervision.col.extended"), m.extendedTo.map {
                l("supervision.extendedOn", $0, m.extensionApprovedOn ?? "") } ?? ""),
            (l("supervision.col.state"), l("supervision.state.\(m.state)")),
            (l("supervision.col.progress"), l("supervision.progressVsElapsed", String(m.progress), String(p.elapsed))),
            (l("supervision.col.result"), m.result),
            (l("supervision.col.closed"), m.closedOn ?? ""),
        ]
        if m.sourceValue.isProposal {
            facts.append((l("supervision.col.proposer"), m.proposer))
            facts.append((l("supervision.col.replied"), m.repliedOn ?? ""))
            facts.append((l("supervision.col.satisfaction"),
                          m.satisfaction.map { l("supervision.satisfaction.\($0)") } ?? ""))
        }
        func form<C: HTMLContext>(_ action: String, multipart: Bool = false,
                                  _ body: Node<HTML.FormContext>...) -> Node<C> where C: HTML.BodyContext {
            stepForm(ctx, m, action, multipart: multipart, .group(body))
        }
        let unitsOfItem = [m.leadUnit] + m.assistingList
        return Layout.page(
            ctx, title: m.title,
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.supervision.path), .text("← " + l("supervision.title"))),
               .unwrap(p.parent) { parent in
                   .group(.text(" · "), .a(.href(SiteRoute.supervisionItem(id: parent.id).path),
                                          .text(l("supervision.parent", parent.number))))
               }),
            .section(.class("card"),
                .p(.class("status-chips"),
                   .span(.class("tag \(tagClass(p.colour))"), .text(l("supervision.colour.\(p.colour.rawValue)"))),
                   .text(" " + l("supervision.reason.\(p.reason.rawValue)"))),
                .dl(.class("facts"), .forEach(facts.filter { !$0.1.isEmpty }) { k, v in
                    .group(.dt(.text(k)), .dd(.text(v)))
                }),
                .unwrap(p.source) { s in .p(.a(.href(s.path), .text(l("supervision.sourceLink", s.title)))) },
                .unwrap(p.reply) { r in .p(.a(.href(r.path), .text(l("supervision.replyLink", r.title)))) },
                .unwrap(p.archive) { a in .p(.a(.href(a.path), .text(l("supervision.archived", a.code)))) },
                .p(.a(.class("button secondary"), .href(SiteRoute.supervisionSheet(id: id).path),
                      .text(l("supervision.sheet"))))),
            .if(!p.children.isEmpty, .section(.class("card"), .id("children"),
                .h2(.text(l("supervision.children", String(p.children.count)))),
                SupervisionListView.list(l, p.children, progress: true))),
            .div(.id("act"),
                .if(p.handles && state == .assigned, .section(.class("card"),
                    .h2(.text(l("supervision.acknowledge"))),
                    form("acknowledge", .button(.type(.submit), .class("button primary big"),
                                                 .text(l("supervision.acknowledgeButton")))))),
                .if(p.handles && state == .handling && !m.hasChildren, .section(.class("card"), .id("report"),
                    .h2(.text(l("supervision.report"))),
                    form("report", multipart: true,
                         Form.textarea(label: l("supervision.report.text"), name: "text", value: "", rows: 4,
                                       id: "report-text"),
                         Form.field(label: l("supervision.report.percent"), name: "percent",
                                    value: String(m.progress), required: true, autocomplete: "off",
                                    hint: l("supervision.report.percentHint"), inputMode: "numeric"),
                         files(l, id: "report-files"),
                         .button(.type(.submit), .class("button primary"), .text(l("supervision.report.submit")))))),
                .if(p.handles && open && p.pendingExtension == nil && !m.hasChildren,
                    .details(.class("card"), .id("extension"),
                        .summary(.text(l("supervision.extension.ask"))),
                        form("extend",
                             .p(.class("hint"), .text(l("supervision.extension.hint", m.dueOn))),
                             Form.dateField(label: l("supervision.extension.to"), name: "to", value: "",
                                            hint: l("supervision.dateHint")),
                             Form.textarea(label: l("supervision.extension.reason"), name: "text", value: "", rows: 2,
                                           id: "extension-reason"),
                             .button(.type(.submit), .class("button secondary"),
                                     .text(l("supervision.extension.submit")))))),
                .if(m.sourceValue.isProposal && p.handles && state == .handling && m.repliedOn == nil,
                    .section(.class("card"), .id("reply"),
                        .h2(.text(l("supervision.reply"))),
                        .if(m.replyDocumentID == nil, .form(.method(.post),
                            .action(SiteRoute.supervisionReply(id: id).path), Form.csrf(ctx.csrfToken ?? ""),
                            .button(.type(.submit), .class("button secondary"), .text(l("supervision.reply.draft"))))),
                        form("replied",
                             Form.textarea(label: l("supervision.reply.text"), name: "text", value: "", rows: 3,
                                           id: "reply-text"),
                             .button(.type(.submit), .class("button primary"), .text(l("supervision.reply.sent")))))),
                .if(p.supervises, supervisorForms(ctx, p, unitsOfItem: unitsOfItem))),
            .section(.class("card"), .id("history"),
                .h2(.text(l("supervision.history"))),
                .ol(.class("timeline"), .forEach(p.events) { e in
                    .li(.strong(.text(l("supervision.event.\(e.action)"))),
                        .text(" · \(e.displayName) · \(DocumentView.time(e.at))"),
                        .if(e.percent != nil, .text(" · " + l("supervision.progress", String(e.percent ?? 0)))),
                        .if(e.day != nil && e.action.hasPrefix("extension"),
                            .text(" · " + l("supervision.extension.toDay", e.day ?? ""))),
                        .if(e.status != nil, .span(.class("tag \(statusClass(e.status ?? ""))"),
                                                   .text(l("supervision.status.\(e.status ?? "")")))),
                        .if(!e.text.isEmpty, .p(.text(e.text))),
                        .if(!e.answer.isEmpty, .p(.class("muted"), .text(l("supervision.answer", e.answer)))),
                        .forEach(p.files[e.id ?? UUID()] ?? []) { f in
                            .p(.a(.href(SiteRoute.supervisionFile(id: f.id?.uuidString ?? "").path),
                                  .text(l("supervision.attachment", f.name))))
                        })
                })),
            .section(.class("card"), .id("rules"),
                .h2(.text(l("supervision.rules.heading"))), SupervisionListView.rules(l)))
        .response()
    }

    /// A form posting one move of the item, with the version it was read at.
    static func stepForm<C: HTMLContext>(_ ctx: PageContext, _ m: SupervisionItemModel, _ action: String,
                                         multipart: Bool = false, _ body: Node<HTML.FormContext>) -> Node<C>
        where C: HTML.BodyContext {
        .form(.method(.post), .action(SiteRoute.supervisionStep(id: m.id?.uuidString ?? "").path),
              .attribute(named: "enctype", value: multipart ? "multipart/form-data" : nil),
              Form.csrf(ctx.csrfToken ?? ""), .input(.type(.hidden), .name("version"), .value(String(m.version))),
              .input(.type(.hidden), .name("action"), .value(action)), body)
    }

    static func supervisorForms(_ ctx: PageContext, _ p: SupervisionItemPage,
                                unitsOfItem: [String]) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let m = p.item
        let id = m.id?.uuidString ?? ""
        let state = m.stateValue
        let open = state != .closed
        func form<C: HTMLContext>(_ action: String, multipart: Bool = false,
                                  _ body: Node<HTML.FormContext>...) -> Node<C> where C: HTML.BodyContext {
            stepForm(ctx, m, action, multipart: multipart, .group(body))
        }
        let verdicts: [(value: String, label: String)] = Satisfaction.allCases.map { v in
            (v.rawValue, l("supervision.satisfaction.\(v.rawValue)"))
        }
        return .group(
            .forEach(p.pendingReports) { r in
                .section(.class("card"), .id("reports"),
                    .h2(.text(l("supervision.review", String(r.percent ?? 0)))),
                    .p(.text(r.text)),
                    .forEach(p.files[r.id ?? UUID()] ?? []) { f in
                        .p(.a(.href(SiteRoute.supervisionFile(id: f.id?.uuidString ?? "").path),
                              .text(l("supervision.attachment", f.name))))
                    },
                    form("accept", multipart: false,
                         .input(.type(.hidden), .name("event"), .value(r.id?.uuidString ?? "")),
                         .button(.type(.submit), .class("button primary"), .text(l("supervision.accept")))),
                    form("return", multipart: false,
                         .input(.type(.hidden), .name("event"), .value(r.id?.uuidString ?? "")),
                         Form.textarea(label: l("supervision.returnReason"), name: "text", value: "", rows: 2,
                                       id: "return-reason"),
                         .button(.type(.submit), .class("button secondary"), .text(l("supervision.return")))))
            },
            .unwrap(p.pendingExtension) { e in
                .section(.class("card"), .id("extension"),
                    .h2(.text(l("supervision.extension.review", e.day ?? "", m.dueOn))),
                    .p(.text(e.text)),
                    form("approve_extension", multipart: false,
                         .input(.type(.hidden), .name("event"), .value(e.id?.uuidString ?? "")),
                         .button(.type(.submit), .class("button primary"), .text(l("supervision.extension.approve")))),
                    form("refuse_extension", multipart: false,
                         .input(.type(.hidden), .name("event"), .value(e.id?.uuidString ?? "")),
                         Form.textarea(label: l("supervision.extension.refuseReason"), name: "text", value: "", rows: 2,
                                       id: "refuse-reason"),
                         .button(.type(.submit), .class("button secondary"), .text(l("supervision.extension.refuse")))))
            },
            .if(open, .details(.class("card"), .id("remind"),
                .summary(.text(l("supervision.remind"))),
                form("remind", multipart: false,
                     Form.select(label: l("supervision.remind.unit"), name: "unit",
                                 options: unitsOfItem.map { ($0, p.unit($0)) }, selected: m.leadUnit),
                     Form.textarea(label: l("supervision.remind.text"), name: "text",
                                   value: l("supervision.remind.default", m.title, m.dueOn), rows: 3),
                     .button(.type(.submit), .class("button secondary"), .text(l("supervision.remind.submit")))))),
            .if(open && m.parentID == nil, .details(.class("card"), .id("split"),
                .summary(.text(l("supervision.split"))),
                .form(.method(.post), .action(SiteRoute.supervisionSplit(id: id).path),
                      Form.csrf(ctx.csrfToken ?? ""),
                      .input(.type(.hidden), .name("version"), .value(String(m.version))),
                      .p(.class("hint"), .text(l("supervision.split.hint", m.deadline))),
                      .forEach(Array(1...4)) { i in
                          .fieldset(.element(named: "legend", text: l("supervision.split.row", String(i))),
                              unitSelect(l, name: "unit[]", id: "split-unit-\(i)", units: p.units),
                              .div(.class("field"),
                                   .label(.for("split-deadline-\(i)"), .text(l("supervision.col.deadline"))),
                                   .input(.id("split-deadline-\(i)"), .name("deadline[]"), .type(.text),
                                          .attribute(named: "inputmode", value: "numeric"),
                                          .attribute(named: "autocomplete", value: "off"),
                                          .attribute(named: "placeholder", value: "2026-12-31"))),
                              .div(.class("field"),
                                   .label(.for("split-title-\(i)"), .text(l("supervision.split.title"))),
                                   .input(.id("split-title-\(i)"), .name("title[]"), .type(.text),
                                          .attribute(named: "autocomplete", value: "off"))))
                      },
                      .button(.type(.submit), .class("button primary"), .text(l("supervision.split.submit")))))),
            .if(state == .handling, .details(.class("card"), .id("close"),
                .summary(.text(l("supervision.close"))),
                form("close", multipart: true,
                     Form.textarea(label: l("supervision.close.result"), name: "text", value: "", rows: 3,
                                   id: "close-result"),
                     files(l, id: "close-files"),
                     .button(.type(.submit), .class("button primary"), .text(l("supervision.close.submit")))))),
            .if(state == .closed, .details(.class("card"), .id("reopen"),
                .summary(.text(l("supervision.reopen"))),
                form("reopen", multipart: false,
                     Form.textarea(label: l("supervision.reopen.reason"), name: "text", value: "", rows: 2,
                                   id: "reopen-reason"),
                     .button(.type(.submit), .class("button secondary"), .text(l("supervision.reopen.submit")))))),
            .if(m.sourceValue.isProposal && m.repliedOn != nil, .section(.class("card"), .id("satisfaction"),
                .h2(.text(l("supervision.satisfaction"))),
                form("satisfaction", multipart: false,
                     Form.select(label: l("supervision.col.satisfaction"), name: "satisfaction",
                                 options: verdicts, selected: m.satisfaction ?? "satisfied"),
                     Form.textarea(label: l("supervision.satisfaction.note"), name: "text", value: "", rows: 2,
                                   id: "satisfaction-note"),
                     .button(.type(.submit), .class("button secondary"), .text(l("supervision.satisfaction.submit"))))))
        )
    }

    static func unitSelect(_ l: L10n, name: String, id: String, units: [(code: String, name: String)],
                           selected: String = "") -> Node<HTML.FormContext> {
        .div(.class("field"),
             .label(.for(id), .text(l("supervision.col.lead"))),
             .element(named: "select", nodes: [
                 .attribute(named: "id", value: id), .attribute(named: "name", value: name),
                 .element(named: "option", nodes: [.attribute(named: "value", value: "", ignoreIfValueIsEmpty: false),
                                                   .text(l("supervision.choose"))]),
                 .group(units.map { u in
                     .element(named: "option", nodes: [
                         .attribute(named: "value", value: u.code),
                         .attribute(named: "selected", value: u.code == selected ? "selected" : nil),
                         .text("\(u.name)（\(u.code)）")])
                 }),
             ]))
    }

    static func files(_ l: L10n, id: String) -> Node<HTML.FormContext> {
        .div(.class("field"),
             .label(.for(id), .text(l("supervision.files"))),
             .input(.id(id), .name("files[]"), .type(.file),
                    .attribute(named: "multiple", value: "multiple"),
                    .attribute(named: "accept", value: "image/*,.jpg,.jpeg,.png,.pdf,.docx")),
             .p(.class("hint"), .text(l("supervision.filesHint"))))
    }

    static func cycle(_ l: L10n, _ c: ReportCycle) -> String {
        switch c {
        case .weekly(let d): l("supervision.cycle.weeklyOn", l("weekday.\(d)"))
        case .monthly(let d): l("supervision.cycle.monthlyOn", String(d))
        case .once(let day): l("supervision.cycle.onceOn", day.description)
        }
    }

    static func tagClass(_ c: SupervisionRules.Colour) -> String {
        switch c {
        case .red: "off"
        case .yellow: "warn"
        case .green: "ok"
        }
    }

    static func statusClass(_ s: String) -> String {
        switch s {
        case "accepted", "approved": "ok"
        case "returned", "refused": "off"
        default: "warn"
        }
    }
}
