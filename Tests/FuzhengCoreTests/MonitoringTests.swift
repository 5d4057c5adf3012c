import Foundation
@testable import FuzhengCore
import Testing

@Suite("绩效运行监控: the 监控表's checks, its table and its workflow")
struct MonitoringTests {
    static func sheet(_ entries: [MonitoringEntry], forecast: Fen? = .yuan(4_000_000)) -> MonitoringSheet {
        var s = MonitoringSheet(unitCode: "434001", unitName: "怀来县人民政府办公室", year: 2023,
                                projectCode: "P1", projectName: "电子政务平台建设资金", target: "平台稳定运行",
                                point: CivilDay(year: 2023, month: 6, day: 30), approved: .yuan(5_000_000),
                                adjusted: .yuan(5_000_000), paid: .yuan(1_250_000), rate: 2_500, planned: 5_000,
                                entries: entries)
        s.forecast = forecast
        return s
    }

    static let uptime = MonitoringEntry(Indicator(level1: "产出指标", level2: "质量指标", name: "平台正常运行率",
                                                  description: "", comparator: .equal, value: "100", unit: "%",
                                                  basis: ""))

    @Test("The points are data: the end of June and of August by default")
    func points() {
        #expect(MonitoringRules.shared.days(of: 2023) == [CivilDay(year: 2023, month: 6, day: 30),
                                                          CivilDay(year: 2023, month: 8, day: 31)])
        #expect(MonitoringRules.periodZh(CivilDay(year: 2023, month: 8, day: 31)) == "1-8月")
    }

    @Test("Every line needs its value and likelihood; short of 确定能, the cause with words and the measures")
    func problems() {
        var e = Self.uptime
        #expect(Self.sheet([e]).problems().map(\.field) == ["value_0", "likelihood_0"])
        e.value = "99.93%"
        e.likelihood = .certain
        #expect(Self.sheet([e]).problems().isEmpty)
        #expect(Self.sheet([e], forecast: nil).problems().map(\.field) == ["forecast"])
        e.likelihood = .possible
        #expect(Self.sheet([e]).problems().map(\.field) == ["cause_0", "cause_text_0", "measures_0"])
        e.cause = .management
        e.causeText = "  "
        e.measures = "加强运维巡检"
        let p = Self.sheet([e]).problems()
        #expect(p.map(\.field) == ["cause_text_0"] && p[0].zh.contains("第1行（平台正常运行率）"))
        e.causeText = "6月一次机房断电"
        #expect(Self.sheet([e]).problems().isEmpty)
    }

    @Test("The table every format prints: the project's figures, then one row per indicator with its source")
    func rows() {
        var e = Self.uptime
        e.value = "99.93%"
        e.metric = "platform_availability"
        e.likelihood = .certain
        let rows = Self.sheet([e]).rows()
        #expect(rows[1][3] == "2023年1-6月（截至2023-06-30）")
        #expect(rows[3][1] == "1250000.00" && rows[3][3] == "25.00% / 50.00%")
        #expect(rows[4][1] == "4000000.00")
        #expect(rows[5] == MonitoringSheet.columnsZh)
        #expect(rows[6] == ["产出指标", "质量指标", "平台正常运行率", "100%", "99.93%", "平台实时数据（平台正常运行率）",
                            "确定能", "", "", ""])
    }

    @Test("The unit submits a complete sheet; the finance bureau sends it back with a reason or approves it")
    func workflow() {
        let staff = Principal(role: .unitFinance, unitCode: "434001")
        let other = Principal(role: .unitFinance, unitCode: "436001")
        let bureau = Principal(role: .financeReviewer, unitCode: "901001")
        let next = MonitoringWorkflow.monitoring.next
        #expect(next(.draft, .submit, staff, "434001", "", 2) == .failure(.incomplete(2)))
        #expect(next(.draft, .submit, staff, "434001", "", 0) == .success(.submitted))
        #expect(next(.draft, .submit, other, "434001", "", 0) == .failure(.notYourStep))
        #expect(next(.draft, .approve, bureau, "434001", "", 0) == .failure(.notAllowedFromStatus))
        #expect(next(.submitted, .sendBack, bureau, "434001", " ", 0) == .failure(.commentRequired))
        #expect(next(.submitted, .sendBack, bureau, "434001", "偏差原因不具体", 0) == .success(.draft))
        #expect(next(.submitted, .approve, staff, "434001", "", 0) == .failure(.notYourStep))
        #expect(next(.submitted, .approve, bureau, "434001", "", 0) == .success(.approved))
        #expect(next(.submitted, .withdraw, staff, "434001", "", 0) == .success(.draft))
        #expect(next(.approved, .sendBack, bureau, "434001", "再改", 0) == .failure(.notAllowedFromStatus))
    }
}
