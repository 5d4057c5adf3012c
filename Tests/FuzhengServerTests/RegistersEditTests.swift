import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Editing procurement, assets and the narrative")
struct RegistersEditTests {
    static let office = "13073023P00004610004L"

    @Test("procurement lines: amount = quantity × unit price; unknown codes refused; stated totals kept and checked")
    func procurement() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let page = try await caiwu.get("/units/434001/budgets/2024/procurement")
            #expect(page.status == .ok)
            #expect(page.text.contains("A02010105 台式计算机"))
            let bad = try await caiwu.post("/units/434001/budgets/2024/procurement", [
                "version": "1", "unit": "wan",
                "line[0][project]": Self.office, "line[0][item]": "台式计算机", "line[0][code]": "A02010104X", "line[0][uom]": "台",
                "line[0][quantity]": "0", "line[0][price]": "0.5", "line[0][fund]": "general_public_budget", "line[0][sme]": "",
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("品目代码“A02010104X”不在"))
            #expect(bad.text.contains("数量“0”应为大于0的数"))
            let saved = try await caiwu.post("/units/434001/budgets/2024/procurement", [
                "version": "1", "unit": "wan",
                "line[0][project]": Self.office, "line[0][item]": "台式计算机", "line[0][code]": "A02010105 台式计算机", "line[0][uom]": "台",
                "line[0][quantity]": "6", "line[0][price]": "0.45", "line[0][fund]": "general_public_budget", "line[0][sme]": "2.7",
            ])
            #expect(saved.status == .seeOther)
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.procurement.count == 1)
            #expect(b.procurement[0].amount == Fen(2_700_000))
            // The disclosure's stated totals stay as they were, so the rules now show they no longer add up.
            #expect(b.assets.plannedPurchases == Fen(19_920_000))
            #expect(b.stated[.procurementTotal] == Fen(519_920_000))
            let fired = Set(RuleBook.check(b).map(\.ruleID))
            #expect(fired.isSuperset(of: ["SUM-PROC-TOTAL", "X-ASSET-PURCHASE"]))
        }
    }

    @Test("assets and narrative forms save, and name their malformed fields")
    func assetsAndNarrative() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await caiwu.get("/units/434001/budgets/2024/assets")
            let bad = try await caiwu.post("/units/434001/budgets/2024/assets", ["version": "1", "asOf": "2023-02-30", "value[total]": "abc"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("请按 年-月-日 填写日期"))
            var fields = ["version": "1", "asOf": "2023-12-31"]
            for key in ["total", "buildings", "officeSpace", "vehicles", "equipment", "other"] { fields["qty[\(key)]"] = "0"; fields["value[\(key)]"] = "0" }
            fields["qty[total]"] = "1000"; fields["value[total]"] = "220"; fields["qty[other]"] = "1000"; fields["value[other]"] = "220"
            #expect(try await caiwu.post("/units/434001/budgets/2024/assets", fields).status == .seeOther)
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.assets.asOf == "2023-12-31")
            #expect(b.assets.total.value == Fen.wan(220))

            try await caiwu.get("/units/434001/budgets/2024/narrative")
            let badGlossary = try await caiwu.post("/units/434001/budgets/2024/narrative", ["version": "2", "glossary": "没有冒号的一行"])
            #expect(badGlossary.text.contains("名词解释第1行应写作“名词：解释”"))
            let saved = try await caiwu.post("/units/434001/budgets/2024/narrative", [
                "version": "2", "duties": "负责协调县政府各部门工作。", "overallTarget": "保证机关高效运转。",
                "dutyTargets": "1.做好会议保障\n2.确保正常运转", "otherNotes": "无。", "glossary": "1、一般公共预算拨款收入：指县级财政当年拨付的资金。",
            ])
            #expect(saved.status == .seeOther)
            let (_, after) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(after.narrative.dutyTargets == ["1.做好会议保障", "2.确保正常运转"])
            #expect(after.narrative.glossary == [GlossaryEntry(term: "一般公共预算拨款收入", definition: "指县级财政当年拨付的资金。")])
            #expect(!RuleBook.check(after, context: RuleContext(regionCode: "130730")).contains { $0.ruleID == "TEXT-LEVEL" })
        }
    }

    @Test("the public catalog search finds items by code or name")
    func catalogSearch() async throws {
        try await withFuzhengApp { app, _ in
            let byName = try await Browser(app).get("/catalog/procurement?q=台式计算机")
            #expect(byName.text.contains("A02010105"))
            let byCode = try await Browser(app).get("/catalog/procurement?q=c160101")
            #expect(byCode.text.contains("基础软件开发服务"))
        }
    }
}
