import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 预算执行 as the pages read it: each project of an approved (or published) budget of the year with its adjusted
/// budget, what was paid, its 执行率 against its own plan and the year's 序时进度, coloured by Core's rules. Read by
/// SQL from `budget_projects`, `budget_adjustments` and `execution_totals` — never the payments themselves.
enum ExecutionQueries {
    struct ProjectRow: Sendable {
        var unitCode: String
        var unitName: String
        var code: String
        var name: String
        var approved: Fen
        var adjusted: Fen
        var paid: Fen
        var payments: Int
        var plan: [SpendingCheckpoint]
        var rate: Int?
        var expected: Int
        var colour: ExecutionRules.Colour
        var reason: ExecutionRules.Reason
    }

    struct UnitRow: Sendable {
        var code: String
        var name: String
        var projects: Int
        var adjusted: Fen
        var paid: Fen
        var rate: Int?
        var expected: Int
        var colour: ExecutionRules.Colour
        var reason: ExecutionRules.Reason
        var red: Int
        var yellow: Int
    }

    /// The day a year is judged on: today within it, its last day once it is over.
    static func judgedOn(year: Int, today: CivilDay) -> CivilDay {
        let last = CivilDay(year: year, month: 12, day: 31)
        return today < last ? max(today, CivilDay(year: year, month: 1, day: 1)) : last
    }

    static func projects(year: Int, units: [String]?, today: CivilDay, on db: Database) async throws -> [ProjectRow] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct P: Decodable {
            var unit_code: String
            var unit_name: String
            var code: String
            var name: String
            var amount_fen: Int64
            var spending_plan: String?
        }
        struct Sum: Decodable {
            var unit_code: String
            var project_code: String
            var total: Int64
            var n: Int?
        }
        var unitFilter: SQLQueryString = ""
        if let units {
            guard !units.isEmpty else { return [] }
            unitFilter = " AND u.code IN (\(binds: units))"
        }
        let rows = try await sql.raw("""
            SELECT u.code AS unit_code, u.name AS unit_name, p.code, p.name, p.amount_fen, p.spending_plan
            FROM budget_projects p JOIN budgets b ON b.id = p.budget_id JOIN units u ON u.id = b.unit_id
            WHERE b.fiscal_year = \(bind: year) AND b.status IN ('approved', 'published')\(unitFilter)
            ORDER BY u.code, p.position
            """).all(decoding: P.self)
        var unitOnly: SQLQueryString = ""
        if let units { unitOnly = " AND unit_code IN (\(binds: units))" }
        let adjustments = try await sql.raw("""
            SELECT unit_code, project_code, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n
            FROM budget_adjustments
            WHERE year = \(bind: year)\(unitOnly) GROUP BY unit_code, project_code
            """).all(decoding: Sum.self)
        let paid = try await sql.raw("""
            SELECT unit_code, project_code, paid_fen AS total, payments AS n FROM execution_totals
            WHERE year = \(bind: year)\(unitOnly)
            """).all(decoding: Sum.self)
        func key(_ u: String, _ p: String) -> String { u + "|" + p }
        let adjusted = Dictionary(adjustments.map { (key($0.unit_code, $0.project_code), $0.total) },
                                  uniquingKeysWith: +)
        let paidBy = Dictionary(paid.map { (key($0.unit_code, $0.project_code), ($0.total, $0.n ?? 0)) },
                                uniquingKeysWith: { a, _ in a })
        let day = judgedOn(year: year, today: today)
        let rules = ExecutionRules.shared
        return rows.map { r in
            let k = key(r.unit_code, r.code)
            let approved = Fen(r.amount_fen)
            let delta = adjusted[k] ?? 0
            let budget = BudgetAdjustment.adjusted(approved, amounts: [Fen(delta)]) ?? approved
            let (paidFen, count) = paidBy[k] ?? (0, 0)
            let plan = SpendingCheckpoint.decode(r.spending_plan ?? "")
            let (colour, reason) = rules.colour(paid: Fen(paidFen), budget: budget, plan: plan, year: year, on: day)
            return ProjectRow(unitCode: r.unit_code, unitName: r.unit_name, code: r.code, name: r.name,
                              approved: approved, adjusted: budget, paid: Fen(paidFen), payments: count, plan: plan,
                              rate: ExecutionProgress.rate(paid: Fen(paidFen), budget: budget),
                              expected: ExecutionProgress.planned(on: day, year: year, plan: plan),
                              colour: colour, reason: reason)
        }
    }

    /// A unit's projects summed: its 执行率 against its plans weighted by budget.
    static func units(_ projects: [ProjectRow]) -> [UnitRow] {
        let rules = ExecutionRules.shared
        return Dictionary(grouping: projects, by: \.unitCode).map { code, list in
            let adjusted = list.reduce(Fen.zero) { $0 + $1.adjusted }
            let paid = list.reduce(Fen.zero) { $0 + $1.paid }
            // Σ budget × expected ÷ Σ budget with budgets weighed in 万元: a stated budget is at most 10^8 万元 and
            // an expectation at most 10^4, so even 10^5 projects stay far inside Int64.
            var weighted: Int64 = 0
            var weights: Int64 = 0
            for p in list where p.adjusted.value > 0 {
                let w = max(1, p.adjusted.value / Fen.perWan)
                weighted += w * Int64(p.expected)
                weights += w
            }
            let expected = weights > 0 ? Int(weighted / weights) : 0
            let rate = ExecutionProgress.rate(paid: paid, budget: adjusted)
            let nothing = list.allSatisfy { $0.reason == .nothingPaid }
            let (colour, reason) = rules.colour(rate: rate, expected: expected, nothingPaidAfterFirstPoint: nothing)
            return UnitRow(code: code, name: list[0].unitName, projects: list.count, adjusted: adjusted, paid: paid,
                           rate: rate, expected: expected, colour: colour, reason: reason,
                           red: list.filter { $0.colour == .red }.count,
                           yellow: list.filter { $0.colour == .yellow }.count)
        }
        .sorted { a, b in
            let ga = (a.rate ?? 0) - a.expected, gb = (b.rate ?? 0) - b.expected
            return ga != gb ? ga < gb : a.code < b.code
        }
    }

    /// Years with budgets, newest first, for the year chips.
    static func years(on db: Database) async throws -> [Int] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Y: Decodable { var fiscal_year: Int }
        return try await sql.raw("SELECT DISTINCT fiscal_year FROM budgets ORDER BY fiscal_year DESC")
            .all(decoding: Y.self).map(\.fiscal_year)
    }
}

