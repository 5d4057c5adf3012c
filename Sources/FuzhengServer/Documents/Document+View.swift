import Foundation
import FuzhengCore
import Plot
import Vapor

enum DocumentView {
    static func time(_ d: Date) -> String {
        let f = DateFormatter()
        f.timeZone = DelegationController.chinaTime
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    /// The 正文 as it will read: heading levels in their typefaces, body paragraphs indented two characters.
    static func preview(_ d: OutgoingDocument, issuers: [String] = []) -> Node<HTML.BodyContext> {
        .div(.class("document-preview"), .id("preview"),
             .h2(.class("doc-title"), .text(d.title)),
             .p(.class("doc-recipients"), .text(d.mainRecipients.map(\.name).joined(separator: "、")
                 + (d.mainRecipients.isEmpty ? "" : "："))),
             .forEach(DocumentBody(d.body).paragraphs) { p in
                 .p(.class("doc-level\(p.level)"), .text(p.text))
             },
             .forEach(d.attachmentNote) { .p(.class("doc-attachments"), .text($0)) },
             .forEach(d.type == .minutes ? [] : issuers) { .p(.class("doc-date doc-signature"), .text($0)) },
             .if(!d.writtenOn.isEmpty, .p(.class("doc-date"), .text(d.writtenOn))),
             .if(!d.note.isEmpty, .p(.class("doc-note"), .text("（\(d.note)）"))))
    }

    static func facts(_ l: L10n, _ m: DocumentPageModel) -> Node<HTML.BodyContext> {
        let d = m.document
        var rows: [(String, String)] = [
            (l("document.type"), l.term(d.type.nameZh)), (l("document.issuers"), m.issuerNames.joined(separator: "、")),
            (l("document.number"), m.number ?? l("document.unnumbered")),
            (l("document.mainRecipients"), d.mainRecipients.map(\.name).joined(separator: "、")),
        ]
        if !d.copyTo.isEmpty { rows.append((l("document.copyTo"), d.copyTo.map(\.name).joined(separator: "、"))) }
        rows.append((l("document.secrecy"), l.term(d.secrecy.nameZh)))
        if d.urgency != .normal { rows.append((l("document.urgency"), l.term(d.urgency.nameZh))) }
        rows.append((l("document.openness"),
            l.term(d.openness.nameZh) + (d.opennessReason.isEmpty ? "" : "：\(d.opennessReason)")))
        if !d.signers.isEmpty { rows.append((l("document.signers"), d.signers.joined(separator: "、"))) }
        if !m.countersignUnits.isEmpty {
            rows.append((l("document.countersign"), m.countersignUnits.map { u in
                u + (m.state.countersigned.contains(u) ? "✓" : "") }.joined(separator: "、")))
        }
        rows.append((l("document.draftedBy"), m.draftedBy))
        return .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) })
    }

    static func findings(_ ctx: PageContext, _ m: DocumentPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let zh = l.language == .zh
        let open = m.openFindings
        return .section(
            .id("findings"), .class(open.isEmpty ? "findings" : "findings has-errors"),
            .h2(.text(l("document.findings", String(open.count), String(m.waivers.count)))),
            .if(m.findings.isEmpty, .p(.class("muted"), .text(l("document.noFindings")))),
            .ul(.class("findings-list"), .forEach(m.findings) { f in
                let waiver = m.waivers.first { $0.rule == f.rule }
                return .li(.class(waiver == nil ? "finding error" : "finding notice"),
                    .text(zh ? f.zh : f.en), .span(.class("muted"), .text("（\(f.rule) · \(f.clause)）")),
                    .unwrap(waiver) { w in .p(.class("muted"), .text(l("document.waivedBy", w.by, w.reason))) },
                    .if(waiver == nil && m.canAct && m.state.step != .draft && !f.isRefusal, .form(
                        .class("inline-form"), .method(.post), .action(SiteRoute.documentWaive(id: m.id).path),
                        Form.csrf(ctx.csrfToken ?? ""),
                        .input(.type(.hidden), .name("rule"), .value(f.rule)),
                        Form.field(label: l("document.waiveReason"), name: "reason", autocomplete: "off"),
                        .button(.type(.submit), .class("button small secondary"), .text(l("document.waive"))))))
            }))
    }

    static func flow(_ ctx: PageContext, _ m: DocumentPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let step = m.state.step
        let forwardKey = "document.forward.\(step.rawValue)"
        return .section(
            .class("card"), .id("flow"),
            .h2(.text(l("document.flowNow", l("document.step.\(step.rawValue)")))),
            .ol(.class("steps"), .forEach(DocumentFlow.shared.steps.map(\.step).filter { s in
                (s != .countersign || !m.countersignUnits.isEmpty)
                    && !(DocumentFlow.shared.units[m.unitCode]?.skip ?? []).contains(s)
            }) { s in
                .li(.class(s == step ? "current" : ""), .text(l("document.step.\(s.rawValue)")))
            }),
            .unwrap(m.refusal) { .p(.class("alert info"), .text($0)) },
            .unwrap(m.actingFor) { d in .p(.class("acting-for"), .text(l("document.actingFor", d.displayName))) },
            .if(m.canAct && step != .issued, .form(
                .class("step-form"), .method(.post), .action(SiteRoute.documentStep(id: m.id).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(m.version))),
                Form.textarea(label: l(step == .draft ? "document.noteForReviewer" : "document.opinion"),
                              name: "reason", value: "", rows: 2),
                .if(step == .sign, .div(.class("signature-pad"), .id("signature-pad"),
                    .p(.class("hint"), .text(l("document.signatureHint"))),
                    .element(named: "canvas", nodes: [.attribute(named: "width", value: "300"),
                                                      .attribute(named: "height", value: "100"),
                                                      .attribute(named: "aria-label", value: l("document.signature"))]),
                    .input(.type(.hidden), .name("signature"), .value("")),
                    .button(.type(.button), .class("button small secondary signature-clear"),
                            .text(l("document.signatureClear"))))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .name("move"), .value("forward"), .class("button primary"),
                             .text(l(forwardKey))),
                     .if(step != .draft, .button(.type(.submit), .name("move"), .value("send_back"),
                                                 .class("button danger"), .text(l("document.sendBack"))))))),
            .if(m.canVoid, .form(
                .class("inline-form"), .method(.post), .action(SiteRoute.documentVoid(id: m.id).path),
                Form.csrf(ctx.csrfToken ?? ""),
                Form.field(label: l("document.voidReason"), name: "reason", autocomplete: "off"),
                .button(.type(.submit), .class("button small danger"), .text(l("document.void", m.number ?? "")))))
        )
    }

    /// The 发文稿纸: every opinion in order with who and when, signatures drawn at 签发 shown beside them.
    static func sheet(_ ctx: PageContext, _ m: DocumentPageModel) -> Node<HTML.BodyContext> {
        let l = ctx.l
        return .section(
            .class("card processing-sheet"), .id("sheet"),
            .h2(.text(l("document.sheet"))),
            .if(m.events.isEmpty, .p(.class("empty"), .text(l("document.noEvents")))),
            .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("document.sheet.step"))), .th(.text(l("document.sheet.who"))),
                           .th(.text(l("document.sheet.opinion"))), .th(.text(l("document.sheet.at"))))),
                .tbody(.forEach(m.events) { e in
                    .tr(.td(.text(l("document.step.\(e.step)")) , .text(" "),
                            .span(.class("tag note"), .text(l("document.action.\(e.action)")))),
                        .td(.text(e.who), .if(e.hasSignature, .img(
                            .class("signature"), .src(SiteRoute.documentSignature(id: m.id, event: e.id).path),
                            .alt(l("document.signature"))))),
                        .td(.class("summary"), .text(e.comment)), .td(.text(time(e.at))))
                }))))
    }

    /// 版式文件: the document as the standard lays it out, in the three formats; before 核发 a 样稿 for checking.
    static func files(_ l: L10n, _ m: DocumentPageModel) -> Node<HTML.BodyContext> {
        .section(.class("card"), .id("files"),
                 .h2(.text(l("document.files"))),
                 .p(.class("muted"), .text(l(m.state.step == .issued ? "document.files.issued"
                     : m.sealedWith != nil ? "document.files.sealedProof" : "document.files.draft"))),
                 .p(.text(m.sealedWith == nil ? l("document.files.unsealed") : l("document.files.sealed"))),
                 .p(.class("actions"), .forEach(IssuedFiles.Format.allCases) { f in
                     .a(.class("button small secondary"), .href(SiteRoute.documentFile(id: m.id,
                         format: f.rawValue).path),
                        .text(l("document.files.\(f.rawValue)")))
                 }))
    }

    static func render(_ ctx: PageContext, _ m: DocumentPageModel, flash: (text: String, isError: Bool)?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: m.document.title,
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.documents.path), .text(l("document.backToList")))),
            .p(.class("lead"), .span(.class("tag note"), .text(l("document.step.\(m.state.step.rawValue)"))),
               .text(" " + (m.number ?? l("document.unnumbered")))),
            facts(l, m),
            .unwrap(m.answers) { a in .p(.text(l("document.answers") + "："),
                                        .a(.href(SiteRoute.incomingItem(id: a.id).path), .text(a.text))) },
            .if(m.canEdit, .p(.a(.class("button"), .href(SiteRoute.documentEdit(id: m.id).path),
                                 .text(l("document.edit"))))),
            files(l, m),
            .if(m.canSupervise, .p(.a(.class("button primary"),
                                      .href(SiteRoute.supervisionNew.path + "?document=" + m.id),
                                      .text(l("document.supervise"))))),
            DeliveriesView.section(ctx, documentID: m.id, m.deliveries, canDispatch: m.canDispatch),
            findings(ctx, m),
            flow(ctx, m),
            preview(m.document, issuers: m.issuerNames),
            .section(.class("card"), .id("attachments"),
                     .h2(.text(l("document.attachments", String(m.attachments.count)))),
                     .ul(.class("plain"), .forEach(m.attachments) { a in
                         .li(.a(.href(SiteRoute.documentAttachment(id: m.id, position: a.position).path),
                                .text("\(l("document.attachmentN", String(a.position)))：\(a.title)")),
                             .span(.class("muted"), .text("（\(a.fileName)，\(a.size / 1024 + 1) KB）")),
                             .if(m.canEdit, .form(.class("inline-form"), .method(.post),
                                 .action(SiteRoute.documentAttachments(id: m.id).path),
                                 Form.csrf(ctx.csrfToken ?? ""),
                                 .input(.type(.hidden), .name("remove"), .value(String(a.position))),
                                 .button(.type(.submit), .class("button small secondary"),
                                         .text(l("document.removeAttachment"))))))
                     }),
                     .if(m.canEdit, .form(
                        .method(.post), .action(SiteRoute.documentAttachments(id: m.id).path),
                        .attribute(named: "enctype", value: "multipart/form-data"),
                        Form.csrf(ctx.csrfToken ?? ""),
                        Form.field(label: l("document.attachmentTitle"), name: "title", autocomplete: "off",
                                   hint: l("document.attachmentTitleHint")),
                        .div(.class("field"), .label(.for("file"), .text(l("document.attachmentFile"))),
                             .input(.id("file"), .name("file"), .type(.file))),
                        .button(.type(.submit), .class("button"), .text(l("document.attach")))))),
            sheet(ctx, m),
            .section(.class("card"), .id("versions"),
                     .h2(.text(l("document.versions", String(m.versions.count)))),
                     .ul(.class("plain"), .forEach(m.versions) { v in
                         .li(.text("\(l("document.versionN", String(v.seq))) · \(v.by) · "
                                   + "\(l("document.step.\(v.step)")) · \(time(v.at))"))
                     }),
                     .if(m.versions.count > 1, .p(.a(.href(SiteRoute.documentCompare(id: m.id).path),
                                                     .text(l("document.compareLatest"))))))
        ).response()
    }
}

