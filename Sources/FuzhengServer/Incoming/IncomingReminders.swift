import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Deadline reminders of documents being handled (承办), as a job of `fuzheng jobs run`: "due soon" when the deadline
/// turns yellow and "overdue" the first day after it, each exactly once. The (kind, object, point) row is written
/// before anyone is told, in the same transaction, so a second run, a second runner or a retried run finds it there.
enum IncomingReminders {
    static let kind = "incoming"

    static var job: ScheduledJob {
        ScheduledJob(name: "incoming.reminders", schedule: .everyMinutes(15), lease: 600) { app, now in
            let sent = try await run(app, now: now)
            return "\(sent) reminder(s) sent"
        }
    }

    /// Sends what is due at `now`; returns how many reminders went out.
    static func run(_ app: Application, now: Date) async throws -> Int {
        let today = CivilDay(now)
        let rules = IncomingRules.shared
        let calendar = try await app.fuzheng.calendars.current(on: app.db, now: now)
        let open = try await IncomingModel.query(on: app.db).with(\.$unit)
            .filter(\.$step == IncomingStep.handle.rawValue)
            .filter(\.$due != nil).all()
        var sent = 0
        for m in open {
            guard let due = m.dueDay, let point = rules.reminder(due: due, today: today, calendar: calendar) else {
                continue
            }
            let told = try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                guard try await mark(kind, try m.requireID(), point.rawValue, at: now, on: tx) else { return false }
                let id = try m.requireID()
                let path = IncomingNotices.link(m)
                let message = Message("incoming.notify.\(point == .overdue ? "overdue" : "dueSoon")", m.title,
                                      due.description)
                if let lead = m.leadUnit {
                    try await IncomingNotices.handlers(lead, message, link: path, at: now, on: tx)
                    try await Outbound.enqueue(roles: IncomingNotices.handlerRoles, unitCode: lead, message: message,
                                               link: path, at: now, on: tx)
                }
                if point == .overdue, m.unit.code != m.leadUnit {
                    // The office that proposed it follows up an overdue document (催办); when it handles the document
                    // itself, its people have just been told.
                    for role in [Role.officeStaff, .clerk] {
                        try await Notifier.notify(role: role, unitCode: m.unit.code, message: message, link: path,
                                                  at: now, on: tx)
                    }
                }
                try await IncomingEventModel.record(id, step: m.step, action: "reminder_\(point.rawValue)",
                                                    username: "system", displayName: "系统", comment: "期限 \(due)",
                                                    at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "incoming", objectID: id.uuidString,
                                     summary: "reminder \(point.rawValue): due \(due)"))
                return true
            }
            if told { sent += 1 }
        }
        return sent
    }

    /// Records that a reminder went out; false when it already had.
    static func mark(_ kind: String, _ object: UUID, _ point: String, at: Date, on tx: Database) async throws -> Bool {
        guard let sql = tx as? SQLDatabase else { return false }
        let rows = try await sql.raw("""
            INSERT INTO reminder_marks (id, kind, object_id, point, at)
            VALUES (\(bind: UUID()), \(bind: kind), \(bind: object), \(bind: point), \(bind: at))
            ON CONFLICT (kind, object_id, point) DO NOTHING RETURNING id
            """).all()
        return !rows.isEmpty
    }
}
