import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("工作台: task sources from every module on the home page")
struct WorkbenchTests {
    /// A module the page knows nothing about: it only registers.
    struct TestSource: TaskSource {
        var id: String { "test.items" }
        var titleKey: String { "workbench.source.budgetWaiting" }
        func applies(to user: CurrentUser) -> Bool { user.username == "caiwu" }
        func items(for user: CurrentUser, in context: TaskContext) async throws -> [WorkItem] {
            [WorkItem(title: "绿色事项", detail: "无期限", link: "/units/434001"),
             WorkItem(title: "黄色事项", detail: "剩 3 天", link: "/units/434001", daysLeft: 3),
             WorkItem(title: "红色事项<script>", detail: "已逾期 2 天", link: "/units/434001", daysLeft: -2)]
        }
    }

    @Test("a registered source shows on its users' home page, overdue first, each with its colour")
    func registeredSourceShows() async throws {
        try await withFuzhengApp { app, _ in
            app.fuzheng.taskSources.register(TestSource())
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            let home = try await caiwu.get("/home").text
            #expect(home.contains(#"id="work-test-items""#))
            let red = try #require(home.range(of: #"<li class="work-item red"><a href="/units/434001">"#))
            let yellow = try #require(home.range(of: #"<li class="work-item yellow">"#))
            let green = try #require(home.range(of: "绿色事项"))
            #expect(red.lowerBound < yellow.lowerBound && yellow.lowerBound < green.lowerBound)
            #expect(home.contains("红色事项&lt;script&gt;"))
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            #expect(!(try await shenhe.get("/home").text.contains("work-test-items")))
        }
    }

    @Test("budget roles see what waits for them, and the publication deadline turns yellow, then red")
    func budgetSources() async throws {
        try await withFuzhengApp { app, clock in
            try await DisclosurePortalTests.approved2024(app, clock: clock, daysAgo: 1)
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            var home = try await shenhe.get("/home").text
            #expect(home.contains(#"id="work-budget-publication""#))
            #expect(home.contains("怀来县人民政府办公室 2024年部门预算"))
            #expect(home.contains("剩 19 天"))
            #expect(home.contains(#"<li class="work-item green"><a href="/units/434001/budgets/2024">"#))

            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            home = try await caiwu.get("/home").text
            #expect(home.contains("已批复，待公开 · 剩 19 天"))
            #expect(home.contains(#"id="work-budget-own""#))
            #expect(home.contains("已公开"), "the published 2023 budget is listed with its state")

            // Sessions end after days away: each check logs in afresh.
            clock.advance(by: 16 * 86_400)
            let caiwuLater = Browser(app)
            try await caiwuLater.login("caiwu")
            #expect(try await caiwuLater.get("/home").text.contains(#"<li class="work-item yellow"><a href="/units/434001/budgets/2024">"#))
            clock.advance(by: 6 * 86_400)
            let shenheLater = Browser(app)
            try await shenheLater.login("shenhe")
            home = try await shenheLater.get("/home").text
            #expect(home.contains("已批复 · 已逾期 3 天"))
            let red = try #require(home.range(of: #"work-item red"#))
            let sources = home.ranges(of: #"class="work-source""#).map(\.lowerBound)
            #expect(sources.first.map { $0 < red.lowerBound } == true)
            #expect(sources.count >= 1)

            // fuzeren has nothing waiting until caiwu submits a draft.
            let fuzeren = Browser(app)
            try await fuzeren.login("fuzeren")
            #expect(try await fuzeren.get("/home").text.contains("暂无。"))
        }
    }
}

@Suite("The demo's first start shows the finance bureau work waiting")
struct DemoWorkTests {
    @Test("serve's demo work: the bureau's 2024 waits for 财政审核 on shenhe's 工作台, loaded once")
    func waitingForReview() async throws {
        try await withFuzhengApp { app, _ in
            try await DemoWorkInProgress.load(app)
            try await DemoWorkInProgress.load(app)
            #expect(try await BudgetModel.query(on: app.db).filter(\.$fiscalYear == 2024).count() == 1)
            let (model, budget) = try #require(try await BudgetStore.find(unitCode: "436001", year: 2024, on: app.db))
            #expect(model.status == "unit_approved")
            #expect(budget.textFields.allSatisfy { !$0.text.contains("怀来县人民政府办公室") })
            #expect(RuleBook.check(budget).filter { $0.severity == .error }.isEmpty)
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            let home = try await shenhe.get("/home").text
            #expect(home.contains(#"<a href="/units/436001/budgets/2024">"#))
            #expect(home.contains("待财政审核"))
            #expect(home.contains(#"<span class="badge""#))
        }
    }
}

@Suite("The demo county's bodies")
struct DemoBodiesTests {
    @Test("the demo register loads and answers directions as a county office expects")
    func demoBodies() throws {
        let r = try DemoSeeder.demoBodies()
        #expect(r.bodies.count >= 20)
        #expect(r.direction(from: "434-WD", to: "XZF") == .upward)
        #expect(r.direction(from: "XZF", to: "T01") == .downward)
        #expect(r.direction(from: "436", to: "130731-ZF") == .parallel)
        #expect(r.direction(from: "XZF", to: "130700-ZF") == .upward)
    }
}

@Suite("全县单位: each unit's budget state, filterable")
struct UnitListTests {
    @Test("the list shows each unit's state for the year and filters by it")
    func statesAndFilter() async throws {
        try await withFuzhengApp { app, clock in
            try await DisclosurePortalTests.approved2024(app, clock: clock)
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            var page = try await shenhe.get("/units").text
            #expect(page.contains(#"<option value="2024" selected="selected">2024</option>"#) || page.contains(#"value="2024" selected"#))
            #expect(page.contains(#"href="/units/434001/budgets/2024">2024 已批复</a>"#))
            #expect(page.contains("无预算"))
            page = try await shenhe.get("/units?year=2024&status=approved").text
            #expect(page.contains("434001 怀来县人民政府办公室"))
            #expect(!page.contains(#"<span class="tag off">无预算</span>"#))
            page = try await shenhe.get("/units?year=2023&status=published").text
            #expect(page.contains(#"href="/units/434001/budgets/2023">2023 已公开</a>"#))
            page = try await shenhe.get("/units?year=2024&status=draft").text
            #expect(page.contains("没有处于该状态的单位"))
        }
    }
}
