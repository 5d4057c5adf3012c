import FuzhengCore
import Testing

@Suite("The disclosure generated from the seed's budget")
struct DisclosureTextTests {
    let budget: Budget
    let disclosure: Disclosure

    init() throws {
        budget = try DisclosureImporter.importBudget(try Fixture.huailai)
        disclosure = DisclosureBuilder.build(budget)
    }

    /// Spacing and bracket widths vary between hand-typed documents; figures and words must not.
    static func normalize(_ s: String) -> String {
        s.filter { !$0.isWhitespace }.replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
    }

    /// Every sentence of the seed that states a figure, copied from ../shared/seed/000_4e6a9bfb93fff3a4.txt.
    static let seedSentences = [
        "2023年预算收入2001.89万元，其中：一般公共预算收入2001.89万元，基金预算收入0万元，财政专户核拨收入0万元，其他来源收入0万元。",
        "2023年部门支出预算为2001.89万元，其中基本支出1201.89万元，包括人员经费910.68万元和日常公用经费291.21 万元；项目支出800万元，主要为综合事务支出260万元、电子政务办公平台建设支出500万元、法律服务支出30万元、民兵预备役支出10万元。",
        "2023年，部门预算收支安排2001.89万元，较上年减少25.85万元，其中：基本支出减少5.85万元，主要是减少人员经费支出；项目支出减少20万元，主要是电子政务办公平台建设支出减少。",
        "2023年，我部门机关运行经费共计安排291.21万元，主要用于保证机关正常运转的办公及印刷费、邮电费、差旅费及一般设备购置费、日常维修费等支出。",
        "2023年，怀来县人民政府办公室部门财政拨款“三公”经费预算安排241.5万元，其中：因公出国（境）费30万元；公务用车购置及运维费0万元（其中：公务用车运行维护费0万元，公务用车购置费0万元)；公务接待费211.5万元。“三公”经费比上年减少0.1万元，其中因公出国（境）费减少0万元；公务用车购置及运维费减少0万元（其中：公务用车运行维护费减少0万元，公务用车购置费减少0万元)；公务接待费减少0.1万元，原因为逐年递减支出，厉行节约，逐年减少公务接待支出。",
        "2023年，我部门安排政府采购预算519.92万元。具体内容见下表。",
        "我部门上年末固定资产金额为211.99万元（详见下表），本年度拟购置固定资产总额为19.92万元，主要为计算机、通用设备、家具用具等，已列入政府采购预算，详见政府采购预算表。",
    ]

    @Test("every figure-bearing sentence of the seed appears with the same figures")
    func sentences() {
        let text = Self.normalize(disclosure.plainText)
        for sentence in Self.seedSentences {
            #expect(text.contains(Self.normalize(sentence)), "missing: \(sentence)")
        }
    }

    @Test("the nine sections in the seed's order, with the unit's own words carried over")
    func sections() {
        #expect(disclosure.sections.map(\.fullHeading) == [
            "部门职责及机构设置情况", "二、部门预算安排的总体情况", "三、机关运行经费安排情况", "四、财政拨款“三公”经费预算情况及增减变化原因",
            "五、绩效预算信息", "六、政府采购预算情况", "七、国有资产信息", "八、名词解释", "九、其他需要说明的事项",
        ])
        let text = disclosure.plainText
        #expect(text.contains(budget.narrative.duties))
        #expect(text.contains("按照“三定方案”确定工作职责积极创新举措"))
        #expect(text.contains("4.统筹规划搭建全县党政机关一体化移动办公系统"))
        #expect(text.contains("1、一般公共预算拨款收入：指省级财政当年拨付的资金。"))
        #expect(text.contains("我部门无其他需要说明的事项。"))
        #expect(disclosure.title == "怀来县人民政府办公室部门\n2023年部门预算信息公开情况说明")
    }

    @Test("the project, procurement and asset tables carry every figure of the seed's tables")
    func tableFigures() throws {
        let text = disclosure.plainText
        let platform = try #require(disclosure.table("project-13073023P00005210005Q"))
        #expect(platform.title == "1.怀财字【2023】7号电子政务平台建设资金绩效目标表")
        #expect(platform.facts.map(\.value).contains("500.00"))
        #expect(platform.facts.first { $0.label == "资金支出计划（%）" }?.value == "3月底25%，6月底50%，10月底75%，12月底100%")
        #expect(platform.rows.map { $0.cells[4].display } == ["1套", "100%", "≤24小时", "≤500万元", "正常运行", "≥95%"])
        #expect(text.contains("基础软件开发服务\tC16010100\t次\t1\t500.00\t500.00\t500.00"))
        #expect(text.contains("台式计算机\tA02010105\t台\t8\t0.60\t4.80\t4.80"))
        #expect(text.contains("木质架类\tA05010601\t个\t2\t0.06\t0.12\t0.12"))
        #expect(text.contains("合计\t\t\t\t\t\t\t519.92\t519.92"))
        #expect(text.contains("资产总额\t968\t211.99"))
        #expect(text.contains("4、其他固定资产\t968\t211.99"))
        #expect(text.contains("截止时间\t2022年12月31日"))
    }

    @Test("the nine standard tables are all there; empty ones say why")
    func standardTables() throws {
        for id in ["t01-income-expenditure", "t02-income", "t03-expenditure", "t04-appropriation", "t05-general-public",
                   "t06-general-public-basic", "t07-three-public", "t08-government-fund", "t09-state-capital"] {
            #expect(disclosure.table(id) != nil, "missing \(id)")
        }
        let fund = try #require(disclosure.table("t08-government-fund"))
        #expect(fund.isEmpty)
        #expect(fund.emptyStatement == "怀来县人民政府办公室部门2023年没有使用政府性基金预算支出安排的支出，本表为空。")
        let summary = try #require(disclosure.table("t01-income-expenditure"))
        #expect(summary.rows.last?.cells.map(\.display) == ["收入总计", "2001.89", "支出总计", "2001.89"])
        let three = try #require(disclosure.table("t07-three-public"))
        #expect(three.rows.map { $0.cells.map(\.display) } == [
            ["2023年预算", "241.50", "30.00", "0.00", "0.00", "0.00", "211.50"],
            ["2022年预算", "241.60", "30.00", "0.00", "0.00", "0.00", "211.60"],
            ["增减", "-0.10", "0.00", "0.00", "0.00", "0.00", "-0.10"],
        ])
        let basic = try #require(disclosure.table("t06-general-public-basic"))
        #expect(basic.rows.map { $0.cells.map(\.display) } == [
            ["", "合计", "1201.89", "910.68", "291.21"], ["", "人员经费", "910.68", "910.68", "0.00"], ["", "日常公用经费", "291.21", "0.00", "291.21"],
        ])
    }

    @Test("a budget with increases and no prior three-public figures reads naturally")
    func otherShapes() {
        var b = budget
        b.prior.total = b.totalExpenditure - Fen.wan(3)
        b.prior.basic = b.basicExpenditure
        b.prior.project = b.projectExpenditure - Fen.wan(3)
        b.prior.reasons.basic = ""
        b.prior.threePublic = nil
        let d = DisclosureBuilder.build(b)
        #expect(d.plainText.contains("较上年增加3万元，其中：基本支出增加0万元；项目支出增加3万元，主要是电子政务办公平台建设支出减少。"))
        #expect(!d.plainText.contains("“三公”经费比上年"))
    }
}
