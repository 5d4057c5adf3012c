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
    /// What the accounts were built from (as published, on the portal).
    var sources: FinalSources
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

    /// `asPublished`: the document as last published (nil when it never was), as the portal shows it — its inputs and,
    /// when kept (published since M039), the budget, payments and evaluations as they stood then.
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
        let kept = try stored?.publishedSources()
        let sources: FinalSources
        if asPublished, let kept {
            sources = kept
        } else {
            // Inputs that state last year's totals (every saved one: the form carries them) need no prior 决算.
            guard let live = try await Self.sources(unit: unit.code, year: year, on: db,
                                                    withPrior: inputs?.prior == nil) else { return nil }
            sources = live
        }
        let accounts = Self.accounts(sources, inputs: inputs)
        let document = FinalDisclosure.build(accounts)
        let canEdit = principal.map { AccessPolicy.allows($0, .editUnitBudget(unitCode: unit.code)) } ?? false
        let sourcesMoved = kept.map { $0.asShown != sources.asShown } ?? false
        let changed = stored.map { $0.isPublished && ($0.publishedJSON != $0.inputsJSON || sourcesMoved) } ?? false
        return FinalPage(unitCode: unit.code, unitName: unit.name, accounts: accounts, sources: sources,
                         document: document, findings: FinalChecks.run(accounts, document: document),
                         version: stored?.version ?? 0, stored: stored != nil,
                         published: stored?.isPublished ?? false, publishedAt: stored?.publishedAt,
                         changedSincePublished: changed, canEdit: canEdit && !asPublished)
    }

    /// The year's accounts with the given inputs, or with a first draft of them.
    static func accounts(unit: String, year: Int, inputs: FinalInputs?, on db: Database) async throws
        -> FinalAccounts? {
        try await sources(unit: unit, year: year, on: db).map { accounts($0, inputs: inputs) }
    }

    static func accounts(_ sources: FinalSources, inputs: FinalInputs?) -> FinalAccounts {
        let draft = FinalAccounts(sources, inputs: inputs ?? Self.draft(sources.budget))
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

    /// What the year's 决算 is built from today: the approved budget, its adjustments, the payments by project, class
    /// and fund, the published self-evaluations, and last year's 决算 totals when there is one.
    static func sources(unit: String, year: Int, on db: Database, withPrior: Bool = true) async throws
        -> FinalSources? {
        guard let (model, budget) = try await BudgetStore.find(unitCode: unit, year: year, on: db),
              ["approved", "published"].contains(model.status),
              let sql = db as? SQLDatabase else { return nil }
        let adjustments = try await BudgetAdjustmentModel.query(on: db).filter(\.$unitCode == unit)
            .filter(\.$year == year).sort(\.$createdAt).sort(\.$id).all().map(\.adjustment)
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
        var prior: PriorFinal?
        if withPrior, let last = try await find(unit: unit, year: year - 1, on: db),
           let before = try await sources(unit: unit, year: year - 1, on: db, withPrior: false) {
            let a = accounts(before, inputs: try last.inputs())
            prior = PriorFinal(income: a.totalIncome, expenditure: a.totalExpenditure, basic: a.basicExpenditure,
                               project: a.projectExpenditure, threePublic: a.inputs.threePublic)
        }
        return FinalSources(budget: budget, adjustments: adjustments, payments: payments, evaluations: evaluations,
                            prior: prior)
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
