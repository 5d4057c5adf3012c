import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Who may do what on a received document, and the lists each person works from; no request needed, so each is
/// tested with a database alone.
enum IncomingQueries {
    static func find(_ req: Request) async throws -> IncomingModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let m = try await IncomingModel.query(on: req.db).filter(\.$id == id).with(\.$unit).first()
        else { throw Abort(.notFound) }
        return m
    }

    static func allows(_ p: Principal, _ action: OfficeAction, _ unit: String?) -> Bool {
        unit.map { AccessPolicy.allows(p, .office(action, Target(unitCode: $0))) } ?? false
    }

    /// The receiving unit's 文书, office and head, the leaders over it and those named for 批办, the 承办 and 协办
    /// units' handlers, and its readers; not everyone who reads the unit's business (its finance staff).
    static func canView(_ user: CurrentUser, _ m: IncomingModel, on db: Database) async throws -> Bool {
        let p = user.principal
        let unit = m.unit.code
        if [.registerIncoming, .proposeIncoming, .handleIncoming].contains(where: { allows(p, $0, unit) }) {
            return true
        }
        if p.grants.contains(where: { $0.role == .leader && $0.reach.covers(Target(unitCode: unit)) }) { return true }
        let s = m.state
        if s.proposal?.leaders.contains(where: { $0.username == user.username }) == true { return true }
        for other in [s.lead].compactMap({ $0 }) + s.assisting where allows(p, .handleIncoming, other) { return true }
        return try await IncomingReadingModel.query(on: db).filter(\.$incoming.$id == m.requireID())
            .filter(\.$reader == user.username).first() != nil
    }

    /// A received document in the search index (kind "incoming"): newest first, within its unit; an internal one is
    /// found by nobody through search, as for 发文.
    static func entry(_ m: IncomingModel) throws -> SearchIndex.Entry {
        SearchIndex.Entry(id: try m.requireID(),
                          text: [m.title, m.sender, m.senderNumber, m.numberText ?? ""].joined(separator: "\n"),
                          rank: Int64(m.createdAt.timeIntervalSince1970 * 1000), scope: m.$unit.id.uuidString,
                          access: m.secrecy == Secrecy.internalUse.rawValue ? .restricted : .scoped)
    }

    static func reindex(_ m: IncomingModel, on tx: Database) async throws {
        try await SearchIndex.index(kind: "incoming", entry(m), on: tx)
    }

    /// Of these received documents, those whose title, sender, 文号 or 收文编号 holds `text` itself.
    static func holds(_ text: String) -> SearchIndex.Verifier {
        SearchIndex.holding(text, table: "incoming_documents", columns: ["title", "sender", "sender_number",
                                                                       "number_text"])
    }

    /// The 收文编号 prefix: the receiving department's 机关代字 without 字 (怀政办字 → 怀政办).
    static func prefix(unitCode: String, on db: Database) async throws -> String {
        let body = try await BodyModel.find(String(unitCode.prefix(3)), on: db)
        var p = body?.numberPrefix ?? ""
        if p.hasSuffix("字") { p.removeLast() }
        return p
    }

    /// Gives the 收文编号 inside the caller's transaction (the shared counter; gapless, never twice).
    static func number(_ m: IncomingModel, unitCode: String, on tx: Database) async throws {
        let seq = try await DocumentNumbering.next(counter: IncomingNumber.counterKey(unitCode: unitCode),
                                                   year: m.year, on: tx)
        m.seq = seq
        m.numberText = IncomingNumber(prefix: try await prefix(unitCode: unitCode, on: tx), year: m.year,
                                      sequence: seq).text
    }

    /// An earlier registration of the same 来文单位 + 文号 in the same unit.
    static func duplicate(of key: String?, unit: UUID, excluding id: UUID? = nil, on db: Database)
        async throws -> IncomingModel? {
        guard let key else { return nil }
        let q = IncomingModel.query(on: db).filter(\.$dedupeKey == key).filter(\.$unit.$id == unit)
        if let id { q.filter(\.$id != id) }
        return try await q.sort(\.$createdAt).first()
    }

    /// Leaders who may be named for 批办: everyone holding the leader role.
    static func leaders(on db: Database) async throws -> [Person] {
        try await UserModel.query(on: db).filter(\.$isActive == true).group(.or) {
            $0.filter(\.$roleRaw == Role.leader.rawValue)
                .filter(\.$rolesText, .contains(inverse: false, .anywhere), Role.leader.rawValue + ":")
        }.sort(\.$username).all().map { Person(username: $0.username, name: $0.displayName) }
    }

    /// Active units' codes and names, read without Fluent's models: building 300 `UnitModel`s by reflection cost
    /// about 15 ms a time at county scale, four times for each 工作台.
    static func units(on db: Database) async throws -> [(code: String, name: String)] {
        try await UnitsMemo.all(on: db).filter(\.is_active).map { ($0.code, $0.name) }
    }

    /// Waiting work of one kind for this person, most urgent first; `step` picks the list (待登记, 待拟办, 待批办, 待承办).
    static func waiting(_ step: IncomingStep, for user: CurrentUser, on db: Database, limit: Int = 200)
        async throws -> [IncomingModel] {
        // Units from the memo, not eager-loaded: one query less per source on every 工作台 (callers that show the
        // unit load it).
        let q = IncomingModel.query(on: db).filter(\.$step == step.rawValue)
        switch step {
        case .instruct:
            q.filter(\.$nextLeader == user.username)
        case .handle:
            let units = try await reachable(user.principal, .handleIncoming, on: db)
            guard let units else { break }
            guard !units.isEmpty else { return [] }
            q.filter(\.$leadUnit ~~ units)
        case .register, .propose:
            let action: OfficeAction = step == .register ? .registerIncoming : .proposeIncoming
            guard let ids = try await reachableIDs(user.principal, action, on: db) else { break }
            guard !ids.isEmpty else { return [] }
            q.filter(\.$unit.$id ~~ ids)
        case .done:
            return []
        }
        let rows = try await q.sort(\.$createdAt).limit(limit).all()
        let codes = Dictionary(try await UnitsMemo.all(on: db).map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        return rows.filter { m in
            switch step {
            case .instruct: true
            case .handle: allows(user.principal, .handleIncoming, m.leadUnit)
            case .register: allows(user.principal, .registerIncoming, codes[m.$unit.id])
            default: allows(user.principal, .proposeIncoming, codes[m.$unit.id])
            }
        }
    }

    /// 协办: documents at 承办 where one of this person's units assists.
    static func assisting(for user: CurrentUser, on db: Database) async throws -> [IncomingModel] {
        guard let units = try await reachable(user.principal, .handleIncoming, on: db), units.count <= 50 else {
            return []
        }
        guard !units.isEmpty else { return [] }
        return try await IncomingModel.query(on: db).filter(\.$step == IncomingStep.handle.rawValue)
            .filter(\.$assisting != "").group(.or) { g in
                for unit in units { g.filter(\.$assisting, .contains(inverse: false, .anywhere), "," + unit + ",") }
            }.limit(100).all()
    }

    /// Unit codes where this person may take `action`; nil: every unit (a county-wide grant).
    static func reachable(_ p: Principal, _ action: OfficeAction, on db: Database) async throws -> [String]? {
        let roles = AccessPolicyTable.shared.actions[action.rawValue] ?? []
        let grants = p.grants.filter { roles.contains($0.role) }
        if grants.contains(where: { if case .county = $0.reach { true } else { false } }) { return nil }
        guard !grants.isEmpty else { return [] }
        let all = try await units(on: db).map(\.code)
        return all.filter { code in grants.contains { $0.reach.covers(Target(unitCode: code)) } }
    }

    static func reachableIDs(_ p: Principal, _ action: OfficeAction, on db: Database) async throws -> [UUID]? {
        guard let codes = try await reachable(p, action, on: db) else { return nil }
        guard !codes.isEmpty else { return [] }
        let wanted = Set(codes)
        return try await UnitsMemo.all(on: db).filter { wanted.contains($0.code) }.map(\.id)
    }

    /// 待阅: readings open to this person (in order: only once the ones before have read).
    static func unread(for username: String, on db: Database) async throws -> [IncomingReadingModel] {
        let mine = try await IncomingReadingModel.query(on: db).filter(\.$reader == username)
            .filter(\.$readAt == nil).with(\.$incoming).sort(\.$sentAt).limit(200).all()
        var open: [IncomingReadingModel] = []
        for r in mine {
            if !r.inOrder { open.append(r); continue }
            let before = try await IncomingReadingModel.query(on: db).filter(\.$incoming.$id == r.$incoming.id)
                .filter(\.$position < r.position).filter(\.$readAt == nil).all()
                .filter { IncomingReadingModel.sameRound($0, r) }
            if before.isEmpty { open.append(r) }
        }
        return open
    }
}

