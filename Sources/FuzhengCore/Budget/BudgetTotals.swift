/// Figures derived from a budget's lines; the rules compare these with what is stated.
extension Budget {
    public var totalRevenue: Fen { revenue.sum(\.amount) }
    public func revenue(from source: RevenueSource) -> Fen { revenue.filter { $0.source == source }.sum(\.amount) }

    public var totalExpenditure: Fen { expenditure.sum(\.amount) }
    public var basicExpenditure: Fen { expenditure.filter { $0.kind == .basic }.sum(\.amount) }
    public var projectExpenditure: Fen { expenditure.filter { $0.kind == .project }.sum(\.amount) }
    public var personnelExpenditure: Fen { expenditure.filter { $0.basicCategory == .personnel }.sum(\.amount) }
    public var publicUseExpenditure: Fen { expenditure.filter { $0.basicCategory == .publicUse }.sum(\.amount) }

    public var projectsTotal: Fen { projects.sum(\.amount) }
    public var procurementTotal: Fen { procurement.sum(\.amount) }
    public func procurementTotal(_ category: ProcurementCategory) -> Fen {
        procurement.filter { $0.category == category }.sum(\.amount)
    }
    public var procurementSMEReserved: Fen { procurement.sum(\.smeReserved) }

    /// Current − prior for an item, when the prior figure is known.
    public func change(_ item: ChangeItem) -> Fen? {
        let current: Fen
        let previous: Fen?
        switch item {
        case .total: (current, previous) = (totalExpenditure, prior.total)
        case .basic: (current, previous) = (basicExpenditure, prior.basic)
        case .project: (current, previous) = (projectExpenditure, prior.project)
        case .threePublicTotal: (current, previous) = (threePublic.items.total, prior.threePublic?.total)
        case .outboundTravel: (current, previous) = (threePublic.items.outboundTravel, prior.threePublic?.outboundTravel)
        case .vehicleTotal: (current, previous) = (threePublic.items.vehicles, prior.threePublic?.vehicles)
        case .vehiclePurchase: (current, previous) = (threePublic.items.vehiclePurchase, prior.threePublic?.vehiclePurchase)
        case .vehicleOperation: (current, previous) = (threePublic.items.vehicleOperation, prior.threePublic?.vehicleOperation)
        case .reception: (current, previous) = (threePublic.items.reception, prior.threePublic?.reception)
        }
        return previous.map { current - $0 }
    }
}
