import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 催办 by the clock, as the `supervision.reminders` job of `fuzheng jobs run`: not yet 签收, a report due soon or
/// missed, the deadline near, overdue, and escalation to the responsible leader — each point (Core's
/// `SupervisionReminder`) exactly once: its (kind, object, point) row is written in the transaction that tells
/// anyone, so a second run or a second runner finds it there.
enum SupervisionReminders {
    static let kind = "supervision"

    static var job: ScheduledJob {
        ScheduledJob(name: "supervision.reminders", schedule: .everyMinutes(15), lease: 600) { app, now in
            let sent = try await run(app, now: now)
            return "\(sent) reminder(s) sent"
        }
    }

    static func run(_ app: Application, now: Date) async throws -> Int {
        let today = CivilDay(now)
        let calendar = try await app.fuzheng.calendars.current(on: app.db, now: now)
        let open = try await SupervisionItemModel.query(on: app.db)
            .filter(\.$state != SupervisionState.closed.rawValue).filter(\.$hasChildren == false).all()
        guard let sql = app.db as? SQLDatabase, !open.isEmpty else { return 0 }
        struct Mark: Decodable { var object_id: UUID; var point: String }
        var marked = Set<String>()
        for chunk in open.compactMap(\.id).chunked(by: 500) {
            let rows = try await sql.raw("""
                SELECT object_id, point FROM reminder_marks
                WHERE kind = \(bind: kind) AND object_id IN (\(binds: Array(chunk)))
                """).all(decoding: Mark.self)
            marked.formUnion(rows.map { "\($0.object_id.uuidString)/\($0.point)" })
        }
        var sent = 0
        for m in open {
            let id = try m.requireID()
            let snapshot = SupervisionReminder.Snapshot(
                state: m.stateValue, assignedOn: CivilDay(m.assignedOn) ?? m.startDay, start: m.startDay,
                deadline: m.dueDay, cycle: m.cycleValue, lastReport: m.lastReportOn.flatMap(CivilDay.init))
            for point in SupervisionReminder.due(snapshot, today: today, calendar: calendar)
            where !marked.contains("\(id.uuidString)/\(point.key)") {
                let told = try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                    guard try await IncomingReminders.mark(kind, id, point.key, at: now, on: tx) else { return false }
                    try await tell(m, point, today: today, calendar: calendar, at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "reminder \(point.kind.rawValue) \(point.key)"))
                    return true
                }
                if told { sent += 1 }
            }
        }
        return sent
    }

    static func tell(_ m: SupervisionItemModel, _ point: SupervisionReminder.Point, today: CivilDay,
                     calendar: WorkingCalendar, at now: Date, on tx: Database) async throws {
        let id = try m.requireID()
        let link = SupervisionSteps.path(id)
        let message: Message
        var text: String
        switch point.kind {
        case .unacknowledged:
            message = Message("supervision.notify.unacknowledged", m.title)
            text = "督办通知尚未签收"
        case .reportSoon:
            message = Message("supervision.notify.reportSoon", m.title, point.day.description)
            text = "请于\(point.day)前报送进展"
        case .reportLate:
            message = Message("supervision.notify.reportLate", m.title, point.day.description)
            text = "\(point.day)应报送的进展尚未报送"
        case .deadlineSoon:
            message = Message("supervision.notify.dueSoon", m.title, m.dueOn)
            text = "办理期限\(m.dueOn)临近"
        case .overdue:
            message = Message("supervision.notify.overdue", m.title, m.dueOn)
            text = "已超过办理期限\(m.dueOn)"
        case .escalate:
            let days = calendar.workingDays(from: m.dueDay, to: today)
            message = Message("supervision.notify.escalated", m.title, String(days))
            text = "逾期\(days)个工作日，已提请责任领导督办"
        }
        if point.kind == .escalate {
            if let leader = m.leader {
                try await IncomingNotices.person(leader, message, link: link, at: now, on: tx)
            }
            try await SupervisionSteps.tellOffice(m, message, at: now, on: tx)
        } else {
            try await SupervisionSteps.tellUnit(m.leadUnit, message, link: link, at: now, on: tx)
            if point.kind == .overdue { try await SupervisionSteps.tellOffice(m, message, at: now, on: tx) }
        }
        try await SupervisionEventModel.record(id, point.kind == .escalate ? "escalate" : "auto_remind",
                                               user: ("system", "系统", m.leadUnit), text: text, at: now, on: tx)
    }
}
