import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The office's 2023 self-evaluations of its four seed projects, drafted from the demo's execution data (payments,
/// bound metrics, 法律事务's 监控表) like any unit's, completed with the values a clerk would type, and taken
/// through the whole path to published: the first start shows scores, grades and the public tables.
enum DemoEvaluation {
    /// What the office reports for the lines the platform cannot measure, by indicator name.
    static let typed: [String: String] = [
        "数量": "1套", "平台正常运行率": "99.95%", "应急处置、故障排除时效": "3.33小时", "总成本": "425万元",
        "购买服务": "1项", "办结率": "92%", "服务时间": "12个月", "工作人员满意度": "93%",
        "训练次数": "1次", "合格率": "100%", "工作时效": "1年", "群众满意度": "86%",
        "办公用品需求满足率": "100%", "人员数量": "112人", "及时率": "91.67%", "预算控制金额": "249.6万元",
        "单位人员满意度": "96%",
    ]

    static func load(_ app: Application) async throws {
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == "434001").first() else { return }
        let projects = try await ExecutionQueries.projects(year: 2023, units: ["434001"],
                                                           today: CivilDay(year: 2023, month: 12, day: 31),
                                                           on: app.db)
        let now = app.fuzheng.clock.now()
        for p in projects {
            guard var e = try await EvaluationPage.draft(unit: unit, year: 2023, project: p.code, on: app.db) else {
                continue
            }
            complete(&e)
            let final = e
            guard let score = try? SelfEvaluation.score(final) else { continue }
            let steps: [(EvaluationAction, String, String, EvaluationStatus, EvaluationStatus)] = [
                (.submit, "caiwu", "王会计", .draft, .submitted),
                (.approve, "fuzeren", "李主任", .submitted, .unitApproved),
                (.review, "shenhe", "刘科长", .unitApproved, .reviewed),
                (.publish, "caiwu", "王会计", .reviewed, .published),
            ]
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                let m = ProjectEvaluationModel()
                (m.unitCode, m.year, m.projectCode, m.status, m.version) = ("434001", 2023, p.code, "published", 5)
                (m.evaluationJSON, m.total, m.grade) = (try ProjectEvaluationModel.encode(final),
                                                        SelfEvaluation.shown(score.total), score.grade)
                (m.updatedBy, m.updatedAt) = ("caiwu", now)
                try await m.create(on: tx)
                for (action, who, name, from, to) in steps {
                    let ev = EvaluationEventModel()
                    ev.$evaluation.id = try m.requireID()
                    (ev.at, ev.action, ev.username, ev.displayName) = (now, action.rawValue, who, name)
                    (ev.comment, ev.fromStatus, ev.toStatus) = ("", from.rawValue, to.rawValue)
                    try await ev.create(on: tx)
                }
                audit.add(AuditEvent(.create, objectType: "evaluation", objectID: p.code,
                                     summary: "演示：\(final.projectName) 2023年绩效自评 \(m.total)分 \(m.grade)（已公开）"))
            }
        }
    }

    /// Fills what a clerk would: values nothing measured, the qualitative judgements, reasons for every gap.
    static func complete(_ e: inout ProjectEvaluation) {
        for i in e.indicators.indices {
            var line = e.indicators[i]
            if line.indicator.comparator == .qualitative {
                line.judgement = .achieved
            } else if SelfEvaluation.number(line.actual) == nil {
                line.actual = typed[line.indicator.name] ?? line.indicator.value + line.indicator.unit
                line.note = ""
            }
            e.indicators[i] = line
        }
        if let score = try? SelfEvaluation.score(e, checked: false) {
            for (i, s) in score.lines.enumerated() where !s.met {
                e.indicators[i].cause = "实际完成值低于年度指标值（演示）"
                e.indicators[i].improvement = "分析原因，纳入下年度绩效目标管理（演示）"
            }
            if score.executionRate * 100 < Decimal(EvaluationRules.shared.explainExecutionBelow) {
                e.executionExplanation = "部分资金因项目进度调整未能在年内支付（演示）"
            }
        }
        e.conclusion = "项目总体按计划实施，主要绩效目标基本实现（演示）。"
        e.problems = "个别指标未达到年度目标值（演示）。"
        e.improvements = "加强项目过程管理和绩效运行监控（演示）。"
    }
}
