import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 收文's waiting work on the 工作台: 待登记, 待拟办, 待批办, 待承办 (with 协办), 待阅; overdue first, coloured by working
/// days (`IncomingRules`). 待签收 is the deliveries' own source.
enum IncomingTaskSources {
    static func registerAll(in registry: TaskSourceRegistry) {
        registry.register(StepSource(step: .register, roles: [.clerk]))
        registry.register(StepSource(step: .propose, roles: [.officeStaff, .clerk]))
        registry.register(StepSource(step: .instruct, roles: [.leader]))
        registry.register(StepSource(step: .handle, roles: [.officeStaff, .clerk, .unitHead]))
        registry.register(ReadingSource())
    }

    static func item(_ m: IncomingModel, today: CivilDay, calendar: WorkingCalendar, detail: String) -> WorkItem {
        let due = m.dueDay
        var item = WorkItem(title: m.title, detail: detail,
                            link: SiteRoute.incomingItem(id: m.id?.uuidString ?? "").path,
                            daysLeft: due.map { CivilDay.days(from: today, to: $0) })
        if let due { item.urgency = IncomingRules.shared.colour(due: due, today: today, calendar: calendar).urgency }
        return item
    }

    struct StepSource: TaskSource {
        var step: IncomingStep
        var roles: Set<Role>
        var id: String { "incoming.\(step.rawValue)" }
        var titleKey: String { "workbench.source.incoming.\(step.rawValue)" }
        var priority: Int { step == .instruct ? -1 : 0 }

        func applies(to user: CurrentUser) -> Bool { user.principal.grants.contains { roles.contains($0.role) } }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let today = CivilDay(c.now)
            var rows = try await IncomingQueries.waiting(step, for: user, on: c.db, limit: 50)
            if step == .handle { rows += try await IncomingQueries.assisting(for: user, on: c.db) }
            return rows.prefix(50).map { m in
                var parts = [m.numberText, m.sender, m.senderNumber].compactMap { $0 }.filter { !$0.isEmpty }
                if step == .handle, m.leadUnit.map({ !IncomingQueries.allows(user.principal, .handleIncoming, $0) })
                    ?? false { parts.append(c.l("incoming.assistTag")) }
                if let due = m.due { parts.append(c.l("incoming.due", due)) }
                return IncomingTaskSources.item(m, today: today, calendar: c.calendar,
                                                detail: parts.joined(separator: " · "))
            }
        }
    }

    struct ReadingSource: TaskSource {
        var id: String { "incoming.read" }
        var titleKey: String { "workbench.source.incoming.read" }
        var priority: Int { -1 }

        /// 传阅 goes to leaders (the readers the form offers).
        func applies(to user: CurrentUser) -> Bool { user.principal.grants.contains { $0.role == .leader } }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let today = CivilDay(c.now)
            return try await IncomingQueries.unread(for: user.username, on: c.db).prefix(50).map { r in
                IncomingTaskSources.item(r.incoming, today: today, calendar: c.calendar,
                                         detail: c.l("incoming.readFrom", r.sentBy))
            }
        }
    }
}
