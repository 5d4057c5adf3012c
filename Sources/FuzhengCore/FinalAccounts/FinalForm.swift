import Foundation

/// One typed figure or text of the 决算 inputs. The form, the XLSX template and the XLSX import all come from this one
/// list, so a workbook row and a form field are the same thing under the same key.
public struct FinalField: Sendable, Equatable {
    /// `change`: an amount that may be below zero (比上年增减).
    public enum Kind: String, Sendable { case amount, change, count, quantity, text }
    public var key: String
    public var group: String
    public var zh: String
    public var en: String
    public var kind: Kind
    /// The current value as typed (amounts in 元).
    public var value: String
    /// Blank allowed: last year's figures (when there is no last year), the stated figures and the texts.
    public var optional: Bool
}

public enum FinalForm {
    public static let groups: [(key: String, zh: String, en: String)] = [
        ("funds", "收入与结转结余", "income and balances"), ("basic", "基本支出决算数", "basic spending as booked"),
        ("threePublic", "“三公”经费与机关运行经费", "三公 and running costs"),
        ("procurement", "政府采购支出", "procurement"), ("assets", "年末资产", "assets at the year's end"),
        ("prior", "上年决算数", "last year's final accounts"),
        ("stated", "说明中所述的数（可选）", "figures stated in the unit's own texts (optional)"),
        ("gaps", "预决算差异原因", "reasons for gaps"),
        ("duties", "部门整体绩效：职责目标完成情况", "the department's duty targets"), ("texts", "说明文字", "texts"),
    ]

    static func yuan(_ f: Fen) -> String { MoneyFormat.yuan(f) }

    static let textKeys: [(String, String, String)] = [
        ("total", "支出总额比上年增减的主要原因", "why total spending changed"),
        ("basic", "基本支出比上年增减的原因", "why basic spending changed"),
        ("project", "项目支出比上年增减的原因", "why project spending changed"),
        ("threePublic", "“三公”经费比上年增减的原因", "why 三公 changed from last year"),
        ("threePublicGap", "“三公”经费决算与预算差异的原因", "why 三公 differ from the budget"),
        ("operatingCosts", "机关运行经费与预算差异的原因", "why running costs differ from the budget"),
        ("department", "部门整体支出绩效自评：总体评价", "the department's overall evaluation"),
        ("notes", "其他需要说明的事项", "other notes"),
    ]

