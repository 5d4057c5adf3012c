import Foundation

/// 项目支出绩效自评 (财预〔2020〕10号): a project's year scored against the targets its budget published. 预算执行率
/// 10 points (执行率 × 10, at most 10), 产出 50, 效益 30, 满意度 10, shared equally within a level unless the project
/// sets its own weights (which must add up to the level's). A quantitative indicator met scores its weight; short of
/// it, weight × completion (actual ÷ target for "≥", target ÷ actual for "≤", capped at 1); "=" is met or not; a
/// qualitative one is judged 达成 / 部分达成 / 未达成 with a percentage inside its band. Scores are Decimal — exact
/// decimal arithmetic, never binary floating point — and rounded half-up to two places only when shown.
public struct EvaluationRules: Sendable, Codable, Equatable {
    public struct Level: Sendable, Codable, Equatable {
        public var key: String
        public var name: String
        public var weight: Int
    }

    public struct Band: Sendable, Codable, Equatable {
        public var key: String
        public var name: String
        public var min: Int
        public var max: Int
    }

    public struct Grade: Sendable, Codable, Equatable {
        public var name: String
        public var min: Int
    }

    public var levels: [Level]
    public var qualitative: [Band]
    public var grades: [Grade]
    public var explainExecutionBelow: Int

    public static let shared: EvaluationRules = {
        do {
            return try JSONDecoder().decode(EvaluationRules.self,
                                            from: Catalogs.resource("evaluation", "json", "rules"))
        } catch {
            preconditionFailure("rules/evaluation.json is missing or malformed: \(error)")
        }
    }()

    public func level(_ key: EvaluationLevel) -> Level? { levels.first { $0.key == key.rawValue } }
    public func band(_ j: Judgement) -> Band? { qualitative.first { $0.key == j.rawValue } }

    /// The grade of a total as it is shown (two places, half-up: 89.995 is 90.00, 优), so a reader never sees a
    /// total and a grade that disagree.
    public func grade(_ total: Decimal) -> String {
        let shown = SelfEvaluation.rounded(total)
        return grades.sorted { $0.min > $1.min }.first { shown >= Decimal($0.min) }?.name ?? grades.last?.name ?? ""
    }
}

/// The first-level groups a score is shared within.
public enum EvaluationLevel: String, Sendable, Codable, CaseIterable {
    case budget, output, benefit, satisfaction

    /// An indicator's group from the first-level name its budget printed.
    public static func of(level1: String) -> EvaluationLevel? {
        if level1.contains("产出") { return .output }
        if level1.contains("效益") { return .benefit }
        if level1.contains("满意") { return .satisfaction }
        return nil
    }
}

public enum Judgement: String, Sendable, Codable, CaseIterable {
    case achieved, partly
    case notAchieved = "not"
}

/// One indicator as the evaluator fills it: the actual value (typed or from the monitoring data and live metrics),
/// a weight when the project sets its own, a judgement for a qualitative one, and for anything short of the target
/// the cause and the improvement.
public struct EvaluatedIndicator: Sendable, Codable, Equatable {
    public var indicator: Indicator
    /// Points, as typed ("16.5"); nil: the level's equal share.
    public var weight: Decimal?
    public var actual: String
    public var judgement: Judgement?
    /// A qualitative judgement's percentage inside its band (达成 100; 部分达成 60–80; 未达成 0–60).
    public var bandPercent: Int?
    public var cause: String
    public var improvement: String
    /// Why a value taken from the platform was changed by hand.
    public var note: String

    public init(_ indicator: Indicator, weight: Decimal? = nil, actual: String = "", judgement: Judgement? = nil,
                bandPercent: Int? = nil, cause: String = "", improvement: String = "", note: String = "") {
        self.indicator = indicator
        (self.weight, self.actual, self.judgement, self.bandPercent) = (weight, actual, judgement, bandPercent)
        (self.cause, self.improvement, self.note) = (cause, improvement, note)
    }
}

/// A project's self-evaluation as entered.
public struct ProjectEvaluation: Sendable, Codable, Equatable {
    public var unitCode: String
    public var year: Int
    public var projectCode: String
    public var projectName: String
    public var adjusted: Fen
    public var paid: Fen
    public var executionExplanation: String
    public var indicators: [EvaluatedIndicator]
    public var conclusion: String
    public var problems: String
    public var improvements: String

    public init(unitCode: String, year: Int, projectCode: String, projectName: String, adjusted: Fen, paid: Fen,
                indicators: [EvaluatedIndicator], executionExplanation: String = "", conclusion: String = "",
                problems: String = "", improvements: String = "") {
        (self.unitCode, self.year, self.projectCode, self.projectName) = (unitCode, year, projectCode, projectName)
        (self.adjusted, self.paid, self.indicators) = (adjusted, paid, indicators)
        (self.executionExplanation, self.conclusion) = (executionExplanation, conclusion)
        (self.problems, self.improvements) = (problems, improvements)
    }
}

