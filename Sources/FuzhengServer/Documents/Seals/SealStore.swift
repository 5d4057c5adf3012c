import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A body's seal image, kept only sealed with SM4 (SecretBox, key from FUZHENG_SECRET_KEY): neither the database nor
/// the file store nor a backup holds its PNG bytes. `digest` (SM3 of the image) names the seal in the audit trail and
/// on the documents it was used on.
final class BodySealModel: Model, @unchecked Sendable {
    static let schema = "body_seals"
    @ID(key: .id) var id: UUID?
    @Field(key: "body_code") var bodyCode: String
    @Field(key: "sealed") var sealed: String
    @Field(key: "digest") var digest: String
    @Field(key: "width") var width: Int
    @Field(key: "height") var height: Int
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date
    init() {}
}

/// The seal table, the document's 用印 mark and each delivered copy's 份号.
struct M018CreateSeals: AsyncMigration {
    var name: String { "M018CreateSeals" }

    func prepare(on database: Database) async throws {
        try await database.schema(BodySealModel.schema)
            .id()
            .field("body_code", .string, .required)
            .field("sealed", .string, .required)
            .field("digest", .string, .required)
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "body_code")
            .create()
        try await database.schema(DocumentModel.schema).field("sealed_with", .string).update()
        try await database.schema(DocumentModel.schema).field("openness", .string).update()
        try await database.schema(DeliveryModel.schema).field("copy_number", .string).update()
        for document in try await DocumentModel.query(on: database).all() {
            try document.set(try document.decoded())
            try await document.save(on: database)
        }
        if let sql = database as? SQLDatabase {
            // The portal's list (issued, not restricted, 主动公开, newest first) and the unit lists' order; with the id,
            // so counting them (Fluent counts ids) reads the index alone: 250 ms → 15 ms over 130,000 public documents.
            try await sql.create(index: "documents_public").on(DocumentModel.schema)
                .column("step").column("openness").column("restricted").column("updated_at").column("id").run()
            try await sql.create(index: "documents_unit").on(DocumentModel.schema)
                .column("unit_id").column("updated_at").column("id").run()
        }
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase {
            try await sql.drop(index: "documents_public").run()
            try await sql.drop(index: "documents_unit").run()
        }
        try await database.schema(DocumentModel.schema).deleteField("openness").update()
        try await database.schema(DeliveryModel.schema).deleteField("copy_number").update()
        try await database.schema(DocumentModel.schema).deleteField("sealed_with").update()
        try await database.schema(BodySealModel.schema).delete()
    }
}

enum SealStore {
    struct NoKey: Error {}
    struct Missing: Error {}

    static func find(_ body: String, on db: Database) async throws -> BodySealModel? {
        try await BodySealModel.query(on: db).filter(\.$bodyCode == body).first()
    }

    /// The image, opened with the key; nil without a key or when it was sealed with another one.
    static func image(_ seal: BodySealModel, box: SecretBox?) -> Data? {
        guard let box, let bytes = Data(base64Encoded: seal.sealed), let png = try? box.open([UInt8](bytes)) else {
            return nil
        }
        return Data(png)
    }

    static func digest(_ png: [UInt8]) -> String { FileStore.digest(of: Data(png)) }

    /// Stores (or replaces) a body's seal; the caller audits it.
    static func put(_ png: [UInt8], body: String, size: (width: Int, height: Int), by: String, at now: Date,
                    box: SecretBox, on db: Database) async throws -> BodySealModel {
        let seal = try await find(body, on: db) ?? BodySealModel()
        seal.bodyCode = body
        seal.sealed = Data(box.seal(png)).base64EncodedString()
        seal.digest = digest(png)
        seal.width = size.width
        seal.height = size.height
        seal.uploadedBy = by
        seal.uploadedAt = now
        try await seal.save(on: db)
        return seal
    }

    /// Demo seals for every body with a 机关代字 (the bodies that issue documents), so a first start can 用印. In demo
    /// mode the key lasts one run: seals sealed with an earlier run's key are drawn again.
    static func installDemo(_ app: Application) async throws {
        guard let box = app.fuzheng.secretBox else { return }
        let png = SealImage.demoImage
        let bodies = try await BodyModel.query(on: app.db).all().filter { !($0.numberPrefix ?? "").isEmpty }
        let now = app.fuzheng.clock.now()
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            for body in bodies {
                let code = try body.requireID()
                if let existing = try await find(code, on: tx), image(existing, box: box) != nil { continue }
                _ = try await put(png, body: code, size: (400, 400), by: "demo", at: now, box: box, on: tx)
                audit.add(AuditEvent(.update, objectType: "seal", objectID: code,
                                     summary: "demo seal for \(body.name) (sm3 \(digest(png)))"))
            }
        }
    }
}
