import FuzhengCore
import Plot
import Vapor

/// Renders every part of a budget, read-only, amounts in 万元 with the unit always shown.
enum BudgetPage {
    typealias Body = Node<HTML.BodyContext>

    static func wan(_ f: Fen) -> String { MoneyFormat.wan(f) }

    static func render(_ ctx: PageContext, _ m: BudgetPageModel, parts: BudgetPageParts) -> Response {
        let l = ctx.l
        let year = m.fiscalYear
        return Layout.page(
            ctx, title: l("budget.title", String(year), m.unitName),
            .alert(m.flash?.text, kind: m.flash?.isError == true ? "error" : "success"),
            .p(.class("muted"), .text(l("budget.meta", parts.departmentName, l("budget.status.\(m.status.rawValue)"),
                                        String(m.version)))),
            .if(m.canPublish, .p(.a(.class("button primary"), .href(SiteRoute.budgetPublish(code: m.unitCode, year: year).path),
                                   .text(l(m.status == .published ? "publish.correctTitleShort" : "publish.titleShort"))))),
            .if(m.status == .published, .p(.a(.href(SiteRoute.disclosure(code: m.unitCode, year: year).path),
                                               .text(l("budget.publicPage"))))),
            .fragment(parts.findings),
            .p(.a(.href(SiteRoute.budgetWorkbookDownload(code: m.unitCode, year: year).path),
                  .text(l("workbook.download")))),
            .if(m.canEdit, .p(.class("edit-links"),
                              .a(.class("button"), .href(SiteRoute.budgetEditFigures(code: m.unitCode, year: year).path), .text(l("edit.figures"))),
                              .a(.class("button"), .href(SiteRoute.budgetEditProcurement(code: m.unitCode, year: year).path), .text(l("edit.procurement"))),
                              .a(.class("button"), .href(SiteRoute.budgetEditAssets(code: m.unitCode, year: year).path), .text(l("edit.assets"))),
                              .a(.class("button"), .href(SiteRoute.budgetEditNarrative(code: m.unitCode, year: year).path), .text(l("edit.narrative"))),
                              .a(.class("button"), .href(SiteRoute.budgetWorkbook(code: m.unitCode, year: year).path),
                                 .text(l("workbook.import"))),
                              .span(.class("muted"), .text(" " + l("edit.projectsHint"))))),
            WorkflowView.render(ctx, unitCode: m.unitCode, year: year, status: m.status, version: m.version,
                                actions: m.actions, history: m.history),
            .fragment(parts.sections)
        ).response()
    }

    /// What depends only on the stored budget (its version), the language and whether projects link to their
    /// edit forms: rendered once per version and kept (`BudgetPageParts.cache`).
    static func parts(_ l: L10n, unitCode: String, budget b: Budget, findings: [Finding], canEdit: Bool,
                      history: [BudgetEventModel]) -> BudgetPageParts {
        let sections: Body = .group(
            summary(l, b),
            revenue(l, b),
            expenditure(l, b),
            changes(l, b),
            operatingCosts(l, b),
            threePublic(l, b),
            projects(l, b, editLink: canEdit ? { SiteRoute.budgetEditProject(code: unitCode, year: b.fiscalYear, project: $0).path } : nil),
            procurement(l, b),
            assets(l, b),
            narrative(l, b))
        let confirm: ((Finding) -> String?)? = canEdit
            ? { FindingConfirmController.link(unitCode: unitCode, year: b.fiscalYear, $0) } : nil
        return BudgetPageParts(departmentName: b.department.name, history: history,
                               findings: RenderedFragment(findingsPanel(l, findings, confirmLink: confirm)),
                               sections: RenderedFragment(sections))
    }

    static func section(_ id: String, _ title: String, _ nodes: Body...) -> Body {
        .section(.id(id), .class("budget-part"), .h2(.text(title)), .group(nodes))
    }

