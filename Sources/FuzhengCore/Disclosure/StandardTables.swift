/// The disclosure tables of 财预〔2016〕143号 (the nine standard tables) and the seed's own tables
/// (机构设置, 项目支出绩效目标表, 政府采购预算表, 固定资产占用情况表), built from a budget.
public enum StandardTables {
    typealias C = ReportColumn
    static func a(_ f: Fen) -> CellValue { .amount(f) }
    static func t(_ s: String) -> CellValue { .text(s) }

    public static func all(_ b: Budget, catalogs: Catalogs = .shared) -> [ReportTable] {
        [units(b), incomeAndExpenditure(b), income(b, catalogs), expenditure(b, catalogs), appropriation(b),
         generalPublicExpenditure(b, catalogs), generalPublicBasic(b, catalogs), threePublic(b),
         fundExpenditure(b, catalogs, source: .governmentFund, id: "t08-government-fund", title: "政府性基金预算支出表", what: "政府性基金预算支出"),
         fundExpenditure(b, catalogs, source: .stateCapital, id: "t09-state-capital", title: "国有资本经营预算支出表", what: "国有资本经营预算支出")]
            + b.projects.enumerated().map { project(b, $0.offset + 1, $0.element) }
            + [procurement(b), assets(b)]
    }

    static func units(_ b: Budget) -> ReportTable {
        ReportTable(id: "units", title: "部门机构设置情况", unitNote: nil,
                    columns: [C("单位名称"), C("单位性质"), C("单位规格"), C("经费保障形式")],
                    rows: b.units.map { ReportRow([t($0.name), t($0.nature), t($0.grade), t($0.fundingForm)]) })
    }

    /// 部门收支总表: income on the left, spending on the right.
    static func incomeAndExpenditure(_ b: Budget) -> ReportTable {
        let income: [(String, Fen)] = [
            ("一般公共预算拨款收入", b.revenue(from: .generalPublicBudget)), ("政府性基金预算拨款收入", b.revenue(from: .governmentFund)),
            ("国有资本经营预算拨款收入", b.revenue(from: .stateCapital)), ("财政专户管理资金收入", b.revenue(from: .specialAccount)),
            ("事业收入", b.revenue(from: .businessIncome)), ("事业单位经营收入", b.revenue(from: .operatingIncome)),
            ("上级补助收入", b.revenue(from: .superiorSubsidy)), ("附属单位上缴收入", b.revenue(from: .subordinateRemittance)),
            ("其他收入", b.revenue(from: .other)),
        ]
        let spending: [(String, Fen)] = [
            ("基本支出", b.basicExpenditure), ("　其中：人员经费", b.personnelExpenditure), ("　　　　日常公用经费", b.publicUseExpenditure),
            ("项目支出", b.projectExpenditure), ("上缴上级支出", .zero), ("事业单位经营支出", .zero), ("对附属单位补助支出", .zero),
        ]
        var rows: [ReportRow] = []
        for i in 0..<max(income.count, spending.count) {
            let l = i < income.count ? [t(income[i].0), a(income[i].1)] : [CellValue.empty, .empty]
            let r = i < spending.count ? [t(spending[i].0), a(spending[i].1)] : [CellValue.empty, .empty]
            rows.append(ReportRow(l + r))
        }
        let carry = b.revenue(from: .carryover)
        rows.append(ReportRow([t("本年收入合计"), a(b.totalRevenue - carry), t("本年支出合计"), a(b.totalExpenditure)], isTotal: true))
        rows.append(ReportRow([t("上年结转"), a(carry), t("结转下年"), a(.zero)]))
        rows.append(ReportRow([t("收入总计"), a(b.totalRevenue), t("支出总计"), a(b.totalExpenditure)], isTotal: true))
        return ReportTable(id: "t01-income-expenditure", title: "部门收支总表",
                           columns: [C("收入项目"), C("预算数", .amount, fiscalType: "value"), C("支出项目"), C("预算数", .amount, fiscalType: "value")],
                           rows: rows)
    }

    /// A row of a table by classification: a 类, 款 or 项 (or, for lines without a code, their shared label)
    /// and the lines it adds up.
    struct Group {
        var code: String
        var name: String
        var lines: [ExpenditureLine]
    }

