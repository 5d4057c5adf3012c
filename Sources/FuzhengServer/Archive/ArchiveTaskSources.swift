import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The archive's waiting work on the 档案员's 工作台: a past year still open (its 件 not numbered), and completed
/// documents not yet filed. Closing is due by the end of the following March (yellow from February, red after).
struct ArchiveTaskSource: TaskSource {
    var id: String { "archive.open" }
    var titleKey: String { "workbench.source.archive" }

    func applies(to user: CurrentUser) -> Bool { user.principal.grants.contains { $0.role == .archivist } }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        guard let sql = c.db as? SQLDatabase,
              let unitID = try await UnitModel.query(on: c.db).filter(\.$code == user.unitCode).first()?.id
        else { return [] }
        struct Row: Decodable { var year: Int; var n: Int }
        let today = CivilDay(c.now)
        let open = try await sql.raw("""
            SELECT a.year, count(*) AS n FROM archive_items a WHERE a.unit_id = \(bind: unitID) \
            AND a.item IS NULL AND a.year < \(bind: today.year) AND NOT EXISTS (SELECT 1 FROM archive_years y \
            WHERE y.unit_id = a.unit_id AND y.year = a.year) GROUP BY a.year ORDER BY a.year
            """).all(decoding: Row.self)
        var items = open.map { r in
            WorkItem(title: c.l("archive.task.close", String(r.year)), detail: c.l("archive.task.closeDetail",
                                                                                    String(r.n)),
                     link: ArchiveController.path(unit: user.unitCode, year: r.year),
                     daysLeft: CivilDay.days(from: today, to: CivilDay(year: r.year + 1, month: 3, day: 31)))
        }
        let unfiled = try await ArchiveQueries.unfiled(unitID: unitID, year: today.year, on: c.db)
        if unfiled > 0 {
            items.append(WorkItem(title: c.l("archive.task.file", String(unfiled)), detail: String(today.year),
                                  link: ArchiveController.path(unit: user.unitCode, year: today.year)))
        }
        return items
    }
}
