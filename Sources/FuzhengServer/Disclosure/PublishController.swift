import Fluent
import FuzhengCore
import Plot
import Vapor

/// 单位财务 publishes an approved budget (or a correction of a published one), after a confirmation
/// that lists anything blocking it; the finance bureau sees who is late.
enum PublishController {
    struct Loaded {
        var unit: UnitModel
        var model: BudgetModel
        var budget: Budget
        var errors: [Finding]
        /// Warnings and notices: they do not block publication, but the publisher reads them first.
        var warnings: [Finding]
    }

    static func load(_ req: Request) async throws -> Loaded {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.editUnitBudget(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let unit = try await OrganisationQueries.unit(code: code, on: req.db),
              let (model, budget) = try await BudgetStore.find(unitCode: code, year: year, on: req.db)
        else { throw Abort(.notFound) }
        let findings = RuleBook.check(budget, context: RuleContext(regionCode: unit.department.region.code))
        return Loaded(unit: unit, model: model, budget: budget, errors: findings.filter { $0.severity == .error },
                      warnings: findings.filter { $0.severity != .error })
    }

    static func confirm(req: Request) async throws -> Response {
        let loaded = try await load(req)
        return PublishPage.render(req.pageContext(), loaded, note: "", problem: nil)
    }

    struct PublishForm: Content {
        var note: String?
        /// How many warnings the publisher ticked as read: the count shown on the page they read.
        var acceptWarnings: Int?
    }

    static func publish(req: Request) async throws -> Response {
        let loaded = try await load(req)
        let form = try req.content.decode(PublishForm.self)
        let user = try req.requireUser()
        let now = req.now
        let unit = loaded.unit
        let model = loaded.model
        if let problem = PublishGate.check(errors: loaded.errors.count, warnings: loaded.warnings.count,
                                           acknowledgedWarnings: form.acceptWarnings) {
            let l = req.l10n
            let text: String = switch problem {
            case .hasErrors(let n): l("publish.hasErrors", String(n))
            case .warningsNotAcknowledged(let n): l("publish.needsAcknowledgement", String(n))
            }
            try await req.audit(AuditEvent(.create, objectType: "disclosure", objectID: "\(unit.code)/\(loaded.budget.fiscalYear)",
                                           summary: "publication refused: \(problem)", result: .failure))
            return PublishPage.render(req.pageContext(), loaded, note: form.note ?? "", problem: text,
                                      status: .unprocessableEntity)
        }
        let warningCount = loaded.warnings.count
        do {
            let version = try await req.audited { tx, audit in
                let version = try await DisclosureStore.publish(model, unit: unit, note: form.note, by: user.username, at: now, on: tx)
                // Publication is the last step: whatever still asked someone to act on this budget is done.
                try await Notifier.settle(link: SiteRoute.budget(code: unit.code, year: version.fiscalYear).path,
                                          at: now, on: tx)
                audit.add(AuditEvent(.create, objectType: "disclosure", objectID: "\(unit.code)/\(version.fiscalYear)/v\(version.version)",
                                     summary: "published; expenditure \(Fen(version.expenditureFen).readable)"
                                         + "; \(warningCount) warning(s) read and accepted"
                                         + (version.note.map { "; note: \($0)" } ?? "")))
                return version.version
            }
            req.application.fuzheng.disclosureCache.invalidatePages()
            req.setFlash(version > 1 ? "disclosure.flashCorrected" : "disclosure.flashPublished")
            return req.redirect(within: SiteRoute.disclosure(code: unit.code, year: loaded.budget.fiscalYear).path)
        } catch let refusal as DisclosureStore.PublishRefusal {
            let l = req.l10n
            let problem: String = switch refusal {
            case .notApproved(let status): l("publish.notApproved", l("budget.status.\(status)"))
            case .hasErrors(let n): l("publish.hasErrors", String(n))
            case .correctionNeedsNote: l("publish.needsNote")
            }
            try await req.audit(AuditEvent(.create, objectType: "disclosure", objectID: "\(unit.code)/\(loaded.budget.fiscalYear)",
                                           summary: "publication refused: \(refusal)", result: .failure))
            return PublishPage.render(req.pageContext(), loaded, note: form.note ?? "", problem: problem, status: .unprocessableEntity)
        }
    }

    /// 财政审核: approved budgets not yet published, and how many of the 20 days are left.
    static func due(req: Request) async throws -> Response {
        try await req.require(.reviewBudgets)
        let approved = try await BudgetModel.query(on: req.db).filter(\.$status == BudgetStatus.approved.rawValue)
            .with(\.$unit).sort(\.$approvedAt).all()
        let now = req.now
        let rows = approved.map { b -> DueRow in
            let days = b.approvedAt.map { DueRow.calendarDays(from: $0, to: now) }
            return DueRow(unitCode: b.unit.code, unitName: b.unit.name, year: b.fiscalYear, approvedAt: b.approvedAt, daysSince: days,
                          overdue: (days ?? 0) > DueRow.limitDays)
        }
        return PublishPage.due(req.pageContext(), rows: rows.sorted { ($0.daysSince ?? 0) > ($1.daysSince ?? 0) })
    }
}

struct DueRow: Sendable {
    static let limitDays = PublicationDeadline.days
    var unitCode: String
    var unitName: String
    var year: Int
    var approvedAt: Date?
    var daysSince: Int?
    var overdue: Bool

