/// One field a workbook import changes, with its old and new value as the preview and the audit record show them.
public struct WorkbookChange: Sendable, Equatable {
    public enum Part: String, Sendable, CaseIterable {
        case revenue, expenditure, threePublic = "three_public", operatingCosts = "operating_costs", projects,
             indicators, procurement, assets, statedTotals = "stated_totals"

        public var nameZh: String {
            switch self {
            case .revenue: "收入"
            case .expenditure: "支出"
            case .threePublic: "三公经费"
            case .operatingCosts: "机关运行经费"
            case .projects: "项目"
            case .indicators: "绩效指标"
            case .procurement: "政府采购"
            case .assets: "资产"
            case .statedTotals: "随明细更新的合计数"
            }
        }
    }

    public var part: Part
    /// The line or item: a revenue source, an expenditure line, a project code, a procurement item.
    public var item: String
    public var fieldZh: String
    public var fieldEn: String
    /// nil: the line is new.
    public var old: String?
    /// nil: the line is gone.
    public var new: String?
}

/// What a workbook changes in a budget, field by field. Lines are paired by what names them (a revenue source, the
/// classification of an expenditure line, a project code, an indicator's levels and name, a procurement line's
/// project, item and code), so a line inserted in the middle shows as one new line, not as every line after it changed.
public enum WorkbookChanges {
    public static func between(_ a: Budget, _ b: Budget) -> [WorkbookChange] {
        var out: [WorkbookChange] = []
        func add(_ part: WorkbookChange.Part, _ item: String, _ zh: String, _ en: String, _ old: String?,
                 _ new: String?) {
            guard old != new else { return }
            out.append(WorkbookChange(part: part, item: item, fieldZh: zh, fieldEn: en, old: old, new: new))
        }
        let amount = ("金额（元）", "Amount (yuan)")
        func yuan(_ f: Fen?) -> String { f.map(MoneyFormat.yuan) ?? "—" }
        let whole = ("整行", "whole line")

        let revenue = pair(a.revenue, b.revenue) { $0.source.rawValue }
        for (x, y) in revenue.matched {
            add(.revenue, y.source.nameZh, amount.0, amount.1, yuan(x.amount), yuan(y.amount))
        }
        for x in revenue.removed { add(.revenue, x.source.nameZh, whole.0, whole.1, yuan(x.amount), nil) }
        for y in revenue.added { add(.revenue, y.source.nameZh, whole.0, whole.1, nil, yuan(y.amount)) }

        let lines = pair(a.expenditure, b.expenditure, key: lineKey)
        for (x, y) in lines.matched {
            add(.expenditure, lineName(y), amount.0, amount.1, yuan(x.amount), yuan(y.amount))
        }
        for x in lines.removed { add(.expenditure, lineName(x), whole.0, whole.1, yuan(x.amount), nil) }
        for y in lines.added { add(.expenditure, lineName(y), whole.0, whole.1, nil, yuan(y.amount)) }

        for item in BudgetWorkbook.threePublicItems {
            add(.threePublic, item.zh, "金额（元）", "Amount (yuan)", yuan(a.threePublic.items[keyPath: item.path]),
                yuan(b.threePublic.items[keyPath: item.path]))
        }
        add(.operatingCosts, "机关运行经费", amount.0, amount.1, yuan(a.operatingCosts.amount),
            yuan(b.operatingCosts.amount))
        add(.operatingCosts, "机关运行经费", "用途说明", "Use", a.operatingCosts.use, b.operatingCosts.use)

        let projects = pair(a.projects, b.projects) { $0.code }
        for (x, y) in projects.matched {
            let fields: [(String, String, String, String)] = [
                ("项目名称", "Name", x.name, y.name), ("资金文号", "Fund document", x.fundDocument ?? "", y.fundDocument ?? ""),
                ("项目金额（元）", "Budget (yuan)", yuan(x.amount), yuan(y.amount)),
                ("财政拨款（元）", "Fiscal funds (yuan)", yuan(x.fiscalFunds), yuan(y.fiscalFunds)),
                ("其他资金（元）", "Other funds (yuan)", yuan(x.otherFunds), yuan(y.otherFunds)),
                ("资金用途", "Use", x.use, y.use), ("绩效目标", "Target", x.target, y.target),
                ("资金支出计划", "Spending plan", plan(x), plan(y)),
            ]
            for f in fields { add(.projects, y.code, f.0, f.1, f.2, f.3) }
            indicators(x.indicators, y.indicators, project: y.code, add)
        }
        for x in projects.removed { add(.projects, x.code, whole.0, whole.1, "\(x.name) \(yuan(x.amount))", nil) }
        for y in projects.added {
            add(.projects, y.code, whole.0, whole.1, nil, "\(y.name) \(yuan(y.amount))")
            indicators([], y.indicators, project: y.code, add)
        }

        let procurement = pair(a.procurement, b.procurement) {
            "\($0.projectCode ?? $0.projectName)|\($0.itemName)|\($0.catalogCode)"
        }
        for (x, y) in procurement.matched {
            let item = "\(y.itemName)（\(y.catalogCode)）"
            let fields: [(String, String, String, String)] = [
                ("项目名称", "Project name", x.projectName, y.projectName),
                ("项目金额（元）", "Project budget (yuan)", yuan(x.projectAmount), yuan(y.projectAmount)),
                ("计量单位", "Unit", x.unitOfMeasure, y.unitOfMeasure),
                ("数量", "Quantity", x.quantity.description, y.quantity.description),
                ("单价（元）", "Unit price (yuan)", yuan(x.unitPrice), yuan(y.unitPrice)),
                ("金额（元）", "Amount (yuan)", yuan(x.amount), yuan(y.amount)),
                ("资金来源（元）", "By fund (yuan)", funds(x), funds(y)),
                ("预留中小企业份额（元）", "SME share (yuan)", yuan(x.smeReserved), yuan(y.smeReserved)),
            ]
            for f in fields { add(.procurement, item, f.0, f.1, f.2, f.3) }
        }
        for x in procurement.removed {
            add(.procurement, "\(x.itemName)（\(x.catalogCode)）", whole.0, whole.1, procurementLine(x), nil)
        }
        for y in procurement.added {
            add(.procurement, "\(y.itemName)（\(y.catalogCode)）", whole.0, whole.1, nil, procurementLine(y))
        }

        let asOf = BudgetWorkbook.Fact.asOf
        add(.assets, asOf.0, asOf.0, asOf.1, a.assets.asOf, b.assets.asOf)
        for row in BudgetWorkbook.assetRows {
            let (x, y) = (a.assets[keyPath: row.path], b.assets[keyPath: row.path])
            add(.assets, row.zh, "数量", "Quantity", x.quantity.description, y.quantity.description)
            add(.assets, row.zh, "金额（元）", "Value (yuan)", yuan(x.value), yuan(y.value))
        }
        add(.assets, BudgetWorkbook.Fact.planned.0, "金额（元）", "Amount (yuan)", yuan(a.assets.plannedPurchases),
            yuan(b.assets.plannedPurchases))

        for figure in StatedFigure.allCases {
            add(.statedTotals, figure.nameZh, amount.0, amount.1, yuan(a.stated[figure]), yuan(b.stated[figure]))
        }
        add(.statedTotals, "“三公”经费合计", "金额（元）", "Amount (yuan)", yuan(a.threePublic.statedTotal),
            yuan(b.threePublic.statedTotal))
        for item in ChangeItem.allCases {
            add(.statedTotals, "比上年增减：\(changeNameZh(item))", amount.0, amount.1,
                yuan(a.prior.statedChanges[item]), yuan(b.prior.statedChanges[item]))
        }
        return out
    }

