import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 公文检索: one search over 发文 and 收文 with the shared index, filtered by year, unit, type, state and 档号, for
/// the units a person reaches; read without a request so it is tested with a database alone.
struct DocumentSearch: Sendable {
    struct Filters: Sendable, Equatable {
        /// all, outgoing or incoming.
        var kind = "all"
        var query = ""
        var year: Int?
        var unitCode = ""
        /// A 文种 code (发文 only: a 收文 has none, so it is left out when one is asked for).
        var type = ""
        /// open (办理中), done (已办结 / 已核发) or archived (已归档).
        var state = ""
        /// The start of a 档号 (0434-WS·2023-Y…).
        var code = ""
    }

    struct Row: Sendable {
        var kind: String
        var id: UUID
        var title: String
        var number: String
        var unitCode: String
        var step: String
        var year: Int
        var code: String?
        var rank: Int64
    }

    var rows: [Row]
    var total: Int
    var capped: Bool

    static let perPage = 20

    /// The condition on index rows `t` (or on the table itself as `d`) for the filters that concern `table`.
    static func condition(_ f: Filters, source: String, table: String, done: String) -> SQLQueryString {
        var c: SQLQueryString = "1 = 1"
        if let year = f.year { c = c + " AND d.year = \(bind: year)" }
        if !f.type.isEmpty, source == "outgoing" { c = c + " AND d.type = \(bind: f.type)" }
        switch f.state {
        case "open": c = c + " AND d.step <> \(bind: done)"
        case "done": c = c + " AND d.step = \(bind: done)"
        case "archived":
            c = c + " AND EXISTS (SELECT 1 FROM archive_items a WHERE a.source = \(bind: source) AND a.source_id = d.id)"
        default: break
        }
        if !f.code.isEmpty {
            let escaped = SearchIndex.likeEscaped(f.code)
            c = c + """
                 AND EXISTS (SELECT 1 FROM archive_items a WHERE a.source = \(bind: source) AND a.source_id = d.id \
                AND a.code LIKE \(bind: escaped + "%") ESCAPE '\\')
                """
        }
        return c
    }

    static func query(_ f: Filters, principal: Principal, page: Int, on db: Database) async throws -> DocumentSearch {
        guard let sql = db as? SQLDatabase else { return DocumentSearch(rows: [], total: 0, capped: false) }
        var scopes = try await DocumentQueries.reachableUnitIDs(principal, on: db)
        if !f.unitCode.isEmpty {
            struct U: Decodable { var id: UUID }
            let asked = try await sql.raw("SELECT id FROM units WHERE code = \(bind: f.unitCode)")
                .all(decoding: U.self).map(\.id)
            scopes = scopes.map { s in s.filter(asked.contains) } ?? asked
        }
        let sources: [(source: String, kind: String, table: String, done: String)] = [
            ("outgoing", "document", "documents", DocumentStep.issued.rawValue),
            ("incoming", "incoming", "incoming_documents", IncomingStep.done.rawValue),
        ].filter { s in
            (f.kind == "all" || f.kind == s.0) && !(s.0 == "incoming" && !f.type.isEmpty)
        }
        let wanted = page * perPage
        var ids: [(String, UUID)] = []
        var total = 0
        var capped = false
        for s in sources {
            let c = condition(f, source: s.source, table: s.table, done: s.done)
            if !f.query.isEmpty {
                let filter: SQLQueryString = "EXISTS (SELECT 1 FROM \(ident: s.table) d WHERE d.id = t.object_id AND \(c))"
                let verify = s.source == "outgoing" ? DocumentQueries.holds(f.query) : IncomingQueries.holds(f.query)
                guard let found = try await SearchIndex.page(
                    kind: s.kind, query: f.query, audience: .scopes(scopes?.map(\.uuidString)), offset: 0,
                    limit: wanted, verify: verify, filter: filter, on: db) else { continue }
                ids += found.ids.map { (s.source, $0) }
                total += found.total
                capped = capped || found.capped
            } else {
                // No words: the newest of the filters, straight from the table (its unit and year are indexed).
                var scoped: SQLQueryString = ""
                if let scopes {
                    guard !scopes.isEmpty else { continue }
                    scoped = " AND d.unit_id IN (\(binds: scopes))"
                }
                // Documents kept from search (内部, 不予公开) are not listed here either.
                let open: SQLQueryString = s.source == "outgoing" ? " AND d.restricted = \(bind: false)"
                    : " AND d.secrecy <> \(bind: Secrecy.internalUse.rawValue)"
                struct Hit: Decodable { var id: UUID }
                struct N: Decodable { var n: Int }
                let hits = try await sql.raw("""
                    SELECT d.id FROM \(ident: s.table) d WHERE \(c)\(scoped)\(open) \
                    ORDER BY d.created_at DESC LIMIT \(unsafeRaw: String(wanted))
                    """).all(decoding: Hit.self)
                ids += hits.map { (s.source, $0.id) }
                total += try await sql.raw("""
                    SELECT count(*) AS n FROM (SELECT 1 FROM \(ident: s.table) d WHERE \(c)\(scoped)\(open) \
                    LIMIT \(unsafeRaw: String(SearchIndex.countCap + 1))) x
                    """).first(decoding: N.self)?.n ?? 0
                if total > SearchIndex.countCap {
                    capped = true
                    total = SearchIndex.countCap
                }
            }
        }
        let rows = try await load(ids, on: sql).sorted { $0.rank > $1.rank }
        return DocumentSearch(rows: Array(rows.dropFirst((page - 1) * perPage).prefix(perPage)), total: total,
                              capped: capped)
    }

    /// The rows of both kinds, by one query each, with their 档号 when filed and numbered.
    static func load(_ ids: [(String, UUID)], on sql: SQLDatabase) async throws -> [Row] {
        struct R: Decodable {
            var id: UUID
            var title: String
            var number: String?
            var code: String
            var step: String
            var year: Int
            var created_at: Date
            var archival: String?
        }
        var rows: [Row] = []
        for (source, table, number) in [("outgoing", "documents", "number_text"),
                                        ("incoming", "incoming_documents", "number_text")] {
            let wanted = ids.filter { $0.0 == source }.map(\.1)
            guard !wanted.isEmpty else { continue }
            let found = try await sql.raw("""
                SELECT d.id, d.title, d.\(ident: number) AS number, u.code, d.step, d.year, d.created_at, \
                (SELECT max(a.code) FROM archive_items a WHERE a.source = \(bind: source) AND a.source_id = d.id) \
                AS archival FROM \(ident: table) d JOIN units u ON u.id = d.unit_id WHERE d.id IN (\(binds: wanted))
                """).all(decoding: R.self)
            rows += found.map { r in
                Row(kind: source, id: r.id, title: r.title, number: r.number ?? "", unitCode: r.code, step: r.step,
                    year: r.year, code: r.archival, rank: Int64(r.created_at.timeIntervalSince1970 * 1000))
            }
        }
        return rows
    }
}
