import Foundation

/// 绩效运行监控 (财预〔2019〕136号): at each monitoring point a project's indicators get the value reached so far,
/// the likelihood of meeting the target and, short of 确定能, the cause of the gap and the measures taken; with the
/// spending figures at the same day this is the 项目支出绩效目标执行监控表.
public enum Likelihood: String, Sendable, Codable, CaseIterable {
    case certain, possible, impossible

    public var zh: String {
        switch self {
        case .certain: "确定能"
        case .possible: "有可能"
        case .impossible: "不可能"
        }
    }
}

/// The causes a 监控表 names for a gap.
public enum DeviationCause: String, Sendable, Codable, CaseIterable {
    case planning, inputs, institutions, management, other

    public var zh: String {
        switch self {
        case .planning: "规划和目标设计"
        case .inputs: "投入保障"
        case .institutions: "制度保障"
        case .management: "项目管理"
        case .other: "其他"
        }
    }
}

/// The monitoring points of a year, as data (`rules/monitoring.json`): the end of June and of August by default.
public struct MonitoringRules: Sendable, Codable, Equatable {
    public struct Point: Sendable, Codable, Equatable {
        public var month: Int
        public var day: Int
    }

    public var points: [Point]

    public static let shared: MonitoringRules = {
        do {
            return try JSONDecoder().decode(MonitoringRules.self,
                                            from: Catalogs.resource("monitoring", "json", "rules"))
        } catch {
            preconditionFailure("rules/monitoring.json is missing or malformed: \(error)")
        }
    }()

    public func days(of year: Int) -> [CivilDay] {
        points.map { CivilDay(year: year, month: $0.month, day: $0.day) }.sorted()
    }

    /// The period a point covers as people name it: 1-6月.
    public static func periodZh(_ point: CivilDay) -> String { "1-\(point.month)月" }
}

/// One indicator's line in a 监控表.
public struct MonitoringEntry: Sendable, Codable, Equatable {
    public var level1: String
    public var level2: String
    public var name: String
    /// The annual target as the budget printed it: "≥95%".
    public var target: String
    /// The value reached so far, as typed or as the bound metric gave it.
    public var value: String
    /// The metric of `rules/metrics.json` the value comes from, or nil when entered by hand.
    public var metric: String?
    /// What the bound metric was computed over ("1,234 / 1,240 分钟"), for the reader.
    public var basis: String
    public var likelihood: Likelihood?
    public var cause: DeviationCause?
    public var causeText: String
    public var measures: String

    public init(level1: String, level2: String, name: String, target: String, value: String = "",
                metric: String? = nil, basis: String = "", likelihood: Likelihood? = nil,
                cause: DeviationCause? = nil, causeText: String = "", measures: String = "") {
        (self.level1, self.level2, self.name, self.target) = (level1, level2, name, target)
        (self.value, self.metric, self.basis) = (value, metric, basis)
        (self.likelihood, self.cause, self.causeText, self.measures) = (likelihood, cause, causeText, measures)
    }

    /// How a binding names an indicator within its project.
    public var key: String { MonitoringEntry.key(level1: level1, level2: level2, name: name) }

    public static func key(level1: String, level2: String, name: String) -> String {
        [level1, level2, name].joined(separator: "|")
    }

    public init(_ indicator: Indicator) {
        self.init(level1: indicator.level1, level2: indicator.level2, name: indicator.name,
                  target: indicator.displayValue)
    }
}

