import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// An outgoing document: summary columns for lists and the register, the Core `OutgoingDocument` as JSON, the
/// flow's state, and `version` for optimistic concurrency (checked inside the write).
final class DocumentModel: Model, @unchecked Sendable {
    static let schema = "documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "year") var year: Int
    @Field(key: "type") var type: String
    @Field(key: "title") var title: String
    @Field(key: "step") var step: String
    @Field(key: "countersign_units") var countersignUnits: String
    @Field(key: "countersign_in_order") var countersignInOrder: Bool
    @Field(key: "countersigned") var countersigned: String
    @Field(key: "document") var documentJSON: String
    /// Rule ids waived with their reasons (JSON of [Waiver]).
    @Field(key: "waivers") var waiversJSON: String
    @OptionalField(key: "number_text") var numberText: String?
    @OptionalField(key: "number_id") var numberID: UUID?
    /// SM3 of the seal image used at 用印 (M018); nil until sealed and again when sent back.
    @OptionalField(key: "sealed_with") var sealedWith: String?
    /// 公开属性 (M018), kept beside the JSON so the portal's list is one indexed query.
    @OptionalField(key: "openness") var openness: String?
    @Field(key: "restricted") var restricted: Bool
    @Field(key: "drafted_by") var draftedBy: String
    @Field(key: "drafted_by_name") var draftedByName: String
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var flowState: DocumentFlow.State {
        DocumentFlow.State(step: DocumentStep(rawValue: step) ?? .draft,
                           countersigned: countersigned.split(separator: ",").map(String.init))
    }

    var countersignList: [String] { countersignUnits.split(separator: ",").map(String.init) }

    /// Who finds it through search: everyone once public, nobody while restricted, else who reaches its unit.
    var access: SearchIndex.Access {
        PublicDocuments.isPublic(self) ? .everyone : restricted ? .restricted : .scoped
    }

    func decoded() throws -> OutgoingDocument {
        try JSONDecoder().decode(OutgoingDocument.self, from: Data(documentJSON.utf8))
    }

    func set(_ d: OutgoingDocument) throws {
        documentJSON = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
        type = d.type.rawValue
        title = d.title
        restricted = d.secrecy == .internalUse || d.openness == .withheld
        openness = d.openness.rawValue
    }

    var waivers: [Waiver] {
        get { (try? JSONDecoder().decode([Waiver].self, from: Data(waiversJSON.utf8))) ?? [] }
        set { waiversJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}

/// A 核稿 finding someone chose to let stand, with why: recorded, shown on the 发文稿纸, and it no longer stops 签发.
struct Waiver: Codable, Sendable, Equatable {
    var rule: String
    var reason: String
    var by: String
    var at: Date
}

/// Each saved 正文, with who changed it at which step.
final class DocumentVersionModel: Model, @unchecked Sendable {
    static let schema = "document_versions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "seq") var seq: Int
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "step") var step: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "at") var at: Date
    init() {}
}

/// Every opinion and act on a document: the lines of its 发文稿纸.
final class DocumentEventModel: Model, @unchecked Sendable {
    static let schema = "document_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "at") var at: Date
    @Field(key: "step") var step: String
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "comment") var comment: String
    /// A handwritten signature drawn on a phone: SVG path data in a 300 × 100 box.
    @OptionalField(key: "signature") var signature: String?
    init() {}

    /// One line of the 发文稿纸, the only way one is written.
    static func record(_ document: UUID, step: String, action: String, username: String, displayName: String,
                       comment: String, signature: String? = nil, at: Date, on tx: Database) async throws {
        let e = DocumentEventModel()
        e.$document.id = document
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

/// The 发文登记簿: every number ever assigned, with its document; a voided number stays voided.
final class DocumentNumberModel: Model, @unchecked Sendable {
    static let schema = "document_numbers"
    @ID(key: .id) var id: UUID?
    @Field(key: "prefix") var prefix: String
    @Field(key: "year") var year: Int
    @Field(key: "seq") var seq: Int
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "state") var state: String
    @Field(key: "reason") var reason: String
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date
    init() {}

    var number: DocumentNumber { DocumentNumber(prefix: prefix, year: year, sequence: seq) }
}

/// Attachments: files in the file store, in order; 附件说明 is generated from their titles.
final class DocumentAttachmentModel: Model, @unchecked Sendable {
    static let schema = "document_attachments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "digest") var digest: String
    @Field(key: "size") var size: Int
    init() {}
}

struct M014CreateDocuments: AsyncMigration {
    var name: String { "M014CreateDocuments" }

