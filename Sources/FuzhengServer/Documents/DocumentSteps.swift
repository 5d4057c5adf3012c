import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The flow's moves over HTTP: forward or back, waive a finding, void a number, attachments.
enum DocumentSteps {
    struct StepForm: Content {
        var move: String?
        var reason: String?
        var version: Int?
        /// SVG path data of a signature drawn at 签发 (M/L commands in a 300 × 100 box).
        var signature: String?
    }

    /// Only move and line commands with numbers: nothing else can ride in a signature.
    static func cleanSignature(_ s: String?) -> String? {
        guard let s, !s.isEmpty, s.count <= 20_000,
              s.allSatisfy({ "MLml0123456789 .,-".contains($0) }), s.first == "M" else { return nil }
        return s
    }

    static func step(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        let form = try req.content.decode(StepForm.self)
        let path = SiteRoute.document(id: try model.requireID().uuidString).path
        guard let move = DocumentFlow.Move(rawValue: form.move ?? "") else { throw Abort(.badRequest) }
        let page = try await DocumentQueries.page(req, model)
        let type = page.document.type
        let from = model.flowState
        let result = DocumentFlow.shared.apply(
            move, to: from, by: user.principal, unitCode: model.unit.code, countersignUnits: model.countersignList,
            inOrder: model.countersignInOrder, type: type, reason: form.reason ?? "",
            openFindings: page.openFindings.count)
        if from.step == .draft && model.draftedBy != user.username {
            try await req.audit(AuditEvent(.accessDenied, objectType: "document", objectID: page.id,
                                           summary: "submit another's draft", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        switch result {
        case .failure(.notYourStep), .failure(.finished), .failure(.notPrincipal), .failure(.countersignOutOfOrder),
             .failure(.alreadyCountersigned):
            try await req.audit(AuditEvent(.accessDenied, objectType: "document", objectID: page.id,
                                           summary: "step \(move.rawValue) at \(from.step.rawValue)", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        case .failure(.reasonRequired):
            req.setFlash("document.reasonRequired", error: true)
            return req.redirect(within: path + "#flow")
        case .failure(.openFindings):
            req.setFlash("document.openFindings", error: true)
            return req.redirect(within: path + "#findings")
        case .success(let (next, _, actingFor)):
            if let actingFor { req.actingFor = actingFor }
            let now = req.now
            let who = actingFor.map { "\(user.displayName)（代 \($0.displayName)）" } ?? user.displayName
            let signature = from.step == .sign && move == .forward ? cleanSignature(form.signature) : nil
            let original = page.document
            // 签发人 is marked on an upward document only (GB/T 9704-2012 7.2.5).
            let register = try await DocumentQueries.register(on: req.db)
            let upward = original.mainRecipients.contains { r in
                guard let code = r.code, let from = original.issuers.first, register[from] != nil, register[code] != nil
                else { return false }
                return register.direction(from: from, to: code) == .upward
            }
            // 用印 needs the issuer's seal and the key that opens it: without either there is no seal to place.
            let seal: BodySealModel?
            if from.step == .seal, move == .forward {
                guard let box = req.application.fuzheng.secretBox else {
                    req.setFlash("seals.noKey", error: true)
                    return req.redirect(within: path + "#flow")
                }
                guard let issuer = original.issuers.first, let found = try await SealStore.find(issuer, on: req.db),
                      SealStore.image(found, box: box) != nil else {
                    req.setFlash("document.noSeal", error: true)
                    return req.redirect(within: path + "#flow")
                }
                seal = found
            } else {
                seal = nil
            }
            do {
                try await req.audited { tx, audit in
                    var doc = original
                    try await DocumentsController.claim(model, expected: form.version ?? -1, at: now, on: tx)
                    // The signing leader is the 签发人 of an upward document that names none.
                    if from.step == .sign, move == .forward, upward, doc.signers.isEmpty {
                        doc.signers = [user.displayName]
                        try model.set(doc)
                    }
                    // 印发日期 is the day it is issued, unless the drafter gave one.
                    if from.step == .issue, move == .forward, doc.printedOn.isEmpty {
                        doc.printedOn = DelegationController.day(now)
                        try model.set(doc)
                    }
                    var numbered: String?
                    if from.step == .number, move == .forward {
                        numbered = try await number(model, doc: doc, user: user, at: now, on: tx)
                    }
                    if let seal {
                        model.sealedWith = seal.digest
                        audit.add(AuditEvent(.sealUse, objectType: "document", objectID: page.id,
                                             summary: "用印 \(model.numberText ?? doc.title): seal of \(seal.bodyCode) "
                                                 + "(sm3 \(seal.digest))"))
                    } else if move == .sendBack {
                        model.sealedWith = nil
                    }
                    model.step = next.step.rawValue
                    model.countersigned = next.countersigned.joined(separator: ",")
                    try await model.save(on: tx)
                    // The number, and at 核发 who may find it, change what the index holds.
                    try await DocumentsController.reindex(model, on: tx)
                    if from.step == .issue, move == .forward { try await Deliveries.send(model, doc, at: now, on: tx) }
                    // 办结 of a 发文 is its 核发: it is filed for the archive as issued.
                    if next.step == .issued, let item = try await Archiving.file(
                        outgoing: model, by: .init(username: user.username, name: user.displayName), at: now, on: tx) {
                        audit.add(AuditEvent(.create, objectType: "archive_item", objectID: item.id?.uuidString,
                                             summary: "归档 \(item.numberText) \(item.title) 期限 \(item.period)"))
                    }
                    let comment = String((form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))
                    try await DocumentEventModel.record(
                        model.requireID(), step: from.step.rawValue, action: move.rawValue, username: user.username,
                        displayName: who, comment: [comment,
                            numbered ?? ""].filter { !$0.isEmpty }.joined(separator: "；"),
                        signature: signature, at: now, on: tx)
                    try await Notifier.settle(link: path, at: now, on: tx)
                    let message = move == .forward
                        ? Message("document.notify.next", doc.title, "@document.step.\(next.step.rawValue)")
                        : Message("document.notify.returned", doc.title, who, form.reason ?? "")
                    if move == .sendBack, let drafter = try await UserQueries.find(username: model.draftedBy, on: tx) {
                        try await Notifier.notify(userID: drafter.requireID(), message: message, link: path, at: now,
                                                  on: tx)
                    } else {
                        try await DocumentNotifier.notifyNext(model, type: type, message: message, at: now, on: tx)
                    }
                    audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                                         summary: "\(from.step.rawValue) \(move.rawValue) → \(next.step.rawValue)"
                                             + (numbered.map { "; number \($0)" } ?? "")))
                }
            } catch is DocumentsController.Conflict {
                req.setFlash("edit.conflict", error: true)
                return req.redirect(within: path)
            } catch is NoPrefix {
                req.setFlash("document.noPrefix", error: true)
                return req.redirect(within: path)
            }
            req.setFlash(move == .forward ? "document.moved" : "document.returned")
            return req.redirect(within: path)
        }
    }

    struct NoPrefix: Error {}

    /// The document's number: kept when it has one (a step revisited), else the next of its issuer's 机关代字.
    static func number(_ model: DocumentModel, doc: OutgoingDocument, user: CurrentUser, at now: Date,
                       on tx: Database) async throws -> String {
        if let id = model.numberID, let existing = try await DocumentNumberModel.find(id, on: tx),
           existing.state == "assigned" {
            return existing.number.description
        }
        guard let issuer = doc.issuers.first, let body = try await BodyModel.find(issuer, on: tx),
              let prefix = body.numberPrefix, !prefix.isEmpty else { throw NoPrefix() }
        let assigned = try await DocumentNumbering.assign(prefix: prefix, year: Calendar.chinaYear(now),
                                                          documentID: model.requireID(), by: user.username, at: now,
                                                          on: tx)
        model.numberID = try assigned.requireID()
        model.numberText = assigned.number.description
        return assigned.number.description
    }

    struct WaiveForm: Content {
        var rule: String?
        var reason: String?
    }

    /// A finding let stand, with its reason: only by whoever takes the current step, recorded on the 发文稿纸.
    static func waive(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        let page = try await DocumentQueries.page(req, model)
        let path = SiteRoute.document(id: page.id).path
        guard page.canAct, page.state.step != .draft else { throw Abort(.forbidden, reason: "access.denied") }
        let form = try req.content.decode(WaiveForm.self)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let rule = form.rule, let finding = page.findings.first(where: { $0.rule == rule }), !finding.isRefusal,
              !reason.isEmpty else {
            req.setFlash("document.waiveReason", error: true)
            return req.redirect(within: path + "#findings")
        }
        let now = req.now
        try await req.audited { tx, audit in
            var waivers = model.waivers
            waivers.removeAll { $0.rule == rule }
            waivers.append(Waiver(rule: rule, reason: String(reason.prefix(500)), by: user.displayName, at: now))
            model.waivers = waivers
            try await model.save(on: tx)
            try await DocumentEventModel.record(model.requireID(), step: model.step, action: "waive",
                                                username: user.username, displayName: user.displayName,
                                                comment: "\(rule)：\(reason.prefix(500))", at: now, on: tx)
            audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                summary: "waive \(rule): \(reason)"))
        }
        req.setFlash("document.waived")
        return req.redirect(within: path + "#findings")
    }

    /// A number voided after it was given stays in the register as voided; the document goes back to 编号 and takes
    /// the next number.
    static func void(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        let page = try await DocumentQueries.page(req, model)
        let path = SiteRoute.document(id: page.id).path
        guard page.canVoid, let numberID = model.numberID else { throw Abort(.forbidden, reason: "access.denied") }
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else {
            req.setFlash("document.reasonRequired", error: true)
            return req.redirect(within: path + "#flow")
        }
        let now = req.now
        try await req.audited { tx, audit in
            guard let number = try await DocumentNumberModel.find(numberID, on: tx) else { throw Abort(.notFound) }
            number.state = "voided"
            number.reason = String(reason.prefix(500))
            try await number.save(on: tx)
            let text = model.numberText ?? ""
            model.numberID = nil
            model.numberText = nil
            model.step = DocumentStep.number.rawValue
            try await model.save(on: tx)
            try await DocumentsController.reindex(model, on: tx)
            try await DocumentEventModel.record(model.requireID(), step: page.state.step.rawValue, action: "void",
                                                username: user.username, displayName: user.displayName,
                                                comment: "\(text)：\(reason.prefix(500))", at: now, on: tx)
            audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                summary: "void \(text): \(reason)"))
        }
        req.setFlash("document.voided")
        return req.redirect(within: path)
    }
}

