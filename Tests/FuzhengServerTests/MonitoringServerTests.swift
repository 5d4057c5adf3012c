import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("绩效运行监控 on the server: the 监控表 filled with bound indicators, submitted, sent back, approved")
struct MonitoringServerTests {
    static let general = "13073023P00004610004L", egov = "13073023P00005210005Q"
    static func path(_ project: String, _ point: String = "2023-06-30") -> String {
        "/execution/units/434001/projects/\(project)/monitoring/\(point)"
    }

    /// Every line of 综合事务经费 (seven indicators; the fourth, 及时率, is bound to 资金拨付及时率).
    static func complete(version: Int, intent: String) -> [String: String] {
        var form = ["version": String(version), "intent": intent, "forecast": "2,700,000"]
        for i in 0..<7 {
            form["likelihood_\(i)"] = i == 1 ? "possible" : "certain"
            if i != 3 { form["value_\(i)"] = "截至6月 \(i)" }
            form["metric_\(i)"] = i == 3 ? "payment_timeliness" : ""
        }
        form["cause_1"] = "inputs"
        form["cause_text_1"] = "人员招录延后"
        form["measures_1"] = "三季度完成招录"
        return form
    }

    static func table(_ app: Application) async throws -> MonitoringTableModel? {
        try await MonitoringTableModel.query(on: app.db).filter(\.$projectCode == general).first()
    }

