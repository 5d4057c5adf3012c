import Foundation
import FuzhengCore
import Testing

/// Each rule has a budget that passes it and a change that makes it fail.
@Suite("Rules: one passing and one failing case each")
struct RuleTests {
    /// The seed with its standards findings mended, and a county standard that allows its prices.
    static func clean() throws -> (Budget, RuleContext) {
        var b = try DisclosureImporter.importBudget(try Fixture.huailai)
        for i in b.projects.indices { b.projects[i].fundDocument = "怀财字〔2023〕7号" }
        for i in b.narrative.glossary.indices {
            b.narrative.glossary[i].definition = b.narrative.glossary[i].definition.replacingOccurrences(of: "省级", with: "县级")
        }
        b.narrative.dutyTargets[2] = b.narrative.dutyTargets[2].replacingOccurrences(of: "100&", with: "100%")
        let county = try AssetStandards.load(from: Data("""
        {"name": "怀来县配置标准（测试）", "grades": {"division": ["正科级"]},
         "items": [{"item": "台式计算机", "catalogCodes": ["A02010105"], "capYuan": {"all": 6000}, "lifeYears": 6},
                   {"item": "办公椅", "catalogCodes": ["A05010301"], "capYuan": {"division": 8000}, "lifeYears": 15}]}
        """.utf8))
        return (b, RuleContext(assetStandards: county, regionCode: "130730"))
    }

    typealias Case = (id: String, breakIt: @Sendable (inout Budget) -> Void)

    static let cases: [Case] = [
        ("AMT-RANGE", { $0.expenditure[0].amount = Fen(99_999_999_999 * Fen.perWan) }),
        ("SUM-REV-TOTAL", { $0.revenue[0].amount = $0.revenue[0].amount + Fen(1) }),
        ("SUM-EXP-TOTAL", { $0.stated[.totalExpenditure] = wan("2001.88") }),
        ("SUM-EXP-SPLIT", { $0.stated[.project] = wan("799") }),
        ("SUM-BASIC", { $0.stated[.basic] = wan("1201.90") }),
        ("SUM-BASIC-PARTS", { $0.stated[.personnel] = wan("910.69") }),
        ("SUM-PROJECT", { $0.projects[1].amount = wan("31") }),
        ("SUM-BALANCE", { $0.expenditure.append(ExpenditureLine(kind: .project, label: "新增", amount: Fen(1))) }),
        ("SUM-3PUBLIC", { $0.threePublic.items.reception = wan("211.6") }),
        ("SUM-YOY", { $0.prior.statedChanges[.basic] = -wan("5.86") }),
        ("SUM-PROC-LINE", { $0.procurement[1].quantity = Quantity(9) }),
        ("SUM-PROC-TOTAL", { $0.stated[.procurementTotal] = wan("519.93") }),
        ("SUM-PROC-PROJECT", { $0.procurement[0].projectAmount = wan("450") }),
        ("SUM-ASSETS", { $0.assets.other.value = wan("211.98") }),
        ("X-ASSET-PURCHASE", { $0.assets.plannedPurchases = wan("20") }),
        ("X-OPERATING-COSTS", { $0.operatingCosts.amount = wan("300") }),
        ("X-3PUBLIC-WITHIN", { $0.threePublic.items.reception = wan("3000") }),
        ("CODE-FUNCTION", { $0.expenditure[0].functionCode = "2019999" }),
        ("CODE-ECONOMIC", { $0.expenditure[0].economicCode = "39999" }),
        ("CODE-PROCUREMENT", { $0.procurement[1].catalogCode = "A02010104" }),  // 2013 code: 服务器 in 2022
        ("CODE-PROJECT", { $0.projects[0].code = "13073022P00005210005Q" }),
        ("PERF-PRESENT", { $0.projects[2].indicators = [] }),
        ("PERF-CATEGORIES", { $0.projects[0].indicators.removeAll { $0.level1 == "满意度指标" } }),
        ("PERF-LEVEL2", { $0.projects[0].indicators[0].level2 = "社会效益指标" }),
        ("PERF-PLAN", { $0.projects[1].spendingPlan[2].percent = 60 }),
        ("PERF-COST-CAP", { $0.projects[2].indicators[3].value = "12" }),
        ("PERF-COMPARATOR", { $0.projects[0].indicators[5].comparator = .qualitative; $0.projects[0].indicators[5].value = "满意" }),
        ("STD-ASSET-CAP", { $0.procurement[8].unitPrice = wan("0.81"); $0.procurement[8].amount = wan("4.05") }),
        ("STD-DOC-NUMBER", { $0.projects[0].fundDocument = "怀财字〔2023〕第07号" }),
        ("TEXT-LEVEL", { $0.narrative.glossary[0].definition = "指省级财政当年拨付的资金。" }),
        ("TEXT-REPEAT", { $0.prior.reasons.basic = "主要是减少减少人员经费支出" }),
        ("TEXT-PERCENT", { $0.narrative.dutyTargets[1] = "优100&" }),
        ("TEXT-STALE-YEAR", { $0.projects[0].indicators[0].basis = "2021年工作计划" }),
    ]

