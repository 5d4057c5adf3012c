import Fluent
import Foundation
import FuzhengCore

/// One unit's budget for one year. Summary figures are columns so county-wide queries (三公,
/// 机关运行经费, totals by unit) stay plain SQL; the whole budget is also kept as its JSON document,
/// from which every page and export is built.
final class BudgetModel: Model, @unchecked Sendable {
    static let schema = "budgets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "status") var status: String
    @Field(key: "revenue_fen") var revenueFen: Int64
    @Field(key: "expenditure_fen") var expenditureFen: Int64
    @Field(key: "basic_fen") var basicFen: Int64
    @Field(key: "personnel_fen") var personnelFen: Int64
    @Field(key: "public_use_fen") var publicUseFen: Int64
    @Field(key: "project_fen") var projectFen: Int64
    @Field(key: "operating_costs_fen") var operatingCostsFen: Int64
    @Field(key: "outbound_travel_fen") var outboundTravelFen: Int64
    @Field(key: "vehicle_purchase_fen") var vehiclePurchaseFen: Int64
    @Field(key: "vehicle_operation_fen") var vehicleOperationFen: Int64
    @Field(key: "reception_fen") var receptionFen: Int64
    @Field(key: "procurement_fen") var procurementFen: Int64
    @Field(key: "document") var document: String
    @Field(key: "version") var version: Int
    /// When the finance bureau approved it (M005); the 20-day publication rule counts from here.
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func apply(_ budget: Budget) throws {
        fiscalYear = budget.fiscalYear
        status = budget.status.rawValue
        revenueFen = budget.totalRevenue.value
        expenditureFen = budget.totalExpenditure.value
        basicFen = budget.basicExpenditure.value
        personnelFen = budget.personnelExpenditure.value
        publicUseFen = budget.publicUseExpenditure.value
        projectFen = budget.projectExpenditure.value
        operatingCostsFen = budget.operatingCosts.amount.value
        outboundTravelFen = budget.threePublic.items.outboundTravel.value
        vehiclePurchaseFen = budget.threePublic.items.vehiclePurchase.value
        vehicleOperationFen = budget.threePublic.items.vehicleOperation.value
        receptionFen = budget.threePublic.items.reception.value
        procurementFen = budget.procurementTotal.value
        document = try BudgetJSON.encode(budget)
    }

    func decoded() throws -> Budget { try BudgetJSON.decode(document) }
}

/// Projects, their procurement lines and expenditure lines as rows, rewritten on every save.
final class BudgetProjectModel: Model, @unchecked Sendable {
    static let schema = "budget_projects"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: BudgetModel
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "fund_document") var fundDocument: String?
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "fiscal_fen") var fiscalFen: Int64
    @Field(key: "other_fen") var otherFen: Int64
    @Field(key: "indicator_count") var indicatorCount: Int
    /// The 资金支出计划 as "3:25,6:50,…" (M030), for the execution pages.
    @OptionalField(key: "spending_plan") var spendingPlan: String?
    init() {}
}

final class BudgetProcurementLineModel: Model, @unchecked Sendable {
    static let schema = "budget_procurement_lines"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: BudgetModel
    @Field(key: "position") var position: Int
    @OptionalField(key: "project_code") var projectCode: String?
    @Field(key: "item_name") var itemName: String
    @Field(key: "catalog_code") var catalogCode: String
    @Field(key: "unit_of_measure") var unitOfMeasure: String
    @Field(key: "quantity_thousandths") var quantityThousandths: Int64
    @Field(key: "unit_price_fen") var unitPriceFen: Int64
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "sme_fen") var smeFen: Int64
    init() {}
}

final class BudgetExpenditureLineModel: Model, @unchecked Sendable {
    static let schema = "budget_expenditure_lines"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: BudgetModel
    @Field(key: "position") var position: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "basic_category") var basicCategory: String?
    @OptionalField(key: "project_code") var projectCode: String?
    @OptionalField(key: "label") var label: String?
    @OptionalField(key: "function_code") var functionCode: String?
    @OptionalField(key: "economic_code") var economicCode: String?
    @Field(key: "fund_source") var fundSource: String
    @Field(key: "amount_fen") var amountFen: Int64
    init() {}
}

/// The JSON form of a budget, documented in docs/budget-json.md.
public enum BudgetJSON {
    public static func encode(_ budget: Budget) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(budget), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> Budget {
        try JSONDecoder().decode(Budget.self, from: Data(text.utf8))
    }
}

struct M004CreateBudgets: AsyncMigration {
    var name: String { "M004CreateBudgets" }

    func prepare(on database: Database) async throws {
        try await database.schema(BudgetModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("fiscal_year", .int, .required)
            .field("status", .string, .required)
            .field("revenue_fen", .int64, .required)
            .field("expenditure_fen", .int64, .required)
            .field("basic_fen", .int64, .required)
            .field("personnel_fen", .int64, .required)
            .field("public_use_fen", .int64, .required)
            .field("project_fen", .int64, .required)
            .field("operating_costs_fen", .int64, .required)
            .field("outbound_travel_fen", .int64, .required)
            .field("vehicle_purchase_fen", .int64, .required)
            .field("vehicle_operation_fen", .int64, .required)
            .field("reception_fen", .int64, .required)
            .field("procurement_fen", .int64, .required)
            .field("document", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "fiscal_year")
            .create()
        try await database.schema(BudgetProjectModel.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(BudgetModel.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("fund_document", .string)
            .field("amount_fen", .int64, .required)
            .field("fiscal_fen", .int64, .required)
            .field("other_fen", .int64, .required)
            .field("indicator_count", .int, .required)
            .create()
        try await database.schema(BudgetProcurementLineModel.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(BudgetModel.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("project_code", .string)
            .field("item_name", .string, .required)
            .field("catalog_code", .string, .required)
            .field("unit_of_measure", .string, .required)
            .field("quantity_thousandths", .int64, .required)
            .field("unit_price_fen", .int64, .required)
            .field("amount_fen", .int64, .required)
            .field("sme_fen", .int64, .required)
            .create()
        try await database.schema(BudgetExpenditureLineModel.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(BudgetModel.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("basic_category", .string)
            .field("project_code", .string)
            .field("label", .string)
            .field("function_code", .string)
            .field("economic_code", .string)
            .field("fund_source", .string, .required)
            .field("amount_fen", .int64, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BudgetExpenditureLineModel.schema).delete()
        try await database.schema(BudgetProcurementLineModel.schema).delete()
        try await database.schema(BudgetProjectModel.schema).delete()
        try await database.schema(BudgetModel.schema).delete()
    }
}
