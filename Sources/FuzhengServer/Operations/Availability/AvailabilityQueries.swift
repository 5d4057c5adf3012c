import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One incident of the register the 安全管理员 keeps: what happened, how it was recovered, how long it took.
final class IncidentModel: Model, @unchecked Sendable {
    static let schema = "incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?
    @Field(key: "kind") var kindRaw: String
    @Field(key: "title") var title: String
    @Field(key: "cause") var cause: String
    @Field(key: "measures") var measures: String
    /// The backup restored, if any (its folder name).
    @Field(key: "backup_ref") var backupRef: String
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "version") var version: Int

    init() {}

    var kind: IncidentKind { IncidentKind(rawValue: kindRaw) ?? .other }
    var recovery: IncidentRecovery { IncidentRecovery(start: startedAt, end: endedAt) }

    var auditSummary: String {
        "kind=\(kindRaw); title=\(title); started=\(Int(startedAt.timeIntervalSince1970)); "
            + "ended=\(endedAt.map { String(Int($0.timeIntervalSince1970)) } ?? "-"); backup=\(backupRef)"
    }
}

enum AvailabilityProbe {
    /// The probe asks the running platform, over HTTP, whether it can serve (its /readyz makes a database round
    /// trip), and records the answer for this minute. A host that is down records nothing, which counts as down.
    static func job(url: String) -> ScheduledJob {
        ScheduledJob(name: "availability-probe", schedule: .everyMinutes(1), lease: 120) { app, now in
            let started = ContinuousClock.now
            var ok = false
            var detail = ""
            do {
                let response = try await app.client.get(URI(string: url)) { $0.timeout = .seconds(10) }
                ok = response.status == .ok
                detail = "HTTP \(response.status.code)"
            } catch {
                detail = String("\(error)".prefix(200))
            }
            let elapsed = ContinuousClock.now - started
            let millis = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            try await record(minute: AvailabilitySummary.minute(now), ok: ok, latencyMillis: millis,
                             detail: detail, on: app.db)
            return "\(url): \(detail), \(millis) ms"
        }
    }

    static func record(minute: Int64, ok: Bool, latencyMillis: Int64, detail: String, on db: Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO availability_probes (minute, ok, latency_ms, detail)
            VALUES (\(bind: minute), \(bind: ok), \(bind: latencyMillis), \(bind: detail))
            ON CONFLICT (minute) DO NOTHING
            """).run()
    }
}

/// The figures of one month: the probe's 正常运行率 and the incident register's recovery times.
struct AvailabilityMonth: Sendable {
    var year: Int
    var month: Int
    var summary: AvailabilitySummary
    /// Minutes up and observed per day of the month, for the chart.
    var days: [(day: Int, observed: Int, up: Int)]
    var incidents: [IncidentModel]

    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: JobSchedule.chinaOffset)!
        return c
    }

    static func bounds(year: Int, month: Int) -> (start: Date, end: Date) {
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        return (start, end)
    }

    static func query(on db: Database, year: Int, month: Int, now: Date) async throws -> AvailabilityMonth {
        let (start, end) = bounds(year: year, month: month)
        guard let sql = db as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "availability needs an SQL database")
        }
        struct First: Decodable { var minute: Int64? }
        let first = try await sql.raw("SELECT min(minute) AS minute FROM availability_probes")
            .first(decoding: First.self)?.minute
        struct Row: Decodable { var minute: Int64 }
        let up = try await sql.raw("""
            SELECT minute FROM availability_probes WHERE ok = \(bind: true)
              AND minute >= \(bind: AvailabilitySummary.minute(start))
              AND minute < \(bind: AvailabilitySummary.minute(end))
            """).all(decoding: Row.self)
        let upMinutes = Set(up.map(\.minute))
        let since = first.map { Date(timeIntervalSince1970: TimeInterval($0 * 60)) }
        let summary = AvailabilitySummary.compute(periodStart: start, periodEnd: end, now: now,
                                                  monitoringSince: since, upMinutes: upMinutes)
        let dayCount = Int(end.timeIntervalSince(start) / 86_400)
        let days = AvailabilitySummary.byDay(periodStart: start, days: dayCount, now: now, monitoringSince: since,
                                             upMinutes: upMinutes)
            .enumerated().map { (day: $0.offset + 1, observed: $0.element.minutesObserved, up: $0.element.minutesUp) }
        let incidents = try await IncidentModel.query(on: db)
            .filter(\.$startedAt < end)
            .group(.or) { $0.filter(\.$endedAt == nil).filter(\.$endedAt >= start) }
            .sort(\.$startedAt, .descending).all()
        return AvailabilityMonth(year: year, month: month, summary: summary, days: days, incidents: incidents)
    }
}
