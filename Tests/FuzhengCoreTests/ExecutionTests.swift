import Foundation
@testable import FuzhengCore
import Testing

@Suite("预算执行 and surveys (issue 19): 执行率, plan interpolation, 序时进度, warnings, adjustments, timeliness, rates")
struct ExecutionTests {
    func day(_ m: Int, _ d: Int, _ y: Int = 2023) -> CivilDay { CivilDay(year: y, month: m, day: d) }
    /// The seed's plan: 25% / 50% / 75% / 100% by the end of March, June, October and December.
    let plan = [SpendingCheckpoint(month: 3, percent: 25), SpendingCheckpoint(month: 6, percent: 50),
                SpendingCheckpoint(month: 10, percent: 75), SpendingCheckpoint(month: 12, percent: 100)]

    @Test("执行率 in basis points; none for a zero budget; an overflowing product is no figure, not a trap")
    func rate() {
        #expect(ExecutionProgress.rate(paid: .yuan(975_000), budget: .wan(100)) == 9_750)
        #expect(ExecutionProgress.rate(paid: .yuan(1), budget: .zero) == nil)
        #expect(ExecutionProgress.rate(paid: Fen(Int64.max / 2), budget: .yuan(1)) == nil)
    }

    @Test("序时进度 on any date: 1 Jan is one day's share, 31 Dec is 100%, leap years counted")
    func elapsed() {
        #expect(ExecutionProgress.elapsed(on: day(1, 1), year: 2023) == 10_000 / 365)
        #expect(ExecutionProgress.elapsed(on: day(7, 2), year: 2023) == 183 * 10_000 / 365)
        #expect(ExecutionProgress.elapsed(on: day(12, 31), year: 2023) == 10_000)
        #expect(ExecutionProgress.elapsed(on: day(12, 31, 2022), year: 2023) == 0)
        #expect(ExecutionProgress.elapsed(on: day(2, 29, 2024), year: 2024) == 60 * 10_000 / 366)
    }

