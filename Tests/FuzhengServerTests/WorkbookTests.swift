import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import Vapor
import VaporTesting

extension Browser {
    /// Posts a file as a browser's multipart form does, with the page's CSRF token and any other fields.
    @discardableResult
    func upload(_ path: String, file: Data, name: String = "budget.xlsx", fields: [String: String] = [:],
                fieldName: String = "file") async throws -> TestingHTTPResponse {
        let boundary = "----fz\(UUID().uuidString)"
        var body = ByteBuffer()
        var all = fields
        if let token = csrfToken, all["_csrf"] == nil { all["_csrf"] = token }
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fieldName)\"; filename=\"\(name)\"\r\n"
                         + "Content-Type: \(WorkbookController.mediaType)\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.replaceOrAdd(name: "X-Forwarded-For", value: forwardedFor)
        return try await app.testing(method: method).sendRequest(.POST, path, headers: headers, body: body)
    }
}

@Suite("Budget workbook on the server: download, upload, preview, confirm")
struct WorkbookServerTests {
    static let base = "/units/434001/budgets/2024"

    static func stored(_ app: Application) async throws -> (Int, Budget) {
        let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
        return (model.version, budget)
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let m = html.firstMatch(of: try! Regex("name=\"\(name)\" value=\"([^\"]*)\"")) else { return nil }
        return m.output[1].substring.map(String.init)
    }

    @Test("the downloaded workbook, edited and uploaded, shows its changes; confirming saves them once, audited")
    func uploadPreviewConfirm() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let page = try await caiwu.get(Self.base)
            #expect(page.text.contains("href=\"\(Self.base)/workbook.xlsx\""))
            #expect(page.text.contains("href=\"\(Self.base)/workbook\""))

            let download = try await caiwu.get(Self.base + "/workbook.xlsx")
            #expect(download.status == .ok)
            #expect(download.headers.contentType?.serialize() == WorkbookController.mediaType)
            #expect(download.headers.contentDisposition?.filename == "budget-434001-2024.xlsx")
            let (version, before) = try await Self.stored(app)
            let file = Data(buffer: download.body)
            #expect(try BudgetWorkbook.read(file, into: before).get() == before)

            // Someone who may read the unit's business downloads it too; another unit's clerk may not.
            let reviewer = Browser(app)
            try await reviewer.login("shenhe")
            #expect(try await reviewer.get(Self.base + "/workbook.xlsx").status == .ok)
            #expect(try await reviewer.get(Self.base + "/workbook").status == .forbidden)
            let other = Browser(app)
            try await other.login("caiwu2")
            #expect(try await other.get(Self.base + "/workbook.xlsx").status == .forbidden)