    @Test("Fill (a bound line already filled), submit, the finance bureau sends it back, resubmit, approve")
    func workflow() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            let first = try await caiwu.get(Self.path(Self.general))
            #expect(first.status == .ok && first.text.contains("及时率") && first.text.contains("平台实时数据"))
            // The bound line carries the metric's value for this project: of its six payments planned in 1-6月 the
            // April one was paid three days late, 5 / 6.
            #expect(first.text.contains("id=\"value-3\">83.33%"), "\(first.text.prefix(300))")
            // Submitting an incomplete sheet names what is missing; nothing moves.
            var partial = Self.complete(version: 0, intent: "submit")
            partial["likelihood_5"] = ""
            let refused = try await caiwu.post(Self.path(Self.general), partial)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("还有 1 项未填写完整"))
            #expect(try await Self.table(app)?.statusValue == .draft)
            // A bad amount is named and nothing is stored.
            var bad = Self.complete(version: 1, intent: "save")
            bad["forecast"] = "abc"
            let named = try await caiwu.post(Self.path(Self.general), bad)
            #expect(named.status == .unprocessableEntity && named.text.contains("全年预计执行数应为"))
            // Complete: submitted, the bureau told.
            let submitted = try await caiwu.post(Self.path(Self.general), Self.complete(version: 1, intent: "submit"))
            #expect(submitted.status == .seeOther)
            let stored = try #require(try await Self.table(app))
            #expect(stored.statusValue == .submitted && stored.version == 3)
            let sheet = try stored.sheet()
            #expect(sheet.forecast == .yuan(2_700_000) && sheet.entries[3].value == "83.33%"
                && sheet.entries[3].metric == "payment_timeliness" && sheet.entries[1].cause == .inputs)
            // The unit cannot approve its own; another unit cannot even read it.
            try await caiwu.get(Self.path(Self.general))
            #expect(try await caiwu.post(Self.path(Self.general) + "/step", ["action": "approve"]).status
                == .forbidden)
            let other = try await IncomingServerTests.login(app, "wenshu2")
            #expect(try await other.get(Self.path(Self.general)).status == .forbidden)
            // The bureau finds it on its 工作台, sends it back (a reason needed), the unit finds it returned.
            let shenhe = try await IncomingServerTests.login(app, "shenhe")
            #expect(try await shenhe.get("/home").text.contains("绩效监控表待审核"))
            let page = try await shenhe.get(Self.path(Self.general))
            #expect(page.text.contains("退回修改") && page.text.contains("审核通过"))
            _ = try await shenhe.post(Self.path(Self.general) + "/step", ["action": "send_back", "comment": " "])
            #expect(try await Self.table(app)?.statusValue == .submitted)
            let back = try await shenhe.post(Self.path(Self.general) + "/step",
                                             ["action": "send_back", "comment": "偏差原因请写明岗位和人数"])
            let returned = try await Self.table(app)?.statusValue
            #expect(back.status == .seeOther && returned == .draft)
            let home = try await caiwu.get("/home").text
            #expect(home.contains("绩效监控表被退回") && home.contains("偏差原因请写明岗位和人数"))
            // Resubmitted, approved; the history holds every step.
            var again = Self.complete(version: 4, intent: "submit")
            again["cause_text_1"] = "综合岗2人招录延后至8月"
            #expect(try await caiwu.post(Self.path(Self.general), again).status == .seeOther)
            try await shenhe.get(Self.path(Self.general))
            #expect(try await shenhe.post(Self.path(Self.general) + "/step", ["action": "approve"]).status
                == .seeOther)
            let approved = try #require(try await Self.table(app))
            #expect(approved.statusValue == .approved)
            let events = try await MonitoringEventModel.query(on: app.db).filter(\.$table.$id == approved.requireID())
                .sort(\.$at).all().map(\.action)
            // The refused first submission kept what was typed (a save), nothing more.
            #expect(events == ["save", "save", "submit", "send_back", "save", "submit", "approve"])
            let notices = try await NotificationModel.query(on: app.db).all().map(\.text)
            #expect(notices.contains { $0.contains("被财政审核") || $0.contains("退回：偏差原因请写明岗位和人数") })
            let audit = try await auditRecords(app).compactMap(\.summary)
            #expect(audit.contains { $0.contains("保存监控表") && $0.contains("全年预计执行数") })
            // Approved: read-only, exports read back.
            let done = try await caiwu.get(Self.path(Self.general)).text
            #expect(done.contains("财政审核通过") && !done.contains("name=\"value_0\""))
            let xlsx = try await caiwu.get(Self.path(Self.general) + "/files/xlsx")
            let sheets = try XLSXReader.sheets(Data(xlsx.body.readableBytesView), limits: BudgetWorkbook.limits).get()
            let cells = sheets[0].cells.values.flatMap(\.values).map { v -> String in
                if case .text(let t) = v { return t }
                return ""
            }.joined(separator: "|")
            #expect(cells.contains("综合岗2人招录延后至8月") && cells.contains("平台实时数据（资金拨付及时率）"))
            let docx = try await caiwu.get(Self.path(Self.general) + "/files/docx")
            let text = try DocxReader.read(Data(docx.body.readableBytesView)).get().paragraphs.joined(separator: "\n")
            #expect(text.contains("项目支出绩效目标执行监控表") && text.contains("三季度完成招录"))
        }
    }

    @Test("Two tabs saving one version: the version is claimed in the write, one wins")
    func twoTabs() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            try await caiwu.get(Self.path(Self.general))
            #expect(try await caiwu.post(Self.path(Self.general), Self.complete(version: 0, intent: "save")).status
                == .seeOther)
            var a = Self.complete(version: 1, intent: "save"), b = Self.complete(version: 1, intent: "save")
            a["value_0"] = "甲"
            b["value_0"] = "乙"
            async let x = caiwu.post(Self.path(Self.general), a)
            async let y = caiwu.post(Self.path(Self.general), b)
            _ = try await (x, y)
            let stored = try #require(try await Self.table(app))
            let value = try stored.sheet().entries[0].value
            #expect(stored.version == 2 && ["甲", "乙"].contains(value))
        }
    }

    @Test("A staff survey answered by three people changes the bound 使用人员满意度 on the sheet")
    func surveyMovesTheFigure() async throws {
        try await withFuzhengApp { app, clock in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            let before = try await caiwu.get(Self.path(Self.egov)).text
            #expect(before.contains("97.16%"))
            let owner = try await IncomingServerTests.login(app, "bangong")
            try await owner.get("/surveys")
            _ = try await owner.post("/surveys", ["title": "2023年下半年使用人员满意度调查", "questions": "总体满意度",
                                                  "formula": "top_two", "units[]": "434001"])
            let survey = try #require(try await SurveyModel.query(on: app.db)
                .filter(\.$title == "2023年下半年使用人员满意度调查").first())
            let id = try survey.requireID().uuidString
            for (name, level) in [("wenshu", "very_satisfied"), ("fuzeren", "fair"), ("caiwu", "satisfied")] {
                let b = name == "caiwu" ? caiwu : try await IncomingServerTests.login(app, name)
                try await b.get("/surveys/\(id)")
                #expect(try await b.post("/surveys/\(id)/answer", ["q0": level]).status == .seeOther)
            }
            clock.advance(by: 60)
            try await owner.get("/surveys/\(id)")
            try await owner.post("/surveys/\(id)/close", [:])
            // Top two of three: 66.66%.
            let after = try await caiwu.get(Self.path(Self.egov)).text
            #expect(after.contains("66.66%") && !after.contains("97.16%"))
        }
    }
}
