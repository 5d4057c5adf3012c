import Fluent
import FuzhengCore
import Plot
import Vapor

/// The public face: published disclosures, their versions, downloads in every format, a
/// year-over-year comparison and a county-wide overview. No login.
enum PortalDisclosureController {
    static func list(req: Request) async throws -> Response {
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let listings = try await DisclosureStore.listings(search: q, on: req.db)
        return DisclosurePages.list(req.pageContext(), query: q, listings: listings)
    }

    struct Located {
        var unit: UnitModel
        var versions: [DisclosureVersionModel]
        var shown: DisclosureVersionModel
    }

    /// Unit, year and version from the path; any of them unknown is a 404.
    static func locate(_ req: Request, version: Int? = nil) async throws -> Located {
        guard let code = req.parameters.get("code"), let year = req.parameters.get("year").flatMap(Int.init),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).filter(\.$isActive == true).first()
        else { throw Abort(.notFound) }
        let versions = try await DisclosureStore.versions(unitID: unit.requireID(), year: year, on: req.db)
        let wanted = version ?? req.parameters.get("version").flatMap(Int.init)
        guard let shown = wanted.map({ n in versions.first { $0.version == n } }) ?? versions.last else { throw Abort(.notFound) }
        return Located(unit: unit, versions: versions, shown: shown)
    }

    static func show(req: Request) async throws -> Response {
        let cache = req.application.fuzheng.disclosureCache
        // Anonymous visitors all see the same page: the public's read path skips the database while
        // the rendered page is fresh (DisclosureRenderCache.pageLifetime).
        let anonymous = req.currentUser == nil && !req.hasSession
        let pageKey = "\(req.url.path)|\(req.language.rawValue)"
        if anonymous, let html = cache.page(pageKey, now: req.now) { return htmlResponse(html) }
        let located = try await locate(req)
        let body = try await cachedBody(located.shown.requireID(), cache: cache, db: req.db)
        // The same year's 决算 and 自评表 once published, beside the budget.
        let year = located.shown.fiscalYear, code = located.unit.code
        let final = try await FinalAccountsModel.query(on: req.db).filter(\.$unitCode == code).filter(\.$year == year)
            .filter(\.$status == "published").count() > 0
        let evaluations = try await ProjectEvaluationModel.query(on: req.db).filter(\.$unitCode == code)
            .filter(\.$year == year).filter(\.$status == EvaluationStatus.published.rawValue).count() > 0
        let response = DisclosurePages.disclosure(req.pageContext(), unit: located.unit, versions: located.versions,
                                                  shown: located.shown, body: body, flash: req.takeFlash(),
                                                  related: (final, evaluations))
        if anonymous, let html = response.body.string { cache.storePage(pageKey, html, now: req.now) }
        return response
    }

    /// A version's rendered disclosure, rendered once: versions never change.
    static func cachedBody(_ id: UUID, cache: DisclosureRenderCache, db: Database) async throws -> String {
        let key = "body|\(id)"
        if let hit = cache.cached(key) { return hit }
        let html = try DisclosureHTML.body(await DisclosureStore.full(id, on: db).decodedDisclosure())
        cache.store(key, html)
        return html
    }

    static func htmlResponse(_ html: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    static func download(req: Request) async throws -> Response {
        var located = try await locate(req)
        let format = req.parameters.get("format") ?? ""
        let base = "budget-\(located.unit.code)-\(located.shown.fiscalYear)-v\(located.shown.version)"
        let data: Data
        let mediaType: String
        let fileName: String
        if format == "pdf" {
            data = try await cachedPDF(req, versionID: located.shown.requireID())
            (mediaType, fileName) = ("application/pdf", "\(base).pdf")
        } else {
            located.shown = try await DisclosureStore.full(located.shown.requireID(), on: req.db)
            let budget = try located.shown.decodedBudget()
            let disclosure = try located.shown.decodedDisclosure()
            guard let f = DisclosureFormat(rawValue: format) else { throw Abort(.notFound) }
            let files = try DisclosureExport.files(budget, format: f, disclosure: disclosure)
            data = f.isFolder ? try DisclosureExport.zip(files, folder: base) : files.values.first!
            (mediaType, fileName) = (f.mediaType, f.fileName(base: base))
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: mediaType)
        headers.contentDisposition = .init(.attachment, filename: fileName)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400, immutable")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// A version never changes, so its PDF is printed once, kept in the file store and served from there after.
    /// Printing waits for one of the bounded Chromium workers; with none free in time the reader is asked to retry.
    static func cachedPDF(_ req: Request, versionID: UUID) async throws -> Data {
        let key = versionID.uuidString
        let db = req.db
        return try await PDFCache.serving(req) {
            try await PDFCache.data(kind: StoredFiles.disclosurePDF, key: key, app: req.application, on: db) {
                let version = try await DisclosureStore.full(versionID, on: db)
                return try await PDFPrinter.pdf(fromHTML: DisclosureHTML.document(try version.decodedDisclosure()))
            }
        }
    }

    static func compare(req: Request) async throws -> Response {
        let located = try await locate(req)
        let current = try await DisclosureStore.full(located.shown.requireID(), on: req.db).decodedBudget()
        let previousVersion = try await DisclosureStore.versions(unitID: located.unit.requireID(), year: current.fiscalYear - 1, on: req.db).last
        var previous: Budget?
        if let previousVersion {
            previous = try await DisclosureStore.full(previousVersion.requireID(), on: req.db).decodedBudget()
        }
        return DisclosurePages.compare(req.pageContext(), unit: located.unit, current: current, previous: previous)
    }

    static func overview(req: Request) async throws -> Response {
        let years = try await DisclosureStore.years(on: req.db)
        let year = (try? req.query.get(Int.self, at: "year")) ?? years.first ?? Calendar.current.component(.year, from: req.now)
        let rows = try await DisclosureStore.overview(year: year, on: req.db)
        return DisclosurePages.overview(req.pageContext(), year: year, years: years, rows: rows)
    }
}
