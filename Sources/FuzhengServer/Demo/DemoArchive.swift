import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A first start shows the archive at work: the office's 全宗号 0434 and 机构代码 BGS, every issued 发文 and done 收文
/// filed, and the past years closed with their 档号 (0434-WS·2023-…), the current one open for the 档案员.
enum DemoArchive {
    static func load(_ app: Application) async throws {
        guard try await ArchiveItemModel.query(on: app.db).count() == 0,
              let unit = try await OrganisationQueries.unit(code: "434001", on: app.db) else { return }
        let unitID = try unit.requireID()
        let now = app.fuzheng.clock.now()
        let thisYear = CivilDay(now).year
        let filer = Archiving.Filer(username: "dangan", name: "褚档案")
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            let settings = ArchiveSettingsModel()
            settings.$unit.id = unitID
            settings.fonds = "0434"
            settings.organisation = "BGS"
            try await settings.create(on: tx)
            let years = Set(try await DocumentModel.query(on: tx).filter(\.$unit.$id == unitID).all().map(\.year))
                .union(try await IncomingModel.query(on: tx).filter(\.$unit.$id == unitID).all().map(\.year))
            for year in years.sorted() {
                let filed = try await Archiving.fileRemaining(unitID: unitID, year: year, by: filer, at: now, on: tx)
                var closed = 0
                if year < thisYear {
                    closed = try await Archiving.close(unitID: unitID, year: year, by: filer, at: now, on: tx).count
                }
                audit.add(AuditEvent(.create, objectType: "archive_year", objectID: "434001/\(year)",
                                     summary: "演示：归档 \(filed) 件" + (closed > 0 ? "，关闭年度并编号 \(closed) 件" : "")))
            }
        }
    }
}
