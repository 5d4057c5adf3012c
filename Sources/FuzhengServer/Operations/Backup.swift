import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Online backups: a consistent snapshot of the database (SQLite `VACUUM INTO`, PostgreSQL `pg_dump -Fc`) with
/// the file store, an SM3 manifest of every file, folders 0700 and files 0600, the newest N kept. The secret
/// key is never in the data folder, so never in a backup (docs/OPERATIONS.md says where to keep it).
enum Backup {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let sqliteName = "database.sqlite"
    static let postgresName = "database.pgdump"

    static func folderName(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "fuzheng-" + f.string(from: date)
    }

    static func job(_ config: AppConfig) -> ScheduledJob {
        ScheduledJob(name: "backup", schedule: .everyMinutes(config.backupEveryMinutes), lease: 6 * 3600) { app, now in
            let started = ContinuousClock.now
            let folder = try await make(app, now: now)
            return "\(folder.lastPathComponent) in \(started.duration(to: .now))"
        }
    }

    /// Writes a backup and returns its folder.
    @discardableResult
    static func make(_ app: Application, now: Date) async throws -> URL {
        let config = app.fuzheng.config
        let fm = FileManager.default
        let root = URL(fileURLWithPath: config.backupDirectory, isDirectory: true)
        try fm.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var name = folderName(now)
        if fm.fileExists(atPath: root.appendingPathComponent(name).path) { name += "-\(UUID().uuidString.prefix(8))" }
        let partial = root.appendingPathComponent(".partial-\(name)", isDirectory: true)
        try fm.createDirectory(at: partial, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            switch config.database {
            case .sqliteFile, .sqliteMemory:
                guard let sql = app.db as? any SQLDatabase else { throw Failure(description: "no SQL database") }
                let target = partial.appendingPathComponent(sqliteName).path
                try await sql.raw("VACUUM INTO \(bind: target)").run()
            case .postgres(let url, let schema):
                var arguments = ["--format=custom", "--no-owner", "--no-privileges",
                                 "--file=\(partial.appendingPathComponent(postgresName).path)"]
                if let schema { arguments.append("--schema=\(schema)") }
                arguments.append("--dbname=\(url)")
                try await Tool.run("pg_dump", arguments)
            }
            let previous = try newestBackup(in: root)
            try copyFiles(from: URL(fileURLWithPath: config.filesPath, isDirectory: true), into: partial,
                          previous: previous)
            let manifest = try BackupManifest(
                createdAt: ISO8601DateFormatter().string(from: now), database: config.database.kindName,
                platformVersion: FuzhengVersion.string, entries: entries(in: partial))
            try write(Data(manifest.text.utf8), to: partial.appendingPathComponent(BackupManifest.fileName))
            try chmodTree(partial)
            let final = root.appendingPathComponent(name, isDirectory: true)
            try fm.moveItem(at: partial, to: final)
            try prune(root, keep: config.backupKeep)
            return final
        } catch {
            try? fm.removeItem(at: partial)
            throw error
        }
    }

    /// The newest complete backup, whose copies of stored files the next one can share.
    static func newestBackup(in root: URL) throws -> URL? {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("fuzheng-") }
        return names.sorted().last.map { root.appendingPathComponent($0, isDirectory: true) }
    }

    /// The file store's objects, each checked against its SM3 name. A backup never shares a file with the live
    /// store (damage there would be damage here); a file the previous backup already holds is hard-linked to that
    /// copy, so generations share what did not change.
    static func copyFiles(from store: URL, into backup: URL, previous: URL?) throws {
        let fm = FileManager.default
        let objects = store.appendingPathComponent("objects")
        guard fm.fileExists(atPath: objects.path) else { return }
        for prefix in try fm.contentsOfDirectory(atPath: objects.path) where prefix.count == 2 {
            let source = objects.appendingPathComponent(prefix)
            let target = backup.appendingPathComponent("files/objects/\(prefix)")
            try fm.createDirectory(at: target, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            for rest in try fm.contentsOfDirectory(atPath: source.path) where !rest.hasPrefix(".") {
                let to = target.appendingPathComponent(rest).path
                if let previous {
                    let earlier = previous.appendingPathComponent("files/objects/\(prefix)/\(rest)").path
                    if fm.fileExists(atPath: earlier), link(earlier, to) == 0 { continue }
                }
                let data = try Data(contentsOf: source.appendingPathComponent(rest))
                guard FileStore.digest(of: data) == prefix + rest else {
                    throw Failure(description: "文件库中的文件已损坏，未写入备份 / a stored file is damaged and was not backed up: "
                        + "\(prefix)\(rest)")
                }
                try write(data, to: URL(fileURLWithPath: to))
            }
        }
    }

    static func entries(in folder: URL) throws -> [BackupManifest.Entry] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: folder.path) else { return [] }
        var result: [BackupManifest.Entry] = []
        while let relative = walker.nextObject() as? String {
            let url = folder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  relative != BackupManifest.fileName else { continue }
            let (size, digest) = try sm3(of: url)
            result.append(.init(path: relative, size: size, sm3: digest))
        }
        return result
    }

    static func sm3(of url: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SM3()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            size += Int64(chunk.count)
        }
        return (size, hasher.finalize().hexString)
    }

    static func write(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw Failure(description: "cannot write \(url.path)") }
    }

    static func chmodTree(_ folder: URL) throws {
        let fm = FileManager.default
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        guard let walker = fm.enumerator(atPath: folder.path) else { return }
        while let relative = walker.nextObject() as? String {
            let path = folder.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
            try fm.setAttributes([.posixPermissions: isDirectory.boolValue ? 0o700 : 0o600], ofItemAtPath: path)
        }
    }

    static func prune(_ root: URL, keep: Int) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("fuzheng-") }
        for old in BackupGenerations.toDelete(names, keep: keep) {
            try FileManager.default.removeItem(at: root.appendingPathComponent(old))
        }
    }

    /// Checks every file against the manifest: sizes, SM3 digests, nothing missing and nothing added.
    static func verify(_ folder: URL) throws -> BackupManifest {
        let manifestURL = folder.appendingPathComponent(BackupManifest.fileName)
        guard let text = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw Failure(description: "\(folder.path) 中没有 MANIFEST / no MANIFEST in \(folder.path)")
        }
        let manifest = try BackupManifest.parse(text)
        let listed = Dictionary(uniqueKeysWithValues: manifest.entries.map { ($0.path, $0) })
        let found = try entries(in: folder)
        for entry in found where listed[entry.path] == nil {
            throw Failure(description: "清单外的文件 / a file not in the manifest: \(entry.path)")
        }
        let foundByPath = Dictionary(uniqueKeysWithValues: found.map { ($0.path, $0) })
        for entry in manifest.entries {
            guard let actual = foundByPath[entry.path] else {
                throw Failure(description: "缺少文件 / missing: \(entry.path)")
            }
            guard actual.size == entry.size, actual.sm3 == entry.sm3 else {
                throw Failure(description: "文件已损坏（SM3 不符）/ damaged (SM3 mismatch): \(entry.path)")
            }
        }
        guard listed[sqliteName] != nil || listed[postgresName] != nil else {
            throw Failure(description: "备份中没有数据库 / the backup holds no database")
        }
        return manifest
    }
}

