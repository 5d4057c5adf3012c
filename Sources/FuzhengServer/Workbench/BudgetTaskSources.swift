import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The budget module's work on the 工作台: what waits for this person's step, the unit's budgets and their
/// state, and (for the finance bureau) approved budgets against their 20-day publication deadline.
enum BudgetTaskSources {
    static func registerAll(in registry: TaskSourceRegistry) {
        registry.register(WaitingForMe())
        registry.register(OwnBudgets())
        registry.register(PublicationDeadlines())
        registry.register(Overseen())
    }

    struct Row: Decodable, Sendable {
        var unitCode: String
        var unitName: String
        var fiscalYear: Int
        var status: String
        var approvedAt: Date?

        enum CodingKeys: String, CodingKey {
            case unitCode = "unit_code", unitName = "unit_name", fiscalYear = "fiscal_year", status
            case approvedAt = "approved_at"
        }
    }

    /// Budgets in one of `statuses`, of one unit or of every unit; only the columns the 工作台 shows.
    static func query(on db: any Database, statuses: [BudgetStatus], unitCode: String?, limit: Int = 200)
        async throws -> [Row] {
        guard let sql = db as? any SQLDatabase, !statuses.isEmpty else { return [] }
        var query = sql.select()
            .column(SQLAlias(SQLColumn("code", table: "u"), as: SQLIdentifier("unit_code")))
            .column(SQLAlias(SQLColumn("name", table: "u"), as: SQLIdentifier("unit_name")))
            .column(SQLColumn("fiscal_year", table: "b")).column(SQLColumn("status", table: "b"))
            .column(SQLColumn("approved_at", table: "b"))
            .from(SQLAlias(SQLIdentifier(BudgetModel.schema), as: SQLIdentifier("b")))
            .join(SQLAlias(SQLIdentifier(UnitModel.schema), as: SQLIdentifier("u")),
                  on: SQLColumn("unit_id", table: "b"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("status", table: "b"), .in, SQLBind.group(statuses.map(\.rawValue)))
        if let unitCode { query = query.where(SQLColumn("code", table: "u"), .equal, SQLBind(unitCode)) }
        return try await query.orderBy(SQLColumn("fiscal_year", table: "b"), SQLDirection.descending)
            .orderBy(SQLColumn("code", table: "u")).limit(limit).all(decoding: Row.self)
    }

    static func daysLeftToPublish(_ row: Row, now: Date) -> Int? {
        guard row.status == BudgetStatus.approved.rawValue, let approved = row.approvedAt else { return nil }
        return PublicationDeadline.daysLeft(daysSinceApproval: calendarDays(from: approved, to: now))
    }

    static func deadlineText(_ l: L10n, _ daysLeft: Int?) -> String {
        guard let daysLeft else { return "" }
        return daysLeft < 0 ? l("workbench.overdue", String(-daysLeft)) : l("workbench.daysLeft", String(daysLeft))
    }

    static func item(_ l: L10n, _ row: Row, now: Date, withUnit: Bool, stepKey: String? = nil) -> WorkItem {
        let days = daysLeftToPublish(row, now: now)
        let state = l("budget.status.\(row.status)")
        let detail = [stepKey.map { l($0) } ?? state, deadlineText(l, days)].filter { !$0.isEmpty }
            .joined(separator: " · ")
        let title = withUnit ? l("workbench.budgetOf", String(row.fiscalYear), row.unitName)
                             : l("workbench.budgetYear", String(row.fiscalYear))
        return WorkItem(title: title, detail: detail,
                        link: SiteRoute.budget(code: row.unitCode, year: row.fiscalYear).path, daysLeft: days)
    }

    /// The budgets whose next step is this person's: the Core workflow says which statuses those are.
    struct WaitingForMe: TaskSource {
        var id: String { "budget.waiting" }
        var titleKey: String { "workbench.source.budgetWaiting" }

        func applies(to user: CurrentUser) -> Bool { !steps(for: user).isEmpty }

        /// The steps of every role the person holds (a 单位负责人 may also be the unit's 单位财务 in a small unit).
        func steps(for user: CurrentUser) -> [Workflow.Transition] {
            let roles = Set(user.principal.ownRoles)
            return Workflow.transitions.filter { roles.contains($0.role) && !Workflow.isBackward($0.action) }
        }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let steps = steps(for: user)
            let countyWide = user.holds(.financeReviewer)
            let rows = try await query(on: c.db, statuses: steps.map(\.from),
                unitCode: countyWide ? nil : user.unitCode)
            return rows.map { row in
                let step = steps.first { $0.from.rawValue == row.status }
                return item(c.l, row, now: c.now, withUnit: countyWide,
                    stepKey: step.map { "workbench.step.\($0.action.rawValue)" })
            }
        }
    }

    /// The unit's budgets in progress and the latest published one, with their state.
    struct OwnBudgets: TaskSource {
        var id: String { "budget.own" }
        var titleKey: String { "workbench.source.ownBudgets" }

        func applies(to user: CurrentUser) -> Bool {
            !Set(user.principal.ownRoles).isDisjoint(with: [.unitFinance, .unitHead, .leader])
        }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let rows = try await query(on: c.db, statuses: BudgetStatus.allCases, unitCode: user.unitCode, limit: 3)
            return rows.map { item(c.l, $0, now: c.now, withUnit: false) }
        }
    }

    /// 财政审核 watches every approved budget until it is published.
    struct PublicationDeadlines: TaskSource {
        var id: String { "budget.publication" }
        var titleKey: String { "workbench.source.publication" }

        func applies(to user: CurrentUser) -> Bool { user.holds(.financeReviewer) }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            try await query(on: c.db, statuses: [.approved], unitCode: nil).map { item(c.l, $0, now: c.now,
                withUnit: true) }
        }
    }

    /// 分管: the budgets of the units a leader oversees that are on their way (submitted up to approved), so a
    /// 副县长 sees on the phone where each of their departments stands.
    struct Overseen: TaskSource {
        var id: String { "budget.overseen" }
        var titleKey: String { "workbench.source.overseen" }

        func applies(to user: CurrentUser) -> Bool { !user.principal.oversight.isEmpty }

        func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
            let reaches = user.principal.oversight
            let rows = try await query(on: c.db, statuses: [.submitted, .unitApproved, .financeReviewed, .approved],
                                       unitCode: nil, limit: 500)
            return rows.filter { row in reaches.contains { $0.covers(Target(unitCode: row.unitCode)) } }
                .prefix(50).map { item(c.l, $0, now: c.now, withUnit: true) }
        }
    }
}
