/// The fund columns of the 政府采购预算表.
public enum ProcurementFund: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case generalPublicBudget = "general_public_budget"   // 一般公共预算拨款
    case governmentFund = "government_fund"              // 基金预算拨款
    case stateCapital = "state_capital"                  // 国有资本经营预算拨款
    case specialAccount = "special_account"              // 财政专户核拨
    case unitFunds = "unit_funds"                        // 单位资金
    case fiscalCarryover = "fiscal_carryover"            // 财政拨款结转
    case nonFiscalCarryover = "non_fiscal_carryover"     // 非财政拨款结转结余

    public var nameZh: String {
        switch self {
        case .generalPublicBudget: "一般公共预算拨款"
        case .governmentFund: "基金预算拨款"
        case .stateCapital: "国有资本经营预算拨款"
        case .specialAccount: "财政专户核拨"
        case .unitFunds: "单位资金"
        case .fiscalCarryover: "财政拨款结转"
        case .nonFiscalCarryover: "非财政拨款结转结余"
        }
    }
}

/// One line of the 政府采购预算表.
public struct ProcurementLine: Sendable, Codable, Equatable {
    public var projectName: String
    public var projectCode: String?
    /// The project's budget as the table repeats it.
    public var projectAmount: Fen?
    public var itemName: String
    /// 政府采购品目分类目录 code (2022 edition), e.g. A02010105.
    public var catalogCode: String
    public var unitOfMeasure: String
    public var quantity: Quantity
    public var unitPrice: Fen
    public var amount: Fen
    public var byFund: [ProcurementFund: Fen]
    /// 预留中小微企业份额.
    public var smeReserved: Fen

    public init(projectName: String, projectCode: String? = nil, projectAmount: Fen? = nil, itemName: String, catalogCode: String,
                unitOfMeasure: String, quantity: Quantity, unitPrice: Fen, amount: Fen, byFund: [ProcurementFund: Fen],
                smeReserved: Fen) {
        self.projectName = projectName
        self.projectCode = projectCode
        self.projectAmount = projectAmount
        self.itemName = itemName
        self.catalogCode = catalogCode
        self.unitOfMeasure = unitOfMeasure
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.byFund = byFund
        self.smeReserved = smeReserved
    }

    /// 货物 (A), 工程 (B) or 服务 (C), from the catalog code's letter.
    public var category: ProcurementCategory? { catalogCode.first.flatMap { ProcurementCategory(rawValue: String($0)) } }
}

public enum ProcurementCategory: String, Sendable, Codable, CaseIterable {
    case goods = "A"
    case works = "B"
    case services = "C"

    public var nameZh: String {
        switch self {
        case .goods: "货物"
        case .works: "工程"
        case .services: "服务"
        }
    }
}