    static func table(_ caption: String? = nil, head: [String], rows: [[String]], numeric: Set<Int> = []) -> Body {
        .div(.class("table-scroll"), .table(
            .class("data"),
            .if(caption != nil, .caption(.text(caption ?? ""))),
            .thead(.tr(.forEach(Array(head.enumerated())) { (i, title) in
                .th(.if(numeric.contains(i), .class("num")), .text(title))
            })),
            .tbody(.forEach(rows) { row in
                .tr(.forEach(Array(row.enumerated())) { (i, cell) in
                    .td(.if(numeric.contains(i), .class("num")), .text(cell))
                })
            })
        ))
    }

    static func findingsPanel(_ l: L10n, _ findings: [Finding], confirmLink: ((Finding) -> String?)? = nil) -> Body {
        let errors = findings.filter { $0.severity == .error }.count
        return FindingsPanel.render(l, findings, title: l("budget.findings", String(errors), String(findings.count - errors)),
                                    linkToParts: true, confirmLink: confirmLink)
    }

    static func summary(_ l: L10n, _ b: Budget) -> Body {
        let cards: [(String, Fen)] = [
            ("budget.revenue", b.totalRevenue), ("budget.expenditure", b.totalExpenditure), ("budget.basic", b.basicExpenditure),
            ("budget.project", b.projectExpenditure), ("budget.operatingCosts", b.operatingCosts.amount),
            ("budget.threePublic", b.threePublic.items.total), ("budget.procurement", b.procurementTotal),
        ]
        return .section(.id("summary"), .class("figures"), .forEach(cards) { (key, value) in
            .div(.class("figure"), .span(.class("figure-label"), .text(l(key))),
                 .span(.class("figure-value"), .text(wan(value))), .span(.class("figure-unit"), .text(l("budget.unitWan"))))
        })
    }

    static func revenue(_ l: L10n, _ b: Budget) -> Body {
        section("revenue", l("budget.revenue"),
                table(l("budget.unitWanCaption"), head: [l("budget.source"), l("budget.amount")],
                      rows: b.revenue.map { [l.term($0.source.nameZh), wan($0.amount)] } + [[l("budget.total"), wan(b.totalRevenue)]],
                      numeric: [1]))
    }

    static func expenditure(_ l: L10n, _ b: Budget) -> Body {
        let rows: [[String]] = b.expenditure.map { line in
            [l("budget.kind.\(line.kind.rawValue)"), l.term(line.label ?? ""), line.functionCode ?? "—", line.economicCode ?? "—",
             line.projectCode ?? "", wan(line.amount)]
        }
        return section("expenditure", l("budget.expenditure"),
                       .p(.text(l("budget.expenditureLine", wan(b.basicExpenditure), wan(b.personnelExpenditure), wan(b.publicUseExpenditure), wan(b.projectExpenditure)))),
                       table(l("budget.unitWanCaption"), head: [l("budget.kind"), l("budget.item"), l("budget.functionCode"), l("budget.economicCode"), l("budget.projectCode"), l("budget.amount")],
                             rows: rows + [[l("budget.total"), "", "", "", "", wan(b.totalExpenditure)]], numeric: [5]))
    }

    static func changes(_ l: L10n, _ b: Budget) -> Body {
        let items: [(ChangeItem, Fen, Fen?, String)] = [
            (.total, b.totalExpenditure, b.prior.total, b.prior.reasons.total),
            (.basic, b.basicExpenditure, b.prior.basic, b.prior.reasons.basic),
            (.project, b.projectExpenditure, b.prior.project, b.prior.reasons.project),
        ]
        return section("changes", l("budget.changes"),
                       table(l("budget.unitWanCaption"), head: [l("budget.item"), l("budget.current"), l("budget.prior"), l("budget.change"), l("budget.reason")],
                             rows: items.map { (item, now, before, reason) in
                                 [l("budget.change.\(item.rawValue)"), wan(now), before.map(wan) ?? "—", before.map { wan(now - $0) } ?? "—", reason]
                             }, numeric: [1, 2, 3]))
    }

    static func operatingCosts(_ l: L10n, _ b: Budget) -> Body {
        section("operating-costs", l("budget.operatingCosts"),
                .p(.strong(.text("\(wan(b.operatingCosts.amount)) \(l("budget.unitWan"))"))),
                .p(.text(b.operatingCosts.use)))
    }

