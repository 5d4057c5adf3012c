import Fluent
import Foundation
import FuzhengCore

/// A published version of a unit's disclosure for a year: frozen, never updated. A correction is
/// a new version with a note; older versions stay readable at their own URL.
final class DisclosureVersionModel: Model, @unchecked Sendable {
    static let schema = "disclosure_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "version") var version: Int
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String
    @OptionalField(key: "note") var note: String?
    /// The budget as published, and the disclosure generated from it at that moment.
    @Field(key: "budget") var budget: String
    @Field(key: "disclosure") var disclosure: String
    @Field(key: "three_public_fen") var threePublicFen: Int64
    @Field(key: "operating_costs_fen") var operatingCostsFen: Int64
    @Field(key: "expenditure_fen") var expenditureFen: Int64

    init() {}

    func decodedDisclosure() throws -> Disclosure {
        try JSONDecoder().decode(Disclosure.self, from: Data(disclosure.utf8))
    }

    func decodedBudget() throws -> Budget { try BudgetJSON.decode(budget) }
}

/// Publication records and the approval date the 20-day rule counts from.
struct M005CreateDisclosureVersions: AsyncMigration {
    var name: String { "M005CreateDisclosureVersions" }

    func prepare(on database: Database) async throws {
        try await database.schema(DisclosureVersionModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("fiscal_year", .int, .required)
            .field("version", .int, .required)
            .field("published_at", .datetime, .required)
            .field("published_by", .string, .required)
            .field("note", .string)
            .field("budget", .string, .required)
            .field("disclosure", .string, .required)
            .field("three_public_fen", .int64, .required)
            .field("operating_costs_fen", .int64, .required)
            .field("expenditure_fen", .int64, .required)
            .unique(on: "unit_id", "fiscal_year", "version")
            .create()
        try await database.schema(BudgetModel.schema)
            .field("approved_at", .datetime)
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BudgetModel.schema).deleteField("approved_at").update()
        try await database.schema(DisclosureVersionModel.schema).delete()
    }
}
