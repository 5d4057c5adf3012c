import Foundation
import FuzhengCore
import Plot
import Vapor

/// A deadline as a coloured tag: 红 overdue, 黄 due within the warning window, 绿 otherwise.
enum DeadlineTag {
    static func node<C: HTML.BodyContext>(_ l: L10n, due: String?, colour: DeadlineColour?) -> Node<C> {
        guard let due, let colour else { return .empty }
        let css = colour == .red ? "tag off" : colour == .yellow ? "tag warn" : "tag ok"
        return .span(.class(css + " deadline " + colour.rawValue), .text(l("incoming.due", due)),
                     .span(.class("visually-hidden"), .text(" " + l("workbench.urgency.\(colour.urgency.rawValue)"))))
    }
}

enum IncomingListView {
    struct Row: Sendable {
        var id: String
        var number: String?
        var title: String
        var sender: String
        var senderNumber: String
        var step: String
        var due: String?
        var colour: DeadlineColour?
        var circulating: Bool
        var duplicate: Bool
        var urgency: String
    }

    static func render(_ ctx: PageContext, rows: [Row], view: String, query: String, canRegister: Bool,
                       flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("incoming.title"),
            .alert(flash, kind: "success"),
            .div(.class("toolbar"),
                 .p(.class("status-chips"), .forEach(["todo", "all"]) { v in
                     .a(.class(v == view ? "tag ok" : "tag note"), .href(SiteRoute.incoming.path + "?view=\(v)"),
                        .attribute(named: "aria-current", value: v == view ? "page" : nil),
                        .text(l("incoming.view.\(v)")))
                 }),
                 .if(canRegister, .a(.class("button primary"), .href(SiteRoute.incomingNew.path),
                                     .text(l("incoming.register"))))),
            .if(view == "all", .form(.class("search"), .method(.get), .action(SiteRoute.incoming.path),
                .input(.type(.hidden), .name("view"), .value("all")),
                .input(.type(.search), .name("q"), .value(query), .attribute(named: "aria-label",
                                                                                value: l("incoming.search"))),
                .button(.type(.submit), .class("button secondary"), .text(l("incoming.search"))))),
            .if(rows.isEmpty, .p(.class("empty"), .text(l(view == "todo" ? "incoming.none.todo" : "incoming.none")))),
            .ul(.class("work-list"), .forEach(rows) { item(l, $0) }))
        .response()
    }

    static func item(_ l: L10n, _ r: Row) -> Node<HTML.ListContext> {
        var parts = [r.number ?? l("incoming.unregistered"), r.sender, r.senderNumber, l("incoming.step.\(r.step)")]
        if r.urgency != "normal" { parts.append(l.term(DocumentUrgency(rawValue: r.urgency)?.nameZh ?? "")) }
        let detail = parts.filter { !$0.isEmpty }.joined(separator: " · ")
        let title: Node<HTML.AnchorContext> = .span(
            .class("work-title"), .text(r.title),
            .if(r.circulating, .span(.class("muted"), .text(" " + l("incoming.circulating")))),
            .if(r.duplicate, .span(.class("tag warn"), .text(l("incoming.duplicateTag")))))
        return .li(.class("work-item \(r.colour?.urgency.rawValue ?? "green")"),
                   .a(.href(SiteRoute.incomingItem(id: r.id).path),
                      .span(.class("dot"), .attribute(named: "aria-hidden", value: "true")),
                      title,
                      .span(.class("work-detail"), .text(detail)),
                      DeadlineTag.node(l, due: r.due, colour: r.colour)))
    }
}