    /// Days as an office counts them: calendar days in China Standard Time, not 24-hour periods.
    static func calendarDays(from start: Date, to end: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AuditFilter.timeZone
        return calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end)).day ?? 0
    }
}

enum PublishPage {
    static func render(_ ctx: PageContext, _ loaded: PublishController.Loaded, note: String, problem: String?,
                       status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        let b = loaded.budget
        let isCorrection = loaded.model.status == BudgetStatus.published.rawValue
        let canPublish = loaded.errors.isEmpty && (isCorrection || loaded.model.status == BudgetStatus.approved.rawValue)
        var shown = b
        shown.status = .published
        let preview = DisclosureHTML.body(DisclosureBuilder.build(shown))
        let message: (Finding) -> String = { l.language == .zh ? $0.messageZh : $0.messageEn }
        return Layout.page(
            ctx, title: l(isCorrection ? "publish.correctTitle" : "publish.title", String(b.fiscalYear), loaded.unit.name),
            .alert(problem, kind: "error"),
            .p(.text(l("publish.status", l("budget.status.\(loaded.model.status)")))),
            .if(!loaded.errors.isEmpty, .div(.class("alert error"),
                .p(.text(l("publish.blocked", String(loaded.errors.count)))),
                .ul(.forEach(loaded.errors) { .li(.text(message($0))) }))),
            .if(!loaded.warnings.isEmpty, .div(.id("publish-warnings"), .class("alert warning"),
                .p(.text(l("publish.warnings", String(loaded.warnings.count)))),
                .ul(.forEach(loaded.warnings) { f in
                    .li(.span(.class("tag \(f.severity == .warning ? "warn" : "note")"),
                              .text(l("severity.\(f.severity.rawValue)"))), .text(" " + message(f)))
                }))),
            .if(!isCorrection && loaded.model.status != BudgetStatus.approved.rawValue,
                .p(.class("alert warning"), .text(l("publish.notApproved", l("budget.status.\(loaded.model.status)"))))),
            .form(
                .class("card"), .method(.post), .action(SiteRoute.budgetPublish(code: loaded.unit.code, year: b.fiscalYear).path),
                Form.csrf(ctx.csrfToken ?? ""),
                .p(.text(l(isCorrection ? "publish.correctExplain" : "publish.explain"))),
                Form.textarea(label: l(isCorrection ? "publish.noteRequired" : "publish.note"), name: "note", value: note, rows: 3),
                .if(canPublish && !loaded.warnings.isEmpty, .div(.class("field check"),
                    .label(.input(.type(.checkbox), .name("acceptWarnings"), .value(String(loaded.warnings.count)),
                                  .required(true)),
                           .text(" " + l("publish.acceptWarnings", String(loaded.warnings.count)))))),
                .div(.class("form-actions"),
                     .if(canPublish, .button(.type(.submit), .class("button primary"), .text(l(isCorrection ? "publish.correctSubmit" : "publish.submit")))),
                     .a(.class("button secondary"), .href(SiteRoute.budget(code: loaded.unit.code, year: b.fiscalYear).path), .text(l("form.cancel"))))
            ),
            .section(.id("publish-preview"), .class("publish-preview"),
                     .h2(.text(l("publish.previewTitle"))),
                     .p(.class("muted"), .text(l("publish.previewExplain"))),
                     .div(.class("preview-frame"), DisclosurePages.body(preview)))
        ).response(status: status)
    }

    static func due(_ ctx: PageContext, rows: [DueRow]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("due.title"),
            .p(.class("lead"), .text(l("due.intro", String(DueRow.limitDays)))),
            .if(rows.isEmpty, .p(.class("empty"), .text(l("due.none")))),
            .if(!rows.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("unit.name"))), .th(.text(l("due.year"))), .th(.text(l("due.approvedAt"))),
                           .th(.text(l("due.days"))), .th(.text(l("list.status"))))),
                .tbody(.forEach(rows) { r in
                    .tr(.td(.a(.href(SiteRoute.budget(code: r.unitCode, year: r.year).path), .text("\(r.unitCode) \(r.unitName)"))),
                        .td(.text(String(r.year))), .td(.text(r.approvedAt.map(DisclosurePages.date) ?? "—")),
                        .td(.class("num"), .text(r.daysSince.map(String.init) ?? "—")),
                        .td(.span(.class(r.overdue ? "tag off" : "tag warn"),
                                  .text(r.overdue ? l("due.overdue", String((r.daysSince ?? 0) - DueRow.limitDays))
                                                  : l("due.left", String(DueRow.limitDays - (r.daysSince ?? 0)))))))
                })
            )))
        ).response()
    }
}
