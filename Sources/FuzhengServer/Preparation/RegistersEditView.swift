import FuzhengCore
import Plot
import Vapor

enum RegistersEditView {
    static func header(_ l: L10n, _ loaded: BudgetEditing.Loaded, flash: (text: String, isError: Bool)?, errors: [String: String]) -> Node<HTML.BodyContext> {
        .group(
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.budget(code: loaded.unit.code, year: loaded.budget.fiscalYear).path), .text(l("edit.backToBudget", String(loaded.budget.fiscalYear)))))
        )
    }

    static func actions(_ l: L10n, _ loaded: BudgetEditing.Loaded) -> Node<HTML.FormContext> {
        .div(.class("form-actions sticky"),
             .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
             .a(.class("button secondary"), .href(SiteRoute.budget(code: loaded.unit.code, year: loaded.budget.fiscalYear).path), .text(l("form.cancel"))))
    }

    static func procurement(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, unit: MoneyUnit, form: RegistersEditController.ProcurementForm?,
                            errors: [String: String], flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let b = loaded.budget
        let show = { (f: Fen) in BudgetEditing.display(f, unit) }
        let action = SiteRoute.budgetEditProcurement(code: loaded.unit.code, year: b.fiscalYear).path
        let rows: [RegistersEditController.ProcurementRow] = form?.line ?? (b.procurement.map { p in
            .init(project: p.projectCode, item: p.itemName, code: p.catalogCode, uom: p.unitOfMeasure, quantity: p.quantity.description,
                  price: show(p.unitPrice), fund: p.byFund.keys.first?.rawValue, sme: show(p.smeReserved), delete: nil)
        } + [.init(project: b.projects.first?.code, item: "", code: "", uom: "", quantity: "", price: "", fund: ProcurementFund.generalPublicBudget.rawValue, sme: "", delete: nil)])
        let projects = b.projects.map { ($0.code, $0.name) }
        let used = Set(b.procurement.map(\.catalogCode))
        return Layout.page(
            ctx, title: l("edit.procurementTitle", String(b.fiscalYear)),
            header(l, loaded, flash: flash, errors: errors),
            .p(.text(l("budget.procurementLine", MoneyFormat.wan(b.procurementTotal), MoneyFormat.wan(b.procurementTotal(.goods)),
                       MoneyFormat.wan(b.procurementTotal(.works)), MoneyFormat.wan(b.procurementTotal(.services)), MoneyFormat.wan(b.procurementSMEReserved)))),
            .p(.class("unit-switch"), .text(l("edit.unitIs", unit.rawValue) + " "),
               .a(.href(action + "?unit=" + (unit == .wan ? "yuan" : "wan")), .text(l(unit == .wan ? "edit.switchToYuan" : "edit.switchToWan"))), .text(" · "),
               .a(.href(SiteRoute.procurementCatalog.path), .attribute(named: "target", value: "_blank"), .text(l("edit.catalogSearch")))),
            .element(named: "datalist", nodes: [.attribute(named: "id", value: "procurement-codes"),
                .group(used.sorted().map { code in .element(named: "option", nodes: [.attribute(named: "value", value: "\(code) \(Catalogs.shared.procurement[code] ?? "")")]) })]),
            .form(
                .class("card edit-form"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(loaded.model.version))),
                .input(.type(.hidden), .name("unit"), .value(unit.formValue)),
                .p(.class("hint"), .text(l("edit.procurementHint"))),
                .div(.class("table-scroll"), .table(
                    .class("data edit-table"),
                    .thead(.tr(.th(.text(l("budget.projectName"))), .th(.text(l("budget.itemName"))), .th(.text(l("budget.catalogCode"))),
                               .th(.text(l("budget.uom"))), .th(.text(l("budget.quantity"))), .th(.text("\(l("budget.unitPrice"))（\(unit.rawValue)）")),
                               .th(.text(l("edit.fund"))), .th(.text("\(l("budget.sme"))（\(unit.rawValue)）")), .th(.text(l("edit.delete"))))),
                    .tbody(.forEach(Array(rows.enumerated())) { i, r in
                        .tr(.td(ProjectEditView.selectPairs("line[\(i)][project]", projects, r.project ?? "")),
                            .td(ProjectEditView.cellInput("line[\(i)][item]", r.item ?? "", errors["line[\(i)].item"])),
                            .td(FiguresEditView.listInput("line[\(i)][code]", r.code ?? "", "procurement-codes", errors["line[\(i)].code"])),
                            .td(ProjectEditView.cellInput("line[\(i)][uom]", r.uom ?? "", nil)),
                            .td(ProjectEditView.cellInput("line[\(i)][quantity]", r.quantity ?? "", errors["line[\(i)].quantity"])),
                            .td(ProjectEditView.cellInput("line[\(i)][price]", r.price ?? "", errors["line[\(i)].price"])),
                            .td(ProjectEditView.selectPairs("line[\(i)][fund]", ProcurementFund.allCases.map { ($0.rawValue, l.term($0.nameZh)) }, r.fund ?? "")),
                            .td(ProjectEditView.cellInput("line[\(i)][sme]", r.sme ?? "", errors["line[\(i)].sme"])),
                            .td(.input(.type(.checkbox), .name("line[\(i)][delete]"), .value("1"), .attribute(named: "aria-label", value: l("edit.delete")))))
                    })
                )),
                actions(l, loaded)
            )
        ).response(status: status)
    }

    static func assets(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, form: RegistersEditController.AssetsForm?,
                       errors: [String: String], flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let b = loaded.budget
        return Layout.page(
            ctx, title: l("edit.assetsTitle", String(b.fiscalYear)),
            header(l, loaded, flash: flash, errors: errors),
            .p(.class("muted"), .text(l("edit.assetsGoods", MoneyFormat.wan(b.procurementTotal(.goods))))),
            .form(
                .class("card edit-form"), .method(.post), .action(SiteRoute.budgetEditAssets(code: loaded.unit.code, year: b.fiscalYear).path),
                .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(loaded.model.version))),
                Form.dateField(label: l("edit.asOf"), name: "asOf", value: form?.asOf ?? b.assets.asOf,
                               hint: l("form.dateHint"), error: errors["asOf"]),
                Form.field(label: l("edit.plannedPurchases") + "（万元）", name: "plannedPurchases",
                           value: form?.plannedPurchases ?? MoneyFormat.wanInText(b.assets.plannedPurchases),
                           error: errors["plannedPurchases"], hint: l("edit.plannedHint"), inputMode: "decimal"),
                .forEach(RegistersEditController.assetRows) { row in
                    .div(.class("grid3"),
                         .p(.strong(.text(l(row.label)))),
                         Form.field(label: l("budget.quantity"), name: "qty[\(row.key)]", value: form?.qty?[row.key] ?? b.assets[keyPath: row.path].quantity.description,
                                    error: errors["qty[\(row.key)]"], inputMode: "decimal"),
                         Form.field(label: "\(l("budget.value"))（万元）", name: "value[\(row.key)]",
                                    value: form?.value?[row.key] ?? MoneyFormat.wanInText(b.assets[keyPath: row.path].value), error: errors["value[\(row.key)]"], inputMode: "decimal"))
                },
                actions(l, loaded)
            )
        ).response(status: status)
    }

    static func narrative(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, form: RegistersEditController.NarrativeForm?,
                          errors: [String: String], flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let n = loaded.budget.narrative
        return Layout.page(
            ctx, title: l("edit.narrativeTitle", String(loaded.budget.fiscalYear)),
            header(l, loaded, flash: flash, errors: errors),
            .form(
                .class("card edit-form"), .method(.post), .action(SiteRoute.budgetEditNarrative(code: loaded.unit.code, year: loaded.budget.fiscalYear).path),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(loaded.model.version))),
                Form.textarea(label: l("unit.duties"), name: "duties", value: form?.duties ?? n.duties, rows: 6),
                Form.textarea(label: l("budget.overallTarget"), name: "overallTarget", value: form?.overallTarget ?? n.overallTarget, rows: 5),
                Form.textarea(label: l("edit.dutyTargets"), name: "dutyTargets", value: form?.dutyTargets ?? n.dutyTargets.joined(separator: "\n"), rows: 6),
                Form.textarea(label: l("budget.otherNotes"), name: "otherNotes", value: form?.otherNotes ?? n.otherNotes, rows: 2),
                Form.textarea(label: l("edit.glossary"), name: "glossary", value: form?.glossary ?? n.glossary.map { "\($0.term)：\($0.definition)" }.joined(separator: "\n"),
                              error: errors["glossary"], rows: 8),
                actions(l, loaded)
            )
        ).response(status: status)
    }

    static func catalog(_ ctx: PageContext, query: String, matches: [(key: String, value: String)]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("catalog.title"),
            SearchBox.render(l, action: SiteRoute.procurementCatalog.path, query: query, placeholder: l("catalog.placeholder")),
            .if(!query.isEmpty && matches.isEmpty, .p(.class("empty"), .text(l("list.noMatch", query)))),
            .if(!matches.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("budget.catalogCode"))), .th(.text(l("budget.itemName"))))),
                .tbody(.forEach(matches) { m in .tr(.td(.code(.text(m.key))), .td(.text(m.value))) })
            ))),
            .p(.class("muted"), .text(l("catalog.source")))
        ).response()
    }
}
