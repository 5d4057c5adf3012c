import Foundation
import FuzhengCore
import Testing

/// Every figure of the Huailai 2023 disclosure, read back from the import.
@Suite("Importing the Huailai office's 2023 disclosure")
struct SeedImportTests {
    let b: Budget

    init() throws {
        b = try DisclosureImporter.importBudget(try Fixture.huailai, source: "000_4e6a9bfb93fff3a4.txt")
    }

    @Test("the department, year and set-up table")
    func header() {
        #expect(b.fiscalYear == 2023)
        #expect(b.department == OrgRef(code: "434", name: "怀来县人民政府办公室部门"))
        #expect(b.units == [UnitProfileData(code: "434001", name: "怀来县人民政府办公室", nature: "行政", grade: "正科级", fundingForm: "财政拨款（行政）")])
        #expect(b.narrative.duties.hasPrefix("政府办公室主要负责协调县政府各部门工作"))
        #expect(b.narrative.duties.hasSuffix("负责县政府综合性会议筹备安排工作。"))
        #expect(b.status == .draft)
    }

    @Test("收入: 2001.89 万元, all from the general public budget")
    func revenue() {
        #expect(b.stated[.totalRevenue] == wan("2001.89"))
        #expect(b.totalRevenue == wan("2001.89"))
        #expect(b.revenue(from: .generalPublicBudget) == wan("2001.89"))
        #expect(b.revenue(from: .governmentFund) == .zero)
        #expect(b.revenue(from: .specialAccount) == .zero)
        #expect(b.revenue(from: .other) == .zero)
        #expect(b.revenue.map(\.source) == [.generalPublicBudget, .governmentFund, .specialAccount, .other])
    }

    @Test("支出: basic 1201.89 (personnel 910.68, public-use 291.21), projects 800 in four lines")
    func expenditure() {
        #expect(b.stated[.totalExpenditure] == wan("2001.89"))
        #expect(b.stated[.basic] == wan("1201.89"))
        #expect(b.stated[.personnel] == wan("910.68"))
        #expect(b.stated[.publicUse] == wan("291.21"))
        #expect(b.stated[.project] == wan("800"))
        #expect(b.basicExpenditure == wan("1201.89"))
        #expect(b.personnelExpenditure == wan("910.68"))
        #expect(b.publicUseExpenditure == wan("291.21"))
        let projects = b.expenditure.filter { $0.kind == .project }
        #expect(projects.map(\.label) == ["综合事务支出", "电子政务办公平台建设支出", "法律服务支出", "民兵预备役支出"])
        #expect(projects.map(\.amount) == [wan("260"), wan("500"), wan("30"), wan("10")])
        #expect(projects.map(\.projectCode) == ["13073023P00004610004L", "13073023P00005210005Q", "13073023P00004810005K", "13073023P00005010007L"])
    }

    @Test("比上年: total −25.85, basic −5.85, project −20, with the stated reasons")
    func yearOverYear() {
        #expect(b.prior.statedChanges[.total] == -wan("25.85"))
        #expect(b.prior.statedChanges[.basic] == -wan("5.85"))
        #expect(b.prior.statedChanges[.project] == -wan("20"))
        #expect(b.prior.total == wan("2027.74"))
        #expect(b.prior.basic == wan("1207.74"))
        #expect(b.prior.project == wan("820"))
        #expect(b.prior.reasons.basic == "主要是减少人员经费支出")
        #expect(b.prior.reasons.project == "主要是电子政务办公平台建设支出减少")
    }

    @Test("机关运行经费 291.21 万元 and its use")
    func operatingCosts() {
        #expect(b.operatingCosts.amount == wan("291.21"))
        #expect(b.operatingCosts.use == "主要用于保证机关正常运转的办公及印刷费、邮电费、差旅费及一般设备购置费、日常维修费等支出。")
    }

