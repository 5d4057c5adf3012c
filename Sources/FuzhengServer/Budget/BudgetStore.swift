import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Someone else saved the budget after this form was read: nothing was written.
struct BudgetConflict: Error {}

/// Reads and writes budgets. Callers pass the transaction so a save and its audit record commit together.
enum BudgetStore {
    struct Summary: Sendable {
        var fiscalYear: Int
        var status: String
        var expenditure: Fen
    }

    static func find(unitCode: String, year: Int, on db: Database) async throws -> (BudgetModel, Budget)? {
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == unitCode).first() else { return nil }
        guard let model = try await BudgetModel.query(on: db).filter(\.$unit.$id == unit.requireID())
            .filter(\.$fiscalYear == year).first() else { return nil }
        return (model, try model.decoded())
    }

    static func years(unitID: UUID, on db: Database) async throws -> [Summary] {
        try await BudgetModel.query(on: db).filter(\.$unit.$id == unitID).sort(\.$fiscalYear, .descending).all()
            .map { Summary(fiscalYear: $0.fiscalYear, status: $0.status, expenditure: Fen($0.expenditureFen)) }
    }

    /// Moves a stored budget from `expected` to the next version in one conditional write
    /// (`UPDATE … WHERE id = ? AND version = ?`), so of two saves made from the same version exactly
    /// one wins, whichever app server runs it; the other gets `BudgetConflict`.
    static func claimNextVersion(budgetID: UUID, expected: Int, on tx: Database) async throws {
        guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
        let claimed = try await sql.update(BudgetModel.schema)
            .set("version", to: expected + 1)
            .where("id", .equal, budgetID)
            .where("version", .equal, expected)
            .returning("id")
            .all()
        guard claimed.count == 1 else { throw BudgetConflict() }
    }

    /// Inserts or replaces the unit's budget for the budget's year, with its row tables. With
    /// `expectedVersion` (every edit form) the replacement happens only over that version.
    @discardableResult
    static func save(_ budget: Budget, unitID: UUID, expectedVersion: Int? = nil,
                     on tx: Database) async throws -> BudgetModel {
        let existing = try await BudgetModel.query(on: tx).filter(\.$unit.$id == unitID)
            .filter(\.$fiscalYear == budget.fiscalYear).first()
        let model = existing ?? BudgetModel()
        model.$unit.id = unitID
        if let existing, let expectedVersion {
            try await claimNextVersion(budgetID: existing.requireID(), expected: expectedVersion, on: tx)
            model.version = expectedVersion + 1
        } else {
            model.version = (existing?.version ?? 0) + 1
        }
        try model.apply(budget)
        try await model.save(on: tx)
        let budgetID = try model.requireID()
        try await BudgetProjectModel.query(on: tx).filter(\.$budget.$id == budgetID).delete()
        try await BudgetProcurementLineModel.query(on: tx).filter(\.$budget.$id == budgetID).delete()
        try await BudgetExpenditureLineModel.query(on: tx).filter(\.$budget.$id == budgetID).delete()
        // One multi-row INSERT per table: a county's initial load writes thousands of these rows.
        var projects: [BudgetProjectModel] = []
        for (i, p) in budget.projects.enumerated() {
            let row = BudgetProjectModel()
            row.$budget.id = budgetID
            row.position = i
            row.code = p.code
            row.name = p.name
            row.fundDocument = p.fundDocument
            row.amountFen = p.amount.value
            row.fiscalFen = p.fiscalFunds.value
            row.otherFen = p.otherFunds.value
            row.indicatorCount = p.indicators.count
            row.spendingPlan = SpendingCheckpoint.encode(p.spendingPlan)
            projects.append(row)
        }
        var procurement: [BudgetProcurementLineModel] = []
        for (i, l) in budget.procurement.enumerated() {
            let row = BudgetProcurementLineModel()
            row.$budget.id = budgetID
            row.position = i
            row.projectCode = l.projectCode
            row.itemName = l.itemName
            row.catalogCode = l.catalogCode
            row.unitOfMeasure = l.unitOfMeasure
            row.quantityThousandths = l.quantity.thousandths
            row.unitPriceFen = l.unitPrice.value
            row.amountFen = l.amount.value
            row.smeFen = l.smeReserved.value
            procurement.append(row)
        }
        var expenditure: [BudgetExpenditureLineModel] = []
        for (i, l) in budget.expenditure.enumerated() {
            let row = BudgetExpenditureLineModel()
            row.$budget.id = budgetID
            row.position = i
            row.kind = l.kind.rawValue
            row.basicCategory = l.basicCategory?.rawValue
            row.projectCode = l.projectCode
            row.label = l.label
            row.functionCode = l.functionCode
            row.economicCode = l.economicCode
            row.fundSource = l.fundSource.rawValue
            row.amountFen = l.amount.value
            expenditure.append(row)
        }
        for chunk in projects.chunked(by: DemoSeeder.insertBatch) { try await chunk.create(on: tx) }
        for chunk in procurement.chunked(by: DemoSeeder.insertBatch) { try await chunk.create(on: tx) }
        for chunk in expenditure.chunked(by: DemoSeeder.insertBatch) { try await chunk.create(on: tx) }
        return model
    }
}
