import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The 档案员's archive: the year's list, filing what is left, closing the year (件号 and 档号), each 件's page with
/// its period and corrections, its package, and the 归档文件目录.
enum ArchiveController {
    struct YearQuery: Content {
        var year: Int?
        var unit: String?
        var q: String?
        var format: String?
    }

    struct YearForm: Content {
        var year: Int?
        var unit: String?
        var confirm: String?
        var fonds: String?
        var organisation: String?
    }

    static func denied(_ req: Request, _ what: String) async throws -> Never {
        try await req.audit(AuditEvent(.accessDenied, objectType: "archive", objectID: nil, summary: what,
                                       result: .denied))
        throw Abort(.forbidden, reason: "access.denied")
    }

    static func path(unit: String, year: Int) -> String {
        SiteRoute.archive.path + "?year=\(year)&unit=" + QueryText.encode(unit)
    }

    static func year(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let q = try req.query.decode(YearQuery.self)
        guard let unit = try await ArchiveQueries.unit(asked: q.unit, for: user, on: req.db) else {
            try await denied(req, "archive \(q.unit ?? user.unitCode)")
        }
        let year = validYear(q.year, now: req.now)
        let page = try await ArchiveYearPage.load(unit: unit, year: year, query: String((q.q ?? "").prefix(100)),
                                                  now: req.now, on: req.db)
        return ArchiveYearView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    static func validYear(_ asked: Int?, now: Date) -> Int {
        let thisYear = CivilDay(now).year
        guard let asked, (2000...thisYear).contains(asked) else { return thisYear }
        return asked
    }

    static func unitAndYear(_ req: Request) async throws -> (CurrentUser, ArchiveQueries.Unit, Int, YearForm) {
        let user = try req.requireUser()
        let form = try req.content.decode(YearForm.self)
        guard let unit = try await ArchiveQueries.unit(asked: form.unit, for: user, on: req.db) else {
            try await denied(req, "archive \(form.unit ?? user.unitCode)")
        }
        return (user, unit, validYear(form.year, now: req.now), form)
    }

    /// Files the year's issued 发文 and done 收文 that are not filed yet.
    static func fileRemaining(req: Request) async throws -> Response {
        let (user, unit, year, _) = try await unitAndYear(req)
        let now = req.now
        let filer = Archiving.Filer(username: user.username, name: user.displayName)
        let count = try await req.audited { tx, audit in
            let n = try await Archiving.fileRemaining(unitID: unit.id, year: year, by: filer, at: now, on: tx)
            if n > 0 {
                audit.add(AuditEvent(.create, objectType: "archive_year", objectID: "\(unit.code)/\(year)",
                                     summary: "归档 \(n) 件（年终归档）"))
            }
            return n
        }
        req.setFlash(count == 0 ? "archive.filedNone" : "archive.filed")
        return req.redirect(within: path(unit: unit.code, year: year))
    }

    /// Closes the year after the 档案员 confirms the list: files what is left and numbers every 件.
    static func close(req: Request) async throws -> Response {
        let (user, unit, year, form) = try await unitAndYear(req)
        let back = path(unit: unit.code, year: year)
        guard form.confirm == "1" else {
            req.setFlash("archive.confirmNeeded", error: true)
            return req.redirect(within: back + "#close")
        }
        guard year < CivilDay(req.now).year || CivilDay(req.now).month == 12 else {
            req.setFlash("archive.tooEarly", error: true)
            return req.redirect(within: back + "#close")
        }
        let now = req.now
        let filer = Archiving.Filer(username: user.username, name: user.displayName)
        do {
            try await req.audited { tx, audit in
                let filed = try await Archiving.fileRemaining(unitID: unit.id, year: year, by: filer, at: now, on: tx)
                let numbered = try await Archiving.close(unitID: unit.id, year: year, by: filer, at: now, on: tx)
                let first = numbered.first?.code ?? "", last = numbered.last?.code ?? ""
                audit.add(AuditEvent(.update, objectType: "archive_year", objectID: "\(unit.code)/\(year)",
                                     summary: "关闭年度：归档 \(filed) 件，编号 \(numbered.count) 件"
                                         + (numbered.isEmpty ? "" : "（\(first) … \(last)）")))
            }
        } catch is Archiving.AlreadyClosed {
            req.setFlash("archive.alreadyClosed", error: true)
            return req.redirect(within: back)
        }
        req.setFlash("archive.closed")
        return req.redirect(within: back)
    }

    static func settings(req: Request) async throws -> Response {
        let (_, unit, year, form) = try await unitAndYear(req)
        let fonds = (form.fonds ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let organisation = (form.organisation ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let probe = ArchivalCode(fonds: fonds, year: year, period: .permanent, organisation: organisation, item: 1)
        guard probe.problems.isEmpty else {
            req.setFlash("archive.settingsInvalid", error: true)
            return req.redirect(within: path(unit: unit.code, year: year) + "#settings")
        }
        try await req.audited { tx, audit in
            let s = try await ArchiveSettingsModel.query(on: tx).filter(\.$unit.$id == unit.id).first()
                ?? ArchiveSettingsModel()
            let before = s.id == nil ? "（默认）" : "\(s.fonds)/\(s.organisation)"
            s.$unit.id = unit.id
            s.fonds = fonds
            s.organisation = organisation
            try await s.save(on: tx)
            // Items not numbered yet take the new codes; numbered ones keep the 档号 they have.
            try await ArchiveItemModel.query(on: tx).filter(\.$unit.$id == unit.id).filter(\.$item == nil)
                .set(\.$fonds, to: fonds).set(\.$organisation, to: organisation).update()
            audit.add(AuditEvent(.update, objectType: "archive_settings", objectID: unit.code,
                                 summary: "全宗号/机构代码 \(before) → \(fonds)/\(organisation)"))
        }
        req.setFlash("archive.settingsSaved")
        return req.redirect(within: path(unit: unit.code, year: year) + "#settings")
    }

    static func catalogue(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let q = try req.query.decode(YearQuery.self)
        guard let unit = try await ArchiveQueries.unit(asked: q.unit, for: user, on: req.db) else {
            try await denied(req, "archive catalogue \(q.unit ?? user.unitCode)")
        }
        let year = validYear(q.year, now: req.now)
        let items = try await ArchiveQueries.catalogue(unitID: unit.id, year: year, on: req.db)
        let name = "归档文件目录-\(unit.code)-\(year)"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        if q.format == "pdf" {
            let html = ArchiveCatalogue.html(items, title: "\(unit.name) \(year)年度 归档文件目录")
            let data = try await PDFCache.serving(req) {
                try await ArchivePackages.sheetPDF(html, app: req.application, on: req.db)
            }
            headers.replaceOrAdd(name: .contentType, value: "application/pdf")
            headers.contentDisposition = .init(.inline, filename: name + ".pdf")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
        headers.replaceOrAdd(name: .contentType,
                             value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.contentDisposition = .init(.attachment, filename: name + ".xlsx")
        return Response(status: .ok, headers: headers, body: .init(data: ArchiveCatalogue.xlsx(items)))
    }

    static func find(_ req: Request) async throws -> (CurrentUser, ArchiveItemModel, ArchiveQueries.Unit) {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let item = try await ArchiveItemModel.find(id, on: req.db) else { throw Abort(.notFound) }
        let code = try await Archiving.unitCode(item.$unit.id, on: req.db)
        guard let unit = try await ArchiveQueries.unit(asked: code, for: user, on: req.db) else {
            try await denied(req, "archive item \(id)")
        }
        return (user, item, unit)
    }

    static func item(req: Request) async throws -> Response {
        let (_, item, unit) = try await find(req)
        let page = try await ArchiveItemPage.load(item, unit: unit, on: req.db)
        return ArchiveItemView.render(req.pageContext(), page, flash: req.takeFlashWithKind(), error: nil)
    }

    struct PeriodForm: Content {
        var period: String?
        var reason: String?
        var title: String?
        var version: Int?
    }

    static func period(req: Request) async throws -> Response {
        let (_, item, unit) = try await find(req)
        let form = try req.content.decode(PeriodForm.self)
        guard let period = RetentionPeriod(rawValue: form.period ?? "") else { throw Abort(.badRequest) }
        let before = item.period
        let reason = String((form.reason ?? "").prefix(600))
        let now = req.now
        do {
            try await req.audited { tx, audit in
                try await Archiving.changePeriod(item, to: period, reason: reason, expected: form.version ?? -1,
                                                 at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "archive_item", objectID: item.id?.uuidString,
                                     summary: "保管期限 \(before) → \(period.rawValue)：\(reason.prefix(200))"))
            }
        } catch let p as Archiving.Problem {
            let page = try await ArchiveItemPage.load(item, unit: unit, on: req.db)
            return ArchiveItemView.render(req.pageContext(), page, flash: nil, error: p.problem, form: form,
                                          status: .unprocessableEntity)
        } catch is Archiving.Conflict {
            req.setFlash("edit.conflict", error: true)
            return req.redirect(within: SiteRoute.archiveItem(id: item.id?.uuidString ?? "").path)
        }
        req.setFlash("archive.periodSaved")
        return req.redirect(within: SiteRoute.archiveItem(id: item.id?.uuidString ?? "").path)
    }

    static func correct(req: Request) async throws -> Response {
        let (user, item, unit) = try await find(req)
        let form = try req.content.decode(PeriodForm.self)
        guard let period = RetentionPeriod(rawValue: form.period ?? "") else { throw Abort(.badRequest) }
        let now = req.now
        let filer = Archiving.Filer(username: user.username, name: user.displayName)
        let created: ArchiveItemModel
        do {
            created = try await req.audited { tx, audit in
                let new = try await Archiving.correct(item, title: form.title ?? "", period: period,
                                                      reason: form.reason ?? "", by: filer, at: now, on: tx)
                audit.add(AuditEvent(.create, objectType: "archive_item", objectID: new.id?.uuidString,
                                     summary: "更正 \(item.code ?? "") → \(new.code ?? "")："
                                         + "\((form.reason ?? "").prefix(200))"))
                return new
            }
        } catch let p as Archiving.Problem {
            let page = try await ArchiveItemPage.load(item, unit: unit, on: req.db)
            return ArchiveItemView.render(req.pageContext(), page, flash: nil, error: p.problem, form: form,
                                          status: .unprocessableEntity)
        }
        req.setFlash("archive.corrected")
        return req.redirect(within: SiteRoute.archiveItem(id: created.id?.uuidString ?? "").path)
    }

    static func package(req: Request) async throws -> Response {
        let (_, item, _) = try await find(req)
        guard let code = item.code else { throw Abort(.conflict, reason: "archive.notNumbered") }
        let made = try await PDFCache.serving(req) {
            do {
                return try await ArchivePackages.package(item, app: req.application, on: req.db)
            } catch let e as OfficeConversion.Unavailable {
                req.logger.error("\(e.description)")
                throw Abort(.serviceUnavailable, reason: "error.pdfUnavailable")
            } catch is ArchivePackages.NoKey {
                throw Abort(.serviceUnavailable, reason: "seals.noKey")
            }
        }
        if made.sealed {
            try await req.audit(AuditEvent(.sealUse, objectType: "archive_item", objectID: item.id?.uuidString,
                                           summary: "归档包 \(code)（含印章）"))
        }
        let data = made.data
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/zip")
        headers.contentDisposition = .init(.attachment, filename: code + ".zip")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
