/// A project (项目支出) with its 绩效目标表.
public struct Project: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// 资金文号 as published, e.g. 怀财字【2023】7号.
    public var fundDocument: String?
    public var amount: Fen
    public var fiscalFunds: Fen
    public var otherFunds: Fen
    public var use: String
    public var spendingPlan: [SpendingCheckpoint]
    public var target: String
    public var framework: PerformanceFramework
    public var indicators: [Indicator]

    public init(code: String, name: String, fundDocument: String? = nil, amount: Fen, fiscalFunds: Fen, otherFunds: Fen = .zero,
                use: String = "", spendingPlan: [SpendingCheckpoint] = [], target: String = "",
                framework: PerformanceFramework = .classic, indicators: [Indicator] = []) {
        self.code = code
        self.name = name
        self.fundDocument = fundDocument
        self.amount = amount
        self.fiscalFunds = fiscalFunds
        self.otherFunds = otherFunds
        self.use = use
        self.spendingPlan = spendingPlan
        self.target = target
        self.framework = framework
        self.indicators = indicators
    }
}

/// Cumulative share of the project's money spent by the end of a month (资金支出计划).
public struct SpendingCheckpoint: Sendable, Codable, Equatable {
    public var month: Int
    public var percent: Int
    public init(month: Int, percent: Int) { self.month = month; self.percent = percent }
}

/// The indicator frameworks: the classic one puts 成本指标 under 产出指标; 财预〔2021〕101号 makes 成本指标 first-level.
public enum PerformanceFramework: String, Sendable, Codable, CaseIterable {
    case classic
    case cost2021 = "cost_2021"

    /// The first-level categories every project of this framework must have.
    public var requiredLevel1: [String] {
        switch self {
        case .classic: ["产出指标", "效益指标", "满意度指标"]
        case .cost2021: ["产出指标", "成本指标", "效益指标", "满意度指标"]
        }
    }
}

public enum Comparator: String, Sendable, Codable, CaseIterable {
    case equal = "="
    case atLeast = "≥"
    case atMost = "≤"
    case greater = ">"
    case less = "<"
    /// 定性: a worded target such as 正常运行 or 进一步提升.
    case qualitative
}

/// A third-level indicator with its first- and second-level categories.
public struct Indicator: Sendable, Codable, Equatable {
    public var level1: String
    public var level2: String
    public var name: String
    public var description: String
    public var comparator: Comparator
    /// The number as written ("95", "24", "500"), or the worded target when qualitative.
    public var value: String
    public var unit: String
    public var basis: String

    public init(level1: String, level2: String, name: String, description: String, comparator: Comparator, value: String,
                unit: String, basis: String) {
        self.level1 = level1
        self.level2 = level2
        self.name = name
        self.description = description
        self.comparator = comparator
        self.value = value
        self.unit = unit
        self.basis = basis
    }

    /// The value as a disclosure prints it: "≥95%", "1套", "正常运行".
    public var displayValue: String {
        switch comparator {
        case .qualitative: value
        case .equal: value + unit
        default: comparator.rawValue + value + unit
        }
    }

    /// Reads "≥95%", "≤24小时", "1套", "=100.00(%)", "正常运行".
    public static func parseValue(_ text: String) -> (Comparator, String, String) {
        var s = text.trimmingCharacters(in: .whitespaces)
        var comparator = Comparator.equal
        let prefixes: [(String, Comparator)] = [("≥", .atLeast), (">=", .atLeast), ("≤", .atMost), ("<=", .atMost),
                                                 ("＞", .greater), (">", .greater), ("＜", .less), ("<", .less), ("=", .equal), ("＝", .equal)]
        for (prefix, c) in prefixes where s.hasPrefix(prefix) {
            comparator = c
            s.removeFirst(prefix.count)
            break
        }
        let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty else { return (.qualitative, text.trimmingCharacters(in: .whitespaces), "") }
        var unit = String(s.dropFirst(number.count)).trimmingCharacters(in: .whitespaces)
        if unit.hasPrefix("(") && unit.hasSuffix(")") { unit = String(unit.dropFirst().dropLast()) }
        if unit == "&" { unit = "%" }  // a slip seen in published tables (100& for 100%)
        return (comparator, String(number), unit)
    }
}

import Foundation
