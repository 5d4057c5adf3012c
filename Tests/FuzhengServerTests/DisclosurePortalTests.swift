import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting
import ZIPFoundation

@Suite("Publishing and the public disclosure portal")
struct DisclosurePortalTests {
    /// Imports the seed as next year's draft and marks it approved `daysAgo` days before now.
    static func approved2024(_ app: Application, clock: ManualClock, daysAgo: Double = 1, tweak: (inout String) -> Void = { _ in }) async throws {
        var seed = try String(contentsOfFile: SeedFile.path, encoding: .utf8).replacingOccurrences(of: "2023年", with: "2024年")
        tweak(&seed)
        #expect(try await runCommand(ImportCommand(), [try SeedFile.write(seed)], app: app) == 0)
        let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
        var approved = budget
        approved.status = .approved
        try model.apply(approved)
        model.approvedAt = clock.now.addingTimeInterval(-daysAgo * 86_400)
        try await model.save(on: app.db)
    }

    @Test("the demo's 2023 disclosure is published as version 1 and readable without login")
    func demoPublished() async throws {
        try await withFuzhengApp { app, _ in
            let visitor = Browser(app)
            let list = try await visitor.get("/disclosures")
            #expect(list.status == .ok)
            #expect(list.text.contains(#"href="/disclosures/434001/2023""#))
            #expect(try await visitor.get("/disclosures?q=司法").text.contains("没有与"))
            #expect(try await visitor.get("/disclosures?q=434").text.contains("434001"))
            let page = try await visitor.get("/disclosures/434001/2023")
            #expect(page.status == .ok)
            for text in ["第1版 · 公开于2023-02-20", "2023年预算收入2001.89万元", "部门收支总表", "一般公共预算“三公”经费支出表",
                         "本表为空", "基础软件开发服务", "/disclosures/434001/2023/v/1/download/docx",
                         "<td>2010301</td><td>行政运行</td>", "<td>30101</td><td>基本工资</td>"] {
                #expect(page.text.contains(text), "missing \(text)")
            }
            #expect(try await visitor.get("/disclosures/434001/2023/v/1").status == .ok)
        }
    }

