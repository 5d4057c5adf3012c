/// A unit's (or a department's) budget for one fiscal year: every figure and statement its
/// disclosure needs, as data.
public struct Budget: Sendable, Codable, Equatable {
    public var schemaVersion: Int = 1
    public var fiscalYear: Int
    /// The disclosing body: a 部门 (several units) or one 单位.
    public var department: OrgRef
    public var units: [UnitProfileData]
    public var status: BudgetStatus
    public var revenue: [RevenueLine]
    public var expenditure: [ExpenditureLine]
    public var prior: PriorYear
    public var operatingCosts: OperatingCosts
    public var threePublic: ThreePublic
    public var projects: [Project]
    public var procurement: [ProcurementLine]
    public var assets: AssetHoldings
    public var narrative: Narrative
    public var stated: [StatedFigure: Fen]
    /// Findings a clerk confirmed as intended; optional so budgets stored before it decode unchanged.
    public var confirmations: [FindingConfirmation]?

    public init(fiscalYear: Int, department: OrgRef, units: [UnitProfileData] = [], status: BudgetStatus = .draft,
                revenue: [RevenueLine] = [], expenditure: [ExpenditureLine] = [], prior: PriorYear = .init(),
                operatingCosts: OperatingCosts = .init(), threePublic: ThreePublic = .init(), projects: [Project] = [],
                procurement: [ProcurementLine] = [], assets: AssetHoldings = .init(), narrative: Narrative = .init(),
                stated: [StatedFigure: Fen] = [:]) {
        self.fiscalYear = fiscalYear
        self.department = department
        self.units = units
        self.status = status
        self.revenue = revenue
        self.expenditure = expenditure
        self.prior = prior
        self.operatingCosts = operatingCosts
        self.threePublic = threePublic
        self.projects = projects
        self.procurement = procurement
        self.assets = assets
        self.narrative = narrative
        self.stated = stated
    }
}

public struct OrgRef: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// A row of the 机构设置 table.
public struct UnitProfileData: Sendable, Codable, Equatable {
    public var code: String?
    public var name: String
    public var nature: String
    public var grade: String
    public var fundingForm: String
    public init(code: String? = nil, name: String, nature: String, grade: String, fundingForm: String) {
        self.code = code; self.name = name; self.nature = nature; self.grade = grade; self.fundingForm = fundingForm
    }
}

public enum BudgetStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case submitted
    case unitApproved = "unit_approved"
    case financeReviewed = "finance_reviewed"
    case approved
    case published
}

/// 收入来源.
public enum RevenueSource: String, Sendable, Codable, CaseIterable {
    case generalPublicBudget = "general_public_budget"          // 一般公共预算拨款
    case governmentFund = "government_fund"                     // 政府性基金预算拨款
    case stateCapital = "state_capital"                         // 国有资本经营预算拨款
    case specialAccount = "special_account"                     // 财政专户管理资金（财政专户核拨）
    case businessIncome = "business_income"                     // 事业收入
    case operatingIncome = "operating_income"                   // 事业单位经营收入
    case superiorSubsidy = "superior_subsidy"                   // 上级补助收入
    case subordinateRemittance = "subordinate_remittance"       // 附属单位上缴收入
    case other = "other"                                        // 其他收入
    case carryover = "carryover"                                // 上年结转结余

    public var nameZh: String {
        switch self {
        case .generalPublicBudget: "一般公共预算拨款"
        case .governmentFund: "政府性基金预算拨款"
        case .stateCapital: "国有资本经营预算拨款"
        case .specialAccount: "财政专户管理资金"
        case .businessIncome: "事业收入"
        case .operatingIncome: "事业单位经营收入"
        case .superiorSubsidy: "上级补助收入"
        case .subordinateRemittance: "附属单位上缴收入"
        case .other: "其他收入"
        case .carryover: "上年结转结余"
        }
    }

    /// 财政拨款: money appropriated by the finance bureau (the 三公 and 财政拨款 tables count only these).
    public var isFiscalAppropriation: Bool {
        switch self {
        case .generalPublicBudget, .governmentFund, .stateCapital: true
        default: false
        }
    }
}

public struct RevenueLine: Sendable, Codable, Equatable {
    public var source: RevenueSource
    public var amount: Fen
    public init(source: RevenueSource, amount: Fen) { self.source = source; self.amount = amount }
}