/// The finance bureau's county page: every unit ranked, most behind its plans first, and the county's total.
struct ExecutionCountyPage: Sendable {
    var year: Int
    var years: [Int]
    var day: CivilDay
    var units: [ExecutionQueries.UnitRow]
    var adjusted: Fen
    var paid: Fen
    var rate: Int?
    var elapsed: Int
    var canImport: Bool

    /// The county's figures of a year on a day: the same for every reader until payments, adjustments or an
    /// approval change them (`CacheGenerations.execution`), so 3,000 projects are read once, not per load.
    static func query(on db: Database, cache: GenerationCache<ExecutionCountyFigures>? = nil, year: Int,
                      today: CivilDay, canImport: Bool) async throws -> ExecutionCountyPage {
        let day = ExecutionQueries.judgedOn(year: year, today: today)
        let compute = {
            let units = ExecutionQueries.units(try await ExecutionQueries.projects(year: year, units: nil,
                                                                                   today: today, on: db))
            return ExecutionCountyFigures(units: units, adjusted: units.reduce(Fen.zero) { $0 + $1.adjusted },
                                          paid: units.reduce(Fen.zero) { $0 + $1.paid })
        }
        let f: ExecutionCountyFigures
        if let cache {
            f = try await cache.value("\(year)|\(day)", on: db, compute: compute)
        } else {
            f = try await compute()
        }
        return ExecutionCountyPage(year: year, years: try await ExecutionQueries.years(on: db), day: day,
                                   units: f.units, adjusted: f.adjusted, paid: f.paid,
                                   rate: ExecutionProgress.rate(paid: f.paid, budget: f.adjusted),
                                   elapsed: ExecutionProgress.elapsed(on: day, year: year), canImport: canImport)
    }
}