    @Test("unknown unit, year or version is a clear 404 page")
    func notFound() async throws {
        try await withFuzhengApp { app, _ in
            let visitor = Browser(app)
            for path in ["/disclosures/999999/2023", "/disclosures/434001/1999", "/disclosures/434001/2023/v/7",
                         "/disclosures/436001/2023", "/disclosures/434001/2023/v/1/download/odt"] {
                let response = try await visitor.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.text.contains("您访问的页面不存在"))
            }
        }
    }

    @Test("every download format answers with its content type and a file name", arguments: ["html", "docx", "xlsx", "csv", "json", "datapackage"])
    func downloads(_ format: String) async throws {
        try await withFuzhengApp { app, _ in
            let response = try await app.testing().sendRequest(.GET, "/disclosures/434001/2023/v/1/download/\(format)")
            #expect(response.status == .ok)
            let disposition = response.headers.first(name: .contentDisposition) ?? ""
            // The two ZIP formats must not download under the same name.
            let name = format == "csv" || format == "datapackage" ? "-\(format).zip" : ".\(format)"
            #expect(disposition.contains("budget-434001-2023-v1\(name)"))
            let body = Data(buffer: response.body)
            // Every format carries the classification: the 类 201, the 项 2010301 行政运行 and the economic 款 30101.
            switch format {
            case "html":
                let html = String(decoding: body, as: UTF8.self)
                #expect(html.contains("2023年预算收入2001.89万元"))
                for row in ["<td>201</td><td>一般公共服务支出</td>", "<td>2010301</td><td>行政运行</td>",
                            "<td>30101</td><td>基本工资</td>"] {
                    #expect(html.contains(row), "missing \(row)")
                }
            case "json":
                let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                #expect(json?["fiscalYear"] as? Int == 2023)
                let tables = json?["tables"] as? [[String: Any]] ?? []
                func codes(_ id: String) -> [String] {
                    let rows = tables.first { $0["id"] as? String == id }?["rows"] as? [[Any]] ?? []
                    return rows.compactMap { $0.first as? String }
                }
                #expect(codes("t05-general-public").contains("201") && codes("t05-general-public").contains("2010301"))
                #expect(codes("t06-general-public-basic").contains("30101"))
            default:
                let archive = try Archive(data: body, accessMode: .read)
                let names = archive.map(\.path)
                func text(_ path: String) throws -> String {
                    guard let entry = archive[path] else { return "" }
                    var out = Data()
                    _ = try archive.extract(entry) { out.append($0) }
                    return String(decoding: out, as: UTF8.self)
                }
                if format == "datapackage" {
                    #expect(names.contains("budget-434001-2023-v1/datapackage.json"))
                    let t05 = try text("budget-434001-2023-v1/table-t05-general-public.csv")
                    #expect(t05.contains("\n201,一般公共服务支出,") && t05.contains("\n2010301,行政运行,"))
                    let t06 = try text("budget-434001-2023-v1/table-t06-general-public-basic.csv")
                    #expect(t06.contains("\n30101,基本工资,"))
                }
                if format == "csv" {
                    #expect(names.contains("budget-434001-2023-v1/t07-three-public.csv"))
                    let t05 = try text("budget-434001-2023-v1/t05-general-public.csv")
                    #expect(t05.contains("\n201,一般公共服务支出,") && t05.contains("\n2010301,行政运行,"))
                    #expect(try text("budget-434001-2023-v1/t06-general-public-basic.csv").contains("\n30101,基本工资,"))
                }
                if format == "docx" {
                    #expect(names.contains("word/document.xml"))
                    let xml = try text("word/document.xml")
                    for s in ["201", "一般公共服务支出", "2010301", "行政运行", "30101"] {
                        #expect(xml.contains("<w:t xml:space=\"preserve\">\(s)</w:t>"), "missing \(s)")
                    }
                }
                if format == "xlsx" {
                    #expect(names.contains("xl/workbook.xml"))
                    let sheets = try names.filter { $0.hasPrefix("xl/worksheets/") }.map(text).joined()
                    for code in ["201", "2010301", "30101"] {
                        // As text, so a spreadsheet shows the code and never turns it into a number.
                        #expect(sheets.contains("t=\"inlineStr\"><is><t xml:space=\"preserve\">\(code)</t>"), "\(code)")
                        #expect(!sheets.contains("<v>\(code)</v>"))
                    }
                    #expect(sheets.contains("<t xml:space=\"preserve\">行政运行</t>"))
                }
            }
        }
    }

    @Test("PDF download through Chromium", .enabled(if: PDFPrinter.chromiumPath() != nil, "needs Debian's chromium (installed by .ci/run)"))
    func pdf() async throws {
        try await withFuzhengApp { app, _ in
            let response = try await app.testing().sendRequest(.GET, "/disclosures/434001/2023/v/1/download/pdf")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("application/pdf") == true)
            #expect(Data(buffer: response.body).starts(with: Array("%PDF".utf8)))
        }
    }

    @Test("单位财务 publishes an approved budget; a correction needs a note and keeps the old version readable")
    func publishAndCorrect() async throws {
        try await withFuzhengApp { app, clock in
            try await Self.approved2024(app, clock: clock)
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            let budgetPage = try await caiwu.get("/units/434001/budgets/2024")
            #expect(budgetPage.text.contains(#"href="/units/434001/budgets/2024/publish""#))
            let confirm = try await caiwu.get("/units/434001/budgets/2024/publish")
            #expect(confirm.text.contains("确认公开"))
            // The page previews the disclosure as it will be published and lists the open warnings …
            #expect(confirm.text.contains(#"id="publish-preview""#))
            #expect(confirm.text.contains("部门收支总表"))
            let warnings = try #require(confirm.text.firstMatch(of: /name="acceptWarnings" value="(\d+)"/)).1
            #expect(Int(warnings) ?? 0 > 0)
            #expect(confirm.text.contains("另有 \(warnings) 项警告或提示"))
            #expect(confirm.text.contains("年份应使用六角括号"))
            // … and publishing without ticking them as read (or with a stale count) is refused, nothing written.
            for accepted in [nil, "1"] as [String?] {
                var form = ["note": ""]
                form["acceptWarnings"] = accepted
                let refused = try await caiwu.post("/units/434001/budgets/2024/publish", form)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.text.contains("请阅读后勾选确认"))
            }
            #expect(try await DisclosureVersionModel.query(on: app.db).filter(\.$fiscalYear == 2024).count() == 0)
            let published = try await caiwu.publish("/units/434001/budgets/2024/publish", note: "")
            #expect(published.status == .seeOther)
            #expect(published.location == "/disclosures/434001/2024")
            #expect(try await caiwu.get("/disclosures/434001/2024").text.contains("已公开。"))
            let (model, _) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.status == "published")

            try await caiwu.get("/units/434001/budgets/2024/publish")
            let noNote = try await caiwu.publish("/units/434001/budgets/2024/publish", note: "  ")
            #expect(noNote.status == .unprocessableEntity)
            #expect(noNote.text.contains("发布更正必须填写更正说明"))
            let corrected = try await caiwu.publish("/units/434001/budgets/2024/publish", note: "更正名词解释中的财政层级表述")
            #expect(corrected.status == .seeOther)
            let latest = try await Browser(app).get("/disclosures/434001/2024")
            #expect(latest.text.contains("第2版"))
            #expect(latest.text.contains("更正说明：更正名词解释中的财政层级表述"))
            let old = try await Browser(app).get("/disclosures/434001/2024/v/1")
            #expect(old.status == .ok)
            #expect(old.text.contains("您正在查看旧版本，最新为第2版"))
            #expect(try await auditRecords(app).filter { $0.objectType == "disclosure" && $0.objectID?.hasPrefix("434001/2024/v") == true }.count == 2)
        }
    }

    @Test("a budget with errors, or one not yet approved, cannot be published")
    func refusals() async throws {
        try await withFuzhengApp { app, clock in
            try await Self.approved2024(app, clock: clock) { $0 = $0.replacingOccurrences(of: "公务接待费211.5万元", with: "公务接待费211.6万元") }
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            let confirm = try await caiwu.get("/units/434001/budgets/2024/publish")
            #expect(confirm.text.contains("须更正后才能公开"))
            #expect(!confirm.text.contains("确认公开"))
            let refused = try await caiwu.post("/units/434001/budgets/2024/publish", ["note": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await DisclosureVersionModel.query(on: app.db).filter(\.$fiscalYear == 2024).count() == 0)
            #expect(try await auditRecords(app).last?.result == "failure")
        }
    }

    @Test("only the unit's own 单位财务 may publish")
    func permissions() async throws {
        try await withFuzhengApp { app, clock in
            try await Self.approved2024(app, clock: clock)
            for username in ["caiwu2", "fuzeren", "shenhe", "sysadmin"] {
                let b = Browser(app)
                try await b.login(username)
                #expect(try await b.get("/units/434001/budgets/2024/publish").status == .forbidden, "\(username)")
            }
        }
    }

    @Test("财政审核 sees approved budgets not published within 20 days")
    func deadlines() async throws {
        try await withFuzhengApp { app, clock in
            try await Self.approved2024(app, clock: clock, daysAgo: 25)
            let reviewer = Browser(app)
            try await reviewer.login("shenhe")
            let page = try await reviewer.get("/finance/due")
            #expect(page.status == .ok)
            #expect(page.text.contains("434001 怀来县人民政府办公室"))
            #expect(page.text.contains("已逾期5天"))
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            #expect(try await caiwu.get("/finance/due").status == .forbidden)
        }
    }

    @Test("year-over-year comparison and the county overview with server-drawn charts")
    func compareAndOverview() async throws {
        try await withFuzhengApp { app, _ in
            let visitor = Browser(app)
            let compare = try await visitor.get("/disclosures/434001/2023/compare")
            #expect(compare.status == .ok)
            #expect(compare.text.contains("2027.74"))   // last year's total, as the 2023 text states it
            #expect(compare.text.contains("-1.3%"))     // (2001.89 − 2027.74) / 2027.74
            #expect(compare.text.contains("<svg"))
            let overview = try await visitor.get("/disclosures/overview")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("241.50"))
            #expect(overview.text.contains("291.21"))
            #expect(overview.text.contains("<svg"))
            // Drawn on the server: the only script on the page is the shared form helper, none in the charts.
            #expect(overview.text.components(separatedBy: "<script").count == 2)
            #expect(overview.text.contains(#"<script src="/static/app.js" defer="defer"></script>"#))
        }
    }
}

@Suite("The public page cache")
struct DisclosureCacheTests {
    @Test("anonymous visitors get the cached page; a correction published here shows at once")
    func freshness() async throws {
        try await withFuzhengApp { app, clock in
            try await DisclosurePortalTests.approved2024(app, clock: clock)
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            try await caiwu.publish("/units/434001/budgets/2024/publish", note: "")
            let first = try await Browser(app).get("/disclosures/434001/2024")
            let again = try await Browser(app).get("/disclosures/434001/2024")
            #expect(first.text == again.text)
            #expect(first.text.contains("第1版"))
            try await caiwu.get("/units/434001/budgets/2024/publish")
            try await caiwu.publish("/units/434001/budgets/2024/publish", note: "更正")
            #expect(try await Browser(app).get("/disclosures/434001/2024").text.contains("第2版"))
            // The English page is a different page.
            let english = Browser(app)
            try await english.get("/lang/en?back=/")
            #expect(try await english.get("/disclosures/434001/2024").text.contains("Version 2"))
        }
    }
}
