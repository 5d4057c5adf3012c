import Fluent
import FuzhengCore
import Plot
import Vapor

/// Moves a budget along its approval path. The core `Workflow` decides what is allowed; nothing
/// else can change a status, so no illegal transition is possible through HTTP either.
enum WorkflowController {
    struct StepForm: Content {
        var action: String?
        var comment: String?
        var version: Int?
        /// "1" from the confirmation page: approving and returning are asked twice, the second time with what changed.
        var confirmed: String?
    }

    /// The steps an approver confirms on a page that shows what changed.
    static let confirmedSteps: Set<WorkflowAction> = [.unitApprove, .financeReview, .financeApprove, .sendBack]

    /// Who took the 财政审核 step of this round (the latest review: a return starts a new round that needs one).
    static func reviewer(budgetID: UUID, on db: Database) async throws -> String? {
        try await BudgetEventModel.query(on: db).filter(\.$budget.$id == budgetID)
            .filter(\.$action == WorkflowAction.financeReview.rawValue).sort(\.$at, .descending).first()?.username
    }

    static func act(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let code = req.parameters.get("code") ?? ""
        try await req.require(.readUnitBusiness(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let unit = try await OrganisationQueries.unit(code: code, on: req.db),
              let (model, budget) = try await BudgetStore.find(unitCode: code, year: year, on: req.db)
        else { throw Abort(.notFound) }
        let form = try req.content.decode(StepForm.self)
        guard let action = form.action.flatMap(WorkflowAction.init(rawValue:)) else { throw Abort(.badRequest) }
        let budgetPath = SiteRoute.budget(code: code, year: year).path
        let comment = (form.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let errors = RuleBook.check(budget,
            context: RuleContext(regionCode: unit.department.region.code)).filter { $0.severity == .error }.count
        let reviewedBy = action == .financeApprove ? try await reviewer(budgetID: model.requireID(), on: req.db) : nil
        let confirming = confirmedSteps.contains(action) && form.confirmed != "1"
        func confirmation() async throws -> Response {
            let comparison = try await ApprovalComparison.query(on: req.db, unitCode: code, budgetID: model.requireID(),
                                                                budget: budget)
            return ApprovalConfirmView.render(req.pageContext(), ApprovalConfirmModel(
                unitCode: code, unitName: unit.name, year: year, action: action, status: budget.status,
                version: model.version, comment: form.comment ?? "", comparison: comparison))
        }
        switch Workflow.next(budget.status, action, by: user.principal, unitCode: code, comment: comment,
            errorCount: errors,
                             actor: user.username, reviewedBy: reviewedBy,
                             separateDuties: req.application.fuzheng.config.separateDuties) {
        case .failure(.notYourStep), .failure(.notAllowedFromStatus):
            try await req.audit(AuditEvent(.accessDenied, objectType: "budget", objectID: "\(code)/\(year)",
                                           summary: "workflow \(action.rawValue) from \(budget.status.rawValue)",
                                               result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        case .failure(.commentRequired):
            if confirming { return try await confirmation() }
            req.setFlash("workflow.commentRequired", error: true)
            return req.redirect(within: budgetPath + "#workflow")
        case .failure(.sameAsReviewer):
            try await req.audit(AuditEvent(.accessDenied, objectType: "budget", objectID: "\(code)/\(year)",
                                           summary: "workflow \(action.rawValue) refused: the same person reviewed it",
                                           result: .denied))
            req.setFlash("workflow.sameReviewer", error: true)
            return req.redirect(within: budgetPath + "#workflow")
        case .failure(.hasErrors):
            req.setFlash("workflow.hasErrors", error: true)
            return req.redirect(within: budgetPath + "#findings")
        case .success(let to):
            if action == .publish {
                return req.redirect(within: SiteRoute.budgetPublish(code: code, year: year).path)
            }
            if confirming { return try await confirmation() }
            // The version is checked again in the write; this only spares a doomed transaction.
            guard let formVersion = form.version, formVersion == model.version else {
                req.setFlash("workflow.conflict", error: true)
                return req.redirect(within: budgetPath)
            }
            let now = req.now
            let delegator = Workflow.delegator(of: action, by: user.principal, status: budget.status, unitCode: code)
            if let delegator { req.actingFor = delegator }
            // Stored as the record shows it to everyone: the deputy's own name, marked 代 whom.
            let actorName = delegator.map { "\(user.displayName)（代 \($0.displayName)）" } ?? user.displayName
            var moved = budget
            moved.status = to
            let from = budget.status
            do {
                try await req.audited { [moved] tx, audit in
                    try await BudgetStore.claimNextVersion(budgetID: model.requireID(), expected: formVersion, on: tx)
                    // An approved budget joins the execution pages.
                    try await CacheGenerations.bump(CacheGenerations.execution, on: tx)
                    try model.apply(moved)
                    model.version = formVersion + 1
                    if to == .approved { model.approvedAt = now }
                    try await model.save(on: tx)
                    let event = BudgetEventModel()
                    event.$budget.id = try model.requireID()
                    event.at = now
                    event.username = user.username
                    event.displayName = actorName
                    event.action = action.rawValue
                    event.fromStatus = from.rawValue
                    event.toStatus = to.rawValue
                    event.comment = comment
                    try await event.create(on: tx)
                    if action == .submit {
                        try await Submissions.freeze(moved, budgetID: model.requireID(), by: user.username, at: now,
                            on: tx)
                    }
                    try await Notifier.settle(link: budgetPath, at: now, on: tx)
                    // The preparer hears of every step, unless the step now waits for them anyway.
                    if !Workflow.isBackward(action), Workflow.nextActor(after: to) != .unitFinance {
                        try await Notifier.notify(role: .unitFinance, unitCode: code, message: Message(
                            "workflow.notify.progress", String(year), unit.name, "@budget.status.\(to.rawValue)",
                            actorName), link: budgetPath, at: now, on: tx)
                    }
                    if action == .sendBack {
                        try await Notifier.notify(role: .unitFinance, unitCode: code, message: Message(
                            "workflow.notify.sentBack", String(year), unit.name, actorName, comment),
                            link: budgetPath, at: now, on: tx)
                    } else if action != .withdraw, let next = Workflow.nextActor(after: to) {
                        try await Notifier.notify(role: next, unitCode: code, message: Message(
                            "workflow.notify.next", String(year), unit.name, "@budget.status.\(to.rawValue)"),
                            link: budgetPath, at: now, on: tx)
                    }
                    audit.add(AuditEvent(.update, objectType: "budget", objectID: "\(code)/\(year)",
                                         summary: "workflow \(action.rawValue): \(from.rawValue) → \(to.rawValue)" + (comment.isEmpty ? "" : "; comment: \(comment)")))
                }
            } catch is BudgetConflict {
                req.setFlash("workflow.conflict", error: true)
                return req.redirect(within: budgetPath)
            }
            req.setFlash("workflow.done.\(action.rawValue)")
            return req.redirect(within: budgetPath)
        }
    }

    static func history(budgetID: UUID, on db: Database) async throws -> [BudgetEventModel] {
        try await BudgetEventModel.query(on: db).filter(\.$budget.$id == budgetID).sort(\.$at, .descending).all()
    }
}

/// The workflow part of the budget page: where it stands, what this person may do, what happened.
enum WorkflowView {
    static let path: [BudgetStatus] = [.draft, .submitted, .unitApproved, .financeReviewed, .approved, .published]

    static func render(_ ctx: PageContext, unitCode: String, year: Int, status: BudgetStatus, version: Int,
                       actions: [Workflow.Transition], history: [BudgetEventModel]) -> Node<HTML.BodyContext> {
        let l = ctx.l
        let target = SiteRoute.budgetWorkflow(code: unitCode, year: year).path
        return .section(
            .id("workflow"), .class("budget-part"),
            .h2(.text(l("workflow.title"))),
            .ol(.class("stepper"), .forEach(path) { s in
                .li(.class(s == status ? "current" : (path.firstIndex(of: s)! < path.firstIndex(of: status)! ? "done" : "")),
                    .text(l("budget.status.\(s.rawValue)")))
            }),
            .if(actions.isEmpty, .p(.class("muted"), .text(l("workflow.noActions")))),
            .forEach(actions) { t in
                .form(
                    .class("card workflow-action"), .method(.post), .action(target),
                    Form.csrf(ctx.csrfToken ?? ""),
                    .input(.type(.hidden), .name("action"), .value(t.action.rawValue)),
                    .input(.type(.hidden), .name("version"), .value(String(version))),
                    Form.textarea(label: l(t.action == .sendBack ? "workflow.commentRequired.label" : "workflow.comment"), name: "comment", value: "", rows: 2),
                    .button(.type(.submit), .class(Workflow.isBackward(t.action) ? "button danger" : "button primary"),
                            .text(l(t.action.labelKey)))
                )
            },
            .h3(.text(l("workflow.history"))),
            .if(history.isEmpty, .p(.class("empty"), .text(l("workflow.noHistory")))),
            .ul(.class("plain history"), .forEach(history) { e in
                .li(.text("\(AuditFilter.display(e.at)) · \(e.displayName) · \(l("workflow.action.\(e.action)"))：\(l("budget.status.\(e.fromStatus)")) → \(l("budget.status.\(e.toStatus)"))"),
                    .if(!e.comment.isEmpty, .span(.class("muted"), .text(" — " + e.comment))))
            })
        )
    }
}
