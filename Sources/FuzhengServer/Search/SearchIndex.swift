import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The one search index of the platform: (kind, object, term) rows from Core `SearchTerms`, the same on SQLite and
/// PostgreSQL. A module indexes its objects inside the transaction that changes them and asks for the objects that
/// hold every term of a query; it then checks the query against the object's own text and what the person may see.
enum SearchIndex {
    static let schema = "search_terms"

    /// Replaces an object's terms.
    static func index(kind: String, id: UUID, text: String, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.delete(from: schema).where("kind", .equal, kind).where("object_id", .equal, id).run()
        let terms = Array(SearchTerms.indexTerms(text)).sorted()
        for chunk in stride(from: 0, to: terms.count, by: 300) {
            let builder = sql.insert(into: schema).columns("kind", "object_id", "term")
            for term in terms[chunk..<min(chunk + 300, terms.count)] {
                builder.values([SQLBind(kind), SQLBind(id), SQLBind(term)] as [any SQLExpression])
            }
            try await builder.run()
        }
    }

    struct Hit: Decodable { var object_id: UUID }

    /// Objects of `kind` holding every term of the query, at most `limit`; nil when the query has no indexed term.
    static func candidates(kind: String, query: String, limit: Int = 500, on db: Database) async throws -> [UUID]? {
        guard let terms = SearchTerms.queryTerms(query), let sql = db as? SQLDatabase else { return nil }
        let list = Array(terms)
        return try await sql.select().column("object_id").from(schema)
            .where("kind", .equal, kind).where("term", .in, list)
            .groupBy("object_id")
            .having(SQLFunction("count", args: SQLDistinct(SQLColumn("term"))), .equal, SQLBind(list.count))
            .limit(limit)
            .all(decoding: Hit.self).map(\.object_id)
    }
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
