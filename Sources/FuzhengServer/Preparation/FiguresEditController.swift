import Fluent
import FuzhengCore
import Plot
import Vapor

/// Editing the figures of a budget: revenue by source, expenditure lines with their
/// classifications, 三公, 机关运行经费, the reasons for changes, and the totals as the disclosure states
/// them: what the clerk types is kept and checked against the lines; a blank total is filled from them.
enum FiguresEditController {
    struct FiguresForm: Content {
        var version: Int?
        var unit: String?
        var rev: [String: String]?
        var line: [LineRow]?
        var outbound: String?
        var vehiclePurchase: String?
        var vehicleOperation: String?
        var reception: String?
        var operatingCosts: String?
        var operatingUse: String?
        var reasonBasic: String?
        var reasonProject: String?
        var reasonThreePublic: String?
        var stated: [String: String]?
        var changes: [String: String]?
        var threePublicStated: String?
        var restate: String?
    }

    struct LineRow: Content {
        var kind: String?
        var label: String?
        var function: String?
        var economic: String?
        var project: String?
        var fund: String?
        var amount: String?
        var delete: String?
    }

    /// The kinds a line can be, as one select: basic personnel, basic public-use, or project.
    static let kinds: [(String, String)] = [("personnel", "edit.kind.personnel"), ("public_use", "edit.kind.publicUse"), ("project", "edit.kind.project")]

    static func show(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let unit = MoneyUnit(formValue: try? req.query.get(String.self, at: "unit")) ?? .wan
        return FiguresEditView.render(req.pageContext(), loaded, unit: unit, form: nil, errors: [:],
                                      findings: findings(loaded), flash: req.takeFlashWithKind())
    }

    static func findings(_ loaded: BudgetEditing.Loaded) -> [Finding] {
        RuleBook.check(loaded.budget, context: RuleContext(regionCode: loaded.unit.department.region.code))
    }

    /// The totals as typed; a blank field is nil (filled from the lines on save).
    static func statedTotals(_ form: FiguresForm, unit: MoneyUnit, errors: inout [String: String], l: L10n)
        -> (stated: [StatedFigure: Fen], threePublic: Fen?, changes: [ChangeItem: Fen]) {
        func typed(_ text: String?, field: String, label: String, signed: Bool) -> Fen? {
            let raw = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { return nil }
            return BudgetEditing.amount(raw, unit: unit, field: field, label: label, errors: &errors, l: l,
                                        allowNegative: signed)
        }
        var stated: [StatedFigure: Fen] = [:]
        for figure in StatedFigure.allCases {
            stated[figure] = typed(form.stated?[figure.rawValue], field: "stated[\(figure.rawValue)]",
                                   label: l("stated.\(figure.rawValue)"), signed: false)
        }
        var changes: [ChangeItem: Fen] = [:]
        for item in ChangeItem.allCases {
            changes[item] = typed(form.changes?[item.rawValue], field: "changes[\(item.rawValue)]",
                                  label: l("change.\(item.rawValue)"), signed: true)
        }
        let threePublic = typed(form.threePublicStated, field: "threePublicStated", label: l("stated.three_public"),
                                signed: false)
        return (stated, threePublic, changes)
    }

