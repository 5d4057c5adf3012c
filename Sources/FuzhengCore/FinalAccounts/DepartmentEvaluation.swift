import Foundation

/// The grade bands a 职责分类绩效目标 states in its own words ("大型会议控制率优10%，良20%，中30%，差50%" — lower is better;
/// "优100%，良95%，中90%，差90%以下" — higher is better), read from the text.
public struct DutyBands: Sendable, Equatable {
    /// Grade and threshold in basis points, best first.
    public var bands: [(grade: String, threshold: Int)]
    public var lowerIsBetter: Bool

    public static func == (a: DutyBands, b: DutyBands) -> Bool {
        a.lowerIsBetter == b.lowerIsBetter && a.bands.map(\.grade) == b.bands.map(\.grade)
            && a.bands.map(\.threshold) == b.bands.map(\.threshold)
    }

    /// Nil when the text names fewer than two graded thresholds. "&" after a number is read as the "%" it was meant
    /// to be (the seed has "优100&"; TEXT-PERCENT reports it).
    public static func read(_ text: String) -> DutyBands? {
        guard let regex = try? Regex("(优|良|中|差)(\\d+(?:\\.\\d+)?)[%％&](?!以下)") else { return nil }
        var bands: [(String, Int)] = []
        for match in text.matches(of: regex) {
            guard let g = match.output[1].substring, let v = match.output[2].substring,
                  let bp = basisPoints(String(v)), !bands.contains(where: { $0.0 == String(g) }) else { continue }
            bands.append((String(g), bp))
        }
        guard bands.count >= 2 else { return nil }
        return DutyBands(bands: bands, lowerIsBetter: bands[0].1 < bands[1].1)
    }

    /// "98.5" → 9,850; nil for anything else or past 1,000,000%.
    static func basisPoints(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole <= 1_000_000 else { return nil }
        var bp = whole * 100
        if parts.count == 2 {
            let f = String(parts[1].prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0)
            guard let frac = Int(f), parts[1].allSatisfy(\.isNumber) else { return nil }
            bp += frac
        }
        return bp
    }

    /// A typed value ("8%", "96.5%", "96.5") in basis points.
    public static func value(_ text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") || t.hasSuffix("％") { t.removeLast() }
        return basisPoints(t)
    }

    /// The grade of a value: the first band it reaches (at or above for higher-is-better, at or below for lower), else
    /// 差 (or the last band's grade).
    public func grade(_ value: Int) -> String {
        let graded = bands.filter { $0.grade != "差" }
        for b in graded where lowerIsBetter ? value <= b.threshold : value >= b.threshold { return b.grade }
        return "差"
    }
}

/// 部门整体支出绩效自评: the department's year over its projects (their published self-evaluations, weighted by the
/// adjusted budget) and its duty targets, each graded by the bands the target itself states.
public struct DepartmentEvaluation: Sendable, Equatable {
    public struct Duty: Sendable, Equatable {
        public var text: String
        public var bands: DutyBands?
        public var actual: String
        public var grade: String?
    }

    public var duties: [Duty]
    public var projects: Int
    /// The budget-weighted mean of the projects' scores; nil with no evaluated project.
    public var score: Decimal?
    public var grade: String?
    /// Final spending ÷ adjusted budget, in basis points.
    public var executionRate: Int?

    public static func make(_ f: FinalAccounts, rules: EvaluationRules = .shared) -> DepartmentEvaluation {
        let actuals = f.inputs.dutyActuals ?? [:]
        let duties = f.budget.narrative.dutyTargets.enumerated().map { i, text -> Duty in
            let bands = DutyBands.read(text)
            let actual = actuals[String(i)] ?? ""
            return Duty(text: text, bands: bands, actual: actual,
                        grade: bands.flatMap { b in DutyBands.value(actual).map(b.grade) })
        }
        var weighted = Decimal(0), weights = Decimal(0)
        for e in f.evaluations {
            let amount = f.budget.projects.first { $0.code == e.projectCode }
                .map { $0.amount + (f.adjustments[$0.code] ?? .zero) } ?? .zero
            let w = Decimal(max(amount.value, 0))
            weighted += e.score * w
            weights += w
        }
        let score: Decimal? = f.evaluations.isEmpty ? nil
            : weights > 0 ? weighted / weights
            : f.evaluations.map(\.score).reduce(0, +) / Decimal(f.evaluations.count)
        let adjusted = f.adjustedBudget.sum(\.amount)
        return DepartmentEvaluation(duties: duties, projects: f.evaluations.count, score: score,
                                    grade: score.map { rules.grade($0) },
                                    executionRate: ExecutionProgress.rate(paid: f.totalExpenditure, budget: adjusted))
    }

    /// The 部门整体支出绩效自评表.
    public func table(_ f: FinalAccounts) -> ReportTable {
        let pct = SupervisionStatistics.percentText
        var facts: [ReportTable.Fact] = [
            .init("预算执行率（决算数 ÷ 调整后预算数）", pct(executionRate)),
            .init("项目支出绩效自评", "\(projects)个项目，按调整后预算加权平均得分"
                  + (score.map { SelfEvaluation.shown($0) } ?? "—") + (grade.map { "，\($0)" } ?? "")),
        ]
        if let note = f.inputs.texts["department"], !note.isEmpty { facts.append(.init("总体评价", note)) }
        return ReportTable(id: "department-evaluation", title: "部门整体支出绩效自评表", unitNote: nil, facts: facts,
                           columns: [ReportColumn("职责分类绩效目标"), ReportColumn("评价标准"),
                                     ReportColumn("实际完成"), ReportColumn("等级")],
                           rows: duties.map { d in
                               ReportRow([.text(d.text),
                                          .text(d.bands.map { b in
                                              b.bands.map { "\($0.grade)\(pct($0.threshold))" }
                                                  .joined(separator: "，") + (b.lowerIsBetter ? "（越低越好）" : "")
                                          } ?? "定性评价"),
                                          .text(d.actual), .text(d.grade ?? "")])
                           },
                           emptyStatement: duties.isEmpty ? "本部门未设职责分类绩效目标。" : nil)
    }
}
