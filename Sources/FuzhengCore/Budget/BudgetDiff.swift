/// One field that differs between two versions of a budget, worded for an approver and for the audit log.
public struct FieldChange: Sendable, Equatable {
    public var path: String
    public var labelZh: String
    public var labelEn: String
    /// "—" when the field did not exist on that side (a line added or removed).
    public var old: String
    public var new: String

    public init(path: String, labelZh: String, labelEn: String, old: String, new: String) {
        self.path = path
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.old = old
        self.new = new
    }

    /// "path: old → new", for the audit record.
    public var auditText: String { "\(path): \(old) → \(new)" }
}

/// What changed between two budgets, field by field, in the order a reader meets the fields: the figures, the
/// three public costs, the projects with their indicators, procurement, assets and the texts. Lines are matched by
/// what identifies them (a project by its code, an expenditure line by its classification), not by position,
/// so inserting a line does not make every later one look changed.
public enum BudgetDiff {
    static let none = "—"

    public static func changes(from old: Budget, to new: Budget) -> [FieldChange] {
        var out: [FieldChange] = []
        func add(_ path: String, _ zh: String, _ en: String, _ a: String?, _ b: String?) {
            let x = a ?? none, y = b ?? none
            if x != y { out.append(FieldChange(path: path, labelZh: zh, labelEn: en, old: x, new: y)) }
        }
        func money(_ f: Fen?) -> String? { f.map { MoneyFormat.wan($0) + "万元" } }

        for source in RevenueSource.allCases {
            let a = old.revenue.filter { $0.source == source }, b = new.revenue.filter { $0.source == source }
            add("revenue.\(source.rawValue)", "收入：\(source.nameZh)", "revenue: \(source.rawValue)",
                a.isEmpty ? nil : money(a.sum(\.amount)), b.isEmpty ? nil : money(b.sum(\.amount)))
        }
        add("totalExpenditure", "支出合计", "total expenditure", money(old.totalExpenditure), money(new.totalExpenditure))
        let oldLines = expenditureByKey(old), newLines = expenditureByKey(new)
        for key in orderedKeys(oldLines.map(\.key), newLines.map(\.key)) {
            let a = oldLines.first { $0.key == key }, b = newLines.first { $0.key == key }
            let label = (b ?? a)?.label ?? key
            add("expenditure[\(key)]", "支出：\(label)", "expenditure: \(key)", money(a?.amount), money(b?.amount))
        }
        let t0 = old.threePublic.items, t1 = new.threePublic.items
        add("threePublic.outboundTravel", "因公出国（境）费", "outbound travel", money(t0.outboundTravel),
            money(t1.outboundTravel))
        add("threePublic.vehiclePurchase", "公务用车购置费", "vehicle purchase", money(t0.vehiclePurchase),
            money(t1.vehiclePurchase))
        add("threePublic.vehicleOperation", "公务用车运行维护费", "vehicle operation", money(t0.vehicleOperation),
            money(t1.vehicleOperation))
        add("threePublic.reception", "公务接待费", "official reception", money(t0.reception), money(t1.reception))
        add("operatingCosts.amount", "机关运行经费", "operating costs", money(old.operatingCosts.amount),
            money(new.operatingCosts.amount))
        projects(old, new, add: add, money: money)
        procurement(old, new, add: add, money: money)
        assets(old, new, add: add, money: money)
        // Texts outside projects and procurement (those are compared with their lines above).
        let texts = { (b: Budget) in
            b.textFields.filter { !$0.path.hasPrefix("projects[") && !$0.path.hasPrefix("procurement[") }
        }
        let oldTexts = texts(old), newTexts = texts(new)
        for path in orderedKeys(oldTexts.map(\.path), newTexts.map(\.path)) {
            let a = oldTexts.first { $0.path == path }, b = newTexts.first { $0.path == path }
            let field = b ?? a
            add(path, field?.labelZh ?? path, field?.labelEn ?? path, a?.text, b?.text)
        }
        return out
    }

    struct KeyedLine {
        var key: String
        var label: String
        var amount: Fen
    }

    /// Expenditure summed by classification: kind, category, project, function and economic code, fund.
    static func expenditureByKey(_ b: Budget) -> [KeyedLine] {
        var lines: [KeyedLine] = []
        for l in b.expenditure {
            let key = [l.kind.rawValue, l.basicCategory?.rawValue ?? "", l.projectCode ?? "", l.functionCode ?? "",
                       l.economicCode ?? "", l.fundSource.rawValue].joined(separator: "/")
            if let i = lines.firstIndex(where: { $0.key == key }) {
                lines[i].amount = lines[i].amount + l.amount
            } else {
                let label = [l.label ?? "", l.functionCode ?? "", l.economicCode ?? ""].filter { !$0.isEmpty }
                    .joined(separator: " ")
                lines.append(KeyedLine(key: key, label: label, amount: l.amount))
            }
        }
        return lines
    }

    /// The keys of both sides, old order first, then what only the new side has.
    static func orderedKeys(_ a: [String], _ b: [String]) -> [String] {
        var seen = Set<String>()
        return (a + b).filter { seen.insert($0).inserted }
    }

