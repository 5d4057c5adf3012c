import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 部门决算: the unit's finance staff complete the year-end inputs (in the form or from the XLSX template), read the
/// generated document and its findings, and publish it on the portal beside the year's budget; every format of the
/// budget's disclosure is offered for it.
enum FinalController {
    struct Conflict: Error {}
    static let maxFileBytes = 2 * 1024 * 1024

    static func load(_ req: Request) async throws -> (CurrentUser, UnitModel, FinalPage) {
        let user = try req.requireUser()
        let unit = try await ExecutionController.unitModel(req)
        try await req.require(.readUnitBusiness(unitCode: unit.code))
        guard let yearText = req.parameters.get("year"),
              case .success(let year) = NumberInput.integer(yearText, range: 2000...2199),
              let page = try await FinalPage.query(on: req.db, principal: user.principal, unit: unit, year: year)
        else { throw Abort(.notFound) }
        return (user, unit, page)
    }

    static func show(req: Request) async throws -> Response {
        let (_, _, page) = try await load(req)
        return FinalView.render(req.pageContext(), page, errors: [:], flash: req.takeFlashWithKind())
    }

    /// Saves the form, or an uploaded workbook read through the same fields: nothing is saved when any field is wrong.
    static func save(req: Request) async throws -> Response {
        let (user, unit, page) = try await load(req)
        guard page.canEdit else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "final-accounts", objectID: page.path,
                                           summary: "save", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let ctx = req.pageContext()
        let values: [String: String]
        let version: Int
        if req.headers.contentType?.type == "multipart" {
            struct Upload: Content {
                var file: File?
                var version: String?
            }
            let upload = try req.content.decode(Upload.self)
            version = Int(upload.version ?? "") ?? -1
            guard let file = upload.file, file.data.readableBytes > 0 else {
                return FinalView.render(ctx, page, errors: [:], flash: (ctx.l("final.import.noFile"), true),
                                        status: .unprocessableEntity)
            }
            switch readWorkbook(Data(buffer: file.data), name: file.filename, page: page) {
            case .success(let v): values = v
            case .failure(let problems):
                let problem = problems.all[0]
                return FinalView.render(ctx, page, errors: [:], flash: (ctx.l.language == .en ? problem.en
                                                                         : problem.zh, true),
                                        status: .unprocessableEntity)
            }
        } else {
            values = try req.content.decode([String: String].self)
            version = Int(values["version"] ?? "") ?? -1
        }
        switch FinalForm.read(values, into: page.accounts) {
        case .failure(let problems):
            var errors: [String: String] = [:]
            for p in problems.all { errors[p.field] = ctx.l.language == .en ? p.en : p.zh }
            let first = problems.all.first.map { ctx.l.language == .en ? $0.en : $0.zh } ?? ""
            return FinalView.render(ctx, page, errors: errors, values: values,
                                    flash: (ctx.l("final.fix", String(problems.all.count), first), true),
                                    status: .unprocessableEntity)
        case .success(let inputs):
            let now = req.now
            let before = page.accounts.inputs
            do {
                try await req.audited { tx, audit in
                    try await store(inputs, unit: unit.code, year: page.year, expected: version, stored: page.stored,
                                    by: user, at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "final-accounts", objectID: page.path,
                                         summary: "保存决算数据：" + changes(before, inputs, page.accounts)))
                }
            } catch is Conflict {
                req.setFlash("final.conflict", error: true)
                return req.redirect(within: page.path)
            }
            req.setFlash("final.saved")
            return req.redirect(within: page.path)
        }
    }

    /// What changed, by field, for the audit trail.
    static func changes(_ a: FinalInputs, _ b: FinalInputs, _ accounts: FinalAccounts) -> String {
        var x = accounts, y = accounts
        x.inputs = a
        y.inputs = b
        let before = Dictionary(FinalForm.fields(x).map { ($0.key, ($0.zh, $0.value)) },
                                uniquingKeysWith: { p, _ in p })
        let changed = FinalForm.fields(y).compactMap { f -> String? in
            guard let old = before[f.key], old.1 != f.value else { return nil }
            return f.kind == .text ? "\(f.zh)已改" : "\(f.zh) \(old.1) → \(f.value)"
        }
        return changed.isEmpty ? "无改动" : changed.prefix(40).joined(separator: "；")
            + (changed.count > 40 ? "等\(changed.count)项" : "")
    }

    /// `publishing`: the sources the published document was built from, kept with it.
    static func store(_ inputs: FinalInputs, unit: String, year: Int, expected: Int, stored: Bool,
                      publishing: FinalSources? = nil, by user: CurrentUser, at now: Date,
                      on tx: Database) async throws {
        let json = try FinalAccountsModel.encode(inputs)
        let publish = publishing != nil
        // (A 决算 published before last year's existed shows as changed once it does: a true change, cleared by
        // publishing again.)
        let sources = try publishing.map { try FinalAccountsModel.encode($0.kept(for: inputs)) }
        let status = publish ? "published" : nil
        if !stored {
            guard expected == 0 else { throw Conflict() }
            let m = FinalAccountsModel()
            (m.unitCode, m.year, m.status, m.version, m.inputsJSON) = (unit, year, status ?? "draft", 1, json)
            (m.updatedBy, m.updatedAt, m.publishedAt) = (user.username, now, publish ? now : nil)
            m.publishedJSON = publish ? json : nil
            m.publishedSourcesJSON = sources
            do { try await m.create(on: tx) } catch { throw Conflict() }
            return
        }
        guard let sql = tx as? SQLDatabase else { throw Conflict() }
        var update = sql.update(FinalAccountsModel.schema).set("version", to: expected + 1)
            .set("inputs_json", to: json).set("updated_by", to: user.username).set("updated_at", to: now)
        if publish {
            update = update.set("status", to: "published").set("published_at", to: now)
                .set("published_json", to: json).set("published_sources_json", to: sources)
        }
        let claimed = try await update.where("unit_code", .equal, unit).where("year", .equal, year)
            .where("version", .equal, expected).returning("id").all()
        guard claimed.count == 1 else { throw Conflict() }
    }

    /// The template's rows read back: column A the key, column C the value; an unknown key or a missing column is
    /// named by sheet and row.
    static func readWorkbook(_ data: Data, name: String, page: FinalPage) -> Result<[String: String], FieldProblems> {
        func fail(_ zh: String, _ en: String) -> Result<[String: String], FieldProblems> {
            .failure(FieldProblems([FieldProblem(field: "file", zh: zh, en: en)]))
        }
        guard data.count <= maxFileBytes else {
            return fail("文件超过2MB",
                        "the file is over 2 MB")
        }
        guard case .success(let sheets) = XLSXReader.sheets(data, limits: ArchiveLimits()), let sheet = sheets.first
        else {
            return fail("“\(name)”不是可读取的XLSX文件",
                        "“\(name)” is not a readable XLSX file")
        }
        let known = Set(FinalForm.fields(page.accounts).map(\.key))
        var values: [String: String] = [:]
        var rowOf: [String: Int] = [:]
        for r in sheet.rowNumbers where r > 1 {
            let key = (sheet.value(r, 0)?.shown ?? "").trimmingCharacters(in: .whitespaces)
            if key.isEmpty { continue }
            guard known.contains(key) else {
                return fail("“\(name)”工作表“\(sheet.name)”第\(r)行A列：未知的字段代码“\(key)”",
                        "\(name), sheet \(sheet.name), row \(r), column A: unknown key “\(key)”")
            }
            let value = sheet.value(r, 2)
            if case .error(let e)? = value {
                return fail("“\(name)”工作表“\(sheet.name)”第\(r)行C列：单元格为错误值\(e)",
                        "\(name), sheet \(sheet.name), row \(r), column C: the cell is \(e)")
            }
            values[key] = value?.shown ?? ""
            rowOf[key] = r
        }
        // A wrong value is named by its row too: the form reader names the field, the row is looked up here.
        if case .failure(let problems) = FinalForm.read(values, into: page.accounts), let p = problems.all.first,
           let r = rowOf[p.field] {
            return fail("“\(name)”工作表“\(sheet.name)”第\(r)行C列：\(p.zh)",
                        "\(name), sheet \(sheet.name), row \(r), column C: \(p.en)")
        }
        return .success(values)
    }

    struct PublishForm: Content {
        var version: String?
        var acceptWarnings: Int?
    }

    static func publish(req: Request) async throws -> Response {
        let (user, unit, page) = try await load(req)
        guard page.canEdit else { throw Abort(.forbidden, reason: "access.denied") }
        let form = try req.content.decode(PublishForm.self)
        if let problem = PublishGate.check(errors: page.errors.count, warnings: page.warnings.count,
                                           acknowledgedWarnings: form.acceptWarnings) {
            let ctx = req.pageContext()
            let text: String = switch problem {
            case .hasErrors(let n): ctx.l("final.publish.blocked", String(n))
            case .warningsNotAcknowledged(let n): ctx.l("final.publish.needsAck", String(n))
            }
            try await req.audit(AuditEvent(.create, objectType: "final-accounts", objectID: page.path,
                                           summary: "publication refused: \(problem)", result: .failure))
            return FinalView.render(ctx, page, errors: [:], flash: (text, true), status: .unprocessableEntity)
        }
        let now = req.now
        let expected = Int(form.version ?? "") ?? -1
        let inputs = page.accounts.inputs
        do {
            try await req.audited { tx, audit in
                try await store(inputs, unit: unit.code, year: page.year, expected: expected, stored: page.stored,
                                publishing: page.sources, by: user, at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "final-accounts", objectID: page.path,
                                     summary: "公开\(page.year)年度部门决算（\(page.warnings.count)条提示已阅）"))
            }
        } catch is Conflict {
            req.setFlash("final.conflict", error: true)
            return req.redirect(within: page.path)
        }
        req.setFlash("final.published")
        return req.redirect(within: page.path)
    }

    /// Any format of the document, for the unit (draft or published) or, once published, for the public.
    static func file(req: Request) async throws -> Response {
        let (_, _, page) = try await load(req)
        if req.parameters.get("format") == "template" {
            return EvaluationController.download(template(page),
                                                 name: "final-inputs-\(page.unitCode)-\(page.year).xlsx",
                                                 type: HTTPMediaType(type: "application", subType:
                                                    "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        }
        return try await download(req, page)
    }

    static func publicPage(_ req: Request) async throws -> FinalPage {
        guard let code = req.parameters.get("code"),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first(),
              let yearText = req.parameters.get("year"),
              case .success(let year) = NumberInput.integer(yearText, range: 2000...2199),
              let page = try await FinalPage.query(on: req.db, principal: nil, unit: unit, year: year,
                                                   asPublished: true) else { throw Abort(.notFound) }
        return page
    }

    static func publicYear(req: Request) async throws -> Response {
        FinalView.publicPage(req.pageContext(), try await publicPage(req))
    }

    static func publicFile(req: Request) async throws -> Response {
        try await download(req, try await publicPage(req), isPublic: true)
    }

    static func download(_ req: Request, _ page: FinalPage, isPublic: Bool = false) async throws -> Response {
        let format = req.parameters.get("format") ?? ""
        let base = "final-\(page.unitCode)-\(page.year)"
        guard format == "pdf" || DisclosureFormat(rawValue: format) != nil else { throw Abort(.notFound) }
        // The public address stays the same when the unit publishes a correction: caches ask again each time, and
        // the tag — the document's own digest — lets them keep the file while what it shows stands.
        let html = DisclosureHTML.document(page.document)
        let digest = SM3.hexDigest(html)
        let etag = "\"final-\(page.unitCode)-\(page.year)-\(format)-\(digest.prefix(32))\""
        if isPublic, req.headers.first(name: .ifNoneMatch) == etag {
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .eTag, value: etag)
            headers.replaceOrAdd(name: .cacheControl, value: "public, no-cache")
            return Response(status: .notModified, headers: headers)
        }
        let data: Data, type: String, name: String
        if format == "pdf" {
            let key = "\(page.unitCode)/\(page.year)/v\(page.version)/\(digest)"
            data = try await PDFCache.serving(req) {
                try await PDFCache.data(kind: StoredFiles.finalPDF, key: key, app: req.application, on: req.db) {
                    try await PDFPrinter.pdf(fromHTML: html)
                }
            }
            (type, name) = ("application/pdf", base + ".pdf")
        } else {
            guard let f = DisclosureFormat(rawValue: format) else { throw Abort(.notFound) }
            let files = try FinalExport.files(page.accounts, format: f, disclosure: page.document)
            data = f.isFolder ? try DisclosureExport.zip(files, folder: base) : files.values.first!
            (type, name) = (f.mediaType, f.fileName(base: base))
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.contentDisposition = .init(.attachment, filename: name)
        headers.replaceOrAdd(name: .cacheControl, value: isPublic ? "public, no-cache" : "no-store")
        if isPublic { headers.replaceOrAdd(name: .eTag, value: etag) }
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// The input template as XLSX: one row per field with its current value.
    static func template(_ page: FinalPage) -> Data {
        PlainWorkbook.make([(name: "决算数据", rows: FinalForm.sheetRows(page.accounts))])
    }
}