    @Test("Plan interpolated between its checkpoints from 0 on 1 January; exact at each month end; flat after the last")
    func interpolation() {
        #expect(ExecutionProgress.planned(on: day(3, 31), year: 2023, plan: plan) == 2_500)
        #expect(ExecutionProgress.planned(on: day(6, 30), year: 2023, plan: plan) == 5_000)
        #expect(ExecutionProgress.planned(on: day(12, 31), year: 2023, plan: plan) == 10_000)
        // 15 May: 45 of the 91 days from 31 March to 30 June → 2,500 + 2,500 × 45 ÷ 91.
        #expect(ExecutionProgress.planned(on: day(5, 15), year: 2023, plan: plan) == 2_500 + 2_500 * 45 / 91)
        #expect(ExecutionProgress.planned(on: day(1, 1, 2023), year: 2023, plan: plan) == 2_500 * 1 / 90)
        let short = [SpendingCheckpoint(month: 6, percent: 80)]
        #expect(ExecutionProgress.planned(on: day(9, 1), year: 2023, plan: short) == 8_000)
        // No plan: the elapsed year is the plan.
        #expect(ExecutionProgress.planned(on: day(7, 2), year: 2023, plan: [])
            == ExecutionProgress.elapsed(on: day(7, 2), year: 2023))
    }

    @Test("Warnings: yellow more than 10 points behind plan, red more than 20, red when nothing paid after point one")
    func warnings() {
        let rules = ExecutionRules.shared
        #expect(rules == ExecutionRules(yellowBehindPoints: 10, redBehindPoints: 20,
                                        redWhenNothingPaidAfterFirstPoint: true))
        let budget = Fen.wan(100)
        // 30 June: plan 50%.
        #expect(rules.colour(paid: .wan(45), budget: budget, plan: plan, year: 2023, on: day(6, 30))
            == (.green, .onPlan))
        #expect(rules.colour(paid: .wan(40), budget: budget, plan: plan, year: 2023, on: day(6, 30))
            == (.green, .onPlan))
        #expect(rules.colour(paid: .wan(39), budget: budget, plan: plan, year: 2023, on: day(6, 30))
            == (.yellow, .behind))
        #expect(rules.colour(paid: .wan(29), budget: budget, plan: plan, year: 2023, on: day(6, 30))
            == (.red, .farBehind))
        #expect(rules.colour(paid: .zero, budget: budget, plan: plan, year: 2023, on: day(3, 31))
            == (.red, .farBehind))
        #expect(rules.colour(paid: .zero, budget: budget, plan: plan, year: 2023, on: day(4, 1))
            == (.red, .nothingPaid))
        #expect(rules.colour(paid: .zero, budget: budget, plan: plan, year: 2023, on: day(2, 1))
            == (.green, .onPlan))
        #expect(rules.colour(paid: .wan(1), budget: .zero, plan: plan, year: 2023, on: day(6, 30))
            == (.green, .noBudget))
    }

    @Test("Adjustments: 追加 adds, 调减 takes away whatever sign was typed, 调剂 keeps its sign; the sum is derived")
    func adjustments() throws {
        let add = try BudgetAdjustment.read(kind: "add", projectCode: "P1", number: "怀财预〔2023〕12号",
                                            day: "2023-05-10", amount: "50000").get()
        let cut = try BudgetAdjustment.read(kind: "cut", projectCode: "P1", number: "怀财预〔2023〕20号",
                                            day: "2023-08-01", amount: "20000").get()
        let moved = try BudgetAdjustment.read(kind: "transfer", projectCode: "P1", number: "怀财预〔2023〕21号",
                                              day: "2023-09-01", amount: "-5000").get()
        #expect(add.amount == .yuan(50_000) && cut.amount == .yuan(-20_000) && moved.amount == .yuan(-5_000))
        #expect(BudgetAdjustment.adjusted(.wan(100), [add, cut, moved]) == .yuan(1_025_000))
        guard case .failure(let p) = BudgetAdjustment.read(kind: "x", projectCode: "P1", number: " ", day: "2023-02-30",
                                                           amount: "99999999999999999999") else {
            Issue.record("accepted"); return
        }
        #expect(p.all.map(\.field) == ["kind", "number", "day", "amount"])
        #expect(BudgetAdjustment.adjusted(Fen.maxStated, [add]) == nil)
    }

    @Test("资金拨付及时率 by payments whose planned day falls in the period")
    func timeliness() {
        let payments = [
            PaymentFact(paidOn: day(3, 10), plannedOn: day(3, 10), amount: .yuan(100)),
            PaymentFact(paidOn: day(3, 20), plannedOn: day(3, 15), amount: .yuan(100)),
            PaymentFact(paidOn: day(4, 2), plannedOn: day(4, 5), amount: .yuan(100)),
            PaymentFact(paidOn: day(3, 1), plannedOn: nil, amount: .yuan(100)),
        ]
        let r = PaymentTimeliness.rate(payments, from: day(3, 1), to: day(3, 31))
        #expect(r.onTime == 1 && r.due == 2 && r.bp == 5_000)
        #expect(PaymentTimeliness.rate([], from: day(3, 1), to: day(3, 31)).bp == nil)
    }

    @Test("Survey rate by formula without 不了解, margin of error at 95% with the finite-population correction")
    func survey() {
        let counts: [SurveyLevel: Int] = [.verySatisfied: 40, .satisfied: 30, .fair: 15, .dissatisfied: 10,
                                          .veryDissatisfied: 5, .unknown: 20]
        let three = SurveyResult.of(counts, formula: .topThree, invited: 400)
        #expect(three.answers == 120 && three.base == 100 && three.satisfied == 85 && three.rate == 8_500)
        // N = 400 invited − 20 不了解 = 380; 1.96 × √(0.85 × 0.15 ÷ 100) × √(280 ÷ 379) = 0.0602 → 602 basis points.
        let se: Double = (0.85 * 0.15 / 100).squareRoot()
        let fpc: Double = (280.0 / 379.0).squareRoot()
        let expected = Int((1.96 * se * fpc * 10_000).rounded())
        #expect(three.margin == expected && expected == 602)
        #expect(SurveyResult.of(counts, formula: .topTwo, invited: 400).rate == 7_000)
        // Everyone invited answered: a census, no margin.
        #expect(SurveyResult.of(counts, formula: .topThree, invited: 120).margin == 0)
        #expect(SurveyResult.of([.unknown: 3], formula: .topThree, invited: 10).rate == nil)
    }

    @Test("Every metric in the catalog has a name, formula and period; the issue's live indicators are there")
    func catalog() {
        let ids = Set(MetricCatalog.shared.metrics.map(\.id))
        #expect(ids.isSuperset(of: ["platform_availability", "incident_recovery", "supervision_on_time",
                                    "supervision_closed", "staff_satisfaction", "payment_timeliness",
                                    "execution_rate"]))
        #expect(MetricCatalog.shared.metrics.allSatisfy {
            !$0.name.isEmpty && !$0.formula.isEmpty && !$0.period.isEmpty
        })
    }
}

