import Foundation

/// The 部门决算公开情况说明: every figure generated from `FinalAccounts`, the unit's own reasons carried over, and every
/// table. It is a `Disclosure`, so every format the budget has (HTML, DOCX, XLSX, CSV, JSON, PDF) renders it.
public enum FinalDisclosure {
    static func w(_ f: Fen) -> String { MoneyFormat.wanInText(f) + "万元" }

    /// "增加3万元", "减少25.85万元"; nothing changed is "持平", never "减少0万元".
    static func change(_ delta: Fen) -> String {
        if delta < .zero { return "减少" + w(-delta) }
        if delta > .zero { return "增加" + w(delta) }
        return "持平"
    }

    static func versus(_ what: String, _ delta: Fen?) -> String? {
        guard let delta else { return nil }
        return delta == .zero ? "\(what)与上年持平" : "\(what)比上年\(change(delta))"
    }

    /// "完成调整后预算的97.50%".
    static func rate(_ final: Fen, of budget: Fen) -> String {
        guard let bp = ExecutionProgress.rate(paid: final, budget: budget) else { return "" }
        return "，完成调整后预算的" + SupervisionStatistics.percentText(bp)
    }

    public static func build(_ f: FinalAccounts, catalogs: Catalogs = .shared) -> Disclosure {
        let year = f.fiscalYear, name = f.department.name, texts = f.inputs.texts
        let b = f.budget
        var sections: [DisclosureSection] = []
        sections.append(DisclosureSection(number: "一", heading: "部门职责及机构设置情况", blocks:
            [.subheading("部门职责：")] + paragraphs(b.narrative.duties)
            + [.subheading("部门机构设置："), .table("units")]))

        var overview: [String] = []
        var s = "\(year)年度收入总计\(w(f.totalIncome + f.openingBalance))，支出总计\(w(f.totalExpenditure + f.closingBalance))。"
        if let delta = f.change(.total) {
            s += "本年支出合计\(w(f.totalExpenditure))，" + (delta == .zero ? "与上年持平" : "比上年\(change(delta))")
            if let reason = texts["total"], !reason.isEmpty { s += "，主要原因是" + reason }
            s += "。"
        }
        overview.append(s)
        sections.append(DisclosureSection(number: "二", heading: "收入支出决算总体情况说明",
                                          blocks: overview.map { .paragraph($0) } + [.table("f01-income-expenditure")]))

        let incomeItems = FinalTables.sources.filter { f.income(from: $0.1) != .zero }
            .map { src -> String in
                let share = share(f.income(from: src.1), of: f.totalIncome)
                return "\(src.0)\(w(f.income(from: src.1)))，占\(share)"
            }
        sections.append(DisclosureSection(number: "三", heading: "收入决算情况说明", blocks: [
            .paragraph("\(year)年度本年收入合计\(w(f.totalIncome))"
                       + (incomeItems.isEmpty ? "。" : "，其中：" + incomeItems.joined(separator: "；") + "。")),
            .table("f02-income"),
        ]))

        var spend = "\(year)年度本年支出合计\(w(f.totalExpenditure))，其中：基本支出\(w(f.basicExpenditure))，"
            + "占\(share(f.basicExpenditure, of: f.totalExpenditure))；项目支出\(w(f.projectExpenditure))，"
            + "占\(share(f.projectExpenditure, of: f.totalExpenditure))。"
        let parts = [versus("基本支出", f.change(.basic)).map { $0 + reason(texts["basic"]) },
                     versus("项目支出", f.change(.project)).map { $0 + reason(texts["project"]) }].compactMap { $0 }
        if !parts.isEmpty { spend += parts.joined(separator: "；") + "。" }
        sections.append(DisclosureSection(number: "四", heading: "支出决算情况说明",
                                          blocks: [.paragraph(spend), .table("f03-expenditure")]))

        let gp = f.inputs.fund(.generalPublicBudget)
        sections.append(DisclosureSection(number: "五", heading: "财政拨款收入支出决算总体情况说明", blocks: [
            .paragraph("\(year)年度财政拨款收入\(w(f.appropriationIncome))，财政拨款支出\(w(f.appropriationSpent))；"
                       + "其中一般公共预算财政拨款年初结转和结余\(w(gp.opening))，本年收入\(w(gp.received))，"
                       + "本年支出\(w(f.spent(from: .generalPublicBudget)))，年末结转和结余\(w(gp.closing))。"),
            .table("f04-appropriation"),
        ]))

        let comparisons = f.generalPublicComparison(catalogs)
        let adjustedTotal = comparisons.sum(\.adjusted), finalTotal = comparisons.sum(\.final)
        var gpBlocks: [DisclosureBlock] = [
            .paragraph("\(year)年度一般公共预算财政拨款支出\(w(finalTotal))" + rate(finalTotal, of: adjustedTotal)
                       + "（年初预算\(w(comparisons.sum(\.budget)))，调整后预算\(w(adjustedTotal))）。"),
        ]
        for c in comparisons {
            var line = "\(c.code.isEmpty ? "" : c.code)\(c.name)：年初预算\(w(c.budget))，调整后预算\(w(c.adjusted))，"
                + "决算\(w(c.final))" + rate(c.final, of: c.adjusted)
            if let reason = f.inputs.gapReasons[c.code.isEmpty ? c.name : c.code], !reason.isEmpty {
                line += "。决算数与预算数存在差异的主要原因是" + reason
            }
            gpBlocks.append(.paragraph(line + "。"))
        }
        gpBlocks.append(.table("f05-general-public"))
        sections.append(DisclosureSection(number: "六", heading: "一般公共预算财政拨款支出决算情况说明",
                                          blocks: gpBlocks))

        let basic = f.actual.filter { $0.fundSource == .generalPublicBudget && $0.kind == .basic }
        sections.append(DisclosureSection(number: "七", heading: "一般公共预算财政拨款基本支出决算情况说明", blocks: [
            .paragraph("\(year)年度一般公共预算财政拨款基本支出\(w(basic.sum(\.amount)))，其中：人员经费"
                       + "\(w(basic.filter { $0.basicCategory == .personnel }.sum(\.amount)))，公用经费"
                       + "\(w(basic.filter { $0.basicCategory == .publicUse }.sum(\.amount)))。"),
            .table("f06-general-public-basic"),
        ]))

        sections.append(DisclosureSection(number: "八", heading: "财政拨款“三公”经费支出决算情况说明",
                                          blocks: [.paragraph(threePublic(f)), .table("f09-three-public")]))

        sections.append(DisclosureSection(number: "九", heading: "政府性基金预算和国有资本经营预算财政拨款支出决算情况说明",
                                          blocks: [.table("f07-government-fund"), .table("f08-state-capital")]))

        let oc = f.inputs.operatingCosts, ocBudget = b.operatingCosts.amount
        sections.append(DisclosureSection(number: "十", heading: "机关运行经费支出情况说明", blocks: [
            .paragraph("\(year)年度机关运行经费支出\(w(oc))，" + (oc == ocBudget ? "与预算持平"
                       : "比预算\(change(oc - ocBudget))") + reason(texts["operatingCosts"]) + "。"),
        ]))

        let p = f.inputs.procurement
        sections.append(DisclosureSection(number: "十一", heading: "政府采购支出情况说明", blocks: [
            .paragraph(p.total == .zero ? "\(year)年度\(name)无政府采购支出。"
                : "\(year)年度政府采购支出总额\(w(p.total))，其中：政府采购货物支出\(w(p.goods))，政府采购工程支出"
                    + "\(w(p.works))，政府采购服务支出\(w(p.services))。授予中小企业合同金额\(w(p.sme))，"
                    + "占政府采购支出总额的\(share(p.sme, of: p.total))。"),
        ]))

        let x = f.inputs.assets
        sections.append(DisclosureSection(number: "十二", heading: "国有资产占用情况说明", blocks: [
            .paragraph("截至\(year)年12月31日，\(name)固定资产总额\(w(x.total.value))，其中：房屋"
                       + "\(x.buildings.quantity)平方米（办公用房\(x.officeSpace.quantity)平方米），车辆\(x.vehicles.quantity)辆，"
                       + "单价在20万元以上设备\(x.highValueEquipment.quantity)台（套）。"),
            .table("assets"),
        ]))

        var evaluation: [DisclosureBlock] = []
        if f.evaluations.isEmpty {
            evaluation.append(.paragraph("\(year)年度项目支出绩效自评尚未发布。"))
        } else {
            let grades = EvaluationRules.shared.grades.map(\.name).compactMap { g -> String? in
                let n = f.evaluations.filter { $0.grade == g }.count
                return n == 0 ? nil : "\(g)\(n)个"
            }.joined(separator: "、")
            evaluation.append(.paragraph("\(year)年度\(name)对\(f.evaluations.count)个项目开展了绩效自评，"
                                         + "结果为\(grades)。"))
        }
        evaluation.append(.table("evaluations"))
        let department = DepartmentEvaluation.make(f)
        var overall = "\(year)年度部门预算执行率" + SupervisionStatistics.percentText(department.executionRate)
        if let score = department.score, let grade = department.grade {
            overall += "，项目支出绩效自评按调整后预算加权平均得分\(SelfEvaluation.shown(score))分，等级为“\(grade)”"
        }
        let graded = department.duties.filter { $0.grade != nil }
        if !graded.isEmpty {
            overall += "；职责分类绩效目标" + graded.map { d in
                "“\(d.text.prefix(12))…”完成\(d.actual)，为“\(d.grade ?? "")”"
            }.joined(separator: "，")
        }
        evaluation += [.subheading("部门整体支出绩效自评："), .paragraph(overall + "。"), .table("department-evaluation")]
        sections.append(DisclosureSection(number: "十三", heading: "预算绩效情况说明", blocks: evaluation))

        sections.append(DisclosureSection(number: "十四", heading: "名词解释", blocks:
            b.narrative.glossary.enumerated().map {
                .paragraph("\($0.offset + 1)、\($0.element.term)：\($0.element.definition)")
            }))
        let other = texts["notes"] ?? ""
        sections.append(DisclosureSection(number: "十五", heading: "其他需要说明的事项", blocks:
            paragraphs(other.isEmpty ? "我部门无其他需要说明的事项。" : other)))

        let tables = [StandardTables.units(b)] + FinalTables.all(f, catalogs: catalogs) + [assets(f),
                                                                                        department.table(f)]
        return Disclosure(fiscalYear: year, department: f.department,
                          title: "\(name)\n\(year)年度部门决算公开情况说明",
                          intro: texts["intro"] ?? "按照《中华人民共和国预算法》和《地方预决算公开操作规程》规定，现将"
                            + "\(name)\(year)年度部门决算公开如下：",
                          sections: sections, tables: tables)
    }

