import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 督查督办's waiting work on the 工作台: 待签收 and 督办事项 (to report on) for the units' handlers, 待审核 (reports
/// and extension requests) for the 督查室, and the red items a leader reaches, first.
enum SupervisionTaskSources {
    static func registerAll(in registry: TaskSourceRegistry) {
        registry.register(UnitSource(step: .assigned))
        registry.register(UnitSource(step: .handling))
        registry.register(ReviewSource())
        registry.register(RedSource())
    }

    /// The units whose items this person handles (签收, 反馈).
    static func handledUnits(_ p: Principal, on db: Database) async throws -> [String] {
        try await UnitsMemo.all(on: db).map(\.code).filter {
            AccessPolicy.allows(p, .office(.handleSupervision, Target(unitCode: $0)))
        }
    }

    static func item(_ r: SupervisionQueries.Row, today: CivilDay, calendar: WorkingCalendar,
                     detail: String) -> WorkItem {
        var w = WorkItem(title: r.title, detail: detail, link: SiteRoute.supervisionItem(id: r.id.uuidString).path,
                         daysLeft: r.dueDay.map { CivilDay.days(from: today, to: $0) })
        w.urgency = switch r.colour(today: today, calendar: calendar).0 {
        case .red: .overdue
        case .yellow: .dueSoon
        case .green: .onTrack
        }
        return w
    }

    struct UnitSource: TaskSource {
        var step: SupervisionState
        var id: String { "supervision.\(step.rawValue)" }
        var titleKey: String { "workbench.source.supervision.\(step.rawValue)" }

        func applies(to user: CurrentUser) -> Bool {
            user.principal.grants.contains { [.officeStaff, .clerk, .unitHead].contains($0.role) }
        }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let units = try await handledUnits(user.principal, on: c.db)
            guard !units.isEmpty, let sql = c.db as? SQLDatabase else { return [] }
            let today = CivilDay(c.now)
            let rows = try await SupervisionQueries.select(sql).where("state", .equal, step.rawValue)
                .where("has_children", .equal, false).where("lead_unit", .in, units)
                .orderBy("due_on").limit(50).all(decoding: SupervisionQueries.Row.self)
            return rows.map { r in
                SupervisionTaskSources.item(r, today: today, calendar: c.calendar,
                                            detail: [r.number_text, c.l("supervision.dueOn", r.due_on),
                                                     c.l("supervision.progress", String(r.progress))]
                                                .joined(separator: " · "))
            }
        }
    }

    struct ReviewSource: TaskSource {
        var id: String { "supervision.review" }
        var titleKey: String { "workbench.source.supervision.review" }

        func applies(to user: CurrentUser) -> Bool { SupervisionQueries.supervises(user.principal) }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            guard let sql = c.db as? SQLDatabase else { return [] }
            struct Pending: Decodable {
                var item_id: UUID
                var action: String
                var display_name: String
                var title: String
                var number_text: String
                var due_on: String
            }
            let today = CivilDay(c.now)
            let rows = try await sql.raw("""
                SELECT e.item_id, e.action, e.display_name, i.title, i.number_text, i.due_on
                FROM supervision_events e JOIN supervision_items i ON i.id = e.item_id
                WHERE e.status = 'pending' AND i.office_unit = \(bind: user.unitCode)
                ORDER BY e.at LIMIT 50
                """).all(decoding: Pending.self)
            return rows.map { r in
                WorkItem(title: r.title,
                         detail: [r.number_text, c.l("supervision.pending.\(r.action)", r.display_name)]
                             .joined(separator: " · "),
                         link: SiteRoute.supervisionItem(id: r.item_id.uuidString).path,
                         daysLeft: CivilDay(r.due_on).map { CivilDay.days(from: today, to: $0) })
            }
        }
    }

    /// A leader on a phone sees the red items of the units they reach before anything else.
    struct RedSource: TaskSource {
        var id: String { "supervision.red" }
        var titleKey: String { "workbench.source.supervision.red" }
        var priority: Int { -1 }

        func applies(to user: CurrentUser) -> Bool { user.principal.grants.contains { $0.role == .leader } }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            guard let sql = c.db as? SQLDatabase else { return [] }
            let today = CivilDay(c.now)
            let reach = try await SupervisionQueries.reach(user.principal, on: c.db)
            let names = Dictionary(try await UnitsMemo.all(on: c.db).map { ($0.code, $0.name) },
                                   uniquingKeysWith: { a, _ in a })
            let rows = try await SupervisionQueries.restrict(
                SupervisionQueries.select(sql).where("state", .in, SupervisionQueries.openStates)
                    .where("has_children", .equal, false).where("due_on", .lessThan, today.description),
                reach: reach, username: user.username).orderBy("due_on").limit(50)
                .all(decoding: SupervisionQueries.Row.self)
            return rows.map { r in
                SupervisionTaskSources.item(r, today: today, calendar: c.calendar,
                                            detail: [r.number_text, names[r.lead_unit] ?? r.lead_unit,
                                                     c.l("supervision.dueOn", r.due_on)].joined(separator: " · "))
            }
        }
    }
}