enum IncomingNewView {
    static func render(_ ctx: PageContext, form f: [String: String], errors: [String: String],
                       duplicate: (id: String, number: String)?, today: CivilDay, status: HTTPResponseStatus)
        -> Response {
        let l = ctx.l
        let secrecies = [Secrecy.none, .internalUse].map { ($0.rawValue, l.term($0.nameZh)) }
        let urgencies = DocumentUrgency.allCases.map { ($0.rawValue, l.term($0.nameZh)) }
        return Layout.page(
            ctx, title: l("incoming.register"),
            .p(.a(.href(SiteRoute.incoming.path), .text(l("incoming.back")))),
            .p(.class("hint"), .text(l("incoming.secretRule")), .text(" "),
               .a(.href(SiteRoute.secretPapers.path), .text(l("secret.title")))),
            .form(.class("card"), .method(.post), .action(SiteRoute.incomingNew.path),
                  .enctype(.multipartData), .attribute(named: "novalidate", value: "novalidate"),
                  Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                  Form.csrf(ctx.csrfToken ?? ""),
                  .if(duplicate != nil, .div(.class("alert warning"),
                      .p(.text(l("incoming.duplicate", duplicate?.number ?? "")), .text(" "),
                         .a(.href(SiteRoute.incomingItem(id: duplicate?.id ?? "").path), .text(l("incoming.open")))),
                      .label(.input(.type(.checkbox), .name("confirm_duplicate"), .value("1")),
                             .text(" " + l("incoming.confirmDuplicate"))))),
                  Form.field(label: l("incoming.sender"), name: "sender", value: f["sender"] ?? "",
                             error: errors["sender"], required: true, autocomplete: "off"),
                  Form.field(label: l("incoming.senderNumber"), name: "sender_number", value: f["sender_number"] ?? "",
                             error: errors["sender_number"], autocomplete: "off", hint: l("incoming.senderNumberHint")),
                  Form.field(label: l("document.title"), name: "title", value: f["title"] ?? "", error: errors["title"],
                             required: true, autocomplete: "off"),
                  .div(.class("grid3"),
                       Form.select(label: l("document.secrecy"), name: "secrecy", options: secrecies,
                                   selected: f["secrecy"] ?? "none", error: errors["secrecy"]),
                       Form.select(label: l("document.urgency"), name: "urgency", options: urgencies,
                                   selected: f["urgency"] ?? "normal", error: errors["urgency"]),
                       Form.field(label: l("incoming.copies"), name: "copies", value: f["copies"] ?? "1",
                                  error: errors["copies"], autocomplete: "off", inputMode: "numeric")),
                  Form.dateField(label: l("incoming.receivedOn"), name: "received_on",
                                 value: f["received_on"].flatMap { $0.isEmpty ? nil : $0 } ?? today.description,
                                 hint: l("form.dateHint"), error: errors["received_on"]),
                  .div(.class(errors["file"] == nil ? "field" : "field has-error"),
                       .label(.for("file"), .text(l("incoming.file"))),
                       .input(.id("file"), .name("file"), .type(.file),
                              .attribute(named: "accept", value: ".pdf,.ofd,.docx,.png,.jpg,.jpeg")),
                       .p(.class("hint"), .text(l("incoming.fileHint"))),
                       .unwrap(errors["file"]) { .p(.class("error"), .text($0)) }),
                  .button(.type(.submit), .class("button primary"), .text(l("incoming.registerSubmit")))))
        .response(status: status)
    }
}