/// The scores of a project.
public struct EvaluationScore: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var level: EvaluationLevel
        public var weight: Decimal
        /// Completion: 1 when met, the ratio or the band's share otherwise.
        public var completion: Decimal
        public var score: Decimal
        public var met: Bool
    }

    /// 执行率 as a fraction (paid ÷ adjusted, at most 1 for the score), and its points.
    public var executionRate: Decimal
    public var executionScore: Decimal
    public var lines: [Line]
    public var total: Decimal
    public var grade: String

    public func levelScore(_ level: EvaluationLevel) -> Decimal {
        level == .budget ? executionScore : lines.filter { $0.level == level }.reduce(Decimal(0)) { $0 + $1.score }
    }
}

public enum SelfEvaluation {
    /// Rounded half-up to two places, as every table prints a score: 93.33, 7.15.
    public static func rounded(_ d: Decimal) -> Decimal {
        var value = d, result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return result
    }

    public static func shown(_ d: Decimal) -> String {
        let rounded = rounded(d)
        let f = NumberFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.minimumFractionDigits = 2
        f.maximumFractionDigits = 2
        f.minimumIntegerDigits = 1
        f.usesGroupingSeparator = false
        return f.string(from: rounded as NSDecimalNumber) ?? "\(rounded)"
    }

