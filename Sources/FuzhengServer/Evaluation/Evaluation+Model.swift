import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One project's 自评表 of a year: the stored one, or a draft prefilled from the year's data — the adjusted budget
/// and what was paid, each indicator's value from its bound metric at the year's end, else from the project's
/// latest 监控表 — for the unit to complete.
struct EvaluationPage: Sendable {
    var evaluation: ProjectEvaluation
    var unitName: String
    var status: EvaluationStatus
    var version: Int
    var stored: Bool
    var events: [EvaluationEventModel]
    var actions: [EvaluationWorkflow.Transition]
    /// The unit's finance staff while a draft; the finance bureau re-scoring before its review.
    var canEdit: Bool
    var rescoring: Bool
    var problems: [FieldProblem]
    var score: EvaluationScore?

    var path: String {
        SiteRoute.evaluation(code: evaluation.unitCode, year: evaluation.year, project: evaluation.projectCode).path
    }

    static func find(unit: String, year: Int, project: String, on db: Database) async throws
        -> ProjectEvaluationModel? {
        try await ProjectEvaluationModel.query(on: db).filter(\.$unitCode == unit).filter(\.$year == year)
            .filter(\.$projectCode == project).first()
    }

    static func query(on db: Database, principal: Principal, unit: UnitModel, year: Int, project: String)
        async throws -> EvaluationPage? {
        let stored = try await find(unit: unit.code, year: year, project: project, on: db)
        let evaluation: ProjectEvaluation
        if let stored {
            evaluation = try stored.evaluation()
        } else {
            guard let fresh = try await draft(unit: unit, year: year, project: project, on: db) else { return nil }
            evaluation = fresh
        }
        let status = stored?.statusValue ?? .draft
        var events: [EvaluationEventModel] = []
        if let stored {
            events = try await EvaluationEventModel.query(on: db).filter(\.$evaluation.$id == stored.requireID())
                .sort(\.$at, .descending).all()
        }
        let path = EvaluationWorkflow.evaluation
        let staff = status == .draft && AccessPolicy.allows(principal, .editUnitBudget(unitCode: unit.code))
        let bureau = status == .unitApproved && AccessPolicy.allows(principal, .reviewBudgets)
        let problems = SelfEvaluation.problems(evaluation)
        return EvaluationPage(evaluation: evaluation, unitName: unit.name, status: status,
                              version: stored?.version ?? 0, stored: stored != nil, events: events,
                              actions: path.actions(for: principal, status: status, unitCode: unit.code),
                              canEdit: staff || bureau, rescoring: bureau, problems: problems,
                              score: try? SelfEvaluation.score(evaluation, checked: false))
    }

    /// A first draft from the year's data.
    static func draft(unit: UnitModel, year: Int, project code: String, on db: Database) async throws
        -> ProjectEvaluation? {
        try await drafts(unit: unit, year: year, only: code, on: db).first
    }

