import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The 督办 list: filters (state, colour, source, unit, words) or a statistics drill-down (the items behind one
/// figure of one period); open items first by the day they are due, so red comes first. A leader without filters
/// also sees the red items of their reach and the items that carry their own 批示.
struct SupervisionListPage: Sendable {
    struct Filter: Sendable, Equatable {
        var view = "open"
        var colour = ""
        var source = ""
        var unit = ""
        var query = ""
        /// Drill-down: due, closed, ontime or early, over [from, to].
        var rate = ""
        var from: CivilDay?
        var to: CivilDay?
        var page = 1

        var isPlain: Bool { colour.isEmpty && source.isEmpty && unit.isEmpty && query.isEmpty && rate.isEmpty
            && view == "open" }

        /// The filter as a link's query, without the page.
        var queryString: String {
            var parts: [String] = []
            if view != "open" { parts.append("view=" + QueryText.encode(view)) }
            for (k, v) in [("colour", colour), ("source", source), ("unit", unit), ("rate", rate)] where !v.isEmpty {
                parts.append("\(k)=" + QueryText.encode(v))
            }
            if let from { parts.append("from=\(from)") }
            if let to { parts.append("to=\(to)") }
            return parts.joined(separator: "&")
        }
    }

    struct Item: Sendable {
        var row: SupervisionQueries.Row
        var colour: SupervisionRules.Colour
        var reason: SupervisionRules.Reason
        var unitName: String
    }

    static let perPage = 50

    var filter: Filter
    var items: [Item]
    var total: Int
    var red: [Item]
    var mine: [Item]
    var sources: [SupervisionSource]
    var units: [(code: String, name: String)]
    var canCreate: Bool

    static func query(on db: Database, user: CurrentUser, filter f: Filter, today: CivilDay,
                      calendar: WorkingCalendar) async throws -> SupervisionListPage {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        let reach = try await SupervisionQueries.reach(user.principal, on: db)
        let allUnits = try await UnitsMemo.all(on: db)
        let names = Dictionary(allUnits.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        func item(_ r: SupervisionQueries.Row) -> Item {
            let (c, why) = r.colour(today: today, calendar: calendar)
            return Item(row: r, colour: c, reason: why, unitName: names[r.lead_unit] ?? r.lead_unit)
        }
        // Every colour is of open items; so is the plain list.
        let openOnly = !f.colour.isEmpty || (f.rate.isEmpty && f.view == "open")
        func filtered(counting: Bool = false) -> SQLSelectBuilder {
            let from = counting
                ? sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                    .from(SupervisionItemModel.schema)
                : SupervisionQueries.select(sql)
            var q = SupervisionQueries.restrict(from, reach: reach, username: user.username, open: openOnly)
            if !f.rate.isEmpty, let from = f.from, let to = f.to {
                q = q.where("stat_due_on", .greaterThanOrEqual, from.description)
                    .where("stat_due_on", .lessThanOrEqual, to.description).where("has_children", .equal, false)
                switch f.rate {
                case "closed": q = q.where("closed_on", .isNot, SQLLiteral.null)
                case "ontime": q = q.where(SQLColumn("closed_on"), .lessThanOrEqual, SQLColumn("stat_due_on"))
                case "open": q = q.where("closed_on", .is, SQLLiteral.null)
                case "early": q = q.where("closed_on", .lessThan, from.description)
                default: break
                }
            } else {
                switch f.view {
                case "closed": q = q.where("state", .equal, SupervisionState.closed.rawValue)
                case "all": break
                default: q = q.where("state", .in, SupervisionQueries.openStates)
                }
            }
            if f.colour == "red" {
                q = q.where("state", .in, SupervisionQueries.openStates)
                    .where("due_on", .lessThan, today.description)
            } else if f.colour == "yellow" || f.colour == "green" {
                q = q.where("state", .in, SupervisionQueries.openStates)
                    .where("due_on", .greaterThanOrEqual, today.description)
            }
            if !f.source.isEmpty { q = q.where("source", .equal, f.source) }
            if !f.unit.isEmpty { q = q.where("lead_unit", .equal, f.unit) }
            if !f.query.isEmpty {
                let like = "%" + SearchIndex.likeEscaped(f.query) + "%"
                let words: SQLQueryString = "(title LIKE \(bind: like) ESCAPE '\\' OR number_text = \(bind: f.query))"
                q = q.where(words)
            }
            return q
        }
        /// Open items first by the day due; a list of open items only needs no CASE (and sorts less).
        func ordered(_ q: SQLSelectBuilder, mixed: Bool = true) -> SQLSelectBuilder {
            (mixed ? q.orderBy(SQLRaw("CASE WHEN state = 'closed' THEN 1 ELSE 0 END")) : q)
                .orderBy("due_on", .ascending).orderBy("number_text", .ascending)
        }
        let mixed = !f.rate.isEmpty || f.view != "open"
        var items: [Item]
        var total: Int
        let offset = (f.page - 1) * perPage
        if f.colour == "yellow" || f.colour == "green" {
            // Yellow also depends on progress against 序时进度: decided here over the open items not yet overdue.
            let wanted: SupervisionRules.Colour = f.colour == "yellow" ? .yellow : .green
            let candidates = try await ordered(filtered(), mixed: false).limit(2_000)
                .all(decoding: SupervisionQueries.Row.self)
                .map(item).filter { $0.colour == wanted }
            total = candidates.count
            items = Array(candidates.dropFirst(offset).prefix(perPage))
        } else {
            struct Count: Decodable { var n: Int }
            total = try await filtered(counting: true).first(decoding: Count.self)?.n ?? 0
            items = try await ordered(filtered(), mixed: mixed && f.colour.isEmpty).limit(perPage).offset(offset)
                .all(decoding: SupervisionQueries.Row.self).map(item)
        }
        var red: [Item] = []
        var mine: [Item] = []
        if f.isPlain, f.page == 1, user.principal.grants.contains(where: { $0.role == .leader }) {
            // The plain list is the reach's open items by the day due, so its overdue ones come first: the red
            // items are its head, with no query of their own.
            red = Array(items.prefix { $0.row.due_on < today.description }.prefix(20))
            mine = try await ordered(SupervisionQueries.select(sql).where("leader", .equal, user.username)
                .where("parent_id", .is, SQLLiteral.null)).limit(20).all(decoding: SupervisionQueries.Row.self)
                .map(item)
        }
        let unitChoices = allUnits.filter { $0.is_active && (reach?.contains($0.code) ?? true) }
            .map { (code: $0.code, name: $0.name) }
        return SupervisionListPage(filter: f, items: items, total: total, red: red, mine: mine,
                                   sources: SupervisionSource.allCases, units: unitChoices,
                                   canCreate: SupervisionQueries.supervises(user.principal))
    }
}
