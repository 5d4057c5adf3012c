import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The outbox: a notice meant to leave the platform is written here inside the transaction that decided it, and the
/// `outbound.deliver` job sends it. So a reminder recorded once is queued once; a send that fails is retried by the
/// next run (at most `maxAttempts`), never duplicated by a second runner (each row is claimed in one UPDATE).
final class OutboundMessageModel: Model, @unchecked Sendable {
    static let schema = "outbound_messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    init() {}
}

struct M021CreateOutbox: AsyncMigration {
    var name: String { "M021CreateOutbox" }

    func prepare(on database: Database) async throws {
        try await database.schema(OutboundMessageModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("attempts", .int, .required)
            .field("lease_until", .datetime)
            .field("last_error", .string)
            .create()
        try await database.schema(UserModel.schema).field("email", .string).update()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "outbound_pending").on(OutboundMessageModel.schema).column("sent_at")
                .column("created_at").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(UserModel.schema).deleteField("email").update()
        try await database.schema(OutboundMessageModel.schema).delete()
    }
}

enum Outbound {
    static let maxAttempts = 5

    /// The configured way out for e-mail, if any: FUZHENG_SMTP_HOST (and _PORT, _FROM).
    static func channel(_ config: AppConfig) -> (any OutboundChannel)? {
        guard let host = config.smtpHost else { return nil }
        return SMTPChannel(host: host, port: config.smtpPort, from: config.smtpFrom)
    }

    /// Queues a notice for everyone with `roles` in `unitCode` who has an address, in their language-neutral
    /// Chinese text (an e-mail is read outside the platform, where its language choice does not travel).
    static func enqueue(roles: [Role], unitCode: String, message: Message, link: String, at: Date,
                        on tx: Database) async throws {
        guard let unit = try await UnitModel.query(on: tx).filter(\.$code == unitCode).first() else { return }
        let users = try await UserModel.query(on: tx).filter(\.$unit.$id == unit.requireID())
            .filter(\.$isActive == true).filter(\.$email != nil).all()
        let wanted = Set(roles.map(\.rawValue))
        for u in users {
            let held = [u.roleRaw] + (u.rolesText ?? "").split(separator: ";").compactMap {
                $0.split(separator: ":").first.map(String.init) }
            guard held.contains(where: wanted.contains), let address = u.email else { continue }
            try await enqueue(OutboundMessage(recipient: address, subject: message.text(L10n(.zh)),
                                              body: message.text(L10n(.zh)) + "\n\n" + link), kind: "email", at: at,
                              on: tx)
        }
    }

    static func enqueue(_ m: OutboundMessage, kind: String, at: Date, on tx: Database) async throws {
        let row = OutboundMessageModel()
        row.kind = kind
        row.recipient = m.recipient
        row.subject = String(m.subject.prefix(200))
        row.body = String(m.body.prefix(4_000))
        row.createdAt = at
        row.attempts = 0
        try await row.create(on: tx)
    }

    static func job(_ config: AppConfig) -> ScheduledJob {
        ScheduledJob(name: "outbound.deliver", schedule: .everyMinutes(1), lease: 300) { app, now in
            guard let channel = channel(config) else {
                let waiting = try await OutboundMessageModel.query(on: app.db).filter(\.$sentAt == nil).count()
                return "no outbound channel configured (FUZHENG_SMTP_HOST); \(waiting) waiting"
            }
            let (sent, failed) = try await deliver(app.db, through: channel, now: now)
            return "\(sent) sent, \(failed) failed"
        }
    }

    /// Claims and sends what is waiting; returns how many went and how many failed this time.
    static func deliver(_ db: Database, through channel: any OutboundChannel, now: Date, limit: Int = 50)
        async throws -> (Int, Int) {
        guard let sql = db as? SQLDatabase else { return (0, 0) }
        let candidates = try await OutboundMessageModel.query(on: db).filter(\.$sentAt == nil)
            .filter(\.$kind == channel.kind).filter(\.$attempts < maxAttempts).sort(\.$createdAt).limit(limit).all()
        var sent = 0, failed = 0
        for m in candidates {
            if let lease = m.leaseUntil, lease > now { continue }
            let id = try m.requireID()
            // The claim is the write: another runner's UPDATE of the same attempt count finds nothing.
            let claimed = try await sql.update(OutboundMessageModel.schema).set("attempts", to: m.attempts + 1)
                .set("lease_until", to: now.addingTimeInterval(120)).where("id", .equal, id)
                .where("attempts", .equal, m.attempts).where("sent_at", .is, SQLLiteral.null).returning("id").all()
            guard claimed.count == 1 else { continue }
            do {
                try await channel.send(OutboundMessage(recipient: m.recipient, subject: m.subject, body: m.body))
                try await sql.update(OutboundMessageModel.schema).set("sent_at", to: now)
                    .set(SQLIdentifier("last_error"), to: SQLLiteral.null).where("id", .equal, id).run()
                sent += 1
            } catch {
                try await sql.update(OutboundMessageModel.schema).set("last_error", to: String("\(error)".prefix(500)))
                    .set(SQLIdentifier("lease_until"), to: SQLLiteral.null).where("id", .equal, id).run()
                failed += 1
            }
        }
        return (sent, failed)
    }
}
