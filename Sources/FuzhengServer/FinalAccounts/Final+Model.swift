import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A unit's 部门决算 of a year: the approved budget, its adjustments, the year's payments, the published self-evaluations
/// and the year-end inputs (stored, or a first draft prefilled from the budget), built into Core's `FinalAccounts`,
/// its document and its findings.
struct FinalPage: Sendable {
    var unitCode: String
    var unitName: String
    var accounts: FinalAccounts
    var document: Disclosure
    var findings: [Finding]
    var version: Int
    var stored: Bool
    var published: Bool
    var publishedAt: Date?
    /// Saved since it was last published: the portal still shows the published figures.
    var changedSincePublished: Bool
    var canEdit: Bool

    var year: Int { accounts.fiscalYear }
    var path: String { SiteRoute.finalAccounts(code: unitCode, year: year).path }
    var errors: [Finding] { findings.filter { $0.severity == .error } }
    var warnings: [Finding] { findings.filter { $0.severity != .error } }

    static func find(unit: String, year: Int, on db: Database) async throws -> FinalAccountsModel? {
        try await FinalAccountsModel.query(on: db).filter(\.$unitCode == unit).filter(\.$year == year).first()
    }

    /// `asPublished`: the figures as last published (nil when it never was), as the portal shows them.
    static func query(on db: Database, principal: Principal?, unit: UnitModel, year: Int, asPublished: Bool = false)
        async throws -> FinalPage? {
        let stored = try await find(unit: unit.code, year: year, on: db)
        let inputs: FinalInputs?
        if asPublished {
            guard let published = try stored?.publishedInputs() else { return nil }
            inputs = published
        } else {
            inputs = try stored?.inputs()
        }
        guard var accounts = try await accounts(unit: unit.code, year: year, inputs: inputs, on: db)
        else { return nil }
        if accounts.inputs.prior == nil, let prior = try await find(unit: unit.code, year: year - 1, on: db),
           let last = try await Self.accounts(unit: unit.code, year: year - 1, inputs: try prior.inputs(), on: db) {
            accounts.inputs.prior = PriorFinal(income: last.totalIncome, expenditure: last.totalExpenditure,
                                               basic: last.basicExpenditure, project: last.projectExpenditure,
                                               threePublic: last.inputs.threePublic)
        }
        let document = FinalDisclosure.build(accounts)
        let canEdit = principal.map { AccessPolicy.allows($0, .editUnitBudget(unitCode: unit.code)) } ?? false
        return FinalPage(unitCode: unit.code, unitName: unit.name, accounts: accounts, document: document,
                         findings: FinalChecks.run(accounts, document: document), version: stored?.version ?? 0,
                         stored: stored != nil, published: stored?.isPublished ?? false,
                         publishedAt: stored?.publishedAt,
                         changedSincePublished: stored.map { $0.isPublished && $0.publishedJSON != $0.inputsJSON }
                             ?? false,
                         canEdit: canEdit && !asPublished)
    }

    /// The year's accounts with the given inputs, or with a first draft of them.
    static func accounts(unit: String, year: Int, inputs: FinalInputs?, on db: Database) async throws
        -> FinalAccounts? {
        guard let (model, budget) = try await BudgetStore.find(unitCode: unit, year: year, on: db),
              ["approved", "published"].contains(model.status),
              let sql = db as? SQLDatabase else { return nil }
        let adjustments = try await BudgetAdjustmentModel.query(on: db).filter(\.$unitCode == unit)
            .filter(\.$year == year).all().map(\.adjustment)
        struct Row: Decodable {
            var project_code: String
            var economic: String
            var fund: String
            var total: Int64?
        }
        let payments = try await sql.raw("""
            SELECT project_code, economic, fund, CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments \
            WHERE unit_code = \(bind: unit) AND year = \(bind: year) GROUP BY project_code, economic, fund \
            ORDER BY project_code, economic, fund
            """).all(decoding: Row.self).map {
                ProjectSpend(projectCode: $0.project_code, economic: $0.economic, fund: $0.fund,
                             amount: Fen($0.total ?? 0))
            }
        let published = try await ProjectEvaluationModel.query(on: db).filter(\.$unitCode == unit)
            .filter(\.$year == year).filter(\.$status == EvaluationStatus.published.rawValue)
            .sort(\.$projectCode).all()
        let evaluations: [EvaluationResult] = published.compactMap { m in
            guard let e = try? m.evaluation(), let s = try? SelfEvaluation.score(e, checked: false) else { return nil }
            return EvaluationResult(projectCode: e.projectCode, projectName: e.projectName, score: s.total,
                                    grade: s.grade)
        }
        let draft = FinalAccounts(budget: budget, adjustments: adjustments, payments: payments,
                                  inputs: inputs ?? Self.draft(budget), evaluations: evaluations)
        guard inputs == nil else { return draft }
        // A first draft closes each fund by the identity, so the clerk starts from balanced figures and corrects them.
        var closed = draft
        closed.inputs.funds = draft.inputs.funds.map { flow in
            var f = flow
            f.closing = f.opening + f.received - draft.spent(from: f.source)
            return f
        }
        return closed
    }

    /// Inputs prefilled from the budget: income as budgeted, basic spending as budgeted, the budget's 三公 and
    /// 机关运行经费, procurement by category, the assets as last stated. Counts start at zero.
    static func draft(_ b: Budget) -> FinalInputs {
        var funds: [FundFlow] = []
        for source in RevenueSource.allCases where source != .carryover {
            let amount = b.revenue(from: source)
            if amount != .zero || source == .generalPublicBudget {
                funds.append(FundFlow(source: source, opening: source == .generalPublicBudget
                                      ? b.revenue(from: .carryover) : .zero, received: amount))
            }
        }
        var assets = b.assets
        assets.asOf = "\(b.fiscalYear)-12-31"
        return FinalInputs(
            funds: funds, basicSpent: b.expenditure.filter { $0.kind == .basic },
            threePublic: b.threePublic.items, operatingCosts: b.operatingCosts.amount,
            procurement: ProcurementActual(goods: b.procurementTotal(.goods), works: b.procurementTotal(.works),
                                           services: b.procurementTotal(.services), sme: b.procurementSMEReserved),
            assets: assets)
    }
}
