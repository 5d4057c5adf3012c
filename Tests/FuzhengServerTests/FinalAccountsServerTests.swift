import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("部门决算 on the server: drafted from the year, checked, saved in the write, imported, published")
struct FinalAccountsServerTests {
    static let path = "/final/units/434001/2023"

    static func stored(_ app: Application) async throws -> FinalAccountsModel? {
        try await FinalAccountsModel.query(on: app.db).filter(\.$unitCode == "434001").filter(\.$year == 2023).first()
    }

    static func page(_ app: Application) async throws -> FinalPage {
        let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434001").first())
        return try #require(try await FinalPage.query(on: app.db, principal: nil, unit: unit, year: 2023))
    }

    /// Every field as the page shows it, with the reasons and counts a clerk adds to clear the findings.
    static func completed(_ page: FinalPage) -> [String: String] {
        var values = Dictionary(FinalForm.fields(page.accounts).map { ($0.key, $0.value) },
                                uniquingKeysWith: { a, _ in a })
        for f in page.findings where f.ruleID == "FINAL-GAP" {
            values["gap-" + f.path.dropFirst("gapReasons.".count)] = "合同尾款结转下年支付"
        }
        values["count-receptionBatches"] = "86"
        values["count-receptionPeople"] = "645"
        values["count-outboundGroups"] = "2"
        values["count-outboundPeople"] = "6"
        return values
    }

    @Test("Draft from the year; a wrong figure saves nothing; save claims the version; publish; the portal shows it")
    func workflow() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            try await DemoEvaluation.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            let first = try await caiwu.get(Self.path)
            #expect(first.status == .ok)
            #expect(first.text.contains("收入支出决算总表") && first.text.contains("FINAL-GAP"))
            // The published self-evaluations are in the 决算's performance section.
            #expect(first.text.contains("项目支出绩效自评结果") && first.text.contains("4个项目开展了绩效自评"))
            // Errors block publication.
            #expect(try await caiwu.post(Self.path + "/publish", ["version": "0"]).status == .unprocessableEntity)

