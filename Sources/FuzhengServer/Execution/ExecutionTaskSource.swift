import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The unit's red and yellow projects of this year on the 工作台 of its finance staff and head (the finance bureau
/// has the county page, ranked, one click away: reading 3,000 projects on every 工作台 would cost every user).
struct ExecutionTaskSource: TaskSource {
    var id: String { "execution.behind" }
    var titleKey: String { "workbench.source.execution.behind" }

    func applies(to user: CurrentUser) -> Bool {
        user.principal.grants.contains { [.unitFinance, .unitHead].contains($0.role) }
    }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        let today = CivilDay(c.now)
        let rows = try await ExecutionQueries.projects(year: today.year, units: [user.unitCode], today: today, on: c.db)
        return rows.filter { $0.colour != .green }.sorted { $0.colour < $1.colour }.prefix(50).map { r in
            var w = WorkItem(title: r.name,
                             detail: c.l("execution.project.line", SupervisionStatistics.percentText(r.rate),
                                         SupervisionStatistics.percentText(r.expected), MoneyFormat.wan(r.paid),
                                         MoneyFormat.wan(r.adjusted)),
                             link: SiteRoute.executionProject(code: r.unitCode, project: r.code).path
                                 + "?year=\(today.year)")
            w.urgency = r.colour == .red ? .overdue : .dueSoon
            return w
        }
    }
}
