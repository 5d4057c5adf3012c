/// Starting next year's budget from this year's: same structure and words, this year's figures
/// become the prior-year column, every stated total is re-derived, and it starts as a draft.
extension Budget {
    public func copiedForNextYear() -> Budget {
        var next = self
        next.fiscalYear = fiscalYear + 1
        next.status = .draft
        // Sentences the importer kept name their year; a new year must not repeat the old one.
        for (key, text) in next.narrative.notes {
            next.narrative.notes[key] = text.replacingOccurrences(of: "\(fiscalYear)年", with: "\(fiscalYear + 1)年")
        }
        next.prior = PriorYear(total: totalExpenditure, basic: basicExpenditure, project: projectExpenditure,
                               threePublic: threePublic.items, reasons: ChangeReasons(), statedChanges: [:])
        next.restateTotals()
        return next
    }

    /// Sets every stated total to what the lines add up to — what a form-prepared budget signs off.
    public mutating func restateTotals() {
        stated[.totalRevenue] = totalRevenue
        stated[.totalExpenditure] = totalExpenditure
        stated[.basic] = basicExpenditure
        stated[.personnel] = personnelExpenditure
        stated[.publicUse] = publicUseExpenditure
        stated[.project] = projectExpenditure
        if procurement.isEmpty {
            for f in [StatedFigure.procurementTotal, .procurementUnitSubtotal, .procurementSMEReserved] { stated[f] = nil }
        } else {
            stated[.procurementTotal] = procurementTotal
            stated[.procurementUnitSubtotal] = procurementTotal
            stated[.procurementSMEReserved] = procurementSMEReserved
        }
        stated[.assetsPriorYearEnd] = assets.total.value
        // Planned purchases of fixed assets are the goods in procurement, by definition.
        assets.plannedPurchases = procurementTotal(.goods)
        threePublic.statedTotal = threePublic.items.total
        for item in ChangeItem.allCases {
            prior.statedChanges[item] = change(item)
        }
    }
}
