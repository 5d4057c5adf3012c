import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A received document (收文): summary columns for lists, deadlines and reminders, the Core `IncomingState` as JSON,
/// and `version` for optimistic concurrency (checked inside the write).
final class IncomingModel: Model, @unchecked Sendable {
    static let schema = "incoming_documents"
    @ID(key: .id) var id: UUID?
    /// The receiving unit (its 文书 registers, its office proposes).
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "year") var year: Int
    /// 收文编号, given at 登记.
    @OptionalField(key: "seq") var seq: Int?
    @OptionalField(key: "number_text") var numberText: String?
    /// inside (a copy distributed on the platform) or outside (registered from paper or a file).
    @Field(key: "source") var source: String
    @OptionalField(key: "delivery_id") var deliveryID: UUID?
    @OptionalField(key: "document_id") var documentID: UUID?
    @Field(key: "sender") var sender: String
    @Field(key: "sender_number") var senderNumber: String
    @Field(key: "title") var title: String
    @Field(key: "secrecy") var secrecy: String
    @Field(key: "urgency") var urgency: String
    @Field(key: "copies") var copies: Int
    @Field(key: "received_on") var receivedOn: String
    @Field(key: "step") var step: String
    @Field(key: "state") var stateJSON: String
    /// The deadline (ISO day) and the lead unit, copied from the state for lists and the reminder job.
    @OptionalField(key: "due") var due: String?
    @OptionalField(key: "lead_unit") var leadUnit: String?
    /// The assisting units, ",a,b," so a unit is found with one LIKE.
    @Field(key: "assisting") var assisting: String
    /// The leader whose 批示 is awaited, for 待批办.
    @OptionalField(key: "next_leader") var nextLeader: String?
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    /// An earlier registration of the same 来文单位 + 文号, when there is one: flagged, not refused.
    @OptionalField(key: "duplicate_of") var duplicateOf: UUID?
    @OptionalField(key: "file_digest") var fileDigest: String?
    @OptionalField(key: "file_name") var fileName: String?
    @Field(key: "registered_by") var registeredBy: String
    @Field(key: "registered_by_name") var registeredByName: String
    /// A reply drafted as an outgoing document (承办's answer), linked both ways.
    @OptionalField(key: "reply_document_id") var replyDocumentID: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var state: IncomingState {
        get {
            (try? JSONDecoder().decode(IncomingState.self, from: Data(stateJSON.utf8)))
                ?? IncomingState(step: IncomingStep(rawValue: step) ?? .register)
        }
        set {
            stateJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
            step = newValue.step.rawValue
            due = newValue.step == .done ? nil : newValue.due?.description
            leadUnit = newValue.lead
            assisting = newValue.assisting.isEmpty ? "" : "," + newValue.assisting.joined(separator: ",") + ","
            nextLeader = newValue.nextLeader?.username
        }
    }

    var dueDay: CivilDay? { due.flatMap(CivilDay.init) }
}

/// Every act on a received document: the lines of its 处理单 (阅办单).
final class IncomingEventModel: Model, @unchecked Sendable {
    static let schema = "incoming_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "incoming_id") var incoming: IncomingModel
    @Field(key: "at") var at: Date
    @Field(key: "step") var step: String
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "comment") var comment: String
    /// A 批示 drawn on a phone: SVG path data in a 300 × 100 box.
    @OptionalField(key: "signature") var signature: String?
    init() {}

    static func record(_ incoming: UUID, step: String, action: String, username: String, displayName: String,
                       comment: String, signature: String? = nil, at: Date, on tx: Database) async throws {
        let e = IncomingEventModel()
        e.$incoming.id = incoming
        e.at = at
        e.step = step
        e.action = action
        e.username = username
        e.displayName = displayName
        e.comment = comment
        e.signature = signature
        try await e.create(on: tx)
    }
}

/// 传阅: one reader of one round, with when they read it and what they wrote.
final class IncomingReadingModel: Model, @unchecked Sendable {
    static let schema = "incoming_readings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "incoming_id") var incoming: IncomingModel
    @Field(key: "reader") var reader: String
    @Field(key: "reader_name") var readerName: String
    @Field(key: "position") var position: Int
    @Field(key: "in_order") var inOrder: Bool
    @Field(key: "sent_by") var sentBy: String
    @Field(key: "sent_at") var sentAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "comment") var comment: String
    @Field(key: "reminders") var reminders: Int
    init() {}

    /// Readers sent round together. Compared here, not in SQL: a stored time read back and bound again need not be
    /// equal to the last bit on every database.
    static func sameRound(_ a: IncomingReadingModel, _ b: IncomingReadingModel) -> Bool {
        a.$incoming.id == b.$incoming.id && abs(a.sentAt.timeIntervalSince(b.sentAt)) < 0.001
    }
}

