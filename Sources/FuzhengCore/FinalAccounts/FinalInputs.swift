import Foundation

/// What the 部门决算 needs that no earlier module collects: the year's income as received, the balances carried
/// in and out per fund source, basic spending as booked, the 三公 actuals with their counts, 机关运行经费, the
/// procurement actually contracted and the assets at the year's end. Entered in a form or imported from XLSX.
public struct FinalInputs: Sendable, Codable, Equatable {
    public var schemaVersion: Int = 1
    /// One row per fund source that had money: 年初结转和结余, income received, 年末结转和结余.
    public var funds: [FundFlow]
    /// 基本支出 as booked (人员经费 and 日常公用经费 by function and economic class). Project spending is not
    /// typed: it is the year's payments.
    public var basicSpent: [ExpenditureLine]
    public var threePublic: ThreePublicItems
    public var counts: ThreePublicCounts
    public var operatingCosts: Fen
    public var procurement: ProcurementActual
    public var assets: AssetHoldings
    /// Last year's 决算, for the changes the narrative states.
    public var prior: PriorFinal?
    /// Why a line's final differs from its adjusted budget by more than the threshold, by function code (项).
    public var gapReasons: [String: String]
    /// The unit's own words: why totals changed from last year (keys: total, basic, project, threePublic),
    /// why 三公 differ from the budget (threePublicGap), 机关运行经费 (operatingCosts), and notes.
    public var texts: [String: String]
    /// Changes the unit's text states, kept to check them against the figures (and against their parts).
    public var statedChanges: [ChangeItem: Fen]
    /// What each 职责分类绩效目标 achieved ("8%", "100%"), by its position in the budget's list; graded by the bands
    /// the target states. Optional so inputs stored before it decode unchanged.
    public var dutyActuals: [String: String]?

    public init(funds: [FundFlow] = [], basicSpent: [ExpenditureLine] = [], threePublic: ThreePublicItems = .init(),
                counts: ThreePublicCounts = .init(), operatingCosts: Fen = .zero,
                procurement: ProcurementActual = .init(), assets: AssetHoldings = .init(), prior: PriorFinal? = nil,
                gapReasons: [String: String] = [:], texts: [String: String] = [:],
                statedChanges: [ChangeItem: Fen] = [:]) {
        self.funds = funds
        self.basicSpent = basicSpent
        self.threePublic = threePublic
        self.counts = counts
        self.operatingCosts = operatingCosts
        self.procurement = procurement
        self.assets = assets
        self.prior = prior
        self.gapReasons = gapReasons
        self.texts = texts
        self.statedChanges = statedChanges
    }

    public func fund(_ source: RevenueSource) -> FundFlow {
        funds.first { $0.source == source } ?? FundFlow(source: source)
    }
}

/// One fund source over the year: 年初结转 + 收入 − 支出 = 年末结转.
public struct FundFlow: Sendable, Codable, Equatable {
    public var source: RevenueSource
    public var opening: Fen
    public var received: Fen
    public var closing: Fen

    public init(source: RevenueSource, opening: Fen = .zero, received: Fen = .zero, closing: Fen = .zero) {
        self.source = source
        self.opening = opening
        self.received = received
        self.closing = closing
    }
}

/// The counts a 决算 states beside the 三公 money.
public struct ThreePublicCounts: Sendable, Codable, Equatable {
    public var outboundGroups: Int      // 因公出国（境）团组数
    public var outboundPeople: Int      // 因公出国（境）人次
    public var vehiclesBought: Int      // 公务用车购置数
    public var vehiclesKept: Int        // 公务用车保有量
    public var receptionBatches: Int    // 国内公务接待批次
    public var receptionPeople: Int     // 国内公务接待人次

    public init(outboundGroups: Int = 0, outboundPeople: Int = 0, vehiclesBought: Int = 0, vehiclesKept: Int = 0,
                receptionBatches: Int = 0, receptionPeople: Int = 0) {
        self.outboundGroups = outboundGroups
        self.outboundPeople = outboundPeople
        self.vehiclesBought = vehiclesBought
        self.vehiclesKept = vehiclesKept
        self.receptionBatches = receptionBatches
        self.receptionPeople = receptionPeople
    }
}

