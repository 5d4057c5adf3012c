import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The 收文 flow's moves over HTTP: 登记, 拟办, 批示, 协办 input, 办结, 催办, 传阅 and reading. Each is one
/// transaction with its 处理单 line, its notices and its audit record; the version is claimed in the write.
enum IncomingSteps {
    struct StepForm: Content {
        var action: String?
        var version: Int?
        var text: String?
        var kind: String?
        var leader1: String?
        var leader2: String?
        var leader3: String?
        var lead: String?
        var assisting: [String]?
        var due: String?
        var signature: String?
        var quick: String?
    }

    struct Conflict: Error {}

    static func claim(_ m: IncomingModel, expected: Int, at now: Date, on tx: Database) async throws {
        guard try await DocumentsController.claimVersion(schema: IncomingModel.schema, id: m.requireID(),
                                                         expected: expected, at: now, on: tx) else { throw Conflict() }
        m.version = expected + 1
        m.updatedAt = now
    }

    static func denied(_ req: Request, _ m: IncomingModel, _ what: String) async throws -> Never {
        try await req.audit(AuditEvent(.accessDenied, objectType: "incoming", objectID: m.id?.uuidString,
                                       summary: what, result: .denied))
        throw Abort(.forbidden, reason: "access.denied")
    }

    static func step(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let m = try await IncomingQueries.find(req)
        let form = try req.content.decode(StepForm.self)
        let id = try m.requireID()
        let path = SiteRoute.incomingItem(id: id.uuidString).path
        let now = req.now
        let today = CivilDay(now)
        let p = user.principal
        let s = m.state
        let text = String((form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(2_000))
        let action = form.action ?? ""
        // Kept until the step is taken: a refused step shows the page again with the words typed, not empty.
        req.session.data[draftKey(id)] = text.isEmpty ? nil : text
        var next = s
        var comment = text
        var signature: String?
        var eventStep = s.step
        switch action {
        case "register":
            guard IncomingQueries.allows(p, .registerIncoming, m.unit.code) else { try await denied(req, m, action) }
            guard case .success(let n) = IncomingFlow.register(s) else { return stale(req, path) }
            next = n
        case "propose":
            guard IncomingQueries.allows(p, .proposeIncoming, m.unit.code) else { try await denied(req, m, action) }
            let known = try await IncomingQueries.leaders(on: req.db)
            let names = [form.leader1, form.leader2, form.leader3].compactMap { $0 }.filter { !$0.isEmpty }
            let leaders = names.compactMap { u in known.first { $0.username == u } }
            let kind = Proposal.Kind(rawValue: form.kind ?? "") ?? .handle
            let units = try await IncomingQueries.units(on: req.db).map(\.code)
            let lead = form.lead.flatMap { units.contains($0) ? $0 : nil }
            let due = form.due.flatMap(DayInput.iso).flatMap(CivilDay.init)
            if leaders.count != names.count {
                return problem(req, path, [FieldProblem(field: "leaders", zh: "请选择批办领导", en: "choose the leader")])
            }
            if let raw = form.due, !raw.isEmpty, due == nil {
                return problem(req, path, [FieldProblem(field: "due", zh: "期限不是有效日期", en: "not a valid date")])
            }
            let proposal = Proposal(kind: kind, text: text, leaders: leaders, lead: kind == .handle ? lead : nil,
                                    due: kind == .handle ? due : nil)
            switch IncomingFlow.propose(proposal, to: s, today: today) {
            case .success(let n): next = n
            case .failure(.problems(let list)): return problem(req, path, list)
            case .failure: return stale(req, path)
            }
            comment = describe(proposal, l: L10n(.zh), units: try await unitNames(req.db))
        case "instruct":
            guard let leader = s.nextLeader else { return stale(req, path) }
            guard leader.username == user.username else { try await denied(req, m, action) }
            signature = DocumentSteps.cleanSignature(form.signature)
            let units = try await IncomingQueries.units(on: req.db).map(\.code)
            var lead = form.lead.flatMap { units.contains($0) ? $0 : nil }
            var assisting = (form.assisting ?? []).filter { units.contains($0) }.prefix(20).map { $0 }
            var due = form.due.flatMap(DayInput.iso).flatMap(CivilDay.init)
            var words = text
            if form.quick == "agree" {
                // Two taps on a phone: agree with the proposal as it stands.
                words = words.isEmpty ? "同意。" : words
                lead = nil
                assisting = []
                due = nil
            }
            if let raw = form.due, !raw.isEmpty, due == nil, form.quick != "agree" {
                return problem(req, path, [FieldProblem(field: "due", zh: "期限不是有效日期", en: "not a valid date")])
            }
            let instruction = Instruction(leader: leader, text: words, handwritten: signature != nil, lead: lead,
                                          assisting: assisting, due: due, at: now)
            switch IncomingFlow.instruct(instruction, to: s, today: today) {
            case .success(let n): next = n
            case .failure(.problems(let list)): return problem(req, path, list)
            case .failure: return stale(req, path)
            }
            comment = describe(instruction, units: try await unitNames(req.db))
        case "assist":
            guard s.step == .handle, s.assisting.contains(where: { IncomingQueries.allows(p, .handleIncoming, $0) })
            else { try await denied(req, m, action) }
            guard !text.isEmpty else {
                return problem(req, path, [FieldProblem(field: "text", zh: "请填写协办意见", en: "enter your input")])
            }
        case "complete":
            guard IncomingQueries.allows(p, .handleIncoming, s.lead) else { try await denied(req, m, action) }
            switch IncomingFlow.complete(result: text, to: s, today: today) {
            case .success(let n): next = n
            case .failure(.problems(let list)): return problem(req, path, list)
            case .failure: return stale(req, path)
            }
        case "remind":
            guard s.step == .handle, IncomingQueries.allows(p, .proposeIncoming, m.unit.code) else {
                try await denied(req, m, action)
            }
        default:
            throw Abort(.badRequest)
        }
        eventStep = action == "register" ? .register : s.step
        let finalStep = eventStep
        let finalNext = next
        let finalComment = comment
        let finalSignature = signature
        do {
            try await req.audited { tx, audit in
                try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                if action == "register" { try await IncomingQueries.number(m, unitCode: m.unit.code, on: tx) }
                m.state = finalNext
                try await m.save(on: tx)
                if action == "register" { try await IncomingQueries.reindex(m, on: tx) }
                try await IncomingEventModel.record(id, step: finalStep.rawValue, action: action,
                                                    username: user.username, displayName: user.displayName,
                                                    comment: action == "register" ? (m.numberText ?? "")
                                                        : finalComment,
                                                    signature: finalSignature, at: now, on: tx)
                try await IncomingNotices.after(action, m, from: s, by: user, note: text, at: now, on: tx)
                if finalNext.step == .done, let item = try await Archiving.file(
                    incoming: m, by: .init(username: user.username, name: user.displayName), at: now, on: tx) {
                    audit.add(AuditEvent(.create, objectType: "archive_item", objectID: item.id?.uuidString,
                                         summary: "归档 \(item.numberText) \(item.title) 期限 \(item.period)"))
                }
                audit.add(AuditEvent(.update, objectType: "incoming", objectID: id.uuidString,
                                     summary: "\(action) at \(s.step.rawValue) → \(finalNext.step.rawValue)"
                                         + (finalComment.isEmpty ? "" : ": \(finalComment.prefix(200))")))
            }
        } catch is Conflict {
            req.setFlash("edit.conflict", error: true)
            return req.redirect(within: path)
        }
        req.session.data[draftKey(id)] = nil
        req.setFlash("incoming.done.\(action)")
        return req.redirect(within: path)
    }

    static func stale(_ req: Request, _ path: String) -> Response {
        req.setFlash("edit.conflict", error: true)
        return req.redirect(within: path)
    }

    /// A form problem, named by its field, shown above the form (the forms are short and keep nothing typed long).
    static func draftKey(_ id: UUID) -> String { "incoming.draft." + id.uuidString }

    static func problem(_ req: Request, _ path: String, _ list: [FieldProblem]) -> Response {
        let l = req.l10n
        let text = list.map { (l.language == .zh ? $0.zh : $0.en) }.joined(separator: l.language == .zh ? "；" : "; ")
        // An unknown key is shown as it is: the problems are already in the reader's language.
        req.setFlash(text, error: true)
        return req.redirect(within: path + "#act")
    }

    static func unitNames(_ db: Database) async throws -> [String: String] {
        Dictionary(try await IncomingQueries.units(on: db).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The 处理单 line of a proposal, in Chinese (the sheet is a Chinese document).
    static func describe(_ p: Proposal, l: L10n, units: [String: String]) -> String {
        var parts: [String] = []
        if !p.text.isEmpty { parts.append(p.text) }
        if p.kind == .read { parts.append("拟请阅知") } else {
            parts.append("建议由\(p.lead.map { units[$0] ?? $0 } ?? "")承办，\(p.due.map { "\($0)" } ?? "")前办结")
        }
        parts.append("呈" + p.leaders.map(\.name).joined(separator: "、") + "批示")
        return parts.joined(separator: "；")
    }

    static func describe(_ i: Instruction, units: [String: String]) -> String {
        var parts = [i.text]
        if let lead = i.lead {
            parts.append("承办：\(units[lead] ?? lead)" + (i.assisting.isEmpty ? "" : "；协办："
                + i.assisting.map { units[$0] ?? $0 }.joined(separator: "、")))
        }
        if let due = i.due { parts.append("期限：\(due)") }
        return parts.filter { !$0.isEmpty }.joined(separator: "；")
    }

    struct CirculateForm: Content {
        var readers: [String]?
        var in_order: String?
        var text: String?
    }

    /// 传阅: sends the document to leaders (or anyone) to read, at once or in order.
    static func circulate(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let m = try await IncomingQueries.find(req)
        let id = try m.requireID()
        let path = SiteRoute.incomingItem(id: id.uuidString).path
        guard m.state.step != .register, IncomingQueries.allows(user.principal, .proposeIncoming, m.unit.code) else {
            try await denied(req, m, "circulate")
        }
        let form = try req.content.decode(CirculateForm.self)
        let known = try await IncomingQueries.leaders(on: req.db)
        var seen = Set<String>()
        let readers = (form.readers ?? []).compactMap { u in known.first { $0.username == u } }
            .filter { seen.insert($0.username).inserted }.prefix(20)
        guard !readers.isEmpty else {
            return problem(req, path, [FieldProblem(field: "readers", zh: "请选择传阅人", en: "choose the readers")])
        }
        let inOrder = form.in_order == "1"
        let now = req.now
        let note = String((form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        try await req.audited { tx, audit in
            for (i, r) in readers.enumerated() {
                let reading = IncomingReadingModel()
                reading.$incoming.id = id
                reading.reader = r.username
                reading.readerName = r.name
                reading.position = i + 1
                reading.inOrder = inOrder
                reading.sentBy = user.displayName
                reading.sentAt = now
                reading.comment = ""
                reading.reminders = 0
                try await reading.create(on: tx)
                if !inOrder || i == 0 {
                    try await IncomingNotices.person(r.username, Message("incoming.notify.read", m.title),
                                                     link: path, at: now, on: tx)
                }
            }
            let names = readers.map(\.name).joined(separator: "、")
            try await IncomingEventModel.record(id, step: m.step, action: "circulated", username: user.username,
                                                displayName: user.displayName,
                                                comment: (inOrder ? "依次传阅：" : "传阅：") + names
                                                    + (note.isEmpty ? "" : "；\(note)"), at: now, on: tx)
            audit.add(AuditEvent(.update, objectType: "incoming", objectID: id.uuidString,
                                 summary: "circulated \(inOrder ? "in order" : "in parallel") to \(names)"))
        }
        req.setFlash("incoming.circulated")
        return req.redirect(within: path + "#readings")
    }

    struct ReadingForm: Content {
        var action: String?
        var text: String?
    }

    /// 已阅 by the reader (with a comment), or 催阅 by the sender's office.
    static func reading(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let rid = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let r = try await IncomingReadingModel.query(on: req.db).filter(\.$id == rid).with(\.$incoming).first()
        else { throw Abort(.notFound) }
        let m = r.incoming
        try await m.$unit.load(on: req.db)
        let id = try m.requireID()
        let path = SiteRoute.incomingItem(id: id.uuidString).path
        let form = try req.content.decode(ReadingForm.self)
        let now = req.now
        let text = String((form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(1_000))
        switch form.action {
        case "read":
            guard r.reader == user.username else { try await denied(req, m, "read") }
            guard r.readAt == nil else { return req.redirect(within: path) }
            let round = try await IncomingReadingModel.query(on: req.db).filter(\.$incoming.$id == id).all()
                .filter { IncomingReadingModel.sameRound($0, r) }
            guard Circulation.isOpen(r.position, inOrder: r.inOrder, readers: round.map {
                Circulation.Reader(position: $0.position, readAt: $0.readAt) })
            else { try await denied(req, m, "read") }
            try await req.audited { tx, audit in
                // Marked read in the write itself: two taps from two tabs record one reading.
                guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
                let marked = try await sql.update(IncomingReadingModel.schema).set("read_at", to: now)
                    .set("comment", to: text).where("id", .equal, rid).where("read_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard marked.count == 1 else { return }
                try await IncomingEventModel.record(id, step: m.step, action: "read", username: user.username,
                                                    displayName: user.displayName, comment: text, at: now, on: tx)
                if r.inOrder, let after = round.filter({ $0.position > r.position && $0.readAt == nil })
                    .min(by: { $0.position < $1.position }) {
                    try await IncomingNotices.person(after.reader, Message("incoming.notify.read", m.title),
                                                     link: path, at: now, on: tx)
                }
                try await Notifier.settle(link: path, userID: user.id, at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "incoming", objectID: id.uuidString,
                                     summary: "read by \(user.username)"
                                         + (text.isEmpty ? "" : ": \(text.prefix(200))")))
            }
            req.setFlash("incoming.readDone")
        case "remind":
            guard IncomingQueries.allows(user.principal, .proposeIncoming, m.unit.code) else {
                try await denied(req, m, "remind reader")
            }
            guard r.readAt == nil else { return req.redirect(within: path + "#readings") }
            try await req.audited { tx, audit in
                r.reminders += 1
                try await r.save(on: tx)
                try await IncomingNotices.person(r.reader, Message("incoming.notify.remindRead", m.title), link: path,
                                                 at: now, on: tx)
                try await IncomingEventModel.record(id, step: m.step, action: "reminded_reader",
                                                    username: user.username, displayName: user.displayName,
                                                    comment: r.readerName, at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "incoming", objectID: id.uuidString,
                                     summary: "reminded reader \(r.reader)"))
            }
            req.setFlash("incoming.readerReminded")
            return req.redirect(within: path + "#readings")
        default:
            throw Abort(.badRequest)
        }
        return req.redirect(within: path)
    }
}

extension IncomingSteps {
    /// 承办's answer as an outgoing document: a draft 复函 of the lead unit to the sender, linked both ways (the 收文
    /// names it; the 发文 page names the 收文 it answers). Drafted by whoever handles it and may draft for the unit.
    static func reply(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let m = try await IncomingQueries.find(req)
        let id = try m.requireID()
        let s = m.state
        guard s.step == .handle, let lead = s.lead, IncomingQueries.allows(user.principal, .handleIncoming, lead),
              AccessPolicy.allows(user.principal, .office(.draftDocument, Target(unitCode: lead))),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == lead).first() else {
            try await denied(req, m, "reply")
        }
        if let existing = m.replyDocumentID {
            return req.redirect(within: SiteRoute.document(id: existing.uuidString).path)
        }
        let issuers = try await DocumentDrafting.issuers(unitCode: lead, on: req.db)
        var doc = OutgoingDocument(type: .letter, issuers: issuers,
                                   title: ReplyTitle.make(m.title), mainRecipients: [Recipient(name: m.sender)])
        doc.body = m.senderNumber.isEmpty ? "你单位《\(m.title)》收悉。现函复如下：\n"
            : "你单位《\(m.title)》（\(m.senderNumber)）收悉。现函复如下：\n"
        let now = req.now
        let draft = doc
        let unitID = try unit.requireID()
        let model = try await req.audited { tx, audit in
            let model = try await DocumentDrafting.create(draft, unitID: unitID, by: user, at: now, on: tx)
            m.replyDocumentID = try model.requireID()
            try await m.save(on: tx)
            try await IncomingEventModel.record(id, step: m.step, action: "reply_drafted", username: user.username,
                                                displayName: user.displayName, comment: draft.title, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "document", objectID: try model.requireID().uuidString,
                                 summary: "reply to incoming \(id.uuidString) (\(m.numberText ?? "")): \(draft.title)"))
            return model
        }
        req.setFlash("incoming.replyDrafted")
        return req.redirect(within: SiteRoute.documentEdit(id: try model.requireID().uuidString).path)
    }
}
