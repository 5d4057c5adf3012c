import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One payment (支付) of a unit in a year: imported from the treasury's export or entered by hand. `month` is what a
/// re-import replaces; amounts in 分.
final class PaymentModel: Model, @unchecked Sendable {
    static let schema = "payments"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "month") var month: String
    @Field(key: "project_code") var projectCode: String
    @Field(key: "line") var line: String
    @Field(key: "paid_on") var paidOn: String
    @OptionalField(key: "planned_on") var plannedOn: String?
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "fund") var fund: String
    @Field(key: "economic") var economic: String
    @Field(key: "payee") var payee: String
    /// import or form.
    @Field(key: "source") var source: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// 预算调整: 追加, 调减, 调剂 of one project, with the 文号 that decided it.
final class BudgetAdjustmentModel: Model, @unchecked Sendable {
    static let schema = "budget_adjustments"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "project_code") var projectCode: String
    @Field(key: "kind") var kind: String
    @Field(key: "number") var number: String
    @Field(key: "day") var day: String
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var adjustment: BudgetAdjustment {
        BudgetAdjustment(kind: BudgetAdjustment.Kind(rawValue: kind) ?? .transfer, projectCode: projectCode,
                         number: number, day: CivilDay(day) ?? CivilDay(year: year, month: 1, day: 1),
                         amount: Fen(amountFen))
    }
}

struct M030CreateExecution: AsyncMigration {
    var name: String { "M030CreateExecution" }

    func prepare(on database: Database) async throws {
        try await database.schema(BudgetProjectModel.schema).field("spending_plan", .string).update()
        try await database.schema(PaymentModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("month", .string, .required)
            .field("project_code", .string, .required)
            .field("line", .string, .required)
            .field("paid_on", .string, .required)
            .field("planned_on", .string)
            .field("amount_fen", .int64, .required)
            .field("fund", .string, .required)
            .field("economic", .string, .required)
            .field("payee", .string, .required)
            .field("source", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(BudgetAdjustmentModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("project_code", .string, .required)
            .field("kind", .string, .required)
            .field("number", .string, .required)
            .field("day", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // Paid per project, kept with the payments (one row per unit, year and project; "" for 基本支出): the
        // county page reads 3,000 of these, not 500,000 payments.
        try await database.schema(ExecutionTotals.schema)
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("project_code", .string, .required)
            .field("paid_fen", .int64, .required)
            .field("payments", .int, .required)
            .unique(on: "unit_code", "year", "project_code")
            .create()
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX payments_unit_year_month ON payments (unit_code, year, month)").run()
        try await sql.raw("CREATE INDEX payments_unit_project ON payments (unit_code, year, project_code, paid_on)")
            .run()
        try await sql.raw("CREATE INDEX budget_adjustments_unit ON budget_adjustments (unit_code, year, project_code)")
            .run()
        // The plans of budgets stored before this column existed.
        for budget in try await BudgetModel.query(on: database).all() {
            guard let decoded = try? budget.decoded() else { continue }
            for p in decoded.projects {
                try await sql.update(BudgetProjectModel.schema)
                    .set("spending_plan", to: SpendingCheckpoint.encode(p.spendingPlan))
                    .where("budget_id", .equal, budget.requireID()).where("code", .equal, p.code).run()
            }
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(ExecutionTotals.schema).delete()
        try await database.schema(BudgetAdjustmentModel.schema).delete()
        try await database.schema(PaymentModel.schema).delete()
        try await database.schema(BudgetProjectModel.schema).deleteField("spending_plan").update()
    }
}

/// The per-project sums of `payments`, recomputed inside the transaction that changes a unit's payments.
enum ExecutionTotals {
    static let schema = "execution_totals"

    static func recompute(units: Set<String>, year: Int, on tx: Database) async throws {
        guard let sql = tx as? SQLDatabase, !units.isEmpty else { return }
        try await CacheGenerations.bump(CacheGenerations.execution, on: tx)
        for chunk in Array(units).sorted().chunked(by: 200) {
            let codes = Array(chunk)
            try await sql.delete(from: schema).where("year", .equal, year).where("unit_code", .in, codes).run()
            try await sql.raw("""
                INSERT INTO execution_totals (unit_code, year, project_code, paid_fen, payments)
                SELECT unit_code, year, project_code, CAST(SUM(amount_fen) AS BIGINT), COUNT(*) FROM payments
                WHERE year = \(bind: year) AND unit_code IN (\(binds: codes))
                GROUP BY unit_code, year, project_code
                """).run()
        }
    }
}
