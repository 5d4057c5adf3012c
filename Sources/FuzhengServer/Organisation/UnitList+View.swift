import FuzhengCore
import Plot
import Vapor

enum UnitListView {
    static func tagClass(_ state: String) -> String {
        switch state {
        case BudgetStatus.published.rawValue: "tag ok"
        case BudgetStatus.approved.rawValue: "tag warn"
        case UnitListModel.noBudget, BudgetStatus.draft.rawValue: "tag off"
        default: "tag note"
        }
    }

    static func stateLabel(_ l: L10n, _ state: String) -> String {
        state == UnitListModel.noBudget ? l("units.noBudget") : l("budget.status.\(state)")
    }

    static func options(_ l: L10n, _ m: UnitListModel, _ states: [String]) -> [(value: String, label: String)] {
        [("", l("units.allStates"))] + states.map { s in
            let count: Int = m.counts[s] ?? 0
            return (s, stateLabel(l, s) + "（" + String(count) + "）")
        }
    }

    static func chip(_ l: L10n, _ m: UnitListModel, _ s: String) -> Node<HTML.BodyContext> {
        let count: Int = m.counts[s] ?? 0
        let href = m.basePath + "?year=" + String(m.year) + "&status=" + s
        return .a(.class(tagClass(s)), .href(href), .text(stateLabel(l, s) + " " + String(count)))
    }

    static func render(_ ctx: PageContext, _ m: UnitListModel) -> Response {
        let l = ctx.l
        let states = BudgetStatus.allCases.map(\.rawValue) + [UnitListModel.noBudget]
        let base = m.basePath
        return Layout.page(
            ctx, title: l(m.titleKey),
            .form(.class("filters"), .method(.get), .action(base),
                  Form.select(label: l("units.year"), name: "year",
                              options: m.years.map { (String($0), String($0)) }, selected: String(m.year),
                              required: false),
                  Form.select(label: l("list.status"), name: "status", options: options(l, m, states),
                              selected: m.filter ?? "", required: false),
                  .button(.type(.submit), .class("button"), .text(l("units.filter")))),
            .p(.class("status-chips"), .forEach(states.filter { (m.counts[$0] ?? 0) > 0 }) { chip(l, m, $0) }),
            .if(m.departments.isEmpty, .p(.class("empty"), .text(l("units.noneInState")))),
            .forEach(m.departments) { dept in
                .div(.class("card"),
                     .h2(.text("\(dept.code) \(dept.name)")),
                     .ul(.class("plain unit-states"), .forEach(dept.units) { unit in
                         let state = m.state(of: unit.code)
                         return .li(
                            .a(.href(SiteRoute.unit(code: unit.code).path), .text("\(unit.code) \(unit.name)")),
                            .text(" "),
                            state == UnitListModel.noBudget
                                ? .span(.class(tagClass(state)), .text(stateLabel(l, state)))
                                : .a(.class(tagClass(state)), .href(SiteRoute.budget(code: unit.code,
                                    year: m.year).path),
                                     .text("\(m.year) \(stateLabel(l, state))")))
                     }))
            }
        ).response()
    }
}
