/// A 部门's budget is its units' budgets together: lines side by side, figures added.
extension Budget {
    /// Rolls unit budgets of one year up to their department. The narrative comes from the first
    /// unit (the department's own office, by convention); every amount is the exact sum.
    public static func rollUp(_ units: [Budget], department: OrgRef) -> Budget? {
        guard let first = units.first, units.allSatisfy({ $0.fiscalYear == first.fiscalYear }) else { return nil }
        var d = Budget(fiscalYear: first.fiscalYear, department: department, narrative: first.narrative)
        d.status = units.map(\.status).min { BudgetStatus.allCases.firstIndex(of: $0)! < BudgetStatus.allCases.firstIndex(of: $1)! } ?? .draft
        d.operatingCosts.use = first.operatingCosts.use
        d.assets.asOf = first.assets.asOf
        for u in units {
            d.units += u.units
            d.revenue += u.revenue
            d.expenditure += u.expenditure
            d.projects += u.projects
            d.procurement += u.procurement
            d.operatingCosts.amount = d.operatingCosts.amount + u.operatingCosts.amount
            d.threePublic.items = d.threePublic.items.adding(u.threePublic.items)
            d.assets = d.assets.adding(u.assets)
        }
        d.revenue = RevenueSource.allCases.compactMap { source in
            let lines = d.revenue.filter { $0.source == source }
            return lines.isEmpty ? nil : RevenueLine(source: source, amount: lines.sum(\.amount))
        }
        func sumOptional(_ values: [Fen?]) -> Fen? {
            values.contains(where: { $0 == nil }) ? nil : values.compactMap { $0 }.sum()
        }
        d.prior.total = sumOptional(units.map(\.prior.total))
        d.prior.basic = sumOptional(units.map(\.prior.basic))
        d.prior.project = sumOptional(units.map(\.prior.project))
        let priorThree = units.map(\.prior.threePublic)
        if priorThree.allSatisfy({ $0 != nil }) {
            d.prior.threePublic = priorThree.compactMap { $0 }.reduce(ThreePublicItems()) { $0.adding($1) }
        }
        d.prior.reasons = first.prior.reasons
        for item in ChangeItem.allCases {
            d.prior.statedChanges[item] = sumOptional(units.map { $0.prior.statedChanges[item] })
        }
        for figure in StatedFigure.allCases {
            d.stated[figure] = sumOptional(units.map { $0.stated[figure] })
        }
        if units.allSatisfy({ $0.threePublic.statedTotal != nil }) {
            d.threePublic.statedTotal = units.compactMap(\.threePublic.statedTotal).sum()
        }
        return d
    }
}

extension ThreePublicItems {
    func adding(_ o: ThreePublicItems) -> ThreePublicItems {
        ThreePublicItems(outboundTravel: outboundTravel + o.outboundTravel, vehiclePurchase: vehiclePurchase + o.vehiclePurchase,
                         vehicleOperation: vehicleOperation + o.vehicleOperation, reception: reception + o.reception)
    }
}

extension AssetRow {
    func adding(_ o: AssetRow) -> AssetRow {
        AssetRow(quantity: Quantity(thousandths: quantity.thousandths + o.quantity.thousandths), value: value + o.value)
    }
}

extension AssetHoldings {
    func adding(_ o: AssetHoldings) -> AssetHoldings {
        AssetHoldings(asOf: asOf, total: total.adding(o.total), buildings: buildings.adding(o.buildings),
                      officeSpace: officeSpace.adding(o.officeSpace), vehicles: vehicles.adding(o.vehicles),
                      highValueEquipment: highValueEquipment.adding(o.highValueEquipment), other: other.adding(o.other),
                      plannedPurchases: plannedPurchases + o.plannedPurchases)
    }
}
