public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error
    case warning
    case notice

    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One thing a rule found, at a path into the budget (e.g. "projects[13073023P00005210005Q].spendingPlan").
public struct Finding: Sendable, Codable, Equatable {
    public var ruleID: String
    public var severity: Severity
    public var path: String
    public var messageZh: String
    public var messageEn: String
    /// The text the finding is about, for rules whose findings a clerk may confirm (`FindingConfirmation`).
    public var subject: String?

    public init(ruleID: String, severity: Severity, path: String, zh: String, en: String, subject: String? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.path = path
        self.messageZh = zh
        self.messageEn = en
        self.subject = subject
    }
}

/// A named check. Rules that come from standards read their data from `RuleContext`.
public struct Rule: Sendable {
    public var id: String
    public var severity: Severity
    public var titleZh: String
    public var titleEn: String
    public var check: @Sendable (Budget, RuleContext, inout FindingSink) -> Void

    public init(_ id: String, _ severity: Severity, zh: String, en: String,
                check: @escaping @Sendable (Budget, RuleContext, inout FindingSink) -> Void) {
        self.id = id
        self.severity = severity
        self.titleZh = zh
        self.titleEn = en
        self.check = check
    }
}

/// Collects a rule's findings, stamping its id and severity.
public struct FindingSink {
    let rule: Rule
    public private(set) var findings: [Finding] = []

    init(rule: Rule) { self.rule = rule }

    public mutating func report(_ path: String, zh: String, en: String, severity: Severity? = nil, subject: String? = nil) {
        findings.append(Finding(ruleID: rule.id, severity: severity ?? rule.severity, path: path, zh: zh, en: en,
                                subject: subject))
    }
}

public struct RuleContext: Sendable {
    public var catalogs: Catalogs
    public var assetStandards: AssetStandards
    /// 行政区划代码 of the region the budget belongs to; its last digits tell the level of government.
    public var regionCode: String?

    public init(catalogs: Catalogs = .shared, assetStandards: AssetStandards = .central, regionCode: String? = nil) {
        self.catalogs = catalogs
        self.assetStandards = assetStandards
        self.regionCode = regionCode
    }
}

extension Fen {
    /// For messages: "2001.89万元" when exact in 万元, else "20018900.01元".
    public var readable: String {
        MoneyFormat.isExactInWan(self) ? MoneyFormat.wanInText(self) + "万元" : MoneyFormat.yuan(self) + "元"
    }

    /// Figures of one sentence in one unit: 万元 when every one is exact in 万元, else all in 元 — a sum written
    /// "0万元 + 2006.89万元 − 18754333.00元" cannot be checked by eye.
    public static func readable(_ values: [Fen]) -> [String] {
        values.allSatisfy(MoneyFormat.isExactInWan)
            ? values.map { MoneyFormat.wanInText($0) + "万元" } : values.map { MoneyFormat.yuan($0) + "元" }
    }
}
