import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng jobs run [--only NAME]` runs every due job once (for a systemd timer or cron, every minute);
/// `fuzheng jobs list` shows each job's schedule and last run.
struct JobsCommand: AnyAsyncCommand {
    var help: String { "Recurring work: jobs run [--only NAME] | jobs list" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: ["only"])
        context.input.arguments = []
        let app = context.application
        try await app.autoMigrate()
        switch args.positionals.first {
        case "run":
            let outcomes = try await JobRunner.runDue(app, now: app.fuzheng.clock.now(), only: args.options["only"])
            var failed = false
            for o in outcomes where o.ran {
                context.console.print("\(o.ok ? "完成 done" : "失败 FAILED")  \(o.name): \(o.summary)")
                failed = failed || !o.ok
            }
            if !outcomes.contains(where: \.ran) { context.console.print("没有到期的任务 / no job was due") }
            if failed { throw CommandExit(status: 1, message: "") }
        case "list":
            let status = Dictionary(uniqueKeysWithValues: try await JobRunner.status(on: app.db).map { ($0.name, $0) })
            for job in app.fuzheng.jobs.all {
                let s = status[job.name]
                let next = s.map { Date(timeIntervalSince1970: Double($0.nextDueMs) / 1000) }
                context.console.print("\(job.name)  \(job.schedule)  next: \(next.map { "\($0)" } ?? "now")  "
                    + "runs: \(s?.runs ?? 0)  last: \(s?.lastOk.map { $0 ? "ok" : "FAILED" } ?? "-") "
                    + (s?.lastResult ?? ""))
            }
        default:
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng jobs run [--only NAME] | fuzheng jobs list")
        }
    }
}

/// `fuzheng backup` writes a backup now; `fuzheng backup verify PATH` checks one against its manifest.
struct BackupCommand: AnyAsyncCommand {
    var help: String { "Backups: backup (write one now) | backup verify PATH" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        let app = context.application
        switch args.positionals.count {
        case 0:
            try await app.autoMigrate()
            let started = ContinuousClock.now
            let folder = try await Backup.make(app, now: app.fuzheng.clock.now())
            let manifestURL = folder.appendingPathComponent(BackupManifest.fileName)
            let manifest = try BackupManifest.parse(String(contentsOf: manifestURL, encoding: .utf8))
            let bytes = manifest.entries.reduce(Int64(0)) { $0 + $1.size }
            context.console.print("备份完成 / backup written: \(folder.path) (\(manifest.entries.count) files, "
                + "\(bytes) bytes, \(started.duration(to: .now)))")
        case 2 where args.positionals[0] == "verify":
            do {
                let manifest = try Backup.verify(URL(fileURLWithPath: args.positionals[1], isDirectory: true))
                context.console.print("备份完好 / backup intact: \(manifest.entries.count) files match their SM3 digests "
                    + "(\(manifest.database), created \(manifest.createdAt), platform \(manifest.platformVersion))")
            } catch {
                throw CommandExit(status: 1, message: "备份损坏 / backup damaged: \(error)")
            }
        default:
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng backup | fuzheng backup verify PATH")
        }
    }
}

/// `fuzheng restore PATH` into an empty data folder (SQLite; the file was put in place before start-up) or an
/// empty database (PostgreSQL), then the file store, then the audit chain is verified.
struct RestoreCommand: AnyAsyncCommand {
    var help: String { "Restores a backup into an empty data folder or database: restore PATH" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        guard args.positionals.count == 1 else {
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng restore PATH")
        }
        let app = context.application
        let config = app.fuzheng.config
        let folder = URL(fileURLWithPath: args.positionals[0], isDirectory: true)
        let started = ContinuousClock.now
        let manifest: BackupManifest
        do { manifest = try Backup.verify(folder) } catch {
            throw CommandExit(status: 1, message: "备份损坏，未恢复 / backup damaged, nothing restored: \(error)")
        }
        if case .postgres(let url, let schema) = config.database {
            guard manifest.database == "postgresql" else {
                throw CommandExit(status: 2, message: "这是 \(manifest.database) 备份，当前配置为 PostgreSQL / this is a "
                    + "\(manifest.database) backup and the platform is configured for PostgreSQL")
            }
            try await Restore.postgres(folder, url: url, schema: schema, db: app.db)
        }
        try Restore.files(folder, into: URL(fileURLWithPath: config.filesPath, isDirectory: true))
        try await app.autoMigrate()
        let outcome = try await AuditLog.verify(on: app.db, files: app.fuzheng.files)
        guard outcome.firstBreak == nil else {
            throw CommandExit(status: 1, message: "已恢复，但审计链校验失败 / restored, but the audit chain does not verify: "
                + "\(outcome.firstBreak.map { "\($0)" } ?? "")")
        }
        try await app.fuzheng.audit.record(
            AuditEvent(.restore, objectType: "backup", objectID: folder.lastPathComponent,
                       summary: "restored \(manifest.entries.count) files, created \(manifest.createdAt)"),
            context: .system, on: app.db)
        context.console.print("恢复完成 / restored \(folder.lastPathComponent): \(manifest.entries.count) files, "
            + "audit chain "
            + "intact (\(outcome.checked) records), in \(started.duration(to: .now))")
    }
}

/// `fuzheng mail test ADDRESS` queues one message in the outbox and delivers what is waiting through the configured
/// SMTP relay, the way the `outbound.deliver` job does: a check of FUZHENG_SMTP_HOST after it is set.
struct MailCommand: AnyAsyncCommand {
    var help: String { "Outbound notices: mail test ADDRESS (through FUZHENG_SMTP_HOST)" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        let app = context.application
        guard args.positionals.count == 2, args.positionals[0] == "test" else {
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng mail test ADDRESS")
        }
        let address = args.positionals[1]
        guard SMTPChannel.isAddress(address) else {
            throw CommandExit(status: 2, message: "不是有效的邮件地址 / not a plain e-mail address: \(address)")
        }
        guard let channel = Outbound.channel(app.fuzheng.config) else {
            throw CommandExit(status: 2, message: "未设置 FUZHENG_SMTP_HOST / FUZHENG_SMTP_HOST is not set")
        }
        try await app.autoMigrate()
        let now = app.fuzheng.clock.now()
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            try await Outbound.enqueue(OutboundMessage(recipient: address, subject: "辅政邮件测试 / Fuzheng test message",
                                                       body: "这是一封测试邮件。This is a test message."),
                                       kind: channel.kind, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "outbound", summary: "test message queued for \(address)"))
        }
        let (sent, failed) = try await Outbound.deliver(app.db, through: channel, now: now)
        context.console.print("已发送 sent: \(sent)，失败 failed: \(failed)")
        if failed > 0 || sent == 0 {
            let last = try await OutboundMessageModel.query(on: app.db).filter(\.$sentAt == nil).sort(\.$createdAt,
                .descending).first()
            throw CommandExit(status: 1, message: "发送失败 / not sent: \(last?.lastError ?? "")")
        }
    }
}
