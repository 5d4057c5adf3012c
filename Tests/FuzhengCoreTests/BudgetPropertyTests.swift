import FuzhengCore
import PropertyBased
import Testing

/// Budgets built consistently from random amounts pass every sum rule; moving any single amount
/// by one fen trips at least one.
@Suite("Sum rules, as properties")
struct BudgetPropertyTests {
    struct Inputs {
        var personnel: [Int]
        var publicUse: [Int]
        var projects: [Int]
        var quantities: [Int]
        var threePublic: [Int]
        var priorDelta: Int
    }

    /// Amounts in 分; projects get at least 1 万元 so their procurement (≤ 1% of the project) fits.
    static func budget(_ i: Inputs) -> Budget {
        var b = Budget(fiscalYear: 2024, department: OrgRef(code: "434", name: "测试部门"))
        b.units = [UnitProfileData(code: "434001", name: "测试单位", nature: "行政", grade: "正科级", fundingForm: "财政拨款（行政）")]
        for amount in i.personnel { b.expenditure.append(ExpenditureLine(kind: .basic, basicCategory: .personnel, amount: Fen(Int64(amount)))) }
        for amount in i.publicUse { b.expenditure.append(ExpenditureLine(kind: .basic, basicCategory: .publicUse, amount: Fen(Int64(amount)))) }
        for (n, amount) in i.projects.enumerated() {
            let code = "13073024P\(String(format: "%011d", n))Q"
            let value = Fen(Int64(amount) + Fen.perWan)
            b.projects.append(Project(code: code, name: "项目\(n)", amount: value, fiscalFunds: value - Fen(Int64(n)), otherFunds: Fen(Int64(n)),
                                      spendingPlan: [SpendingCheckpoint(month: 12, percent: 100)], target: "t"))
            b.expenditure.append(ExpenditureLine(kind: .project, projectCode: code, label: "项目\(n)支出", amount: value))
            let quantity = Quantity(Int64(i.quantities[n % i.quantities.count]))
            let price = Fen(value.value / 100 / max(1, quantity.thousandths / 1000))
            let lineAmount = quantity.times(price)
            b.procurement.append(ProcurementLine(projectName: "项目\(n)", projectCode: code, projectAmount: value, itemName: "台式计算机",
                                                 catalogCode: "A02010105", unitOfMeasure: "台", quantity: quantity, unitPrice: price,
                                                 amount: lineAmount, byFund: [.generalPublicBudget: lineAmount], smeReserved: lineAmount))
        }
        let total = b.totalExpenditure
        b.revenue = [RevenueLine(source: .generalPublicBudget, amount: total - Fen(7)), RevenueLine(source: .other, amount: Fen(7))]
        b.stated = [.totalRevenue: total, .totalExpenditure: total, .basic: b.basicExpenditure, .personnel: b.personnelExpenditure,
                    .publicUse: b.publicUseExpenditure, .project: b.projectExpenditure, .procurementTotal: b.procurementTotal,
                    .procurementUnitSubtotal: b.procurementTotal, .procurementSMEReserved: b.procurementSMEReserved]
        b.operatingCosts = OperatingCosts(amount: b.publicUseExpenditure, use: "办公")
        let t = i.threePublic.map { Fen(Int64($0)) }
        b.threePublic = ThreePublic(items: ThreePublicItems(outboundTravel: t[0], vehiclePurchase: t[1], vehicleOperation: t[2], reception: t[3]))
        b.threePublic.statedTotal = b.threePublic.items.total
        let d = Fen(Int64(i.priorDelta))
        b.prior = PriorYear(total: total + d, basic: b.basicExpenditure + d, project: b.projectExpenditure,
                            threePublic: ThreePublicItems(outboundTravel: t[0] + d, vehiclePurchase: t[1], vehicleOperation: t[2], reception: t[3]))
        for item in ChangeItem.allCases { b.prior.statedChanges[item] = b.change(item) }
        let goods = b.procurementTotal(.goods)
        b.assets = AssetHoldings(asOf: "2023-12-31", total: AssetRow(quantity: Quantity(12), value: goods + Fen(500)),
                                 vehicles: AssetRow(quantity: Quantity(2), value: Fen(500)), other: AssetRow(quantity: Quantity(10), value: goods),
                                 plannedPurchases: goods)
        b.stated[.assetsPriorYearEnd] = b.assets.total.value
        return b
    }

