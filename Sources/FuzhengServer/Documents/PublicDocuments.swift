import Fluent
import Foundation
import FuzhengCore
import Plot
import Vapor

/// 政府信息公开 — 文件: every issued document marked 主动公开, for everyone, listed newest first and searchable by
/// two-character words or 文号 through the same index as the signed-in search.
enum PublicDocuments {
    static let perPage = 20

    static func isPublic(_ m: DocumentModel) -> Bool {
        guard m.step == DocumentStep.issued.rawValue, !m.restricted, let d = try? m.decoded() else { return false }
        return d.openness == .proactive && !d.secrecy.isStateSecret && d.secrecy == .none
    }

    static func list(req: Request) async throws -> Response {
        let text = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let (rows, total, capped) = try await query(text: String(text.prefix(100)), page: page, on: req.db)
        return PublicDocumentsView.list(req.pageContext(), rows: rows, query: text, page: page, total: total,
                                        capped: capped)
    }

    /// The portal's page of documents: issued, not restricted, 主动公开, newest first; with a query, those holding it,
    /// found by the index alone (it knows which documents are public and their order). Counted and paged in the
    /// database.
    static func query(text: String, page: Int, on db: Database) async throws
        -> ([DocumentQueries.ListRow], Int, Bool) {
        if !text.isEmpty, let found = try await SearchIndex.page(
            kind: "document", query: text, audience: .everyone, offset: (page - 1) * perPage, limit: perPage,
            verify: DocumentQueries.holds(text), on: db) {
            let models = try await DocumentQueries.load(found.ids, on: db)
            return (models.filter(isPublic).map(DocumentQueries.row), found.total, found.capped)
        }
        let query = DocumentModel.query(on: db).filter(\.$step == DocumentStep.issued.rawValue)
            .filter(\.$restricted == false).filter(\.$openness == Openness.proactive.rawValue)
        if !text.isEmpty {
            // A query the index cannot answer (one character): titles and 文号 that hold it.
            query.group(.or) { g in
                g.filter(\.$title, .contains(inverse: false, .anywhere), text)
                g.filter(\.$numberText, .contains(inverse: false, .anywhere), text)
            }
        }
        let total = try await query.count()
        let models = try await query.copy().with(\.$unit).sort(\.$updatedAt, .descending)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return (models.filter(isPublic).map(DocumentQueries.row), total, false)
    }

    static func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let m = try await DocumentModel.query(on: req.db).filter(\.$id == id).with(\.$unit).first(),
              isPublic(m) else { throw Abort(.notFound) }
        let d = try m.decoded()
        let register = try await DocumentQueries.register(on: req.db)
        return PublicDocumentsView.document(req.pageContext(), id: id.uuidString, d, number: m.numberText,
                                            issuers: d.issuers.map { register[$0]?.name ?? $0 }, issuedAt: m.updatedAt)
    }
}

enum PublicDocumentsView {
    static func list(_ ctx: PageContext, rows: [DocumentQueries.ListRow], query: String, page: Int, total: Int,
                     capped: Bool = false) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("public.documents.title"),
            .p(.class("lead"), .text(l("public.documents.intro"))),
            SearchBox.render(l, action: SiteRoute.publicDocuments.path, query: query,
                             placeholder: l("public.documents.search")),
            .if(rows.isEmpty, .p(.class("empty"), .text(query.isEmpty ? l("public.documents.none")
                                                                       : l("list.noMatch", query)))),
            .if(total > 0, .p(.class("muted"), .id("count"),
                              .text(l("public.documents.count", String(total) + (capped ? "+" : ""))))),
            .if(!rows.isEmpty, .ul(.class("work-list"), .forEach(rows) { r in
                .li(.class("work-item"), .a(.href(SiteRoute.publicDocument(id: r.id).path),
                    .span(.class("work-title"), .text(r.title)),
                    .span(.class("work-detail"), .text([r.number ?? "", DelegationController.day(r.updatedAt)]
                        .filter { !$0.isEmpty }.joined(separator: " · ")))))
            })),
            Pager.render(l, basePath: SiteRoute.publicDocuments.path, query: query, page: page,
                         perPage: PublicDocuments.perPage, total: total)
        ).response()
    }

    static func document(_ ctx: PageContext, id: String, _ d: OutgoingDocument, number: String?, issuers: [String],
                         issuedAt: Date) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: d.title,
            .p(.a(.href(SiteRoute.publicDocuments.path), .text(l("public.documents.back")))),
            .dl(.class("facts"),
                .dt(.text(l("document.number"))), .dd(.text(number ?? "")),
                .dt(.text(l("document.issuers"))), .dd(.text(issuers.joined(separator: "、"))),
                .dt(.text(l("document.writtenOn"))), .dd(.text(d.writtenOn.isEmpty
                    ? DelegationController.day(issuedAt) : d.writtenOn)),
                .dt(.text(l("document.openness"))), .dd(.text(l.term(d.openness.nameZh)))),
            .p(.class("actions"), .id("downloads"),
               .a(.class("button small"), .href(SiteRoute.publicDocumentFile(id: id, format: "pdf").path),
                  .text(l("document.files.pdf"))), .text(" "),
               .a(.class("button small secondary"), .href(SiteRoute.publicDocumentFile(id: id, format: "ofd").path),
                  .text(l("document.files.ofd")))),
            DocumentView.preview(d, issuers: issuers)
        ).response()
    }
}
