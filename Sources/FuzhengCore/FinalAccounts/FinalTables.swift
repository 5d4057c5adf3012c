import Foundation

/// The standard tables of a 部门决算 (地方预决算公开操作规程, 财预〔2016〕143号), built from `FinalAccounts`. Empty tables
/// are kept and say why they are empty, as the budget's tables do.
public enum FinalTables {
    typealias C = ReportColumn
    static func a(_ f: Fen) -> CellValue { .amount(f) }
    static func t(_ s: String) -> CellValue { .text(s) }
    static func n(_ i: Int) -> CellValue { .quantity(Quantity(Int64(i))) }

    public static let ids = ["f01-income-expenditure", "f02-income", "f03-expenditure", "f04-appropriation",
                             "f05-general-public", "f06-general-public-basic", "f07-government-fund",
                             "f08-state-capital", "f09-three-public"]

    public static func all(_ f: FinalAccounts, catalogs: Catalogs = .shared) -> [ReportTable] {
        [incomeAndExpenditure(f), income(f, catalogs), expenditure(f, catalogs), appropriation(f),
         generalPublic(f, catalogs), generalPublicBasic(f, catalogs),
         fund(f, catalogs, .governmentFund, id: "f07-government-fund", title: "政府性基金预算财政拨款收入支出决算表",
              what: "政府性基金预算财政拨款"),
         fund(f, catalogs, .stateCapital, id: "f08-state-capital", title: "国有资本经营预算财政拨款支出决算表",
              what: "国有资本经营预算财政拨款"),
         threePublic(f), evaluations(f)]
    }

    static let sources: [(String, RevenueSource)] = [
        ("一般公共预算财政拨款收入", .generalPublicBudget), ("政府性基金预算财政拨款收入", .governmentFund),
        ("国有资本经营预算财政拨款收入", .stateCapital), ("财政专户管理资金收入", .specialAccount),
        ("事业收入", .businessIncome), ("经营收入", .operatingIncome), ("上级补助收入", .superiorSubsidy),
        ("附属单位上缴收入", .subordinateRemittance), ("其他收入", .other),
    ]

    /// 收入支出决算总表.
    static func incomeAndExpenditure(_ f: FinalAccounts) -> ReportTable {
        let income = sources.map { ($0.0, f.income(from: $0.1)) }
        let spending: [(String, Fen)] = [
            ("基本支出", f.basicExpenditure), ("　其中：人员经费", f.personnelExpenditure),
            ("　　　　日常公用经费", f.publicUseExpenditure), ("项目支出", f.projectExpenditure),
            ("上缴上级支出", .zero), ("经营支出", .zero), ("对附属单位补助支出", .zero),
        ]
        var rows: [ReportRow] = []
        for i in 0..<max(income.count, spending.count) {
            let l = i < income.count ? [t(income[i].0), a(income[i].1)] : [CellValue.empty, .empty]
            let r = i < spending.count ? [t(spending[i].0), a(spending[i].1)] : [CellValue.empty, .empty]
            rows.append(ReportRow(l + r))
        }
        rows.append(ReportRow([t("本年收入合计"), a(f.totalIncome), t("本年支出合计"), a(f.totalExpenditure)],
                              isTotal: true))
        rows.append(ReportRow([t("年初结转和结余"), a(f.openingBalance), t("年末结转和结余"), a(f.closingBalance)]))
        rows.append(ReportRow([t("总计"), a(f.totalIncome + f.openingBalance), t("总计"),
                               a(f.totalExpenditure + f.closingBalance)], isTotal: true))
        return ReportTable(id: "f01-income-expenditure", title: "收入支出决算总表",
                           columns: [C("收入项目"), C("决算数", .amount, fiscalType: "value"), C("支出项目"),
                                     C("决算数", .amount, fiscalType: "value")],
                           rows: rows)
    }