/// 政府采购支出 actually contracted, by category, with the part awarded to small and medium firms.
public struct ProcurementActual: Sendable, Codable, Equatable {
    public var goods: Fen
    public var works: Fen
    public var services: Fen
    /// 授予中小企业合同金额.
    public var sme: Fen
    /// The total as stated, when the unit states one, to check against the parts.
    public var statedTotal: Fen?

    public init(goods: Fen = .zero, works: Fen = .zero, services: Fen = .zero, sme: Fen = .zero,
                statedTotal: Fen? = nil) {
        self.goods = goods
        self.works = works
        self.services = services
        self.sme = sme
        self.statedTotal = statedTotal
    }

    public var total: Fen { goods + works + services }
}

/// Last year's 决算 totals.
public struct PriorFinal: Sendable, Codable, Equatable {
    public var income: Fen
    public var expenditure: Fen
    public var basic: Fen
    public var project: Fen
    public var threePublic: ThreePublicItems

    public init(income: Fen = .zero, expenditure: Fen = .zero, basic: Fen = .zero, project: Fen = .zero,
                threePublic: ThreePublicItems = .init()) {
        self.income = income
        self.expenditure = expenditure
        self.basic = basic
        self.project = project
        self.threePublic = threePublic
    }
}

/// The year's spending on one project as the payments give it, by economic class and fund source.
public struct ProjectSpend: Sendable, Codable, Equatable {
    public var projectCode: String
    /// 经济分类 as the treasury export names it: a code (30299) or a name (其他资本性支出); empty when unknown.
    public var economic: String
    /// 资金来源 as the export names it (一般公共预算); empty when unknown.
    public var fund: String
    public var amount: Fen

    public init(projectCode: String, economic: String = "", fund: String = "", amount: Fen) {
        self.projectCode = projectCode
        self.economic = economic
        self.fund = fund
        self.amount = amount
    }
}

/// A project's self-evaluation result as the 决算 reports it.
public struct EvaluationResult: Sendable, Codable, Equatable {
    public var projectCode: String
    public var projectName: String
    /// The exact total; rounded only when shown.
    public var score: Decimal
    public var grade: String

    public init(projectCode: String, projectName: String, score: Decimal, grade: String) {
        self.projectCode = projectCode
        self.projectName = projectName
        self.score = score
        self.grade = grade
    }
}

/// What a 决算 is built from besides the unit's inputs: the approved budget, its adjustments, the year's payments, the
/// published self-evaluations and last year's 决算. Kept as they stood when the unit published, so the portal shows
/// the document that was published — not one that moves when July's payments are imported afterwards.
public struct FinalSources: Sendable, Codable, Equatable {
    public var budget: Budget
    public var adjustments: [BudgetAdjustment]
    public var payments: [ProjectSpend]
    public var evaluations: [EvaluationResult]
    /// Last year's totals from its 决算, used when the inputs state none.
    public var prior: PriorFinal?

    public init(budget: Budget, adjustments: [BudgetAdjustment] = [], payments: [ProjectSpend] = [],
                evaluations: [EvaluationResult] = [], prior: PriorFinal? = nil) {
        self.budget = budget
        self.adjustments = adjustments
        self.payments = payments
        self.evaluations = evaluations
        self.prior = prior
    }
}

extension FinalSources {
    /// As kept with a publication of `inputs`: last year's totals only when the inputs state none (once filled in, the
    /// inputs carry them).
    public func kept(for inputs: FinalInputs) -> FinalSources {
        var s = self
        if inputs.prior != nil { s.prior = nil }
        return s
    }

    /// What the document shows: the budget's workflow (its status, confirmed findings) and the unrounded scores
    /// left out, so approving the budget later or a score's last digits through JSON is not a change.
    public var asShown: FinalSources {
        var s = self
        s.budget.status = .approved
        s.budget.confirmations = nil
        s.evaluations = s.evaluations.map { e in
            var e = e
            e.score = Decimal(string: SelfEvaluation.shown(e.score)) ?? e.score
            return e
        }
        return s
    }
}

extension FinalAccounts {
    public init(_ sources: FinalSources, inputs: FinalInputs, rules: FinalAccountsRules = .shared) {
        var i = inputs
        if i.prior == nil { i.prior = sources.prior }
        self.init(budget: sources.budget, adjustments: sources.adjustments, payments: sources.payments, inputs: i,
                  evaluations: sources.evaluations, rules: rules)
    }
}