/// Whoever takes a document's next step hears of it at once (and anyone acting for them): the people are found the
/// way the step is checked — their roles, scopes and 分管 — not by a list kept beside the flow.
enum DocumentNotifier {
    static func notifyNext(_ model: DocumentModel, type: DocumentType, message: Message, at now: Date,
                           on tx: Database) async throws {
        let state = model.flowState
        guard state.step != .issued else { return }
        let rule = DocumentFlow.shared.steps.first { $0.step == state.step }
        let roles = rule.flatMap { AccessPolicyTable.shared.actions[$0.action] } ?? []
        guard !roles.isEmpty else { return }
        let candidates = try await UserModel.query(on: tx).filter(\.$isActive == true).with(\.$unit).group(.or) { g in
            for role in roles {
                g.filter(\.$roleRaw == role.rawValue)
                g.filter(\.$rolesText, .contains(inverse: false, .anywhere), role.rawValue + ":")
            }
        }.all()
        for user in candidates where user.username != model.draftedBy || state.step == .draft {
            let principal = Principal(assignments: user.assignments, unitCode: user.unit.code,
                                      sectionCode: user.sectionCode)
            guard case .success = DocumentFlow.shared.actingUnit(
                state, principal, unitCode: model.unit.code, countersignUnits: model.countersignList,
                inOrder: model.countersignInOrder, type: type) else { continue }
            try await Notifier.notify(userID: user.requireID(), message: message,
                                      link: SiteRoute.document(id: try model.requireID().uuidString).path, at: now,
                                          on: tx)
        }
    }
}