/// What the detail page shows and which forms it offers this person.
struct IncomingPageModel: Sendable {
    var id: String
    var m: IncomingSnapshot
    var state: IncomingState
    var events: [IncomingEventSnapshot]
    var readings: [ReadingSnapshot]
    var colour: DeadlineColour?
    var provisional: [Int]
    var today: CivilDay
    var canRegister = false
    var canPropose = false
    var canInstruct = false
    var canAssist = false
    var canComplete = false
    var canCirculate = false
    /// Words typed into a step that was refused, shown again in its form.
    var draft = ""
    var readingID: String?
    var leaders: [Person] = []
    var units: [(code: String, name: String)] = []
    var unitNames: [String: String] = [:]
    var suggestedDue: CivilDay?
    var duplicateOf: String?
    var replyDocumentID: String?
    var canReply = false
    /// A 批示 the 督查室 may turn into a 督办 item.
    var canSupervise = false
    var errors: [String: String] = [:]

    struct IncomingSnapshot: Sendable {
        var numberText: String?
        var sender: String
        var senderNumber: String
        var title: String
        var secrecy: String
        var urgency: String
        var copies: Int
        var receivedOn: String
        var source: String
        var unitName: String
        var fileName: String?
        var documentID: String?
        var registeredByName: String
        var version: Int
    }