enum DocumentFormView {
    static func render(_ ctx: PageContext, form f: DocumentsController.DraftForm, register: BodyRegister,
                       editing: String?, errors: [String: String] = [:], notice: String? = nil,
                       docxProblems: [String] = []) -> Response {
        let l = ctx.l
        let action = editing.map { SiteRoute.documentEdit(id: $0).path } ?? SiteRoute.documentNew.path
        func options<T: CaseIterable & RawRepresentable>(_ t: T.Type, _ name: (T) -> String)
            -> [(value: String, label: String)] where T.RawValue == String {
            T.allCases.map { ($0.rawValue, name($0)) }
        }
        let issuers = register.bodies.filter { $0.numberPrefix != nil }.map { "\($0.code) \($0.name)" }
        return Layout.page(
            ctx, title: l(editing == nil ? "document.new" : "document.edit"),
            .if(editing != nil, .p(.a(.href(SiteRoute.document(id: editing ?? "").path),
                                      .text(l("document.backToDocument"))))),
            .alert(notice, kind: "success"),
            .if(editing == nil, .form(
                .class("card"), .id("docx"), .method(.post), .action(SiteRoute.documentFromDocx.path),
                .attribute(named: "enctype", value: "multipart/form-data"),
                Form.csrf(ctx.csrfToken ?? ""),
                .div(.class(errors["docx"] == nil ? "field" : "field has-error"),
                     .label(.for("docx-file"), .text(l("document.docx.label"))),
                     .input(.id("docx-file"), .name("docx"), .type(.file), .attribute(named: "accept", value: ".docx")),
                     .p(.class("hint"), .text(l("document.docx.hint"))),
                     .if(errors["docx"] != nil, .p(.class("error"), .text(errors["docx"] ?? "")))),
                .if(!docxProblems.isEmpty, .ul(.class("findings-list"), .forEach(docxProblems) {
                    .li(.class("finding error"), .text($0))
                })),
                .button(.type(.submit), .class("button"), .text(l("document.docx.read.button"))))),
            .form(
                .class("card"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.filter { $0.key != "docx" }.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .if(editing != nil, .input(.type(.hidden), .name("version"), .value(String(f.version ?? 0)))),
                .div(.class("grid2"),
                     Form.select(label: l("document.type"), name: "type",
                         options: options(DocumentType.self) { l.term($0.nameZh) },
                                 selected: f.type ?? "", error: errors["type"]),
                     Form.field(label: l("document.issuers"), name: "issuers", value: f.issuers ?? "",
                                error: errors["issuers"], required: true, autocomplete: "off",
                                hint: l("document.issuersHint", issuers.joined(separator: "；")))),
                Form.field(label: l("document.title"), name: "title", value: f.title ?? "", error: errors["title"],
                           required: true, autocomplete: "off", hint: l("document.titleHint")),
                Form.textarea(label: l("document.mainRecipients"), name: "mainRecipients",
                              value: f.mainRecipients ?? "", error: errors["mainRecipients"], rows: 2),
                .p(.class("hint"), .text(l("document.recipientsHint"))),
                Form.textarea(label: l("document.copyTo"), name: "copyTo", value: f.copyTo ?? "", rows: 2),
                Form.textarea(label: l("document.body"), name: "body", value: f.body ?? "", error: errors["body"],
                              rows: 14),
                .p(.class("hint"), .text(l("document.bodyHint"))),
                .div(.class("grid3"),
                     Form.select(label: l("document.secrecy"), name: "secrecy",
                                 options: options(Secrecy.self) { l.term($0.nameZh) }, selected: f.secrecy ?? "none",
                                 error: errors["secrecy"]),
                     Form.select(label: l("document.urgency"), name: "urgency",
                                 options: options(DocumentUrgency.self) { l.term($0.nameZh) },
                                     selected: f.urgency ?? "normal"),
                     Form.select(label: l("document.openness"), name: "openness",
                                 options: options(Openness.self) { l.term($0.nameZh) },
                                     selected: f.openness ?? "zhudong")),
                Form.field(label: l("document.opennessReason"), name: "opennessReason", value: f.opennessReason ?? "",
                           autocomplete: "off", hint: l("document.opennessReasonHint")),
                .div(.class("grid3"),
                     Form.field(label: l("document.writtenOn"), name: "writtenOn", value: f.writtenOn ?? "",
                                autocomplete: "off", hint: l("document.writtenOnHint")),
                     Form.field(label: l("document.printedBy"), name: "printedBy", value: f.printedBy ?? "",
                                autocomplete: "off"),
                     Form.field(label: l("document.signers"), name: "signers", value: f.signers ?? "",
                                autocomplete: "off", hint: l("document.signersHint"))),
                Form.field(label: l("document.note"), name: "note", value: f.note ?? "", autocomplete: "off"),
                Form.field(label: l("document.countersign"), name: "countersignUnits", value: f.countersignUnits ?? "",
                           error: errors["countersignUnits"], autocomplete: "off", hint: l("document.countersignHint")),
                .div(.class("field"), .label(
                    .input(.type(.checkbox), .name("countersignInOrder"), .value("1"),
                           .attribute(named: "checked", value: f.countersignInOrder == "1" ? "checked" : nil)),
                    .text(" " + l("document.countersignInOrder")))),
                .div(.class("grid2"),
                     Form.field(label: l("document.secrecyPeriod"), name: "secrecyPeriod", value: f.secrecyPeriod ?? "",
                                autocomplete: "off"),
                     Form.field(label: l("document.copyNumber"), name: "copyNumber", value: f.copyNumber ?? "",
                                autocomplete: "off")),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(editing.map { SiteRoute.document(id: $0).path }
                         ?? SiteRoute.documents.path), .text(l("form.cancel"))))
            )
        ).response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}

