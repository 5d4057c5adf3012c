import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The office's 2023 payments for its four seed projects, month by month, read from
/// `Resources/demo/payments-434001-2023.csv` through the import itself (the treasury export's form): 法律事务 on plan
/// (green), the 电子政务平台 behind it (85% by the year's end: yellow), 民兵预备役 stopped after June (red); and a 追加
/// to 综合事务经费, which leaves it behind too. `serve` with the demo only.
enum DemoExecution {
    static func load(_ app: Application) async throws {
        guard let url = Bundle.module.url(forResource: "payments-434001-2023", withExtension: "csv",
                                          subdirectory: "demo") else { return }
        let data = try Data(contentsOf: url)
        let projects = try await ExecutionController.projectCodes(year: 2023, on: app.db)
        guard projects["434001"] != nil else { return }
        let table = try PaymentImport.table(fileName: url.lastPathComponent, data: data).get()
        let read = PaymentImport.read(table, context: .init(year: 2023, projects: projects, allowedUnits: nil))
        guard read.problems.isEmpty else {
            throw Abort(.internalServerError, reason: "demo payments: \(read.problems.map(\.messageEn))")
        }
        let now = app.fuzheng.clock.now()
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            let result = try await ExecutionStore.replace(read.rows, year: 2023, by: "caiwu", at: now, on: tx)
            try await CacheGenerations.bump(CacheGenerations.execution, on: tx)
            let m = BudgetAdjustmentModel()
            m.unitCode = "434001"
            m.year = 2023
            m.projectCode = "13073023P00004610004L"
            m.kind = BudgetAdjustment.Kind.add.rawValue
            m.number = "怀财预〔2023〕15号"
            m.day = "2023-07-12"
            m.amountFen = Fen.yuan(200_000).value
            m.createdBy = "caiwu"
            m.createdAt = now
            try await m.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "payments", objectID: "2023",
                                 summary: "演示：434001 2023年支付 \(result.added) 笔，预算追加 1 笔"))
            try await survey(now: now, on: tx)
            try await bindSeedIndicators(on: tx)
            let incident = IncidentModel()
            incident.startedAt = CivilDay(year: 2023, month: 5, day: 16).start().addingTimeInterval(9 * 3_600)
            incident.endedAt = incident.startedAt.addingTimeInterval(3 * 3_600 + 20 * 60)
            incident.kindRaw = IncidentKind.networkFailure.rawValue
            incident.title = "县电子政务外网光缆中断（演示）"
            incident.cause = "道路施工挖断光缆，移动办公系统外网访问中断（演示数据）。"
            incident.measures = "切换至备用链路，运营商抢修后恢复主链路。"
            incident.backupRef = ""
            incident.recordedBy = "secadmin"
            incident.version = 1
            try await incident.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "incident", objectID: incident.id?.uuidString,
                                 summary: "seed: \(incident.auditSummary)"))
        }
        try await approvedSheet(app, now: now)
    }

    /// The seed's indicators the platform measures: 电子政务平台 — 平台正常运行率, 应急处置时效, 使用人员满意度;
    /// 综合事务经费 — 及时率 (资金拨付).
    static func bindSeedIndicators(on tx: Database) async throws {
        let bindings: [(String, String, String, String, String)] = [
            ("13073023P00005210005Q", "产出指标", "质量指标", "平台正常运行率", "platform_availability"),
            ("13073023P00005210005Q", "产出指标", "时效指标", "应急处置、故障排除时效", "incident_recovery"),
            ("13073023P00005210005Q", "满意度指标", "服务对象满意度指标", "使用人员满意度", "staff_satisfaction"),
            ("13073023P00004610004L", "产出指标", "时效指标", "及时率", "payment_timeliness"),
        ]
        for (project, l1, l2, name, metric) in bindings {
            try await IndicatorBindingModel.set(unit: "434001", year: 2023, project: project,
                                                indicator: MonitoringEntry.key(level1: l1, level2: l2, name: name),
                                                metric: metric, on: tx)
        }
    }

    /// 法律事务's 监控表 at the end of June 2023, submitted by the unit and approved by the finance bureau.
    static func approvedSheet(_ app: Application, now: Date) async throws {
        let point = CivilDay(year: 2023, month: 6, day: 30)
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == "434001").first(),
              var sheet = try await MonitoringPage.live(unit: unit, project: "13073023P00004810005K", point: point,
                                                        base: nil, on: app.db) else { return }
        sheet.forecast = .yuan(300_000)
        let values = ["1项", "92%", "6个月", "14.6万元", "已维护", "93%"]
        for i in sheet.entries.indices {
            sheet.entries[i].value = i < values.count ? values[i] : "按计划推进"
            sheet.entries[i].likelihood = .certain
        }
        let json = try MonitoringTableModel.encode(sheet)
        let final = sheet
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            let m = MonitoringTableModel()
            (m.unitCode, m.year, m.projectCode, m.point) = ("434001", 2023, final.projectCode, point.description)
            (m.status, m.version, m.sheetJSON, m.updatedBy, m.updatedAt) = ("approved", 3, json, "shenhe", now)
            try await m.create(on: tx)
            for (action, who, name, from, to) in [("submit", "caiwu", "单位财务", "draft", "submitted"),
                                                  ("approve", "shenhe", "财政审核", "submitted", "approved")] {
                let e = MonitoringEventModel()
                e.$table.id = try m.requireID()
                (e.at, e.action, e.username, e.displayName) = (now, action, who, name)
                (e.comment, e.fromStatus, e.toStatus) = ("", from, to)
                try await e.create(on: tx)
            }
            audit.add(AuditEvent(.create, objectType: "monitoring", objectID: final.projectCode,
                                 summary: "演示：法律事务 2023年1-6月绩效监控表（已审核）"))
        }
    }

    /// A finished staff survey of the platform (使用人员满意度 ≥ 95% in the seed): 120 people of the county's units
    /// invited, 108 answers, counts fixed here so the rate and margin are the same on every start.
    static func survey(now: Date, on tx: Database) async throws {
        let s = SurveyModel()
        s.ownerUnit = "434001"
        s.title = "2023年一体化移动办公系统使用人员满意度调查"
        s.questions = "对一体化移动办公系统的总体满意度\n系统运行的稳定性\n操作的便捷性"
        s.formula = SurveyRateFormula.topThree.rawValue
        s.status = "closed"
        s.invited = 120
        s.createdBy = "bangong"
        s.createdAt = now
        s.closedAt = now
        try await s.create(on: tx)
        guard let sql = tx as? SQLDatabase else { return }
        let counts: [[(SurveyLevel, Int)]] = [
            [(.verySatisfied, 61), (.satisfied, 33), (.fair, 9), (.dissatisfied, 3), (.unknown, 2)],
            [(.verySatisfied, 55), (.satisfied, 35), (.fair, 12), (.dissatisfied, 4), (.veryDissatisfied, 1),
             (.unknown, 1)],
            [(.verySatisfied, 48), (.satisfied, 38), (.fair, 15), (.dissatisfied, 5), (.unknown, 2)],
        ]
        var insert = sql.insert(into: "survey_answers").columns("survey_id", "question", "level")
        for (q, list) in counts.enumerated() {
            for (level, n) in list {
                for _ in 0..<n { insert = insert.values(SQLBind(try s.requireID()), SQLBind(q), SQLBind(level.rawValue)) }
            }
        }
        try await insert.run()
    }
}
