import Foundation
@testable import FuzhengCore
import Testing

@Suite("督查督办: the 督办单 form, moves, report days, reminder points, statistics and the 通报 text")
struct SupervisionFlowTests {
    let cal = WorkingCalendar.shared
    func day(_ m: Int, _ d: Int, _ y: Int = 2024) -> CivilDay { CivilDay(year: y, month: m, day: d) }

    @Test("立项 reads every field and names each problem")
    func order() throws {
        let today = day(3, 4)
        let units: Set<String> = ["434001", "401001", "402001"]
        let ok = SupervisionOrder.read(["title": "推进一体化移动办公系统建设", "source": "meeting", "lead": "434001",
                                        "assisting": "401001,434001,401001,999999", "deadline": "2024年6月28日",
                                        "cycle": "weekly", "cycle_day": "5", "kind": "key"], units: units, today: today)
        let o = try ok.get()
        #expect(o.assisting == ["401001"])
        #expect(o.deadline == day(6, 28) && o.cycle == .weekly(weekday: 5) && o.kind == .key && o.start == today)
        guard case .failure(let p) = SupervisionOrder.read(["source": "npc_suggestion", "lead": "x",
                                                            "deadline": "2024-03-01",
                                                            "cycle": "monthly", "cycle_day": "31"],
                                                           units: units, today: today) else {
            Issue.record("accepted a bad form"); return
        }
        #expect(Set(p.all.map(\.field)) == ["title", "lead", "deadline", "cycle_day", "proposer"])
        guard case .failure(let huge) = SupervisionOrder.read(["title": "x", "source": "meeting", "lead": "434001",
                                                               "deadline": "2024-06-01", "cycle": "weekly",
                                                               "cycle_day": "99999999999999999999999"],
                                                              units: units, today: today) else {
            Issue.record("accepted a huge day"); return
        }
        #expect(huge.all.map(\.field) == ["cycle_day"])
    }

