import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One 督办 item as its page shows it: the order, its colour and why, sub-tasks, every act with its files, and what
/// this person may do now.
struct SupervisionItemPage: Sendable {
    var item: SupervisionItemModel
    var parent: (id: String, number: String, title: String)?
    var children: [SupervisionListPage.Item]
    var events: [SupervisionEventModel]
    var files: [UUID: [SupervisionFileModel]]
    var names: [String: String]
    var colour: SupervisionRules.Colour
    var reason: SupervisionRules.Reason
    var elapsed: Int
    var supervises: Bool
    var handles: Bool
    var pendingReports: [SupervisionEventModel]
    var pendingExtension: SupervisionEventModel?
    var units: [(code: String, name: String)]
    var leaderName: String?
    var source: (title: String, path: String)?
    var reply: (title: String, path: String)?
    var archive: (code: String, path: String)?

    func unit(_ code: String) -> String { names[code] ?? code }

    static func query(on db: Database, item m: SupervisionItemModel, user: CurrentUser, today: CivilDay,
                      calendar: WorkingCalendar) async throws -> SupervisionItemPage {
        let id = try m.requireID()
        let allUnits = try await UnitsMemo.all(on: db)
        let names = Dictionary(allUnits.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var parent: (String, String, String)?
        if let pid = m.parentID, let p = try await SupervisionItemModel.find(pid, on: db) {
            parent = (pid.uuidString, p.numberText, p.title)
        }
        var children: [SupervisionListPage.Item] = []
        if m.hasChildren, let sql = db as? SQLDatabase {
            children = try await SupervisionQueries.select(sql).where("parent_id", .equal, id)
                .orderBy("seq").all(decoding: SupervisionQueries.Row.self).map { r in
                    let (c, why) = r.colour(today: today, calendar: calendar)
                    return SupervisionListPage.Item(row: r, colour: c, reason: why,
                                                    unitName: names[r.lead_unit] ?? r.lead_unit)
                }
        }
        let events = try await SupervisionEventModel.query(on: db).filter(\.$item.$id == id).sort(\.$at).all()
        let files = Dictionary(grouping: try await SupervisionFileModel.query(on: db).filter(\.$item.$id == id).all(),
                               by: { $0.$event.id })
        let rules = SupervisionRules.shared
        let (colour, reason) = rules.colour(start: m.startDay, deadline: m.dueDay, progress: m.progress,
                                            closed: m.stateValue == .closed, today: today, calendar: calendar)
        let elapsed = rules.elapsedPercent(start: m.startDay, deadline: m.dueDay, today: today, calendar: calendar)
        var source: (String, String)?
        if let iid = m.sourceIncomingID, let i = try await IncomingModel.find(iid, on: db) {
            source = ([i.numberText, i.title].compactMap { $0 }.joined(separator: " "),
                      SiteRoute.incomingItem(id: iid.uuidString).path)
        } else if let did = m.sourceDocumentID, let d = try await DocumentModel.find(did, on: db) {
            source = ([d.numberText, d.title].compactMap { $0 }.joined(separator: " "),
                      SiteRoute.document(id: did.uuidString).path)
        }
        var reply: (String, String)?
        if let rid = m.replyDocumentID, let d = try await DocumentModel.find(rid, on: db) {
            reply = ([d.numberText, d.title].compactMap { $0 }.joined(separator: " "),
                     SiteRoute.document(id: rid.uuidString).path)
        }
        var archive: (String, String)?
        if let aid = m.archiveItemID, let a = try await ArchiveItemModel.find(aid, on: db) {
            archive = (a.code ?? "", SiteRoute.archiveItem(id: aid.uuidString).path)
        }
        var leaderName: String?
        if let leader = m.leader {
            leaderName = try await UserModel.query(on: db).filter(\.$username == leader).first()?.displayName ?? leader
        }
        return SupervisionItemPage(
            item: m, parent: parent, children: children, events: events, files: files, names: names,
            colour: colour, reason: reason, elapsed: elapsed,
            supervises: SupervisionQueries.supervises(user.principal),
            handles: SupervisionQueries.handles(user.principal, m),
            pendingReports: events.filter { $0.action == "report" && $0.status == "pending" },
            pendingExtension: events.last { $0.action == "extension" && $0.status == "pending" },
            units: allUnits.filter(\.is_active).map { (code: $0.code, name: $0.name) },
            leaderName: leaderName, source: source, reply: reply, archive: archive)
    }
}