/// A project's 监控表 at one point: its spending (adjusted budget, paid by the point, 执行率 against the plan) and
/// its indicators.
public struct MonitoringSheet: Sendable, Codable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var projectCode: String
    public var projectName: String
    public var target: String
    public var point: CivilDay
    public var approved: Fen
    public var adjusted: Fen
    public var paid: Fen
    /// 全年预计执行数, as the unit expects it; nil until given.
    public var forecast: Fen?
    /// 执行率 and the plan's progress at the point, in basis points.
    public var rate: Int?
    public var planned: Int
    public var entries: [MonitoringEntry]

    public init(unitCode: String, unitName: String, year: Int, projectCode: String, projectName: String,
                target: String, point: CivilDay, approved: Fen, adjusted: Fen, paid: Fen, rate: Int?, planned: Int,
                entries: [MonitoringEntry]) {
        (self.unitCode, self.unitName, self.year) = (unitCode, unitName, year)
        (self.projectCode, self.projectName, self.target, self.point) = (projectCode, projectName, target, point)
        (self.approved, self.adjusted, self.paid, self.rate, self.planned) = (approved, adjusted, paid, rate, planned)
        self.entries = entries
    }

    public static let limits = (value: 100, text: 500)

    /// What keeps the sheet from being submitted, each naming its line and field: every indicator needs its value
    /// and likelihood; short of 确定能, the cause (with words) and the measures.
    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        if forecast == nil {
            out.append(FieldProblem(field: "forecast", zh: "请填写全年预计执行数", en: "enter the year's expected spending"))
        }
        for (i, e) in entries.enumerated() {
            let line = "第\(i + 1)行（\(e.name)）"
            let lineEn = "line \(i + 1) (\(e.name))"
            if e.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(FieldProblem(field: "value_\(i)", zh: line + "请填写截至监控点的完成值",
                                        en: lineEn + ": enter the value reached so far"))
            }
            guard let likelihood = e.likelihood else {
                out.append(FieldProblem(field: "likelihood_\(i)", zh: line + "请选择完成目标可能性",
                                        en: lineEn + ": choose the likelihood"))
                continue
            }
            guard likelihood != .certain else { continue }
            if e.cause == nil {
                out.append(FieldProblem(field: "cause_\(i)", zh: line + "未确定能完成的，请选择偏差原因",
                                        en: lineEn + ": choose the cause of the gap"))
            }
            if e.causeText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(FieldProblem(field: "cause_text_\(i)", zh: line + "请说明偏差原因",
                                        en: lineEn + ": explain the cause"))
            }
            if e.measures.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(FieldProblem(field: "measures_\(i)", zh: line + "请填写纠偏措施",
                                        en: lineEn + ": enter the corrective measures"))
            }
        }
        return out
    }

    public static let columnsZh = ["一级指标", "二级指标", "三级指标", "年度指标值", "截至监控点完成值", "数据来源",
                                   "完成目标可能性", "偏差原因", "原因说明", "纠偏措施"]

    /// The table as every format prints it: the project's facts, then one row per indicator.
    public func rows() -> [[String]] {
        let pct = { (bp: Int?) -> String in
            guard let bp else { return "—" }
            return "\(bp / 100).\(String(format: "%02d", bp % 100))%"
        }
        var out: [[String]] = [
            ["项目名称", projectName, "项目编码", projectCode],
            ["实施单位", unitName, "监控期间", "\(year)年\(MonitoringRules.periodZh(point))（截至\(point)）"],
            ["年初预算数（元）", MoneyFormat.yuan(approved), "调整后预算数（元）", MoneyFormat.yuan(adjusted)],
            ["截至监控点支出（元）", MoneyFormat.yuan(paid), "预算执行率 / 计划进度", pct(rate) + " / " + pct(planned)],
            ["全年预计执行数（元）", forecast.map(MoneyFormat.yuan) ?? "", "年度总体目标", target],
            Self.columnsZh,
        ]
        for e in entries {
            out.append([e.level1, e.level2, e.name, e.target, e.value,
                        e.metric.map { "平台实时数据（\(MetricCatalog.shared.metric($0)?.name ?? $0)）" } ?? "手工填报",
                        e.likelihood?.zh ?? "", e.cause?.zh ?? "", e.causeText, e.measures])
        }
        return out
    }
}

/// The 监控表's path: the unit's finance staff fill and submit it, the finance bureau sends it back with a reason
/// or approves it; the staff may withdraw a submission the bureau has not acted on.
public enum MonitoringStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved
}

public enum MonitoringAction: String, Sendable, Codable, CaseIterable {
    case submit, withdraw, approve
    case sendBack = "send_back"
}

public typealias MonitoringWorkflow = ReviewPath<MonitoringStatus, MonitoringAction>

extension ReviewPath where Status == MonitoringStatus, Action == MonitoringAction {
    public static var monitoring: Self {
        Self(transitions: [
            .init(from: .draft, action: .submit, to: .submitted, role: .unitFinance),
            .init(from: .submitted, action: .withdraw, to: .draft, role: .unitFinance),
            .init(from: .submitted, action: .sendBack, to: .draft, role: .financeReviewer),
            .init(from: .submitted, action: .approve, to: .approved, role: .financeReviewer),
        ], sendBack: .sendBack, submit: .submit)
    }
}

/// A document's path between a unit and its reviewers (a 监控表, a 自评表): who may take which step from which
/// status, a reason required to send it back, nothing incomplete submitted.
public struct ReviewPath<Status: Hashable & Sendable, Action: Hashable & Sendable>: Sendable {
    public struct Transition: Sendable, Equatable {
        public var from: Status
        public var action: Action
        public var to: Status
        public var role: Role

        public init(from: Status, action: Action, to: Status, role: Role) {
            (self.from, self.action, self.to, self.role) = (from, action, to, role)
        }
    }

    public enum Refusal: Error, Equatable, Sendable {
        case notAllowedFromStatus
        case notYourStep
        case commentRequired
        case incomplete(Int)
    }

    public var transitions: [Transition]
    public var sendBack: Action
    public var submit: Action

    public init(transitions: [Transition], sendBack: Action, submit: Action) {
        (self.transitions, self.sendBack, self.submit) = (transitions, sendBack, submit)
    }

    public func actions(for p: Principal, status: Status, unitCode: String) -> [Transition] {
        transitions.filter { $0.from == status && p.grant($0.role, reaching: Target(unitCode: unitCode)) != nil }
    }

    /// One step, checked: its status, the person's role for the unit, a reason to send back, a complete document
    /// to submit.
    public func next(_ status: Status, _ action: Action, by p: Principal, unitCode: String, comment: String,
                     problems: Int) -> Result<Status, Refusal> {
        guard transitions.contains(where: { $0.from == status && $0.action == action }) else {
            return .failure(.notAllowedFromStatus)
        }
        guard let t = actions(for: p, status: status, unitCode: unitCode).first(where: { $0.action == action }) else {
            return .failure(.notYourStep)
        }
        if action == sendBack && comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure(.commentRequired)
        }
        if action == submit && problems > 0 { return .failure(.incomplete(problems)) }
        return .success(t.to)
    }
}