    static func threePublic(_ l: L10n, _ b: Budget) -> Body {
        let now = b.threePublic.items
        let before = b.prior.threePublic
        let rows: [(String, Fen, Fen?)] = [
            ("budget.3p.outbound", now.outboundTravel, before?.outboundTravel),
            ("budget.3p.vehicles", now.vehicles, before?.vehicles),
            ("budget.3p.vehiclePurchase", now.vehiclePurchase, before?.vehiclePurchase),
            ("budget.3p.vehicleOperation", now.vehicleOperation, before?.vehicleOperation),
            ("budget.3p.reception", now.reception, before?.reception),
            ("budget.total", now.total, before?.total),
        ]
        return section("three-public", l("budget.threePublic"),
                       table(l("budget.unitWanCaption"), head: [l("budget.item"), l("budget.current"), l("budget.prior"), l("budget.change")],
                             rows: rows.map { row in
                                 [l(row.0), wan(row.1), row.2.map(wan) ?? "—", row.2.map { wan(row.1 - $0) } ?? "—"]
                             }, numeric: [1, 2, 3]),
                       .p(.class("muted"), .text(l("budget.reason") + "：" + b.prior.reasons.threePublic)))
    }

    static func projects(_ l: L10n, _ b: Budget, editLink: ((String) -> String)? = nil) -> Body {
        section("projects", l("budget.projects", String(b.projects.count)),
                .if(b.projects.isEmpty, .p(.class("empty"), .text(l("budget.noProjects")))),
                .forEach(b.projects) { p in
                    .article(
                        .id("project-\(p.code)"), .class("card project"),
                        .h3(.text(p.name)),
                        .if(editLink != nil, .p(.a(.class("button small"), .href(editLink?(p.code) ?? ""), .text(l("edit.project"))))),
                        .dl(.class("facts"),
                            .dt(.text(l("budget.projectCode"))), .dd(.text(p.code)),
                            .dt(.text(l("budget.amount"))), .dd(.text("\(wan(p.amount)) \(l("budget.unitWan"))（\(l("budget.fiscalFunds")) \(wan(p.fiscalFunds))，\(l("budget.otherFunds")) \(wan(p.otherFunds))）")),
                            .dt(.text(l("budget.use"))), .dd(.text(p.use)),
                            .dt(.text(l("budget.plan"))), .dd(.text(p.spendingPlan.map { l("budget.planPoint", String($0.month), String($0.percent)) }.joined(separator: "，"))),
                            .dt(.text(l("budget.target"))), .dd(.text(p.target))),
                        table(head: [l("budget.level1"), l("budget.level2"), l("budget.level3"), l("budget.indicatorDescription"), l("budget.indicatorValue"), l("budget.basis")],
                              rows: p.indicators.map { [l.term($0.level1), l.term($0.level2), $0.name, $0.description, $0.displayValue, $0.basis] })
                    )
                })
    }

    static func procurement(_ l: L10n, _ b: Budget) -> Body {
        section("procurement", l("budget.procurement"),
                .p(.text(l("budget.procurementLine", wan(b.procurementTotal), wan(b.procurementTotal(.goods)), wan(b.procurementTotal(.works)),
                           wan(b.procurementTotal(.services)), wan(b.procurementSMEReserved)))),
                .if(b.procurement.isEmpty, .p(.class("empty"), .text(l("budget.noProcurement")))),
                .if(!b.procurement.isEmpty, .div(.class("table-scroll"), .table(
                    .class("data"),
                    .caption(.text(l("budget.unitWanCaption"))),
                    .thead(.tr(.forEach([l("budget.projectName"), l("budget.itemName"), l("budget.catalogCode"), l("budget.uom"), l("budget.quantity"), l("budget.unitPrice"), l("budget.amount"), l("budget.sme")]) { .th(.text($0)) })),
                    .tbody(.forEach(Array(b.procurement.enumerated())) { (i, line) in
                        .tr(.id("procurement-\(i)"), .td(.text(line.projectName)), .td(.text(line.itemName)), .td(.text(line.catalogCode)),
                            .td(.text(line.unitOfMeasure)), .td(.class("num"), .text(line.quantity.description)), .td(.class("num"), .text(wan(line.unitPrice))),
                            .td(.class("num"), .text(wan(line.amount))), .td(.class("num"), .text(wan(line.smeReserved))))
                    })
                ))),
                .if(b.narrative.notes["procurementNote"] != nil, .p(.class("muted"), .text(b.narrative.notes["procurementNote"] ?? ""))))
    }