    static func indicators(_ old: [Indicator], _ new: [Indicator], project: String,
                           _ add: (WorkbookChange.Part, String, String, String, String?, String?) -> Void) {
        let p = pair(old, new) { "\($0.level1)|\($0.level2)|\($0.name)" }
        for (x, y) in p.matched {
            let item = "\(project) · \(y.name)"
            add(.indicators, item, "指标描述", "Description", x.description, y.description)
            add(.indicators, item, "指标值", "Value", x.displayValue, y.displayValue)
            add(.indicators, item, "指标值确定依据", "Basis", x.basis, y.basis)
        }
        for x in p.removed { add(.indicators, "\(project) · \(x.name)", "整行", "whole line", x.displayValue, nil) }
        for y in p.added { add(.indicators, "\(project) · \(y.name)", "整行", "whole line", nil, y.displayValue) }
    }

    static func changeNameZh(_ item: ChangeItem) -> String {
        switch item {
        case .total: "支出合计"
        case .basic: "基本支出"
        case .project: "项目支出"
        case .threePublicTotal: "“三公”经费合计"
        case .outboundTravel: "因公出国（境）费"
        case .vehicleTotal: "公务用车购置及运行维护费"
        case .vehiclePurchase: "公务用车购置费"
        case .vehicleOperation: "公务用车运行维护费"
        case .reception: "公务接待费"
        }
    }