/// One row per reminder sent: (kind, object, point) is unique, so a reminder goes out once however many runners
/// or runs reach it.
final class ReminderMarkModel: Model, @unchecked Sendable {
    static let schema = "reminder_marks"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "object_id") var objectID: UUID
    @Field(key: "point") var point: String
    @Field(key: "at") var at: Date
    init() {}
}

struct M020CreateIncoming: AsyncMigration {
    var name: String { "M020CreateIncoming" }

    func prepare(on database: Database) async throws {
        try await database.schema(IncomingModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("year", .int, .required)
            .field("seq", .int)
            .field("number_text", .string)
            .field("source", .string, .required)
            .field("delivery_id", .uuid)
            .field("document_id", .uuid)
            .field("sender", .string, .required)
            .field("sender_number", .string, .required)
            .field("title", .string, .required)
            .field("secrecy", .string, .required)
            .field("urgency", .string, .required)
            .field("copies", .int, .required)
            .field("received_on", .string, .required)
            .field("step", .string, .required)
            .field("state", .string, .required)
            .field("due", .string)
            .field("lead_unit", .string)
            .field("assisting", .string, .required)
            .field("next_leader", .string)
            .field("dedupe_key", .string)
            .field("duplicate_of", .uuid)
            .field("file_digest", .string)
            .field("file_name", .string)
            .field("registered_by", .string, .required)
            .field("registered_by_name", .string, .required)
            .field("reply_document_id", .uuid)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unit_id", "year", "seq")
            .create()
        try await database.schema(IncomingEventModel.schema)
            .id()
            .field("incoming_id", .uuid, .required, .references(IncomingModel.schema, .id))
            .field("at", .datetime, .required)
            .field("step", .string, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("comment", .string, .required)
            .field("signature", .string)
            .create()
        try await database.schema(IncomingReadingModel.schema)
            .id()
            .field("incoming_id", .uuid, .required, .references(IncomingModel.schema, .id))
            .field("reader", .string, .required)
            .field("reader_name", .string, .required)
            .field("position", .int, .required)
            .field("in_order", .bool, .required)
            .field("sent_by", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("read_at", .datetime)
            .field("comment", .string, .required)
            .field("reminders", .int, .required)
            .create()
        try await database.schema(ReminderMarkModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("object_id", .uuid, .required)
            .field("point", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "kind", "object_id", "point")
            .create()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "incoming_unit_step").on(IncomingModel.schema).column("unit_id")
                .column("step").run()
            try await sql.create(index: "incoming_step_due").on(IncomingModel.schema).column("step").column("due").run()
            try await sql.create(index: "incoming_dedupe").on(IncomingModel.schema).column("dedupe_key").run()
            try await sql.create(index: "incoming_events_incoming").on(IncomingEventModel.schema)
                .column("incoming_id").run()
            try await sql.create(index: "incoming_readings_reader").on(IncomingReadingModel.schema).column("reader")
                .column("read_at").run()
            try await sql.create(index: "incoming_readings_incoming").on(IncomingReadingModel.schema)
                .column("incoming_id").run()
        }
    }

    func revert(on database: Database) async throws {
        for schema in [ReminderMarkModel.schema, IncomingReadingModel.schema, IncomingEventModel.schema,
                       IncomingModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// 待承办 and 协办 on every 工作台 of a unit's office: at county scale (50,000 收文) each walked all 3,500 documents at
/// 承办 and looked every one up (about 10 ms each on SQLite). Led by the lead unit, and by the step with the assisting
/// units in the index itself, they read only their own rows.
struct M027IncomingWorkIndexes: AsyncMigration {
    var name: String { "M027IncomingWorkIndexes" }

    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.create(index: "incoming_lead_step").on(IncomingModel.schema).column("lead_unit").column("step")
            .column("created_at").run()
        try await sql.create(index: "incoming_step_assisting").on(IncomingModel.schema).column("step")
            .column("assisting").run()
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.drop(index: "incoming_lead_step").run()
        try await sql.drop(index: "incoming_step_assisting").run()
    }
}
