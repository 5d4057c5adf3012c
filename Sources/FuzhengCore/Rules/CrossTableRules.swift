/// Figures that appear in two places of a disclosure must agree.
enum CrossTableRules {
    static let all: [Rule] = [
        Rule("X-ASSET-PURCHASE", .error, zh: "拟购置固定资产 = 政府采购预算中的货物类", en: "planned asset purchases = goods in procurement") { b, _, sink in
            let goods = b.procurementTotal(.goods)
            guard b.assets.plannedPurchases != goods else { return }
            sink.report("assets.plannedPurchases",
                        zh: "本年度拟购置固定资产\(b.assets.plannedPurchases.readable)，而政府采购预算中货物类（A类）合计\(goods.readable)",
                        en: "planned fixed-asset purchases are \(b.assets.plannedPurchases.readable) but goods (A) in procurement add up to \(goods.readable)")
        },
        Rule("X-OPERATING-COSTS", .warning, zh: "行政单位的机关运行经费与日常公用经费一致", en: "operating costs of an administrative unit match its public-use spending") { b, _, sink in
            let administrative = !b.units.isEmpty && b.units.allSatisfy { $0.nature == "行政" || $0.nature.hasPrefix("参照公务员法") }
            guard administrative else { return }
            let publicUse = b.stated[.publicUse] ?? b.publicUseExpenditure
            guard b.operatingCosts.amount != publicUse else { return }
            sink.report("operatingCosts.amount",
                        zh: "行政单位机关运行经费\(b.operatingCosts.amount.readable)与日常公用经费\(publicUse.readable)不一致，请说明差异",
                        en: "operating costs \(b.operatingCosts.amount.readable) differ from public-use spending \(publicUse.readable) for an administrative unit; explain the difference")
        },
        Rule("X-3PUBLIC-WITHIN", .error, zh: "“三公”经费不超过基本支出与项目支出的财政拨款", en: "three public costs fit within appropriated spending") { b, _, sink in
            let appropriated = b.expenditure.filter { $0.fundSource.isFiscalAppropriation }.sum(\.amount)
            guard !b.expenditure.isEmpty, b.threePublic.items.total > appropriated else { return }
            sink.report("threePublic", zh: "“三公”经费\(b.threePublic.items.total.readable)超过财政拨款支出\(appropriated.readable)",
                        en: "three public costs \(b.threePublic.items.total.readable) exceed appropriated spending \(appropriated.readable)")
        },
    ]
}
