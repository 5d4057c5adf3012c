import FuzhengCore
import Plot
import Vapor

struct ApprovalConfirmModel: Sendable {
    var unitCode: String
    var unitName: String
    var year: Int
    var action: WorkflowAction
    var status: BudgetStatus
    var version: Int
    var comment: String
    var comparison: ApprovalComparison
}

/// The second ask before approving or returning: what changed since the previous submission and since last year,
/// then the step itself with its comment.
enum ApprovalConfirmView {
    static func render(_ ctx: PageContext, _ m: ApprovalConfirmModel) -> Response {
        let l = ctx.l
        let budgetPath = SiteRoute.budget(code: m.unitCode, year: m.year).path
        let c = m.comparison
        let backward = Workflow.isBackward(m.action)
        return Layout.page(
            ctx, title: l("approval.title", l(m.action.labelKey), String(m.year), m.unitName),
            .p(.a(.href(budgetPath), .text(l("confirm.back", String(m.year), m.unitName)))),
            .p(.class("lead"), .text(l("approval.status", l("budget.status.\(m.status.rawValue)")))),
            .section(.id("changes-previous"), .class("budget-part"),
                     .h2(.text(c.previousSubmission.map { l("approval.sincePrevious", String($0)) }
                               ?? l("approval.firstSubmission"))),
                     .if(c.previousSubmission != nil, ChangesView.list(l, c.sincePrevious))),
            .section(.id("changes-last-year"), .class("budget-part"),
                     .h2(.text(c.lastYear.map { l("approval.sinceLastYear", String($0)) } ?? l("approval.noLastYear"))),
                     .if(c.lastYear != nil, ChangesView.list(l, c.sinceLastYear, folded: true))),
            .form(
                .class("card workflow-action"), .method(.post),
                .action(SiteRoute.budgetWorkflow(code: m.unitCode, year: m.year).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .input(.type(.hidden), .name("action"), .value(m.action.rawValue)),
                .input(.type(.hidden), .name("version"), .value(String(m.version))),
                .input(.type(.hidden), .name("confirmed"), .value("1")),
                Form.textarea(label: l(backward ? "workflow.commentRequired.label" : "workflow.comment"),
                    name: "comment",
                              value: m.comment, rows: 3),
                .p(.text(l(backward ? "approval.explainBack" : "approval.explain"))),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class(backward ? "button danger" : "button primary"),
                             .text(l("approval.confirm", l(m.action.labelKey)))),
                     .a(.class("button secondary"), .href(budgetPath), .text(l("form.cancel"))))
            )
        ).response()
    }
}

/// Changed fields: a table (field, before, after) on a desk, each change a block on a phone (CSS).
enum ChangesView {
    static let shownAtMost = 200

    static func list(_ l: L10n, _ changes: [FieldChange], folded: Bool = false) -> Node<HTML.BodyContext> {
        guard !changes.isEmpty else { return .p(.class("empty"), .text(l("approval.noChanges"))) }
        let shown = Array(changes.prefix(shownAtMost))
        let table: Node<HTML.BodyContext> = .table(
            .class("data changes"),
            .thead(.tr(.th(.text(l("approval.field"))), .th(.text(l("approval.before"))),
                       .th(.text(l("approval.after"))))),
            .tbody(.forEach(shown) { c in
                .tr(.td(.attribute(named: "data-label", value: l("approval.field")),
                        .text(l.language == .zh ? c.labelZh : c.labelEn)),
                    .td(.class("before"), .attribute(named: "data-label", value: l("approval.before")), .text(c.old)),
                    .td(.class("after"), .attribute(named: "data-label", value: l("approval.after")), .text(c.new)))
            }))
        let count: Node<HTML.BodyContext> = .p(.class("muted"), .text(l("approval.count", String(changes.count))
            + (changes.count > shown.count ? " " + l("approval.truncated", String(shown.count)) : "")))
        return .group(count, .div(.class(folded ? "changes-wrap long" : "changes-wrap"), table))
    }
}
