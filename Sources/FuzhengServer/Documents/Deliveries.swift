import Fluent
import Foundation
import FuzhengCore
import Plot
import SQLKit
import Vapor

/// 分发 and 签收: at 核发 every 主送 and 抄送 body inside the platform gets a copy its 文书 signs for (待签收 on the
/// 工作台); a body outside the platform gets a printable copy, recorded as such. The sender sees each copy's state and
/// time, reminds (催) those not yet signed, and recalls a copy not yet signed for; every act is on the document's
/// 发文稿纸 and in the audit trail.
final class DeliveryModel: Model, @unchecked Sendable {
    static let schema = "document_deliveries"
    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "recipient_name") var recipientName: String
    @OptionalField(key: "unit_code") var unitCode: String?
    /// main or copy (主送 / 抄送).
    @Field(key: "kind") var kind: String
    /// pending, signed, recalled, outside.
    @Field(key: "state") var state: String
    @Field(key: "sent_at") var sentAt: Date
    @OptionalField(key: "signed_at") var signedAt: Date?
    @OptionalField(key: "signed_by") var signedBy: String?
    @Field(key: "reminders") var reminders: Int
    /// 份号 of this copy (M018), for a document that carries one.
    @OptionalField(key: "copy_number") var copyNumber: String?
    init() {}
}

struct M017CreateDeliveries: AsyncMigration {
    var name: String { "M017CreateDeliveries" }

    func prepare(on database: Database) async throws {
        try await database.schema(DeliveryModel.schema)
            .id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, .id))
            .field("recipient_name", .string, .required)
            .field("unit_code", .string)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("signed_at", .datetime)
            .field("signed_by", .string)
            .field("reminders", .int, .required)
            .create()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "deliveries_unit_state").on(DeliveryModel.schema).column("unit_code")
                .column("state").run()
        }
    }

    func revert(on database: Database) async throws { try await database.schema(DeliveryModel.schema).delete() }
}

enum Deliveries {
    /// The unit inside the platform that receives for a body: a unit itself, or a department's own office (its
    /// first unit); nil for bodies outside the platform's units (the city, towns, the county's leading bodies).
    static func receivingUnit(_ code: String?, units: [String]) -> String? {
        guard let code else { return nil }
        if units.contains(code) { return code }
        if code.count == 3 { return units.filter { $0.hasPrefix(code) }.sorted().first }
        return nil
    }

    /// Creates the copies at 核发, inside the step's transaction.
    static func send(_ model: DocumentModel, _ d: OutgoingDocument, at now: Date, on tx: Database) async throws {
        let units = try await UnitModel.query(on: tx).filter(\.$isActive == true).all(\.$code)
        let id = try model.requireID()
        var copyNumbers = CopyNumbers.numbers(for: d, count: d.mainRecipients.count + d.copyTo.count).makeIterator()
        for (kind, list) in [("main", d.mainRecipients), ("copy", d.copyTo)] {
            for r in list {
                let copy = DeliveryModel()
                copy.copyNumber = copyNumbers.next() ?? nil
                copy.$document.id = id
                copy.recipientName = r.name
                copy.unitCode = receivingUnit(r.code, units: units)
                copy.kind = kind
                copy.state = copy.unitCode == nil ? "outside" : "pending"
                copy.sentAt = now
                copy.reminders = 0
                try await copy.create(on: tx)
                if let unit = copy.unitCode {
                    try await Notifier.notify(role: .clerk, unitCode: unit, message: Message(
                        "delivery.notify", d.title), link: SiteRoute.documentsReceived.path, at: now, on: tx)
                }
            }
        }
    }

    /// Copies waiting for this person's signature: those of units where they register incoming documents.
    static func waiting(for principal: Principal, on db: Database) async throws -> [DeliveryModel] {
        try await DeliveryModel.query(on: db).filter(\.$state == "pending").with(\.$document).sort(\.$sentAt).all()
            .filter { d in
                d.unitCode.map { AccessPolicy.allows(principal, .office(.registerIncoming, Target(unitCode: $0))) }
                    ?? false
            }
    }

    static func received(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let pending = try await waiting(for: user.principal, on: req.db)
        return DeliveriesView.received(req.pageContext(), pending, flash: req.takeFlash())
    }

