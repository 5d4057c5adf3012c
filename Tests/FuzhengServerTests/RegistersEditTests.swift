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

    static let path = "/units/434001/budgets/2024/procurement"

    /// A one-line procurement form as the page posts it.
    static func line(_ fields: [String: String], version: String = "1") -> [String: String] {
        var form = ["version": version, "unit": "wan", "line[0][project]": office, "line[0][item]": "彩色打印机",
                    "line[0][code]": "A02021004", "line[0][uom]": "台", "line[0][quantity]": "2",
                    "line[0][price]": "0.3", "line[0][fund]": "general_public_budget", "line[0][sme]": "0.6"]
        for (key, value) in fields { form[key] = value }
        return form
    }

    @Test("project pickers show each project's code tail and own name; a new line has no project until one is chosen")
    func projectPickers() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let (model, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            let labels = ProjectLabels.labels(b.projects).map(\.label)
            #expect(b.projects.count == 4 && Set(labels).count == 4)
            #expect(labels.contains("…5210005Q 电子政务平台建设资金"))
            let page = try await caiwu.get(Self.path).text
            let figures = try await caiwu.get("/units/434001/budgets/2024/figures").text
            for label in labels {
                #expect(page.contains(">\(label)</option>"))
                #expect(figures.contains(">\(label)</option>"))
            }
            #expect(!page.contains(">怀财字【2023】7号"))
            // The blank line at the end chooses nothing; the 13 copied lines keep their projects.
            let blank = b.procurement.count
            let start = try #require(page.range(of: "name=\"line[\(blank)][project]\""))
            let end = try #require(page[start.upperBound...].range(of: "</select>"))
            let options = page[start.upperBound..<end.lowerBound]
            #expect(options.contains(#"<option value selected="selected">请选择</option>"#))
            #expect(page.components(separatedBy: #"selected="selected">请选择"#).count == 2)

            let refused = try await caiwu.post(Self.path, Self.line(["line[0][project]": ""]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("第1行：请选择所属项目。"))
            let unknown = try await caiwu.post(Self.path, Self.line(["line[0][project]": "NO-SUCH-PROJECT"]))
            #expect(unknown.text.contains("第1行：请选择所属项目。"))
            let (after, kept) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(after.version == model.version && kept.procurement == b.procurement, "nothing was saved")
        }
    }

    @Test("an exact catalog name is taken as its code; a name several items share is refused naming their codes")
    func catalogNames() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await caiwu.get(Self.path)
            let ambiguous = try await caiwu.post(Self.path, Self.line(["line[0][code]": "车辆维修和保养服务"]))
            #expect(ambiguous.status == .unprocessableEntity)
            #expect(ambiguous.text.contains("“车辆维修和保养服务”在目录中对应多个品目：C23120300、C23120301"))
            let saved = try await caiwu.post(Self.path, Self.line(["line[0][code]": "A4彩色打印机"]))
            #expect(saved.status == .seeOther)
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.procurement.map(\.catalogCode) == ["A02021004"])
            #expect(b.procurement[0].amount == Fen(600_000))
        }
    }

    @Test("without script: 查找 lists a line's matches and 使用 fills it, every typed value kept and nothing saved")
    func pickerWithoutScript() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let page = try await caiwu.get(Self.path).text
            #expect(page.contains(#"name="find" value="0""#) && !page.contains("_blank"))
            let (model, before) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            var form = Self.line(["line[0][quantity]": "7", "line[0][sme]": "甲 \"乙\" <丙>"])
            form["line[1][project]"] = Self.office
            form["line[1][code]"] = "a4csdyj"
            form["line[1][item]"] = ""
            form["line[1][uom]"] = ""
            form["line[1][quantity]"] = "3"
            form["line[1][delete]"] = nil
            form["line[0][delete]"] = "1"
            form["find"] = "1"
            let found = try await caiwu.post(Self.path, form)
            #expect(found.status == .ok)
            #expect(found.text.contains(#"name="use" value="1:A02021004""#))
            #expect(found.text.contains(#"name="line[0][quantity]" value="7""#))
            #expect(found.text.contains(#"name="line[0][sme]" value="甲 &quot;乙&quot; &lt;丙&gt;""#))
            #expect(found.text.contains(#"name="line[0][delete]" value="1" checked="checked""#))
            #expect(found.text.contains(#"name="line[1][code]" value="a4csdyj""#))
            #expect(found.text.contains(#"name="version" value="\#(model.version)""#))

            form["find"] = nil
            form["use"] = "1:A02021004"
            let used = try await caiwu.post(Self.path, form)
            #expect(used.status == .ok)
            #expect(used.text.contains(#"name="line[1][code]" value="A02021004""#))
            #expect(used.text.contains(#"name="line[1][item]" value="A4彩色打印机""#))
            #expect(used.text.contains(#"name="line[1][uom]" value="台""#))
            #expect(used.text.contains(#"name="line[1][quantity]" value="3""#))
            #expect(used.text.contains(#"name="line[0][quantity]" value="7""#))
            #expect(!used.text.contains(#"name="use""#))
            // A name the clerk wrote stays when another item is chosen; the unit is kept once filled.
            form["line[1][item]"] = "会议室打印机"
            form["line[1][uom]"] = "部"
            form["use"] = "1:A02021002"
            let kept = try await caiwu.post(Self.path, form)
            #expect(kept.text.contains(#"name="line[1][item]" value="会议室打印机""#))
            #expect(kept.text.contains(#"name="line[1][uom]" value="部""#))
            #expect(kept.text.contains(#"name="line[1][code]" value="A02021002""#))
            // A row number or a code that is not there changes nothing and fails nothing.
            for bad in ["9:A02021004", "1:NOPE", "x", "-1:A02021004"] {
                form["use"] = bad
                #expect(try await caiwu.post(Self.path, form).status == .ok)
            }
            let (after, same) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(after.version == model.version && same.procurement == before.procurement, "nothing was saved")

            form["use"] = nil
            form["line[1][item]"] = "A4彩色打印机"
            form["line[1][code]"] = "A02021004"
            form["line[1][price]"] = "0.3"
            form["line[1][sme]"] = "0.9"
            form["line[1][fund]"] = "general_public_budget"
            let saved = try await caiwu.post(Self.path, form)
            #expect(saved.status == .seeOther)
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.procurement.map(\.catalogCode) == ["A02021004"] && b.procurement[0].unitOfMeasure == "部")
        }
    }

    @Test("the catalog's JSON search for the form's script: public, by initials, at most 20 items")
    func catalogJSON() async throws {
        try await withFuzhengApp { app, _ in
            let byInitials = try await Browser(app).get("/catalog/procurement.json?q=a4csdyj")
            #expect(byInitials.status == .ok)
            #expect(byInitials.headers.contentType == .json)
            typealias Matches = RegistersEditController.CatalogMatches
            let found = try JSONDecoder().decode(Matches.self, from: Data(byInitials.text.utf8))
            #expect(found.matches.first?.code == "A02021004" && found.matches.first?.unit == "台")
            let devices = try await Browser(app).get("/catalog/procurement.json?q=设备")
            let many = try JSONDecoder().decode(Matches.self, from: Data(devices.text.utf8))
            #expect(many.matches.count == 20 && many.more)
            let page = try await Browser(app).get("/catalog/procurement?q=tsjsj")
            #expect(page.text.contains("A02010105"))
        }
    }
}