struct ExecutionCountyFigures: Sendable {
    var units: [ExecutionQueries.UnitRow]
    var adjusted: Fen
    var paid: Fen
}

/// A unit's projects with their colours.
struct ExecutionUnitPage: Sendable {
    var unitCode: String
    var unitName: String
    var year: Int
    var years: [Int]
    var day: CivilDay
    var projects: [ExecutionQueries.ProjectRow]
    var summary: ExecutionQueries.UnitRow?
    var basicPaid: Fen
    var elapsed: Int
    var canImport: Bool

    static func query(on db: Database, unit: UnitModel, year: Int, today: CivilDay, canImport: Bool) async throws
        -> ExecutionUnitPage {
        let projects = try await ExecutionQueries.projects(year: year, units: [unit.code], today: today, on: db)
        struct Sum: Decodable { var total: Int64? }
        // PostgreSQL sums a bigint as numeric: cast back, so both databases answer an Int64.
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        let basic = try await sql.raw("""
            SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments
            WHERE unit_code = \(bind: unit.code) AND year = \(bind: year) AND project_code = ''
            """).first(decoding: Sum.self)?.total ?? 0
        let day = ExecutionQueries.judgedOn(year: year, today: today)
        return ExecutionUnitPage(unitCode: unit.code, unitName: unit.name, year: year,
                                 years: try await ExecutionQueries.years(on: db), day: day, projects: projects,
                                 summary: ExecutionQueries.units(projects).first, basicPaid: Fen(basic),
                                 elapsed: ExecutionProgress.elapsed(on: day, year: year), canImport: canImport)
    }
}

/// One project: its figures, adjustments and payments (newest first, paged), and the forms to add either.
struct ExecutionProjectPage: Sendable {
    var project: ExecutionQueries.ProjectRow
    var year: Int
    var adjustments: [BudgetAdjustmentModel]
    var payments: [PaymentModel]
    var total: Int
    var page: Int
    var canEdit: Bool
    /// The year's monitoring points with the status of this project's 监控表 at each (nil: not started).
    var monitoring: [(point: CivilDay, status: MonitoringStatus?)] = []

    static let perPage = 50

    static func query(on db: Database, unitCode: String, year: Int, code: String, today: CivilDay, page: Int,
                      canEdit: Bool) async throws -> ExecutionProjectPage? {
        guard let project = try await ExecutionQueries.projects(year: year, units: [unitCode], today: today, on: db)
            .first(where: { $0.code == code }) else { return nil }
        let adjustments = try await BudgetAdjustmentModel.query(on: db).filter(\.$unitCode == unitCode)
            .filter(\.$year == year).filter(\.$projectCode == code).sort(\.$day).all()
        let base = PaymentModel.query(on: db).filter(\.$unitCode == unitCode).filter(\.$year == year)
            .filter(\.$projectCode == code)
        let total = try await base.count()
        let payments = try await base.sort(\.$paidOn, .descending).range((page - 1) * perPage..<(page * perPage)).all()
        let tables = try await MonitoringTableModel.query(on: db).filter(\.$unitCode == unitCode)
            .filter(\.$year == year).filter(\.$projectCode == code).all()
        let status = Dictionary(tables.map { ($0.point, $0.statusValue) }, uniquingKeysWith: { a, _ in a })
        return ExecutionProjectPage(project: project, year: year, adjustments: adjustments, payments: payments,
                                    total: total, page: page, canEdit: canEdit,
                                    monitoring: MonitoringRules.shared.days(of: year).map {
                                        (point: $0, status: status[$0.description])
                                    })
    }
}
