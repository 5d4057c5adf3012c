import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A unit's 部门决算 inputs of a year (Core's `FinalInputs` as JSON), whether it is published, and its version (claimed
/// in the write). The 决算 itself is never stored: it is built from these and the year's data whenever it is shown.
final class FinalAccountsModel: Model, @unchecked Sendable {
    static let schema = "final_accounts"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    @Field(key: "inputs_json") var inputsJSON: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The inputs as last published: the portal shows these until the unit publishes again.
    @OptionalField(key: "published_json") var publishedJSON: String?
    /// The budget, payments and evaluations as they stood when published (M039; nil when published before).
    @OptionalField(key: "published_sources_json") var publishedSourcesJSON: String?
    init() {}

    var isPublished: Bool { status == "published" }

    func inputs() throws -> FinalInputs {
        try JSONDecoder().decode(FinalInputs.self, from: Data(inputsJSON.utf8))
    }

    func publishedInputs() throws -> FinalInputs? {
        try publishedJSON.map { try JSONDecoder().decode(FinalInputs.self, from: Data($0.utf8)) }
    }

    func publishedSources() throws -> FinalSources? {
        try publishedSourcesJSON.map { try JSONDecoder().decode(FinalSources.self, from: Data($0.utf8)) }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

struct M037CreateFinalAccounts: AsyncMigration {
    var name: String { "M037CreateFinalAccounts" }

    func prepare(on database: Database) async throws {
        try await database.schema(FinalAccountsModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("inputs_json", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("published_at", .datetime)
            .field("published_json", .string)
            .unique(on: "unit_code", "year")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(FinalAccountsModel.schema).delete()
    }
}

/// The published 决算's sources, so the portal keeps showing what was published (issue 20's browser story found a
/// payment import moving a published 决算).
struct M039FinalPublishedSources: AsyncMigration {
    var name: String { "M039FinalPublishedSources" }

    func prepare(on database: Database) async throws {
        try await database.schema(FinalAccountsModel.schema).field("published_sources_json", .string).update()
        try await Self.backfill(on: database)
    }

    /// A 决算 published before: its sources as they stand now, the nearest to what it was published with, so its
    /// public page stops moving from here on.
    static func backfill(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        for m in try await FinalAccountsModel.query(on: database).filter(\.$status == "published")
            .filter(\.$publishedSourcesJSON == nil).all() {
            guard let inputs = try m.publishedInputs(),
                  let sources = try await FinalPage.sources(unit: m.unitCode, year: m.year, on: database,
                                                            withPrior: inputs.prior == nil) else { continue }
            try await sql.update(FinalAccountsModel.schema)
                .set("published_sources_json", to: try FinalAccountsModel.encode(sources.kept(for: inputs)))
                .where("id", .equal, try m.requireID()).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(FinalAccountsModel.schema).deleteField("published_sources_json").update()
    }
}
