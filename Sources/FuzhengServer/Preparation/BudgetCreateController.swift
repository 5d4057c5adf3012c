import Fluent
import FuzhengCore
import Plot
import Vapor

/// 单位财务 starts a year's budget: copied from last year's, empty, or read from last year's
/// published disclosure text.
enum BudgetCreateController {
    struct CreateForm: Content {
        var year: String?
        var source: String?
        var text: String?
    }

    static func show(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.editUnitBudget(unitCode: code))
        guard let unit = try await OrganisationQueries.unit(code: code, on: req.db) else { throw Abort(.notFound) }
        let years = try await BudgetStore.years(unitID: unit.requireID(), on: req.db).map(\.fiscalYear)
        let next = (years.first ?? Calendar.current.component(.year, from: req.now)) + 1
        return BudgetCreateView.render(req.pageContext(), unit: unit, form: CreateForm(year: String(next), source: years.isEmpty ? "empty" : "copy"),
                                       errors: [:], hasPrevious: !years.isEmpty)
    }

    static func create(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.editUnitBudget(unitCode: code))
        guard let unit = try await OrganisationQueries.unit(code: code, on: req.db) else { throw Abort(.notFound) }
        let form = try req.content.decode(CreateForm.self)
        let l = req.l10n
        var errors: [String: String] = [:]
        let years = try await BudgetStore.years(unitID: unit.requireID(), on: req.db).map(\.fiscalYear)
        guard case .success(let year) = NumberInput.integer(form.year ?? "", range: 2000...2100) else {
            errors["year"] = l("create.error.year")
            return BudgetCreateView.render(req.pageContext(), unit: unit, form: form, errors: errors, hasPrevious: !years.isEmpty, status: .unprocessableEntity)
        }
        if years.contains(year) {
            errors["year"] = l("create.error.exists", String(year))
            return BudgetCreateView.render(req.pageContext(), unit: unit, form: form, errors: errors, hasPrevious: !years.isEmpty, status: .unprocessableEntity)
        }
        var budget: Budget
        switch form.source {
        case "copy":
            guard let (_, previous) = try await BudgetStore.find(unitCode: code, year: year - 1, on: req.db) else {
                errors["source"] = l("create.error.noPrevious", String(year - 1))
                return BudgetCreateView.render(req.pageContext(), unit: unit, form: form, errors: errors, hasPrevious: !years.isEmpty, status: .unprocessableEntity)
            }
            budget = previous.copiedForNextYear()
            budget.fiscalYear = year
        case "import":
            guard (form.text ?? "").utf8.count <= InputLimits.pastedDisclosureBytes else {
                errors["text"] = l("create.error.textTooLarge", String(InputLimits.pastedDisclosureBytes / 1024))
                return BudgetCreateView.render(req.pageContext(), unit: unit, form: form, errors: errors,
                                               hasPrevious: !years.isEmpty, status: .payloadTooLarge)
            }
            do {
                budget = try DisclosureImporter.importBudget(form.text ?? "", source: l("create.pasted"))
            } catch {
                errors["text"] = error.issues.prefix(8).map { l.language == .zh ? "第\($0.line)行：\($0.messageZh)" : "line \($0.line): \($0.messageEn)" }
                    .joined(separator: "；")
                return BudgetCreateView.render(req.pageContext(), unit: unit, form: form, errors: errors, hasPrevious: !years.isEmpty, status: .unprocessableEntity)
            }
            // A published disclosure is last year's: it becomes this year's starting point.
            budget = budget.fiscalYear == year ? budget : budget.copiedForNextYear()
            budget.fiscalYear = year
            budget.status = .draft
        default:
            budget = Budget(fiscalYear: year, department: OrgRef(code: unit.department.code, name: unit.department.name),
                            units: [UnitProfileData(code: unit.code, name: unit.name, nature: unit.nature, grade: unit.grade, fundingForm: unit.fundingForm)],
                            narrative: Narrative(duties: unit.duties))
        }
        let draft = budget
        let unitID = try unit.requireID()
        try await req.audited { tx, audit in
            try await BudgetStore.save(draft, unitID: unitID, on: tx)
            audit.add(AuditEvent(.create, objectType: "budget", objectID: "\(code)/\(year)", summary: "created from \(form.source ?? "empty")"))
        }
        req.setFlash("create.done")
        return req.redirect(within: SiteRoute.budget(code: code, year: year).path)
    }
}

enum BudgetCreateView {
    static func render(_ ctx: PageContext, unit: UnitModel, form: BudgetCreateController.CreateForm, errors: [String: String],
                       hasPrevious: Bool, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let options: [(String, String)] = (hasPrevious ? [("copy", l("create.copy"))] : []) + [("empty", l("create.empty")), ("import", l("create.import"))]
        return Layout.page(
            ctx, title: l("create.title", unit.name),
            .form(
                .class("card"), .method(.post), .action(SiteRoute.budgetNew(code: unit.code).path), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                Form.field(label: l("create.year"), name: "year", value: form.year ?? "", error: errors["year"], required: true, inputMode: "numeric"),
                Form.select(label: l("create.source"), name: "source", options: options, selected: form.source ?? "copy", error: errors["source"]),
                Form.textarea(label: l("create.text"), name: "text", value: form.text ?? "", error: errors["text"], rows: 6),
                .p(.class("hint"), .text(l("create.textHint"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("create.submit"))),
                     .a(.class("button secondary"), .href(SiteRoute.unit(code: unit.code).path), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }
}
