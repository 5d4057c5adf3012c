import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The generated county's payments of one year (Core's `CountyPayments`) over the projects of its approved and
/// published budgets, 500,000 rows by default with `demo county --payments`: the data set of the execution
/// dashboard's benchmark. Inserted in batches, then the per-project totals the pages read.
enum CountyExecutionLoader {
    static let batch = 1_000

    static func load(_ total: Int, year: Int, seed: UInt64, into app: Application,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int {
        guard total > 0, let sql = app.db as? SQLDatabase else { return 0 }
        struct P: Decodable {
            var unit_code: String
            var code: String
            var amount_fen: Int64
            var spending_plan: String?
        }
        let projects = try await sql.raw("""
            SELECT u.code AS unit_code, p.code, p.amount_fen, p.spending_plan
            FROM budget_projects p JOIN budgets b ON b.id = p.budget_id JOIN units u ON u.id = b.unit_id
            WHERE b.fiscal_year = \(bind: year) AND b.status IN ('approved', 'published') ORDER BY u.code, p.position
            """).all(decoding: P.self).map {
                CountyPayments.ProjectInput(unitCode: $0.unit_code, code: $0.code, amount: Fen($0.amount_fen),
                                            plan: SpendingCheckpoint.decode($0.spending_plan ?? ""))
            }
        let units = Array(Set(projects.map(\.unitCode))).sorted()
        let (perProject, perUnit) = CountyPayments.split(total: total, projects: projects.count, units: units.count)
        var pending: [CountyPayments.Payment] = []
        var written = 0
        let now = app.fuzheng.clock.now()
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let rows = pending
            pending.removeAll(keepingCapacity: true)
            try await app.db.transaction { tx in
                guard let sql = tx as? SQLDatabase else { return }
                var insert = sql.insert(into: PaymentModel.schema)
                    .columns("id", "unit_code", "year", "month", "project_code", "line", "paid_on", "planned_on",
                             "amount_fen", "fund", "economic", "payee", "source", "created_by", "created_at")
                for r in rows {
                    let month = String(r.paidOn.description.prefix(7))
                    insert = insert.values(SQLBind(UUID()), SQLBind(r.unitCode), SQLBind(year), SQLBind(month),
                                           SQLBind(r.projectCode), SQLBind(r.line), SQLBind(r.paidOn.description),
                                           SQLBind(r.plannedOn?.description), SQLBind(r.amount.value),
                                           SQLBind("一般公共预算"), SQLBind(r.economic), SQLBind("企业"),
                                           SQLBind("import"), SQLBind("system"), SQLBind(now))
                }
                try await insert.run()
            }
            written += rows.count
            if written % 50_000 < rows.count { progress("支付 \(written) 笔 / \(written) payments") }
        }
        for p in projects {
            pending += CountyPayments.project(p, year: year, count: perProject, seed: seed)
            if pending.count >= batch { try await flush() }
        }
        for unit in units {
            pending += CountyPayments.basic(unit: unit, year: year, count: perUnit, seed: seed)
            if pending.count >= batch { try await flush() }
        }
        try await flush()
        try await app.db.transaction { tx in
            try await ExecutionTotals.recompute(units: Set(units), year: year, on: tx)
        }
        progress("\(year) 年支付 \(written) 笔，\(projects.count) 个项目 / \(written) payments of \(year), "
            + "\(projects.count) projects")
        return written
    }
}