    static func find(_ req: Request) async throws -> DeliveryModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let d = try await DeliveryModel.query(on: req.db).filter(\.$id == id).with(\.$document).first()
        else { throw Abort(.notFound) }
        return d
    }

    static func event(_ doc: UUID, action: String, who: String, username: String, comment: String, at: Date,
                      on tx: Database) async throws {
        try await DocumentEventModel.record(doc, step: DocumentStep.issued.rawValue, action: action, username: username,
                                            displayName: who, comment: comment, at: at, on: tx)
    }

    /// 签收 by the receiving unit's 文书.
    static func sign(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let copy = try await find(req)
        guard copy.state == "pending", let unit = copy.unitCode,
              AccessPolicy.allows(user.principal, .office(.registerIncoming, Target(unitCode: unit))) else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "delivery", objectID: copy.id?.uuidString,
                                           summary: "sign", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let now = req.now
        try await req.audited { tx, audit in
            copy.state = "signed"
            copy.signedAt = now
            copy.signedBy = user.displayName
            try await copy.save(on: tx)
            try await event(copy.$document.id, action: "signed_for", who: user.displayName, username: user.username,
                            comment: copy.recipientName, at: now, on: tx)
            try await Notifier.settle(link: SiteRoute.documentsReceived.path, at: now, on: tx)
            // 签收 starts the receiving unit's 收文: it waits for 登记 there.
            try await IncomingController.received(copy, unitCode: unit, by: user, at: now, on: tx)
            audit.add(AuditEvent(.update, objectType: "delivery", objectID: try copy.requireID().uuidString,
                                 summary: "signed for by \(user.username) for \(copy.recipientName)"))
        }
        req.setFlash("delivery.signed")
        return req.redirect(within: SiteRoute.documentsReceived.path)
    }

    /// 催 or 收回, by whoever dispatches for the sending unit.
    static func act(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let copy = try await find(req)
        let doc = copy.document
        try await doc.$unit.load(on: req.db)
        let back = SiteRoute.document(id: doc.id?.uuidString ?? "").path + "#deliveries"
        guard AccessPolicy.allows(user.principal, .office(.dispatchDocument, Target(unitCode: doc.unit.code))),
              copy.state == "pending", let unit = copy.unitCode else {
            throw Abort(.forbidden, reason: "access.denied")
        }
        let action = (try? req.content.get(String.self, at: "action")) ?? ""
        guard action == "remind" || action == "recall" else { throw Abort(.badRequest) }
        let now = req.now
        try await req.audited { tx, audit in
            if action == "remind" {
                copy.reminders += 1
                try await Notifier.notify(role: .clerk, unitCode: unit, message: Message("delivery.notify.remind",
                    doc.title),
                                          link: SiteRoute.documentsReceived.path, at: now, on: tx)
            } else {
                copy.state = "recalled"
            }
            try await copy.save(on: tx)
            try await event(copy.$document.id, action: action == "remind" ? "reminded" : "recalled",
                            who: user.displayName, username: user.username, comment: copy.recipientName, at: now,
                            on: tx)
            audit.add(AuditEvent(.update, objectType: "delivery", objectID: try copy.requireID().uuidString,
                                 summary: "\(action) \(copy.recipientName)"))
        }
        req.setFlash(action == "remind" ? "delivery.reminded" : "delivery.recalled")
        return req.redirect(within: back)
    }
}

/// 待签收 on the 工作台.
struct DeliveryTaskSource: TaskSource {
    var id: String { "documents.received" }
    var titleKey: String { "workbench.source.received" }

    func applies(to user: CurrentUser) -> Bool { user.principal.grants.contains { $0.role == .clerk } }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        try await Deliveries.waiting(for: user.principal, on: c.db).prefix(50).map { d in
            WorkItem(title: d.document.title, detail: "\(d.document.numberText ?? "") · \(d.recipientName)",
                     link: SiteRoute.documentsReceived.path)
        }
    }
}

enum DeliveriesView {
    static func received(_ ctx: PageContext, _ rows: [DeliveryModel], flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("delivery.title"),
            .alert(flash, kind: "success"),
            .p(.a(.href(SiteRoute.documents.path), .text(l("document.backToList")))),
            .if(rows.isEmpty, .p(.class("empty"), .text(l("delivery.none")))),
            .ul(.class("work-list"), .forEach(rows) { d in
                .li(.class("work-item"),
                    .a(.href(SiteRoute.document(id: d.$document.id.uuidString).path),
                       .span(.class("work-title"), .text(d.document.title)),
                       .span(.class("work-detail"), .text("\(d.document.numberText ?? "") · \(d.recipientName)"))),
                    .form(.class("inline-form"), .method(.post),
                          .action(SiteRoute.deliverySign(id: d.id?.uuidString ?? "").path),
                          Form.csrf(ctx.csrfToken ?? ""),
                          .button(.type(.submit), .class("button primary small"), .text(l("delivery.sign")))))
            }))
        .response()
    }

    static func section(_ ctx: PageContext, documentID: String, _ rows: [DeliveryModel], canDispatch: Bool)
        -> Node<HTML.BodyContext> {
        let l = ctx.l
        return .if(!rows.isEmpty, .section(
            .class("card"), .id("deliveries"),
            .h2(.text(l("delivery.sent", String(rows.filter { $0.state == "signed" }.count), String(rows.count)))),
            .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("delivery.recipient"))), .th(.text(l("list.status"))),
                           .th(.text(l("delivery.signedAt"))), .th(.text(l("list.actions"))))),
                .tbody(.forEach(rows) { d in
                    .tr(.td(.text(d.recipientName + (d.kind == "copy" ? l("delivery.copySuffix") : "")),
                            .unwrap(d.copyNumber) { .span(.class("muted"), .text(" " + l("delivery.copyNumber",
                                $0))) }),
                        .td(.span(.class(d.state == "signed" ? "tag ok" : d.state == "pending" ? "tag warn" : "tag off"),
                                  .text(l("delivery.state.\(d.state)")))),
                        .td(.text(d.signedAt.map { DocumentView.time($0) + " " + (d.signedBy ?? "") } ?? "")),
                        .td(.class("actions"), .if(d.state == "outside", .a(.class("button small secondary"),
                            .href(SiteRoute.documentFile(id: documentID, format: "pdf").path + "?copy="
                                  + (d.id?.uuidString ?? "")), .text(l("delivery.printCopy")))),
                            .if(canDispatch && d.state == "pending", .group(
                            ["remind", "recall"].map { action in
                                .form(.class("inline-form"), .method(.post),
                                      .action(SiteRoute.deliveryAct(id: d.id?.uuidString ?? "").path),
                                      Form.csrf(ctx.csrfToken ?? ""),
                                      .input(.type(.hidden), .name("action"), .value(action)),
                                      .button(.type(.submit), .class("button small secondary"),
                                              .text(l("delivery.\(action)"))))
                            }))))
                })))))
    }
}
