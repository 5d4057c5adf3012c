/// Figures beyond anything a form accepts (more than 10^8 万元 in one figure) can only have come from
/// elsewhere — an old import, a database edit, a file. They are errors, so such a budget cannot be
/// approved or published, and every page still shows it (arithmetic saturates, never traps).
enum RangeRules {
    static let all: [Rule] = [
        Rule("AMT-RANGE", .error, zh: "每个金额不超过10^8万元", en: "every amount is within 10^8 万元") { b, _, sink in
            for (path, amount) in b.statedAndLineAmounts where !amount.isWithinStatedRange {
                sink.report(path, zh: "金额\(MoneyFormat.wan(amount))万元超出允许范围（单个金额最多\(MoneyFormat.wanInText(Fen.maxStated))万元）",
                            en: "the amount \(MoneyFormat.wan(amount)) 万元 is out of range (at most \(MoneyFormat.wanInText(Fen.maxStated)) 万元)")
            }
            let totals: [(String, Fen)] = [("revenue", b.totalRevenue), ("expenditure", b.totalExpenditure),
                                           ("procurement", b.procurementTotal), ("three_public", b.threePublic.items.total)]
            for (path, total) in totals where !total.isWithinStatedRange {
                sink.report(path, zh: "合计\(MoneyFormat.wan(total))万元超出允许范围", en: "the total \(MoneyFormat.wan(total)) 万元 is out of range")
            }
        },
    ]
}

extension Budget {
    /// Every amount a budget states or lists, with the path a finding names it by.
    var statedAndLineAmounts: [(String, Fen)] {
        var out: [(String, Fen)] = []
        out += revenue.enumerated().map { ("revenue[\($0.offset)]", $0.element.amount) }
        out += expenditure.enumerated().map { ("expenditure[\($0.offset)]", $0.element.amount) }
        for p in projects {
            out += [("projects[\(p.code)].amount", p.amount), ("projects[\(p.code)].fiscal_funds", p.fiscalFunds),
                    ("projects[\(p.code)].other_funds", p.otherFunds)]
        }
        for (i, l) in procurement.enumerated() {
            out += [("procurement[\(i)].unit_price", l.unitPrice), ("procurement[\(i)].amount", l.amount),
                    ("procurement[\(i)].sme_reserved", l.smeReserved)]
            out += l.byFund.map { ("procurement[\(i)].by_fund.\($0.key.rawValue)", $0.value) }
            if let p = l.projectAmount { out.append(("procurement[\(i)].project_amount", p)) }
        }
        out += stated.map { ("stated.\($0.key.rawValue)", $0.value) }
        out += prior.statedChanges.map { ("changes.\($0.key.rawValue)", $0.value) }
        out += [("prior.total", prior.total), ("prior.basic", prior.basic), ("prior.project", prior.project),
                ("three_public.stated_total", threePublic.statedTotal)].compactMap { p in p.1.map { (p.0, $0) } }
        let t = threePublic.items
        out += [("three_public.outbound_travel", t.outboundTravel), ("three_public.vehicle_purchase", t.vehiclePurchase),
                ("three_public.vehicle_operation", t.vehicleOperation), ("three_public.reception", t.reception),
                ("operating_costs", operatingCosts.amount), ("assets.planned_purchases", assets.plannedPurchases),
                ("assets.total", assets.total.value), ("assets.buildings", assets.buildings.value),
                ("assets.office_space", assets.officeSpace.value), ("assets.vehicles", assets.vehicles.value),
                ("assets.high_value_equipment", assets.highValueEquipment.value), ("assets.other", assets.other.value)]
        return out
    }
}