enum IncomingView {
    static func render(_ ctx: PageContext, _ p: IncomingPageModel, flash: String?) -> Response {
        let l = ctx.l
        let m = p.m
        let s = p.state
        return Layout.page(
            ctx, title: m.title,
            .alert(flash, kind: "success"),
            .p(.a(.href(SiteRoute.incoming.path), .text(l("incoming.back")))),
            .section(.class("card"),
                .p(.span(.class("tag note"), .text(l("incoming.step.\(s.step.rawValue)"))), .text(" "),
                   DeadlineTag.node(l, due: s.step == .done ? nil : s.due?.description, colour: p.colour),
                   .if(!p.readings.filter { $0.readAt == nil }.isEmpty,
                       .span(.class("muted"), .text(" " + l("incoming.circulating"))))),
                .if(!p.provisional.isEmpty, .p(.class("alert warning"), .text(l("incoming.provisional",
                    p.provisional.map(String.init).joined(separator: "、"))))),
                .unwrap(p.duplicateOf) { d in .p(.class("alert warning"), .text(l("incoming.duplicateOf")), .text(" "),
                                               .a(.href(SiteRoute.incomingItem(id: d).path),
                                                  .text(l("incoming.open")))) },
                .dl(.class("facts"),
                    fact(l("incoming.number"), m.numberText ?? l("incoming.unregistered")),
                    fact(l("incoming.sender"), m.sender),
                    fact(l("incoming.senderNumber"), m.senderNumber),
                    fact(l("incoming.receivedOn"), m.receivedOn),
                    fact(l("document.secrecy"), l.term(Secrecy(rawValue: m.secrecy)?.nameZh ?? m.secrecy)),
                    fact(l("document.urgency"), l.term(DocumentUrgency(rawValue: m.urgency)?.nameZh ?? m.urgency)),
                    fact(l("incoming.copies"), String(m.copies)),
                    fact(l("incoming.receivingUnit"), m.unitName),
                    .unwrap(s.lead) { fact(l("incoming.lead"), p.unitNames[$0] ?? $0) },
                    .if(!s.assisting.isEmpty, fact(l("incoming.assisting"),
                                                   s.assisting.map { p.unitNames[$0] ?? $0 }.joined(separator: "、"))),
                    .unwrap(s.result) { fact(l("incoming.result"), $0) }),
                .p(.class("actions"),
                   .if(p.canSupervise, .a(.class("button primary small"),
                                          .href(SiteRoute.supervisionNew.path + "?incoming=" + p.id),
                                          .text(l("incoming.supervise")))),
                   .unwrap(p.replyDocumentID) { .a(.class("button secondary small"),
                                                   .href(SiteRoute.document(id: $0).path),
                                                   .text(l("incoming.openReply"))) },
                   .unwrap(m.documentID) { .a(.class("button secondary small"),
                                              .href(SiteRoute.document(id: $0).path),
                                              .text(l("incoming.openIssued"))) },
                   .if(m.fileName != nil, .a(.class("button secondary small"),
                                             .href(SiteRoute.incomingFile(id: p.id).path),
                                             .text(l("incoming.download", m.fileName ?? "")))),
                   .a(.class("button secondary small"), .href(SiteRoute.incomingSheet(id: p.id).path),
                      .text(l("incoming.printSheet"))))),
            actions(ctx, p),
            readings(ctx, p),
            sheet(ctx, p))
        .response()
    }

    static func fact(_ label: String, _ value: String) -> Node<HTML.DescriptionListContext> {
        .group(.dt(.text(label)), .dd(.text(value)))
    }

    static func hidden(_ ctx: PageContext, _ p: IncomingPageModel, _ action: String) -> Node<HTML.FormContext> {
        .group(Form.csrf(ctx.csrfToken ?? ""), .input(.type(.hidden), .name("action"), .value(action)),
               .input(.type(.hidden), .name("version"), .value(String(p.m.version))))
    }

    static func unitOptions(_ l: L10n, _ p: IncomingPageModel, empty: String) -> [(value: String, label: String)] {
        [("", empty)] + p.units.map { ($0.code, $0.name) }
    }

