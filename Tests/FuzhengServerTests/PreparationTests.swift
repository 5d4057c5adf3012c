import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Preparing and approving a budget in the browser")
struct PreparationTests {
    static let platform = "13073023P00005210005Q"

    /// caiwu creates 2024 from 2023 and returns the browser.
    static func create2024(_ app: Application) async throws -> Browser {
        let caiwu = Browser(app)
        try await caiwu.login("caiwu")
        let unit = try await caiwu.get("/units/434001")
        #expect(unit.text.contains(#"href="/units/434001/budgets/new""#))
        let form = try await caiwu.get("/units/434001/budgets/new")
        #expect(form.text.contains(#"value="2024""#))
        let created = try await caiwu.post("/units/434001/budgets/new", ["year": "2024", "source": "copy"])
        #expect(created.status == .seeOther)
        #expect(created.location == "/units/434001/budgets/2024")
        return caiwu
    }

    @Test("the whole path: create from last year, break and fix a sum, submit, approve, review, approve, publish")
    func fullPath() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            var page = try await caiwu.get("/units/434001/budgets/2024")
            #expect(page.text.contains("已创建预算草稿"))
            #expect(page.text.contains("检查结果：错误 0 项"))

            // Change a project's amount so a sum rule fails; the finding shows beside the project.
            let edit = "/units/434001/budgets/2024/projects/\(Self.platform)"
            try await caiwu.get(edit)
            let broken = try await caiwu.post(edit, Self.projectForm(amount: "520", version: "1"))
            #expect(broken.status == .seeOther)
            var form = try await caiwu.get(broken.location ?? edit)
            #expect(form.text.contains("已保存"))
            #expect(form.text.contains("对应支出行合计500万元"))
            // …and beside the amount field itself.
            #expect(form.text.contains(#"<p class="hint">⚠ 项目“怀财字【2024】7号电子政务平台建设资金”预算数520万元"#))
            // Submitting is refused while an error stands.
            page = try await caiwu.get("/units/434001/budgets/2024")
            try await caiwu.post("/units/434001/budgets/2024/workflow", ["action": "submit", "version": "2"])
            #expect(try await caiwu.get("/units/434001/budgets/2024").text.contains("预算仍有错误"))
            // Fix it.
            try await caiwu.get(edit)
            try await caiwu.post(edit, Self.projectForm(amount: "500", version: "2"))
            form = try await caiwu.get(edit)
            #expect(!form.text.contains("对应支出行合计"))

            page = try await caiwu.get("/units/434001/budgets/2024")
            #expect(page.text.contains("提交审批"))
            try await caiwu.post("/units/434001/budgets/2024/workflow", ["action": "submit", "version": "3"])