    /// The leading number of a value as written ("99.93%", "≤24小时", "1套") through the one quantity reader.
    public static func number(_ text: String) -> Decimal? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        while let c = s.first, "≥≤<>=＝＞＜约".contains(c) { s = s.dropFirst() }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
        guard !digits.isEmpty, case .success(let q) = NumberInput.quantity(String(digits)) else { return nil }
        return Decimal(q.thousandths) / 1000
    }

    /// The checks that keep an evaluation from being scored or submitted, each naming its line and field.
    public static func problems(_ e: ProjectEvaluation, rules: EvaluationRules = .shared) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let total = rules.levels.reduce(0) { $0 + $1.weight }
        if total != 100 {
            out.append(FieldProblem(field: "rules", zh: "一级指标权重合计应为100分，规则文件为\(total)分",
                                    en: "the level weights add up to \(total), not 100"))
        }
        for level in EvaluationLevel.allCases where level != .budget {
            let lines = e.indicators.enumerated().filter { EvaluationLevel.of(level1: $0.element.indicator.level1)
                == level }
            let name = rules.level(level)?.name ?? level.rawValue
            let weight = Decimal(rules.level(level)?.weight ?? 0)
            guard !lines.isEmpty else {
                if weight > 0 {
                    out.append(FieldProblem(field: "level_\(level.rawValue)", zh: "\(name)没有三级指标，无法计分",
                                            en: "\(level.rawValue): no indicator to score"))
                }
                continue
            }
            let set = lines.compactMap(\.element.weight)
            if !set.isEmpty {
                let sum = set.reduce(Decimal(0), +)
                if set.count != lines.count || sum != weight || set.contains(where: { $0 < 0 }) {
                    out.append(FieldProblem(field: "weight_\(lines[0].offset)",
                                            zh: "\(name)各指标权重应全部填写且合计为\(weight)分（现为\(sum)分）",
                                            en: "\(level.rawValue): weights must all be set and add up to \(weight)"))
                }
            }
        }
        let line = { (i: Int, e: EvaluatedIndicator) in "第\(i + 1)行（\(e.indicator.name)）" }
        for (i, ind) in e.indicators.enumerated() {
            if ind.indicator.comparator == .qualitative {
                guard let j = ind.judgement else {
                    out.append(FieldProblem(field: "judgement_\(i)", zh: line(i, ind) + "请选择达成情况",
                                            en: "line \(i + 1): choose the judgement"))
                    continue
                }
                if j != .achieved, let band = rules.band(j) {
                    if let p = ind.bandPercent, !(band.min...band.max).contains(p) {
                        out.append(FieldProblem(field: "band_\(i)",
                                                zh: line(i, ind) + "\(band.name)的得分比例应在\(band.min)%至\(band.max)%之间",
                                                en: "line \(i + 1): the share must lie in \(band.min)–\(band.max)%"))
                    } else if ind.bandPercent == nil {
                        out.append(FieldProblem(field: "band_\(i)", zh: line(i, ind) + "请填写得分比例",
                                                en: "line \(i + 1): enter the share of the weight"))
                    }
                }
            } else if number(ind.actual) == nil {
                out.append(FieldProblem(field: "actual_\(i)", zh: line(i, ind) + "请填写实际完成值（数字，可带单位）",
                                        en: "line \(i + 1): enter the value achieved (a number)"))
            }
        }
        if let score = try? score(e, rules: rules, checked: false) {
            for (i, s) in score.lines.enumerated() where !s.met {
                let ind = e.indicators[i]
                // An unreadable value is named above; its reasons are asked for once it can be scored.
                if ind.indicator.comparator != .qualitative && number(ind.actual) == nil { continue }
                if ind.indicator.comparator == .qualitative && ind.judgement == nil { continue }
                if ind.cause.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    out.append(FieldProblem(field: "cause_\(i)", zh: line(i, ind) + "未达到目标值，请填写偏差原因",
                                            en: "line \(i + 1): short of its target, give the cause"))
                }
                if ind.improvement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    out.append(FieldProblem(field: "improvement_\(i)", zh: line(i, ind) + "未达到目标值，请填写改进措施",
                                            en: "line \(i + 1): short of its target, give the improvement"))
                }
            }
            if score.executionRate * 100 < Decimal(rules.explainExecutionBelow),
               e.executionExplanation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(FieldProblem(field: "execution", zh: "预算执行率低于\(rules.explainExecutionBelow)%，请说明原因",
                                        en: "the execution rate is below \(rules.explainExecutionBelow)%: explain it"))
            }
        }
        return out
    }

    public struct NotScorable: Error, Equatable {
        public var problems: [FieldProblem]
    }

    /// The scores; with `checked`, refused while any problem stands.
    public static func score(_ e: ProjectEvaluation, rules: EvaluationRules = .shared,
                             checked: Bool = true) throws(NotScorable) -> EvaluationScore {
        if checked {
            let p = problems(e, rules: rules)
            if !p.isEmpty { throw NotScorable(problems: p) }
        }
        let rate: Decimal = e.adjusted.value > 0 ? Decimal(e.paid.value) / Decimal(e.adjusted.value) : 0
        let budgetWeight = Decimal(rules.level(.budget)?.weight ?? 10)
        let executionScore = min(rate, 1) * budgetWeight
        var counts: [EvaluationLevel: Int] = [:]
        for i in e.indicators { if let l = EvaluationLevel.of(level1: i.indicator.level1) { counts[l, default: 0] += 1 } }
        var lines: [EvaluationScore.Line] = []
        for ind in e.indicators {
            let level = EvaluationLevel.of(level1: ind.indicator.level1) ?? .output
            let weight = ind.weight ?? Decimal(rules.level(level)?.weight ?? 0) / Decimal(max(counts[level] ?? 1, 1))
            let (completion, met) = completion(ind, rules: rules)
            lines.append(.init(level: level, weight: weight, completion: completion, score: weight * completion,
                               met: met))
        }
        let total = executionScore + lines.reduce(Decimal(0)) { $0 + $1.score }
        return EvaluationScore(executionRate: rate, executionScore: executionScore, lines: lines, total: total,
                               grade: rules.grade(total))
    }

    /// How far an indicator reached its target: (share of its weight, met).
    static func completion(_ ind: EvaluatedIndicator, rules: EvaluationRules) -> (Decimal, Bool) {
        let i = ind.indicator
        if i.comparator == .qualitative {
            guard let j = ind.judgement else { return (0, false) }
            if j == .achieved { return (1, true) }
            return (Decimal(ind.bandPercent ?? rules.band(j)?.min ?? 0) / 100, false)
        }
        guard let actual = number(ind.actual), let target = number(i.value) else { return (0, false) }
        switch i.comparator {
        case .atLeast, .greater:
            let met = i.comparator == .atLeast ? actual >= target : actual > target
            if met || target <= 0 { return (1, true) }
            return (min(max(actual / target, 0), 1), false)
        case .atMost, .less:
            let met = i.comparator == .atMost ? actual <= target : actual < target
            if met { return (1, true) }
            return (actual > 0 ? min(target / actual, 1) : 0, false)
        case .equal:
            return actual == target ? (1, true) : (0, false)
        case .qualitative:
            return (0, false)
        }
    }
}

/// The 自评表's path: the unit's finance staff prepare it, the unit head approves it, the finance bureau reviews it
/// (and may re-score it, with a recorded reason, before it does), then the unit publishes it with its 决算.
public enum EvaluationStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, reviewed, published
    case unitApproved = "unit_approved"
}

public enum EvaluationAction: String, Sendable, Codable, CaseIterable {
    case submit, withdraw, approve, review, publish
    case sendBack = "send_back"
}

