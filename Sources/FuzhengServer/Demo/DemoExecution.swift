import Fluent
import Foundation
import FuzhengCore
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
        }
    }
}
