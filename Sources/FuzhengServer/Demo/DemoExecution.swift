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
