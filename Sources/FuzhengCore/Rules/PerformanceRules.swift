import Foundation

/// 绩效目标: every project has complete targets that can be scored.
enum PerformanceRules {
    static func strip(_ s: String) -> String { s.hasSuffix("指标") ? String(s.dropLast(2)) : s }

    static let all: [Rule] = [
        Rule("PERF-PRESENT", .error, zh: "每个项目都有绩效目标和指标", en: "every project has a target and indicators") { b, _, sink in
            for p in b.projects {
                if p.target.trimmingCharacters(in: .whitespaces).isEmpty {
                    sink.report("projects[\(p.code)].target", zh: "项目“\(p.name)”缺少绩效目标", en: "project “\(p.name)” has no target")
                }
                if p.indicators.isEmpty {
                    sink.report("projects[\(p.code)].indicators", zh: "项目“\(p.name)”没有绩效指标", en: "project “\(p.name)” has no indicators")
                }
            }
        },
        Rule("PERF-CATEGORIES", .error, zh: "指标框架要求的一级指标齐全", en: "the framework's first-level categories are all present") { b, _, sink in
            for p in b.projects where !p.indicators.isEmpty {
                let present = Set(p.indicators.map(\.level1))
                for required in p.framework.requiredLevel1 where !present.contains(required) {
                    sink.report("projects[\(p.code)].indicators", zh: "项目“\(p.name)”缺少一级指标“\(required)”",
                                en: "project “\(p.name)” lacks the first-level category \(required)")
                }
            }
        },
        Rule("PERF-LEVEL2", .warning, zh: "二级指标属于其一级指标", en: "second-level categories belong to their first level") { b, ctx, sink in
            for p in b.projects {
                let framework = ctx.catalogs.frameworks[p.framework] ?? [:]
                for (i, ind) in p.indicators.enumerated() {
                    guard let allowed = framework[ind.level1] else {
                        sink.report("projects[\(p.code)].indicators[\(i)].level1", zh: "“\(ind.level1)”不是该指标框架的一级指标",
                                    en: "“\(ind.level1)” is not a first-level category of this framework")
                        continue
                    }
                    if !allowed.map(strip).contains(strip(ind.level2)) {
                        sink.report("projects[\(p.code)].indicators[\(i)].level2", zh: "二级指标“\(ind.level2)”不属于“\(ind.level1)”",
                                    en: "“\(ind.level2)” does not belong under “\(ind.level1)”")
                    }
                }
            }
        },
        Rule("PERF-PLAN", .error, zh: "资金支出计划逐期不减并于年底达到100%", en: "the spending plan never decreases and ends at 100%") { b, _, sink in
            for p in b.projects {
                let plan = p.spendingPlan
                guard !plan.isEmpty else {
                    sink.report("projects[\(p.code)].spendingPlan", zh: "项目“\(p.name)”缺少资金支出计划", en: "project “\(p.name)” has no spending plan")
                    continue
                }
                for (a, c) in zip(plan, plan.dropFirst()) {
                    if c.month <= a.month {
                        sink.report("projects[\(p.code)].spendingPlan", zh: "资金支出计划的时点应按月份先后排列", en: "plan dates must be in month order")
                    }
                    if c.percent < a.percent {
                        sink.report("projects[\(p.code)].spendingPlan",
                                    zh: "项目“\(p.name)”\(c.month)月底累计支出\(c.percent)%低于\(a.month)月底的\(a.percent)%",
                                    en: "project “\(p.name)”: \(c.percent)% by month \(c.month) is below \(a.percent)% by month \(a.month)")
                    }
                }
                if let last = plan.last, last.percent != 100 || last.month != 12 {
                    sink.report("projects[\(p.code)].spendingPlan", zh: "项目“\(p.name)”的资金支出计划应在12月底达到100%（现为\(last.month)月底\(last.percent)%）",
                                en: "project “\(p.name)” must reach 100% by December (now \(last.percent)% by month \(last.month))")
                }
                if plan.contains(where: { $0.percent < 0 || $0.percent > 100 }) {
                    sink.report("projects[\(p.code)].spendingPlan", zh: "支出进度应在0%–100%之间", en: "plan percentages must be within 0–100%")
                }
            }
        },
        Rule("PERF-COST-CAP", .error, zh: "成本指标上限不超过项目预算", en: "a cost ceiling does not exceed the project's budget") { b, _, sink in
            for p in b.projects {
                for (i, ind) in p.indicators.enumerated() where strip(ind.level1) == "成本" || strip(ind.level2) == "成本" || strip(ind.level2).hasSuffix("成本") {
                    guard [.atMost, .less, .equal].contains(ind.comparator), let unit = MoneyUnit(rawValue: ind.unit),
                          let ceiling = try? MoneyFormat.parse(ind.value, unit: unit) else { continue }
                    if ceiling > p.amount {
                        sink.report("projects[\(p.code)].indicators[\(i)]",
                                    zh: "项目“\(p.name)”成本指标“\(ind.name)”上限\(ceiling.readable)超过项目预算\(p.amount.readable)",
                                    en: "project “\(p.name)”: cost ceiling \(ceiling.readable) exceeds the budget \(p.amount.readable)")
                    }
                }
            }
        },
        Rule("PERF-COMPARATOR", .warning, zh: "指标值的比较符与指标类别相符", en: "the comparator fits the indicator's kind") { b, _, sink in
            for p in b.projects {
                for (i, ind) in p.indicators.enumerated() {
                    let path = "projects[\(p.code)].indicators[\(i)]"
                    let level2 = strip(ind.level2)
                    if ind.comparator != .qualitative && ind.unit == "%", let v = Decimal(string: ind.value), v > 100 {
                        sink.report(path, zh: "“\(ind.name)”的百分比\(ind.value)%超过100%", en: "“\(ind.name)”: \(ind.value)% exceeds 100%", severity: .error)
                    }
                    if strip(ind.level1) == "满意度" && ind.comparator == .qualitative {
                        sink.report(path, zh: "满意度指标“\(ind.name)”应为可测量的百分比（如≥90%）", en: "satisfaction “\(ind.name)” should be a measurable percentage")
                    }
                    if level2 == "数量" && ind.comparator == .qualitative {
                        sink.report(path, zh: "数量指标“\(ind.name)”应有数值", en: "quantity indicator “\(ind.name)” needs a number")
                    }
                    if level2 == "成本" || strip(ind.level1) == "成本", ind.comparator == .atLeast || ind.comparator == .greater {
                        sink.report(path, zh: "成本指标“\(ind.name)”应为上限（≤），不应为下限", en: "cost indicator “\(ind.name)” should be a ceiling (≤)")
                    }
                    if level2 == "成本" || strip(ind.level1) == "成本", ind.comparator != .qualitative, MoneyUnit(rawValue: ind.unit) == nil {
                        sink.report(path, zh: "成本指标“\(ind.name)”应以元或万元为单位", en: "cost indicator “\(ind.name)” should be in 元 or 万元")
                    }
                }
            }
        },
    ]
}
