import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The finance bureau's 监控表 waiting for review.
struct MonitoringReviewSource: TaskSource {
    var id: String { "monitoring.review" }
    var titleKey: String { "workbench.source.monitoring.review" }

    func applies(to user: CurrentUser) -> Bool { AccessPolicy.allows(user.principal, .reviewBudgets) }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        let tables = try await MonitoringTableModel.query(on: c.db)
            .filter(\.$status == MonitoringStatus.submitted.rawValue).sort(\.$updatedAt).limit(50).all()
        let names = Dictionary(try await UnitsMemo.all(on: c.db).map { ($0.code, $0.name) },
                               uniquingKeysWith: { a, _ in a })
        return tables.map { t in
            WorkItem(title: "\(names[t.unitCode] ?? t.unitCode) · \((try? t.sheet().projectName) ?? t.projectCode)",
                     detail: "\(t.year)年监控点 \(t.point) · 已提交", link: SiteRoute.monitoringTable(
                        code: t.unitCode, project: t.projectCode, point: t.point).path)
        }
    }
}

/// A unit's 监控表 sent back, and this year's points passed without a submitted sheet, for its finance staff.
struct MonitoringUnitSource: TaskSource {
    var id: String { "monitoring.returned" }
    var titleKey: String { "workbench.source.monitoring.returned" }

    func applies(to user: CurrentUser) -> Bool {
        AccessPolicy.allows(user.principal, .editUnitBudget(unitCode: user.unitCode))
    }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        let drafts = try await MonitoringTableModel.query(on: c.db).filter(\.$unitCode == user.unitCode)
            .filter(\.$status == MonitoringStatus.draft.rawValue).all()
        var out: [WorkItem] = []
        for t in drafts {
            guard let last = try await MonitoringEventModel.query(on: c.db).filter(\.$table.$id == t.requireID())
                .sort(\.$at, .descending).first(), last.action == MonitoringAction.sendBack.rawValue else { continue }
            var w = WorkItem(title: (try? t.sheet().projectName) ?? t.projectCode,
                             detail: "\(t.point) · 退回：\(last.comment)",
                             link: SiteRoute.monitoringTable(code: t.unitCode, project: t.projectCode,
                                                             point: t.point).path)
            w.urgency = .overdue
            out.append(w)
        }
        return out
    }
}
