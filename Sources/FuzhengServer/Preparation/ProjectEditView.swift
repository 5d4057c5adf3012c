import FuzhengCore
import Plot
import Vapor

enum ProjectEditView {
    typealias F = ProjectEditController.ProjectForm

    static func render(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, project p: Project, unit: MoneyUnit, form: F?,
                       errors: [String: String], findings: [Finding], flash: (text: String, isError: Bool)?, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let year = loaded.budget.fiscalYear
        let code = loaded.unit.code
        let action = SiteRoute.budgetEditProject(code: code, year: year, project: p.code).path
        let show = { (f: Fen) in BudgetEditing.display(f, unit) }
        let plan = Dictionary(p.spendingPlan.map { ($0.month, String($0.percent)) }, uniquingKeysWith: { a, _ in a })
        let rows: [ProjectEditController.IndicatorRow] = form?.ind ?? (p.indicators.map {
            .init(level1: $0.level1, level2: $0.level2, name: $0.name, description: $0.description, value: $0.displayValue, basis: $0.basis, delete: nil)
        } + [.init(level1: "产出指标", level2: "数量指标", name: "", description: "", value: "", basis: "", delete: nil)])
        let frameworks = Catalogs.shared.frameworks[p.framework] ?? [:]
        let level1s = p.framework.requiredLevel1
        let level2s = level1s.flatMap { frameworks[$0] ?? [] }
        let unitLabel = unit.rawValue
        // Findings beside the fields they are about (paths like projects[CODE].amount, .indicators[2]).
        func notes(_ suffix: String) -> String? {
            let found = findings.filter { $0.path == "projects[\(p.code)]\(suffix)" }.map { l.language == .zh ? $0.messageZh : $0.messageEn }
            return found.isEmpty ? nil : "⚠ " + found.joined(separator: "；")
        }
        return Layout.page(
            ctx, title: l("edit.projectTitle", p.name),
            .alert(flash?.text, kind: flash?.isError == true ? "error" : "success"),
            .p(.a(.href(SiteRoute.budget(code: code, year: year).path), .text(l("edit.backToBudget", String(year))))),
            FindingsPanel.render(l, findings, title: l("edit.findingsHere", String(findings.count))),
            .p(.class("unit-switch"), .text(l("edit.unitIs", unitLabel) + " "),
               .a(.href(action + "?unit=" + (unit == .wan ? "yuan" : "wan")), .text(l(unit == .wan ? "edit.switchToYuan" : "edit.switchToWan")))),
            .form(
                .class("card edit-form"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("version"), .value(String(loaded.model.version))),
                .input(.type(.hidden), .name("unit"), .value(unit.formValue)),
                .div(.class("grid3"),
                     Form.field(label: "\(l("edit.projectAmount"))（\(unitLabel)）", name: "amount", value: form?.amount ?? show(p.amount),
                                error: errors["amount"], required: true, hint: notes(".amount"), inputMode: "decimal"),
                     Form.field(label: "\(l("budget.fiscalFunds"))（\(unitLabel)）", name: "fiscalFunds", value: form?.fiscalFunds ?? show(p.fiscalFunds),
                                error: errors["fiscalFunds"], hint: notes(".fiscalFunds"), inputMode: "decimal"),
                     Form.field(label: "\(l("budget.otherFunds"))（\(unitLabel)）", name: "otherFunds", value: form?.otherFunds ?? show(p.otherFunds),
                                error: errors["otherFunds"], inputMode: "decimal")),
                Form.textarea(label: l("budget.use"), name: "use", value: form?.use ?? p.use, rows: 2),
                Form.textarea(label: l("budget.target"), name: "target", value: form?.target ?? p.target, rows: 3),
                .fieldset(.element(named: "legend", text: l("edit.planLegend")),
                          .if(notes(".spendingPlan") != nil, .p(.class("finding-note"), .text(notes(".spendingPlan") ?? ""))),
                          .div(.class("grid4"),
                               .forEach([(3, form?.plan3), (6, form?.plan6), (10, form?.plan10), (12, form?.plan12)]) { month, typed in
                                   Form.field(label: l("edit.planMonth", String(month)), name: "plan\(month)", value: typed ?? plan[month] ?? "",
                                              error: errors["plan\(month)"], inputMode: "numeric")
                               })),
                .h3(.text(l("edit.indicators"))),
                .p(.class("hint"), .text(l("edit.indicatorHint"))),
                .div(.class("table-scroll"), .table(
                    .class("data edit-table"),
                    .thead(.tr(.th(.text(l("budget.level1"))), .th(.text(l("budget.level2"))), .th(.text(l("budget.level3"))),
                               .th(.text(l("budget.indicatorDescription"))), .th(.text(l("budget.indicatorValue"))), .th(.text(l("budget.basis"))),
                               .th(.text(l("edit.delete"))))),
                    .tbody(.forEach(Array(rows.enumerated())) { i, row in
                        .tr(.if(notes(".indicators[\(i)]") != nil, .attribute(named: "title", value: notes(".indicators[\(i)]") ?? "")),
                            .if(notes(".indicators[\(i)]") != nil, .class("has-finding")),
                            .td(select("ind[\(i)][level1]", level1s, row.level1 ?? "", label: l.term),
                                .if(notes(".indicators[\(i)]") != nil, .span(.class("finding-note"), .text(notes(".indicators[\(i)]") ?? "")))),
                            .td(select("ind[\(i)][level2]", level2s, row.level2 ?? "", label: l.term)),
                            .td(cellInput("ind[\(i)][name]", row.name ?? "", errors["ind[\(i)].name"])),
                            .td(cellInput("ind[\(i)][description]", row.description ?? "", nil)),
                            .td(cellInput("ind[\(i)][value]", row.value ?? "", errors["ind[\(i)].value"])),
                            .td(cellInput("ind[\(i)][basis]", row.basis ?? "", nil)),
                            .td(.input(.type(.checkbox), .name("ind[\(i)][delete]"), .value("1"), .attribute(named: "aria-label", value: l("edit.delete")))))
                    })
                )),
                .div(.class("form-actions sticky"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.budget(code: code, year: year).path), .text(l("form.cancel"))))
            )
        ).response(status: status)
    }

    static func select(_ name: String, _ options: [String], _ selected: String, label: (String) -> String = { $0 })
        -> Node<HTML.BodyContext> {
        let all = options.contains(selected) || selected.isEmpty ? options : [selected] + options
        return .element(named: "select", nodes: [
            .attribute(named: "name", value: name),
            .group(all.map { o in
                .element(named: "option", nodes: [.attribute(named: "value", value: o, ignoreIfValueIsEmpty: false),
                                                   .attribute(named: "selected", value: o == selected ? "selected" : nil),
                                                   .text(label(o))])
            }),
        ])
    }

    static func selectPairs(_ name: String, _ options: [(String, String)], _ selected: String,
                            id: String? = nil) -> Node<HTML.BodyContext> {
        .element(named: "select", nodes: [
            .attribute(named: "name", value: name),
            .attribute(named: "id", value: id),
            .group(options.map { o in
                .element(named: "option", nodes: [.attribute(named: "value", value: o.0, ignoreIfValueIsEmpty: false),
                                                   .attribute(named: "selected", value: o.0 == selected ? "selected" : nil), .text(o.1)])
            }),
        ])
    }

    static func cellInput(_ name: String, _ value: String, _ error: String?) -> Node<HTML.BodyContext> {
        .group(
            .input(.type(.text), .name(name), .value(value), .attribute(named: "aria-invalid", value: error == nil ? nil : "true")),
            .if(error != nil, .span(.class("error"), .text(error ?? "")))
        )
    }

    /// Someone saved this budget after the form was opened: nothing is overwritten; both versions are shown.
    static func conflict(_ ctx: PageContext, _ loaded: BudgetEditing.Loaded, project p: Project, unit: MoneyUnit, form: F) -> Response {
        let l = ctx.l
        let show = { (f: Fen) in BudgetEditing.display(f, unit) }
        let pairs: [(String, String, String)] = [
            ("\(l("edit.projectAmount"))（\(unit.rawValue)）", form.amount ?? "", show(p.amount)),
            ("\(l("budget.fiscalFunds"))（\(unit.rawValue)）", form.fiscalFunds ?? "", show(p.fiscalFunds)),
            ("\(l("budget.otherFunds"))（\(unit.rawValue)）", form.otherFunds ?? "", show(p.otherFunds)),
            (l("budget.use"), form.use ?? "", p.use),
            (l("budget.target"), form.target ?? "", p.target),
        ]
        return Layout.page(
            ctx, title: l("edit.conflictTitle"),
            .div(.class("alert error"), .text(l("edit.conflict", String(loaded.model.version)))),
            .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("edit.field"))), .th(.text(l("edit.yours"))), .th(.text(l("edit.theirs"))))),
                .tbody(.forEach(pairs.filter { $0.1 != $0.2 }) { .tr(.td(.text($0.0)), .td(.text($0.1)), .td(.strong(.text($0.2)))) })
            )),
            .p(.a(.class("button primary"), .href(SiteRoute.budgetEditProject(code: loaded.unit.code, year: loaded.budget.fiscalYear, project: p.code).path),
                  .text(l("edit.reload"))))
        ).response(status: .conflict)
    }
}
