import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 收文: the list, registration of an outside document, the detail page with its 处理单, the file as received.
enum IncomingController {
    static let maxFileBytes = 9 << 20
    /// What an outside document may arrive as: PDF, OFD, DOCX or scanned images.
    static let fileKinds: [String: String] = [
        "pdf": "application/pdf", "ofd": "application/ofd", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    struct ListQuery: Content {
        var view: String?
        var q: String?
        var page: String?
    }

    /// 待办 (what is waiting for this person, overdue first) or everything of their units, newest first.
    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let q = try req.query.decode(ListQuery.self)
        let view = q.view == "all" ? "all" : "todo"
        let text = (q.q ?? "").trimmingCharacters(in: .whitespaces).prefix(100)
        let today = CivilDay(req.now)
        var rows: [IncomingModel]
        if view == "todo" {
            rows = []
            for step in [IncomingStep.register, .propose, .instruct, .handle] {
                rows += try await IncomingQueries.waiting(step, for: user, on: req.db)
            }
            rows += try await IncomingQueries.assisting(for: user, on: req.db)
            rows += try await IncomingQueries.unread(for: user.username, on: req.db).map(\.incoming)
            var seen = Set<UUID>()
            rows = rows.filter { seen.insert($0.id ?? UUID()).inserted }
            for r in rows where r.$unit.value == nil { try await r.$unit.load(on: req.db) }
        } else {
            let query = IncomingModel.query(on: req.db).with(\.$unit)
            if let ids = try await DocumentQueries.reachableUnitIDs(user.principal, on: req.db) {
                query.group(.or) { g in
                    g.filter(\.$unit.$id ~~ ids)
                    g.filter(\.$nextLeader == user.username)
                }
            }
            if !text.isEmpty {
                query.group(.or) { g in
                    g.filter(\.$title, .contains(inverse: false, .anywhere), String(text))
                    g.filter(\.$senderNumber, .contains(inverse: false, .anywhere), String(text))
                    g.filter(\.$numberText, .contains(inverse: false, .anywhere), String(text))
                    g.filter(\.$sender, .contains(inverse: false, .anywhere), String(text))
                }
            }
            rows = try await query.sort(\.$createdAt, .descending).limit(200).all()
        }
        let circulating = try await circulatingIDs(rows.compactMap(\.id), on: req.db)
        let rules = IncomingRules.shared
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: req.now)
        var listed = rows.map { m in
            IncomingListView.Row(id: m.id?.uuidString ?? "", number: m.numberText, title: m.title, sender: m.sender,
                                 senderNumber: m.senderNumber, step: m.step, due: m.due,
                                 colour: m.dueDay.map { rules.colour(due: $0, today: today, calendar: calendar) },
                                 circulating: circulating.contains(m.id ?? UUID()), duplicate: m.duplicateOf != nil,
                                 urgency: m.urgency)
        }
        if view == "todo" {
            listed = WorkOrdering.sorted(listed, urgency: { $0.colour?.urgency ?? .onTrack },
                                         daysLeft: { r in r.due.flatMap(CivilDay.init).map {
                                             CivilDay.days(from: today, to: $0) } },
                                         title: \.title)
        }
        let canRegister = IncomingQueries.allows(user.principal, .registerIncoming, user.unitCode)
        return IncomingListView.render(req.pageContext(), rows: listed, view: view, query: String(text),
                                       canRegister: canRegister, flash: req.takeFlash())
    }

    /// Documents with a 传阅 round not yet read by everyone: lists show "(传阅中)".
    static func circulatingIDs(_ ids: [UUID], on db: Database) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await IncomingReadingModel.query(on: db).filter(\.$incoming.$id ~~ ids)
            .filter(\.$readAt == nil).all().map(\.$incoming.id))
    }

    static func new(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.registerIncoming, Target(unitCode: user.unitCode)))
        return IncomingNewView.render(req.pageContext(), form: [:], errors: [:], duplicate: nil,
                                      today: CivilDay(req.now), status: .ok)
    }

    struct RegisterForm: Content {
        var sender: String?
        var sender_number: String?
        var title: String?
        var secrecy: String?
        var urgency: String?
        var copies: String?
        var received_on: String?
        var confirm_duplicate: String?
        var file: File?
    }

    /// 登记 of an outside document: 签收 and 登记 in one, straight to 拟办, with its 收文编号 and the file.
    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.require(.office(.registerIncoming, Target(unitCode: user.unitCode)))
        let form = try req.content.decode(RegisterForm.self)
        let fields: [String: String] = [
            "sender": form.sender ?? "", "sender_number": form.sender_number ?? "", "title": form.title ?? "",
            "secrecy": form.secrecy ?? "none", "urgency": form.urgency ?? "normal", "copies": form.copies ?? "",
            "received_on": form.received_on ?? "",
        ]
        let l = req.l10n
        let now = req.now
        let today = CivilDay(now)
        func again(_ errors: [String: String], duplicate: IncomingModel? = nil) -> Response {
            IncomingNewView.render(req.pageContext(), form: fields, errors: errors,
                                   duplicate: duplicate.map { ($0.id?.uuidString ?? "", $0.numberText ?? "") },
                                   today: today, status: .unprocessableEntity)
        }
        let registration: IncomingRegistration
        switch IncomingRegistration.read(fields, today: today) {
        case .failure(let problems):
            return again(Dictionary(problems.all.map { ($0.field, l.language == .zh ? $0.zh : $0.en) },
                                    uniquingKeysWith: { a, _ in a }))
        case .success(let r): registration = r
        }
        var file: (data: Data, name: String)?
        if let f = form.file, f.data.readableBytes > 0 {
            let ext = (f.filename as NSString).pathExtension.lowercased()
            guard fileKinds[ext] != nil else { return again(["file": l("incoming.error.fileKind")]) }
            guard f.data.readableBytes <= maxFileBytes else { return again(["file": l("incoming.error.fileSize")]) }
            let data = Data(buffer: f.data)
            guard ReceivedFile.matches(extension: ext, data) else {
                return again(["file": l("incoming.error.fileKind")])
            }
            file = (data, String(f.filename.prefix(120)))
        }
        guard let unit = try await OrganisationQueries.unit(code: user.unitCode, on: req.db) else {
            throw Abort(.notFound)
        }
        let unitID = try unit.requireID()
        let earlier = try await IncomingQueries.duplicate(of: registration.duplicateKey, unit: unitID, on: req.db)
        if let earlier, form.confirm_duplicate != "1" {
            return again(["sender_number": l("incoming.duplicate", earlier.numberText ?? "")], duplicate: earlier)
        }
        var digest: String?
        if let file { digest = try await req.files.put(file.data) }
        let stored = digest
        let m = IncomingModel()
        m.$unit.id = unitID
        m.year = today.year
        m.source = "outside"
        fill(m, registration)
        m.duplicateOf = earlier?.id
        m.fileDigest = stored
        m.fileName = file?.name
        m.registeredBy = user.username
        m.registeredByName = user.displayName
        m.version = 1
        m.createdAt = now
        m.updatedAt = now
        m.state = IncomingState(step: .propose)
        try await req.audited { tx, audit in
            try await IncomingQueries.number(m, unitCode: unit.code, on: tx)
            try await m.create(on: tx)
        try await IncomingQueries.reindex(m, on: tx)
            try await IncomingQueries.reindex(m, on: tx)
            let id = try m.requireID()
            try await IncomingEventModel.record(id, step: IncomingStep.register.rawValue, action: "registered",
                                                username: user.username, displayName: user.displayName,
                                                comment: m.numberText ?? "", at: now, on: tx)
            try await IncomingNotices.proposers(m, unitCode: unit.code, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "incoming", objectID: id.uuidString, summary:
                "registered \(m.numberText ?? "") from \(m.sender) \(m.senderNumber): \(m.title), \(m.copies) copies"
                + (stored.map { ", file sm3 \($0)" } ?? "")
                + (earlier.map { ", duplicate of \($0.id?.uuidString ?? "")" } ?? "")))
        }
        req.setFlash("incoming.registered")
        return req.redirect(within: SiteRoute.incomingItem(id: try m.requireID().uuidString).path)
    }

    /// The 收文 of a copy signed for inside the platform, waiting for 登记; the sender and 文号 come from the document.
    static func received(_ copy: DeliveryModel, unitCode: String, by user: CurrentUser, at now: Date,
                         on tx: Database) async throws {
        guard let unit = try await UnitModel.query(on: tx).filter(\.$code == unitCode).first() else { return }
        let doc = copy.document
        let outgoing = try doc.decoded()
        var names: [String] = []
        for code in outgoing.issuers {
            names.append(try await BodyModel.find(code, on: tx)?.name ?? code)
        }
        let today = CivilDay(now)
        let m = IncomingModel()
        m.$unit.id = try unit.requireID()
        m.year = today.year
        m.source = "inside"
        m.deliveryID = copy.id
        m.documentID = doc.id
        fill(m, IncomingRegistration(sender: names.joined(separator: "、"), senderNumber: doc.numberText ?? "",
                                     title: doc.title, secrecy: outgoing.secrecy, urgency: outgoing.urgency,
                                     copies: 1, receivedOn: today))
        m.registeredBy = user.username
        m.registeredByName = user.displayName
        m.version = 1
        m.createdAt = now
        m.updatedAt = now
        m.state = IncomingState(step: .register)
        try await m.create(on: tx)
        try await IncomingEventModel.record(try m.requireID(), step: IncomingStep.register.rawValue,
                                            action: "signed_for", username: user.username,
                                            displayName: user.displayName, comment: copy.recipientName, at: now,
                                            on: tx)
    }

    static func fill(_ m: IncomingModel, _ r: IncomingRegistration) {
        m.sender = r.sender
        m.senderNumber = r.senderNumber
        m.title = r.title
        m.secrecy = r.secrecy.rawValue
        m.urgency = r.urgency.rawValue
        m.copies = r.copies
        m.receivedOn = r.receivedOn.description
        m.dedupeKey = r.duplicateKey
    }

    static func viewable(_ req: Request) async throws -> (CurrentUser, IncomingModel) {
        let user = try req.requireUser()
        let m = try await IncomingQueries.find(req)
        guard try await IncomingQueries.canView(user, m, on: req.db) else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "incoming", objectID: m.id?.uuidString,
                                           summary: "view", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        return (user, m)
    }

    static func show(req: Request) async throws -> Response {
        let (user, m) = try await viewable(req)
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: req.now)
        var page = try await IncomingPageModel.load(m, user: user, now: req.now, calendar: calendar, on: req.db)
        if let id = m.id, req.hasSession {
            page.draft = req.session.data[IncomingSteps.draftKey(id)] ?? ""
            req.session.data[IncomingSteps.draftKey(id)] = nil
        }
        return IncomingView.render(req.pageContext(), page, flash: req.takeFlash())
    }

    /// The 处理单 as a print layout (A4, one page as a rule).
    static func sheet(req: Request) async throws -> Response {
        let (user, m) = try await viewable(req)
        let page = try await IncomingPageModel.load(m, user: user, now: req.now, on: req.db)
        return IncomingSheetView.render(req.pageContext(), page)
    }

    static func file(req: Request) async throws -> Response {
        let (_, m) = try await viewable(req)
        guard let digest = m.fileDigest, let name = m.fileName else { throw Abort(.notFound) }
        let data = try await req.files.get(digest)
        var headers = HTTPHeaders()
        let ext = (name as NSString).pathExtension.lowercased()
        headers.replaceOrAdd(name: .contentType, value: fileKinds[ext] ?? "application/octet-stream")
        headers.contentDisposition = .init(.attachment, filename: name)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func signature(req: Request) async throws -> Response {
        let (_, m) = try await viewable(req)
        guard let eventID = req.parameters.get("event").flatMap(UUID.init(uuidString:)),
              let e = try await IncomingEventModel.query(on: req.db).filter(\.$id == eventID)
                .filter(\.$incoming.$id == m.requireID()).first(),
              let path = DocumentSteps.cleanSignature(e.signature) else { throw Abort(.notFound) }
        return DocumentFiles.signatureImage(path)
    }
}

extension DeadlineColour {
    /// The 工作台's colour for the same state.
    var urgency: Urgency {
        switch self {
        case .red: .overdue
        case .yellow: .dueSoon
        case .green: .onTrack
        }
    }
}
