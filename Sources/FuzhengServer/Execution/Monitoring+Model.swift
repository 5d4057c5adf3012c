import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One project's 监控表 at one point: the stored sheet, or a fresh one from the budget's indicators; while a draft
/// its spending figures (paid and adjustments up to the point) and bound indicators are computed again on every
/// load, so a bound indicator is already filled when the unit opens it.
struct MonitoringPage: Sendable {
    var sheet: MonitoringSheet
    var status: MonitoringStatus
    var version: Int
    var stored: Bool
    var events: [MonitoringEventModel]
    var actions: [MonitoringWorkflow.Transition]
    var canEdit: Bool
    var problems: [FieldProblem]

    var path: String {
        SiteRoute.monitoringTable(code: sheet.unitCode, project: sheet.projectCode, point: sheet.point.description)
            .path
    }

    /// The point named by a link: one of the year's monitoring points.
    static func point(_ text: String?) -> CivilDay? {
        guard let text, let day = CivilDay(text), MonitoringRules.shared.days(of: day.year).contains(day) else {
            return nil
        }
        return day
    }

    static func find(unit: String, project: String, point: CivilDay, on db: Database) async throws
        -> MonitoringTableModel? {
        try await MonitoringTableModel.query(on: db).filter(\.$unitCode == unit).filter(\.$year == point.year)
            .filter(\.$projectCode == project).filter(\.$point == point.description).first()
    }

    static func query(on db: Database, principal: Principal, unit: UnitModel, project code: String, point: CivilDay)
        async throws -> MonitoringPage? {
        let stored = try await find(unit: unit.code, project: code, point: point, on: db)
        let status = stored?.statusValue ?? .draft
        var sheet: MonitoringSheet
        if let stored, status != .draft {
            sheet = try stored.sheet()
        } else {
            guard let fresh = try await live(unit: unit, project: code, point: point, base: stored?.sheet(),
                                             on: db) else { return nil }
            sheet = fresh
        }
        var events: [MonitoringEventModel] = []
        if let stored {
            events = try await MonitoringEventModel.query(on: db).filter(\.$table.$id == stored.requireID())
                .sort(\.$at, .descending).all()
        }
        let mayEdit = AccessPolicy.allows(principal, .editUnitBudget(unitCode: unit.code))
        return MonitoringPage(sheet: sheet, status: status, version: stored?.version ?? 0, stored: stored != nil,
                              events: events,
                              actions: MonitoringWorkflow.monitoring.actions(for: principal, status: status,
                                                                             unitCode: unit.code),
                              canEdit: status == .draft && mayEdit, problems: sheet.problems())
    }

    /// The sheet as the figures stand: the budget's project, its adjustments and payments up to the point, the
    /// bound metrics; what the unit typed (`base`) is kept line by line.
    static func live(unit: UnitModel, project code: String, point: CivilDay, base: MonitoringSheet?,
                     rebinding: [String: String?] = [:], on db: Database) async throws -> MonitoringSheet? {
        guard let (model, budget) = try await BudgetStore.find(unitCode: unit.code, year: point.year, on: db),
              ["approved", "published"].contains(model.status),
              let project = budget.projects.first(where: { $0.code == code }),
              let sql = db as? SQLDatabase else { return nil }
        let adjustments = try await BudgetAdjustmentModel.query(on: db).filter(\.$unitCode == unit.code)
            .filter(\.$year == point.year).filter(\.$projectCode == code).filter(\.$day <= point.description).all()
        let adjusted = BudgetAdjustment.adjusted(project.amount, adjustments.map(\.adjustment)) ?? project.amount
        struct Sum: Decodable { var total: Int64? }
        let paid = Fen(try await sql.raw("""
            SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments WHERE unit_code = \(bind: unit.code) \
            AND year = \(bind: point.year) AND project_code = \(bind: code) AND paid_on <= \(bind: point.description)
            """).first(decoding: Sum.self)?.total ?? 0)
        var bindings = try await IndicatorBindingModel.all(unit: unit.code, year: point.year, project: code, on: db)
        for (key, metric) in rebinding { bindings[key] = metric }
        let typed = Dictionary((base?.entries ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let asOf = point.adding(days: 1).start()
        var entries: [MonitoringEntry] = []
        for indicator in project.indicators {
            var e = MonitoringEntry(indicator)
            if let old = typed[e.key] {
                (e.value, e.likelihood, e.cause, e.causeText, e.measures) = (old.value, old.likelihood, old.cause,
                                                                           old.causeText, old.measures)
            }
            e.metric = bindings[e.key]
            if let metric = e.metric {
                if let v = try await LiveMetrics.value(metric, unitCode: unit.code, project: code, year: point.year,
                                                       asOf: asOf, on: db) {
                    e.value = v.text
                    e.basis = v.basis
                } else {
                    e.basis = "该数据来源暂无数据，请手工填报"
                }
            }
            entries.append(e)
        }
        var sheet = MonitoringSheet(
            unitCode: unit.code, unitName: unit.name, year: point.year, projectCode: code, projectName: project.name,
            target: project.target, point: point, approved: project.amount, adjusted: adjusted, paid: paid,
            rate: ExecutionProgress.rate(paid: paid, budget: adjusted),
            planned: ExecutionProgress.planned(on: point, year: point.year, plan: project.spendingPlan),
            entries: entries)
        sheet.forecast = base?.forecast
        return sheet
    }
}

/// The 监控表 of a year for the finance bureau (every unit's, waiting ones first) or a unit (its own).
struct MonitoringListPage: Sendable {
    struct Row: Sendable {
        var unitCode: String
        var unitName: String
        var projectCode: String
        var projectName: String
        var point: String
        var status: MonitoringStatus
        var updatedAt: Date
    }

    var year: Int
    var rows: [Row]
    var reviewer: Bool

    static func query(on db: Database, year: Int, unit: String?, reviewer: Bool) async throws -> MonitoringListPage {
        var q = MonitoringTableModel.query(on: db).filter(\.$year == year)
        if let unit { q = q.filter(\.$unitCode == unit) }
        let tables = try await q.sort(\.$updatedAt, .descending).limit(2_000).all()
        let names = Dictionary(try await UnitsMemo.all(on: db).map { ($0.code, $0.name) },
                               uniquingKeysWith: { a, _ in a })
        let order: [MonitoringStatus: Int] = reviewer ? [.submitted: 0, .draft: 1, .approved: 2]
            : [.draft: 0, .submitted: 1, .approved: 2]
        let rows = tables.map { t in
            Row(unitCode: t.unitCode, unitName: names[t.unitCode] ?? t.unitCode, projectCode: t.projectCode,
                projectName: (try? t.sheet().projectName) ?? t.projectCode, point: t.point, status: t.statusValue,
                updatedAt: t.updatedAt)
        }.sorted { (order[$0.status] ?? 3, $1.updatedAt) < (order[$1.status] ?? 3, $0.updatedAt) }
        return MonitoringListPage(year: year, rows: rows, reviewer: reviewer)
    }
}
