import FuzhengCore
import Plot
import Vapor

/// The read-only budget page of a unit and year, with its findings.
enum BudgetController {
    static func show(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.readUnitBusiness(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let unit = try await OrganisationQueries.unit(code: code, on: req.db),
              let (model, budget) = try await BudgetStore.find(unitCode: code, year: year, on: req.db)
        else { throw Abort(.notFound) }
        let findings = RuleBook.check(budget, context: RuleContext(regionCode: unit.department.region.code))
        let canEdit = AccessPolicy.allows(req.principal, .editUnitBudget(unitCode: code))
        let canPublish = canEdit && (budget.status == .approved || budget.status == .published)
        let actions = Workflow.actions(for: req.principal, status: budget.status, unitCode: code).filter { $0.action != .publish }
        let history = try await WorkflowController.history(budgetID: model.requireID(), on: req.db)
        return BudgetPage.render(req.pageContext(), BudgetPageModel(unitCode: code, unitName: unit.name, budget: budget,
                                                                     findings: findings, version: model.version, canPublish: canPublish,
                                                                     canEdit: canEdit && budget.status == .draft, actions: actions,
                                                                     history: history, flash: req.takeFlashWithKind()))
    }
}

struct BudgetPageModel: Sendable {
    var unitCode: String
    var unitName: String
    var budget: Budget
    var findings: [Finding]
    var version: Int
    var canPublish = false
    var canEdit = false
    var actions: [Workflow.Transition] = []
    var history: [BudgetEventModel] = []
    var flash: (text: String, isError: Bool)?

    /// The page section a finding's path points into.
    static func anchor(for path: String) -> String {
        if path.hasPrefix("projects["), let end = path.firstIndex(of: "]") {
            return "project-" + path[path.index(path.startIndex, offsetBy: 9)..<end]
        }
        let prefixes: [(String, String)] = [
            ("stated.total_revenue", "revenue"), ("revenue", "revenue"), ("stated.total_expenditure", "expenditure"),
            ("stated.basic", "expenditure"), ("stated.personnel", "expenditure"), ("stated.public_use", "expenditure"),
            ("stated.project", "expenditure"), ("expenditure", "expenditure"), ("prior", "changes"),
            ("threePublic", "three-public"), ("operatingCosts", "operating-costs"), ("stated.procurement", "procurement"),
            ("procurement", "procurement"), ("stated.assets", "assets"), ("assets", "assets"),
            ("narrative.glossary", "glossary"), ("narrative", "narrative"),
        ]
        return prefixes.first { path.hasPrefix($0.0) }?.1 ?? "summary"
    }
}
