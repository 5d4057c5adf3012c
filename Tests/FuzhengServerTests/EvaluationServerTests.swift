import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("项目支出绩效自评 on the server: prepared, approved by the head, re-scored and reviewed, published")
struct EvaluationServerTests {
    static let legal = "13073023P00004810005K"
    static let path = "/evaluation/units/434001/2023/projects/\(legal)"

    /// 法律事务: 购买服务 =1项, 办结率 ≥90%, 服务时间 ≤12个月, 总成本 ≤30万元, 维护政府形象 (定性), 工作人员满意度 ≥90%.
    static func form(version: Int, intent: String) -> [String: String] {
        ["version": String(version), "intent": intent, "actual_0": "1项", "actual_1": "85%", "actual_2": "12个月",
         "actual_3": "30万元", "judgement_4": "achieved", "actual_5": "93%",
         "cause_1": "两件案件跨年审理", "improvement_1": "提前介入", "conclusion": "总体完成", "problems": "个别案件跨年",
         "improvements": "加强跟踪"]
    }

    static func stored(_ app: Application) async throws -> ProjectEvaluationModel? {
        try await ProjectEvaluationModel.query(on: app.db).filter(\.$projectCode == legal).first()
    }

    @Test("Draft from the year's data, scored; head approves; the bureau re-scores with a reason, reviews; published")
    func workflow() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            let first = try await caiwu.get(Self.path)
            // Prefilled from 法律事务's approved 1-6月 监控表: 办结率 92%.
            #expect(first.status == .ok && first.text.contains("value=\"92%\""))
            #expect(try await caiwu.post(Self.path, Self.form(version: 0, intent: "submit")).status == .seeOther)
            var m = try #require(try await Self.stored(app))
            // 执行率 100% → 10; 产出 12.5 × (1 + 85/90 + 1 + 1) = 49.3055…; 效益 30; 满意度 10 → 99.31, 优.
            #expect(m.statusValue == .submitted && m.total == "99.31" && m.grade == "优")
            // The head approves; the unit's staff cannot.
            try await caiwu.get(Self.path)
            #expect(try await caiwu.post(Self.path + "/step", ["action": "approve"]).status == .forbidden)
            let head = try await IncomingServerTests.login(app, "fuzeren")
            #expect(try await head.get("/home").text.contains("绩效自评待审批"))
            try await head.get(Self.path)
            #expect(try await head.post(Self.path + "/step", ["action": "approve"]).status == .seeOther)
            // The bureau re-scores (a reason required) and reviews.
            let shenhe = try await IncomingServerTests.login(app, "shenhe")
            #expect(try await shenhe.get("/home").text.contains("绩效自评待财政审核"))
            m = try #require(try await Self.stored(app))
            var rescore = Self.form(version: m.version, intent: "save")
            rescore["actual_5"] = "88%"
            rescore["cause_5"] = "抽样偏少"
            rescore["improvement_5"] = "扩大调查"
            try await shenhe.get(Self.path)
            #expect(try await shenhe.post(Self.path, rescore).status == .unprocessableEntity)
            rescore["reason"] = "满意度以全年问卷为准"
            #expect(try await shenhe.post(Self.path, rescore).status == .seeOther)
            m = try #require(try await Self.stored(app))
            // 满意度 10 × 88/90 = 9.777… → 99.08.
            #expect(m.total == "99.08" && m.statusValue == .unitApproved)
            try await shenhe.get(Self.path)
            #expect(try await shenhe.post(Self.path + "/step", ["action": "review"]).status == .seeOther)
            // Published by the unit, on the portal for everyone.
            try await caiwu.get(Self.path)
            #expect(try await caiwu.post(Self.path + "/step", ["action": "publish"]).status == .seeOther)
            let events = try await EvaluationEventModel.query(on: app.db).sort(\.$at).all().map(\.action)
            #expect(events == ["save", "submit", "approve", "rescore", "review", "publish"])
            let audit = try await auditRecords(app).compactMap(\.summary)
            #expect(audit.contains { $0.contains("财政重新评分（满意度以全年问卷为准）") && $0.contains("总分 99.08") })
            let portal = try await Browser(app).get("/public/units/434001/evaluations/2023")
            #expect(portal.status == .ok && portal.text.contains("99.08") && portal.text.contains("两件案件跨年审理"))
            // Exports read back.
            let docx = try await caiwu.get(Self.path + "/files/docx")
            let text = try DocxReader.read(Data(docx.body.readableBytesView)).get().paragraphs.joined(separator: "\n")
            #expect(text.contains("项目支出绩效自评表") && text.contains("| 总分 | 99.08 | 自评等级 | 优 |"))
            let xlsx = try await caiwu.get(Self.path + "/files/xlsx")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1_000)
            // The document the PDF is printed from: the facts, the indicator rows, the conclusion.
            let html = try await caiwu.get(Self.path + "/files/html")
            #expect(html.status == .ok && html.text.contains("99.08") && html.text.contains("两件案件跨年审理")
                && html.text.contains("评价结论"))
        }
    }

    @Test("Sent back with a reason the staff find; another unit can neither read nor write it; bad weights named")
    func refusals() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            let caiwu = try await IncomingServerTests.login(app, "caiwu")
            try await caiwu.get(Self.path)
            var weights = Self.form(version: 0, intent: "save")
            weights["weight_0"] = "20"
            let named = try await caiwu.post(Self.path, weights)
            #expect(named.status == .seeOther)
            #expect(try await caiwu.get(Self.path).text.contains("各指标权重应全部填写且合计为50分（现为20分）"))
            #expect(try await caiwu.post(Self.path, Self.form(version: 1, intent: "submit")).status == .seeOther)
            let head = try await IncomingServerTests.login(app, "fuzeren")
            try await head.get(Self.path)
            _ = try await head.post(Self.path + "/step", ["action": "send_back", "comment": "结论太简单"])
            #expect(try await Self.stored(app)?.statusValue == .draft)
            #expect(try await caiwu.get("/home").text.contains("结论太简单"))
            let other = try await IncomingServerTests.login(app, "wenshu2")
            #expect(try await other.get(Self.path).status == .forbidden)
            #expect(try await Browser(app).get("/public/units/434001/evaluations/2023").status == .notFound)
        }
    }

    @Test("fuzheng evaluation 434001 2023 prints each project's score and grade")
    func command() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoExecution.load(app)
            try await DemoEvaluation.load(app)
            let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434001").first())
            let lines = try await EvaluationCommand.lines(unit: unit, year: 2023, on: app.db)
            #expect(lines.count == 4 && lines.allSatisfy { $0.status == "published" && !$0.grade.isEmpty })
            #expect(try await runCommand(EvaluationCommand(), ["434001", "2023", "--json"], app: app) == 0)
            #expect(try await runCommand(EvaluationCommand(), ["434001", "x"], app: app) == 2)
        }
    }
}