    struct IncomingEventSnapshot: Sendable {
        var id: String
        var step: String
        var action: String
        var who: String
        var comment: String
        var hasSignature: Bool
        var at: Date
    }

    struct ReadingSnapshot: Sendable {
        var id: String
        var reader: String
        var name: String
        var position: Int
        var inOrder: Bool
        var sentAt: Date
        var readAt: Date?
        var comment: String
        var reminders: Int
    }

    static func load(_ m: IncomingModel, user: CurrentUser, now: Date, calendar: WorkingCalendar = .shared,
                     on db: Database) async throws -> Self {
        let id = try m.requireID()
        let state = m.state
        let today = CivilDay(now)
        let events = try await IncomingEventModel.query(on: db).filter(\.$incoming.$id == id).sort(\.$at).all()
        let readings = try await IncomingReadingModel.query(on: db).filter(\.$incoming.$id == id)
            .sort(\.$sentAt).sort(\.$position).all()
        let p = user.principal
        let rules = IncomingRules.shared
        var page = IncomingPageModel(
            id: id.uuidString,
            m: IncomingSnapshot(numberText: m.numberText, sender: m.sender, senderNumber: m.senderNumber,
                                title: m.title, secrecy: m.secrecy, urgency: m.urgency, copies: m.copies,
                                receivedOn: m.receivedOn, source: m.source, unitName: m.unit.name,
                                fileName: m.fileName, documentID: m.documentID?.uuidString,
                                registeredByName: m.registeredByName, version: m.version),
            state: state,
            events: events.map { IncomingEventSnapshot(id: $0.id?.uuidString ?? "", step: $0.step, action: $0.action,
                                                       who: $0.displayName, comment: $0.comment,
                                                       hasSignature: $0.signature != nil, at: $0.at) },
            readings: readings.map { ReadingSnapshot(id: $0.id?.uuidString ?? "", reader: $0.reader,
                                                     name: $0.readerName, position: $0.position, inOrder: $0.inOrder,
                                                     sentAt: $0.sentAt, readAt: $0.readAt, comment: $0.comment,
                                                     reminders: $0.reminders) },
            colour: m.dueDay.map { rules.colour(due: $0, today: today, calendar: calendar) },
            provisional: m.dueDay.map { calendar.provisionalYears(from: today, to: $0) } ?? [],
            today: today)
        let unit = m.unit.code
        page.canRegister = state.step == .register && IncomingQueries.allows(p, .registerIncoming, unit)
        page.canPropose = state.step == .propose && IncomingQueries.allows(p, .proposeIncoming, unit)
        page.canInstruct = state.nextLeader?.username == user.username
        page.canComplete = state.step == .handle && IncomingQueries.allows(p, .handleIncoming, state.lead)
        page.canAssist = state.step == .handle && state.assisting.contains {
            IncomingQueries.allows(p, .handleIncoming, $0) }
        page.canCirculate = state.step != .register && IncomingQueries.allows(p, .proposeIncoming, unit)
        let open = readings.filter { $0.reader == user.username && $0.readAt == nil }.first { r in
            Circulation.isOpen(r.position, inOrder: r.inOrder, readers: readings
                .filter { IncomingReadingModel.sameRound($0, r) }
                .map { Circulation.Reader(position: $0.position, readAt: $0.readAt) })
        }
        page.readingID = open?.id?.uuidString
        let units = try await IncomingQueries.units(on: db)
        page.unitNames = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        if page.canPropose || page.canInstruct || page.canCirculate {
            page.units = units
            page.leaders = try await IncomingQueries.leaders(on: db)
        }
        if page.canPropose, let received = CivilDay(m.receivedOn) {
            page.suggestedDue = rules.suggestedDue(DocumentUrgency(rawValue: m.urgency) ?? .normal,
                                                   registered: max(received, today), calendar: calendar)
        }
        page.duplicateOf = m.duplicateOf?.uuidString
        page.replyDocumentID = m.replyDocumentID?.uuidString
        page.canReply = page.canComplete && m.replyDocumentID == nil
            && AccessPolicy.allows(p, .office(.draftDocument, Target(unitCode: state.lead ?? "")))
        page.canSupervise = !state.instructions.isEmpty && SupervisionQueries.supervises(p)
        return page
    }
}
