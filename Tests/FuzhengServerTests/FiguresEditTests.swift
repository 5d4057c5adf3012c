import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Editing a budget's figures")
struct FiguresEditTests {
    /// The figures form as the browser submits it for the copied 2024 budget, with one change applied.
    static func fields(_ budget: Budget, change: (inout [String: String]) -> Void = { _ in }) -> [String: String] {
        var f: [String: String] = ["version": "1", "unit": "wan"]
        for r in budget.revenue { f["rev[\(r.source.rawValue)]"] = MoneyFormat.wanInText(r.amount) }
        for (i, e) in budget.expenditure.enumerated() {
            f["line[\(i)][kind]"] = e.kind == .project ? "project" : (e.basicCategory == .publicUse ? "public_use" : "personnel")
            f["line[\(i)][label]"] = e.label ?? ""
            f["line[\(i)][project]"] = e.projectCode ?? ""
            f["line[\(i)][function]"] = e.functionCode ?? ""
            f["line[\(i)][economic]"] = e.economicCode ?? ""
            f["line[\(i)][fund]"] = e.fundSource.rawValue
            f["line[\(i)][amount]"] = MoneyFormat.wanInText(e.amount)
        }
        let t = budget.threePublic.items
        f["outbound"] = MoneyFormat.wanInText(t.outboundTravel)
        f["vehiclePurchase"] = "0"
        f["vehicleOperation"] = "0"
        f["reception"] = MoneyFormat.wanInText(t.reception)
        f["operatingCosts"] = MoneyFormat.wanInText(budget.operatingCosts.amount)
        f["operatingUse"] = budget.operatingCosts.use
        change(&f)
        return f
    }

    @Test("classification codes picked by code or name are stored; totals are re-stated; the page offers the catalogs")
    func saveWithCodes() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            let form = try await caiwu.get("/units/434001/budgets/2024/figures")
            #expect(form.text.contains(#"<datalist id="function-codes">"#))
            #expect(form.text.contains("2010301 行政运行"))
            #expect(form.text.contains("收入合计 2001.89，支出合计 2001.89，差额 0.00（万元）"))
            #expect(form.text.contains("data-live-totals"))
            let saved = try await caiwu.post("/units/434001/budgets/2024/figures", Self.fields(budget) { f in
                f["line[0][function]"] = "2010302 一般行政管理事务"
                f["line[0][economic]"] = "30199"
                f["reception"] = "200"
                f["reasonThreePublic"] = "压减公务接待"
            })
            #expect(saved.status == .seeOther)
            let (model, after) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.version == 2)
            #expect(after.expenditure[0].functionCode == "2010302")
            #expect(after.expenditure[0].economicCode == "30199")
            // The other lines keep the codes the form showed them with.
            let kept = budget.expenditure.dropFirst().map(\.economicCode)
            #expect(after.expenditure.dropFirst().map(\.economicCode) == kept)
            #expect(after.threePublic.items.reception == Fen.wan(200))
            #expect(after.threePublic.statedTotal == Fen.wan(230))
            #expect(after.prior.statedChanges[.reception] == -Fen(11_500_000))  // 200 − 211.5 万元
            let errors = RuleBook.check(after).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(errors.map(\.messageEn))")
            let disclosure = DisclosureBuilder.build(after)
            #expect(disclosure.table("t05-general-public")?.rows.contains { $0.cells.first == .text("2010301") } == true)
            let basic = disclosure.table("t06-general-public-basic")
            #expect(basic?.rows.contains { $0.cells.first == .text("30199") } == true)
        }
    }

    @Test("unknown codes and bad amounts are named beside their fields; nothing is saved")
    func validation() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            let project = try #require(budget.expenditure.firstIndex { $0.kind == .project })
            try await caiwu.get("/units/434001/budgets/2024/figures")
            let response = try await caiwu.post("/units/434001/budgets/2024/figures", Self.fields(budget) { f in
                f["line[0][function]"] = "9999999"
                f["line[1][amount]"] = "二百"
                f["line[\(project)][project]"] = ""
            })
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("功能分类“9999999”不在目录中"))
            #expect(response.text.contains("“第2行金额”填写的“二百”不是有效的金额"))
            #expect(response.text.contains("项目支出行须选择所属项目"))
            #expect(response.text.contains(#"value="二百""#))
            let (model, _) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.version == 1)
        }
    }

    @Test("a stale figures form is refused without overwriting")
    func stale() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            try await caiwu.get("/units/434001/budgets/2024/figures")
            #expect(try await caiwu.post("/units/434001/budgets/2024/figures", Self.fields(budget) { $0["reception"] = "200" }).status == .seeOther)
            let stale = try await caiwu.post("/units/434001/budgets/2024/figures", Self.fields(budget) { $0["reception"] = "100" })
            #expect(stale.status == .seeOther)
            #expect(try await caiwu.get(stale.location ?? "").text.contains("您的修改没有保存"))
            let (_, after) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(after.threePublic.items.reception == Fen.wan(200))
        }
    }
}