/// Restoring: the database file must be in place before the platform opens it, so the SQLite part runs before
/// `configure` (from main) and the rest — PostgreSQL, the file store, the audit check — in the `restore` command.
public enum Restore {
    /// SQLite: checks the backup and copies its database into an empty data folder. Returns false if this is not
    /// a restore or not SQLite (nothing done).
    public static func placeSQLite(arguments: [String], config: AppConfig) throws -> Bool {
        guard arguments.count >= 2, arguments[0] == "restore", case .sqliteFile(let path) = config.database else {
            return false
        }
        let folder = URL(fileURLWithPath: arguments[1], isDirectory: true)
        let manifest = try Backup.verify(folder)
        guard manifest.entries.contains(where: { $0.path == Backup.sqliteName }) else {
            throw Backup.Failure(description: "这是 \(manifest.database) 备份，当前配置为 SQLite / this is a "
                + "\(manifest.database) backup and the platform is configured for SQLite")
        }
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
            throw Backup.Failure(description: "数据目录不为空：\(path + suffix) 已存在。请恢复到空目录，或先移走损坏的文件。"
                + " / The data folder is not empty: \(path + suffix) exists; restore into an empty folder or move the"
                + " damaged files away first.")
        }
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".restoring"
        try? fm.removeItem(atPath: temporary)
        try fm.copyItem(atPath: folder.appendingPathComponent(Backup.sqliteName).path, toPath: temporary)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
        try fm.moveItem(atPath: temporary, toPath: path)
        return true
    }

    /// PostgreSQL: restores the dump into a database (or schema) with no tables.
    static func postgres(_ folder: URL, url: String, schema: String?, db: Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        struct Count: Decodable { var n: Int }
        let target = schema ?? "public"
        let count = try await sql.raw("""
            SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = \(bind: target)
            """).first(decoding: Count.self)?.n ?? 0
        guard count == 0 else {
            throw Backup.Failure(description: "目标数据库不为空（\(target) 中有 \(count) 张表）/ the target database is not empty "
                + "(\(count) tables in \(target))")
        }
        if let schema { try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema)").run() }
        try await Tool.run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname=\(url)",
                                          folder.appendingPathComponent(Backup.postgresName).path])
    }

    /// The backup's file store into the configured one; existing identical files are kept.
    static func files(_ folder: URL, into store: URL) throws {
        let fm = FileManager.default
        let objects = folder.appendingPathComponent("files/objects")
        guard fm.fileExists(atPath: objects.path) else { return }
        for prefix in try fm.contentsOfDirectory(atPath: objects.path) {
            let target = store.appendingPathComponent("objects/\(prefix)")
            try fm.createDirectory(at: target, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            for rest in try fm.contentsOfDirectory(atPath: objects.appendingPathComponent(prefix).path) {
                let to = target.appendingPathComponent(rest).path
                if let existing = fm.contents(atPath: to), FileStore.digest(of: existing) == prefix + rest { continue }
                try? fm.removeItem(atPath: to)
                try fm.copyItem(atPath: objects.appendingPathComponent("\(prefix)/\(rest)").path, toPath: to)
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: to)
            }
        }
    }
}

/// pg_dump and pg_restore, found where Debian puts them.
enum Tool {
    static func run(_ name: String, _ arguments: [String]) async throws {
        let candidates = ["/usr/bin/\(name)", "/usr/local/bin/\(name)", "/usr/lib/postgresql/15/bin/\(name)"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Backup.Failure(description: "未找到 \(name)（apt-get install postgresql-client）/ \(name) not found")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        // Its messages go to a file, not a pipe: a pipe nobody reads until the end could fill and stall it.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fz-\(name)-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        let status = try await ChildProcess.run(process)
        guard status == 0 else {
            let message = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Backup.Failure(description: "\(name) 失败（退出码 \(status)）/ \(name) failed (\(status)): "
                + message.prefix(500))
        }
    }
}
