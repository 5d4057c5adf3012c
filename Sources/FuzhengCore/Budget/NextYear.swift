/// Starting next year's budget from this year's: same structure and words, this year's figures
/// become the prior-year column, every stated total is re-derived, and it starts as a draft.
extension Budget {
    public func copiedForNextYear() -> Budget {
        var next = self
        next.fiscalYear = fiscalYear + 1
        next.status = .draft
        next.confirmations = nil
        // What is dated moves with the year: the budget year named in names, 资金文号, bases and sentences, and the
        // assets' date (the end of the year before the budget year). Earlier years stay, for TEXT-STALE-YEAR to flag.
        let dated = DatedTextRules.shared
        next.rewriteTextFields { dated.movingYear($0, from: fiscalYear, to: fiscalYear + 1) }
        if !assets.asOf.isEmpty { next.assets.asOf = "\(fiscalYear)-12-31" }
        next.prior = PriorYear(total: totalExpenditure, basic: basicExpenditure, project: projectExpenditure,
                               threePublic: threePublic.items, reasons: ChangeReasons(), statedChanges: [:])
        next.restateTotals()
        return next
    }

    /// Sets every stated total to what the lines add up to: a new year's starting point, or a clerk's
    /// explicit "recompute every total" on the figures form.
    public mutating func restateTotals() {
        stated = [:]
        threePublic.statedTotal = nil
        prior.statedChanges = [:]
        // Planned purchases of fixed assets are the goods in procurement, by definition.
        assets.plannedPurchases = procurementTotal(.goods)
        fillUnstatedTotals()
    }

    /// What the derived figure of a stated total is, for the forms and for `fillUnstatedTotals`.
    public func derived(_ figure: StatedFigure) -> Fen? {
        switch figure {
        case .totalRevenue: totalRevenue
        case .totalExpenditure: totalExpenditure
        case .basic: basicExpenditure
        case .personnel: personnelExpenditure
        case .publicUse: publicUseExpenditure
        case .project: projectExpenditure
        case .procurementTotal, .procurementUnitSubtotal: procurement.isEmpty ? nil : procurementTotal
        case .procurementSMEReserved: procurement.isEmpty ? nil : procurementSMEReserved
        case .assetsPriorYearEnd: assets.total.value
        }
    }

    /// A save keeps every total the clerk stated, so the sum rules compare it with its lines; only
    /// totals nobody stated are filled from the lines.
    public mutating func fillUnstatedTotals() {
        for figure in StatedFigure.allCases where stated[figure] == nil {
            stated[figure] = derived(figure)
        }
        if threePublic.statedTotal == nil { threePublic.statedTotal = threePublic.items.total }
        for item in ChangeItem.allCases where prior.statedChanges[item] == nil {
            prior.statedChanges[item] = change(item)
        }
    }
}
