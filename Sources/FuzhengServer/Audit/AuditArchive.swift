import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Audit records older than the online period (FUZHENG_AUDIT_ONLINE_DAYS, at least six months as the 网络安全法
/// requires) are written to a hash-chained file in the file store and only then deleted, in one transaction with
/// the file's record, so no record is ever only in neither place. The newest record always stays online: the
/// chain goes on from it.
enum AuditArchive {
    static let kind = "audit-archive"
    static let recordsPerFile = 50_000

    static func job(_ config: AppConfig) -> ScheduledJob {
        ScheduledJob(name: "audit-archive", schedule: .daily(hour: 3, minute: 30), lease: 6 * 3600) { app, now in
            let cutoff = now.addingTimeInterval(-Double(app.fuzheng.config.auditOnlineDays) * 86_400)
            var archived = 0
            while true {
                let n = try await archiveOnce(app, before: cutoff)
                archived += n
                if n < recordsPerFile { break }
            }
            return "\(archived) records archived (older than \(config.auditOnlineDays) days)"
        }
    }

    static func key(firstSequence: Int64) -> String { String(format: "%020lld", firstSequence) }

    /// Archives up to `recordsPerFile` of the oldest records written before `cutoff`; returns how many.
    static func archiveOnce(_ app: Application, before cutoff: Date) async throws -> Int {
        let files = app.fuzheng.files
        let now = app.fuzheng.clock.now()
        let cutoffMillis = Int64((cutoff.timeIntervalSince1970 * 1000).rounded(.down))
        return try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            guard let newest = try await AuditRecordModel.query(on: tx).sort(\.$id, .descending).first()?.id else {
                return 0
            }
            let records = try await AuditRecordModel.query(on: tx)
                .filter(\.$occurredAtMillis < cutoffMillis).filter(\.$id < newest)
                .sort(\.$id, .ascending).limit(recordsPerFile).all()
            guard let first = records.first?.id, let last = records.last?.id else { return 0 }
            // Only a run of consecutive records from the start of what is online may leave.
            let oldest = try await AuditRecordModel.query(on: tx).sort(\.$id, .ascending).first()?.id
            guard oldest == first, last - first + 1 == Int64(records.count) else {
                throw Abort(.internalServerError, reason: "audit records to archive are not consecutive")
            }
            let data = try AuditArchiveFile.encode(records.map(\.chained))
            let digest = try await files.put(data)
            try await StoredFileModel(kind: kind, key: key(firstSequence: first), digest: digest, byteCount: data.count,
                                      mediaType: "application/x-ndjson", createdAt: now).create(on: tx)
            try await AuditRecordModel.query(on: tx).filter(\.$id >= first).filter(\.$id <= last).delete()
            audit.add(AuditEvent(.auditArchive, objectType: "audit_records", objectID: "\(first)-\(last)",
                                 summary: "archived \(records.count) records to file sm3 \(digest)"))
            return records.count
        }
    }

    /// The archived records, oldest file first.
    static func archivedFiles(on db: Database) async throws -> [StoredFileModel] {
        try await StoredFileModel.query(on: db).filter(\.$kind == kind).sort(\.$key, .ascending).all()
    }
}
