import Foundation

/// A 部门决算: the approved budget, its adjustments, what was paid and booked, and the year-end inputs. Every
/// figure of the tables and the narrative is derived from these; nothing is typed twice.
public struct FinalAccounts: Sendable, Equatable {
    public var budget: Budget
    /// Adjusted amount per project code (追加, 调减, 调剂 summed).
    public var adjustments: [String: Fen]
    public var inputs: FinalInputs
    /// The payments mapped onto the budget's classifications.
    public var projectLines: [ExpenditureLine]
    /// The year's spending: the booked basic lines (always the inputs' current ones) and the payments.
    public var actual: [ExpenditureLine] {
        inputs.basicSpent.map { var l = $0; l.kind = .basic; return l } + projectLines
    }
    public var evaluations: [EvaluationResult]
    public var rules: FinalAccountsRules

    public var fiscalYear: Int { budget.fiscalYear }
    public var department: OrgRef { budget.department }

    public init(budget: Budget, adjustments: [BudgetAdjustment] = [], payments: [ProjectSpend] = [],
                inputs: FinalInputs, evaluations: [EvaluationResult] = [], rules: FinalAccountsRules = .shared,
                catalogs: Catalogs = .shared) {
        self.budget = budget
        var adjusted: [String: Fen] = [:]
        for a in adjustments {
            adjusted[a.projectCode] = (adjusted[a.projectCode] ?? .zero) + a.amount
        }
        self.adjustments = adjusted
        self.inputs = inputs
        self.evaluations = evaluations
        self.rules = rules
        projectLines = Self.projectLines(budget, payments, catalogs)
    }

    /// Payments onto the budget's classifications: the function code and label of the project's first budget line;
    /// the economic class the payment names when the catalog knows it (by code or by name), else the budget line's;
    /// the fund source the payment names, else the budget line's.
    static func projectLines(_ b: Budget, _ payments: [ProjectSpend], _ catalogs: Catalogs) -> [ExpenditureLine] {
        var byName: [String: String] = [:]
        for (code, name) in catalogs.departmentEconomic where code.count == 5 { byName[name] = code }
        var lines: [String: ExpenditureLine] = [:]
        var order: [String] = []
        for p in payments {
            let budgetLine = b.expenditure.first { $0.kind == .project && $0.projectCode == p.projectCode }
            let named = b.projects.first { $0.code == p.projectCode }?.name
            let economic: String? = catalogs.departmentEconomic[p.economic] != nil ? p.economic
                : byName[p.economic] ?? budgetLine?.economicCode
            let fund = Self.fundSource(p.fund) ?? budgetLine?.fundSource ?? .generalPublicBudget
            let key = [p.projectCode, economic ?? "", fund.rawValue].joined(separator: "|")
            if lines[key] == nil {
                order.append(key)
                lines[key] = ExpenditureLine(kind: .project, projectCode: p.projectCode,
                                             label: budgetLine?.label ?? named ?? p.projectCode,
                                             functionCode: budgetLine?.functionCode, economicCode: economic,
                                             fundSource: fund, amount: .zero)
            }
            let sum = (lines[key]?.amount ?? .zero) + p.amount
            lines[key]?.amount = sum
        }
        return order.compactMap { lines[$0] }
    }