            let head = Browser(app)
            try await head.login("fuzeren")
            let home = try await head.get("/home")
            #expect(home.text.contains(#"<span class="badge""#))
            #expect(try await head.get("/inbox").text.contains("2024年怀来县人民政府办公室部门预算（已提交）等待您处理"))
            #expect(try await head.get("/units/434001/budgets/2024").text.contains("单位审批通过"))
            // Approving asks first, showing what changed against last year; only the second post takes the step.
            let ask = try await head.post("/units/434001/budgets/2024/workflow", ["action": "unit_approve", "version": "4"])
            #expect(ask.status == .ok)
            #expect(ask.text.contains("与2023年预算相比的变化"))
            #expect(ask.text.contains("这是首次提交"))
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)?.0.status == "submitted")
            try await head.post("/units/434001/budgets/2024/workflow",
                                ["action": "unit_approve", "version": "4", "confirmed": "1"])

            let reviewer = Browser(app)
            try await reviewer.login("shenhe")
            try await reviewer.get("/units/434001/budgets/2024")
            try await reviewer.post("/units/434001/budgets/2024/workflow",
                                    ["action": "finance_review", "version": "5", "confirmed": "1"])
            // 审核 and 批复 are two people's duties.
            try await reviewer.get("/units/434001/budgets/2024")
            try await reviewer.post("/units/434001/budgets/2024/workflow",
                                    ["action": "finance_approve", "comment": "同意", "version": "6", "confirmed": "1"])
            #expect(try await reviewer.get("/units/434001/budgets/2024").text.contains("财政审核与财政批复须由不同人员办理"))
            let approver = Browser(app)
            try await approver.login("pifu")
            try await approver.get("/units/434001/budgets/2024")
            try await approver.post("/units/434001/budgets/2024/workflow",
                                    ["action": "finance_approve", "comment": "同意", "version": "6", "confirmed": "1"])
            #expect(try await approver.get("/units/434001/budgets/2024").text.contains("已批复。单位应在20日内公开"))

            let published = try await caiwu.publish("/units/434001/budgets/2024/publish", note: "")
            #expect(published.status == .seeOther)
            let publicPage = try await Browser(app).get("/disclosures/434001/2024")
            #expect(publicPage.text.contains("2024年预算收入2001.89万元"))

            let history = try await caiwu.get("/units/434001/budgets/2024")
            for step in ["提交审批", "单位审批通过", "财政审核通过", "财政批复"] { #expect(history.text.contains(step)) }
            #expect(history.text.contains("同意"))

            // Notifications: the preparer heard of every step; once published nothing about the budget waits for
            // anyone, and nobody carries an unread badge for it.
            let told = try await NotificationModel.query(on: app.db).all()
            let caiwuID = try #require(try await UserModel.query(on: app.db).filter(\.$username == "caiwu").first()?.id)
            let toPreparer = told.filter { $0.$user.id == caiwuID }.map(\.text)
            for state in ["已提交", "单位已审批", "财政已审核"] {
                #expect(toPreparer.contains { $0.contains(state) }, "caiwu was not told of \(state): \(toPreparer)")
            }
            #expect(told.allSatisfy { $0.readAt != nil }, "items still unread after publication")
            for who in [caiwu, head, reviewer] {
                #expect(!(try await who.get("/home").text.contains(#"<span class="badge""#)))
            }
        }
    }

    @Test("opening an inbox item marks it read and goes where it points; another person's item is not found")
    func openMarksRead() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            try await caiwu.get("/units/434001/budgets/2024")
            try await caiwu.post("/units/434001/budgets/2024/workflow", ["action": "submit", "version": "1"])
            let head = Browser(app)
            try await head.login("fuzeren")
            let item = try #require(try await NotificationModel.query(on: app.db).filter(\.$readAt == nil)
                .all().first { $0.text.contains("等待您处理") })
            let open = SiteRoute.inboxOpen(id: try item.requireID().uuidString).path
            #expect(try await head.get("/inbox").text.contains(open))
            #expect(try await caiwu.get(open).status == .notFound)
            let opened = try await head.get(open)
            #expect(opened.status == .seeOther)
            #expect(opened.location == "/units/434001/budgets/2024")
            #expect(try await NotificationModel.find(item.requireID(), on: app.db)?.readAt != nil)
            #expect(!(try await head.get("/home").text.contains(#"<span class="badge""#)))
        }
    }

    static func projectForm(amount: String, version: String) -> [String: String] {
        [
            "version": version, "unit": "wan", "amount": amount, "fiscalFunds": amount, "otherFunds": "",
            "use": "用于电子政务平台建设与维护的支出", "target": "通过电子政务平台系统设施，构建大城管理格局",
            "plan3": "25", "plan6": "50", "plan10": "75", "plan12": "100",
            "ind[0][level1]": "产出指标", "ind[0][level2]": "数量指标", "ind[0][name]": "数量", "ind[0][value]": "1套", "ind[0][basis]": "2024年工作计划",
            "ind[1][level1]": "效益指标", "ind[1][level2]": "社会效益指标", "ind[1][name]": "保障正常运行", "ind[1][value]": "正常运行",
            "ind[2][level1]": "满意度指标", "ind[2][level2]": "服务对象满意度指标", "ind[2][name]": "使用人员满意度", "ind[2][value]": "≥95%",
        ]
    }

    @Test("a malformed amount comes back marked with the input kept; nothing is saved")
    func validation() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            let edit = "/units/434001/budgets/2024/projects/\(Self.platform)"
            try await caiwu.get(edit)
            var fields = Self.projectForm(amount: "5OO", version: "1")
            fields["plan6"] = "150"
            let response = try await caiwu.post(edit, fields)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("“预算数”填写的“5OO”不是有效的金额（单位：万元）"))
            #expect(response.text.contains("6月底的累计比例应为0到100之间的整数"))
            #expect(response.text.contains(#"value="5OO""#))
            let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.version == 1)
            #expect(budget.projects.first { $0.code == Self.platform }?.amount == Fen.wan(500))
        }
    }

    @Test("amounts typed in 元 are read in 元")
    func yuanInput() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            let edit = "/units/434001/budgets/2024/projects/\(Self.platform)"
            #expect(try await caiwu.get(edit + "?unit=yuan").text.contains(#"value="5000000.00""#))
            var fields = Self.projectForm(amount: "5000000.00", version: "1")
            fields["unit"] = "yuan"
            fields["fiscalFunds"] = "5000000"
            #expect(try await caiwu.post(edit, fields).status == .seeOther)
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(budget.projects.first { $0.code == Self.platform }?.amount == Fen.wan(500))
        }
    }

    @Test("two people editing: the second save is refused and the other's change is shown")
    func concurrentEdit() async throws {
        try await withFuzhengApp { app, _ in
            let first = try await Self.create2024(app)
            let edit = "/units/434001/budgets/2024/projects/\(Self.platform)"
            let second = Browser(app)
            try await second.login("caiwu")
            try await first.get(edit)
            try await second.get(edit)
            #expect(try await first.post(edit, Self.projectForm(amount: "510", version: "1")).status == .seeOther)
            let refused = try await second.post(edit, Self.projectForm(amount: "490", version: "1"))
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("您的修改没有保存"))
            #expect(refused.text.contains("<td>490</td>") && refused.text.contains("<strong>510</strong>"))
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(budget.projects.first { $0.code == Self.platform }?.amount == Fen.wan(510))
        }
    }

    @Test("every role sees only its own actions; nobody can skip a step through HTTP")
    func roles() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            let path = "/units/434001/budgets/2024"
            for (user, visible) in [("caiwu", "提交审批"), ("fuzeren", "当前没有需要您处理的步骤"), ("shenhe", "当前没有需要您处理的步骤"),
                                    ("bangong", "当前没有需要您处理的步骤"), ("lingdao", "当前没有需要您处理的步骤")] {
                let b = user == "caiwu" ? caiwu : Browser(app)
                if user != "caiwu" { try await b.login(user) }
                #expect(try await b.get(path).text.contains(visible), "\(user)")
            }
            // Illegal steps are refused and audited: approving a draft, the head submitting, another unit's finance submitting.
            let head = Browser(app)
            try await head.login("fuzeren")
            try await head.get(path)
            #expect(try await head.post(path + "/workflow", ["action": "unit_approve"]).status == .forbidden)
            #expect(try await head.post(path + "/workflow", ["action": "submit"]).status == .forbidden)
            let reviewer = Browser(app)
            try await reviewer.login("shenhe")
            try await reviewer.get(path)
            #expect(try await reviewer.post(path + "/workflow", ["action": "finance_approve"]).status == .forbidden)
            let other = Browser(app)
            try await other.login("caiwu2")
            try await other.get("/home")
            #expect(try await other.post(path + "/workflow", ["action": "submit"]).status == .forbidden)
            #expect(try await other.get(path + "/projects/\(Self.platform)").status == .forbidden)
            let (model, _) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.status == "draft")
            #expect(try await auditRecords(app, action: .accessDenied).count >= 4)
        }
    }

    @Test("sending back needs a reason, returns the budget to draft and tells the preparer")
    func sendBack() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await Self.create2024(app)
            func version() async throws -> String {
                String(try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)).0.version)
            }
            try await caiwu.get("/units/434001/budgets/2024")
            try await caiwu.post("/units/434001/budgets/2024/workflow", ["action": "submit", "version": try await version()])
            let head = Browser(app)
            try await head.login("fuzeren")
            try await head.get("/units/434001/budgets/2024")
            try await head.post("/units/434001/budgets/2024/workflow",
                                ["action": "send_back", "comment": " ", "version": try await version(), "confirmed": "1"])
            #expect(try await head.get("/units/434001/budgets/2024").text.contains("退回时必须填写原因"))
            try await head.post("/units/434001/budgets/2024/workflow", ["action": "send_back",
                                "comment": "请补充法律事务项目的满意度调查方式", "version": try await version(),
                                "confirmed": "1"])
            let (model, _) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.status == "draft")
            let inbox = try await caiwu.get("/inbox")
            #expect(inbox.text.contains("被李主任退回：请补充法律事务项目的满意度调查方式"))
            // A submitted budget cannot be edited until it is sent back.
            try await caiwu.post("/units/434001/budgets/2024/workflow", ["action": "submit", "version": try await version()])
            #expect(try await caiwu.get("/units/434001/budgets/2024/projects/\(Self.platform)").status == .conflict)
        }
    }

    @Test("creating a year that exists, or copying a year that does not, is refused with a message")
    func createValidation() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            try await caiwu.get("/units/434001/budgets/new")
            #expect(try await caiwu.post("/units/434001/budgets/new", ["year": "2023", "source": "copy"]).text.contains("2023年预算已存在"))
            #expect(try await caiwu.post("/units/434001/budgets/new", ["year": "2030", "source": "copy"]).text.contains("没有2029年的预算可复制"))
            #expect(try await caiwu.post("/units/434001/budgets/new", ["year": "20x4", "source": "empty"]).status == .unprocessableEntity)
            let seed = try String(contentsOfFile: SeedFile.path, encoding: .utf8)
            let imported = try await caiwu.post("/units/434001/budgets/new", ["year": "2024", "source": "import", "text": seed])
            #expect(imported.status == .seeOther)
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.prior.total == Fen(2_001_890_000))
            let bad = try await caiwu.post("/units/434001/budgets/new", ["year": "2025", "source": "import", "text": "不是预算"])
            #expect(bad.text.contains("第1行"))
        }
    }
}
