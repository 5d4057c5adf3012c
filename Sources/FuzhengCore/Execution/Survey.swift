import Foundation

/// The national five-level satisfaction scale, and 不了解, which stays out of the base.
public enum SurveyLevel: String, Sendable, Codable, CaseIterable {
    case verySatisfied = "very_satisfied"
    case satisfied
    case fair
    case dissatisfied
    case veryDissatisfied = "very_dissatisfied"
    case unknown

    public var zh: String {
        switch self {
        case .verySatisfied: "非常满意"
        case .satisfied: "满意"
        case .fair: "基本满意"
        case .dissatisfied: "不满意"
        case .veryDissatisfied: "非常不满意"
        case .unknown: "不了解"
        }
    }
}

/// Which answers count as satisfied: the top three levels (非常满意 + 满意 + 基本满意) or the top two.
public enum SurveyRateFormula: String, Sendable, Codable, CaseIterable {
    case topThree = "top_three"
    case topTwo = "top_two"

    public var counted: Set<SurveyLevel> {
        switch self {
        case .topThree: [.verySatisfied, .satisfied, .fair]
        case .topTwo: [.verySatisfied, .satisfied]
        }
    }

    public var definitionZh: String {
        switch self {
        case .topThree: "满意度 =（非常满意 + 满意 + 基本满意）÷（回答总数 − 不了解）"
        case .topTwo: "满意度 =（非常满意 + 满意）÷（回答总数 − 不了解）"
        }
    }
}

/// A question's result: the rate in basis points over the answers that know (不了解 left out), and the margin of
/// error at 95% for a proportion with the finite-population correction, the number invited being known.
public struct SurveyResult: Sendable, Equatable {
    public var answers: Int
    /// Answers other than 不了解: the base of the rate.
    public var base: Int
    public var satisfied: Int
    public var rate: Int?
    /// ± basis points at 95%; 0 when everyone invited who could judge answered.
    public var margin: Int?

    public static func of(_ counts: [SurveyLevel: Int], formula: SurveyRateFormula, invited: Int) -> SurveyResult {
        let answers = counts.values.reduce(0) { $0 + max($1, 0) }
        let base = answers - max(counts[.unknown] ?? 0, 0)
        let satisfied = formula.counted.reduce(0) { $0 + max(counts[$1] ?? 0, 0) }
        let rate = SupervisionRates.basisPoints(satisfied, base)
        // The population is those invited who could judge: the invited less those who said 不了解.
        let population = max(invited, answers) - (answers - base)
        return SurveyResult(answers: answers, base: base, satisfied: satisfied, rate: rate,
                            margin: margin(satisfied: satisfied, base: base, population: population))
    }

    /// 1.96 · √(p(1−p)/n) · √((N−n)/(N−1)), rounded to the nearest basis point. A statistic, not money: computed in
    /// floating point from counts that cannot overflow it.
    public static func margin(satisfied: Int, base n: Int, population N: Int) -> Int? {
        guard n > 0 else { return nil }
        guard N > 1, N > n else { return 0 }
        let p = Double(satisfied) / Double(n)
        let standardError = (p * (1 - p) / Double(n)).squareRoot()
        let correction = (Double(N - n) / Double(N - 1)).squareRoot()
        return Int((1.96 * standardError * correction * 10_000).rounded())
    }
}

/// The metrics an indicator can be bound to (`rules/metrics.json`), each with its formula and period for the screen.
public struct MetricCatalog: Sendable, Codable, Equatable {
    public struct Metric: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var unit: String
        public var source: String
        public var formula: String
        public var period: String
    }

    public var metrics: [Metric]

    public static let shared: MetricCatalog = {
        do {
            return try JSONDecoder().decode(MetricCatalog.self, from: Catalogs.resource("metrics", "json", "rules"))
        } catch {
            preconditionFailure("rules/metrics.json is missing or malformed: \(error)")
        }
    }()

    public func metric(_ id: String) -> Metric? { metrics.first { $0.id == id } }
}