    static func lineKey(_ l: ExpenditureLine) -> String {
        [l.kind.rawValue, l.basicCategory?.rawValue ?? "", l.projectCode ?? "", l.label ?? "", l.functionCode ?? "",
         l.economicCode ?? "", l.governmentEconomicCode ?? "", l.fundSource.rawValue].joined(separator: "|")
    }

    static func lineName(_ l: ExpenditureLine) -> String {
        let codes = [l.functionCode, l.economicCode].compactMap { $0 }.joined(separator: "/")
        let name = l.label ?? (l.kind == .basic ? "基本支出" : "项目支出")
        return codes.isEmpty ? name : "\(name)（\(codes)）"
    }

    static func plan(_ p: Project) -> String {
        p.spendingPlan.map { "\($0.month)月\($0.percent)%" }.joined(separator: "，")
    }

    static func funds(_ l: ProcurementLine) -> String {
        ProcurementFund.allCases.compactMap { f in l.byFund[f].map { "\(f.nameZh) \(MoneyFormat.yuan($0))" } }
            .joined(separator: "，")
    }

    static func procurementLine(_ l: ProcurementLine) -> String {
        "\(l.quantity)\(l.unitOfMeasure) × \(MoneyFormat.yuan(l.unitPrice)) = \(MoneyFormat.yuan(l.amount))"
    }

    /// Pairs lines by key, first unpaired with first: the pairs in the new order, then what only one side has.
    static func pair<T>(_ old: [T], _ new: [T], key: (T) -> String) -> (matched: [(T, T)], removed: [T], added: [T]) {
        var pool: [String: [Int]] = [:]
        for (i, x) in old.enumerated() { pool[key(x), default: []].append(i) }
        var used = Set<Int>()
        var matched: [(T, T)] = []
        var added: [T] = []
        for y in new {
            let k = key(y)
            if let i = pool[k]?.first {
                pool[k]?.removeFirst()
                used.insert(i)
                matched.append((old[i], y))
            } else {
                added.append(y)
            }
        }
        let removed = old.indices.filter { !used.contains($0) }.map { old[$0] }
        return (matched, removed, added)
    }

    /// The changes in one line of text for the audit record, cut after `limit` characters.
    public static func summary(_ changes: [WorkbookChange], limit: Int = 3_000) -> String {
        var text = "\(changes.count) change(s)"
        for (i, c) in changes.enumerated() {
            let piece = "; \(c.part.nameZh) \(c.item) \(c.fieldZh): \(c.old ?? "（新增）") → \(c.new ?? "（删除）")"
            if text.count + piece.count > limit {
                text += "; … \(changes.count - i) more"
                break
            }
            text += piece
        }
        return text
    }
}
