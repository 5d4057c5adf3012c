import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Who sees which 督办 items, and the reads every page shares. A unit's people see the items their unit leads or
/// assists; a 分管 leader those of the units they oversee; the 督查室 and the principal leaders (county-wide grants)
/// all; a leader also the items that carry their own 批示.
enum SupervisionQueries {
    /// The states of an item still open, named rather than "not closed" so the (state, …) indexes serve the lists:
    /// PostgreSQL scanned the table for `<>` (benchmark of issue 18).
    static let openStates = SupervisionState.allCases.filter { $0 != .closed }.map(\.rawValue)

    /// The unit codes a person reaches; nil when every unit.
    static func reach(_ p: Principal, on db: Database) async throws -> Set<String>? {
        if p.grants.contains(where: { if case .county = $0.reach { true } else { false } }) { return nil }
        let units = try await UnitsMemo.all(on: db)
        return Set(units.map(\.code).filter { AccessPolicy.allows(p, .readUnitBusiness(unitCode: $0)) })
    }

    static func canView(_ user: CurrentUser, _ m: SupervisionItemModel, reach: Set<String>?) -> Bool {
        guard let reach else { return true }
        return reach.contains(m.leadUnit) || m.assistingList.contains(where: reach.contains)
            || m.leader == user.username
    }

    static func supervises(_ p: Principal) -> Bool {
        AccessPolicy.allows(p, .office(.superviseTasks, Target(unitCode: p.unitCode ?? "")))
    }

    static func handles(_ p: Principal, _ m: SupervisionItemModel) -> Bool {
        AccessPolicy.allows(p, .office(.handleSupervision, Target(unitCode: m.leadUnit)))
    }

    /// Whether anyone may see the module at all.
    static func canUse(_ p: Principal) -> Bool {
        p.grants.contains { [.inspector, .leader, .officeStaff, .clerk, .unitHead].contains($0.role) }
    }

