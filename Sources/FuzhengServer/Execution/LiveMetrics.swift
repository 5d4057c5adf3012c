import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The platform's own figures an indicator can be bound to (Core's `MetricCatalog`), computed from the year's start
/// to a monitoring point: the availability probe, the incident register, 督查督办, payments and execution. A metric
/// whose source is not on the platform yet answers nil and is entered by hand.
enum LiveMetrics {
    struct Value: Sendable, Equatable {
        var id: String
        /// As the indicator shows it: "99.93%", "3 小时 20 分".
        var text: String
        /// Rates in basis points (availability: parts per million ÷ 100).
        var basisPoints: Int?
        var seconds: Int?
        /// What it was computed over, for the screen.
        var basis: String
    }

    static func yearStart(_ year: Int) -> Date { CivilDay(year: year, month: 1, day: 1).start() }

    /// `project`: for an indicator of one project, the money metrics (资金拨付及时率, 执行率) count its payments only.
    static func value(_ id: String, unitCode: String?, project: String? = nil, year: Int, asOf: Date,
                      on db: Database) async throws -> Value? {
        guard let sql = db as? SQLDatabase else { return nil }
        let start = yearStart(year)
        let end = min(asOf, CivilDay(year: year + 1, month: 1, day: 1).start())
        let from = CivilDay(year: year, month: 1, day: 1), to = CivilDay(end.addingTimeInterval(-1))
        let pct = SupervisionStatistics.percentText
        switch id {
        case "platform_availability":
            struct N: Decodable { var n: Int?; var first: Int64? }
            let first = try await sql.raw("SELECT MIN(minute) AS first FROM availability_probes")
                .first(decoding: N.self)?.first
            let up = try await sql.raw("""
                SELECT COUNT(*) AS n FROM availability_probes WHERE ok = \(bind: true) \
                AND minute >= \(bind: AvailabilitySummary.minute(start)) \
                AND minute < \(bind: AvailabilitySummary.minute(end))
                """).first(decoding: N.self)?.n ?? 0
            let observed = AvailabilitySummary.compute(
                periodStart: start, periodEnd: end, now: asOf,
                monitoringSince: first.map { Date(timeIntervalSince1970: TimeInterval($0 * 60)) }, upMinutes: [])
            let s = AvailabilitySummary(minutesObserved: observed.minutesObserved, minutesUp: up)
            // Not monitored in the period: the value is entered by hand, never shown as a made-up rate.
            guard s.minutesObserved > 0 else { return nil }
            return Value(id: id, text: s.percentText, basisPoints: s.ratePPM.map { $0 / 100 }, seconds: nil,
                         basis: "\(s.minutesUp) / \(s.minutesObserved) 分钟")
        case "incident_recovery":
            let incidents = try await IncidentModel.query(on: db).filter(\.$startedAt >= start)
                .filter(\.$startedAt < end).all()
            let longest = incidents.compactMap(\.recovery.seconds).max()
            let open = incidents.filter { $0.endedAt == nil }.count
            let text = longest.map { IncidentRecovery(start: Date(timeIntervalSince1970: 0),
                                                      end: Date(timeIntervalSince1970: TimeInterval($0))).text }
                ?? "无事件 / none"
            return Value(id: id, text: text, basisPoints: nil, seconds: longest ?? 0,
                         basis: "\(incidents.count) 起事件" + (open > 0 ? "，\(open) 起处置中" : ""))
        case "supervision_on_time", "supervision_closed":
            let rates = SupervisionStatistics.make(cells: try await SupervisionQueries.periodCells(
                from: from, to: to, reach: nil, unit: unitCode, username: "", on: db)).county
            let bp = id == "supervision_on_time" ? rates.onTimeRate : rates.closedRate
            let part = id == "supervision_on_time" ? rates.onTime : rates.closed
            return Value(id: id, text: pct(bp), basisPoints: bp, seconds: nil,
                         basis: "\(part) / \(rates.due) 件（\(from)–\(to)）")
        case "payment_timeliness":
            guard let unitCode else { return nil }
            var q = PaymentModel.query(on: db).filter(\.$unitCode == unitCode).filter(\.$year == year)
                .filter(\.$plannedOn != nil)
            if let project { q = q.filter(\.$projectCode == project) }
            let rows = try await q.all()
            let facts = rows.compactMap { r -> PaymentFact? in
                guard let paid = CivilDay(r.paidOn) else { return nil }
                return PaymentFact(paidOn: paid, plannedOn: r.plannedOn.flatMap(CivilDay.init),
                                   amount: Fen(r.amountFen))
            }
            let r = PaymentTimeliness.rate(facts, from: from, to: to)
            return Value(id: id, text: pct(r.bp), basisPoints: r.bp, seconds: nil, basis: "\(r.onTime) / \(r.due) 笔")
        case "execution_rate":
            guard let unitCode else { return nil }
            let projects = try await ExecutionQueries.projects(year: year, units: [unitCode], today: to, on: db)
                .filter { project == nil || $0.code == project }
            let budget = projects.reduce(Fen.zero) { $0 + $1.adjusted }
            let only: SQLQueryString = project.map { "AND project_code = \(bind: $0)" } ?? "AND project_code <> ''"
            // Paid to the monitoring point, not the year's totals so far.
            struct Sum: Decodable { var total: Int64? }
            let paid = Fen(try await sql.raw("""
                SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments WHERE unit_code = \(bind: unitCode) \
                AND year = \(bind: year) \(only) AND paid_on <= \(bind: to.description)
                """).first(decoding: Sum.self)?.total ?? 0)
            let bp = ExecutionProgress.rate(paid: paid, budget: budget)
            return Value(id: id, text: pct(bp), basisPoints: bp, seconds: nil,
                         basis: "\(MoneyFormat.wan(paid)) / \(MoneyFormat.wan(budget)) 万元")
        case "staff_satisfaction":
            guard let unitCode, let (survey, r) = try await Surveys.latestRate(unit: unitCode, on: db) else {
                return nil
            }
            return Value(id: id, text: pct(r.rate), basisPoints: r.rate, seconds: nil,
                         basis: "\(survey.title)：\(r.satisfied) / \(r.base)，±\(pct(r.margin))")
        default:
            // 法律事务 and the others without a module here are entered by hand.
            return nil
        }
    }
}