    /// 收入决算表: income by source, spread over the function groups its spending went to.
    static func income(_ f: FinalAccounts, _ catalogs: Catalogs) -> ReportTable {
        let used = sources.filter { s in f.income(from: s.1) != .zero || f.spent(from: s.1) != .zero }
        let shown = used.isEmpty ? Array(sources.prefix(1)) : used
        var rows = [ReportRow([t(""), t("合计"), a(f.totalIncome)] + shown.map { a(f.income(from: $0.1)) },
                              isTotal: true)]
        for g in StandardTables.functionGroups(f.actual, catalogs) {
            rows.append(ReportRow([t(g.code), t(g.name), a(g.lines.sum(\.amount))]
                                  + shown.map { s in a(g.lines.filter { $0.fundSource == s.1 }.sum(\.amount)) }))
        }
        // Income is appropriated by source, spent by function: what was received but not spent this year (or spent
        // beyond it, from balances brought in) has no function row, so it is shown as its own row.
        let rest = f.totalIncome - f.totalExpenditure
        if rest != .zero || shown.contains(where: { f.income(from: $0.1) != f.spent(from: $0.1) }) {
            rows.append(ReportRow([t(""), t("本年收入与本年支出之差（计入结转和结余）"), a(rest)]
                                  + shown.map { a(f.income(from: $0.1) - f.spent(from: $0.1)) }))
        }
        return ReportTable(id: "f02-income", title: "收入决算表",
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"),
                                     C("科目名称"), C("本年收入合计", .amount, fiscalType: "value")]
                               + shown.map { C($0.0, .amount) },
                           rows: rows)
    }

    /// 支出决算表.
    static func expenditure(_ f: FinalAccounts, _ catalogs: Catalogs) -> ReportTable {
        ReportTable(id: "f03-expenditure", title: "支出决算表",
                    columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"), C("科目名称"),
                              C("本年支出合计", .amount, fiscalType: "value"), C("基本支出", .amount),
                              C("项目支出", .amount)],
                    rows: StandardTables.expenditureRows(f.actual, catalogs, splitBasic: false))
    }

    /// 财政拨款收入支出决算总表: for each appropriation, carried in, received, spent, carried out.
    static func appropriation(_ f: FinalAccounts) -> ReportTable {
        let kinds: [(String, RevenueSource)] = [("一般公共预算财政拨款", .generalPublicBudget),
                                                ("政府性基金预算财政拨款", .governmentFund),
                                                ("国有资本经营预算财政拨款", .stateCapital)]
        var rows = kinds.map { k in
            let flow = f.inputs.fund(k.1)
            return ReportRow([t(k.0), a(flow.opening), a(flow.received), a(f.spent(from: k.1)), a(flow.closing)])
        }
        let flows = kinds.map { f.inputs.fund($0.1) }
        rows.append(ReportRow([t("合计"), a(flows.sum(\.opening)), a(flows.sum(\.received)), a(f.appropriationSpent),
                               a(flows.sum(\.closing))], isTotal: true))
        return ReportTable(id: "f04-appropriation", title: "财政拨款收入支出决算总表",
                           columns: [C("项目"), C("年初财政拨款结转和结余", .amount), C("本年财政拨款收入", .amount),
                                     C("本年财政拨款支出", .amount, fiscalType: "value"),
                                     C("年末财政拨款结转和结余", .amount)],
                           rows: rows)
    }

    /// 一般公共预算财政拨款支出决算表: by function classification to 项, the budget beside the final.
    static func generalPublic(_ f: FinalAccounts, _ catalogs: Catalogs) -> ReportTable {
        let budgetLines = f.adjustedBudget.filter { $0.fundSource == .generalPublicBudget }
        let finalLines = f.actual.filter { $0.fundSource == .generalPublicBudget }
        let original = f.budget.expenditure.filter { $0.fundSource == .generalPublicBudget }
        // One tree over both, so a 项 with a budget but no spending (or the reverse) still has its row.
        let marked = original.map { ($0, 0) } + budgetLines.map { ($0, 1) } + finalLines.map { ($0, 2) }
        func cells(_ ls: [(ExpenditureLine, Int)]) -> [CellValue] {
            let fin = ls.filter { $0.1 == 2 }.map(\.0)
            return [a(ls.filter { $0.1 == 0 }.map(\.0).sum(\.amount)),
                    a(ls.filter { $0.1 == 1 }.map(\.0).sum(\.amount)),
                    a(fin.sum(\.amount)), a(fin.filter { $0.kind == .basic }.sum(\.amount)),
                    a(fin.filter { $0.kind == .project }.sum(\.amount))]
        }
        let groups = StandardTables.functionGroups(marked.map(\.0), catalogs)
        var rows = [ReportRow([t(""), t("合计")] + cells(marked), isTotal: true)]
        // A group holds line values; equal values sit in the same groups, so membership finds their marks.
        for g in groups {
            rows.append(ReportRow([t(g.code), t(g.name)] + cells(marked.filter { m in g.lines.contains(m.0) })))
        }
        let empty = marked.isEmpty
        return ReportTable(id: "f05-general-public", title: "一般公共预算财政拨款支出决算表",
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"),
                                     C("科目名称"), C("年初预算数", .amount), C("调整后预算数", .amount),
                                     C("决算数", .amount, fiscalType: "value"), C("其中：基本支出", .amount),
                                     C("项目支出", .amount)],
                           rows: empty ? [] : rows,
                           emptyStatement: empty ? "\(f.department.name)\(f.fiscalYear)年无一般公共预算财政拨款支出，本表为空。"
                               : nil)
    }

    /// 一般公共预算财政拨款基本支出决算表: by economic classification to 款.
    static func generalPublicBasic(_ f: FinalAccounts, _ catalogs: Catalogs) -> ReportTable {
        let lines = f.actual.filter { $0.fundSource == .generalPublicBudget && $0.kind == .basic }
        func cells(_ ls: [ExpenditureLine]) -> [CellValue] {
            [a(ls.sum(\.amount)), a(ls.filter { $0.basicCategory == .personnel }.sum(\.amount)),
             a(ls.filter { $0.basicCategory == .publicUse }.sum(\.amount))]
        }
        let rows = [ReportRow([t(""), t("合计")] + cells(lines), isTotal: true)]
            + StandardTables.economicGroups(lines, catalogs).map {
                ReportRow([t($0.code), t($0.name)] + cells($0.lines))
            }
        return ReportTable(id: "f06-general-public-basic", title: "一般公共预算财政拨款基本支出决算表",
                           columns: [C("科目编码", .code, fiscalType: "economic-classification:generic:code"),
                                     C("科目名称"), C("决算数", .amount, fiscalType: "value"), C("人员经费", .amount),
                                     C("公用经费", .amount)],
                           rows: lines.isEmpty ? [] : rows,
                           emptyStatement: lines.isEmpty
                               ? "\(f.department.name)\(f.fiscalYear)年无一般公共预算财政拨款基本支出，本表为空。" : nil)
    }

    static func fund(_ f: FinalAccounts, _ catalogs: Catalogs, _ source: RevenueSource, id: String, title: String,
                     what: String) -> ReportTable {
        let lines = f.actual.filter { $0.fundSource == source }
        let flow = f.inputs.fund(source)
        let empty = lines.isEmpty && flow.opening == .zero && flow.received == .zero && flow.closing == .zero
        return ReportTable(id: id, title: title,
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"),
                                     C("科目名称"), C("本年支出合计", .amount, fiscalType: "value"),
                                     C("基本支出", .amount), C("项目支出", .amount)],
                           rows: empty ? [] : StandardTables.expenditureRows(lines, catalogs, splitBasic: false),
                           emptyStatement: empty
                               ? "\(f.department.name)\(f.fiscalYear)年没有\(what)收入，也没有使用\(what)安排的支出，本表为空。"
                               : nil)
    }

    /// 财政拨款“三公”经费支出决算表, with the counts a 决算 adds and 机关运行经费 beside.
    static func threePublic(_ f: FinalAccounts) -> ReportTable {
        func cells(_ i: ThreePublicItems) -> [CellValue] {
            [a(i.total), a(i.outboundTravel), a(i.vehicles), a(i.vehiclePurchase), a(i.vehicleOperation),
             a(i.reception)]
        }
        let b = f.budget.threePublic.items, x = f.inputs.threePublic, c = f.inputs.counts
        return ReportTable(
            id: "f09-three-public", title: "财政拨款“三公”经费支出决算表",
            facts: [.init("因公出国（境）团组数（个）", String(c.outboundGroups)),
                    .init("因公出国（境）人次数（人）", String(c.outboundPeople)),
                    .init("公务用车购置数（辆）", String(c.vehiclesBought)),
                    .init("公务用车保有量（辆）", String(c.vehiclesKept)),
                    .init("国内公务接待批次（个）", String(c.receptionBatches)),
                    .init("国内公务接待人次（人）", String(c.receptionPeople)),
                    .init("机关运行经费预算数", MoneyFormat.wan(f.budget.operatingCosts.amount)),
                    .init("机关运行经费决算数", MoneyFormat.wan(f.inputs.operatingCosts))],
            columns: [C("项目"), C("合计", .amount, fiscalType: "value"), C("因公出国（境）费", .amount),
                      C("公务用车购置及运行维护费", .amount), C("其中：公务用车购置费", .amount),
                      C("公务用车运行维护费", .amount), C("公务接待费", .amount)],
            rows: [ReportRow([t("预算数")] + cells(b)), ReportRow([t("决算数")] + cells(x)),
                   ReportRow([t("决算数比预算数增减")] + [x.total - b.total, x.outboundTravel - b.outboundTravel,
                                                       x.vehicles - b.vehicles, x.vehiclePurchase - b.vehiclePurchase,
                                                       x.vehicleOperation - b.vehicleOperation,
                                                       x.reception - b.reception].map(a), isTotal: true)])
    }

    /// 项目支出绩效自评结果.
    static func evaluations(_ f: FinalAccounts) -> ReportTable {
        ReportTable(id: "evaluations", title: "项目支出绩效自评结果", unitNote: nil,
                    columns: [C("项目编码", .code), C("项目名称"), C("自评得分"), C("等级")],
                    rows: f.evaluations.map {
                        ReportRow([t($0.projectCode), t($0.projectName), t(SelfEvaluation.shown($0.score)),
                                   t($0.grade)])
                    },
                    emptyStatement: f.evaluations.isEmpty ? "本年度尚无已发布的项目支出绩效自评结果。" : nil)
    }
}
