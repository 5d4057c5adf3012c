import Foundation
@testable import FuzhengCore
import Testing

@Suite("项目支出绩效自评: the scoring rules on hand-computed cases, weights, bands and grades")
struct SelfEvaluationTests {
    static func ind(_ level1: String, _ name: String, _ c: FuzhengCore.Comparator, _ value: String,
                    _ unit: String = "%")
        -> Indicator {
        Indicator(level1: level1, level2: "", name: name, description: "", comparator: c, value: value, unit: unit,
                  basis: "")
    }

    /// The seed's 电子政务平台: 4 output lines (12.5 each), 1 benefit (30), 1 satisfaction (10).
    static func egov(paid: Fen = .yuan(4_250_000)) -> ProjectEvaluation {
        ProjectEvaluation(unitCode: "434001", year: 2023, projectCode: "P", projectName: "电子政务平台建设资金",
                          adjusted: .yuan(5_000_000), paid: paid, indicators: [
            EvaluatedIndicator(ind("产出指标", "数量", .equal, "1", "套"), actual: "1套"),
            EvaluatedIndicator(ind("产出指标", "平台正常运行率", .equal, "100"), actual: "99.93%",
                               cause: "7月光缆中断", improvement: "增设备用链路"),
            EvaluatedIndicator(ind("产出指标", "应急处置时效", .atMost, "24", "小时"), actual: "3.33小时"),
            EvaluatedIndicator(ind("产出指标", "总成本", .atMost, "500", "万元"), actual: "425万元"),
            EvaluatedIndicator(ind("效益指标", "保障正常运行", .qualitative, "正常运行", ""), judgement: .achieved),
            EvaluatedIndicator(ind("满意度指标", "使用人员满意度", .atLeast, "95"), actual: "97.16%"),
        ], executionExplanation: "部分合同尾款按约定次年支付")
    }

    @Test("Met lines score their weight, an '=' missed scores nothing, 执行率 × 10; the grade from the total")
    func egovByHand() throws {
        let s = try SelfEvaluation.score(Self.egov())
        // 执行率 85% → 8.5; output 12.5 × 3 (平台正常运行率 missed: '=' is met or not) = 37.5; benefit 30;
        // satisfaction 10 → 86.00, 良.
        #expect(s.executionScore == Decimal(string: "8.5"))
        #expect(s.lines.map(\.score) == ["12.5", "0", "12.5", "12.5", "30", "10"].map { Decimal(string: $0)! })
        #expect(SelfEvaluation.shown(s.total) == "86.00" && s.grade == "良")
        #expect(s.levelScore(.output) == Decimal(string: "37.5") && s.levelScore(.budget) == Decimal(string: "8.5"))
    }

    @Test("Partly met: weight × actual ÷ target for '≥', target ÷ actual for '≤', capped at 1")
    func partly() throws {
        var e = Self.egov(paid: .yuan(5_200_000))
        e.indicators[5].actual = "76%"      // ≥95: 76 / 95 = 0.8 → 8
        e.indicators[5].cause = "新版本培训不足"
        e.indicators[5].improvement = "分批培训"
        e.indicators[2].actual = "30小时"   // ≤24: 24 / 30 = 0.8 → 10
        e.indicators[2].cause = "供应商响应慢"
        e.indicators[2].improvement = "合同约定响应时限"
        let s = try SelfEvaluation.score(e)
        #expect(s.lines[5].score == 8 && !s.lines[5].met)
        #expect(s.lines[2].score == 10 && s.lines[2].completion == Decimal(string: "0.8"))
        // Paid above the budget: 执行率 counts at most 10 points.
        #expect(s.executionScore == 10)
        // 10 + 12.5 + 0 + 10 + 12.5 + 30 + 8 = 83
        #expect(s.total == 83 && s.grade == "良")
        // A third of a weight stays exact until shown: 50 / 3 per line.
        var thirds = Self.egov()
        thirds.indicators = [EvaluatedIndicator(Self.ind("产出指标", "甲", .atLeast, "3", "次"), actual: "2次",
                                                cause: "因故取消", improvement: "下年补足"),
                             EvaluatedIndicator(Self.ind("产出指标", "乙", .atLeast, "1", "次"), actual: "1次"),
                             EvaluatedIndicator(Self.ind("产出指标", "丙", .atLeast, "1", "次"), actual: "1次"),
                             EvaluatedIndicator(Self.ind("效益指标", "丁", .qualitative, "提升", ""), judgement: .achieved),
                             EvaluatedIndicator(Self.ind("满意度指标", "戊", .atLeast, "90"), actual: "90%")]
        let t = try SelfEvaluation.score(thirds)
        // (50/3) × (2/3) = 11.111…: shown 11.11; the total 8.5 + 11.111… + 33.333… + 30 + 10 = 92.944… → 92.94.
        #expect(SelfEvaluation.shown(t.lines[0].score) == "11.11" && SelfEvaluation.shown(t.total) == "92.94")
        #expect(t.grade == "优")
    }

    @Test("Qualitative: 达成 in full, 部分达成 and 未达成 inside their bands, with a reason")
    func qualitative() throws {
        var e = Self.egov()
        e.indicators[4].judgement = .partly
        e.indicators[4].bandPercent = 85
        #expect(SelfEvaluation.problems(e).map(\.field).contains("band_4"))
        e.indicators[4].bandPercent = 70
        #expect(SelfEvaluation.problems(e).map(\.field).contains("cause_4"))
        e.indicators[4].cause = "两次短时中断"
        e.indicators[4].improvement = "双链路"
        let s = try SelfEvaluation.score(e)
        #expect(s.lines[4].score == 21)    // 30 × 70%
        e.indicators[4].judgement = .notAchieved
        e.indicators[4].bandPercent = 61
        #expect(SelfEvaluation.problems(e).map(\.field) == ["band_4"])
    }

    @Test("Weights a project sets must all be set and add up to the level's points; otherwise refused")
    func weights() throws {
        var e = Self.egov()
        e.indicators[0].weight = 20
        e.indicators[1].weight = 10
        e.indicators[2].weight = 10
        #expect(throws: SelfEvaluation.NotScorable.self) { try SelfEvaluation.score(e) }
        #expect(SelfEvaluation.problems(e).map(\.field) == ["weight_0"])
        e.indicators[3].weight = 5         // 20 + 10 + 10 + 5 = 45 ≠ 50
        #expect(SelfEvaluation.problems(e).first?.zh.contains("合计为50分（现为45分）") == true)
        e.indicators[3].weight = 10
        let s = try SelfEvaluation.score(e)
        // 平台正常运行率 (10 points) missed: 8.5 + 20 + 0 + 10 + 10 + 30 + 10 = 88.5.
        #expect(s.total == Decimal(string: "88.5"))
    }

    @Test("Grade bands are data: 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60; the missing reasons are named")
    func gradesAndReasons() {
        let r = EvaluationRules.shared
        let totals = ["100", "90", "89.995", "89.994", "80", "79.99", "60", "59.99", "0"].map { Decimal(string: $0)! }
        #expect(totals.map(r.grade) == ["优", "优", "优", "良", "良", "中", "中", "差", "差"])
        var e = Self.egov()
        e.indicators[1].cause = ""
        e.executionExplanation = ""
        e.indicators[5].actual = "很高"
        let fields = SelfEvaluation.problems(e).map(\.field)
        #expect(fields == ["actual_5", "cause_1", "execution"])
        #expect(SelfEvaluation.number("≤24小时") == 24 && SelfEvaluation.number("1,000.5万元") == Decimal(string: "1000.5"))
        #expect(SelfEvaluation.number("99999999999") == nil)
    }
}
