import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The county's 公文 (Core `CountyDocuments`) loaded in batches: each batch one transaction with its documents, their
/// search terms (the platform's one index) and an audit record, so a county of 200,000 documents loads in minutes and
/// a failure leaves whole batches only.
enum CountyDocumentsLoader {
    static let batch = 2_000

    static func load(_ count: Int, seed: UInt64, years: [Int], into app: Application,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int {
        guard count > 0, !years.isEmpty else { return 0 }
        let units = try await UnitModel.query(on: app.db).sort(\.$code).all()
        guard !units.isEmpty else { return 0 }
        let list = units.map { CountyDocuments.Unit(code: $0.code, name: $0.name) }
        let ids = Dictionary(try units.map { ($0.code, try $0.requireID()) }, uniquingKeysWith: { a, _ in a })
        let generator = CountyDocuments.shared
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                var models: [DocumentModel] = []
                var entries: [SearchIndex.Entry] = []
                for i in start..<end {
                    let g = generator.document(i, seed: seed, units: list, years: years)
                    guard let unitID = ids[g.unitCode] else { continue }
                    let id = UUID()
                    let at = CountyLoader.date(g.year, g.dayOfYear, hour: 9 + i % 8)
                    let m = DocumentModel()
                    m.id = id
                    m.$unit.id = unitID
                    m.year = g.year
                    try m.set(g.document)
                    m.step = g.step.rawValue
                    m.countersignUnits = ""
                    m.countersignInOrder = false
                    m.countersigned = ""
                    m.waiversJSON = "[]"
                    m.numberText = g.number
                    m.draftedBy = g.drafter
                    m.draftedByName = "拟稿人"
                    m.version = 1
                    m.createdAt = at
                    m.updatedAt = at
                    models.append(m)
                    entries.append(try DocumentsController.entry(m, g.document))
                }
                for chunk in models.chunked(by: 250) { try await chunk.create(on: tx) }
                if let sql = tx as? SQLDatabase { try await SearchIndex.insert(kind: "document", entries, on: sql) }
                audit.add(AuditEvent(.create, objectType: "document",
                                     summary: "seed: generated county documents \(start + 1)–\(end) (seed \(seed))"))
            }
            if end % 20_000 == 0 || end == count {
                progress("公文：\(end) / \(count) 件 / documents: \(end) of \(count)")
            }
        }
        try await analyze(app.db)
        return count
    }

    /// Fresh statistics after a bulk load: without them PostgreSQL planned the search index's lookups badly, and its
    /// index-only scans read the table until a VACUUM sets the visibility map.
    static func analyze(_ db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("VACUUM ANALYZE search_terms").run()
            try await sql.raw("VACUUM ANALYZE documents").run()
        } else {
            try await sql.raw("ANALYZE").run()
        }
    }
}
