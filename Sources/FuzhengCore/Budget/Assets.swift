/// 固定资产占用情况: holdings at a date by category, and the purchases planned this year.
public struct AssetHoldings: Sendable, Codable, Equatable {
    /// The date of the holdings, yyyy-MM-dd (截止时间).
    public var asOf: String
    public var total: AssetRow
    public var buildings: AssetRow            // 房屋（平方米）
    public var officeSpace: AssetRow          // 其中：办公用房（平方米）
    public var vehicles: AssetRow             // 车辆（台、辆）
    public var highValueEquipment: AssetRow   // 单价在20万元以上设备
    public var other: AssetRow                // 其他固定资产
    /// 本年度拟购置固定资产总额.
    public var plannedPurchases: Fen

    public init(asOf: String = "", total: AssetRow = .init(), buildings: AssetRow = .init(), officeSpace: AssetRow = .init(),
                vehicles: AssetRow = .init(), highValueEquipment: AssetRow = .init(), other: AssetRow = .init(),
                plannedPurchases: Fen = .zero) {
        self.asOf = asOf
        self.total = total
        self.buildings = buildings
        self.officeSpace = officeSpace
        self.vehicles = vehicles
        self.highValueEquipment = highValueEquipment
        self.other = other
        self.plannedPurchases = plannedPurchases
    }

    /// The categories that add up to the total (office space is part of buildings).
    public var categories: [AssetRow] { [buildings, vehicles, highValueEquipment, other] }
}

public struct AssetRow: Sendable, Codable, Equatable {
    public var quantity: Quantity
    public var value: Fen
    public init(quantity: Quantity = Quantity(0), value: Fen = .zero) { self.quantity = quantity; self.value = value }
}

/// The words of a disclosure that the unit writes itself.
public struct Narrative: Sendable, Codable, Equatable {
    public var duties: String
    public var overallTarget: String
    public var dutyTargets: [String]
    public var otherNotes: String
    public var glossary: [GlossaryEntry]
    /// Sentences that stand between the figures (e.g. 收入说明's opening), carried over as written.
    public var notes: [String: String]

    public init(duties: String = "", overallTarget: String = "", dutyTargets: [String] = [], otherNotes: String = "",
                glossary: [GlossaryEntry] = [], notes: [String: String] = [:]) {
        self.duties = duties
        self.overallTarget = overallTarget
        self.dutyTargets = dutyTargets
        self.otherNotes = otherNotes
        self.glossary = glossary
        self.notes = notes
    }
}

public struct GlossaryEntry: Sendable, Codable, Equatable {
    public var term: String
    public var definition: String
    public init(term: String, definition: String) { self.term = term; self.definition = definition }
}
