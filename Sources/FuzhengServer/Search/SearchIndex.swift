import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The one search index of the platform: (kind, object, term) rows from Core `SearchTerms`, the same on SQLite and
/// PostgreSQL, each carrying what a query must not look up elsewhere: the object's order (`rank`, newest highest), its
/// scope (the unit it belongs to) and who may find it (`access`). A query walks its rarest term's rows newest first
/// and checks the other terms by lookups on (kind, object, term), so its cost follows the page asked for and the
/// rarest term, not the number of objects holding a common word (M016, M019).
enum SearchIndex {
    static let schema = "search_terms"

    /// Who may find an object: nobody through search (restricted), people who reach its scope, or everyone.
    enum Access: Int, Sendable {
        case restricted = 0, scoped = 1, everyone = 2
    }

    struct Entry: Sendable {
        var id: UUID
        var text: String
        var rank: Int64
        var scope: String
        var access: Access
    }

    /// Replaces an object's terms.
    static func index(kind: String, _ e: Entry, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.delete(from: schema).where("kind", .equal, kind).where("object_id", .equal, e.id).run()
        try await insert(kind: kind, [e], on: sql)
    }

    /// Rows of many objects at once (the county loader), in statements of 1,000 rows.
    static func insert(kind: String, _ entries: [Entry], on sql: SQLDatabase) async throws {
        var rows: [[any SQLExpression]] = []
        for e in entries {
            for term in SearchTerms.indexTerms(e.text) {
                rows.append([SQLBind(kind), SQLBind(e.id), SQLBind(term), SQLBind(e.rank), SQLBind(e.scope),
                             SQLBind(e.access.rawValue)])
            }
        }
        for start in stride(from: 0, to: rows.count, by: 1_000) {
            let insert = sql.insert(into: schema).columns("kind", "object_id", "term", "rank", "scope", "access")
            for row in rows[start..<min(start + 1_000, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }

    /// What a query may see: everyone's objects only, or objects of these scopes (nil: all) open to their readers.
    enum Audience: Sendable {
        case everyone
        case scopes([String]?)
    }

    /// Of these candidate ids, those whose text holds the query itself (SQL over the object's own table).
    typealias Verifier = @Sendable ([UUID], Database) async throws -> Set<UUID>

    /// A page found, and how many there are: exactly for one term; for several, counted up to `countCap`
    /// (`capped`: at least that many).
    struct Found: Sendable {
        var ids: [UUID]
        var total: Int
        var capped: Bool
    }

    /// Several terms are counted this far: an exact count of a common phrase probes every candidate's other terms
    /// (48–64 ms on PostgreSQL at county scale for 政府采购行为), and nobody pages past the first few hundred.
    static let countCap = 500

    /// A page of objects of `kind` holding every term of the query, newest first, and how many there are; nil when
    /// the query has no indexed term. `verify` keeps only objects whose text holds the query itself, for a query of
    /// several terms (its terms in another order are not it); it reads only a few pages of candidates, never all.
    /// `filter`, when given, is one more condition on the index row `t` (an EXISTS on the object's own table: a
    /// year, a type, a state), probed per candidate like a term.
    static func page(kind: String, query: String, audience: Audience, offset: Int, limit: Int,
                     verify: Verifier? = nil, filter: SQLQueryString? = nil, on db: Database) async throws -> Found? {
        guard let terms = SearchTerms.queryTerms(query), let sql = db as? SQLDatabase else { return nil }
        // The rarest term leads; its rows are counted only up to a cap, which is enough to rank them.
        var sized: [(String, Int)] = []
        for term in terms.sorted() {
            struct N: Decodable { var n: Int }
            let n = try await sql.raw("""
                SELECT count(*) AS n FROM (SELECT 1 FROM search_terms WHERE kind = \(bind: kind) \
                AND term = \(bind: term) LIMIT 5000) x
                """).first(decoding: N.self)?.n ?? 0
            if n == 0 { return Found(ids: [], total: 0, capped: false) }
            sized.append((term, n))
        }
        sized.sort { $0.1 < $1.1 }
        let lead = sized[0].0
        var condition: SQLQueryString = "t.kind = \(bind: kind) AND t.term = \(bind: lead)"
        switch audience {
        case .everyone:
            condition = condition + " AND t.access = \(bind: Access.everyone.rawValue)"
        case .scopes(let scopes):
            condition = condition + " AND t.access >= \(bind: Access.scoped.rawValue)"
            if let scopes {
                guard !scopes.isEmpty else { return Found(ids: [], total: 0, capped: false) }
                condition = condition + " AND t.scope IN (\(binds: scopes))"
            }
        }
        if let filter { condition = condition + " AND " + filter }
        for (term, _) in sized.dropFirst() {
            condition = condition + """
                 AND EXISTS (SELECT 1 FROM search_terms u WHERE u.kind = t.kind AND u.object_id = t.object_id \
                AND u.term = \(bind: term))
                """
        }
        struct Hit: Decodable { var object_id: UUID }
        struct N: Decodable { var n: Int }
        let several = sized.count > 1
        let matching = condition
        func hits(_ count: Int, from start: Int) async throws -> [UUID] {
            try await planned(several, on: db) { sql in
                try await sql.raw("""
                    SELECT t.object_id FROM search_terms t WHERE \(matching) \
                    ORDER BY t.rank DESC LIMIT \(unsafeRaw: String(count)) OFFSET \(unsafeRaw: String(start))
                    """).all(decoding: Hit.self).map(\.object_id)
            }
        }
        // One term that is the whole query needs no second look; anything else (a phrase, a word with punctuation or
        // a 文号 the index splits) is checked against the text, for the candidates of the page asked for only:
        // checking it inside the index walk let PostgreSQL read every candidate's text (150–650 ms for a phrase).
        let whole = sized.count == 1 && sized[0].0 == query.lowercased()
        var ids: [UUID]
        if whole || verify == nil {
            ids = try await hits(limit, from: offset)
        } else if let verify {
            ids = []
            var size = (offset + limit) * 2 + 40
            while true {
                let candidates = try await hits(size, from: 0)
                let held = try await verify(candidates, db)
                ids = Array(candidates.filter(held.contains).dropFirst(offset).prefix(limit))
                if ids.count == limit || candidates.count < size || size >= maxCandidates { break }
                size = min(size * 4, maxCandidates)
            }
        } else { ids = [] }
        // The total is the index's: a document holding a phrase's words apart is counted though not listed (reading
        // every candidate's text to count a common phrase cost 130–180 ms at county scale).
        if offset == 0 && ids.count < limit && (whole || verify == nil) {
            return Found(ids: ids, total: ids.count, capped: false)
        }
        let counted = several
            ? try await planned(true, on: db) { sql in
                try await sql.raw("""
                    SELECT count(*) AS n FROM (SELECT 1 FROM search_terms t WHERE \(matching) \
                    LIMIT \(unsafeRaw: String(countCap + 1))) x
                    """).first(decoding: N.self)?.n ?? 0
            }
            : try await sql.raw("SELECT count(*) AS n FROM search_terms t WHERE \(condition)")
                .first(decoding: N.self)?.n ?? 0
        let capped = several && counted > countCap
        return Found(ids: ids, total: max(capped ? countCap : counted, offset + ids.count), capped: capped)
    }

    /// Runs a query of several terms the way it is meant to run on PostgreSQL: the rarest term's rows in order, each
    /// other term probed by the (kind, object, term) index. PostgreSQL's estimate of a bigram's rows is far off (6,350
    /// for 采购's 46,612), so it hashed whole terms instead: 89 ms for a page of 政府采购行为 against 13 ms probed.
    /// SQLite plans these as written.
    static func planned<T: Sendable>(_ several: Bool, on db: Database,
                                     _ body: @escaping @Sendable (SQLDatabase) async throws -> T) async throws -> T {
        guard let outer = db as? SQLDatabase else { throw Abort(.internalServerError) }
        guard several, outer.dialect.name == "postgresql" else { return try await body(outer) }
        return try await db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SET LOCAL enable_hashjoin = off").run()
            try await sql.raw("SET LOCAL enable_mergejoin = off").run()
            return try await body(sql)
        }
    }

    /// `text` for a LIKE pattern with ESCAPE '\\': its \\, % and _ taken literally.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// A verifier: of the candidates, those whose `columns` of `table` hold `text` itself (LIKE, % and _ escaped).
    /// `table` and `columns` are the module's own names, never a person's input.
    static func holding(_ text: String, table: String, columns: [String]) -> Verifier {
        let pattern = "%" + likeEscaped(text) + "%"
        return { ids, db in
            guard !ids.isEmpty, let sql = db as? SQLDatabase else { return [] }
            struct Row: Decodable { var id: UUID }
            var held = Set<UUID>()
            for chunk in ids.chunked(by: 500) {
                var matches: SQLQueryString = ""
                for (i, column) in columns.enumerated() {
                    matches = matches + (i == 0 ? "" : " OR ")
                        + "d.\(ident: column) LIKE \(bind: pattern) ESCAPE '\\'"
                }
                let rows = try await sql.raw("""
                    SELECT d.id FROM \(ident: table) d WHERE d.id IN (\(binds: Array(chunk))) AND (\(matches))
                    """).all(decoding: Row.self)
                held.formUnion(rows.map(\.id))
            }
            return held
        }
    }

    /// How many candidates a phrase's page reads at most before it stops looking for more.
    static let maxCandidates = 4_000
}

struct M016CreateSearchTerms: AsyncMigration {
    var name: String { "M016CreateSearchTerms" }

    func prepare(on database: Database) async throws {
        try await database.schema(SearchIndex.schema)
            .field("kind", .string, .required)
            .field("object_id", .uuid, .required)
            .field("term", .string, .required)
            .create()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "search_terms_term").on(SearchIndex.schema).column("kind").column("term")
                .column("object_id").run()
            try await sql.create(index: "search_terms_object").on(SearchIndex.schema).column("kind")
                .column("object_id").run()
        }
    }