            var draft = try await Self.page(app)
            var values = Self.completed(draft)
            values["version"] = "0"
            values["fund-general_public_budget-received"] = "12abc"
            let bad = try await caiwu.post(Self.path, values)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("一般公共预算拨款：本年收入"))
            #expect(try await Self.stored(app) == nil)

            values["fund-general_public_budget-received"] = MoneyFormat.yuan(
                draft.accounts.inputs.fund(.generalPublicBudget).received)
            values["text-total"] = "电子政务平台二期尾款结转下年 <b>&</b>"
            #expect(try await caiwu.post(Self.path, values).status == .seeOther)
            var m = try #require(try await Self.stored(app))
            #expect(m.version == 1 && m.status == "draft")
            #expect(try m.inputs().texts["total"] == "电子政务平台二期尾款结转下年 <b>&</b>")
            // A second tab still holding version 0 loses; nothing it sent is kept.
            values["text-total"] = "另一页"
            #expect(try await caiwu.post(Self.path, values).status == .seeOther)
            m = try #require(try await Self.stored(app))
            let kept = try m.inputs().texts["total"]
            #expect(m.version == 1 && kept != "另一页")

            draft = try await Self.page(app)
            #expect(draft.errors.isEmpty, "\(draft.errors.map(\.messageZh))")
            let page = try await caiwu.get(Self.path)
            #expect(page.text.contains("电子政务平台二期尾款结转下年 &lt;b&gt;&amp;&lt;/b&gt;"))
            // Warnings must be acknowledged by their count.
            #expect(try await caiwu.post(Self.path + "/publish", ["version": "1"]).status
                == (draft.warnings.isEmpty ? .seeOther : .unprocessableEntity))
            if !draft.warnings.isEmpty {
                #expect(try await caiwu.post(Self.path + "/publish", [
                    "version": "1", "acceptWarnings": String(draft.warnings.count),
                ]).status == .seeOther)
            }
            m = try #require(try await Self.stored(app))
            #expect(m.status == "published" && m.version == 2)

            let portal = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023")
            #expect(portal.status == .ok && portal.body.string.contains("2023年度部门决算公开情况说明"))
            // Beside the year's budget on the portal.
            let budget = try await caiwu.get("/disclosures/434001/2023")
            #expect(budget.status == .ok && budget.text.contains("/public/units/434001/final/2023"))
            let csv = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023/files/datapackage")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "zip")
            // Caches ask again each time (the address outlives a correction); the same version is not sent twice.
            let tag = try #require(csv.headers.first(name: .eTag))
            #expect(csv.headers.first(name: .cacheControl) == "public, no-cache")
            let again = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023/files/datapackage",
                                                            headers: ["If-None-Match": tag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let docx = try await caiwu.get(Self.path + "/files/docx")
            #expect(docx.status == .ok && docx.body.readableBytes > 1_000)

            // A later save is the unit's draft: the portal keeps the published figures until published again.
            var later = Self.completed(try await Self.page(app))
            later["version"] = "2"
            later["text-notes"] = "更正后的说明"
            try await caiwu.get(Self.path)
            #expect(try await caiwu.post(Self.path, later).status == .seeOther)
            #expect(try await caiwu.get(Self.path).text.contains("尚未重新公开"))
            let still = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023")
            #expect(still.body.string.contains("我部门无其他需要说明的事项") && !still.body.string.contains("更正后的说明"))

            // Another unit's staff neither read nor write it.
            let other = try await IncomingServerTests.login(app, "wenshu2")
            #expect(try await other.get(Self.path).status == .forbidden)
        }
    }

    @Test("A payment booked after publication leaves the published 决算 as it was; the unit is told the figures moved")
    func publishedStaysPut() async throws {
        try await withFuzhengApp { app, clock in
            try await DemoExecution.load(app)
            try await DemoEvaluation.load(app)
            try await DemoFinal.load(app)
            let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434001").first())
            func published() async throws -> FinalAccounts {
                try #require(try await FinalPage.query(on: app.db, principal: nil, unit: unit, year: 2023,
                                                       asPublished: true)).accounts
            }
            let before = try await published()
            // One published before M039 kept no sources: the migration keeps them as they stand.
            let row = try #require(try await Self.stored(app))
            let keptJSON = row.publishedSourcesJSON
            row.publishedSourcesJSON = nil
            try await row.save(on: app.db)
            try await M039FinalPublishedSources.backfill(on: app.db)
            #expect(try await Self.stored(app)?.publishedSourcesJSON == keptJSON && keptJSON != nil)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            #expect(try await !caiwu.get(Self.path).text.contains("尚未重新公开"))
            let code = try #require(before.budget.projects.first?.code)
            let p = PaymentModel()
            (p.unitCode, p.year, p.month, p.projectCode, p.line, p.paidOn) = ("434001", 2023, "2023-07", code, "1",
                                                                               "2023-07-20")
            (p.amountFen, p.fund, p.economic, p.payee, p.source) = (3_500_000, "一般公共预算", "", "企业", "form")
            (p.createdBy, p.createdAt) = ("caiwu", clock.now)
            try await p.create(on: app.db)
            // The portal, its files and the year-end figures of the published document do not move.
            let after = try await published()
            #expect(after.totalExpenditure == before.totalExpenditure)
            #expect(after == before)
            let live = try await Self.page(app)
            #expect(live.accounts.totalExpenditure == before.totalExpenditure + Fen(3_500_000))
            // The unit is told the live figures differ from the published ones, and the identity now fails.
            let page = try await caiwu.get(Self.path)
            #expect(page.text.contains("尚未重新公开") && page.text.contains("FINAL-CARRY"))
            // What the document does not show is no change: the budget's workflow, a score's digits past the shown.
            let kept = try #require(try await FinalPage.query(on: app.db, principal: nil, unit: unit, year: 2023,
                                                              asPublished: true)).sources
            var other = kept
            other.budget.status = .published
            other.budget.confirmations = []
            other.evaluations = other.evaluations.map { e in
                var e = e
                e.score += Decimal(1) / Decimal(3_000_000)
                return e
            }
            #expect(!kept.evaluations.isEmpty && other != kept && other.asShown == kept.asShown)
            // A public file's tag is the document's: a format that does not exist is not found, tag or not.
            let pdf = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023/files/xlsx")
            let tag = try #require(pdf.headers.first(name: .eTag))
            let bogus = try await app.testing().sendRequest(.GET, "/public/units/434001/final/2023/files/nope",
                                                            headers: ["If-None-Match": tag])
            #expect(bogus.status == .notFound)
        }
    }

    @Test("The XLSX template round-trips; a bad cell is named by sheet, row and column, and nothing is saved")
    func workbook() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            let template = try await caiwu.get(Self.path + "/files/template")
            #expect(template.status == .ok)
            let page = try await Self.page(app)
            var rows = FinalForm.sheetRows(page.accounts)
            let row = try #require(rows.firstIndex { $0.first == "count-receptionBatches" })
            rows[row][2] = "八十六"
            try await caiwu.get(Self.path)
            let bad = try await caiwu.upload(Self.path, file: PlainWorkbook.make([(name: "决算数据", rows: rows)]),
                                             name: "final.xlsx", fields: ["version": "0"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("工作表“决算数据”第\(row + 1)行C列"))
            #expect(try await Self.stored(app) == nil)
            rows[row][2] = "86"
            try await caiwu.get(Self.path)
            let good = try await caiwu.upload(Self.path, file: PlainWorkbook.make([(name: "决算数据", rows: rows)]),
                                              name: "final.xlsx", fields: ["version": "0"])
            #expect(good.status == .seeOther)
            let m = try #require(try await Self.stored(app))
            #expect(try m.inputs().counts.receptionBatches == 86)
        }
    }

    @Test("fuzheng yearend scores every project and builds every unit's 决算 of the year")
    func yearEnd() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            try await DemoEvaluation.load(app)
            let s = try await YearEndCommand.run(year: 2023, on: app.db)
            #expect(s.finals >= 1 && s.units == s.finals)
            // The office's four published evaluations are among them, each with a grade.
            #expect(s.projects >= 4 && s.grades.values.reduce(0, +) + s.unscored == s.projects)
            #expect(s.grades["优", default: 0] >= 1)
            #expect(s.finalErrors >= 1)
            // The demo's published 决算 is one a unit could publish: no error.
            try await DemoFinal.load(app)
            let page = try await Self.page(app)
            #expect(page.published && page.errors.isEmpty, "\(page.errors.map(\.messageZh))")
        }
    }
}