enum DocumentListView {
    static func render(_ ctx: PageContext, _ m: DocumentLists.Model) -> Response {
        let l = ctx.l
        let views = ["todo", "mine", "done", "all"]
        let extra = "&view=\(m.view)"
        return Layout.page(
            ctx, title: l("nav.documents"),
            .alert(m.flash, kind: "success"),
            .div(.class("toolbar"),
                 .p(.class("status-chips"), .forEach(views) { v in
                     .a(.class(v == m.view ? "tag ok" : "tag note"), .href(SiteRoute.documents.path + "?view=" + v),
                        .text(l("document.view.\(v)")))
                 }),
                 .if(m.canDraft, .a(.class("button primary"), .href(SiteRoute.documentNew.path),
                                    .text(l("document.new")))),
                 .a(.class("button"), .href(SiteRoute.documentRegister.path), .text(l("document.register"))),
                 .a(.class("button"), .href(SiteRoute.secretPapers.path), .text(l("secret.title"))),
                 .a(.class("button"), .href(SiteRoute.documentsReceived.path), .text(l("delivery.title")))),
            .form(.class("filters"), .method(.get), .action(SiteRoute.documents.path),
                  .input(.type(.hidden), .name("view"), .value(m.view)),
                  Form.field(label: l("document.search"), name: "q", value: m.query.q ?? "", autocomplete: "off"),
                  Form.select(label: l("document.type"), name: "type",
                              options: [("", l("document.allTypes"))] + DocumentType.allCases.map { ($0.rawValue,
                                  l.term($0.nameZh)) },
                              selected: m.query.type ?? "", required: false),
                  Form.select(label: l("list.status"), name: "step",
                              options: [("", l("document.allSteps"))] + DocumentStep.allCases.map {
                                  ($0.rawValue, l("document.step.\($0.rawValue)")) },
                              selected: m.query.step ?? "", required: false),
                  .button(.type(.submit), .class("button"), .text(l("units.filter")))),
            .if(m.rows.isEmpty, .p(.class("empty"), .text(l("document.none.\(m.view)")))),
            .if(!m.rows.isEmpty, .ul(.class("work-list"), .forEach(m.rows) { r in
                .li(.class("work-item"), .a(.href(SiteRoute.document(id: r.id).path),
                    .span(.class("work-title"), .text(r.title)),
                    .span(.class("work-detail"),
                        .text([DocumentType(rawValue: r.type).map { l.term($0.nameZh) } ?? r.type,
                        l("document.step.\(r.step)"),
                            r.number ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")))))
            })),
            Pager.render(l, basePath: SiteRoute.documents.path, query: m.query.q ?? "", page: m.page,
                         perPage: DocumentLists.perPage, total: m.total, extraQuery: extra)
        ).response()
    }
}

enum DocumentRegisterView {
    static func render(_ ctx: PageContext, year: Int, rows: [DocumentLists.RegisterRow]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("document.registerTitle", String(year)),
            .p(.a(.href(SiteRoute.documents.path), .text(l("document.backToList"))), .text(" "),
               .a(.class("button"), .href(SiteRoute.documentRegisterExport.path + "?year=\(year)"),
                  .text(l("document.registerExport")))),
            .form(.class("filters"), .method(.get), .action(SiteRoute.documentRegister.path),
                  Form.field(label: l("units.year"), name: "year", value: String(year), inputMode: "numeric"),
                  .button(.type(.submit), .class("button"), .text(l("units.filter")))),
            .if(rows.isEmpty, .p(.class("empty"), .text(l("document.registerEmpty")))),
            .if(!rows.isEmpty, .div(.class("table-scroll"), .table(.class("data"), .id("register"),
                .thead(.tr(.th(.text(l("document.register.number"))), .th(.text(l("document.title"))),
                           .th(.text(l("document.register.state"))), .th(.text(l("document.register.date"))),
                           .th(.text(l("document.register.reason"))))),
                .tbody(.forEach(rows) { r in
                    .tr(.td(.text(r.number)), .td(.a(.href(SiteRoute.document(id: r.documentID).path), .text(r.title))),
                        .td(.span(.class(r.state == "voided" ? "tag off" : "tag ok"),
                                  .text(l("document.register.\(r.state)")))),
                        .td(.text(DelegationController.day(r.at))), .td(.text(r.reason)))
                }))))
        ).response()
    }
}

enum DocumentCompareView {
    static func render(_ ctx: PageContext, id: String, title: String,
                       versions: [(seq: Int, by: String, step: String, at: Date)], a: Int, b: Int,
                       lines: [TextDiff.Line]) -> Response {
        let l = ctx.l
        let options = versions.map { (String($0.seq), "\(l("document.versionN", String($0.seq))) · \($0.by)") }
        return Layout.page(
            ctx, title: l("document.compareTitle", title),
            .p(.a(.href(SiteRoute.document(id: id).path), .text(l("document.backToDocument")))),
            .form(.class("filters"), .method(.get), .action(SiteRoute.documentCompare(id: id).path),
                  Form.select(label: l("document.compareFrom"), name: "a", options: options, selected: String(a)),
                  Form.select(label: l("document.compareTo"), name: "b", options: options, selected: String(b)),
                  .button(.type(.submit), .class("button"), .text(l("document.compare")))),
            .div(.class("diff"), .forEach(lines) { line in
                switch line.kind {
                case .same: .p(.class("same"), .text(line.text.isEmpty ? " " : line.text))
                case .inserted: .p(.class("inserted"), .element(named: "ins", text: line.text))
                case .deleted: .p(.class("deleted"), .element(named: "del", text: line.text))
                }
            })
        ).response()
    }
}