    @Test("every rule of the rule book has a case here")
    func coverage() {
        #expect(Set(Self.cases.map(\.id)) == Set(RuleBook.all.map(\.id)))
        #expect(Set(RuleBook.all.map(\.id)).count == RuleBook.all.count, "rule ids are unique")
    }

    @Test("the mended seed passes every rule")
    func cleanPasses() throws {
        let (b, ctx) = try Self.clean()
        #expect(RuleBook.check(b, context: ctx) == [])
    }

    @Test("each change trips its rule", arguments: RuleTests.cases.map(\.id))
    func fails(_ id: String) throws {
        var (b, ctx) = try Self.clean()
        Self.cases.first { $0.id == id }!.breakIt(&b)
        let findings = RuleBook.check(b, context: ctx)
        #expect(findings.contains { $0.ruleID == id }, "\(id) did not fire; found \(findings.map(\.ruleID))")
        let rule = try #require(RuleBook.rule(id))
        #expect(!rule.titleZh.isEmpty && !rule.titleEn.isEmpty)
        for finding in findings where finding.ruleID == id {
            #expect(!finding.messageZh.isEmpty && !finding.messageEn.isEmpty && !finding.path.isEmpty)
        }
    }

    @Test("发文字号 per GB/T 9704-2012")
    func documentNumbers() {
        #expect(StandardRulesProbe.problem("怀财字〔2023〕7号") == nil)
        #expect(StandardRulesProbe.problem("怀财字【2023】7号")?.contains("〔〕") == true)
        #expect(StandardRulesProbe.problem("怀财字〔2023〕第7号")?.contains("第") == true)
        #expect(StandardRulesProbe.problem("怀财字〔2023〕07号")?.contains("前导零") == true)
    }

    @Test("the central standard is the default; a county file overrides it")
    func standards() {
        #expect(AssetStandards.central.cap(catalogCode: "A02010105", itemName: "", grade: "正科级")?.cap == Fen.yuan(5000))
        #expect(AssetStandards.central.cap(catalogCode: "A05010301", itemName: "", grade: "正科级")?.cap == Fen.yuan(800))
        #expect(AssetStandards.central.cap(catalogCode: "A05010301", itemName: "", grade: "司局级")?.cap == Fen.yuan(1500))
        #expect(AssetStandards.central.cap(catalogCode: "X", itemName: "文件柜", grade: nil)?.cap == Fen.yuan(1000))
    }
}

/// Reaches the document-number check through a one-project budget.
enum StandardRulesProbe {
    static func problem(_ number: String) -> String? {
        var b = Budget(fiscalYear: 2023, department: OrgRef(code: "434", name: "测试部门"))
        b.projects = [Project(code: "13073023P00005210005Q", name: "p", fundDocument: number, amount: .zero, fiscalFunds: .zero)]
        return RuleBook.check(b, rules: [RuleBook.rule("STD-DOC-NUMBER")!]).first?.messageZh
    }
}