    @Test("Moves: 签收 once, reports need text and 0–100, 延期 only before the deadline, 销号 and reopen need words")
    func moves() {
        #expect(SupervisionFlow.acknowledge(.assigned) == .success(.handling))
        #expect(SupervisionFlow.acknowledge(.handling) == .failure(.wrongState))
        #expect(SupervisionFlow.report(.handling, text: "完成招标", percent: "40%") == .success(40))
        guard case .failure(.problems(let p)) = SupervisionFlow.report(.handling, text: " ", percent: "140") else {
            Issue.record("accepted"); return
        }
        #expect(p.map(\.field) == ["text", "percent"])
        #expect(SupervisionFlow.report(.assigned, text: "x", percent: "1") == .failure(.wrongState))
        #expect(SupervisionFlow.requestExtension(.handling, deadline: day(6, 28), requested: "2024-07-31",
                                                 reason: "设备到货延迟", today: day(6, 28)) == .success(day(7, 31)))
        guard case .failure(.problems(let late)) = SupervisionFlow.requestExtension(
            .handling, deadline: day(6, 28), requested: "2024-06-20", reason: "", today: day(7, 1)) else {
            Issue.record("accepted"); return
        }
        #expect(late.map(\.field) == ["to", "to", "reason"])
        #expect(SupervisionFlow.close(.handling, result: "已上线运行") == .success(.closed))
        #expect(SupervisionFlow.close(.assigned, result: "x") == .failure(.wrongState))
        #expect(SupervisionFlow.reopen(.closed, reason: "") != .success(.handling))
        #expect(SupervisionFlow.reopen(.closed, reason: "复核发现未完成") == .success(.handling))
    }

    @Test("Report days: weekly on a weekday, monthly on a day, moved past holidays, none after the deadline")
    func reportDays() {
        // Friday 2024-10-04 is in 国庆: the weekly Friday report moves to the next working day, Tuesday 10-08.
        #expect(ReportCycle.weekly(weekday: 5).next(after: day(9, 30), until: day(12, 31), calendar: cal) == day(10, 8))
        #expect(ReportCycle.weekly(weekday: 5).next(after: day(10, 8), until: day(12, 31), calendar: cal)
            == day(10, 11))
        #expect(ReportCycle.monthly(day: 25).next(after: day(12, 25), until: day(12, 31, 2025), calendar: cal)
            == day(1, 26, 2025))  // 2025-01-25 is a Saturday; Sunday the 26th is a 调休 working day (春节)
        #expect(ReportCycle.monthly(day: 25).next(after: day(3, 1), until: day(3, 20), calendar: cal) == nil)
        #expect(ReportCycle.once(day(5, 6)).next(after: day(5, 6), until: day(6, 1), calendar: cal) == nil)
    }

    @Test("Reminder points carry their day and the deadline in force; a late run sends the later point only")
    func reminders() {
        let s = SupervisionReminder.Snapshot(state: .handling, assignedOn: day(3, 4), start: day(3, 4),
                                             deadline: day(6, 28), cycle: .monthly(day: 25), lastReport: nil)
        #expect(SupervisionReminder.due(s, today: day(3, 22), calendar: cal).map(\.key) == ["report-2024-03-25"])
        #expect(SupervisionReminder.due(s, today: day(3, 27), calendar: cal).map(\.key) == ["report-late-2024-03-25"])
        var reported = s
        reported.lastReport = day(3, 26)
        #expect(SupervisionReminder.due(reported, today: day(3, 27), calendar: cal).isEmpty)
        // April's and May's reports never came: the first missed day is what is owed.
        #expect(SupervisionReminder.due(reported, today: day(6, 25), calendar: cal).map(\.key)
            == ["soon-2024-06-28", "report-late-2024-04-25"])
        reported.lastReport = day(6, 25)
        #expect(SupervisionReminder.due(reported, today: day(6, 25), calendar: cal).map(\.key) == ["soon-2024-06-28"])
        #expect(SupervisionReminder.due(reported, today: day(7, 1), calendar: cal).map(\.key) == ["overdue-2024-06-28"])
        #expect(SupervisionReminder.due(reported, today: day(7, 8), calendar: cal).map(\.key)
            == ["escalate-2024-06-28", "overdue-2024-06-28"])
        var assigned = s
        assigned.state = .assigned
        #expect(SupervisionReminder.due(assigned, today: day(3, 4), calendar: cal).isEmpty)
        #expect(SupervisionReminder.due(assigned, today: day(3, 5), calendar: cal).map(\.kind) == [.unacknowledged])
        var closed = s
        closed.state = .closed
        #expect(SupervisionReminder.due(closed, today: day(7, 8), calendar: cal).isEmpty)
    }

    @Test("政府工作报告 milestones: the last working day of each quarter still ahead")
    func milestones() {
        #expect(WorkReportMilestones.quarters(of: 2024, from: day(4, 1), calendar: cal)
            == [day(6, 28), day(9, 30), day(12, 31)])
    }

    @Test("Statistics by unit (ranked) and source, proposals' reply and satisfaction rates, by hand")
    func statistics() {
        let items = [
            SupervisedItem(id: "a", unit: "401001", deadline: day(3, 10), closedOn: day(3, 8)),
            SupervisedItem(id: "b", unit: "401001", deadline: day(3, 20), closedOn: day(3, 25)),
            SupervisedItem(id: "c", unit: "402001", deadline: day(3, 15), closedOn: day(3, 15)),
            SupervisedItem(id: "d", unit: "402001", deadline: day(3, 28), extendedTo: day(4, 30),
                           extensionApprovedOn: day(3, 20)),
            SupervisedItem(id: "e", unit: "434001", deadline: day(3, 29), source: .npcSuggestion,
                           repliedOn: day(3, 29), satisfaction: .basically),
            SupervisedItem(id: "f", unit: "434001", deadline: day(3, 5), closedOn: day(3, 6), source: .cppccProposal,
                           repliedOn: day(3, 6), satisfaction: .dissatisfied),
        ]
        let s = SupervisionStatistics.make(items, from: day(3, 1), to: day(3, 31))
        #expect(s.county.due == 5 && s.county.closed == 4 && s.county.onTime == 2)
        #expect(s.county.closedRate == 8_000 && s.county.onTimeRate == 4_000)
        #expect(s.units.map(\.key) == ["402001", "401001", "434001"])
        #expect(s.sources.map(\.key) == ["meeting", "npc_suggestion", "cppcc_proposal"])
        #expect(s.proposals.replyRate == 5_000 && s.proposals.satisfactionRate == 5_000)
        #expect(SupervisionStatistics.percentText(s.county.onTimeRate) == "40.00%")
        #expect(SupervisionStatistics.percentText(9_756) == "97.56%" && SupervisionStatistics.percentText(nil) == "—")
    }

    @Test("The 通报 names the figures, the red items and their units; the chart escapes names and stays in its box")
    func bulletin() {
        let s = SupervisionStatistics.make([
            SupervisedItem(id: "a", unit: "401001", deadline: day(3, 10), closedOn: day(3, 8)),
            SupervisedItem(id: "b", unit: "402001", deadline: day(3, 20)),
        ], from: day(3, 1), to: day(3, 31))
        let text = SupervisionBulletin.body(year: 2024, month: 3, statistics: s,
                                            unitNames: ["401001": "县发改局", "402001": "县水务局"],
                                            red: [.init(title: "农村饮水工程维修", unit: "402001", deadline: day(3, 20),
                                                        workingDaysOverdue: 8)], open: 3)
        #expect(text.contains("应办结督办事项2件，已办结1件，办结率50.00%"))
        #expect(text.contains("农村饮水工程维修（牵头单位：县水务局，期限2024年3月20日，仍未办结，已逾期8个工作日）"))
        #expect(text.contains("请县水务局切实履行牵头责任"))
        #expect(DocumentBody(text).paragraphs.filter { $0.level == 1 }.count == 4)
        let svg = SupervisionChart.render(title: "办结率", bars: [.init(label: "<b>&", closed: 10_000, onTime: nil)],
                                          closedLabel: "办结率", onTimeLabel: "按期办结率", emptyText: "无")
        #expect(svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"))
        #expect(svg.contains("width=\"282\"") && svg.contains("—"))
    }
}
