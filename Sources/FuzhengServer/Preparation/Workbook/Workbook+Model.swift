import Foundation
import FuzhengCore
import Vapor

/// A budget as an Excel workbook: anyone who reads the unit's business downloads it; the unit's 单位财务 uploads an
/// edited one into a draft, sees what it changes field by field (and the rule book's findings of the result), and
/// confirms. Between the two steps the file waits in the file store under its SM3 digest, which the preview form
/// carries with the version it was read at: the confirmation reads the same bytes again over that version, so
/// nothing rides in a session, and knowing a digest means having had the file itself.
enum WorkbookController {
    static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    struct UploadModel: Sendable {
        var unitCode: String
        var unitName: String
        var year: Int
        var problems: [WorkbookProblem] = []
        var error: String?
        var flash: (text: String, isError: Bool)?
    }

    struct PreviewModel: Sendable {
        var unitCode: String
        var unitName: String
        var year: Int
        var version: Int
        var digest: String
        var fileName: String
        var changes: [WorkbookChange]
        var findings: [Finding]
    }

    static func download(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.readUnitBusiness(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let (_, budget) = try await BudgetStore.find(unitCode: code, year: year, on: req.db)
        else { throw Abort(.notFound) }
        let data = try await req.application.threadPool.runIfActive { BudgetWorkbook.export(budget) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: mediaType)
        headers.contentDisposition = .init(.attachment, filename: fileName(code: code, year: year))
        // A draft changes under the reader: never kept by a cache.
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// budget-434001-2024.xlsx
    static func fileName(code: String, year: Int) -> String {
        "budget-\(code.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })-\(year).xlsx"
    }

    static func uploadModel(_ loaded: BudgetEditing.Loaded) -> UploadModel {
        UploadModel(unitCode: loaded.unit.code, unitName: loaded.unit.name, year: loaded.budget.fiscalYear)
    }

    static func show(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        var m = uploadModel(loaded)
        m.flash = req.takeFlashWithKind()
        return WorkbookView.upload(req.pageContext(withForm: true), m)
    }

    static func upload(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let l = req.l10n
        var m = uploadModel(loaded)
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            m.error = l("workbook.error.noFile")
            return WorkbookView.upload(req.pageContext(withForm: true), m, status: .unprocessableEntity)
        }
        guard file.data.readableBytes <= BudgetWorkbook.maxUploadBytes else {
            m.error = l("workbook.error.tooLarge", String(BudgetWorkbook.maxUploadBytes >> 20))
            return WorkbookView.upload(req.pageContext(withForm: true), m, status: .payloadTooLarge)
        }
        let data = Data(buffer: file.data)
        let base = loaded.budget
        // Expanding and parsing a workbook is CPU work of up to seconds: off the event loop.
        let result = try await req.application.threadPool.runIfActive { BudgetWorkbook.read(data, into: base) }
        switch result {
        case .failure(let failure):
            m.problems = failure.problems
            return WorkbookView.upload(req.pageContext(withForm: true), m, status: .unprocessableEntity)
        case .success(let changed):
            let digest = try await req.files.put(data)
            let findings = RuleBook.check(changed, context: RuleContext(regionCode: loaded.unit.department.region.code))
            return WorkbookView.preview(req.pageContext(withForm: true), PreviewModel(
                unitCode: loaded.unit.code, unitName: loaded.unit.name, year: base.fiscalYear,
                version: loaded.model.version, digest: digest, fileName: String(file.filename.prefix(200)),
                changes: WorkbookChanges.between(base, changed), findings: findings))
        }
    }

    struct ConfirmForm: Content {
        var digest: String?
        var version: Int?
    }

    static func confirm(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let code = loaded.unit.code
        let year = loaded.budget.fiscalYear
        let form = (try? req.content.decode(ConfirmForm.self)) ?? ConfirmForm()
        let back = SiteRoute.budgetWorkbook(code: code, year: year).path
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: back) {
            return stale
        }
        guard let digest = form.digest, FileStore.isDigest(digest), let data = try? await req.files.get(digest) else {
            req.setFlash("workbook.expired", error: true)
            return req.redirect(within: back)
        }
        let base = loaded.budget
        let result = try await req.application.threadPool.runIfActive { BudgetWorkbook.read(data, into: base) }
        let changed: Budget
        switch result {
        case .failure(let failure):
            var m = uploadModel(loaded)
            m.problems = failure.problems
            return WorkbookView.upload(req.pageContext(withForm: true), m, status: .unprocessableEntity)
        case .success(let b):
            changed = b
        }
        let changes = WorkbookChanges.between(base, changed)
        let budgetPath = SiteRoute.budget(code: code, year: year).path
        guard !changes.isEmpty else {
            req.setFlash("workbook.nothing")
            return req.redirect(within: budgetPath)
        }
        let summary = "workbook import (file sm3 \(digest)): " + WorkbookChanges.summary(changes)
        guard try await BudgetEditing.save(req, loaded, changed, formVersion: form.version ?? -1,
                                           summary: summary) else {
            return BudgetEditing.conflict(req, backTo: back)
        }
        req.setFlash("workbook.imported")
        return req.redirect(within: budgetPath)
    }
}