    /// "2010301 行政运行" or "2010301" → "2010301"; empty → nil.
    static func code(_ text: String?) -> String? {
        let digits = (text ?? "").trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    static func save(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let form = try req.content.decode(FiguresForm.self)
        let unit = MoneyUnit(formValue: form.unit) ?? .wan
        let l = req.l10n
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: SiteRoute.budgetEditFigures(code: loaded.unit.code, year: loaded.budget.fiscalYear).path) { return stale }
        var errors: [String: String] = [:]
        var b = loaded.budget
        var revenue: [RevenueLine] = []
        for source in RevenueSource.allCases {
            guard let text = form.rev?[source.rawValue], !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if let v = BudgetEditing.amount(text, unit: unit, field: "rev[\(source.rawValue)]", label: l.term(source.nameZh), errors: &errors, l: l) {
                revenue.append(RevenueLine(source: source, amount: v))
            }
        }
        var lines: [ExpenditureLine] = []
        let catalogs = Catalogs.shared
        for (i, row) in (form.line ?? []).enumerated() where row.delete == nil {
            let amountText = (row.amount ?? "").trimmingCharacters(in: .whitespaces)
            let label = (row.label ?? "").trimmingCharacters(in: .whitespaces)
            if amountText.isEmpty && label.isEmpty { continue }   // the blank row for adding one
            let amount = BudgetEditing.amount(amountText, unit: unit, field: "line[\(i)].amount", label: l("edit.lineAmount", String(i + 1)), errors: &errors, l: l)
            let function = code(row.function)
            if let function, catalogs.functionClassification[function] == nil {
                errors["line[\(i)].function"] = l("edit.error.functionCode", function)
            }
            let economic = code(row.economic)
            if let economic, catalogs.departmentEconomic[economic] == nil {
                errors["line[\(i)].economic"] = l("edit.error.economicCode", economic)
            }
            let kind = row.kind ?? "personnel"
            let project = kind == "project" ? row.project.flatMap { $0.isEmpty ? nil : $0 } : nil
            if kind == "project" && project == nil { errors["line[\(i)].project"] = l("edit.error.lineProject") }
            guard let amount else { continue }
            lines.append(ExpenditureLine(kind: kind == "project" ? .project : .basic,
                                         basicCategory: kind == "personnel" ? .personnel : kind == "public_use" ? .publicUse : nil,
                                         projectCode: project, label: label.isEmpty ? nil : label, functionCode: function, economicCode: economic,
                                         fundSource: RevenueSource(rawValue: row.fund ?? "") ?? .generalPublicBudget, amount: amount))
        }
        let outbound = BudgetEditing.amount(form.outbound, unit: unit, field: "outbound", label: l("budget.3p.outbound"), errors: &errors, l: l)
        let purchase = BudgetEditing.amount(form.vehiclePurchase, unit: unit, field: "vehiclePurchase", label: l("budget.3p.vehiclePurchase"), errors: &errors, l: l)
        let operation = BudgetEditing.amount(form.vehicleOperation, unit: unit, field: "vehicleOperation", label: l("budget.3p.vehicleOperation"), errors: &errors, l: l)
        let reception = BudgetEditing.amount(form.reception, unit: unit, field: "reception", label: l("budget.3p.reception"), errors: &errors, l: l)
        let operating = BudgetEditing.amount(form.operatingCosts, unit: unit, field: "operatingCosts", label: l("budget.operatingCosts"), errors: &errors, l: l)
        let typed = statedTotals(form, unit: unit, errors: &errors, l: l)
        guard errors.isEmpty, let outbound, let purchase, let operation, let reception, let operating else {
            return FiguresEditView.render(req.pageContext(), loaded, unit: unit, form: form, errors: errors, findings: [], flash: nil,
                                          status: .unprocessableEntity)
        }
        let before = "revenue \(b.totalRevenue.readable), expenditure \(b.totalExpenditure.readable), 三公 \(b.threePublic.items.total.readable)"
        b.revenue = revenue
        b.expenditure = lines
        b.threePublic.items = ThreePublicItems(outboundTravel: outbound, vehiclePurchase: purchase, vehicleOperation: operation, reception: reception)
        b.operatingCosts = OperatingCosts(amount: operating, use: form.operatingUse ?? "")
        b.prior.reasons.basic = form.reasonBasic ?? ""
        b.prior.reasons.project = form.reasonProject ?? ""
        b.prior.reasons.threePublic = form.reasonThreePublic ?? ""
        b.stated = typed.stated
        b.threePublic.statedTotal = typed.threePublic
        b.prior.statedChanges = typed.changes
        if form.restate == "1" { b.restateTotals() } else { b.fillUnstatedTotals() }
        let path = SiteRoute.budgetEditFigures(code: loaded.unit.code, year: b.fiscalYear).path
        guard try await BudgetEditing.save(req, loaded, b, formVersion: form.version ?? -1, summary: "figures: before \(before) | after revenue \(b.totalRevenue.readable), expenditure \(b.totalExpenditure.readable), 三公 \(b.threePublic.items.total.readable)") else {
            return BudgetEditing.conflict(req, backTo: path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.budgetEditFigures(code: loaded.unit.code, year: b.fiscalYear).path + "?unit=\(unit.formValue)#findings")
    }
}

enum FiguresEditView {
    static func render(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, unit: MoneyUnit, form: FiguresEditController.FiguresForm?,
                       errors: [String: String], findings: [Finding], flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let b = loaded.budget
        let code = loaded.unit.code
        let action = SiteRoute.budgetEditFigures(code: code, year: b.fiscalYear).path
        let show = { (f: Fen) in BudgetEditing.display(f, unit) }
        let u = unit.rawValue
        let catalogs = Catalogs.shared
        let rows: [FiguresEditController.LineRow] = form?.line ?? (b.expenditure.map { e in
            .init(kind: e.kind == .project ? "project" : (e.basicCategory == .publicUse ? "public_use" : "personnel"), label: e.label,
                  function: e.functionCode.map { "\($0) \(catalogs.functionClassification[$0] ?? "")" },
                  economic: e.economicCode.map { "\($0) \(catalogs.departmentEconomic[$0] ?? "")" },
                  project: e.projectCode, fund: e.fundSource.rawValue, amount: show(e.amount), delete: nil)
        } + [.init(kind: "personnel", label: "", function: "", economic: "", project: "", fund: RevenueSource.generalPublicBudget.rawValue, amount: "", delete: nil)])
        let projectOptions = [("", "—")] + ProjectLabels.labels(b.projects).map { ($0.code, $0.label) }
        func statedField(_ name: String, _ label: String, _ value: String) -> Node<HTML.FormContext> {
            Form.field(label: "\(label)（\(u)）", name: name, value: value, error: errors[name], inputMode: "decimal")
        }
        func amountField(_ name: String, _ label: String, _ value: Fen) -> Node<HTML.FormContext> {
            Form.field(label: "\(label)（\(u)）", name: name, value: (form.map { _ in formValue(form, name) } ?? nil) ?? show(value), error: errors[name], inputMode: "decimal")
        }
        return Layout.page(
            ctx, title: l("edit.figuresTitle", String(b.fiscalYear)),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.budget(code: code, year: b.fiscalYear).path), .text(l("edit.backToBudget", String(b.fiscalYear))))),
            FindingsPanel.render(l, findings, title: l("budget.findings", String(findings.filter { $0.severity == .error }.count),
                                                       String(findings.filter { $0.severity != .error }.count))),
            .p(.class("unit-switch"), .text(l("edit.unitIs", u) + " "),
               .a(.href(action + "?unit=" + (unit == .wan ? "yuan" : "wan")), .text(l(unit == .wan ? "edit.switchToYuan" : "edit.switchToWan")))),
            .element(named: "datalist", nodes: [.attribute(named: "id", value: "function-codes"),
                .group(catalogs.functionClassification.sorted { $0.key < $1.key }.map { .element(named: "option", nodes: [.attribute(named: "value", value: "\($0.key) \($0.value)")]) })]),
            .element(named: "datalist", nodes: [.attribute(named: "id", value: "economic-codes"),
                .group(catalogs.departmentEconomic.sorted { $0.key < $1.key }.map { .element(named: "option", nodes: [.attribute(named: "value", value: "\($0.key) \($0.value)")]) })]),
            .p(.id("live-totals"), .class("live-totals"), .attribute(named: "aria-live", value: "polite"),
               .attribute(named: "data-template", value: l("edit.liveTotals", "{0}", "{1}", "{2}", u)),
               .attribute(named: "data-invalid", value: l("edit.liveInvalid")),
               .text(l("edit.liveTotals", MoneyFormat.wan(b.totalRevenue), MoneyFormat.wan(b.totalExpenditure),
                       MoneyFormat.wan(b.totalRevenue - b.totalExpenditure), u))),
            .form(
                .class("card edit-form"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                .attribute(named: "data-live-totals", value: "1"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(loaded.model.version))),
                .input(.type(.hidden), .name("unit"), .value(unit.formValue)),
                .h2(.text(l("budget.revenue"))),
                .div(.class("grid3"), .forEach(RevenueSource.allCases) { source in
                    Form.field(label: "\(l.term(source.nameZh))（\(u)）", name: "rev[\(source.rawValue)]",
                               value: form?.rev?[source.rawValue] ?? (b.revenue.first { $0.source == source }.map { show($0.amount) } ?? ""),
                               error: errors["rev[\(source.rawValue)]"], inputMode: "decimal")
                }),
                .h2(.text(l("budget.expenditure"))),
                .p(.class("hint"), .text(l("edit.linesHint"))),
                .div(.class("table-scroll"), .table(
                    .class("data edit-table"),
                    .thead(.tr(.th(.text(l("budget.kind"))), .th(.text(l("budget.item"))), .th(.text(l("budget.functionCode"))), .th(.text(l("budget.economicCode"))),
                               .th(.text(l("budget.projectName"))), .th(.text(l("edit.fund"))), .th(.text("\(l("budget.amount"))（\(u)）")), .th(.text(l("edit.delete"))))),
                    .tbody(.forEach(Array(rows.enumerated())) { i, row in
                        .tr(.td(ProjectEditView.selectPairs("line[\(i)][kind]", FiguresEditController.kinds.map { ($0.0, l($0.1)) }, row.kind ?? "")),
                            .td(ProjectEditView.cellInput("line[\(i)][label]", row.label ?? "", nil)),
                            .td(listInput("line[\(i)][function]", row.function ?? "", "function-codes", errors["line[\(i)].function"])),
                            .td(listInput("line[\(i)][economic]", row.economic ?? "", "economic-codes", errors["line[\(i)].economic"])),
                            .td(ProjectEditView.selectPairs("line[\(i)][project]", projectOptions, row.project ?? ""),
                                .if(errors["line[\(i)].project"] != nil, .span(.class("error"), .text(errors["line[\(i)].project"] ?? "")))),
                            .td(ProjectEditView.selectPairs("line[\(i)][fund]", RevenueSource.allCases.map { ($0.rawValue, l.term($0.nameZh)) }, row.fund ?? "")),
                            .td(ProjectEditView.cellInput("line[\(i)][amount]", row.amount ?? "", errors["line[\(i)].amount"])),
                            .td(.input(.type(.checkbox), .name("line[\(i)][delete]"), .value("1"), .attribute(named: "aria-label", value: l("edit.delete")))))
                    })
                )),
                .h2(.text(l("budget.threePublic"))),
                .div(.class("grid4"),
                     amountField("outbound", l("budget.3p.outbound"), b.threePublic.items.outboundTravel),
                     amountField("vehiclePurchase", l("budget.3p.vehiclePurchase"), b.threePublic.items.vehiclePurchase),
                     amountField("vehicleOperation", l("budget.3p.vehicleOperation"), b.threePublic.items.vehicleOperation),
                     amountField("reception", l("budget.3p.reception"), b.threePublic.items.reception)),
                .h2(.text(l("budget.operatingCosts"))),
                amountField("operatingCosts", l("budget.operatingCosts"), b.operatingCosts.amount),
                Form.textarea(label: l("budget.use"), name: "operatingUse", value: form?.operatingUse ?? b.operatingCosts.use, rows: 2),
                .h2(.text(l("edit.statedTitle"))),
                .p(.class("hint"), .text(l("edit.statedHint"))),
                .div(.class("grid3"),
                     .forEach(StatedFigure.allCases) { figure in
                         statedField("stated[\(figure.rawValue)]", l("stated.\(figure.rawValue)"),
                                     form.map { $0.stated?[figure.rawValue] ?? "" } ?? b.stated[figure].map(show) ?? "")
                     },
                     statedField("threePublicStated", l("stated.three_public"),
                                 form.map { $0.threePublicStated ?? "" } ?? b.threePublic.statedTotal.map(show) ?? "")),
                .h3(.text(l("edit.changesTitle"))),
                .div(.class("grid3"), .forEach(ChangeItem.allCases) { item in
                    statedField("changes[\(item.rawValue)]", l("change.\(item.rawValue)"),
                                form.map { $0.changes?[item.rawValue] ?? "" } ?? b.prior.statedChanges[item].map(show) ?? "")
                }),
                .div(.class("field"),
                     .label(.input(.type(.checkbox), .name("restate"), .value("1")), .text(" " + l("edit.restate")))),
                .h2(.text(l("budget.changes"))),
                Form.textarea(label: l("edit.reasonBasic"), name: "reasonBasic", value: form?.reasonBasic ?? b.prior.reasons.basic, rows: 2),
                Form.textarea(label: l("edit.reasonProject"), name: "reasonProject", value: form?.reasonProject ?? b.prior.reasons.project, rows: 2),
                Form.textarea(label: l("edit.reasonThreePublic"), name: "reasonThreePublic", value: form?.reasonThreePublic ?? b.prior.reasons.threePublic, rows: 2),
                .div(.class("form-actions sticky"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.budget(code: code, year: b.fiscalYear).path), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }

    static func formValue(_ form: FiguresEditController.FiguresForm?, _ name: String) -> String? {
        switch name {
        case "outbound": form?.outbound
        case "vehiclePurchase": form?.vehiclePurchase
        case "vehicleOperation": form?.vehicleOperation
        case "reception": form?.reception
        case "operatingCosts": form?.operatingCosts
        default: nil
        }
    }

    /// A text input that suggests from a datalist: type a code or a name.
    static func listInput(_ name: String, _ value: String, _ list: String, _ error: String?) -> Node<HTML.BodyContext> {
        .group(
            .input(.type(.text), .name(name), .value(value), .attribute(named: "list", value: list),
                   .attribute(named: "aria-invalid", value: error == nil ? nil : "true")),
            .if(error != nil, .span(.class("error"), .text(error ?? "")))
        )
    }
}
