import Foundation

/// 预算调整: 追加 adds, 调减 takes away, 调剂 moves money between projects (a signed amount on each side).
public struct BudgetAdjustment: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case add, cut, transfer
        public var zh: String {
            switch self {
            case .add: "追加"
            case .cut: "调减"
            case .transfer: "调剂"
            }
        }
    }

    public var kind: Kind
    public var projectCode: String
    /// The 文号 of the document that decided it.
    public var number: String
    public var day: CivilDay
    /// Positive for 追加, negative for 调减; either sign for 调剂.
    public var amount: Fen

    public init(kind: Kind, projectCode: String, number: String, day: CivilDay, amount: Fen) {
        self.kind = kind
        self.projectCode = projectCode
        self.number = number
        self.day = day
        self.amount = amount
    }

    /// Reads an adjustment from a form: the amount in 元 through the one number reader; 追加 stored positive,
    /// 调减 negative whatever sign was typed; a 调剂 keeps the sign typed (money out of this project is negative).
    public static func read(kind: String, projectCode: String, number: String, day: String, amount: String,
                            unit: MoneyUnit = .yuan) -> Result<BudgetAdjustment, FieldProblems> {
        var problems: [FieldProblem] = []
        let k = Kind(rawValue: kind)
        if k == nil { problems.append(FieldProblem(field: "kind", zh: "请选择调整类型", en: "choose the kind")) }
        let n = number.trimmingCharacters(in: .whitespacesAndNewlines)
        if n.isEmpty { problems.append(FieldProblem(field: "number", zh: "请填写调整文号", en: "enter the document number")) }
        let d = DayInput.iso(day).flatMap(CivilDay.init)
        if d == nil { problems.append(FieldProblem(field: "day", zh: "日期无效", en: "not a valid date")) }
        var value = Fen.zero
        let text = amount.trimmingCharacters(in: .whitespaces)
        let negative = text.hasPrefix("-") || text.hasPrefix("－")
        switch NumberInput.amount(negative ? String(text.dropFirst()) : text, unit: unit) {
        case .success(let v) where v.value > 0: value = negative ? Fen(-v.value) : v
        case .success: problems.append(FieldProblem(field: "amount", zh: "调整金额不能为零", en: "the amount cannot be zero"))
        case .failure:
            problems.append(FieldProblem(field: "amount", zh: "调整金额应为不超过1亿万元的数", en: "not a valid amount"))
        }
        guard problems.isEmpty, let k, let d else { return .failure(FieldProblems(problems)) }
        switch k {
        case .add: value = Fen(abs(value.value))
        case .cut: value = Fen(-abs(value.value))
        case .transfer: break
        }
        return .success(BudgetAdjustment(kind: k, projectCode: projectCode, number: String(n.prefix(60)), day: d,
                                         amount: value))
    }

    /// The adjusted budget: the approved amount plus every adjustment, never typed. Nil when the sum leaves the range
    /// a budget can state (a finding, not a trap).
    public static func adjusted(_ approved: Fen, _ adjustments: [BudgetAdjustment]) -> Fen? {
        adjusted(approved, amounts: adjustments.map(\.amount))
    }

    /// The same from the adjustments' amounts alone (a query's sum per project).
    public static func adjusted(_ approved: Fen, amounts: [Fen]) -> Fen? {
        var total = approved.value
        for a in amounts {
            let (sum, overflow) = total.addingReportingOverflow(a.value)
            guard !overflow else { return nil }
            total = sum
        }
        let result = Fen(total)
        return result.isWithinStatedRange ? result : nil
    }
}

/// 预算执行: paid against the adjusted budget, against the project's own plan and against the year's elapsed time,
/// all in basis points (97.50% = 9,750), never a Double.
public enum ExecutionProgress {
    /// 执行率 = paid ÷ adjusted budget; nil for a zero or negative budget or an overflowing product.
    public static func rate(paid: Fen, budget: Fen) -> Int? {
        guard budget.value > 0 else { return nil }
        let (product, overflow) = paid.value.multipliedReportingOverflow(by: 10_000)
        guard !overflow else { return nil }
        return Int(product / budget.value)
    }

    /// 序时进度 of the year on `day`: the share of its days passed by the end of that day.
    public static func elapsed(on day: CivilDay, year: Int) -> Int {
        let first = CivilDay(year: year, month: 1, day: 1)
        let last = CivilDay(year: year, month: 12, day: 31)
        if day < first { return 0 }
        if day >= last { return 10_000 }
        let total = CivilDay.days(from: first, to: last) + 1
        return (CivilDay.days(from: first, to: day) + 1) * 10_000 / total
    }

    static func monthEnd(_ year: Int, _ month: Int) -> CivilDay {
        let next = month == 12 ? CivilDay(year: year + 1, month: 1, day: 1)
            : CivilDay(year: year, month: month + 1, day: 1)
        return next.adding(days: -1)
    }