    public static func fields(_ f: FinalAccounts) -> [FinalField] {
        let i = f.inputs
        var out: [FinalField] = []
        func add(_ key: String, _ group: String, _ zh: String, _ en: String, _ kind: FinalField.Kind, _ value: String,
                 optional: Bool = false) {
            out.append(FinalField(key: key, group: group, zh: zh, en: en, kind: kind, value: value, optional: optional))
        }
        let shown = RevenueSource.allCases.filter { s in
            s != .carryover && (s.isFiscalAppropriation || i.funds.contains { $0.source == s })
        }
        for s in shown {
            let flow = i.fund(s)
            add("fund-\(s.rawValue)-opening", "funds", "\(s.nameZh)：年初结转和结余", "\(s.rawValue): carried in", .amount,
                yuan(flow.opening))
            add("fund-\(s.rawValue)-received", "funds", "\(s.nameZh)：本年收入", "\(s.rawValue): received", .amount,
                yuan(flow.received))
            add("fund-\(s.rawValue)-closing", "funds", "\(s.nameZh)：年末结转和结余", "\(s.rawValue): carried out",
                .amount, yuan(flow.closing))
        }
        for (n, line) in i.basicSpent.enumerated() {
            let name = [line.functionCode, line.economicCode, line.label].compactMap { $0 }.joined(separator: " ")
            add("basic-\(n)", "basic", name, "basic line \(n + 1) (\(line.economicCode ?? ""))", .amount,
                yuan(line.amount))
        }
        let t = i.threePublic, c = i.counts
        for (key, zh, en, v) in [("outboundTravel", "因公出国（境）费", "outbound travel", t.outboundTravel),
                                 ("vehiclePurchase", "公务用车购置费", "vehicle purchase", t.vehiclePurchase),
                                 ("vehicleOperation", "公务用车运行维护费", "vehicle running", t.vehicleOperation),
                                 ("reception", "公务接待费", "reception", t.reception)] {
            add("tp-\(key)", "threePublic", zh, en, .amount, yuan(v))
        }
        for (key, zh, en, v) in [("outboundGroups", "因公出国（境）团组数", "delegations abroad", c.outboundGroups),
                                 ("outboundPeople", "因公出国（境）人次", "people abroad", c.outboundPeople),
                                 ("vehiclesBought", "公务用车购置数（辆）", "vehicles bought", c.vehiclesBought),
                                 ("vehiclesKept", "公务用车保有量（辆）", "vehicles kept", c.vehiclesKept),
                                 ("receptionBatches", "国内公务接待批次", "reception batches", c.receptionBatches),
                                 ("receptionPeople", "国内公务接待人次", "reception guests", c.receptionPeople)] {
            add("count-\(key)", "threePublic", zh, en, .count, String(v))
        }
        add("operatingCosts", "threePublic", "机关运行经费决算数", "running costs", .amount, yuan(i.operatingCosts))
        let p = i.procurement
        for (key, zh, en, v) in [("goods", "政府采购货物支出", "goods", p.goods), ("works", "政府采购工程支出", "works", p.works),
                                 ("services", "政府采购服务支出", "services", p.services),
                                 ("sme", "授予中小企业合同金额", "awarded to SMEs", p.sme)] {
            add("proc-\(key)", "procurement", zh, en, .amount, yuan(v))
        }
        let a = i.assets
        for (key, zh, en, row) in [("total", "资产总额", "total", a.total),
                                   ("buildings", "房屋（平方米）", "buildings", a.buildings),
                                   ("officeSpace", "其中：办公用房（平方米）", "office space", a.officeSpace),
                                   ("vehicles", "车辆（辆）", "vehicles", a.vehicles),
                                   ("highValueEquipment", "单价20万元以上设备", "equipment over 200,000 yuan",
                                    a.highValueEquipment),
                                   ("other", "其他固定资产", "other fixed assets", a.other)] {
            add("asset-\(key)-quantity", "assets", zh + "：数量", en + ": quantity", .quantity, row.quantity.description)
            add("asset-\(key)-value", "assets", zh + "：价值", en + ": value", .amount, yuan(row.value))
        }
        let prior = i.prior
        for (key, zh, en, v) in [("income", "上年本年收入合计", "income", prior?.income),
                                 ("expenditure", "上年本年支出合计", "spending", prior?.expenditure),
                                 ("basic", "上年基本支出", "basic", prior?.basic),
                                 ("project", "上年项目支出", "project", prior?.project),
                                 ("outboundTravel", "上年因公出国（境）费", "outbound travel", prior?.threePublic.outboundTravel),
                                 ("vehiclePurchase", "上年公务用车购置费", "vehicle purchase",
                                  prior?.threePublic.vehiclePurchase),
                                 ("vehicleOperation", "上年公务用车运行维护费", "vehicle running",
                                  prior?.threePublic.vehicleOperation),
                                 ("reception", "上年公务接待费", "reception", prior?.threePublic.reception)] {
            add("prior-\(key)", "prior", zh, "last year: " + en, .amount, v.map(yuan) ?? "", optional: true)
        }
        add("stated-procurement", "stated", "所述政府采购支出总额", "stated procurement total", .amount,
            p.statedTotal.map(yuan) ?? "", optional: true)
        for item in ChangeItem.allCases {
            add("stated-change-\(item.rawValue)", "stated", "所述\(FinalChecks.label(item))比上年增减",
                "stated change of \(item.rawValue)", .change, i.statedChanges[item].map(yuan) ?? "", optional: true)
        }
        for c in f.generalPublicComparison() {
            let key = c.code.isEmpty ? c.name : c.code
            add("gap-\(key)", "gaps", "\(c.code) \(c.name)（调整后预算\(MoneyFormat.wanInText(c.adjusted))万元，"
                + "决算\(MoneyFormat.wanInText(c.final))万元）", "reason for \(key)", .text, i.gapReasons[key] ?? "",
                optional: true)
        }
        for (n, text) in f.budget.narrative.dutyTargets.enumerated() {
            let bands = DutyBands.read(text) == nil ? "（定性，写明完成情况）" : "（按目标中的等级标准，填百分比）"
            add("duty-\(n)", "duties", String(text.prefix(40)) + (text.count > 40 ? "…" : "") + bands,
                "duty target \(n + 1)", .text, i.dutyActuals?[String(n)] ?? "", optional: true)
        }
        for (key, zh, en) in textKeys {
            add("text-\(key)", "texts", zh, en, .text, i.texts[key] ?? "", optional: true)
        }
        return out
    }