    static func threePublic(_ f: FinalAccounts) -> String {
        let x = f.inputs.threePublic, bud = f.budget.threePublic.items, c = f.inputs.counts
        var s = "\(f.fiscalYear)年度财政拨款“三公”经费支出\(w(x.total))，"
            + (x.total == bud.total ? "与预算持平" : "比预算\(change(x.total - bud.total))")
            + reason(f.inputs.texts["threePublicGap"]) + "。其中：因公出国（境）费\(w(x.outboundTravel))，"
            + "组织因公出国（境）团组\(c.outboundGroups)个、\(c.outboundPeople)人次；公务用车购置及运行维护费\(w(x.vehicles))，"
            + "其中公务用车购置费\(w(x.vehiclePurchase))（购置\(c.vehiclesBought)辆），公务用车运行维护费\(w(x.vehicleOperation))"
            + "（年末保有\(c.vehiclesKept)辆）；公务接待费\(w(x.reception))，国内公务接待\(c.receptionBatches)批次、"
            + "\(c.receptionPeople)人次。"
        if let v = versus("“三公”经费支出", f.change(.threePublicTotal)) {
            s += v + reason(f.inputs.texts["threePublic"]) + "。"
        }
        return s
    }

    static func assets(_ f: FinalAccounts) -> ReportTable {
        var b = f.budget
        b.assets = f.inputs.assets
        if b.assets.asOf.isEmpty { b.assets.asOf = "\(f.fiscalYear)-12-31" }
        var table = StandardTables.assets(b)
        table.title = "\(f.department.name)\(f.fiscalYear)年末固定资产占用情况表"
        return table
    }

    static func reason(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        return "，主要原因是" + text
    }

    /// "12.34%" of a whole, truncated to two places (a share never rounds up past its part).
    static func share(_ part: Fen, of whole: Fen) -> String {
        SupervisionStatistics.percentText(ExecutionProgress.rate(paid: part, budget: whole) ?? 0)
    }

    static func paragraphs(_ text: String) -> [DisclosureBlock] {
        text.split(separator: "\n").map { .paragraph(String($0)) }
    }
}