    /// Every amount a sum identity covers, each as a way to move it by a number of fen.
    static let amounts: [(String, @Sendable (inout Budget, Fen) -> Void)] = {
        var list: [(String, @Sendable (inout Budget, Fen) -> Void)] = [
            ("revenue[0]", { $0.revenue[0].amount = $0.revenue[0].amount + $1 }),
            ("revenue[1]", { $0.revenue[1].amount = $0.revenue[1].amount + $1 }),
            ("expenditure[0]", { $0.expenditure[0].amount = $0.expenditure[0].amount + $1 }),
            ("expenditure.last", { let i = $0.expenditure.count - 1; $0.expenditure[i].amount = $0.expenditure[i].amount + $1 }),
            ("expenditure.publicUse", { b, d in let i = b.expenditure.firstIndex { $0.basicCategory == .publicUse }!; b.expenditure[i].amount = b.expenditure[i].amount + d }),
            ("projects[0].amount", { $0.projects[0].amount = $0.projects[0].amount + $1 }),
            ("projects[0].fiscalFunds", { $0.projects[0].fiscalFunds = $0.projects[0].fiscalFunds + $1 }),
            ("projects[0].otherFunds", { $0.projects[0].otherFunds = $0.projects[0].otherFunds + $1 }),
            ("procurement[0].amount", { $0.procurement[0].amount = $0.procurement[0].amount + $1 }),
            ("procurement[0].unitPrice", { $0.procurement[0].unitPrice = $0.procurement[0].unitPrice + $1 }),
            ("procurement[0].byFund", { $0.procurement[0].byFund[.generalPublicBudget] = $0.procurement[0].byFund[.generalPublicBudget]! + $1 }),
            ("procurement[0].smeReserved", { $0.procurement[0].smeReserved = $0.procurement[0].smeReserved + $1 }),
            ("procurement[0].projectAmount", { $0.procurement[0].projectAmount = $0.procurement[0].projectAmount! + $1 }),
            ("operatingCosts", { $0.operatingCosts.amount = $0.operatingCosts.amount + $1 }),
            ("threePublic.statedTotal", { $0.threePublic.statedTotal = $0.threePublic.statedTotal! + $1 }),
            ("threePublic.outboundTravel", { $0.threePublic.items.outboundTravel = $0.threePublic.items.outboundTravel + $1 }),
            ("threePublic.vehiclePurchase", { $0.threePublic.items.vehiclePurchase = $0.threePublic.items.vehiclePurchase + $1 }),
            ("threePublic.vehicleOperation", { $0.threePublic.items.vehicleOperation = $0.threePublic.items.vehicleOperation + $1 }),
            ("threePublic.reception", { $0.threePublic.items.reception = $0.threePublic.items.reception + $1 }),
            ("prior.total", { $0.prior.total = $0.prior.total! + $1 }),
            ("prior.basic", { $0.prior.basic = $0.prior.basic! + $1 }),
            ("prior.project", { $0.prior.project = $0.prior.project! + $1 }),
            ("prior.threePublic.reception", { $0.prior.threePublic!.reception = $0.prior.threePublic!.reception + $1 }),
            ("prior.threePublic.vehicleOperation", { $0.prior.threePublic!.vehicleOperation = $0.prior.threePublic!.vehicleOperation + $1 }),
            ("assets.total", { $0.assets.total.value = $0.assets.total.value + $1 }),
            ("assets.vehicles", { $0.assets.vehicles.value = $0.assets.vehicles.value + $1 }),
            ("assets.other", { $0.assets.other.value = $0.assets.other.value + $1 }),
            ("assets.plannedPurchases", { $0.assets.plannedPurchases = $0.assets.plannedPurchases + $1 }),
        ]
        for figure in StatedFigure.allCases {
            list.append(("stated.\(figure.rawValue)", { $0.stated[figure] = $0.stated[figure]! + $1 }))
        }
        for item in ChangeItem.allCases {
            list.append(("prior.statedChanges.\(item.rawValue)", { $0.prior.statedChanges[item] = $0.prior.statedChanges[item]! + $1 }))
        }
        return list
    }()

    static let sumRules = RuleBook.all.filter { $0.id.hasPrefix("SUM-") || $0.id.hasPrefix("X-") }

    static let inputs = (
        Gen.int(in: 0...50_000_000).array(of: 1...3),
        Gen.int(in: 0...9_000_000).array(of: 1...3),
        Gen.int(in: 0...900_000_000).array(of: 1...4),
        Gen.int(in: 1...20).array(of: 1...3),
        Gen.int(in: 0...100_000).array(of: 4...4),
        Gen.int(in: -5_000_000...5_000_000)
    )

    @Test("consistently generated budgets pass every sum and cross-table rule")
    func consistentPasses() async {
        await propertyCheck(count: 200, input: Self.inputs.0, Self.inputs.1, Self.inputs.2, Self.inputs.3, Self.inputs.4, Self.inputs.5) { p, u, j, q, t, d in
            let b = Self.budget(Inputs(personnel: p, publicUse: u, projects: j, quantities: q, threePublic: t, priorDelta: d))
            let findings = RuleBook.check(b, rules: Self.sumRules)
            #expect(findings.isEmpty, "\(findings.map { "\($0.ruleID) \($0.path) \($0.messageEn)" })")
        }
    }

    @Test("moving any single amount by ±1 分 trips at least one sum or cross-table rule")
    func onePennyTrips() async {
        await propertyCheck(count: 200, input: Self.inputs.0, Self.inputs.1, Self.inputs.2, Self.inputs.3, Self.inputs.4, Self.inputs.5,
                            Gen.int(in: 0...(Self.amounts.count - 1)), Gen.bool) { p, u, j, q, t, d, which, up in
            var b = Self.budget(Inputs(personnel: p, publicUse: u, projects: j, quantities: q, threePublic: t, priorDelta: d))
            let (name, move) = Self.amounts[which]
            move(&b, Fen(up ? 1 : -1))
            #expect(!RuleBook.check(b, rules: Self.sumRules).isEmpty, "moving \(name) by \(up ? "+" : "-")1 分 went unnoticed")
        }
    }
}

import Foundation