    static func assets(_ l: L10n, _ b: Budget) -> Body {
        let a = b.assets
        let rows: [(String, AssetRow)] = [("budget.assets.total", a.total), ("budget.assets.buildings", a.buildings), ("budget.assets.officeSpace", a.officeSpace),
                                          ("budget.assets.vehicles", a.vehicles), ("budget.assets.equipment", a.highValueEquipment), ("budget.assets.other", a.other)]
        return section("assets", l("budget.assets"),
                       .p(.text(l("budget.assetsLine", a.asOf, wan(a.total.value), wan(a.plannedPurchases)))),
                       table(l("budget.unitWanCaption"), head: [l("budget.item"), l("budget.quantity"), l("budget.value")],
                             rows: rows.map { [l($0.0), $0.1.quantity.description, wan($0.1.value)] }, numeric: [1, 2]))
    }

    static func narrative(_ l: L10n, _ b: Budget) -> Body {
        .group(
            section("narrative", l("budget.narrative"),
                    .h3(.text(l("unit.duties"))), UnitViews.paragraphs(b.narrative.duties),
                    .h3(.text(l("unit.setupTable"))),
                    table(head: [l("unit.name"), l("unit.nature"), l("unit.grade"), l("unit.fundingForm")],
                          rows: b.units.map { [$0.name, l.term($0.nature), l.term($0.grade), l.term($0.fundingForm)] }),
                    .h3(.text(l("budget.overallTarget"))), UnitViews.paragraphs(b.narrative.overallTarget),
                    .h3(.text(l("budget.dutyTargets"))), .ol(.forEach(b.narrative.dutyTargets) { .li(.text($0)) }),
                    .h3(.text(l("budget.otherNotes"))), .p(.text(b.narrative.otherNotes))),
            section("glossary", l("budget.glossary"),
                    .dl(.class("glossary"), .forEach(b.narrative.glossary) { .group(.dt(.text($0.term)), .dd(.text($0.definition))) }))
        )
    }
}

/// The findings of a budget or of one of its parts, errors first, each in the reader's language.
enum FindingsPanel {
    static func render(_ l: L10n, _ findings: [Finding], title: String, linkToParts: Bool = false,
                       confirmLink: ((Finding) -> String?)? = nil) -> Node<HTML.BodyContext> {
        let hasErrors = findings.contains { $0.severity == .error }
        let item: (Finding) -> Node<HTML.ListContext> = { f in
            let message = l.language == .zh ? f.messageZh : f.messageEn
            return .li(.class("finding \(f.severity.rawValue)"),
                       .span(.class("tag \(f.severity == .error ? "off" : f.severity == .warning ? "warn" : "note")"),
                             .text(l("severity.\(f.severity.rawValue)"))),
                       .text(" "),
                       linkToParts ? .a(.href("#" + BudgetPageModel.anchor(for: f.path)), .text(message)) : .text(message),
                       .if(linkToParts, .span(.class("muted"), .text(" \(f.ruleID)"))),
                       .unwrap(confirmLink?(f)) { .group(.text(" "), .a(.class("confirm-link"), .href($0),
                                                                        .text(l("confirm.link")))) })
        }
        // On the budget page a long list of warnings folds away, so an approver reaches the workflow buttons
        // without scrolling past it; errors always show.
        let folds = linkToParts && !hasErrors && findings.count > FindingsPanel.foldAbove
        return .section(
            .id("findings"), .class(hasErrors ? "findings has-errors" : "findings"),
            .if(!folds, .h2(.text(title))),
            .if(findings.isEmpty, .p(.class("empty"), .text(l("budget.noFindings")))),
            .if(folds, .details(.summary(.h2(.class("inline"), .text(title)), .span(.class("muted"),
                                                                                      .text(" " + l("findings.show")))),
                                .ul(.forEach(findings, item)))),
            .if(!folds, .ul(.forEach(findings, item)))
        )
    }

    static let foldAbove = 5
}