    func revert(on database: Database) async throws { try await database.schema(SearchIndex.schema).delete() }
}

/// Order, scope and access on every row, with the indexes a query walks: (kind, term, access, rank, scope) for the
/// public and for counting,
/// (kind, term, rank, access, scope) for people, (kind, object, term) for the other terms. Existing rows are rebuilt
/// from their objects by the modules (documents here).
struct M019SearchOrderAndAccess: AsyncMigration {
    var name: String { "M019SearchOrderAndAccess" }

    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.drop(index: "search_terms_term").run()
        try await sql.drop(index: "search_terms_object").run()
        try await database.schema(SearchIndex.schema).delete()
        try await database.schema(SearchIndex.schema)
            .field("kind", .string, .required)
            .field("object_id", .uuid, .required)
            .field("term", .string, .required)
            .field("rank", .int64, .required)
            .field("scope", .string, .required)
            .field("access", .int, .required)
            .create()
        // With the scope too, so counting what people may find reads this index alone (the planner picks it for
        // `access >=`): 175 ms → milliseconds for a common word within one unit of a 200,000-document county.
        try await sql.create(index: "search_terms_public").on(SearchIndex.schema).column("kind").column("term")
            .column("access").column("rank").column("scope").column("object_id").run()
        try await sql.create(index: "search_terms_rank").on(SearchIndex.schema).column("kind").column("term")
            .column("rank").column("access").column("scope").column("object_id").run()
        try await sql.create(index: "search_terms_object").on(SearchIndex.schema).column("kind").column("object_id")
            .column("term").run()
        for document in try await DocumentModel.query(on: database).all() {
            try await DocumentsController.reindex(document, on: database)
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(SearchIndex.schema).delete()
        try await M016CreateSearchTerms().prepare(on: database)
    }
}