    /// The plan's expected share on `day`: its checkpoints (cumulative percent by the end of a month) joined by
    /// straight lines from 0 on 1 January, flat after the last one.
    public static func planned(on day: CivilDay, year: Int, plan: [SpendingCheckpoint]) -> Int {
        let points = plan.filter { (1...12).contains($0.month) }.sorted { $0.month < $1.month }
        guard !points.isEmpty else { return elapsed(on: day, year: year) }
        var previousDay = CivilDay(year: year, month: 1, day: 1).adding(days: -1)
        var previousValue = 0
        for p in points {
            let end = monthEnd(year, p.month)
            let value = min(max(p.percent, 0), 100) * 100
            if day <= end {
                if day <= previousDay { return previousValue }
                let span = CivilDay.days(from: previousDay, to: end)
                let done = CivilDay.days(from: previousDay, to: day)
                return previousValue + (value - previousValue) * done / max(span, 1)
            }
            previousDay = end
            previousValue = value
        }
        return previousValue
    }
}

/// The warning rules of 预算执行 (`rules/execution.json`), printed on screen beside the colours.
public struct ExecutionRules: Sendable, Codable, Equatable {
    /// Yellow when 执行率 trails the plan by more than this many percentage points.
    public var yellowBehindPoints: Int
    /// Red when it trails by more than this many.
    public var redBehindPoints: Int
    /// Red when nothing at all is paid once the plan's first checkpoint has passed.
    public var redWhenNothingPaidAfterFirstPoint: Bool

    public init(yellowBehindPoints: Int = 10, redBehindPoints: Int = 20,
                redWhenNothingPaidAfterFirstPoint: Bool = true) {
        self.yellowBehindPoints = yellowBehindPoints
        self.redBehindPoints = redBehindPoints
        self.redWhenNothingPaidAfterFirstPoint = redWhenNothingPaidAfterFirstPoint
    }

    public static let shared: ExecutionRules = {
        do {
            return try JSONDecoder().decode(ExecutionRules.self, from: Catalogs.resource("execution", "json", "rules"))
        } catch {
            preconditionFailure("rules/execution.json is missing or malformed: \(error)")
        }
    }()

    public enum Colour: String, Sendable, Codable, Comparable {
        case red, yellow, green
        var rank: Int { self == .red ? 0 : self == .yellow ? 1 : 2 }
        public static func < (a: Colour, b: Colour) -> Bool { a.rank < b.rank }
    }

    public enum Reason: String, Sendable, Codable {
        case onPlan, behind, farBehind, nothingPaid, noBudget
    }

    /// The colour of a project on `day`.
    public func colour(paid: Fen, budget: Fen, plan: [SpendingCheckpoint], year: Int, on day: CivilDay)
        -> (Colour, Reason) {
        let first = plan.filter { $0.percent > 0 }.map(\.month).min()
        let firstPassed = first.map { day > ExecutionProgress.monthEnd(year, $0) } ?? false
        return colour(rate: ExecutionProgress.rate(paid: paid, budget: budget),
                      expected: ExecutionProgress.planned(on: day, year: year, plan: plan),
                      nothingPaidAfterFirstPoint: firstPassed && paid.value <= 0)
    }

    /// The colour of a 执行率 against what was expected by then (a project's plan, or a unit's plans weighted by
    /// budget), in basis points.
    public func colour(rate: Int?, expected: Int, nothingPaidAfterFirstPoint: Bool) -> (Colour, Reason) {
        guard let rate else { return (.green, .noBudget) }
        if redWhenNothingPaidAfterFirstPoint, nothingPaidAfterFirstPoint { return (.red, .nothingPaid) }
        let behind = expected - rate
        if behind > redBehindPoints * 100 { return (.red, .farBehind) }
        if behind > yellowBehindPoints * 100 { return (.yellow, .behind) }
        return (.green, .onPlan)
    }
}

/// One payment as the metrics see it.
public struct PaymentFact: Sendable, Equatable {
    public var paidOn: CivilDay
    /// The day it was planned or requested for; nil when the treasury export does not say.
    public var plannedOn: CivilDay?
    public var amount: Fen
    public init(paidOn: CivilDay, plannedOn: CivilDay?, amount: Fen) {
        self.paidOn = paidOn
        self.plannedOn = plannedOn
        self.amount = amount
    }
}

/// 资金拨付及时率 = payments made by their planned day ÷ payments whose planned day falls in the period (counted by
/// payments, not money; those without a planned day are left out of both).
public enum PaymentTimeliness {
    public static func rate(_ payments: [PaymentFact], from: CivilDay, to: CivilDay)
        -> (onTime: Int, due: Int, bp: Int?) {
        let due = payments.filter { $0.plannedOn.map { $0 >= from && $0 <= to } ?? false }
        let onTime = due.filter { $0.paidOn <= $0.plannedOn! }
        return (onTime.count, due.count, SupervisionRates.basisPoints(onTime.count, due.count))
    }
}
