/// The figure-bearing sentences of a disclosure, generated from the budget. The words around the
/// figures follow the Huailai 2023 document; what the unit wrote itself (reasons, uses) is carried over.
public enum DisclosureSentences {
    static func w(_ f: Fen) -> String { MoneyFormat.wanInText(f) + "万元" }

    /// "减少25.85万元", "增加3万元"; a zero change borrows the direction of its total, as published documents do.
    static func change(_ delta: Fen, zeroWord: String = "减少") -> String {
        if delta < .zero { return "减少" + w(-delta) }
        if delta > .zero { return "增加" + w(delta) }
        return zeroWord + "0万元"
    }

    static func revenueLabel(_ source: RevenueSource) -> String {
        switch source {
        case .generalPublicBudget: "一般公共预算收入"
        case .governmentFund: "基金预算收入"
        case .stateCapital: "国有资本经营预算收入"
        case .specialAccount: "财政专户核拨收入"
        case .businessIncome: "事业收入"
        case .operatingIncome: "事业单位经营收入"
        case .superiorSubsidy: "上级补助收入"
        case .subordinateRemittance: "附属单位上缴收入"
        case .other: "其他来源收入"
        case .carryover: "上年结转收入"
        }
    }

    public static func revenue(_ b: Budget) -> String {
        let items = b.revenue.map { revenueLabel($0.source) + w($0.amount) }
        return "\(b.fiscalYear)年预算收入\(w(b.totalRevenue))" + (items.isEmpty ? "。" : "，其中：" + items.joined(separator: "，") + "。")
    }

    public static func expenditure(_ b: Budget) -> String {
        var s = "\(b.fiscalYear)年部门支出预算为\(w(b.totalExpenditure))，其中基本支出\(w(b.basicExpenditure))，"
            + "包括人员经费\(w(b.personnelExpenditure))和日常公用经费\(w(b.publicUseExpenditure))；项目支出\(w(b.projectExpenditure))"
        // A project kept as several lines (one per economic code) shares its label: the sentence names it once.
        var projects: [(label: String, amount: Fen)] = []
        for line in b.expenditure where line.kind == .project {
            let label = line.label ?? "项目支出"
            if let i = projects.firstIndex(where: { $0.label == label }) {
                projects[i].amount = projects[i].amount + line.amount
            } else {
                projects.append((label, line.amount))
            }
        }
        let items = projects.map { $0.label + w($0.amount) }
        if !items.isEmpty { s += "，主要为" + items.joined(separator: "、") }
        return s + "。"
    }

    public static func yearOverYear(_ b: Budget) -> String? {
        guard let total = b.change(.total) else { return nil }
        let word = total < .zero ? "减少" : "增加"
        var s = "\(b.fiscalYear)年，部门预算收支安排\(w(b.totalExpenditure))，"
            + (total == .zero ? "与上年持平" : "较上年" + change(total))
        var parts: [String] = []
        if let basic = b.change(.basic) {
            parts.append("基本支出" + change(basic, zeroWord: word) + (b.prior.reasons.basic.isEmpty ? "" : "，" + b.prior.reasons.basic))
        }
        if let project = b.change(.project) {
            parts.append("项目支出" + change(project, zeroWord: word) + (b.prior.reasons.project.isEmpty ? "" : "，" + b.prior.reasons.project))
        }
        if !parts.isEmpty { s += "，其中：" + parts.joined(separator: "；") }
        return s + "。"
    }

    public static func operatingCosts(_ b: Budget) -> String {
        "\(b.fiscalYear)年，我部门机关运行经费共计安排\(w(b.operatingCosts.amount))" + (b.operatingCosts.use.isEmpty ? "。" : "，" + b.operatingCosts.use)
    }

    public static func threePublic(_ b: Budget) -> String {
        let t = b.threePublic.items
        var s = "\(b.fiscalYear)年，\(b.department.name)财政拨款“三公”经费预算安排\(w(t.total))，其中：因公出国（境）费\(w(t.outboundTravel))；"
            + "公务用车购置及运维费\(w(t.vehicles))（其中：公务用车运行维护费\(w(t.vehicleOperation))，公务用车购置费\(w(t.vehiclePurchase))）；"
            + "公务接待费\(w(t.reception))。"
        guard let p = b.prior.threePublic else { return s }
        let total = t.total - p.total
        let word = total < .zero ? "减少" : "增加"
        s += "“三公”经费比上年" + (total == .zero ? "持平" : change(total))
        s += "，其中因公出国（境）费\(change(t.outboundTravel - p.outboundTravel, zeroWord: word))；"
            + "公务用车购置及运维费\(change(t.vehicles - p.vehicles, zeroWord: word))（其中：公务用车运行维护费\(change(t.vehicleOperation - p.vehicleOperation, zeroWord: word))，"
            + "公务用车购置费\(change(t.vehiclePurchase - p.vehiclePurchase, zeroWord: word))）；公务接待费\(change(t.reception - p.reception, zeroWord: word))"
        let reason = b.prior.reasons.threePublic
        return s + (reason.isEmpty ? "。" : "，原因为" + reason + "。")
    }

    public static func procurement(_ b: Budget) -> String {
        guard !b.procurement.isEmpty else { return "\(b.fiscalYear)年，我部门无政府采购预算。" }
        return "\(b.fiscalYear)年，我部门安排政府采购预算\(w(b.procurementTotal))。具体内容见下表。"
    }

    /// The breakdown the disclosure rules ask for (货物 / 工程 / 服务, SME share), which the seed leaves out.
    public static func procurementBreakdown(_ b: Budget) -> String? {
        guard !b.procurement.isEmpty else { return nil }
        return "其中：货物类\(w(b.procurementTotal(.goods)))，工程类\(w(b.procurementTotal(.works)))，服务类\(w(b.procurementTotal(.services)))；"
            + "预留中小微企业份额\(w(b.procurementSMEReserved))。"
    }

    public static func assets(_ b: Budget) -> String {
        let purpose = b.narrative.notes["assetsPurchase"].map { "，" + $0 } ?? "。"
        return "我部门上年末固定资产金额为\(w(b.assets.total.value))（详见下表），本年度拟购置固定资产总额为\(w(b.assets.plannedPurchases))" + purpose
    }
}