    /// The forms of the step that is this person's, first on the page on a phone.
    static func actions(_ ctx: PageContext, _ p: IncomingPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let s = p.state
        let action = SiteRoute.incomingStep(id: p.id).path
        let leaderOptions = [("", l("incoming.noLeader"))] + p.leaders.map { ($0.username, $0.name) }
        return .section(
            .id("act"),
            .if(p.canRegister, .form(.class("card step-form"), .method(.post), .action(action),
                hidden(ctx, p, "register"),
                .p(.text(l("incoming.registerHint"))),
                .button(.type(.submit), .class("button primary"), .text(l("incoming.do.register"))))),
            .if(p.canPropose, .form(.class("card step-form"), .method(.post), .action(action),
                hidden(ctx, p, "propose"),
                .h2(.text(l("incoming.do.propose"))),
                Form.select(label: l("incoming.kind"), name: "kind", options: Proposal.Kind.allCases.map {
                    ($0.rawValue, l("incoming.kind.\($0.rawValue)")) }, selected: "handle"),
                Form.select(label: l("incoming.lead"), name: "lead",
                            options: unitOptions(l, p, empty: l("incoming.choose")),
                            selected: "", required: false),
                Form.dateField(label: l("incoming.dueField"), name: "due", value: p.suggestedDue?.description ?? "",
                               hint: l("incoming.dueHint", p.suggestedDue?.description ?? "")),
                .div(.class("grid3"),
                     Form.select(label: l("incoming.leader", "1"), name: "leader1", options: leaderOptions,
                                 selected: ""),
                     Form.select(label: l("incoming.leader", "2"), name: "leader2", options: leaderOptions,
                                 selected: "", required: false),
                     Form.select(label: l("incoming.leader", "3"), name: "leader3", options: leaderOptions,
                                 selected: "", required: false)),
                Form.textarea(label: l("incoming.proposalText"), name: "text", value: p.draft, rows: 3),
                .button(.type(.submit), .class("button primary"), .text(l("incoming.do.propose.submit"))))),
            .if(p.canInstruct, instructForm(ctx, p)),
            .if(p.canAssist, .form(.class("card step-form"), .method(.post), .action(action), hidden(ctx, p, "assist"),
                .h2(.text(l("incoming.do.assist"))),
                Form.textarea(label: l("incoming.assistText"), name: "text", value: p.draft, rows: 3),
                .button(.type(.submit), .class("button primary"), .text(l("incoming.do.assist.submit"))))),
            .if(p.canComplete, .form(.class("card step-form"), .method(.post), .action(action),
                hidden(ctx, p, "complete"),
                .h2(.text(l("incoming.do.complete"))),
                .if(p.canReply, .p(.class("hint"), .text(l("incoming.replyHint")))),
                Form.textarea(label: l("incoming.result"), name: "text", value: p.draft, rows: 3),
                .button(.type(.submit), .class("button primary"), .text(l("incoming.do.complete.submit"))))),
            .if(p.canReply, .form(.class("inline-form"), .method(.post),
                .action(SiteRoute.incomingReply(id: p.id).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .button(.type(.submit), .class("button secondary"), .text(l("incoming.draftReply"))))),
            .if(s.step == .handle && p.canCirculate, .form(.class("card step-form"), .method(.post), .action(action),
                hidden(ctx, p, "remind"),
                Form.field(label: l("incoming.urgeNote"), name: "text", autocomplete: "off"),
                .button(.type(.submit), .class("button secondary"), .text(l("incoming.do.remind"))))),
            .unwrap(p.readingID) { rid in
                .form(.class("card step-form"), .method(.post), .action(SiteRoute.incomingReading(id: rid).path),
                      Form.csrf(ctx.csrfToken ?? ""), .input(.type(.hidden), .name("action"), .value("read")),
                      .h2(.text(l("incoming.do.read"))),
                      Form.field(label: l("incoming.readComment"), name: "text", autocomplete: "off"),
                      .button(.type(.submit), .class("button primary"), .text(l("incoming.do.read.submit"))))
            })
    }

    /// 批示 on a phone: "同意" in one tap, or words, handwriting and the units and deadline.
    static func instructForm(_ ctx: PageContext, _ p: IncomingPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let action = SiteRoute.incomingStep(id: p.id).path
        let proposal = p.state.proposal
        return .section(.class("card step-form"),
            .h2(.text(l("incoming.do.instruct"))),
            .unwrap(proposal) { pr in .p(.class("proposal"), .strong(.text(l("incoming.proposal") + "：")),
                .text(IncomingSteps.describe(pr, l: l, units: p.unitNames))) },
            .forEach(p.state.instructions) { i in
                .p(.class("earlier"), .strong(.text(i.leader.name + "：")), .text(IncomingSteps.describe(i,
                    units: p.unitNames)))
            },
            .form(.method(.post), .action(action), hidden(ctx, p, "instruct"),
                  .input(.type(.hidden), .name("quick"), .value("agree")),
                  .button(.type(.submit), .class("button primary big"), .text(l("incoming.agree")))),
            .details(.summary(.text(l("incoming.instructMore"))),
                .form(.method(.post), .action(action), hidden(ctx, p, "instruct"),
                    Form.textarea(label: l("incoming.instructText"), name: "text", value: p.draft, rows: 3),
                    .div(.class("signature-pad"), .id("signature-pad"),
                         .p(.class("hint"), .text(l("incoming.handwritingHint"))),
                         .element(named: "canvas", nodes: [.attribute(named: "width", value: "300"),
                                                           .attribute(named: "height", value: "100"),
                                                           .attribute(named: "aria-label",
                                                                      value: l("incoming.handwriting"))]),
                         .input(.type(.hidden), .name("signature"), .value("")),
                         .button(.type(.button), .class("button small secondary signature-clear"),
                                 .text(l("document.signatureClear")))),
                    Form.select(label: l("incoming.lead"), name: "lead",
                                options: unitOptions(l, p, empty: l("incoming.keepLead")), selected: "",
                                required: false),
                    .div(.class("field"), .p(.class("label"), .text(l("incoming.assisting"))), .div(.class("checks"),
                        .forEach(p.units.prefix(60)) { u in
                            .label(.input(.type(.checkbox), .name("assisting[]"), .value(u.code)), .text(" " + u.name))
                        })),
                    Form.dateField(label: l("incoming.dueField"), name: "due", value: "", hint: l("incoming.keepDue")),
                    .button(.type(.submit), .class("button primary"), .text(l("incoming.do.instruct.submit"))))))
    }

    /// 传阅: who has read and who has not, reminders, and the form to send it round.
    static func readings(_ ctx: PageContext, _ p: IncomingPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let unread = p.readings.filter { $0.readAt == nil }
        return .section(.class("card"), .id("readings"),
            .h2(.text(p.readings.isEmpty ? l("incoming.circulate")
                : l("incoming.readings", String(p.readings.count - unread.count), String(p.readings.count)))),
            .if(p.readings.isEmpty, .p(.class("empty"), .text(l("incoming.noReadings")))),
            .if(!unread.isEmpty, .p(.class("alert warning"), .text(l("incoming.notRead",
                unread.map(\.name).joined(separator: "、"))))),
            .if(!p.readings.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("incoming.reader"))), .th(.text(l("list.status"))),
                           .th(.text(l("incoming.readComment"))), .th(.text(l("list.actions"))))),
                .tbody(.forEach(p.readings) { r in
                    .tr(.td(.text((r.inOrder ? "\(r.position). " : "") + r.name)),
                        .td(.span(.class(r.readAt == nil ? "tag warn" : "tag ok"),
                                  .text(r.readAt.map { l("incoming.readAt", DocumentView.time($0)) }
                                        ?? l("incoming.unread"))),
                            .if(r.reminders > 0, .span(.class("muted"), .text(" " + l("incoming.reminded",
                                                                                     String(r.reminders)))))),
                        .td(.text(r.comment)),
                        .td(.class("actions"), .if(p.canCirculate && r.readAt == nil,
                            .form(.class("inline-form"), .method(.post),
                                  .action(SiteRoute.incomingReading(id: r.id).path),
                                  Form.csrf(ctx.csrfToken ?? ""),
                                  .input(.type(.hidden), .name("action"), .value("remind")),
                                  .button(.type(.submit), .class("button small secondary"),
                                          .text(l("incoming.remindReader")))))))
                })))),
            .if(p.canCirculate, .details(.summary(.text(l("incoming.circulate"))),
                .form(.method(.post), .action(SiteRoute.incomingCirculate(id: p.id).path),
                      Form.csrf(ctx.csrfToken ?? ""),
                      .div(.class("field"), .p(.class("label"), .text(l("incoming.readersLegend"))),
                           .div(.class("checks"),
                          .forEach(p.leaders) { person in
                              .label(.input(.type(.checkbox), .name("readers[]"), .value(person.username)),
                                     .text(" " + person.name))
                          })),
                      .label(.input(.type(.checkbox), .name("in_order"), .value("1")),
                             .text(" " + l("incoming.inOrder"))),
                      Form.field(label: l("incoming.circulateNote"), name: "text", autocomplete: "off"),
                      .button(.type(.submit), .class("button primary"), .text(l("incoming.circulateSubmit")))))))
    }

    /// 处理单: every 拟办, 批示 and act in order with who and when, handwriting beside its 批示.
    static func sheet(_ ctx: PageContext, _ p: IncomingPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        return .section(.class("card processing-sheet"), .id("sheet"),
            .h2(.text(l("incoming.sheet"))),
            .ol(.class("sheet-lines"), .forEach(p.events) { e in
                .li(.p(.strong(.text(l("incoming.action.\(e.action)"))), .text(" · " + e.who + " · "),
                       .span(.class("muted"), .text(DocumentView.time(e.at)))),
                    .if(!e.comment.isEmpty, .p(.text(e.comment))),
                    .if(e.hasSignature, .img(.class("signature"),
                        .src(SiteRoute.incomingSignature(id: p.id, event: e.id).path),
                        .alt(l("incoming.handwriting")))))
            }))
    }
}