    static func find(_ req: Request) async throws -> SupervisionItemModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let m = try await SupervisionItemModel.find(id, on: req.db) else { throw Abort(.notFound) }
        return m
    }

    /// The reach as a WHERE clause on `supervision_items`: one of its units (lead or assisting, through
    /// `supervision_units`) in the set, or the leader's own. `open` when the query keeps open items only: the units'
    /// rows of closed items are then skipped by the (unit_code, is_open, item_id) index, not matched and dropped.
    static func restrict(_ q: SQLSelectBuilder, reach: Set<String>?, username: String, open: Bool = false,
                         smallReach: Int = smallReach) -> SQLSelectBuilder {
        guard let reach else { return q }
        guard !reach.isEmpty else { return q.where("leader", .equal, username) }
        let codes = reach.sorted()
        guard open else {
            return q.where("""
                (leader = \(bind: username) OR id IN (SELECT item_id FROM supervision_units \
                WHERE unit_code IN (\(binds: codes))))
                """ as SQLQueryString)
        }
        // A few units reach a few open items: named by id, they are fetched by id (PostgreSQL: an own-unit
        // leader's count 4.4 → 0.9 ms, page 5.9 → 0.7 ms). A 分管 leader's hundreds are better matched while
        // walking the open items (the same form took 12 ms there instead of 6); SQLite does either in 1–4 ms.
        if codes.count <= smallReach {
            return q.where("""
                id IN (SELECT item_id FROM supervision_units WHERE unit_code IN (\(binds: codes)) \
                AND is_open = \(bind: true) UNION SELECT id FROM supervision_items WHERE leader = \(bind: username) \
                AND state IN (\(binds: openStates)))
                """ as SQLQueryString)
        }
        return q.where("""
            (leader = \(bind: username) OR id IN (SELECT item_id FROM supervision_units \
            WHERE unit_code IN (\(binds: codes)) AND is_open = \(bind: true)))
            """ as SQLQueryString)
    }

    /// Up to how many units a reach counts as small (an own unit, a leader of a few).
    static let smallReach = 20

    /// A row of a list: read by SQL with the columns a list needs (no text, no Fluent models).
    struct Row: Sendable, Decodable {
        var id: UUID
        var parent_id: UUID?
        var number_text: String
        var title: String
        var source: String
        var lead_unit: String
        var assisting: String
        var kind: String
        var start_on: String
        var due_on: String
        var state: String
        var progress: Int
        var closed_on: String?
        var leader: String?
        var has_children: Bool
        var extended_to: String?

        var dueDay: CivilDay? { CivilDay(due_on) }

        func colour(today: CivilDay, calendar: WorkingCalendar,
                    rules: SupervisionRules = .shared) -> (SupervisionRules.Colour, SupervisionRules.Reason) {
            guard let due = dueDay, let start = CivilDay(start_on) else { return (.green, .onTrack) }
            return rules.colour(start: start, deadline: due, progress: progress, closed: state == "closed",
                                today: today, calendar: calendar)
        }
    }

    static let rowColumns = ["id", "parent_id", "number_text", "title", "source", "lead_unit", "assisting", "kind",
                             "start_on", "due_on", "state", "progress", "closed_on", "leader", "has_children",
                             "extended_to"]

    static func select(_ sql: SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(rowColumns.map { SQLColumn($0) }).from(SupervisionItemModel.schema)
    }

    /// One period's figures summed by lead unit and source, in the database: the leaves (a split item counts by
    /// its sub-tasks) whose deadline in force (`stat_due_on`) falls in the period, each counted as Core's
    /// `SupervisedItem.tally` counts it (a test holds the two equal on random items).
    struct CellRow: Sendable, Decodable {
        var lead_unit: String
        var source: String
        var due: Int
        var closed: Int?
        var on_time: Int?
        var early: Int?
        var proposals_due: Int?
        var replied: Int?
        var rated: Int?
        var satisfied: Int?

        var cell: SupervisionStatistics.Cell? {
            guard let s = SupervisionSource(rawValue: source) else { return nil }
            return .init(unit: lead_unit, source: s, tally: SupervisionTally(
                due: due, closed: closed ?? 0, onTime: on_time ?? 0, early: early ?? 0,
                proposalsDue: proposals_due ?? 0, repliedOnTime: replied ?? 0, rated: rated ?? 0,
                satisfied: satisfied ?? 0))
        }
    }

    static func periodCells(from: CivilDay, to: CivilDay, reach: Set<String>?, unit: String?, username: String,
                            on db: Database) async throws -> [SupervisionStatistics.Cell] {
        guard let sql = db as? SQLDatabase else { return [] }
        let proposals = SupervisionSource.allCases.filter(\.isProposal).map(\.rawValue)
        let (f, t) = (from.description, to.description)
        let dissatisfied = Satisfaction.dissatisfied.rawValue
        func sum(_ condition: SQLQueryString, as name: String) -> SQLQueryString {
            "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS \(ident: name)"
        }
        let proposal: SQLQueryString = "source IN (\(binds: proposals))"
        var q = sql.select().column("lead_unit").column("source")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("due")))
            .column(sum("closed_on IS NOT NULL", as: "closed"))
            .column(sum("closed_on <= stat_due_on", as: "on_time"))
            .column(sum("closed_on < \(bind: f)", as: "early"))
            .column(sum(proposal, as: "proposals_due"))
            .column(sum("\(proposal) AND replied_on <= \(bind: t) AND replied_on <= stat_due_on", as: "replied"))
            .column(sum("\(proposal) AND satisfaction IS NOT NULL", as: "rated"))
            .column(sum("\(proposal) AND satisfaction <> \(bind: dissatisfied)", as: "satisfied"))
            .from(SupervisionItemModel.schema)
            .where("stat_due_on", .greaterThanOrEqual, f)
            .where("stat_due_on", .lessThanOrEqual, t)
            .where("has_children", .equal, false)
        if let unit { q = q.where("lead_unit", .equal, unit) }
        q = restrict(q, reach: reach, username: username).groupBy("lead_unit").groupBy("source")
        return try await q.all(decoding: CellRow.self).compactMap(\.cell)
    }

    static func unitNames(on db: Database) async throws -> [String: String] {
        Dictionary(try await UnitsMemo.all(on: db).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