    @Test("三公: 241.5 = 30 abroad + 0 cars + 211.5 reception; 0.1 less than last year, and why")
    func threePublic() {
        #expect(b.threePublic.statedTotal == wan("241.5"))
        #expect(b.threePublic.items == ThreePublicItems(outboundTravel: wan("30"), vehiclePurchase: .zero, vehicleOperation: .zero, reception: wan("211.5")))
        #expect(b.prior.statedChanges[.threePublicTotal] == -wan("0.1"))
        #expect(b.prior.statedChanges[.outboundTravel] == .zero)
        #expect(b.prior.statedChanges[.vehicleTotal] == .zero)
        #expect(b.prior.statedChanges[.vehicleOperation] == .zero)
        #expect(b.prior.statedChanges[.vehiclePurchase] == .zero)
        #expect(b.prior.statedChanges[.reception] == -wan("0.1"))
        #expect(b.prior.threePublic?.reception == wan("211.6"))
        #expect(b.prior.threePublic?.total == wan("241.6"))
        #expect(b.prior.reasons.threePublic == "逐年递减支出，厉行节约，逐年减少公务接待支出")
    }

    @Test("绩效: overall target, four duty targets, four projects with their tables")
    func performance() throws {
        #expect(b.narrative.overallTarget.hasPrefix("按照“三定方案”确定工作职责积极创新举措"))
        #expect(b.narrative.overallTarget.contains("3.强化科学规范化管理，高效快捷开展各项工作。"))
        #expect(b.narrative.dutyTargets.count == 4)
        #expect(b.narrative.dutyTargets[3].hasPrefix("4.统筹规划搭建全县党政机关一体化移动办公系统"))
        #expect(b.projects.map(\.code) == ["13073023P00005210005Q", "13073023P00004810005K", "13073023P00005010007L", "13073023P00004610004L"])
        #expect(b.projects.map(\.amount) == [wan("500"), wan("30"), wan("10"), wan("260")])
        #expect(b.projects.map(\.fiscalFunds) == [wan("500"), wan("30"), wan("10"), wan("260")])
        #expect(b.projects.allSatisfy { $0.otherFunds == .zero && $0.fundDocument == "怀财字【2023】7号" && $0.framework == .classic })
        #expect(b.projects.map(\.use) == ["用于电子政务平台建设与维护的支出", "法律咨询服务费用", "预备役队伍建设管理", "用于政府办公室日常办公费用"])
        #expect(b.projects.map { $0.spendingPlan.map(\.percent) } == [[25, 50, 75, 100], [50, 75, 100, 100], [25, 50, 75, 100], [25, 50, 75, 100]])
        #expect(b.projects.allSatisfy { $0.spendingPlan.map(\.month) == [3, 6, 10, 12] })
        #expect(b.projects.map { $0.indicators.count } == [6, 6, 6, 7])

        let platform = b.projects[0]
        #expect(platform.name == "怀财字【2023】7号电子政务平台建设资金")
        #expect(platform.target.hasPrefix("通过电子政务平台系统设施，构建大城管理格局"))
        #expect(platform.indicators.map(\.displayValue) == ["1套", "100%", "≤24小时", "≤500万元", "正常运行", "≥95%"])
        #expect(platform.indicators.map(\.level2) == ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标"])
        #expect(platform.indicators[2].description == "针对系统发生黑客攻击、病毒入侵、数据库损坏及网络大规模故障等")
        #expect(platform.indicators[5] == Indicator(level1: "满意度指标", level2: "服务对象满意度指标", name: "使用人员满意度",
                                                    description: "单位工作人员对平台系统的满意度", comparator: .atLeast, value: "95", unit: "%", basis: "问卷调查"))
        let office = b.projects[3]
        #expect(office.indicators[1].name == "人员数量")
        #expect(office.indicators[1].level2 == "数量指标")
        #expect(office.indicators[1].displayValue == "≥110人")
        #expect(b.projects[1].indicators.map(\.displayValue) == ["1项", "≥90%", "≤12个月", "≤30万元", "进一步维护", "≥90%"])
        #expect(b.projects[2].indicators.map(\.displayValue) == ["≤1次", "100%", "1年", "≤10万元", "进一步提升", "≥90%"])
    }

    @Test("政府采购: 519.92 万元 in 13 lines, every cell")
    func procurement() {
        #expect(b.stated[.procurementTotal] == wan("519.92"))
        #expect(b.stated[.procurementUnitSubtotal] == wan("519.92"))
        #expect(b.stated[.procurementSMEReserved] == wan("519.92"))
        #expect(b.procurement.count == 13)
        let expected: [(String, String, String, Int64, String, String)] = [
            ("基础软件开发服务", "C16010100", "次", 1, "500.00", "500.00"), ("台式计算机", "A02010105", "台", 8, "0.60", "4.80"),
            ("便携式计算机", "A02010108", "台", 1, "0.80", "0.80"), ("多功能一体机", "A02020400", "台", 10, "0.40", "4.00"),
            ("其他办公设备", "A02029900", "台", 2, "0.50", "1.00"), ("轻金属床类", "A05010103", "套", 3, "0.10", "0.30"),
            ("木制床类", "A05010104", "套", 3, "0.40", "1.20"), ("办公桌", "A05010201", "个", 5, "0.30", "1.50"),
            ("办公椅", "A05010301", "把", 5, "0.80", "4.00"), ("单人沙发", "A05010402", "把", 4, "0.15", "0.60"),
            ("文件柜", "A05010502", "个", 10, "0.15", "1.50"), ("其他柜类", "A05010599", "个", 2, "0.05", "0.10"),
            ("木质架类", "A05010601", "个", 2, "0.06", "0.12"),
        ]
        for (line, e) in zip(b.procurement, expected) {
            #expect(line.itemName == e.0)
            #expect(line.catalogCode == e.1)
            #expect(line.unitOfMeasure == e.2)
            #expect(line.quantity == Quantity(e.3))
            #expect(line.unitPrice == wan(e.4))
            #expect(line.amount == wan(e.5))
            #expect(line.byFund == [.generalPublicBudget: wan(e.5)])
            #expect(line.smeReserved == wan(e.5))
        }
        #expect(b.procurement[0].projectName == "怀财字【2023】7号电子政务平台建设资金")
        #expect(b.procurement[0].projectAmount == wan("500"))
        #expect(b.procurement.dropFirst().allSatisfy { $0.projectCode == "13073023P00004610004L" && $0.projectAmount == wan("260") })
        #expect(b.procurementTotal(.goods) == wan("19.92"))
        #expect(b.procurementTotal(.services) == wan("500"))
        #expect(b.narrative.notes["procurementNote"]?.hasPrefix("注：同一采购目录序号的物品") == true)
    }

    @Test("资产: 211.99 万元 in 968 items at 2022-12-31; 19.92 万元 to buy")
    func assets() {
        #expect(b.stated[.assetsPriorYearEnd] == wan("211.99"))
        #expect(b.assets.plannedPurchases == wan("19.92"))
        #expect(b.assets.asOf == "2022-12-31")
        #expect(b.assets.total == AssetRow(quantity: Quantity(968), value: wan("211.99")))
        #expect(b.assets.other == AssetRow(quantity: Quantity(968), value: wan("211.99")))
        for row in [b.assets.buildings, b.assets.officeSpace, b.assets.vehicles, b.assets.highValueEquipment] {
            #expect(row == AssetRow())
        }
    }

    @Test("名词解释 (10 entries) and 其他事项")
    func glossary() {
        #expect(b.narrative.glossary.count == 10)
        #expect(b.narrative.glossary.first == GlossaryEntry(term: "一般公共预算拨款收入", definition: "指省级财政当年拨付的资金。"))
        #expect(b.narrative.glossary.map(\.term).last == "事业单位经营支出")
        #expect(b.narrative.otherNotes == "我部门无其他需要说明的事项。")
        #expect(b.narrative.notes["intro"]?.hasPrefix("按照《中华人民共和国预算法》") == true)
        #expect(b.narrative.notes["revenueIntro"] == "反应本部门当年全部收入。")
    }

    @Test("check finds no arithmetic error, and reports what the standards say")
    func check() {
        let findings = RuleBook.check(b, context: RuleContext(regionCode: "130730"))
        #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings.filter { $0.severity == .error })")
        let ids = Set(findings.map(\.ruleID))
        #expect(ids == ["STD-ASSET-CAP", "STD-DOC-NUMBER", "TEXT-LEVEL", "TEXT-PERCENT"])
        let capped = Set(findings.filter { $0.ruleID == "STD-ASSET-CAP" }.map(\.path))
        #expect(capped == ["procurement[1].unitPrice", "procurement[2].unitPrice", "procurement[3].unitPrice",
                           "procurement[8].unitPrice", "procurement[10].unitPrice"])
        #expect(findings.first { $0.ruleID == "STD-DOC-NUMBER" }?.messageZh.contains("怀财字〔2023〕7号") == true)
    }

    @Test("the budget survives JSON and back unchanged")
    func codable() throws {
        let data = try JSONEncoder().encode(b)
        #expect(try JSONDecoder().decode(Budget.self, from: data) == b)
    }
}