    /// First drafts of a unit's projects (or of one), each query made once for the unit: the budget, its
    /// adjustments, the payments summed per project, the 监控表 and the bindings of the year.
    static func drafts(unit: UnitModel, year: Int, only: String? = nil, on db: Database) async throws
        -> [ProjectEvaluation] {
        guard let (model, budget) = try await BudgetStore.find(unitCode: unit.code, year: year, on: db),
              ["approved", "published"].contains(model.status),
              let sql = db as? SQLDatabase else { return [] }
        let projects = budget.projects.filter { only == nil || $0.code == only }
        guard !projects.isEmpty else { return [] }
        var adjustments = BudgetAdjustmentModel.query(on: db).filter(\.$unitCode == unit.code).filter(\.$year == year)
        if let only { adjustments = adjustments.filter(\.$projectCode == only) }
        let adjusting = Dictionary(grouping: try await adjustments.all(), by: \.projectCode)
        struct Sum: Decodable {
            var project_code: String
            var total: Int64?
        }
        let paidRows = try await sql.raw("""
            SELECT project_code, CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments \
            WHERE unit_code = \(bind: unit.code) AND year = \(bind: year) GROUP BY project_code
            """).all(decoding: Sum.self)
        let paid = Dictionary(paidRows.map { ($0.project_code, Fen($0.total ?? 0)) }, uniquingKeysWith: { a, _ in a })
        var sheetQuery = MonitoringTableModel.query(on: db).filter(\.$unitCode == unit.code).filter(\.$year == year)
        if let only { sheetQuery = sheetQuery.filter(\.$projectCode == only) }
        let sheetsByProject = Dictionary(grouping: try await sheetQuery.sort(\.$point, .descending).all(),
                                         by: \.projectCode)
        var bindingQuery = IndicatorBindingModel.query(on: db).filter(\.$unitCode == unit.code).filter(\.$year == year)
        if let only { bindingQuery = bindingQuery.filter(\.$projectCode == only) }
        let bindingsByProject = Dictionary(grouping: try await bindingQuery.all(), by: \.projectCode)
        let yearEnd = CivilDay(year: year + 1, month: 1, day: 1).start()
        var out: [ProjectEvaluation] = []
        for project in projects {
            let code = project.code
            let adjusted = BudgetAdjustment.adjusted(project.amount, (adjusting[code] ?? []).map(\.adjustment))
                ?? project.amount
            // The latest 监控表 of the year (submitted or approved first) for values nothing measures.
            let sheets = sheetsByProject[code] ?? []
            let sheet = try (sheets.first { $0.statusValue != .draft } ?? sheets.first)?.sheet()
            let monitored = Dictionary((sheet?.entries ?? []).map { ($0.key, $0.value) },
                                       uniquingKeysWith: { a, _ in a })
            let bindings = Dictionary((bindingsByProject[code] ?? []).map { ($0.indicator, $0.metric) },
                                      uniquingKeysWith: { a, _ in a })
            var lines: [EvaluatedIndicator] = []
            for indicator in project.indicators {
                let key = MonitoringEntry.key(level1: indicator.level1, level2: indicator.level2, name: indicator.name)
                var line = EvaluatedIndicator(indicator)
                if indicator.comparator != .qualitative {
                    if let metric = bindings[key], let v = try await LiveMetrics.value(
                        metric, unitCode: unit.code, project: code, year: year, asOf: yearEnd, on: db) {
                        line.actual = v.text
                        line.note = "平台实时数据：\(MetricCatalog.shared.metric(metric)?.name ?? metric)，\(v.basis)"
                    } else if let value = monitored[key] {
                        line.actual = value
                        line.note = "取自\(sheet.map { "\($0.point)" } ?? "")绩效监控表"
                    }
                }
                lines.append(line)
            }
            out.append(ProjectEvaluation(unitCode: unit.code, year: year, projectCode: code, projectName: project.name,
                                         adjusted: adjusted, paid: paid[code] ?? .zero, indicators: lines))
        }
        return out
    }
}

/// A year's 自评表 for the finance bureau (every unit's; waiting ones first) or a unit (its projects, started or
/// not).
struct EvaluationListPage: Sendable {
    struct Row: Sendable {
        var unitCode: String
        var unitName: String
        var projectCode: String
        var projectName: String
        var status: EvaluationStatus?
        var total: String
        var grade: String
    }

    var year: Int
    var rows: [Row]

    static func query(on db: Database, year: Int, unit: String?) async throws -> EvaluationListPage {
        var q = ProjectEvaluationModel.query(on: db).filter(\.$year == year)
        if let unit { q = q.filter(\.$unitCode == unit) }
        let stored = try await q.limit(5_000).all()
        let names = Dictionary(try await UnitsMemo.all(on: db).map { ($0.code, $0.name) },
                               uniquingKeysWith: { a, _ in a })
        var rows = stored.map { m in
            Row(unitCode: m.unitCode, unitName: names[m.unitCode] ?? m.unitCode, projectCode: m.projectCode,
                projectName: (try? m.evaluation().projectName) ?? m.projectCode, status: m.statusValue,
                total: m.total, grade: m.grade)
        }
        if let unit {
            let seen = Set(stored.map(\.projectCode))
            let projects = try await ExecutionQueries.projects(year: year, units: [unit],
                                                               today: CivilDay(year: year, month: 12, day: 31), on: db)
            rows += projects.filter { !seen.contains($0.code) }.map {
                Row(unitCode: unit, unitName: $0.unitName, projectCode: $0.code, projectName: $0.name, status: nil,
                    total: "", grade: "")
            }
        }
        let order: [EvaluationStatus?: Int] = [.unitApproved: 0, .submitted: 1, .draft: 2, nil: 3, .reviewed: 4,
                                               .published: 5]
        return EvaluationListPage(year: year, rows: rows.sorted {
            (order[$0.status] ?? 9, $0.unitCode, $0.projectCode) < (order[$1.status] ?? 9, $1.unitCode, $1.projectCode)
        })
    }
}