/// The 处理单 (阅办单) on A4: the registration box, then 拟办, 批示 and 办理 in order.
enum IncomingSheetView {
    static func render(_ ctx: PageContext, _ p: IncomingPageModel) -> Response {
        let l = ctx.l
        let m = p.m
        func row(_ label: String, _ value: String) -> Node<HTML.TableContext> {
            .tr(.th(.text(label)), .td(.text(value)))
        }
        let lines: (Set<String>) -> [IncomingPageModel.IncomingEventSnapshot] = { actions in
            p.events.filter { actions.contains($0.action) }
        }
        func cell(_ events: [IncomingPageModel.IncomingEventSnapshot]) -> Node<HTML.BodyContext> {
            .group(events.map { e in
                .div(.class("sheet-entry"), .p(.text(e.comment)),
                     .if(e.hasSignature, .img(.class("signature"),
                         .src(SiteRoute.incomingSignature(id: p.id, event: e.id).path),
                         .alt(l("incoming.handwriting")))),
                     .p(.class("sheet-sign"), .text(e.who + "　" + DocumentView.time(e.at))))
            })
        }
        let html = HTML(
            .attribute(named: "lang", value: l.language.htmlCode),
            .head(.meta(.charset(.utf8)), .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                  .element(named: "title", text: l("incoming.sheet") + " · " + m.title),
                  .link(.rel(.stylesheet), .href(SiteRoute.stylesheet.path))),
            .body(.class("print-sheet"),
                .p(.class("no-print"), .a(.href(SiteRoute.incomingItem(id: p.id).path),
                                          .text(l("incoming.backToItem")))),
                .h1(.text(m.unitName + "收文处理单")),
                .table(.class("sheet"),
                    row(l("incoming.number"), m.numberText ?? ""), row(l("incoming.receivedOn"), m.receivedOn),
                    row(l("incoming.registeredBy"), lines(["registered", "register", "signed_for"])
                        .map { $0.who + " " + DocumentView.time($0.at) }.joined(separator: "；")),
                    row(l("incoming.sender"), m.sender), row(l("incoming.senderNumber"), m.senderNumber),
                    row(l("document.title"), m.title),
                    row(l("document.secrecy") + " / " + l("document.urgency") + " / " + l("incoming.copies"),
                        [l.term(Secrecy(rawValue: m.secrecy)?.nameZh ?? ""),
                         l.term(DocumentUrgency(rawValue: m.urgency)?.nameZh ?? ""), String(m.copies)]
                            .joined(separator: " / ")),
                    .tr(.th(.text(l("incoming.sheet.propose"))), .td(cell(lines(["propose"])))),
                    .tr(.th(.text(l("incoming.sheet.instruct"))), .td(cell(lines(["instruct"])))),
                    .tr(.th(.text(l("incoming.sheet.handle"))), .td(cell(lines(["assist", "complete", "remind"])))),
                    .tr(.th(.text(l("incoming.sheet.read"))), .td(cell(lines(["read"])))),
                    row(l("incoming.result"), p.state.result.map { $0 + (p.state.doneOn.map { "（\($0)）" } ?? "") }
                        ?? ""))))
        return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"],
                        body: .init(string: html.render()))
    }
}
