import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A first start should show the 运行监测 page working: three days of probe records before now with one outage, and
/// the incident that explains it. Loaded by `serve` with the demo organisation only, never in tests or `org load`.
enum DemoOperations {
    static let outageStartMinutesAgo: Int64 = 2 * 1440 + 6 * 60
    static let outageMinutes: Int64 = 37

    static func load(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        let now = app.fuzheng.clock.now()
        let last = AvailabilitySummary.minute(now)
        let first = last - 3 * 1440
        let outage = (last - outageStartMinutesAgo)..<(last - outageStartMinutesAgo + outageMinutes)
        var minute = first
        while minute < last {
            let end = min(minute + 500, last)
            let rows = (minute..<end).map { m -> SQLQueryString in
                let ok = !outage.contains(m)
                let (latency, detail) = ok ? (3 + m % 5, "HTTP 200") : (10_000, "HTTP 503")
                return "(\(bind: m), \(bind: ok), \(bind: latency), \(bind: detail))"
            }
            try await sql.raw("""
                INSERT INTO availability_probes (minute, ok, latency_ms, detail) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (minute) DO NOTHING
                """).run()
            minute = end
        }
        let incident = IncidentModel()
        incident.startedAt = Date(timeIntervalSince1970: TimeInterval(outage.lowerBound * 60))
        incident.endedAt = Date(timeIntervalSince1970: TimeInterval(outage.upperBound * 60))
        incident.kindRaw = IncidentKind.databaseCorruption.rawValue
        incident.title = "数据库文件损坏（演示）"
        incident.cause = "服务器意外断电后数据库文件校验失败（演示数据）。"
        incident.measures = "停止服务，保留损坏文件；用 fuzheng restore 从最近一次备份恢复，审计链校验通过后恢复服务。"
        incident.backupRef = Backup.folderName(incident.startedAt.addingTimeInterval(-10 * 60))
        incident.recordedBy = "secadmin"
        incident.version = 1
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            try await incident.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "incident", objectID: incident.id?.uuidString,
                                 summary: "seed: \(incident.auditSummary)"))
        }
    }
}