    /// A treasury export's 资金来源 wording onto a fund source; nil when it names none.
    public static func fundSource(_ text: String) -> RevenueSource? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let exact = RevenueSource(rawValue: t) { return exact }
        if t.contains("一般公共预算") || t.contains("公共财政") { return .generalPublicBudget }
        if t.contains("政府性基金") || t.contains("基金预算") { return .governmentFund }
        if t.contains("国有资本") { return .stateCapital }
        if t.contains("财政专户") { return .specialAccount }
        if t.contains("事业收入") { return .businessIncome }
        if t.contains("经营收入") { return .operatingIncome }
        if t.contains("上级补助") { return .superiorSubsidy }
        if t.contains("附属单位") { return .subordinateRemittance }
        if t.contains("其他") { return .other }
        return nil
    }

    // MARK: Figures

    public var totalIncome: Fen { inputs.funds.sum(\.received) }
    public func income(from source: RevenueSource) -> Fen { inputs.fund(source).received }
    public var openingBalance: Fen { inputs.funds.sum(\.opening) }
    public var closingBalance: Fen { inputs.funds.sum(\.closing) }

    public var totalExpenditure: Fen { actual.sum(\.amount) }
    public var basicExpenditure: Fen { actual.filter { $0.kind == .basic }.sum(\.amount) }
    public var personnelExpenditure: Fen { actual.filter { $0.basicCategory == .personnel }.sum(\.amount) }
    public var publicUseExpenditure: Fen { actual.filter { $0.basicCategory == .publicUse }.sum(\.amount) }
    public var projectExpenditure: Fen { actual.filter { $0.kind == .project }.sum(\.amount) }
    public func spent(from source: RevenueSource) -> Fen { actual.filter { $0.fundSource == source }.sum(\.amount) }

    /// 财政拨款 (the three appropriations) income, spending and balances.
    public var appropriationIncome: Fen {
        inputs.funds.filter { $0.source.isFiscalAppropriation }.sum(\.received)
    }
    public var appropriationSpent: Fen { actual.filter { $0.fundSource.isFiscalAppropriation }.sum(\.amount) }

    /// The budget line's adjusted amount: its approved amount plus the adjustments of its project, shared over the
    /// project's lines in proportion (the first line takes the remainder so the shares add up exactly).
    public var adjustedBudget: [ExpenditureLine] {
        var lines = budget.expenditure
        for (code, delta) in adjustments where delta != .zero {
            let idx = lines.indices.filter { lines[$0].kind == .project && lines[$0].projectCode == code }
            guard let first = idx.first else { continue }
            let base = idx.map { lines[$0].amount }.sum()
            var given = Fen.zero
            for i in idx.dropFirst() where base.value > 0 {
                let (p, o) = delta.value.multipliedReportingOverflow(by: lines[i].amount.value)
                let share = o ? Fen.zero : Fen(p / base.value)
                lines[i].amount = lines[i].amount + share
                given = given + share
            }
            lines[first].amount = lines[first].amount + (delta - given)
        }
        return lines
    }

    /// Current − last year's 决算 for an item, when last year is known.
    public func change(_ item: ChangeItem) -> Fen? {
        guard let p = inputs.prior else { return nil }
        let t = inputs.threePublic
        switch item {
        case .total: return totalExpenditure - p.expenditure
        case .basic: return basicExpenditure - p.basic
        case .project: return projectExpenditure - p.project
        case .threePublicTotal: return t.total - p.threePublic.total
        case .outboundTravel: return t.outboundTravel - p.threePublic.outboundTravel
        case .vehicleTotal: return t.vehicles - p.threePublic.vehicles
        case .vehiclePurchase: return t.vehiclePurchase - p.threePublic.vehiclePurchase
        case .vehicleOperation: return t.vehicleOperation - p.threePublic.vehicleOperation
        case .reception: return t.reception - p.threePublic.reception
        }
    }

    /// One 一般公共预算 项 (or an uncoded label) with its budget, adjusted budget and final figure.
    public struct Comparison: Sendable, Equatable {
        public var code: String
        public var name: String
        public var budget: Fen
        public var adjusted: Fen
        public var final: Fen
        /// |final − adjusted| ÷ adjusted in basis points; nil when nothing was budgeted.
        public var gapBasisPoints: Int? {
            guard adjusted.value > 0 else { return nil }
            let (p, o) = abs((final - adjusted).value).multipliedReportingOverflow(by: 10_000)
            return o ? Int.max : Int(p / adjusted.value)
        }
    }

    /// 一般公共预算财政拨款支出 by 项: budget against final, for the tables and the gap rule.
    public func generalPublicComparison(_ catalogs: Catalogs = .shared) -> [Comparison] {
        func leaves(_ lines: [ExpenditureLine]) -> [String: (String, Fen)] {
            var out: [String: (String, Fen)] = [:]
            for l in lines where l.fundSource == .generalPublicBudget {
                let code = l.functionCode ?? ""
                let key = code.isEmpty ? "label:" + (l.label ?? (l.kind == .basic ? "基本支出" : "项目支出")) : code
                let name = code.isEmpty ? String(key.dropFirst(6)) : catalogs.functionClassification[code] ?? code
                out[key] = (name, (out[key]?.1 ?? .zero) + l.amount)
            }
            return out
        }
        let b = leaves(budget.expenditure), adj = leaves(adjustedBudget), fin = leaves(actual)
        let keys = Set(b.keys).union(adj.keys).union(fin.keys).sorted()
        return keys.map { k in
            Comparison(code: k.hasPrefix("label:") ? "" : k, name: (fin[k] ?? adj[k] ?? b[k])?.0 ?? k,
                       budget: b[k]?.1 ?? .zero, adjusted: adj[k]?.1 ?? .zero, final: fin[k]?.1 ?? .zero)
        }
    }
}

/// The 决算 rule settings (`rules/final-accounts.json`), printed beside the findings.
public struct FinalAccountsRules: Sendable, Codable, Equatable {
    /// A line whose final differs from its adjusted budget by more than this percentage needs a reason.
    public var gapReasonPercent: Int
    /// Words a template leaves behind when a clerk forgets to replace them.
    public var templateHints: [String]
    /// Ways of writing a change of nothing that a careful text avoids.
    public var zeroChanges: [String]

    public init(gapReasonPercent: Int = 10, templateHints: [String] = [], zeroChanges: [String] = []) {
        self.gapReasonPercent = gapReasonPercent
        self.templateHints = templateHints
        self.zeroChanges = zeroChanges
    }

    public static let shared: FinalAccountsRules = {
        do {
            return try JSONDecoder().decode(FinalAccountsRules.self,
                                            from: Catalogs.resource("final-accounts", "json", "rules"))
        } catch {
            preconditionFailure("rules/final-accounts.json is missing or malformed: \(error)")
        }
    }()
}