    /// As a Chinese budget table lists spending: one row per 类, per 款 and per 项 in code order, each the subtotal
    /// of the lines beneath it and named from the catalog. `levels` are the lengths of the codes above a line's own
    /// (3 and 5 for the function classification). Lines without a code cannot be placed in the tree, so they
    /// follow it, grouped by their label as the disclosure words them.
    static func classified(_ lines: [ExpenditureLine], code: (ExpenditureLine) -> String?, levels: [Int],
                           names: [String: String], uncodedName: (ExpenditureLine) -> String) -> [Group] {
        var coded: [String: [ExpenditureLine]] = [:]
        var uncoded: [Group] = []
        for line in lines {
            guard let own = code(line), !own.isEmpty else {
                let name = uncodedName(line)
                if let i = uncoded.firstIndex(where: { $0.name == name }) { uncoded[i].lines.append(line) }
                else { uncoded.append(Group(code: "", name: name, lines: [line])) }
                continue
            }
            for parent in levels where parent < own.count {
                coded[String(own.prefix(parent)), default: []].append(line)
            }
            coded[own, default: []].append(line)
        }
        // A parent's code is a prefix of its children's, so plain string order puts each under its parent.
        return coded.keys.sorted().map { Group(code: $0, name: names[$0] ?? $0, lines: coded[$0] ?? []) } + uncoded
    }

    /// By function classification: 类 (3 digits), 款 (5), 项 (7).
    static func functionGroups(_ lines: [ExpenditureLine], _ catalogs: Catalogs) -> [Group] {
        classified(lines, code: \.functionCode, levels: [3, 5], names: catalogs.functionClassification) { line in
            line.label ?? (line.kind == .basic ? "基本支出" : "项目支出")
        }
    }

    /// By economic classification for departments: 类 (3 digits), 款 (5).
    static func economicGroups(_ lines: [ExpenditureLine], _ catalogs: Catalogs) -> [Group] {
        classified(lines, code: \.economicCode, levels: [3], names: catalogs.departmentEconomic) { line in
            line.basicCategory == .personnel ? "人员经费" : "日常公用经费"
        }
    }

    static let incomeSources: [(String, RevenueSource)] = [
        ("一般公共预算拨款", .generalPublicBudget), ("政府性基金预算拨款", .governmentFund), ("国有资本经营预算拨款", .stateCapital),
        ("财政专户管理资金", .specialAccount), ("事业收入", .businessIncome), ("其他收入", .other), ("上年结转", .carryover),
    ]