public typealias EvaluationWorkflow = ReviewPath<EvaluationStatus, EvaluationAction>

extension ReviewPath where Status == EvaluationStatus, Action == EvaluationAction {
    public static var evaluation: Self {
        Self(transitions: [
            .init(from: .draft, action: .submit, to: .submitted, role: .unitFinance),
            .init(from: .submitted, action: .withdraw, to: .draft, role: .unitFinance),
            .init(from: .submitted, action: .approve, to: .unitApproved, role: .unitHead),
            .init(from: .submitted, action: .sendBack, to: .draft, role: .unitHead),
            .init(from: .unitApproved, action: .review, to: .reviewed, role: .financeReviewer),
            .init(from: .unitApproved, action: .sendBack, to: .draft, role: .financeReviewer),
            .init(from: .reviewed, action: .publish, to: .published, role: .unitFinance),
        ], sendBack: .sendBack, submit: .submit)
    }
}

extension SelfEvaluation {
    public static let columnsZh = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                   "偏差原因", "改进措施"]

    /// The 项目支出绩效自评表 as every format prints it.
    public static func rows(_ e: ProjectEvaluation, score s: EvaluationScore, unitName: String) -> [[String]] {
        let rate = shown(s.executionRate * 100) + "%"
        var out: [[String]] = [
            ["项目名称", e.projectName, "项目编码", e.projectCode],
            ["实施单位", unitName, "评价年度", "\(e.year)年"],
            ["全年预算数（元）", MoneyFormat.yuan(e.adjusted), "全年执行数（元）", MoneyFormat.yuan(e.paid)],
            ["预算执行率", rate, "得分（分值10）", shown(s.executionScore)],
        ]
        if !e.executionExplanation.isEmpty { out.append(["执行率偏低原因", e.executionExplanation, "", ""]) }
        out.append(columnsZh)
        for (ind, line) in zip(e.indicators, s.lines) {
            let actual: String
            if ind.indicator.comparator == .qualitative {
                let band = ind.judgement.flatMap { EvaluationRules.shared.band($0) }?.name ?? ""
                actual = band + (ind.judgement == .achieved ? "" : "（\(ind.bandPercent ?? 0)%）")
            } else {
                actual = ind.actual
            }
            out.append([ind.indicator.level1, ind.indicator.level2, ind.indicator.name, ind.indicator.displayValue,
                        actual, shown(line.weight), shown(line.score), ind.cause, ind.improvement])
        }
        out.append(["总分", shown(s.total), "自评等级", s.grade])
        out.append(["评价结论", e.conclusion, "", ""])
        out.append(["存在问题", e.problems, "", ""])
        out.append(["改进措施", e.improvements, "", ""])
        return out
    }

    /// The 自评表 as a document every disclosure format renders (HTML, and PDF printed from it): the project's
    /// figures as facts, one row per indicator, then the total, the conclusion, the problems and the measures.
    public static func document(_ e: ProjectEvaluation, score s: EvaluationScore, unitName: String) -> Disclosure {
        var facts: [ReportTable.Fact] = [
            .init("项目名称", e.projectName), .init("项目编码", e.projectCode), .init("实施单位", unitName),
            .init("评价年度", "\(e.year)年"), .init("全年预算数（元）", MoneyFormat.yuan(e.adjusted)),
            .init("全年执行数（元）", MoneyFormat.yuan(e.paid)),
            .init("预算执行率", shown(s.executionRate * 100) + "%"), .init("执行率得分（分值10）", shown(s.executionScore)),
        ]
        if !e.executionExplanation.isEmpty { facts.append(.init("执行率偏低原因", e.executionExplanation)) }
        facts += [.init("总分", shown(s.total)), .init("自评等级", s.grade)]
        let lines = rows(e, score: s, unitName: unitName).filter { $0.count == columnsZh.count && $0 != columnsZh }
        let table = ReportTable(id: "evaluation-\(e.projectCode)", title: "项目支出绩效自评表", unitNote: nil, facts: facts,
                                columns: columnsZh.map { ReportColumn($0) },
                                rows: lines.map { ReportRow($0.map { CellValue.text($0) }) })
        let blocks: [DisclosureBlock] = [.table(table.id), .subheading("评价结论"), .paragraph(e.conclusion),
                                         .subheading("存在问题"), .paragraph(e.problems),
                                         .subheading("改进措施"), .paragraph(e.improvements)]
        return Disclosure(fiscalYear: e.year, department: OrgRef(code: e.unitCode, name: unitName),
                          title: "\(unitName)\n\(e.year)年项目支出绩效自评表", intro: e.projectName,
                          sections: [DisclosureSection(number: "", heading: "绩效自评", blocks: blocks)],
                          tables: [table])
    }
}