    /// The inputs with `values` applied (keys not given keep their value); every problem names its field.
    public static func read(_ values: [String: String], into f: FinalAccounts) -> Result<FinalInputs, FieldProblems> {
        var problems: [FieldProblem] = []
        var amounts: [String: Fen] = [:], counts: [String: Int] = [:], quantities: [String: Quantity] = [:]
        var texts: [String: String] = [:]
        var blankPrior = true
        let fields = fields(f)
        for field in fields {
            let raw = (values[field.key] ?? field.value).trimmingCharacters(in: .whitespacesAndNewlines)
            if field.group == "prior" && !raw.isEmpty { blankPrior = false }
            if raw.isEmpty && field.optional { continue }
            switch field.kind {
            case .amount:
                switch NumberInput.amount(raw.replacingOccurrences(of: ",", with: ""), unit: .yuan) {
                case .success(let v): amounts[field.key] = v
                case .failure:
                    problems.append(FieldProblem(field: field.key, zh: "“\(field.zh)”应为不小于0的金额（元，最多两位小数）",
                                                 en: "\(field.en): an amount in yuan, 0 or more, two decimals at most"))
                }
            case .change:
                let plain = raw.replacingOccurrences(of: ",", with: "")
                switch NumberInput.amount(plain, unit: .yuan, range: (Fen.zero - Fen.maxStated)...Fen.maxStated) {
                case .success(let v): amounts[field.key] = v
                case .failure:
                    problems.append(FieldProblem(
                        field: field.key, zh: "“\(field.zh)”应为金额（元，减少写负数，最多两位小数）",
                        en: "\(field.en): an amount in yuan, negative for a fall, two decimals at most"))
                }
            case .count:
                switch NumberInput.integer(raw, range: 0...1_000_000) {
                case .success(let v): counts[field.key] = v
                case .failure:
                    problems.append(FieldProblem(field: field.key, zh: "“\(field.zh)”应为0至1000000的整数",
                                                 en: "\(field.en): a whole number from 0 to 1,000,000"))
                }
            case .quantity:
                switch NumberInput.quantity(raw) {
                case .success(let v): quantities[field.key] = v
                case .failure:
                    problems.append(FieldProblem(field: field.key, zh: "“\(field.zh)”应为不小于0的数量",
                                                 en: "\(field.en): a quantity, 0 or more"))
                }
            case .text:
                texts[field.key] = String(raw.prefix(2_000))
            }
        }
        guard problems.isEmpty else { return .failure(FieldProblems(problems)) }
        var i = f.inputs
        i.funds = fields.filter { $0.key.hasPrefix("fund-") && $0.key.hasSuffix("-opening") }.compactMap { field in
            let source = String(field.key.dropFirst(5).dropLast(8))
            guard let s = RevenueSource(rawValue: source) else { return nil }
            let flow = FundFlow(source: s, opening: amounts["fund-\(source)-opening"] ?? .zero,
                                received: amounts["fund-\(source)-received"] ?? .zero,
                                closing: amounts["fund-\(source)-closing"] ?? .zero)
            let empty = flow.opening == .zero && flow.received == .zero && flow.closing == .zero
            return empty && s != .generalPublicBudget && f.spent(from: s) == .zero ? nil : flow
        }
        for n in i.basicSpent.indices { i.basicSpent[n].amount = amounts["basic-\(n)"] ?? i.basicSpent[n].amount }
        i.threePublic = ThreePublicItems(outboundTravel: amounts["tp-outboundTravel"] ?? .zero,
                                         vehiclePurchase: amounts["tp-vehiclePurchase"] ?? .zero,
                                         vehicleOperation: amounts["tp-vehicleOperation"] ?? .zero,
                                         reception: amounts["tp-reception"] ?? .zero)
        i.counts = ThreePublicCounts(outboundGroups: counts["count-outboundGroups"] ?? 0,
                                     outboundPeople: counts["count-outboundPeople"] ?? 0,
                                     vehiclesBought: counts["count-vehiclesBought"] ?? 0,
                                     vehiclesKept: counts["count-vehiclesKept"] ?? 0,
                                     receptionBatches: counts["count-receptionBatches"] ?? 0,
                                     receptionPeople: counts["count-receptionPeople"] ?? 0)
        i.operatingCosts = amounts["operatingCosts"] ?? .zero
        i.procurement = ProcurementActual(goods: amounts["proc-goods"] ?? .zero, works: amounts["proc-works"] ?? .zero,
                                          services: amounts["proc-services"] ?? .zero,
                                          sme: amounts["proc-sme"] ?? .zero, statedTotal: amounts["stated-procurement"])
        i.statedChanges = [:]
        for item in ChangeItem.allCases {
            if let v = amounts["stated-change-\(item.rawValue)"] { i.statedChanges[item] = v }
        }
        func row(_ key: String) -> AssetRow {
            AssetRow(quantity: quantities["asset-\(key)-quantity"] ?? Quantity(0),
                     value: amounts["asset-\(key)-value"] ?? .zero)
        }
        i.assets = AssetHoldings(asOf: "\(f.fiscalYear)-12-31", total: row("total"), buildings: row("buildings"),
                                 officeSpace: row("officeSpace"), vehicles: row("vehicles"),
                                 highValueEquipment: row("highValueEquipment"), other: row("other"),
                                 plannedPurchases: i.assets.plannedPurchases)
        if blankPrior {
            i.prior = nil
        } else {
            func p(_ k: String) -> Fen { amounts["prior-\(k)"] ?? .zero }
            i.prior = PriorFinal(income: p("income"), expenditure: p("expenditure"), basic: p("basic"),
                                 project: p("project"),
                                 threePublic: ThreePublicItems(outboundTravel: p("outboundTravel"),
                                                               vehiclePurchase: p("vehiclePurchase"),
                                                               vehicleOperation: p("vehicleOperation"),
                                                               reception: p("reception")))
        }
        i.gapReasons = [:]
        i.texts = [:]
        i.dutyActuals = [:]
        for (key, text) in texts where !text.isEmpty {
            if key.hasPrefix("duty-") { i.dutyActuals?[String(key.dropFirst(5))] = text }
            if key.hasPrefix("gap-") { i.gapReasons[String(key.dropFirst(4))] = text }
            if key.hasPrefix("text-") { i.texts[String(key.dropFirst(5))] = text }
        }
        return .success(i)
    }

    /// The XLSX template / export: one sheet, one row per field (字段代码, 项目, 值), read back by `rows(from:)`.
    public static func sheetRows(_ f: FinalAccounts) -> [[String]] {
        [["字段代码 / key", "项目 / item", "值 / value（金额单位：元）"]] + fields(f).map { [$0.key, $0.zh, $0.value] }
    }
}