    /// 部门收入总表: income by source, in total and against each function group it pays for.
    static func income(_ b: Budget, _ catalogs: Catalogs) -> ReportTable {
        var rows = [ReportRow([t(""), t("合计"), a(b.totalRevenue)] + incomeSources.map { a(b.revenue(from: $0.1)) }, isTotal: true)]
        for g in functionGroups(b.expenditure, catalogs) {
            rows.append(ReportRow([t(g.code), t(g.name), a(g.lines.sum(\.amount))]
                                  + incomeSources.map { src in a(g.lines.filter { $0.fundSource == src.1 }.sum(\.amount)) }))
        }
        return ReportTable(id: "t02-income", title: "部门收入总表",
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"), C("科目名称"),
                                     C("合计", .amount, fiscalType: "value")] + incomeSources.map { C($0.0, .amount) },
                           rows: rows)
    }

    static func expenditureRows(_ lines: [ExpenditureLine], _ catalogs: Catalogs, splitBasic: Bool) -> [ReportRow] {
        func cells(_ ls: [ExpenditureLine]) -> [CellValue] {
            let basic = ls.filter { $0.kind == .basic }
            var c = [a(ls.sum(\.amount)), a(basic.sum(\.amount))]
            if splitBasic {
                c += [a(basic.filter { $0.basicCategory == .personnel }.sum(\.amount)), a(basic.filter { $0.basicCategory == .publicUse }.sum(\.amount))]
            }
            return c + [a(ls.filter { $0.kind == .project }.sum(\.amount))]
        }
        return [ReportRow([t(""), t("合计")] + cells(lines), isTotal: true)]
            + functionGroups(lines, catalogs).map { ReportRow([t($0.code), t($0.name)] + cells($0.lines)) }
    }

    /// 部门支出总表.
    static func expenditure(_ b: Budget, _ catalogs: Catalogs) -> ReportTable {
        ReportTable(id: "t03-expenditure", title: "部门支出总表",
                    columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"), C("科目名称"),
                              C("合计", .amount, fiscalType: "value"), C("基本支出", .amount), C("项目支出", .amount)],
                    rows: expenditureRows(b.expenditure, catalogs, splitBasic: false))
    }

    /// 财政拨款收支总表.
    static func appropriation(_ b: Budget) -> ReportTable {
        let kinds: [(String, String, RevenueSource)] = [("一般公共预算拨款", "一般公共预算支出", .generalPublicBudget),
                                                        ("政府性基金预算拨款", "政府性基金预算支出", .governmentFund),
                                                        ("国有资本经营预算拨款", "国有资本经营预算支出", .stateCapital)]
        var rows = kinds.map { k in
            ReportRow([t(k.0), a(b.revenue(from: k.2)), t(k.1), a(b.expenditure.filter { $0.fundSource == k.2 }.sum(\.amount))])
        }
        let inTotal = kinds.map { b.revenue(from: $0.2) }.sum()
        let outTotal = b.expenditure.filter { $0.fundSource.isFiscalAppropriation }.sum(\.amount)
        rows.append(ReportRow([t("收入总计"), a(inTotal), t("支出总计"), a(outTotal)], isTotal: true))
        return ReportTable(id: "t04-appropriation", title: "财政拨款收支总表",
                           columns: [C("收入项目"), C("预算数", .amount, fiscalType: "value"), C("支出项目"), C("预算数", .amount, fiscalType: "value")],
                           rows: rows)
    }

    /// 一般公共预算支出表: by function classification down to 项.
    static func generalPublicExpenditure(_ b: Budget, _ catalogs: Catalogs) -> ReportTable {
        let lines = b.expenditure.filter { $0.fundSource == .generalPublicBudget }
        return ReportTable(id: "t05-general-public", title: "一般公共预算支出表",
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"), C("科目名称"),
                                     C("合计", .amount, fiscalType: "value"), C("基本支出", .amount), C("人员经费", .amount),
                                     C("日常公用经费", .amount), C("项目支出", .amount)],
                           rows: lines.isEmpty ? [] : expenditureRows(lines, catalogs, splitBasic: true),
                           emptyStatement: lines.isEmpty ? "\(b.department.name)\(b.fiscalYear)年无一般公共预算支出，本表为空。" : nil)
    }

    /// 一般公共预算基本支出表: by economic classification down to 款.
    static func generalPublicBasic(_ b: Budget, _ catalogs: Catalogs) -> ReportTable {
        let lines = b.expenditure.filter { $0.fundSource == .generalPublicBudget && $0.kind == .basic }
        func cells(_ ls: [ExpenditureLine]) -> [CellValue] {
            [a(ls.sum(\.amount)), a(ls.filter { $0.basicCategory == .personnel }.sum(\.amount)), a(ls.filter { $0.basicCategory == .publicUse }.sum(\.amount))]
        }
        let rows = [ReportRow([t(""), t("合计")] + cells(lines), isTotal: true)]
            + economicGroups(lines, catalogs).map { ReportRow([t($0.code), t($0.name)] + cells($0.lines)) }
        return ReportTable(id: "t06-general-public-basic", title: "一般公共预算基本支出表",
                           columns: [C("科目编码", .code, fiscalType: "economic-classification:generic:code"), C("科目名称"),
                                     C("合计", .amount, fiscalType: "value"), C("人员经费", .amount), C("日常公用经费", .amount)],
                           rows: lines.isEmpty ? [] : rows,
                           emptyStatement: lines.isEmpty ? "\(b.department.name)\(b.fiscalYear)年无一般公共预算基本支出，本表为空。" : nil)
    }

    /// 一般公共预算“三公”经费支出表.
    static func threePublic(_ b: Budget) -> ReportTable {
        func cells(_ i: ThreePublicItems) -> [CellValue] {
            [a(i.total), a(i.outboundTravel), a(i.vehicles), a(i.vehiclePurchase), a(i.vehicleOperation), a(i.reception)]
        }
        var rows = [ReportRow([t("\(b.fiscalYear)年预算")] + cells(b.threePublic.items))]
        if let p = b.prior.threePublic {
            rows.append(ReportRow([t("\(b.fiscalYear - 1)年预算")] + cells(p)))
            let n = b.threePublic.items
            rows.append(ReportRow([t("增减")] + [n.total - p.total, n.outboundTravel - p.outboundTravel, n.vehicles - p.vehicles,
                                                 n.vehiclePurchase - p.vehiclePurchase, n.vehicleOperation - p.vehicleOperation,
                                                 n.reception - p.reception].map(a), isTotal: true))
        }
        return ReportTable(id: "t07-three-public", title: "一般公共预算“三公”经费支出表",
                           columns: [C("项目"), C("合计", .amount, fiscalType: "value"), C("因公出国（境）费", .amount),
                                     C("公务用车购置及运行维护费", .amount), C("其中：公务用车购置费", .amount),
                                     C("公务用车运行维护费", .amount), C("公务接待费", .amount)],
                           rows: rows)
    }

    static func fundExpenditure(_ b: Budget, _ catalogs: Catalogs, source: RevenueSource, id: String, title: String, what: String) -> ReportTable {
        let lines = b.expenditure.filter { $0.fundSource == source }
        return ReportTable(id: id, title: title,
                           columns: [C("科目编码", .code, fiscalType: "functional-classification:generic:code"), C("科目名称"),
                                     C("合计", .amount, fiscalType: "value"), C("基本支出", .amount), C("项目支出", .amount)],
                           rows: lines.isEmpty ? [] : expenditureRows(lines, catalogs, splitBasic: false),
                           emptyStatement: lines.isEmpty ? "\(b.department.name)\(b.fiscalYear)年没有使用\(what)安排的支出，本表为空。" : nil)
    }

    /// One 项目支出绩效目标表.
    static func project(_ b: Budget, _ number: Int, _ p: Project) -> ReportTable {
        let plan = p.spendingPlan.map { "\($0.month)月底\($0.percent)%" }.joined(separator: "，")
        let unit = b.units.first.map { ($0.code ?? "") + $0.name } ?? b.department.name
        return ReportTable(
            id: "project-\(p.code)", title: "\(number).\(p.name)绩效目标表",
            facts: [.init("单位", unit), .init("项目编码", p.code), .init("项目名称", p.name), .init("预算数", MoneyFormat.wan(p.amount)),
                    .init("其中：财政资金", MoneyFormat.wan(p.fiscalFunds)), .init("其他资金", p.otherFunds == .zero ? "" : MoneyFormat.wan(p.otherFunds)),
                    .init("资金用途", p.use), .init("资金支出计划（%）", plan), .init("绩效目标", p.target)],
            columns: [C("一级指标"), C("二级指标"), C("三级指标"), C("绩效指标描述"), C("指标值"), C("指标值确定依据")],
            rows: p.indicators.map { ReportRow([t($0.level1), t($0.level2), t($0.name), t($0.description), t($0.displayValue), t($0.basis)]) },
            emptyStatement: p.indicators.isEmpty ? "该项目未设绩效指标。" : nil)
    }

    /// 部门政府采购预算表.
    static func procurement(_ b: Budget) -> ReportTable {
        let funds = ProcurementFund.allCases
        func fundCells(_ lines: [ProcurementLine]) -> [CellValue] {
            funds.map { f in
                let v = lines.compactMap { $0.byFund[f] }.sum()
                return v == .zero ? .empty : a(v)
            }
        }
        var rows: [ReportRow] = []
        if !b.procurement.isEmpty {
            let total = [a(b.procurementTotal)] + fundCells(b.procurement) + [a(b.procurementSMEReserved)]
            rows.append(ReportRow([t("合计"), .empty, .empty, .empty, .empty, .empty, .empty] + total, isTotal: true))
            let unitName = b.units.first?.name ?? b.department.name
            rows.append(ReportRow([t("\(unitName)小计"), .empty, .empty, .empty, .empty, .empty, .empty] + total, isTotal: true))
        }
        for line in b.procurement {
            rows.append(ReportRow([t(line.projectName), line.projectAmount.map(a) ?? .empty, t(line.itemName), t(line.catalogCode),
                                   t(line.unitOfMeasure), .quantity(line.quantity), a(line.unitPrice), a(line.amount)]
                                  + fundCells([line]) + [a(line.smeReserved)]))
        }
        let dept = b.department.code.isEmpty ? b.department.name : b.department.code + b.department.name
        return ReportTable(
            id: "procurement", title: "部门政府采购预算",
            facts: [.init("部门", dept)],
            columns: [C("项目名称", fiscalType: "activity:generic:project:label"), C("项目预算", .amount), C("采购物品名称"),
                      C("政府采购目录序号", .code), C("计量单位"), C("数量", .quantity), C("单价", .amount),
                      C("政府采购金额合计", .amount, fiscalType: "value")] + funds.map { C($0.nameZh, .amount) } + [C("预留中小微企业份额", .amount)],
            rows: rows,
            emptyStatement: b.procurement.isEmpty ? "\(b.department.name)\(b.fiscalYear)年无政府采购预算，本表为空。" : nil)
    }

    /// 固定资产占用情况表.
    static func assets(_ b: Budget) -> ReportTable {
        let x = b.assets
        let rows: [(String, AssetRow)] = [("资产总额", x.total), ("1、房屋（平方米）", x.buildings), ("其中：办公用房（平方米）", x.officeSpace),
                                          ("2、车辆（台、辆）", x.vehicles), ("3、单价在20万元以上设备", x.highValueEquipment), ("4、其他固定资产", x.other)]
        return ReportTable(id: "assets", title: "\(b.department.name)固定资产占用情况表", unitNote: "金额单位：万元",
                           facts: [.init("截止时间", Self.chineseDate(x.asOf))],
                           columns: [C("项目"), C("数量", .quantity), C("价值", .amount, fiscalType: "value")],
                           rows: rows.enumerated().map { ReportRow([t($0.element.0), .quantity($0.element.1.quantity), a($0.element.1.value)], isTotal: $0.offset == 0) })
    }

    /// "2022-12-31" → "2022年12月31日".
    static func chineseDate(_ iso: String) -> String {
        let p = iso.split(separator: "-")
        guard p.count == 3, let m = Int(p[1]), let d = Int(p[2]) else { return iso }
        return "\(p[0])年\(m)月\(d)日"
    }
}