    typealias Add = (String, String, String, String?, String?) -> Void

    static func projects(_ old: Budget, _ new: Budget, add: Add, money: (Fen?) -> String?) {
        for code in orderedKeys(old.projects.map(\.code), new.projects.map(\.code)) {
            let a = old.projects.first { $0.code == code }, b = new.projects.first { $0.code == code }
            let name = (b ?? a)?.name ?? code
            let at = "projects[\(code)]"
            if a == nil || b == nil {
                add(at, "项目“\(name)”", "project \(code)", a.map { money($0.amount) ?? "" },
                    b.map { money($0.amount) ?? "" })
                continue
            }
            guard let a, let b else { continue }
            add("\(at).name", "项目名称（\(code)）", "name of project \(code)", a.name, b.name)
            add("\(at).fundDocument", "“\(name)”资金文号", "funding document of \(code)", a.fundDocument, b.fundDocument)
            add("\(at).amount", "“\(name)”预算数", "amount of \(code)", money(a.amount), money(b.amount))
            add("\(at).fiscalFunds", "“\(name)”财政资金", "fiscal funds of \(code)", money(a.fiscalFunds),
                money(b.fiscalFunds))
            add("\(at).otherFunds", "“\(name)”其他资金", "other funds of \(code)", money(a.otherFunds), money(b.otherFunds))
            add("\(at).use", "“\(name)”资金用途", "use of \(code)", a.use, b.use)
            add("\(at).target", "“\(name)”绩效目标", "target of \(code)", a.target, b.target)
            let plan = { (p: Project) in p.spendingPlan.map { "\($0.month)月\($0.percent)%" }.joined(separator: "，") }
            add("\(at).spendingPlan", "“\(name)”资金支出计划", "spending plan of \(code)", plan(a), plan(b))
            for i in 0..<max(a.indicators.count, b.indicators.count) {
                let x = i < a.indicators.count ? a.indicators[i] : nil
                let y = i < b.indicators.count ? b.indicators[i] : nil
                let it = "\(at).indicators[\(i)]"
                let label = "“\(name)”第\(i + 1)个指标"
                let en = "indicator \(i + 1) of \(code)"
                if x == nil || y == nil {
                    add(it, label, en, x.map { "\($0.name) \($0.displayValue)" },
                        y.map { "\($0.name) \($0.displayValue)" })
                    continue
                }
                guard let x, let y else { continue }
                add("\(it).level", label + "的类别", en + ": levels", "\(x.level1)/\(x.level2)", "\(y.level1)/\(y.level2)")
                add("\(it).name", label + "的名称", en + ": name", x.name, y.name)
                add("\(it).description", label + "的描述", en + ": description", x.description, y.description)
                add("\(it).value", label + "的指标值", en + ": value", x.displayValue, y.displayValue)
                add("\(it).basis", label + "的确定依据", en + ": basis", x.basis, y.basis)
            }
        }
    }

    static func procurement(_ old: Budget, _ new: Budget, add: Add, money: (Fen?) -> String?) {
        for i in 0..<max(old.procurement.count, new.procurement.count) {
            let a = i < old.procurement.count ? old.procurement[i] : nil
            let b = i < new.procurement.count ? new.procurement[i] : nil
            let at = "procurement[\(i)]"
            let label = "政府采购第\(i + 1)行"
            let describe = { (l: ProcurementLine) in
                "\(l.itemName)（\(l.catalogCode)）\(l.quantity.description)\(l.unitOfMeasure) × "
                    + "\(MoneyFormat.yuan(l.unitPrice))元 = "
                    + (money(l.amount) ?? "") + "，中小企业\(money(l.smeReserved) ?? "")，\(l.projectName)"
            }
            add(at, label, "procurement line \(i + 1)", a.map(describe), b.map(describe))
        }
    }

    static func assets(_ old: Budget, _ new: Budget, add: Add, money: (Fen?) -> String?) {
        let a = old.assets, b = new.assets
        add("assets.asOf", "固定资产截止时间", "assets as of", a.asOf, b.asOf)
        let rows: [(String, String, KeyPath<AssetHoldings, AssetRow>)] = [
            ("total", "资产总额", \.total), ("buildings", "房屋", \.buildings), ("officeSpace", "办公用房", \.officeSpace),
            ("vehicles", "车辆", \.vehicles), ("equipment", "单价20万元以上设备", \.highValueEquipment),
            ("other", "其他固定资产", \.other),
        ]
        for (key, zh, path) in rows {
            let x = a[keyPath: path], y = b[keyPath: path]
            add("assets.\(key).quantity", "\(zh)数量", "assets \(key): quantity", x.quantity.description,
                y.quantity.description)
            add("assets.\(key).value", "\(zh)价值", "assets \(key): value", money(x.value), money(y.value))
        }
        add("assets.plannedPurchases", "拟购置固定资产", "planned purchases", money(a.plannedPurchases),
            money(b.plannedPurchases))
    }
}
