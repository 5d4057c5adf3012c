import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A document as its page shows it.
struct DocumentPageModel: Sendable {
    var id: String
    var unitCode: String
    var unitName: String
    var document: OutgoingDocument
    var state: DocumentFlow.State
    var countersignUnits: [String]
    var number: String?
    var version: Int
    var findings: [DocumentFinding]
    var waivers: [Waiver]
    var events: [Event]
    var versions: [(seq: Int, by: String, step: String, at: Date)]
    var attachments: [(position: Int, title: String, fileName: String, size: Int)]
    /// What this person may do now.
    var canAct: Bool
    var canEdit: Bool
    var canVoid: Bool
    var actingFor: Delegator?
    var refusal: String?
    var draftedBy: String
    /// 发文机关 by name.
    var issuerNames: [String] = []
    var deliveries: [DeliveryModel] = []
    var canDispatch = false
    /// SM3 of the seal placed at 用印.
    var sealedWith: String?
    /// The 收文 this document answers (承办's reply), with its 收文编号 and title.
    var answers: (id: String, text: String)?
    /// A 纪要 the 督查室 may turn into 督办 items, one per decision.
    var canSupervise = false

    struct Event: Sendable {
        var id: String
        var at: Date
        var step: String
        var action: String
        var who: String
        var comment: String
        var hasSignature: Bool
    }

    var openFindings: [DocumentFinding] {
        findings.filter { f in !waivers.contains { $0.rule == f.rule } && !(state.step == .sign && f.rule == "DOC-SIGNER") }
    }
}

enum DocumentQueries {
    /// The organisation's bodies, to resolve recipients and tell directions.
    static func register(on db: Database) async throws -> BodyRegister { try await BodiesController.query(on: db) }

    /// The checks of a document as its issuer sends it to its main recipients.
    static func findings(_ d: OutgoingDocument, register: BodyRegister) -> [DocumentFinding] {
        let from = d.issuers.first ?? ""
        return DocumentChecks.shared.check(d) { code in
            guard register[from] != nil, register[code] != nil else { return nil }
            return register.direction(from: from, to: code)
        }
    }