            var edited = before
            edited.revenue[0].amount = edited.revenue[0].amount + Fen(10_001)
            edited.expenditure[0].amount = edited.expenditure[0].amount + Fen(10_001)
            edited.projects[0].target = "新的绩效目标"
            let form = try await caiwu.get(Self.base + "/workbook")
            #expect(form.status == .ok)
            #expect(form.text.contains("enctype=\"multipart/form-data\""))
            let preview = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(edited))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("确认从 Excel 导入2024年预算"))
            #expect(preview.text.contains("20018900.00"))
            #expect(preview.text.contains("20019000.01"))
            #expect(preview.text.contains("新的绩效目标"))
            #expect(preview.text.contains("随明细更新的合计数"))
            #expect(try await Self.stored(app).0 == version, "a preview saves nothing")

            let digest = try #require(Self.hidden("digest", in: preview.text))
            #expect(Self.hidden("version", in: preview.text) == String(version))
            let confirmation = ["digest": digest, "version": String(version)]
            let confirmed = try await caiwu.post(Self.base + "/workbook/confirm", confirmation)
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.location == Self.base)
            #expect(try await caiwu.get(Self.base).text.contains("已从 Excel 工作簿导入并保存"))
            let (after, saved) = try await Self.stored(app)
            #expect(after == version + 1)
            #expect(saved.revenue == edited.revenue)
            #expect(saved.expenditure == edited.expenditure)
            #expect(saved.projects == edited.projects)
            #expect(saved.stated[.totalRevenue] == edited.totalRevenue)
            let record = try #require(try await auditRecords(app, action: .update).last)
            #expect(record.objectID == "434001/2024")
            let summary = record.summary ?? ""
            #expect(summary.hasPrefix("workbook import (file sm3 \(digest)): "))
            #expect(summary.contains("收入 一般公共预算拨款 金额（元）: 20018900.00 → 20019000.01"))
            #expect(summary.contains("绩效目标"))

            // The same confirmation again is over an older version: refused, nothing written twice.
            let again = try await caiwu.post(Self.base + "/workbook/confirm", confirmation)
            #expect(again.location == Self.base + "/workbook")
            #expect(try await Self.stored(app).0 == version + 1)
        }
    }

    @Test("a workbook with a broken cell lists it by sheet, row and column, with 422, and saves nothing")
    func brokenWorkbook() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (version, before) = try await Self.stored(app)
            var broken = before
            broken.expenditure[2].functionCode = "9999999"
            broken.revenue[0].amount = Fen(1)
            try await caiwu.get(Self.base + "/workbook")
            let refused = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(broken))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("工作簿未导入，没有保存任何内容。发现 1 处问题"))
            #expect(refused.text.contains("工作表“支出”第 6 行 E 列〔功能分类科目编码〕：功能分类科目编码“9999999”不在目录中"))
            #expect(try await Self.stored(app) == (version, before))

            let notAWorkbook = try await caiwu.upload(Self.base + "/workbook", file: Data("名称,金额\n".utf8),
                                                      name: "a.csv")
            #expect(notAWorkbook.status == .unprocessableEntity)
            #expect(notAWorkbook.text.contains("文件不是有效的 ZIP 压缩包"))
            let nothing = try await caiwu.post(Self.base + "/workbook", [:])
            #expect(nothing.status == .unprocessableEntity)
            #expect(nothing.text.contains("请选择要上传的 .xlsx 工作簿"))

            // In English, the same place in English words.
            try await caiwu.get("/lang/en")
            let english = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(broken))
            #expect(english.text.contains(
                "sheet 支出, row 6, column E [Function code]: Function code “9999999” is not in the catalog"))
            #expect(try await Self.stored(app).0 == version)
        }
    }

    @Test("a confirmation read at a version someone else has saved over is refused as a conflict")
    func staleVersion() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (version, before) = try await Self.stored(app)
            var edited = before
            edited.threePublic.items.reception = edited.threePublic.items.reception + Fen(100)
            try await caiwu.get(Self.base + "/workbook")
            let preview = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(edited))
            let digest = try #require(Self.hidden("digest", in: preview.text))

            // Meanwhile another change is saved.
            var other = before
            other.narrative.otherNotes = "别人先保存"
            let saving = other
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, _ in
                let unit = try #require(try await UnitModel.query(on: tx).filter(\.$code == "434001").first())
                try await BudgetStore.save(saving, unitID: unit.requireID(), expectedVersion: version, on: tx)
            }
            let stale = try await caiwu.post(Self.base + "/workbook/confirm",
                                             ["digest": digest, "version": String(version)])
            #expect(stale.status == .seeOther)
            #expect(stale.location == Self.base + "/workbook")
            #expect(try await caiwu.get(Self.base + "/workbook").text.contains("此预算在您打开表单后已被他人保存"))
            let (after, saved) = try await Self.stored(app)
            #expect(after == version + 1)
            #expect(saved.threePublic.items == before.threePublic.items)
            #expect(saved.narrative.otherNotes == "别人先保存")

            // A digest the store does not hold is not taken for a workbook.
            let missing = try await caiwu.post(Self.base + "/workbook/confirm",
                                               ["digest": String(repeating: "0", count: 64), "version": String(after)])
            #expect(missing.location == Self.base + "/workbook")
            #expect(try await caiwu.get(Self.base + "/workbook").text.contains("找不到上传的工作簿"))
        }
    }

    @Test("the upload, problem and preview pages speak English in their own words")
    func english() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await caiwu.get("/lang/en?back=/home")
            let (_, before) = try await Self.stored(app)
            var edited = before
            edited.revenue[0].amount = edited.revenue[0].amount + Fen(1)
            edited.procurement.removeLast()
            var broken = before
            broken.expenditure[0].economicCode = "39999"
            let names = try await EnglishPagesTests.dataNames(app)
            let form = try await caiwu.get(Self.base + "/workbook")
            let preview = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(edited))
            #expect(preview.text.contains("Confirm and save"))
            #expect(preview.text.contains("(removed)"))
            let refused = try await caiwu.upload(Self.base + "/workbook", file: BudgetWorkbook.export(broken))
            #expect(refused.text.contains("sheet 支出, row 4, column F [Economic code]"))
            for page in [form, preview, refused] {
                #expect(EnglishPagesTests.chineseInChrome(page.text, names: names) == [])
            }
        }
    }
}
