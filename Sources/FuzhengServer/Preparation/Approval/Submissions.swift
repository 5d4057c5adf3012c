import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Each submission freezes the budget as submitted, so an approver sees what changed since the one before.
final class BudgetSubmissionModel: Model, @unchecked Sendable {
    static let schema = "budget_submissions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: BudgetModel
    @Field(key: "number") var number: Int
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "submitted_by") var submittedBy: String
    @Field(key: "budget") var budgetJSON: String
    init() {}
}

struct M010CreateBudgetSubmissions: AsyncMigration {
    var name: String { "M010CreateBudgetSubmissions" }

    func prepare(on database: Database) async throws {
        try await database.schema(BudgetSubmissionModel.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(BudgetModel.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("submitted_at", .datetime, .required)
            .field("submitted_by", .string, .required)
            .field("budget", .string, .required)
            .unique(on: "budget_id", "number")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BudgetSubmissionModel.schema).delete()
    }
}

enum Submissions {
    /// Freezes `budget` as the next submission of `budgetID`, inside the submit step's transaction.
    static func freeze(_ budget: Budget, budgetID: UUID, by username: String, at date: Date,
        on tx: Database) async throws {
        let last = try await BudgetSubmissionModel.query(on: tx).filter(\.$budget.$id == budgetID)
            .sort(\.$number, .descending).first()
        let row = BudgetSubmissionModel()
        row.$budget.id = budgetID
        row.number = (last?.number ?? 0) + 1
        row.submittedAt = date
        row.submittedBy = username
        row.budgetJSON = try BudgetJSON.encode(budget)
        try await row.create(on: tx)
    }

    /// The submission before the latest one: what the approver saw last time, if this is a resubmission.
    static func previous(budgetID: UUID, on db: Database) async throws -> (number: Int, budget: Budget)? {
        let rows = try await BudgetSubmissionModel.query(on: db).filter(\.$budget.$id == budgetID)
            .sort(\.$number, .descending).limit(2).all()
        guard rows.count == 2 else { return nil }
        return (rows[1].number, try BudgetJSON.decode(rows[1].budgetJSON))
    }
}

/// What an approver compares: the budget as it stands with its previous submission and with last year's budget.
struct ApprovalComparison: Sendable {
    var previousSubmission: Int?
    var sincePrevious: [FieldChange]
    var lastYear: Int?
    var sinceLastYear: [FieldChange]

    static func query(on db: Database, unitCode: String, budgetID: UUID, budget: Budget) async throws
        -> ApprovalComparison {
        var c = ApprovalComparison(previousSubmission: nil, sincePrevious: [], lastYear: nil, sinceLastYear: [])
        if let (number, before) = try await Submissions.previous(budgetID: budgetID, on: db) {
            c.previousSubmission = number
            c.sincePrevious = BudgetDiff.changes(from: before, to: budget)
        }
        if let (_, last) = try await BudgetStore.find(unitCode: unitCode, year: budget.fiscalYear - 1, on: db) {
            c.lastYear = last.fiscalYear
            c.sinceLastYear = BudgetDiff.changes(from: last, to: budget)
        }
        return c
    }
}
