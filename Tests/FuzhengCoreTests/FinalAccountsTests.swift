import Foundation
@testable import FuzhengCore
import Testing

@Suite("部门决算: figures from the year's data, the standard tables, and the checks")
struct FinalAccountsTests {
    /// A unit with 100万 of basic spending budgeted, a 40万 project split 30 + 10 over two economic classes, and the
    /// year: 10万 carried in, 140万 received, 96万 booked as basic, 35万 paid on the project (+4万 追加), so
    /// 10 + 140 − 131 = 19万 carried out.
    static func accounts(closing: Fen = wan("19"), inputs edit: (inout FinalInputs) -> Void = { _ in })
        -> FinalAccounts {
        var b = Budget(fiscalYear: 2023, department: OrgRef(code: "434001", name: "怀来县人民政府办公室"))
        b.expenditure = [
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "基本工资", functionCode: "2010301",
                            economicCode: "30101", amount: wan("80")),
            ExpenditureLine(kind: .basic, basicCategory: .publicUse, label: "办公费", functionCode: "2010301",
                            economicCode: "30201", amount: wan("20")),
            ExpenditureLine(kind: .project, projectCode: "P1", label: "电子政务平台", functionCode: "2010399",
                            economicCode: "31007", amount: wan("30")),
            ExpenditureLine(kind: .project, projectCode: "P1", label: "电子政务平台", functionCode: "2010399",
                            economicCode: "30227", amount: wan("10")),
        ]
        b.revenue = [RevenueLine(source: .generalPublicBudget, amount: wan("140"))]
        b.threePublic.items = ThreePublicItems(outboundTravel: wan("3"), reception: wan("2"))
        b.operatingCosts.amount = wan("20")
        var inputs = FinalInputs(
            funds: [FundFlow(source: .generalPublicBudget, opening: wan("10"), received: wan("140"), closing: closing)],
            basicSpent: [
                ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "基本工资", functionCode: "2010301",
                                economicCode: "30101", amount: wan("78")),
                ExpenditureLine(kind: .basic, basicCategory: .publicUse, label: "办公费", functionCode: "2010301",
                                economicCode: "30201", amount: wan("18")),
            ],
            threePublic: ThreePublicItems(outboundTravel: .zero, reception: wan("1.5")),
            counts: ThreePublicCounts(receptionBatches: 12, receptionPeople: 96),
            operatingCosts: wan("18"),
            procurement: ProcurementActual(goods: wan("20"), services: wan("10"), sme: wan("24")),
            prior: PriorFinal(income: wan("150"), expenditure: wan("131"), basic: wan("90"), project: wan("41"),
                              threePublic: ThreePublicItems(outboundTravel: .zero, reception: wan("1.5"))),
            gapReasons: [:])
        edit(&inputs)
        let payments = [ProjectSpend(projectCode: "P1", economic: "其他资本性支出", fund: "一般公共预算", amount: wan("25")),
                        ProjectSpend(projectCode: "P1", economic: "30227", fund: "", amount: wan("10"))]
        let adjustment = BudgetAdjustment(kind: .add, projectCode: "P1", number: "怀财预〔2023〕15号",
                                          day: CivilDay(year: 2023, month: 7, day: 12), amount: wan("4"))
        return FinalAccounts(budget: b, adjustments: [adjustment], payments: payments, inputs: inputs)
    }

    static func ids(_ f: FinalAccounts) -> [String] { FinalChecks.run(f).map(\.ruleID) }

    @Test("Figures: totals from the booked basic lines and the payments, mapped onto the budget's classes")
    func figures() {
        let f = Self.accounts()
        #expect(f.basicExpenditure == wan("96"))
        #expect(f.projectExpenditure == wan("35"))
        #expect(f.totalExpenditure == wan("131"))
        // The payment naming its economic class (其他资本性支出) lands on that class's code; a code stays itself.
        let project = f.actual.filter { $0.kind == .project }
        #expect(project.map(\.economicCode) == ["31099", "30227"])
        #expect(project.allSatisfy { $0.functionCode == "2010399" && $0.fundSource == .generalPublicBudget })
        #expect(f.change(.total) == .zero)
        #expect(f.change(.basic) == wan("6"))
        #expect(f.change(.project) == wan("-6"))
        // Spending follows the inputs as they are edited, not as they were when the accounts were made.
        var edited = f
        edited.inputs.basicSpent[0].amount = wan("70")
        #expect(edited.basicExpenditure == wan("88") && edited.totalExpenditure == wan("123"))
    }

    @Test("The adjusted budget shares a project's 追加 over its lines in proportion, exactly")
    func adjustedBudget() {
        let f = Self.accounts()
        let lines = f.adjustedBudget.filter { $0.projectCode == "P1" }.map(\.amount)
        #expect(lines == [wan("33"), wan("11")])
        var odd = Self.accounts()
        odd.adjustments = ["P1": Fen(100)]
        // 1元 over 30:10 — 0.25元 to the second line, the remainder to the first: nothing lost.
        #expect(odd.adjustedBudget.filter { $0.projectCode == "P1" }.map(\.amount) == [wan("30") + Fen(75),
                                                                                       wan("10") + Fen(25)])
    }

    @Test("Carry-over: carried in + received − spent = carried out, per fund source; a wrong figure is named")
    func carry() {
        #expect(!Self.ids(Self.accounts()).contains("FINAL-CARRY"))
        let wrong = FinalChecks.run(Self.accounts(closing: wan("20"))).filter { $0.ruleID == "FINAL-CARRY" }
        #expect(wrong.count == 1)
        #expect(wrong.first?.path == "funds.general_public_budget")
        #expect(wrong.first?.messageZh.contains("19万元") == true)
        // One unit in one sentence: a fen off 万元 writes every figure of the sum in 元.
        let odd = FinalChecks.run(Self.accounts(closing: wan("20") + Fen(1))).first { $0.ruleID == "FINAL-CARRY" }
        let text = try? #require(odd?.messageZh)
        #expect(text?.contains("万元") == false && text?.contains("年末结转填为200000.01元") == true, "\(text ?? "")")
        #expect(Fen.readable([wan("1"), Fen(-50_000_000)]) == ["1万元", "-50万元"])
        #expect(Fen.readable([wan("1"), Fen(1)]) == ["10000.00元", "0.01元"])
    }

    @Test("Every table's total equals its rows, and the two sides of the summary table meet")
    func totals() {
        let f = Self.accounts()
        let findings = FinalChecks.run(f)
        #expect(findings.filter { $0.ruleID == "FINAL-TOTALS" }.map(\.messageZh) == [])
        let d = FinalDisclosure.build(f)
        let summary = d.table("f01-income-expenditure")!
        #expect(summary.rows.last?.cells[1] == .amount(wan("150")))
        #expect(summary.rows.last?.cells[3] == .amount(wan("150")))
        let gp = d.table("f05-general-public")!
        // 合计: 年初预算 140, 调整后 144, 决算 131 (basic 96, project 35).
        #expect(gp.rows[0].cells.dropFirst(2).map(\.display) == ["140.00", "144.00", "131.00", "96.00", "35.00"])
        // A planted wrong total in a table is found.
        var broken = gp
        broken.rows[0].cells[4] = .amount(wan("130"))
        var out: [Finding] = []
        FinalChecks.totals(broken, &out)
        #expect(out.count == 1)
        #expect(out.first?.messageZh.contains("决算数") == true)
    }

    @Test("Stated changes: against this year minus last, and a total against its parts")
    func changes() {
        let right = Self.accounts { $0.statedChanges = [.total: .zero, .basic: wan("6"), .project: wan("-6")] }
        #expect(!Self.ids(right).contains("FINAL-CHANGE"))
        // The published defect: the parts do not add up to the stated total (6 − 5 ≠ 0), and −5 is not the change.
        let planted = Self.accounts { $0.statedChanges = [.total: .zero, .basic: wan("6"), .project: wan("-5")] }
        let found = FinalChecks.run(planted).filter { $0.ruleID == "FINAL-CHANGE" }
        #expect(found.map(\.path).sorted() == ["statedChanges.project", "statedChanges.total"])
        #expect(found.contains { $0.messageZh.contains("明细合计为1万元") })
    }

    @Test("Stated figures come from the form: a fall typed as a negative, a blank states nothing, a word is refused")
    func statedFromForm() throws {
        let f = Self.accounts()
        var values = Dictionary(FinalForm.fields(f).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(values["stated-change-total"] == "" && values["stated-procurement"] == "")
        values["stated-change-project"] = "-50,000.00"
        values["stated-procurement"] = "1.00"
        let read = try FinalForm.read(values, into: f).get()
        #expect(read.statedChanges == [.project: Fen(-5_000_000)] && read.procurement.statedTotal == Fen(100))
        var typed = f
        typed.inputs = read
        // Both are now checked against the tables: −5万元 is not this year's change, 1元 not the procurement total.
        let found = FinalChecks.run(typed)
        #expect(found.contains { $0.ruleID == "FINAL-CHANGE" && $0.path == "statedChanges.project" })
        #expect(found.contains { $0.ruleID == "FINAL-PROCUREMENT" && $0.path == "procurement.statedTotal" })
        // Shown again as typed, and cleared by a blank.
        let shown = Dictionary(FinalForm.fields(typed).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(shown["stated-change-project"] == "-50000.00")
        values["stated-change-project"] = ""
        values["stated-procurement"] = ""
        let cleared = try FinalForm.read(values, into: typed).get()
        #expect(cleared.statedChanges.isEmpty && cleared.procurement.statedTotal == nil)
        values["stated-change-basic"] = "少了一万"
        guard case .failure(let problems) = FinalForm.read(values, into: f) else { Issue.record("accepted"); return }
        #expect(problems.all.map(\.field) == ["stated-change-basic"])
    }

    @Test("A 项 whose final passes the threshold against its adjusted budget needs a reason (10% by default)")
    func gap() {
        // 2010399: adjusted 44, final 35 → 20.45% off; 2010301: 100 against 96 → 4%.
        let f = Self.accounts()
        let gaps = FinalChecks.run(f).filter { $0.ruleID == "FINAL-GAP" }
        #expect(gaps.map(\.path) == ["gapReasons.2010399"])
        #expect(gaps.first?.messageZh.contains("20.45%") == true)
        let explained = Self.accounts { $0.gapReasons["2010399"] = "平台二期合同按进度支付，余款结转下年" }
        #expect(!Self.ids(explained).contains("FINAL-GAP"))
        #expect(FinalDisclosure.build(explained).plainText.contains("主要原因是平台二期合同按进度支付"))
    }

    @Test("Procurement parts and the SME share; 三公 money against its counts")
    func procurementAndCounts() {
        #expect(!Self.ids(Self.accounts()).contains("FINAL-PROCUREMENT"))
        let stated = Self.accounts { $0.procurement.statedTotal = wan("31"); $0.procurement.sme = wan("40") }
        #expect(FinalChecks.run(stated).filter { $0.ruleID == "FINAL-PROCUREMENT" }.count == 2)
        let counts = Self.accounts { $0.counts.receptionBatches = 0 }
        #expect(FinalChecks.run(counts).filter { $0.ruleID == "FINAL-COUNTS" }.map(\.path)
            == ["counts.receptionBatches"])
    }

    @Test("Text slips: a change of 0万元, a doubled word, a template hint; the generated text says 持平")
    func text() {
        let clean = Self.accounts { $0.texts["total"] = "压减一般性支出" }
        #expect(FinalChecks.run(clean).filter { $0.ruleID.hasPrefix("FINAL-TEXT") }.isEmpty)
        let plain = FinalDisclosure.build(clean).plainText
        #expect(plain.contains("本年支出合计131万元，与上年持平，主要原因是压减一般性支出"))
        #expect(!plain.contains("增加0万元") && !plain.contains("减少0万元"))
        let slips = Self.accounts {
            $0.texts["threePublic"] = "公务接待费减少0万元"
            $0.texts["basic"] = "人员增加增加"
            $0.texts["notes"] = "（请填写其他需要说明的事项）"
        }
        let found = FinalChecks.run(slips).filter { $0.ruleID.hasPrefix("FINAL-TEXT") }
        #expect(Set(found.map(\.ruleID)) == ["FINAL-TEXT-ZERO", "FINAL-TEXT-REPEAT", "FINAL-TEXT-HINT"])
        #expect(found.first { $0.ruleID == "FINAL-TEXT-HINT" }?.path == "texts.notes")
    }

    @Test("The standard tables are all there; the empty ones say why")
    func tables() {
        let d = FinalDisclosure.build(Self.accounts())
        for id in FinalTables.ids { #expect(d.table(id) != nil, "missing \(id)") }
        #expect(d.table("f07-government-fund")?.emptyStatement?.contains("本表为空") == true)
        #expect(d.table("f08-state-capital")?.emptyStatement?.contains("本表为空") == true)
        let three = d.table("f09-three-public")!
        #expect(three.facts.contains { $0.label == "国内公务接待批次（个）" && $0.value == "12" })
        #expect(three.rows[2].cells[1] == .amount(wan("-3.5")))
        #expect(d.title.contains("2023年度部门决算"))
    }

    @Test("The data package holds the budget (approved) and the outturn (executed) in one file")
    func dataPackage() throws {
        let f = Self.accounts()
        let files = try FinalExport.files(f, format: .datapackage)
        let csv = String(decoding: try #require(files["budget-lines.csv"]), as: UTF8.self)
        let phases = Set(csv.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)[6]
        })
        #expect(phases == ["approved", "executed"])
        let executed = csv.split(separator: "\n").filter { $0.contains(",expenditure,executed,") }
        #expect(executed.count == 4)
        let json = String(decoding: try #require(files["datapackage.json"]), as: UTF8.self)
        #expect(json.contains("\"final-434001-2023\""))
    }

    @Test("Duty targets carry their own bands: lower-is-better and higher-is-better read from the seed's words")
    func dutyBands() throws {
        let meetings = try #require(DutyBands.read("控制会议费开支规模。大型会议控制率优10%，良20%，中30%，差50%。"))
        #expect(meetings.lowerIsBetter && meetings.bands.map(\.grade) == ["优", "良", "中", "差"])
        #expect([800, 1_000, 1_500, 3_000, 3_100].map(meetings.grade) == ["优", "优", "良", "中", "差"])
        // The seed's "优100&" is read as the 100% it means.
        let legal = try #require(DutyBands.read("提高县政府决策水平。优100&，良90%，中80%，差80%以下。"))
        #expect(!legal.lowerIsBetter && legal.bands.map(\.threshold) == [10_000, 9_000, 8_000])
        #expect([10_000, 9_500, 8_000, 7_999].map(legal.grade) == ["优", "良", "中", "差"])
        #expect(DutyBands.read("统筹规划搭建全县党政机关一体化移动办公系统。") == nil)
        #expect(DutyBands.value("96.5%") == 9_650 && DutyBands.value("九成") == nil)
    }

    @Test("部门整体: projects weighted by adjusted budget, duty targets graded, an ungradable value flagged")
    func department() {
        var f = Self.accounts { $0.dutyActuals = ["0": "8%", "1": "很好"] }
        f.budget.narrative.dutyTargets = ["会议。大型会议控制率优10%，良20%，中30%，差50%。", "运转。优100%，良95%，中90%，差90%以下。",
                                          "定性的目标。"]
        f.budget.projects = [Project(code: "P1", name: "平台", amount: wan("40"), fiscalFunds: wan("40")),
                             Project(code: "P2", name: "会务", amount: wan("12"), fiscalFunds: wan("12"))]
        f.evaluations = [EvaluationResult(projectCode: "P1", projectName: "平台", score: 90, grade: "优"),
                         EvaluationResult(projectCode: "P2", projectName: "会务", score: 70, grade: "中")]
        let d = DepartmentEvaluation.make(f)
        // (90 × 44 + 70 × 12) ÷ 56 = 85.714…; P1 counts with its 4万 追加.
        #expect(d.score.map { SelfEvaluation.shown($0) } == "85.71" && d.grade == "良")
        #expect(d.duties.map(\.grade) == ["优", nil, nil])
        let flagged = FinalChecks.run(f).filter { $0.ruleID == "FINAL-DUTY" }
        #expect(flagged.map(\.path) == ["dutyActuals.1"])
        #expect(FinalDisclosure.build(f).table("department-evaluation")?.rows.count == 3)
    }
}