    /// Recipients typed one per line or separated by 、: a body of the organisation by code or name, or a typed name.
    static func recipients(_ text: String, register: BodyRegister) -> [Recipient] {
        text.split(whereSeparator: { "\n\r、；;".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(200)
            .map { entry in
                if let body = register[entry] { return Recipient(code: body.code, name: body.name) }
                if let body = register.bodies.first(where: { $0.name == entry }) {
                    return Recipient(code: body.code, name: body.name)
                }
                return Recipient(name: String(entry.prefix(60)))
            }
    }

    static func find(_ req: Request) async throws -> DocumentModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let model = try await DocumentModel.query(on: req.db).filter(\.$id == id).with(\.$unit).first()
        else { throw Abort(.notFound) }
        return model
    }

    /// Who may read it: the drafting unit's readers, the countersigning units', the leaders who oversee them; an
    /// 内部 or 不予公开 document only the people of its flow (and their delegates).
    static func canView(_ principal: Principal, username: String, model: DocumentModel, on db: Database)
        async throws -> Bool {
        let units = [model.unit.code] + model.countersignList
        if model.draftedBy == username { return true }
        let acted = try await DocumentEventModel.query(on: db).filter(\.$document.$id == model.requireID())
            .filter(\.$username == username).count()
        if acted > 0 { return true }
        let flow = DocumentFlow.shared
        if case .success = flow.actingUnit(model.flowState, principal, unitCode: model.unit.code,
                                           countersignUnits: model.countersignList,
                                           inOrder: model.countersignInOrder,
                                               type: DocumentType(rawValue: model.type) ?? .notice) {
            return true
        }
        // A receiving unit reads what was sent to it (and not recalled).
        let delivered = try await DeliveryModel.query(on: db).filter(\.$document.$id == model.requireID())
            .filter(\.$state ~~ ["pending", "signed"]).all(\.$unitCode).compactMap { $0 }
        if delivered.contains(where: { AccessPolicy.allows(principal,
            .readUnitBusiness(unitCode: $0)) }) { return true }
        if model.restricted { return false }
        return units.contains { AccessPolicy.allows(principal, .readUnitBusiness(unitCode: $0)) }
    }

    static func page(_ req: Request, _ model: DocumentModel) async throws -> DocumentPageModel {
        let user = try req.requireUser()
        let d = try model.decoded()
        let register = try await register(on: req.db)
        let id = try model.requireID()
        let events = try await DocumentEventModel.query(on: req.db).filter(\.$document.$id == id).sort(\.$at).all()
        let versions = try await DocumentVersionModel.query(on: req.db).filter(\.$document.$id == id)
            .sort(\.$seq, .descending).all()
        let attachments = try await DocumentAttachmentModel.query(on: req.db).filter(\.$document.$id == id)
            .sort(\.$position).all()
        let type = DocumentType(rawValue: model.type) ?? .notice
        let acting = DocumentFlow.shared.actingUnit(model.flowState, user.principal, unitCode: model.unit.code,
                                                    countersignUnits: model.countersignList,
                                                    inOrder: model.countersignInOrder, type: type)
        var canAct = false, actingFor: Delegator?, refusal: String?
        switch acting {
        case .success(let a): canAct = true; actingFor = a.actingFor
        case .failure(.notPrincipal): refusal = "document.refusal.principal"
        case .failure(.countersignOutOfOrder(let unit)): refusal = req.l10n("document.refusal.order", unit)
        default: break
        }
        let step = model.flowState.step
        let canEdit = (step == .draft && model.draftedBy == user.username) || (canAct && step != .draft
            && [.review, .check, .sign, .recheck].contains(step))
        let canVoid = model.numberText != nil && canAct && [.seal, .issue].contains(step)
        var page = DocumentPageModel(
            id: id.uuidString, unitCode: model.unit.code, unitName: model.unit.name, document: d,
            state: model.flowState, countersignUnits: model.countersignList, number: model.numberText,
            version: model.version, findings: findings(d, register: register), waivers: model.waivers,
            events: try events.map { e in
                .init(id: try e.requireID().uuidString, at: e.at, step: e.step, action: e.action, who: e.displayName,
                      comment: e.comment, hasSignature: e.signature != nil)
            },
            versions: versions.map { ($0.seq, $0.displayName, $0.step, $0.at) },
            attachments: attachments.map { ($0.position, $0.title, $0.fileName, $0.size) },
            canAct: canAct && (step != .draft || model.draftedBy == user.username),
            canEdit: canEdit, canVoid: canVoid, actingFor: actingFor, refusal: refusal.map { req.l10n($0) },
            draftedBy: model.draftedByName, issuerNames: d.issuers.map { register[$0]?.name ?? $0 },
            deliveries: try await DeliveryModel.query(on: req.db).filter(\.$document.$id == id).sort(\.$kind).all(),
            canDispatch: AccessPolicy.allows(user.principal, .office(.dispatchDocument,
                Target(unitCode: model.unit.code))),
            sealedWith: model.sealedWith,
            answers: try await IncomingModel.query(on: req.db).filter(\.$replyDocumentID == id).first().map {
                ($0.id?.uuidString ?? "", [$0.numberText, $0.title].compactMap { $0 }.joined(separator: " "))
            })
        page.canSupervise = d.type == .minutes && SupervisionQueries.supervises(user.principal)
        return page
    }

    struct ListRow: Sendable {
        var id: String
        var title: String
        var type: String
        var step: String
        var number: String?
        var unitCode: String
        var updatedAt: Date
    }

    /// Documents of the units this person reaches (their own, 会签, 分管), newest first.
    /// The units whose documents a person's grants reach; nil when one of them reaches the whole county.
    static func reachableUnitIDs(_ principal: Principal, on db: Database) async throws -> [UUID]? {
        if principal.grants.contains(where: { if case .county = $0.reach { true } else { false } }) { return nil }
        // Read by SQL, not as Fluent models (building 300 models by reflection cost about 15 ms at county scale),
        // and once per 工作台.
        let units = try await UnitsMemo.all(on: db)
        return units.filter { u in principal.grants.contains { $0.reach.covers(Target(unitCode: u.code)) } }
            .map(\.id)
    }

    /// Documents of the units a person reaches (and countersigned ones that name them), newest first, at most
    /// `limit`; `steps` narrows to documents at those steps. Filtered in the database: a county holds 200,000.
    static func reachable(_ principal: Principal, steps: [String]? = nil, on db: Database,
                          limit: Int = 500) async throws -> [DocumentModel] {
        let query = DocumentModel.query(on: db).with(\.$unit)
        if let ids = try await reachableUnitIDs(principal, on: db) {
            query.group(.or) { g in
                g.filter(\.$unit.$id ~~ ids)
                g.filter(\.$countersignUnits != "")
            }
        }
        if let steps { query.filter(\.$step ~~ steps) }
        let all = try await query.sort(\.$updatedAt, .descending).limit(limit).all()
        return all.filter { m in
            ([m.unit.code] + m.countersignList).contains { unit in
                principal.grants.contains { $0.reach.covers(Target(unitCode: unit)) }
            }
        }
    }

    /// One document as 待办 needs it: no text, no JSON, read by SQL.
    struct WaitingRow: Sendable, Decodable {
        var id: UUID
        var title: String
        var type: String
        var step: String
        var code: String
        var countersign_units: String
        var countersign_in_order: Bool
        var countersigned: String
        var updated_at: Date
    }

    /// 待办: documents whose current step is this person's, newest first, at most `limit`. Only the steps one of
    /// their roles takes are read, within the units they reach (countersigned documents by a query of their own, so
    /// neither walks the other's rows), and only the columns the decision needs; pages of rows are read until
    /// `limit` are found.
    static func waiting(for principal: Principal, limit: Int = 500, on db: Database) async throws -> [WaitingRow] {
        guard let sql = db as? SQLDatabase else { return [] }
        let roles = Set(principal.grants.map(\.role))
        let steps = DocumentFlow.shared.steps.filter { rule in
            rule.step != .draft && rule.step != .countersign
                && !(AccessPolicyTable.shared.actions[rule.action] ?? []).allSatisfy { !roles.contains($0) }
        }.map(\.step.rawValue)
        let countersigns = DocumentFlow.shared.steps.contains { rule in
            rule.step == .countersign && !(AccessPolicyTable.shared.actions[rule.action] ?? []).allSatisfy {
                !roles.contains($0) }
        }
        let reach = try await reachableUnitIDs(principal, on: db)
        let columns: SQLQueryString = """
            d.id, d.title, d.type, d.step, u.code, d.countersign_units, d.countersign_in_order, d.countersigned, \
            d.updated_at FROM documents d JOIN units u ON u.id = d.unit_id
            """
        var found: [WaitingRow] = []
        func acts(_ r: WaitingRow) -> Bool {
            let state = DocumentFlow.State(step: DocumentStep(rawValue: r.step) ?? .draft,
                                           countersigned: r.countersigned.split(separator: ",").map(String.init))
            guard state.step != .issued, state.step != .draft else { return false }
            if case .success = DocumentFlow.shared.actingUnit(
                state, principal, unitCode: r.code,
                countersignUnits: r.countersign_units.split(separator: ",").map(String.init),
                inOrder: r.countersign_in_order, type: DocumentType(rawValue: r.type) ?? .notice) { return true }
            return false
        }
        // Each step's rows newest first, a page at a time, until enough act here or the rows run out.
        func scan(_ condition: SQLQueryString) async throws {
            var offset = 0
            let page = 200
            while found.count < limit {
                let rows = try await sql.raw("""
                    SELECT \(columns) WHERE \(condition) ORDER BY d.updated_at DESC \
                    LIMIT \(unsafeRaw: String(page)) OFFSET \(unsafeRaw: String(offset))
                    """).all(decoding: WaitingRow.self)
                found += rows.filter(acts).prefix(limit - found.count)
                if rows.count < page || offset >= 20_000 { break }
                offset += page
            }
        }
        if !steps.isEmpty {
            if let reach {
                if !reach.isEmpty {
                    try await scan("d.step IN (\(binds: steps)) AND d.unit_id IN (\(binds: reach))")
                }
            } else {
                try await scan("d.step IN (\(binds: steps))")
            }
        }
        if countersigns, found.count < limit {
            try await scan("d.step = \(bind: DocumentStep.countersign.rawValue) AND d.countersign_units <> ''")
        }
        var seen = Set<UUID>()
        return found.filter { seen.insert($0.id).inserted }.sorted { $0.updated_at > $1.updated_at }
    }

    /// Documents by id with their units, in the order given.
    static func load(_ ids: [UUID], on db: Database) async throws -> [DocumentModel] {
        guard !ids.isEmpty else { return [] }
        let found = try await DocumentModel.query(on: db).filter(\.$id ~~ ids).with(\.$unit).all()
        let byID = Dictionary(found.compactMap { m in m.id.map { ($0, m) } }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    /// Of these documents, those whose title, 文号 or text holds `text` itself.
    static func holds(_ text: String) -> SearchIndex.Verifier {
        SearchIndex.holding(text, table: "documents", columns: ["title", "number_text", "document"])
    }

    static func row(_ m: DocumentModel) -> ListRow {
        ListRow(id: m.id?.uuidString ?? "", title: m.title, type: m.type, step: m.step, number: m.numberText,
                unitCode: m.unit.code, updatedAt: m.updatedAt)
    }
}