    func prepare(on database: Database) async throws {
        try await database.schema(DocumentModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("year", .int, .required)
            .field("type", .string, .required)
            .field("title", .string, .required)
            .field("step", .string, .required)
            .field("countersign_units", .string, .required)
            .field("countersign_in_order", .bool, .required)
            .field("countersigned", .string, .required)
            .field("document", .string, .required)
            .field("waivers", .string, .required)
            .field("number_text", .string)
            .field("number_id", .uuid)
            .field("restricted", .bool, .required)
            .field("drafted_by", .string, .required)
            .field("drafted_by_name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(DocumentVersionModel.schema)
            .id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, .id))
            .field("seq", .int, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("step", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "document_id", "seq")
            .create()
        try await database.schema(DocumentEventModel.schema)
            .id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, .id))
            .field("at", .datetime, .required)
            .field("step", .string, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("comment", .string, .required)
            .field("signature", .string)
            .create()
        try await database.schema(DocumentNumberModel.schema)
            .id()
            .field("prefix", .string, .required)
            .field("year", .int, .required)
            .field("seq", .int, .required)
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, .id))
            .field("state", .string, .required)
            .field("reason", .string, .required)
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "prefix", "year", "seq")
            .create()
        try await database.schema("document_counters")
            .field("prefix", .string, .required)
            .field("year", .int, .required)
            .field("next", .int, .required)
            .unique(on: "prefix", "year")
            .create()
        try await database.schema(DocumentAttachmentModel.schema)
            .id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, .id))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("file_name", .string, .required)
            .field("digest", .string, .required)
            .field("size", .int, .required)
            .create()
        try await database.schema(BodyModel.schema).field("number_prefix", .string).update()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "documents_unit_year").on(DocumentModel.schema).column("unit_id").column("year")
                .run()
            try await sql.create(index: "document_events_document").on(DocumentEventModel.schema).column("document_id")
                .run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(BodyModel.schema).deleteField("number_prefix").update()
        for schema in [DocumentAttachmentModel.schema, "document_counters", DocumentNumberModel.schema,
                       DocumentEventModel.schema, DocumentVersionModel.schema, DocumentModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// Numbers are given here and nowhere else: gapless and never twice, even from two app servers at once.
enum DocumentNumbering {
    struct CounterRow: Decodable { var next: Int }

    /// The next number of `prefix` for `year` (`next(counter:year:on:)`), recorded for the document.
    static func assign(prefix: String, year: Int, documentID: UUID, by username: String, at: Date,
                       on tx: Database) async throws -> DocumentNumberModel {
        let seq = try await next(counter: prefix, year: year, on: tx)
        let number = DocumentNumberModel()
        number.prefix = prefix
        number.year = year
        number.seq = seq
        number.$document.id = documentID
        number.state = "assigned"
        number.reason = ""
        number.username = username
        number.at = at
        // The unique (prefix, year, seq) index is the last guard: a duplicate fails the whole transaction.
        try await number.create(on: tx)
        return number
    }

    /// The next value of a counter (a 发文字号 prefix, a body's 收文编号) for `year`, inside the caller's transaction.
    /// The counter row is locked (FOR UPDATE on PostgreSQL; SQLite's audited transactions already hold its one
    /// write lock), so a second request waits and takes the following number; a rolled-back transaction leaves no
    /// gap.
    static func next(counter prefix: String, year: Int, on tx: Database) async throws -> Int {
        guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
        let postgres = sql.dialect.name == "postgresql"
        try await sql.raw("""
            INSERT INTO document_counters (prefix, year, next) VALUES (\(bind: prefix), \(bind: year), 1)
            ON CONFLICT (prefix, year) DO NOTHING
            """).run()
        let lock: SQLQueryString = postgres ? " FOR UPDATE" : ""
        guard let row = try await sql.raw("""
            SELECT next FROM document_counters WHERE prefix = \(bind: prefix) AND year = \(bind: year)\(lock)
            """).first(decoding: CounterRow.self) else { throw Abort(.internalServerError) }
        try await sql.raw("""
            UPDATE document_counters SET next = \(bind: row.next + 1)
            WHERE prefix = \(bind: prefix) AND year = \(bind: year) AND next = \(bind: row.next)
            """).run()
        return row.next
    }
}

/// 待办 reads a step's documents newest first, within a person's units or county-wide: indexes led by the unit and
/// by the step, each ending in `updated_at`, so neither reads a step's whole history.
struct M025WaitingIndexes: AsyncMigration {
    var name: String { "M025WaitingIndexes" }

    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.create(index: "documents_unit_step").on(DocumentModel.schema).column("unit_id").column("step")
            .column("updated_at").run()
        try await sql.create(index: "documents_step_updated").on(DocumentModel.schema).column("step")
            .column("updated_at").run()
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.drop(index: "documents_unit_step").run()
        try await sql.drop(index: "documents_step_updated").run()
    }
}
