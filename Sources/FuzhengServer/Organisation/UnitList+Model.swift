import Fluent
import FuzhengCore
import SQLKit
import Vapor

/// 全县单位 for the finance bureau: every active unit with the state of its budget for one year, filterable by
/// that state, so the bureau sees at a glance who has not submitted, who waits for review, who has not published.
struct UnitListModel: Sendable {
    /// What the filter can ask for: a status, or units with no budget for the year.
    static let noBudget = "none"
    var year: Int
    var years: [Int]
    var filter: String?
    var departments: [DepartmentDirectory]
    var statusByUnit: [String: BudgetStatus]
    /// How many units are in each state (the key `noBudget` for none), before filtering.
    var counts: [String: Int]
    var shownUnits: Int
    /// The page's own path and title: 全县单位 for the finance bureau, 分管单位 for a leader.
    var basePath = SiteRoute.units.path
    var titleKey = "nav.units"

    func state(of unitCode: String) -> String { statusByUnit[unitCode]?.rawValue ?? Self.noBudget }
}

enum UnitListController {
    struct ListQuery: Content {
        var year: Int?
        var status: String?
    }

    static func list(req: Request) async throws -> Response {
        try await req.require(.reviewBudgets)
        let q = try req.query.decode(ListQuery.self)
        let model = try await query(on: req.db, year: q.year, status: q.status)
        return UnitListView.render(req.pageContext(), model)
    }

    struct StatusRow: Decodable {
        var code: String
        var status: String
    }

    struct YearRow: Decodable {
        var fiscal_year: Int
    }

    /// 分管单位: the same list, limited to the units and departments a leader oversees (all for a county-wide leader).
    static func oversight(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let reaches = user.principal.oversight
        guard !reaches.isEmpty else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "route", objectID: req.url.path,
                                           summary: "oversight without 分管", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let q = try req.query.decode(ListQuery.self)
        var model = try await query(on: req.db, year: q.year, status: q.status, within: { code in
            reaches.contains { $0.covers(Target(unitCode: code)) }
        })
        model.basePath = SiteRoute.oversight.path
        model.titleKey = "nav.oversight"
        return UnitListView.render(req.pageContext(), model)
    }

    static func query(on db: any Database, year requested: Int?, status: String?,
                      within: (@Sendable (String) -> Bool)? = nil) async throws -> UnitListModel {
        let directory = try await OrganisationQueries.directory(on: db)
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let years = try await sql.raw("SELECT DISTINCT fiscal_year FROM budgets ORDER BY fiscal_year DESC")
            .all(decoding: YearRow.self).map(\.fiscal_year)
        let year = requested.flatMap { years.contains($0) ? $0 : nil } ?? years.first ?? 0
        let rows = try await sql.raw("""
            SELECT u.code, b.status FROM budgets b JOIN units u ON u.id = b.unit_id WHERE b.fiscal_year = \(bind: year)
            """).all(decoding: StatusRow.self)
        var statusByUnit: [String: BudgetStatus] = [:]
        for row in rows { statusByUnit[row.code] = BudgetStatus(rawValue: row.status) }
        let filter = status.flatMap { $0 == UnitListModel.noBudget || BudgetStatus(rawValue: $0) != nil ? $0 : nil }
        var counts: [String: Int] = [:]
        var departments: [DepartmentDirectory] = []
        var shown = 0
        for dept in directory {
            var kept = dept
            kept.units = dept.units.filter { unit in
                if let within, !within(unit.code) { return false }
                let state = statusByUnit[unit.code]?.rawValue ?? UnitListModel.noBudget
                counts[state, default: 0] += 1
                return filter == nil || filter == state
            }
            shown += kept.units.count
            if !kept.units.isEmpty { departments.append(kept) }
        }
        return UnitListModel(year: year, years: years, filter: filter, departments: departments,
                             statusByUnit: statusByUnit, counts: counts, shownUnits: shown)
    }
}
