import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 发文: drafting, the flow's steps, numbering, attachments, the register. Decisions are Core's (`DocumentFlow`,
/// `DocumentChecks`); every change is one audited transaction over the version the person read.
enum DocumentsController {
    struct DraftForm: Content {
        var type: String?
        var issuers: String?
        var title: String?
        var mainRecipients: String?
        var copyTo: String?
        var body: String?
        var secrecy: String?
        var secrecyPeriod: String?
        var copyNumber: String?
        var urgency: String?
        var openness: String?
        var opennessReason: String?
        var printedBy: String?
        var writtenOn: String?
        var note: String?
        var signers: String?
        var countersignUnits: String?
        var countersignInOrder: String?
        var version: Int?

        init() {}

        init(_ d: OutgoingDocument, countersign: [String], inOrder: Bool, version: Int?) {
            type = d.type.rawValue
            issuers = d.issuers.joined(separator: "、")
            title = d.title
            mainRecipients = d.mainRecipients.map(\.name).joined(separator: "\n")
            copyTo = d.copyTo.map(\.name).joined(separator: "\n")
            body = d.body
            secrecy = d.secrecy.rawValue
            secrecyPeriod = d.secrecyPeriod
            copyNumber = d.copyNumber
            urgency = d.urgency.rawValue
            openness = d.openness.rawValue
            opennessReason = d.opennessReason
            printedBy = d.printedBy
            writtenOn = d.writtenOn
            note = d.note
            signers = d.signers.joined(separator: "、")
            countersignUnits = countersign.joined(separator: "、")
            countersignInOrder = inOrder ? "1" : nil
            self.version = version
        }
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { "、，,；;\n\r ".contains($0) }).map(String.init).filter { !$0.isEmpty }
    }

    /// The form read into a document, or the fields in error (message keys or finished messages).
    static func read(_ f: DraftForm, register: BodyRegister, knownUnits: Set<String>, attachments: [String],
                     l: L10n) -> (OutgoingDocument?, [String: String]) {
        var errors: [String: String] = [:]
        let type = DocumentType(rawValue: f.type ?? "")
        if type == nil { errors["type"] = l("document.error.type") }
        let title = (f.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 { errors["title"] = l("document.error.title") }
        let issuers = list(f.issuers)
        if issuers.isEmpty || issuers.contains(where: { register[$0] == nil }) { errors["issuers"] = l("document.error.issuers") }
        let body = f.body ?? ""
        if body.count > 200_000 { errors["body"] = l("document.error.body") }
        let main = DocumentQueries.recipients(f.mainRecipients ?? "", register: register)
        if main.isEmpty { errors["mainRecipients"] = l("document.error.recipients") }
        let countersign = list(f.countersignUnits)
        if countersign.contains(where: { !knownUnits.contains($0) }) { errors["countersignUnits"] = l("document.error.units") }
        let secrecy = Secrecy(rawValue: f.secrecy ?? "none") ?? .none
        if secrecy.isStateSecret {
            // Refused as content whatever else the form says: the rule's own words, with its clause.
            let f = DocumentChecks.shared.check(OutgoingDocument(type: .notice, issuers: [], title: "",
                secrecy: secrecy))
                .first { $0.isRefusal }
            errors["secrecy"] = (l.language == .zh ? f?.zh : f?.en).map { "\($0)（\(f?.clause ?? "")）" } ?? ""
        }
        let writtenOn = (f.writtenOn ?? "").trimmingCharacters(in: .whitespaces)
        guard errors.isEmpty, let type else { return (nil, errors) }
        let d = OutgoingDocument(
            type: type, issuers: issuers, title: title, mainRecipients: main,
            copyTo: DocumentQueries.recipients(f.copyTo ?? "", register: register), body: body,
                attachments: attachments,
            secrecy: secrecy, secrecyPeriod: String((f.secrecyPeriod ?? "").prefix(20)),
            copyNumber: String((f.copyNumber ?? "").prefix(6)),
            urgency: DocumentUrgency(rawValue: f.urgency ?? "normal") ?? .normal,
            openness: Openness(rawValue: f.openness ?? "") ?? .proactive,
            opennessReason: String((f.opennessReason ?? "").prefix(500)),
            printedBy: String((f.printedBy ?? "").prefix(60)), printedOn: "", writtenOn: String(writtenOn.prefix(20)),
            note: String((f.note ?? "").prefix(500)), signers: list(f.signers).map { String($0.prefix(20)) })
        return (d, [:])
    }

    static func formContext(_ req: Request) async throws -> (BodyRegister, Set<String>) {
        (try await DocumentQueries.register(on: req.db),
            try await OrganisationQueries.unitAndDepartmentCodes(on: req.db))
    }

    static func new(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.draftDocument, Target(unitCode: user.unitCode)))
        let (register, _) = try await formContext(req)
        var form = DraftForm()
        form.type = DocumentType.notice.rawValue
        form.issuers = String(user.unitCode.prefix(3))
        form.printedBy = register[String(user.unitCode.prefix(3))]?.name
        form.openness = Openness.proactive.rawValue
        return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: nil)
    }

    /// A Word file read into the draft form (nothing saved yet): the clerk checks it and saves, or sees every
    /// paragraph that holds what a 公文 cannot keep.
    static func fromDocx(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.draftDocument, Target(unitCode: user.unitCode)))
        let (register, _) = try await formContext(req)
        var form = DraftForm()
        form.issuers = String(user.unitCode.prefix(3))
        form.printedBy = register[String(user.unitCode.prefix(3))]?.name
        let l = req.l10n
        guard let file = try? req.content.get(File.self, at: "docx"), file.data.readableBytes > 0,
              file.data.readableBytes <= DocumentFiles.maxAttachmentBytes else {
            return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: nil,
                                           errors: ["docx": l("document.docx.noFile")])
        }
        let data = Data(buffer: file.data)
        let result = try await req.application.threadPool.runIfActive { DocxReader.read(data) }
        switch result {
        case .failure(let failure):
            let zh = l.language == .zh
            return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: nil,
                errors: ["docx": l("document.docx.refused", String(failure.problems.count))],
                docxProblems: failure.problems.map { zh ? "\($0.placeZh)：\($0.zh)" : "\($0.placeEn): \($0.en)" })
        case .success(let content):
            let read = DocumentFromText.read(content.paragraphs, issuer: form.issuers ?? "")
            let d = read.document
            form.type = d.type.rawValue
            form.title = d.title
            form.mainRecipients = d.mainRecipients.map(\.name).joined(separator: "\n")
            form.body = d.body
            form.writtenOn = d.writtenOn
            form.openness = Openness.proactive.rawValue
            let note = l("document.docx.read", String(content.paragraphs.count))
                + (d.attachments.isEmpty ? "" : " " + l("document.docx.attachments",
                    d.attachments.joined(separator: "、")))
            return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: nil,
                                           notice: note)
        }
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.draftDocument, Target(unitCode: user.unitCode)))
        let form = try req.content.decode(DraftForm.self)
        let (register, known) = try await formContext(req)
        let (doc, errors) = read(form, register: register, knownUnits: known, attachments: [], l: req.l10n)
        guard let doc, errors.isEmpty,
              let unit = try await OrganisationQueries.unit(code: user.unitCode, on: req.db) else {
            return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: nil,
                                           errors: errors)
        }
        let now = req.now
        let unitID = try unit.requireID()
        let countersign = list(form.countersignUnits)
        let model = DocumentModel()
        try await req.audited { tx, audit in
            model.$unit.id = unitID
            model.year = Calendar.chinaYear(now)
            try model.set(doc)
            model.step = DocumentStep.draft.rawValue
            model.countersignUnits = countersign.joined(separator: ",")
            model.countersignInOrder = form.countersignInOrder == "1"
            model.countersigned = ""
            model.waiversJSON = "[]"
            model.draftedBy = user.username
            model.draftedByName = user.displayName
            model.version = 1
            model.createdAt = now
            model.updatedAt = now
            try await model.create(on: tx)
            try await reindex(model, on: tx)
            try await saveVersion(model, doc, step: .draft, user: user, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "document", objectID: try model.requireID().uuidString,
                                 summary: "\(doc.type.nameZh) \(doc.title)"))
        }
        req.setFlash("document.created")
        return req.redirect(within: SiteRoute.document(id: try model.requireID().uuidString).path)
    }

    /// The document in the search index: title, number and text.
    static func reindex(_ model: DocumentModel, on tx: Database) async throws {
        let d = try model.decoded()
        try await SearchIndex.index(kind: "document", entry(model, d), on: tx)
    }

    /// A document in the search index: newest first by creation, within its unit, found by everyone once it is a
    /// public one and by nobody through search while restricted.
    static func entry(_ model: DocumentModel, _ d: OutgoingDocument) throws -> SearchIndex.Entry {
        return SearchIndex.Entry(id: try model.requireID(),
                                 text: [d.title, model.numberText ?? "", d.body].joined(separator: "\n"),
                                 rank: Int64(model.createdAt.timeIntervalSince1970 * 1000),
                                 scope: model.$unit.id.uuidString, access: model.access)
    }

    static func saveVersion(_ model: DocumentModel, _ d: OutgoingDocument, step: DocumentStep, user: CurrentUser,
                            at: Date, on tx: Database) async throws {
        let id = try model.requireID()
        let last = try await DocumentVersionModel.query(on: tx).filter(\.$document.$id == id).sort(\.$seq, .descending)
            .first()
        if let last, last.body == d.body, last.title == d.title { return }
        let v = DocumentVersionModel()
        v.$document.id = id
        v.seq = (last?.seq ?? 0) + 1
        v.title = d.title
        v.body = d.body
        v.step = step.rawValue
        v.username = user.username
        v.displayName = user.displayName
        v.at = at
        try await v.create(on: tx)
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        guard try await DocumentQueries.canView(user.principal, username: user.username, model: model,
            on: req.db) else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "document", objectID: model.id?.uuidString,
                                           summary: "view", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        return DocumentView.render(req.pageContext(), try await DocumentQueries.page(req, model),
                                   flash: req.takeFlashWithKind())
    }

    static func edit(req: Request) async throws -> Response {
        let model = try await DocumentQueries.find(req)
        let page = try await DocumentQueries.page(req, model)
        guard page.canEdit else { throw Abort(.forbidden, reason: "access.denied") }
        let (register, _) = try await formContext(req)
        let form = DraftForm(page.document, countersign: page.countersignUnits, inOrder: model.countersignInOrder,
                             version: model.version)
        return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: page.id)
    }

    struct Conflict: Error {}

    /// Claims the next version in the write itself: a second tab's save over the same version fails here.
    static func claim(_ model: DocumentModel, expected: Int, at now: Date, on tx: Database) async throws {
        guard try await claimVersion(schema: DocumentModel.schema, id: model.requireID(), expected: expected,
                                     at: now, on: tx) else { throw Conflict() }
        model.version = expected + 1
        model.updatedAt = now
    }

    /// Takes version `expected + 1` of a row (with `version` and `updated_at`) in the write itself; false when another
    /// save took it first. Documents and received documents both claim through it.
    static func claimVersion(schema: String, id: UUID, expected: Int, at now: Date, on tx: Database) async throws
        -> Bool {
        guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
        let claimed = try await sql.update(schema).set("version", to: expected + 1)
            .set("updated_at", to: now).where("id", .equal, id).where("version", .equal, expected)
            .returning("id").all()
        return claimed.count == 1
    }

    static func update(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        let page = try await DocumentQueries.page(req, model)
        guard page.canEdit else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "document", objectID: page.id, summary: "edit",
                                           result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let form = try req.content.decode(DraftForm.self)
        let (register, known) = try await formContext(req)
        let (doc, errors) = read(form, register: register, knownUnits: known,
                                 attachments: page.attachments.map(\.title), l: req.l10n)
        guard let doc, errors.isEmpty else {
            return DocumentFormView.render(req.pageContext(), form: form, register: register, editing: page.id,
                                           errors: errors)
        }
        let now = req.now
        let before = page.document
        do {
            try await req.audited { tx, audit in
                try await claim(model, expected: form.version ?? -1, at: now, on: tx)
                try model.set(doc)
                if model.flowState.step == .draft {
                    model.countersignUnits = list(form.countersignUnits).joined(separator: ",")
                    model.countersignInOrder = form.countersignInOrder == "1"
                }
                try await model.save(on: tx)
                try await reindex(model, on: tx)
                try await saveVersion(model, doc, step: model.flowState.step, user: user, at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                                     summary: changes(before, doc)))
            }
        } catch is Conflict {
            req.setFlash("edit.conflict", error: true)
            return req.redirect(within: SiteRoute.document(id: page.id).path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.document(id: page.id).path)
    }

    /// "title: … → …; body: 3 lines changed" for the audit trail.
    static func changes(_ a: OutgoingDocument, _ b: OutgoingDocument) -> String {
        var out: [String] = []
        if a.title != b.title { out.append("title: \(a.title) → \(b.title)") }
        if a.body != b.body { out.append("body changed (\(a.body.count) → \(b.body.count) characters)") }
        if a.type != b.type { out.append("type: \(a.type.rawValue) → \(b.type.rawValue)") }
        if a.mainRecipients != b.mainRecipients { out.append("main recipients changed") }
        if a.secrecy != b.secrecy { out.append("secrecy: \(a.secrecy.rawValue) → \(b.secrecy.rawValue)") }
        if a.openness != b.openness { out.append("openness: \(a.openness.rawValue) → \(b.openness.rawValue)") }
        if a.signers != b.signers { out.append("signers: \(b.signers.joined(separator: ","))") }
        return out.isEmpty ? "no field changed" : out.joined(separator: "; ")
    }
}

extension Calendar {
    /// The year in China time, which a document's number and lists go by.
    static func chinaYear(_ date: Date) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return c.component(.year, from: date)
    }
}
