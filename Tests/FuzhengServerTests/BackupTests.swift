import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("Backups, restores and audit archiving")
struct BackupTests {
    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fz-backup-\(UUID().uuidString)")
    }

    @Test("a backup holds the database and the file store, 0600, with an SM3 manifest that catches any change")
    func backupAndVerify() async throws {
        let backups = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: backups) }
        try await withFuzhengApp(configure: { $0.backupDirectory = backups.path; $0.backupKeep = 2 }) { app, clock in
            let attachment = Data("一份附件 attachment".utf8)
            let digest = try await app.fuzheng.files.put(attachment)
            let folder = try await Backup.make(app, now: clock.now)
            let manifest = try Backup.verify(folder)
            #expect(manifest.entries.contains { $0.path == "files/objects/\(digest.prefix(2))/\(digest.dropFirst(2))" })
            #expect(manifest.database == TestEnvironment.databaseName)
            let fm = FileManager.default
            for entry in manifest.entries {
                let mode = try fm.attributesOfItem(atPath: folder.appendingPathComponent(entry.path).path)[.posixPermissions]
                #expect((mode as? NSNumber)?.intValue == 0o600, "\(entry.path)")
            }
            let folderMode = try fm.attributesOfItem(atPath: folder.path)[.posixPermissions] as? NSNumber
            #expect(folderMode?.intValue == 0o700)
            #expect(!(try String(contentsOf: folder.appendingPathComponent("MANIFEST"), encoding: .utf8))
                .lowercased().contains("secret"))

            // A damaged file, an added file and a missing file are each caught.
            let object = folder.appendingPathComponent("files/objects/\(digest.prefix(2))/\(digest.dropFirst(2))")
            try Data("tampered".utf8).write(to: object)
            #expect(throws: Backup.Failure.self) { try Backup.verify(folder) }
            try attachment.write(to: object)
            _ = try Backup.verify(folder)
            try Data().write(to: folder.appendingPathComponent("extra"))
            #expect(throws: Backup.Failure.self) { try Backup.verify(folder) }
            try fm.removeItem(at: folder.appendingPathComponent("extra"))
            try fm.removeItem(at: object)
            #expect(throws: Backup.Failure.self) { try Backup.verify(folder) }

            // A backup shares nothing with the live store: damage there is not damage here, and a damaged live file
            // stops the next backup instead of being copied.
            try attachment.write(to: object)
            let live = app.fuzheng.files.path(of: digest)
            try Data("rot".utf8).write(to: live)
            _ = try Backup.verify(folder)
            clock.advance(by: 1)
            // The next backup takes its copy from the previous backup, whole; a new file that is already damaged
            // stops it.
            let next = try await Backup.make(app, now: clock.now)
            #expect(try Data(contentsOf: next.appendingPathComponent("files/objects/\(digest.prefix(2))/\(digest.dropFirst(2))"))
                == attachment)
            let fresh = try await app.fuzheng.files.put(Data("新附件".utf8))
            try Data("rot".utf8).write(to: app.fuzheng.files.path(of: fresh))
            clock.advance(by: 1)
            await #expect(throws: Backup.Failure.self) { try await Backup.make(app, now: clock.now) }
            _ = try await app.fuzheng.files.put(Data("新附件".utf8))
            try attachment.write(to: live)
            #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path)
                .filter { $0.hasPrefix(".partial") }.isEmpty)

            // Only the newest generations stay.
            for minutes in 1...3 {
                clock.advance(by: Double(minutes) * 60)
                try await Backup.make(app, now: clock.now)
            }
            let kept = try fm.contentsOfDirectory(atPath: backups.path).filter { $0.hasPrefix("fuzheng-") }
            #expect(kept.count == 2)
            for name in kept { _ = try Backup.verify(backups.appendingPathComponent(name)) }
        }
    }

    @Test("the manifest's own digest catches an edited line; paths cannot leave the backup folder")
    func manifest() throws {
        let m = BackupManifest(createdAt: "2026-12-03T00:00:00Z", database: "sqlite", platformVersion: "test",
                               entries: [.init(path: "database.sqlite", size: 3, sm3: String(repeating: "a", count: 64))])
        #expect(try BackupManifest.parse(m.text) == m)
        #expect(throws: BackupManifest.Problem.self) {
            try BackupManifest.parse(m.text.replacingOccurrences(of: "  3  ", with: "  4  "))
        }
        #expect(!BackupManifest.isSafe("../etc/passwd"))
        #expect(!BackupManifest.isSafe("/etc/passwd"))
        #expect(!BackupManifest.isSafe("files/../../x"))
        #expect(BackupManifest.isSafe("files/objects/ab/cdef"))
        #expect(BackupGenerations.toDelete(["fuzheng-3", "fuzheng-1", "fuzheng-2"], keep: 2) == ["fuzheng-1"])
    }

    @Test("SQLite: a backup restores into an empty data folder with its change, its file and an intact audit chain")
    func restoreSQLite() async throws {
        if TestEnvironment.postgresURL != nil { return }
        let root = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let live = root.appendingPathComponent("live")
        let restored = root.appendingPathComponent("restored")
        var backup: URL?
        var digest = ""
        func adjust(_ folder: URL) -> (inout AppConfig) -> Void {
            { config in
                config.dataDirectory = folder.path
                config.database = .sqliteFile(path: folder.path + "/fuzheng.sqlite")
                config.backupDirectory = root.appendingPathComponent("backups").path
            }
        }
        try await withFuzhengApp(configure: adjust(live)) { app, clock in
            let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434001").first())
            unit.name = "怀来县人民政府办公室（备份前的修改）"
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                try await unit.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "unit", objectID: "434001", summary: "name changed"))
            }
            digest = try await app.fuzheng.files.put(Data("附件".utf8))
            backup = try await Backup.make(app, now: clock.now)
        }
        let folder = try #require(backup)
        var config = AppConfig()
        adjust(restored)(&config)
        #expect(try Restore.placeSQLite(arguments: ["restore", folder.path], config: config))
        #expect(throws: Backup.Failure.self) {
            try Restore.placeSQLite(arguments: ["restore", folder.path], config: config)
        }
        try await withFuzhengApp(demo: false, configure: adjust(restored)) { app, _ in
            try Restore.files(folder, into: URL(fileURLWithPath: app.fuzheng.config.filesPath))
            let unit = try await UnitModel.query(on: app.db).filter(\.$code == "434001").first()
            #expect(unit?.name == "怀来县人民政府办公室（备份前的修改）")
            #expect(try await app.fuzheng.files.get(digest) == Data("附件".utf8))
            let outcome = try await AuditLog.verify(on: app.db, files: app.fuzheng.files)
            #expect(outcome.firstBreak == nil)
            #expect(outcome.checked > 10)
        }
    }

    @Test("PostgreSQL: pg_dump and pg_restore round trip into an emptied schema")
    func restorePostgres() async throws {
        guard TestEnvironment.postgresURL != nil else { return }
        let backups = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: backups) }
        try await withFuzhengApp(configure: { $0.backupDirectory = backups.path }) { app, clock in
            let units = try await UnitModel.query(on: app.db).count()
            let folder = try await Backup.make(app, now: clock.now)
            _ = try Backup.verify(folder)
            guard case .postgres(let url, let schema?) = app.fuzheng.config.database,
                  let sql = app.db as? any SQLDatabase else { Issue.record("no schema"); return }
            await #expect(throws: Backup.Failure.self) {
                try await Restore.postgres(folder, url: url, schema: schema, db: app.db)
            }
            try await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
            try await Restore.postgres(folder, url: url, schema: schema, db: app.db)
            #expect(try await UnitModel.query(on: app.db).count() == units)
            #expect(try await AuditLog.verify(on: app.db, files: app.fuzheng.files).firstBreak == nil)
        }
    }

    @Test("audit records past the online period move to a hash-chained file; verify spans file and database")
    func auditArchive() async throws {
        try await withFuzhengApp { app, clock in
            let before = try await AuditRecordModel.query(on: app.db).count()
            clock.advance(by: 200 * 86_400)
            try await app.fuzheng.audit.record(AuditEvent(.update, objectType: "test", summary: "recent"),
                                               context: .system, on: app.db)
            let cutoff = clock.now.addingTimeInterval(-190 * 86_400)
            let archived = try await AuditArchive.archiveOnce(app, before: cutoff)
            #expect(archived == before)
            #expect(try await AuditRecordModel.query(on: app.db).count() == 2)
            #expect(try await AuditArchive.archiveOnce(app, before: cutoff) == 0)
            let outcome = try await AuditLog.verify(on: app.db, files: app.fuzheng.files)
            #expect(outcome.firstBreak == nil)
            #expect(outcome.checked == before + 2)
            // New records still chain on.
            try await app.fuzheng.audit.record(AuditEvent(.update, objectType: "test", summary: "later"),
                                               context: .system, on: app.db)
            #expect(try await AuditLog.verify(on: app.db, files: app.fuzheng.files).firstBreak == nil)
            // Without the archive the database alone does not verify: nothing was silently dropped.
            #expect(try await AuditLog.verify(on: app.db).firstBreak != nil)
            // An archive whose content was altered is caught.
            let file = try #require(try await AuditArchive.archivedFiles(on: app.db).first)
            var records = try AuditArchiveFile.decode(try await app.fuzheng.files.get(file.digest))
            records[0].entry.summary = "altered"
            let altered = try await app.fuzheng.files.put(try AuditArchiveFile.encode(records))
            file.digest = altered
            try await file.save(on: app.db)
            #expect(try await AuditLog.verify(on: app.db, files: app.fuzheng.files).firstBreak != nil)
        }
    }
}
