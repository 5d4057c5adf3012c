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

    /// What the form's 查找 found for one row, shown under it with a 使用 button for each item (the no-script picker).
    struct CatalogPicker {
        var row: Int
        var query: String
        var items: [ProcurementCatalog.Item]
        var more: Bool
    }

    static func procurement(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, unit: MoneyUnit,
                            form: RegistersEditController.ProcurementForm?, errors: [String: String],
                            flash: (text: String, isError: Bool)?, picker: CatalogPicker? = nil,
                            status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let b = loaded.budget
        let show = { (f: Fen) in BudgetEditing.display(f, unit) }
        let action = SiteRoute.budgetEditProcurement(code: loaded.unit.code, year: b.fiscalYear).path
        let byName = Dictionary(b.projects.map { ($0.name, $0.code) }, uniquingKeysWith: { first, _ in first })
        let rows: [RegistersEditController.ProcurementRow] = form?.line ?? (b.procurement.map { p in
            .init(project: p.projectCode ?? byName[p.projectName], item: p.itemName, code: p.catalogCode,
                  uom: p.unitOfMeasure, quantity: p.quantity.description, price: show(p.unitPrice),
                  fund: p.byFund.keys.first?.rawValue, sme: show(p.smeReserved), delete: nil)
        } + [.init(project: "", item: "", code: "", uom: "", quantity: "", price: "",
                   fund: ProcurementFund.generalPublicBudget.rawValue, sme: "", delete: nil)])
        // No project is chosen for a new line: defaulting to the first one filed purchases under it unnoticed.
        let projects = [("", l("edit.chooseProject"))] + ProjectLabels.labels(b.projects).map { ($0.code, $0.label) }
        let funds = ProcurementFund.allCases.map { ($0.rawValue, l.term($0.nameZh)) }
        let used = Set(b.procurement.map(\.catalogCode))
        let catalog = ProcurementCatalog.shared
        // A find or a use keeps the version the form was read at, so a later save still notices another's save.
        let version = form?.version ?? loaded.model.version
        let money = "（\(unit.rawValue)）"
        return Layout.page(
            ctx, title: l("edit.procurementTitle", String(b.fiscalYear)),
            header(l, loaded, flash: flash, errors: errors),
            .p(.text(l("budget.procurementLine", MoneyFormat.wan(b.procurementTotal),
                       MoneyFormat.wan(b.procurementTotal(.goods)), MoneyFormat.wan(b.procurementTotal(.works)),
                       MoneyFormat.wan(b.procurementTotal(.services)), MoneyFormat.wan(b.procurementSMEReserved)))),
            .p(.class("unit-switch"), .text(l("edit.unitIs", unit.rawValue) + " "),
               .a(.href(action + "?unit=" + (unit == .wan ? "yuan" : "wan")),
                  .text(l(unit == .wan ? "edit.switchToYuan" : "edit.switchToWan")))),
            .element(named: "datalist", nodes: [.attribute(named: "id", value: "procurement-codes"),
                .group(used.sorted().map { code in
                    .element(named: "option", nodes: [
                        .attribute(named: "value", value: "\(code) \(catalog[code]?.name ?? "")"),
                    ])
                })]),
            .form(
                .class("card edit-form"), .method(.post), .action(action),
                .attribute(named: "novalidate", value: "novalidate"),
                .data(named: "catalog-endpoint", value: SiteRoute.procurementCatalogJSON.path),
                .data(named: "catalog-none", value: l("list.noMatch", "{0}")),
                // Enter in a field saves, as on every other form: the browser presses the first submit button,
                // which would otherwise be the first row's 查找.
                .button(.type(.submit), .class("visually-hidden"), .attribute(named: "tabindex", value: "-1"),
                        .attribute(named: "aria-hidden", value: "true"), .text(l("form.save"))),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(version))),
                .input(.type(.hidden), .name("unit"), .value(unit.formValue)),
                .p(.class("hint"), .text(l("edit.procurementHint"))),
                .table(
                    .class("data edit-table proc-table"),
                    .thead(.tr(.th(.class("c-no"), .text("#")),
                               .th(.class("c-project"), .text("\(l("budget.projectName")) / \(l("edit.fund"))")),
                               .th(.class("c-code"), .text(l("budget.catalogCode"))),
                               .th(.class("c-item"), .text(l("budget.itemName"))),
                               .th(.class("c-uom"), .text(l("budget.uom"))),
                               .th(.class("c-quantity"), .text(l("budget.quantity"))),
                               .th(.class("c-price"), .text(l("budget.unitPrice") + money)),
                               .th(.class("c-sme"), .text(l("budget.sme") + money)),
                               .th(.class("c-delete"), .text(l("edit.delete"))))),
                    .forEach(Array(rows.enumerated())) { i, r in
                        procurementLine(l, i, r, projects: projects, funds: funds, money: money, errors: errors,
                                        picker: picker?.row == i ? picker : nil, action: action)
                    }
                ),
                actions(l, loaded)
            )
        ).response(status: status)
    }

    /// One line: a table row on a desk, a card on a phone (app.css), every field with its own label.
    private static func procurementLine(_ l: L10n, _ i: Int, _ r: RegistersEditController.ProcurementRow,
                                        projects: [(String, String)], funds: [(String, String)], money: String,
                                        errors: [String: String], picker: CatalogPicker?,
                                        action: String) -> Node<HTML.TableContext> {
        let name = { (field: String) in "line[\(i)][\(field)]" }
        let id = { (field: String) in "line-\(i)-\(field)" }
        let catalogName = RegistersEditController.catalogItem(r.code).map(\.name)
        func input(_ field: String, _ value: String?, mode: String? = nil) -> Node<HTML.BodyContext> {
            .input(.type(.text), .id(id(field)), .name(name(field)), .value(value ?? ""),
                   .attribute(named: "inputmode", value: mode),
                   .attribute(named: "aria-invalid", value: errors["line[\(i)].\(field)"] == nil ? nil : "true"))
        }
        func cell(_ field: String, _ label: String, _ control: Node<HTML.BodyContext>) -> Node<HTML.TableRowContext> {
            let error = errors["line[\(i)].\(field)"]
            return .td(.class("c-\(field)" + (error == nil ? "" : " has-error")),
                       .label(.class("cell-name"), .for(id(field)), .text(label)), control,
                       .if(error != nil, .span(.class("error"), .text(error ?? ""))))
        }
        return .tbody(
            .class("proc-line"), .id("line-\(i)"),
            .tr(.class("proc-main"),
                .td(.class("c-no"), .span(.class("line-no"), .text(l("edit.lineNo", String(i + 1)))),
                    .span(.class("line-no-short"), .attribute(named: "aria-hidden", value: "true"),
                          .text(String(i + 1)))),
                .td(.class("c-project" + (errors["line[\(i)].project"] == nil ? "" : " has-error")),
                    .label(.class("cell-name"), .for(id("project")), .text(l("budget.projectName"))),
                    ProjectEditView.selectPairs(name("project"), projects, r.project ?? "", id: id("project")),
                    .if(errors["line[\(i)].project"] != nil,
                        .span(.class("error"), .text(errors["line[\(i)].project"] ?? ""))),
                    .label(.class("cell-name fund-name"), .for(id("fund")), .text(l("edit.fund"))),
                    ProjectEditView.selectPairs(name("fund"), funds, r.fund ?? "", id: id("fund"))),
                cell("code", l("budget.catalogCode"), .div(
                    .class("catalog-field"),
                    .input(.type(.text), .id(id("code")), .name(name("code")), .value(r.code ?? ""),
                           .attribute(named: "list", value: "procurement-codes"),
                           .attribute(named: "autocomplete", value: "off"),
                           .attribute(named: "data-catalog-row", value: String(i)),
                           .attribute(named: "aria-invalid", value: errors["line[\(i)].code"] == nil ? nil : "true")),
                    .button(.type(.submit), .class("button small"), .name("find"), .value(String(i)),
                            .attribute(named: "formaction", value: action + "#line-\(i)"),
                            .attribute(named: "aria-label", value: l("edit.catalogFindLabel", String(i + 1))),
                            .text(l("edit.catalogFind"))))),
                cell("item", l("budget.itemName"), .input(
                    .type(.text), .id(id("item")), .name(name("item")), .value(r.item ?? ""),
                    .attribute(named: "data-catalog-name", value: catalogName),
                    .attribute(named: "aria-invalid", value: errors["line[\(i)].item"] == nil ? nil : "true"))),
                cell("uom", l("budget.uom"), input("uom", r.uom)),
                cell("quantity", l("budget.quantity"), input("quantity", r.quantity, mode: "decimal")),
                cell("price", l("budget.unitPrice") + money, input("price", r.price, mode: "decimal")),
                cell("sme", l("budget.sme") + money, input("sme", r.sme, mode: "decimal")),
                .td(.class("c-delete"),
                    .label(.input(.type(.checkbox), .name(name("delete")), .value("1"),
                                  .attribute(named: "checked", value: r.delete == nil ? nil : "checked")),
                           .span(.class("delete-name"), .text(" " + l("edit.delete")))))),
            .if(picker != nil, .tr(.class("catalog-matches"), .td(
                .attribute(named: "colspan", value: "9"),
                catalogMatches(l, i, picker, action: action))))
        )
    }

    private static func catalogMatch(_ l: L10n, _ i: Int, _ item: ProcurementCatalog.Item,
                                     action: String) -> Node<HTML.ListContext> {
        let use: Node<HTML.BodyContext> = .button(
            .type(.submit), .class("button small"), .name("use"), .value("\(i):\(item.code)"),
            .attribute(named: "formaction", value: action + "#line-\(i)"),
            .attribute(named: "aria-label", value: l("edit.catalogUseLabel", item.code, item.name)),
            .text(l("edit.catalogUse")))
        let unit: Node<HTML.BodyContext> = .if(item.unit != nil,
                                               .span(.class("muted"), .text(" · " + (item.unit ?? ""))))
        return .li(use, .code(.text(item.code)), .span(.text(item.name)), unit)
    }

    private static func catalogMatches(_ l: L10n, _ i: Int, _ picker: CatalogPicker?,
                                       action: String) -> Node<HTML.BodyContext> {
        guard let picker else { return .empty }
        if picker.query.isEmpty { return .p(.class("hint"), .text(l("edit.catalogFindEmpty"))) }
        if picker.items.isEmpty { return .p(.class("hint"), .text(l("list.noMatch", picker.query))) }
        return .group(
            .p(.class("hint"), .text(l("edit.catalogMatches", picker.query))),
            .ul(.class("plain catalog-list"), .forEach(picker.items) { item in
                catalogMatch(l, i, item, action: action)
            }),
            .if(picker.more, .p(.class("hint"), .text(l("edit.catalogMore", String(picker.items.count)))))
        )
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

    static func catalog(_ ctx: PageContext, query: String, matches: [ProcurementCatalog.Item]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("catalog.title"),
            SearchBox.render(l, action: SiteRoute.procurementCatalog.path, query: query, placeholder: l("catalog.placeholder")),
            .if(!query.isEmpty && matches.isEmpty, .p(.class("empty"), .text(l("list.noMatch", query)))),
            .if(!matches.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("budget.catalogCode"))), .th(.text(l("budget.itemName"))),
                           .th(.text(l("budget.uom"))))),
                .tbody(.forEach(matches) { m in
                    .tr(.td(.code(.text(m.code))), .td(.text(m.name)), .td(.text(m.unit ?? "")))
                })
            ))),
            .p(.class("muted"), .text(l("catalog.source")))
        ).response()
    }
}
