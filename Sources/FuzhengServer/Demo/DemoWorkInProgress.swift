import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A first start should show the finance bureau work waiting on its 工作台: the demo finance bureau's own 2024 budget,
/// submitted and approved in the unit, waiting for 财政审核. Loaded by `serve` with the demo organisation only
/// (like `DemoOperations`), never in tests, so the Huailai office's 2024 stays free for the stories that create it.
enum DemoWorkInProgress {
    static let unitCode = "436001"

    static func load(_ app: Application) async throws {
        guard let unit = try await OrganisationQueries.unit(code: unitCode, on: app.db),
              try await BudgetStore.find(unitCode: unitCode, year: 2024, on: app.db) == nil
        else { return }
        var budget = try DemoSeeder.demoBudget().copiedForNextYear()
        // The office's words under the bureau's name: a demo, said so on the unit's page.
        let office = "怀来县人民政府办公室"
        budget.rewriteTextFields { $0.replacingOccurrences(of: office, with: unit.name) }
        budget.department = OrgRef(code: unit.department.code, name: unit.department.name)
        budget.units = [UnitProfileData(code: unit.code, name: unit.name, nature: unit.nature, grade: unit.grade,
                                        fundingForm: unit.fundingForm)]
        budget.status = .unitApproved
        let now = app.fuzheng.clock.now()
        let submitted = now.addingTimeInterval(-2 * 86_400)
        let frozen = budget
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            let model = try await BudgetStore.save(frozen, unitID: unit.requireID(), on: tx)
            let budgetID = try model.requireID()
            for (i, step) in [("caiwu2", "陈会计", WorkflowAction.submit, BudgetStatus.draft, BudgetStatus.submitted),
                              ("caiwu2", "陈会计", .unitApprove, .submitted, .unitApproved)].enumerated() {
                let event = BudgetEventModel()
                event.$budget.id = budgetID
                event.at = submitted.addingTimeInterval(Double(i) * 3_600)
                event.username = step.0
                event.displayName = step.1
                event.action = step.2.rawValue
                event.fromStatus = step.3.rawValue
                event.toStatus = step.4.rawValue
                event.comment = i == 0 ? "演示：2024年部门预算草稿已编制完成。" : ""
                try await event.create(on: tx)
            }
            var asSubmitted = frozen
            asSubmitted.status = .submitted
            try await Submissions.freeze(asSubmitted, budgetID: budgetID, by: "caiwu2", at: submitted, on: tx)
            try await Notifier.notify(role: .financeReviewer, unitCode: unitCode, message: Message(
                "workflow.notify.next", "2024", unit.name, "@budget.status.unit_approved"),
                link: SiteRoute.budget(code: unitCode, year: 2024).path, at: submitted.addingTimeInterval(3_600), on: tx)
            audit.add(AuditEvent(.create, objectType: "budget", objectID: "\(unitCode)/2024",
                                 summary: "seed: demo work in progress (unit-approved, waiting for 财政审核)"))
        }
    }
}