public enum ExpenditureKind: String, Sendable, Codable, CaseIterable {
    case basic      // 基本支出
    case project    // 项目支出
}

public enum BasicCategory: String, Sendable, Codable, CaseIterable {
    case personnel  // 人员经费
    case publicUse = "public_use"  // 日常公用经费
}

/// One expenditure line: function × economic classification × basic/project × fund source.
/// Classifications are optional because published disclosures often state only the totals.
public struct ExpenditureLine: Sendable, Codable, Equatable {
    public var kind: ExpenditureKind
    public var basicCategory: BasicCategory?
    public var projectCode: String?
    /// The line's name as the disclosure words it (e.g. 电子政务办公平台建设支出).
    public var label: String?
    public var functionCode: String?
    public var economicCode: String?
    public var governmentEconomicCode: String?
    public var fundSource: RevenueSource
    public var amount: Fen

    public init(kind: ExpenditureKind, basicCategory: BasicCategory? = nil, projectCode: String? = nil, label: String? = nil,
                functionCode: String? = nil, economicCode: String? = nil, governmentEconomicCode: String? = nil,
                fundSource: RevenueSource = .generalPublicBudget, amount: Fen) {
        self.kind = kind
        self.basicCategory = basicCategory
        self.projectCode = projectCode
        self.label = label
        self.functionCode = functionCode
        self.economicCode = economicCode
        self.governmentEconomicCode = governmentEconomicCode
        self.fundSource = fundSource
        self.amount = amount
    }
}

/// Last year's figures and the stated reasons for each change.
public struct PriorYear: Sendable, Codable, Equatable {
    public var total: Fen?
    public var basic: Fen?
    public var project: Fen?
    public var threePublic: ThreePublicItems?
    public var reasons: ChangeReasons
    /// Changes as the text states them, kept to check that they equal current − prior.
    public var statedChanges: [ChangeItem: Fen]

    public init(total: Fen? = nil, basic: Fen? = nil, project: Fen? = nil, threePublic: ThreePublicItems? = nil,
                reasons: ChangeReasons = .init(), statedChanges: [ChangeItem: Fen] = [:]) {
        self.total = total
        self.basic = basic
        self.project = project
        self.threePublic = threePublic
        self.reasons = reasons
        self.statedChanges = statedChanges
    }
}

/// The figures whose year-over-year change a disclosure states.
public enum ChangeItem: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case total, basic, project
    case threePublicTotal = "three_public_total"
    case outboundTravel = "outbound_travel"
    case vehicleTotal = "vehicle_total"
    case vehiclePurchase = "vehicle_purchase"
    case vehicleOperation = "vehicle_operation"
    case reception
}

public struct ChangeReasons: Sendable, Codable, Equatable {
    public var total: String
    public var basic: String
    public var project: String
    public var threePublic: String
    public init(total: String = "", basic: String = "", project: String = "", threePublic: String = "") {
        self.total = total; self.basic = basic; self.project = project; self.threePublic = threePublic
    }
}

/// 机关运行经费.
public struct OperatingCosts: Sendable, Codable, Equatable {
    public var amount: Fen
    public var use: String
    public init(amount: Fen = .zero, use: String = "") { self.amount = amount; self.use = use }
}

/// 财政拨款“三公”经费.
public struct ThreePublicItems: Sendable, Codable, Equatable {
    public var outboundTravel: Fen      // 因公出国（境）费
    public var vehiclePurchase: Fen     // 公务用车购置费
    public var vehicleOperation: Fen    // 公务用车运行维护费
    public var reception: Fen           // 公务接待费

    public init(outboundTravel: Fen = .zero, vehiclePurchase: Fen = .zero, vehicleOperation: Fen = .zero, reception: Fen = .zero) {
        self.outboundTravel = outboundTravel
        self.vehiclePurchase = vehiclePurchase
        self.vehicleOperation = vehicleOperation
        self.reception = reception
    }

    public var vehicles: Fen { vehiclePurchase + vehicleOperation }
    public var total: Fen { outboundTravel + vehicles + reception }
}

public struct ThreePublic: Sendable, Codable, Equatable {
    public var items: ThreePublicItems
    /// The total as stated, when a document states it, kept to check it against the items.
    public var statedTotal: Fen?
    public init(items: ThreePublicItems = .init(), statedTotal: Fen? = nil) { self.items = items; self.statedTotal = statedTotal }
}
