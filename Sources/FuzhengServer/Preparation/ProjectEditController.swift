import Fluent
import FuzhengCore
import Plot
import Vapor

/// Editing one project: its money, use, target, spending plan and indicators.
enum ProjectEditController {
    struct ProjectForm: Content {
        var version: Int?
        var unit: String?
        var amount: String?
        var fiscalFunds: String?
        var otherFunds: String?
        var use: String?
        var target: String?
        var plan3: String?
        var plan6: String?
        var plan10: String?
        var plan12: String?
        var ind: [IndicatorRow]?
    }

    struct IndicatorRow: Content {
        var level1: String?
        var level2: String?
        var name: String?
        var description: String?
        var value: String?
        var basis: String?
        var delete: String?
    }

    static func project(_ loaded: BudgetEditing.Loaded, _ req: Request) throws -> (Int, Project) {
        let code = req.parameters.get("project") ?? ""
        guard let index = loaded.budget.projects.firstIndex(where: { $0.code == code }) else { throw Abort(.notFound) }
        return (index, loaded.budget.projects[index])
    }

    static func show(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let (_, project) = try project(loaded, req)
        let unit = MoneyUnit(formValue: try? req.query.get(String.self, at: "unit")) ?? .wan
        return ProjectEditView.render(req.pageContext(), loaded, project: project, unit: unit, form: nil, errors: [:],
                                      findings: findings(loaded.budget, project, loaded.unit), flash: req.takeFlashWithKind())
    }

    static func findings(_ b: Budget, _ p: Project, _ unit: UnitModel) -> [Finding] {
        RuleBook.check(b, context: RuleContext(regionCode: unit.department.region.code)).filter { $0.path.hasPrefix("projects[\(p.code)]") || $0.path == "projects" }
    }

    static func save(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let (index, project) = try project(loaded, req)
        let form = try req.content.decode(ProjectForm.self)
        let unit = MoneyUnit(formValue: form.unit) ?? .wan
        let l = req.l10n
        guard let formVersion = form.version else {
            return BudgetEditing.refuseIfStale(req, loaded, formVersion: nil, backTo: req.url.path)
                ?? Response(status: .badRequest)
        }
        if formVersion != loaded.model.version {
            return ProjectEditView.conflict(req.pageContext(), loaded, project: project, unit: unit, form: form)
        }
        var errors: [String: String] = [:]
        let amount = BudgetEditing.amount(form.amount, unit: unit, field: "amount", label: l("edit.projectAmount"), errors: &errors, l: l)
        let fiscal = BudgetEditing.amount(form.fiscalFunds, unit: unit, field: "fiscalFunds", label: l("budget.fiscalFunds"), errors: &errors, l: l)
        let other = BudgetEditing.amount(form.otherFunds, unit: unit, field: "otherFunds", label: l("budget.otherFunds"), errors: &errors, l: l)
        var plan: [SpendingCheckpoint] = []
        for (month, text) in [(3, form.plan3), (6, form.plan6), (10, form.plan10), (12, form.plan12)] {
            guard case .success(let percent) = NumberInput.percent(text ?? "") else {
                errors["plan\(month)"] = l("edit.error.percent", String(month))
                continue
            }
            plan.append(SpendingCheckpoint(month: month, percent: percent))
        }
        var indicators: [Indicator] = []
        for (i, row) in (form.ind ?? []).enumerated() where row.delete == nil {
            let name = (row.name ?? "").trimmingCharacters(in: .whitespaces)
            let value = (row.value ?? "").trimmingCharacters(in: .whitespaces)
            if name.isEmpty && value.isEmpty { continue }  // the blank row for adding one
            if name.isEmpty { errors["ind[\(i)].name"] = l("edit.error.indicatorName"); continue }
            if value.isEmpty { errors["ind[\(i)].value"] = l("edit.error.indicatorValue"); continue }
            let (comparator, number, unitText) = Indicator.parseValue(value)
            indicators.append(Indicator(level1: row.level1 ?? "", level2: row.level2 ?? "", name: name, description: row.description ?? "",
                                        comparator: comparator, value: number, unit: unitText, basis: row.basis ?? ""))
        }
        guard errors.isEmpty, let amount, let fiscal, let other else {
            return ProjectEditView.render(req.pageContext(), loaded, project: project, unit: unit, form: form, errors: errors,
                                          findings: [], flash: nil, status: .unprocessableEntity)
        }
        var changed = loaded.budget
        var p = project
        p.amount = amount
        p.fiscalFunds = fiscal
        p.otherFunds = other
        p.use = form.use ?? ""
        p.target = form.target ?? ""
        p.spendingPlan = plan
        p.indicators = indicators
        changed.projects[index] = p
        changed.fillUnstatedTotals()
        let saved = try await BudgetEditing.save(req, loaded, changed, formVersion: formVersion,
                                     summary: "project \(p.code): before amount \(project.amount.readable), indicators \(project.indicators.count) | after amount \(p.amount.readable), indicators \(p.indicators.count)")
        guard saved else {
            let fresh = try await BudgetEditing.load(req)
            let (_, current) = try Self.project(fresh, req)
            return ProjectEditView.conflict(req.pageContext(), fresh, project: current, unit: unit, form: form)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.budgetEditProject(code: loaded.unit.code, year: changed.fiscalYear, project: p.code).path + "?unit=\(unit.formValue)#findings")
    }
}

extension MoneyUnit {
    /// The form's value for the unit select ("wan" / "yuan"), kept ASCII for URLs.
    var formValue: String { self == .wan ? "wan" : "yuan" }

    init?(formValue: String?) {
        switch formValue {
        case "wan", "万元": self = .wan
        case "yuan", "元": self = .yuan
        default: return nil
        }
    }
}
