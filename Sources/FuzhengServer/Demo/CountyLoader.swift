import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Loads a generated county (`CountyGenerator`) into an empty database through the paths people's own
/// work takes: the organisation seed loader, `BudgetStore`, budget history rows, `DisclosureStore.publish`,
/// notifications of the next actor, and audit records for each change. One transaction for the
/// organisation and one per fiscal year.
enum CountyLoader {
    struct Counts: Sendable, Equatable {
        var units = 0
        var users = 0
        var budgets = 0
        var published = 0
    }

    static func load(_ county: CountyGenerator.Output, into app: Application, demoMode: Bool,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Counts {
        let seed = county.organisation
        try await DemoSeeder.load(seed, into: app, demoMode: demoMode, withBudgets: false)
        var counts = Counts(units: seed.units.count, users: seed.accounts.count)
        progress("组织与账户：\(counts.units) 个单位、\(counts.users) 个账户 / organisation: \(counts.units) units, "
            + "\(counts.users) accounts")

        let units = try await UnitModel.query(on: app.db).all()
        let unitsByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let users = try await UserModel.query(on: app.db).field(\.$id).field(\.$roleRaw).field(\.$unit.$id).all()
        let l = L10n(app.fuzheng.config.defaultLanguage)
        let label = "seed \(county.parameters.seed)"

        for year in Set(county.budgets.map(\.budget.fiscalYear)).sorted() {
            let budgets = county.budgets.filter { $0.budget.fiscalYear == year }
            let published = try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                var published = 0
                var events: [BudgetEventModel] = []
                var notifications: [NotificationModel] = []
                for generated in budgets {
                    guard let unit = unitsByCode[generated.unitCode] else { continue }
                    let unitID = try unit.requireID()
                    let code = generated.unitCode
                    var stored = generated.budget
                    // A published budget is stored as approved and then published, as the publish page does it.
                    if stored.status == .published { stored.status = .approved }
                    let model = try await BudgetStore.save(stored, unitID: unitID, on: tx)
                    let budgetID = try model.requireID()
                    let total = stored.totalExpenditure.readable
                    audit.add(AuditEvent(.create, objectType: "budget", objectID: "\(code)/\(year)",
                                         summary: "seed: generated county (\(label)): expenditure \(total)"))
                    for step in generated.steps {
                        let event = BudgetEventModel()
                        event.$budget.id = budgetID
                        event.at = date(year, step.dayOfYear, hour: 10)
                        event.username = step.username
                        event.displayName = step.displayName
                        event.action = step.action.rawValue
                        event.fromStatus = step.from.rawValue
                        event.toStatus = step.to.rawValue
                        event.comment = step.comment
                        events.append(event)
                        audit.add(AuditEvent(.update, objectType: "budget", objectID: "\(code)/\(year)",
                                             summary: "seed: workflow \(step.action.rawValue) by \(step.username): "
                                                 + "\(step.from.rawValue) → \(step.to.rawValue)"
                                                 + (step.comment.isEmpty ? "" : "; comment: \(step.comment)")))
                    }
                    if let approval = generated.steps.last(where: { $0.action == .financeApprove }) {
                        model.approvedAt = date(year, approval.dayOfYear, hour: 10)
                        try await model.save(on: tx)
                    }
                    if let day = generated.publishedDay {
                        let by = generated.steps.first { $0.action == .submit }?.username ?? "system"
                        let version = try await DisclosureStore.publish(model, unit: unit, note: nil, by: by,
                                                                        at: date(year, day, hour: 15), on: tx)
                        audit.add(AuditEvent(.create, objectType: "disclosure",
                                             objectID: "\(code)/\(year)/v\(version.version)",
                                             summary: "seed: generated county (\(label))"))
                        published += 1
                    } else if let last = generated.steps.last, let next = Workflow.nextActor(after: last.to) {
                        // The one message still waiting: the next actor's, as the workflow step would have sent it.
                        let link = SiteRoute.budget(code: code, year: year).path
                        let message = Message("workflow.notify.next", String(year), unit.name,
                                              "@budget.status.\(last.to.rawValue)")
                        let text = message.text(l)
                        let encoded = try message.encoded()
                        for user in users where user.roleRaw == next.rawValue
                            && (next == .financeReviewer || user.$unit.id == unitID) {
                            let n = NotificationModel()
                            n.$user.id = try user.requireID()
                            n.createdAt = date(year, last.dayOfYear, hour: 10)
                            n.text = text
                            n.message = encoded
                            n.link = link
                            notifications.append(n)
                        }
                    }
                }
                for chunk in events.chunked(by: DemoSeeder.insertBatch) { try await chunk.create(on: tx) }
                for chunk in notifications.chunked(by: DemoSeeder.insertBatch) { try await chunk.create(on: tx) }
                return published
            }
            counts.budgets += budgets.count
            counts.published += published
            progress("\(year) 年预算：\(budgets.count) 份，已公开 \(published) 份 / \(year) budgets: \(budgets.count), "
                + "\(published) published")
        }
        return counts
    }

    /// A moment of a budget year, in the county's time zone (the audit pages' zone).
    static func date(_ year: Int, _ dayOfYear: Int, hour: Int) -> Date {
        var components = DateComponents()
        components.year = year
        components.month = dayOfYear <= 31 ? 1 : 2
        components.day = dayOfYear <= 31 ? dayOfYear : dayOfYear - 31
        components.hour = hour
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AuditFilter.timeZone
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