@Suite("Treasury payment export: columns by heading, every refused cell named, nothing from a file with a problem")
struct PaymentImportTests {
    let context = PaymentImport.Context(year: 2023, projects: ["434001": ["P1", "P2"], "436001": []],
                                        allowedUnits: nil)

    func read(_ csv: String, context: PaymentImport.Context? = nil)
        -> (rows: [PaymentRow], problems: [WorkbookProblem]) {
        let table = try! PaymentImport.table(fileName: "2023-03.csv", data: Data(csv.utf8)).get()
        return PaymentImport.read(table, context: context ?? self.context)
    }

    @Test("A good file: every row read, amounts exact, optional columns optional, columns in any order")
    func good() {
        let r = read("""
            支付金额（元）,预算单位编码,项目编码,支付日期,计划支付日期,资金来源,用途
            "1,250,000.50",434001,P1,2023-03-15,2023-03-10,一般公共预算,平台建设首付款
            800.00,434001,,2023/3/20,,一般公共预算,办公用品
            """)
        #expect(r.problems.isEmpty)
        #expect(r.rows.count == 2)
        #expect(r.rows[0].amount == Fen(125_000_050) && r.rows[0].projectCode == "P1"
            && r.rows[0].plannedOn == CivilDay(year: 2023, month: 3, day: 10) && r.rows[0].month == "2023-03")
        #expect(r.rows[1].projectCode == "" && r.rows[1].paidOn == CivilDay(year: 2023, month: 3, day: 20))
    }

    @Test("Broken cells named by file, row, column and field; one problem keeps every row out")
    func broken() {
        let r = read("""
            预算单位编码,项目编码,支付日期,支付金额
            434001,P1,2023-03-15,100
            434001,P9,2023-03-16,100
            999999,,2023-03-16,100
            434001,P1,2022-12-31,100
            434001,P1,2023-02-30,abc
            434001,P2,2023-04-01,99999999999999999999
            """)
        #expect(r.rows.isEmpty)
        let places = r.problems.map { "\($0.row ?? 0)\($0.column ?? "")" }
        #expect(places == ["3B", "4A", "5C", "6C", "6D", "7D"])
        #expect(r.problems[0].placeZh.contains("文件“2023-03.csv”第 3 行") && r.problems[0].fieldZh == "项目编码")
        let none = read("单位,日期\n1,2")
        #expect(none.problems.count == 1 && none.problems[0].reasonZh.contains("找不到表头"))
    }

    @Test("A unit's clerk imports only their own unit's rows")
    func ownUnit() {
        let own = PaymentImport.Context(year: 2023, projects: context.projects, allowedUnits: ["436001"])
        let r = read("预算单位编码,支付日期,支付金额\n434001,2023-03-15,100\n436001,2023-03-15,100", context: own)
        #expect(r.rows.isEmpty && r.problems.map(\.row) == [2])
    }

    @Test("The plan in one column, read back; nonsense dropped")
    func planColumn() {
        let plan = [SpendingCheckpoint(month: 3, percent: 25), SpendingCheckpoint(month: 12, percent: 100)]
        #expect(SpendingCheckpoint.decode(SpendingCheckpoint.encode(plan)) == plan)
        #expect(SpendingCheckpoint.decode("13:5,x,3:200,6:50") == [SpendingCheckpoint(month: 6, percent: 50)])
    }
}
