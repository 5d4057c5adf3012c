import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 自评表 waiting for someone: the unit head's approval, the finance bureau's review, the unit's finance staff when
/// one came back.
struct EvaluationTaskSource: TaskSource {
    enum Kind: String, Sendable { case approve, review, returned }
    var kind: Kind

    var id: String { "evaluation.\(kind.rawValue)" }
    var titleKey: String { "workbench.source.evaluation.\(kind.rawValue)" }

    func applies(to user: CurrentUser) -> Bool {
        switch kind {
        case .approve: user.principal.grant(.unitHead, reaching: Target(unitCode: user.unitCode)) != nil
        case .review: AccessPolicy.allows(user.principal, .reviewBudgets)
        case .returned: AccessPolicy.allows(user.principal, .editUnitBudget(unitCode: user.unitCode))
        }
    }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        var q = ProjectEvaluationModel.query(on: c.db)
        switch kind {
        case .approve:
            q = q.filter(\.$status == EvaluationStatus.submitted.rawValue).filter(\.$unitCode == user.unitCode)
        case .review: q = q.filter(\.$status == EvaluationStatus.unitApproved.rawValue)
        case .returned:
            q = q.filter(\.$status == EvaluationStatus.draft.rawValue).filter(\.$unitCode == user.unitCode)
        }
        var out: [WorkItem] = []
        for m in try await q.sort(\.$updatedAt).limit(50).all() {
            var detail = "\(m.year)年 · " + (m.total.isEmpty ? "" : "\(m.total)分 \(m.grade)")
            if kind == .returned {
                guard let last = try await EvaluationEventModel.query(on: c.db)
                    .filter(\.$evaluation.$id == m.requireID()).sort(\.$at, .descending).first(),
                      last.action == EvaluationAction.sendBack.rawValue else { continue }
                detail += " · 退回：\(last.comment)"
            }
            var w = WorkItem(title: (try? m.evaluation().projectName) ?? m.projectCode, detail: detail,
                             link: SiteRoute.evaluation(code: m.unitCode, year: m.year, project: m.projectCode).path)
            if kind == .returned { w.urgency = .overdue }
            out.append(w)
        }
        return out
    }
}
