import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A first start shows 收文 in every state: the finance bureau's 怀财字〔2023〕7号 (the 资金文号 behind the seed's four
/// projects) with its 拟办, the 常务副县长's 批示, the office's 承办 with the bureau assisting, and 办结; a city
/// notice waiting for the 县长's 批示; a 请示 with the finance bureau, due in two working days; a provincial opinion
/// waiting for 拟办; a report in 传阅 that one leader has read and one has not; one overdue. Dates count from today,
/// in working days, so the colours are the same whenever the demo is started. `serve` with the demo only.
enum DemoIncoming {
    struct Act {
        var action: String
        var user: (String, String)
        var comment: String
        var signature: String? = nil
    }

    struct Item {
        var registration: IncomingRegistration
        var state: IncomingState
        var acts: [Act]
        var readers: [(String, String, Bool)] = []
    }

    static let zhang = ("bangong", "张秘书"), zheng = ("wenshu", "郑文书"), zhao = Person(username: "lingdao", name: "赵县长")
    static let wu = Person(username: "fxz3", name: "吴副县长"), qian = Person(username: "fxz1", name: "钱副县长")

    static func items(today: CivilDay, now: Date) -> [Item] {
        let cal = WorkingCalendar.shared
        func back(_ n: Int) -> CivilDay {
            var d = today
            var left = n
            while left > 0 { d = d.adding(days: -1); if cal.isWorkingDay(d) { left -= 1 } }
            return d
        }
        var budget = IncomingState(step: .done)
        budget.proposal = Proposal(kind: .handle, text: "此件为县财政局下达我办2023年部门预算（含电子政务平台建设资金等四个项目）",
                                   leaders: [wu], lead: "434001", due: CivilDay(year: 2023, month: 3, day: 3))
        budget.instructions = [Instruction(leader: wu, text: "请办公室按批复抓好预算执行，按季度报送支出进度，20日内完成部门预算公开。",
                                           lead: "434001", assisting: ["436001"],
                                           due: CivilDay(year: 2023, month: 3, day: 3), at: now)]
        budget.lead = "434001"
        budget.assisting = ["436001"]
        budget.result = "已于2023年3月1日在县政府网站公开部门预算，项目绩效目标已录入平台并按季度监控。"
        budget.doneOn = CivilDay(year: 2023, month: 3, day: 1)
        var city = IncomingState(step: .instruct)
        city.proposal = Proposal(kind: .handle, text: "拟请县应急管理局牵头，各乡镇、县直各部门落实",
                                 leaders: [zhao], lead: "434001", due: cal.adding(workingDays: 3, to: today))
        city.lead = "434001"
        city.due = city.proposal?.due
        var school = IncomingState(step: .handle)
        school.proposal = Proposal(kind: .handle, text: "拟请财政局研究提出意见", leaders: [qian], lead: "436001",
                                   due: cal.adding(workingDays: 2, to: today))
        school.instructions = [Instruction(leader: qian, text: "请财政局会同教育局核实维修项目和资金需求，提出意见报县政府。",
                                           lead: "436001", assisting: ["437001"], at: now)]
        school.lead = "436001"
        school.assisting = ["437001"]
        school.due = cal.adding(workingDays: 2, to: today)
        var flu = IncomingState(step: .done)
        flu.proposal = Proposal(kind: .read, text: "拟请领导阅知", leaders: [zhao])
        flu.instructions = [Instruction(leader: zhao, text: "阅。请卫健局继续做好重点人群防护。", at: now)]
        flu.result = "阅知"
        flu.doneOn = today
        var roads = IncomingState(step: .handle)
        roads.proposal = Proposal(kind: .handle, text: "拟请办公室督查室核实后报县长", leaders: [zhao], lead: "434001",
                                  due: back(3))
        roads.instructions = [Instruction(leader: zhao, text: "同意。", at: now)]
        roads.lead = "434001"
        roads.due = back(3)
        return [
            Item(registration: IncomingRegistration(sender: "怀来县财政局", senderNumber: "怀财字〔2023〕7号",
                                                    title: "怀来县财政局关于批复2023年部门预算的通知", copies: 2,
                                                    receivedOn: CivilDay(year: 2023, month: 2, day: 10)),
                 state: budget, acts: [
                    Act(action: "registered", user: zheng, comment: ""),
                    Act(action: "propose", user: zhang, comment: "此件为县财政局下达我办2023年部门预算；建议由办公室承办，2023-03-03前办结；呈吴副县长批示"),
                    Act(action: "instruct", user: ("fxz3", "吴副县长"),
                        comment: "请办公室按批复抓好预算执行，按季度报送支出进度，20日内完成部门预算公开。；承办：怀来县人民政府办公室；协办：怀来县财政局（演示）",
                        signature: "M20 60 L60 20 L100 70 L140 30 L180 60 M200 40 L260 45"),
                    Act(action: "assist", user: ("juzhang", "何局长"), comment: "财政局已将项目绩效目标随批复下达，请按季度报送执行进度。"),
                    Act(action: "complete", user: ("fuzeren", "李主任"), comment: budget.result ?? ""),
                 ]),
            Item(registration: IncomingRegistration(sender: "张家口市人民政府办公室", senderNumber: "张政办字〔\(today.year)〕45号",
                                                    title: "关于做好元旦春节期间安全生产工作的通知", urgency: .veryUrgent,
                                                    receivedOn: back(1)),
                 state: city, acts: [
                    Act(action: "registered", user: zheng, comment: ""),
                    Act(action: "propose", user: zhang, comment: "拟请县应急管理局牵头，各乡镇、县直各部门落实；呈赵县长批示"),
                 ]),
            Item(registration: IncomingRegistration(sender: "怀来县教育局本级（演示）", senderNumber: "怀教字〔\(today.year)〕31号",
                                                    title: "关于申请解决部分学校校舍维修资金的请示", urgency: .urgent,
                                                    receivedOn: back(4)),
                 state: school, acts: [
                    Act(action: "registered", user: zheng, comment: ""),
                    Act(action: "propose", user: zhang, comment: "拟请财政局研究提出意见；呈钱副县长批示"),
                    Act(action: "instruct", user: ("fxz1", "钱副县长"), comment: "请财政局会同教育局核实维修项目和资金需求，提出意见报县政府。"),
                 ]),
            Item(registration: IncomingRegistration(sender: "河北省人民政府办公厅", senderNumber: "冀政办字〔\(today.year)〕118号",
                                                    title: "关于进一步优化政务服务提升行政效能的实施意见",
                                                    receivedOn: today),
                 state: IncomingState(step: .propose), acts: [Act(action: "registered", user: zheng, comment: "")]),
            Item(registration: IncomingRegistration(sender: "怀来县卫生健康局本级（演示）", senderNumber: "怀卫字〔\(today.year)〕12号",
                                                    title: "关于冬季流感防控工作情况的报告", receivedOn: back(2)),
                 state: flu, acts: [
                    Act(action: "registered", user: zheng, comment: ""),
                    Act(action: "propose", user: zhang, comment: "拟请领导阅知；呈赵县长批示"),
                    Act(action: "instruct", user: ("lingdao", "赵县长"), comment: "阅。请卫健局继续做好重点人群防护。"),
                    Act(action: "circulated", user: zhang, comment: "传阅：吴副县长、周副县长"),
                 ], readers: [("fxz3", "吴副县长", true), ("fxz2", "周副县长", false)]),
            Item(registration: IncomingRegistration(sender: "怀来县交通运输局本级（演示）", senderNumber: "怀交字〔\(today.year)〕9号",
                                                    title: "关于农村公路养护资金使用情况的报告", receivedOn: back(12)),
                 state: roads, acts: [
                    Act(action: "registered", user: zheng, comment: ""),
                    Act(action: "propose", user: zhang, comment: "拟请办公室督查室核实后报县长；呈赵县长批示"),
                    Act(action: "instruct", user: ("lingdao", "赵县长"), comment: "同意。"),
                 ]),
        ]
    }

    static let steps = ["registered": "register", "propose": "propose", "instruct": "instruct", "assist": "handle",
                        "complete": "handle"]

    static func load(_ app: Application) async throws {
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == "434001").first() else { return }
        let now = app.fuzheng.clock.now()
        let today = CivilDay(now)
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            for (i, item) in items(today: today, now: now).enumerated() {
                let m = IncomingModel()
                m.$unit.id = try unit.requireID()
                m.year = item.registration.receivedOn.year
                m.source = "outside"
                IncomingController.fill(m, item.registration)
                m.registeredBy = zheng.0
                m.registeredByName = zheng.1
                m.version = 1
                let at = item.registration.receivedOn.start().addingTimeInterval(Double(9 * 3600 + i * 600))
                m.createdAt = at
                m.updatedAt = at
                m.state = item.state
                try await IncomingQueries.number(m, unitCode: unit.code, on: tx)
                try await m.create(on: tx)
                try await IncomingQueries.reindex(m, on: tx)
                let id = try m.requireID()
                for (k, act) in item.acts.enumerated() {
                    try await IncomingEventModel.record(id, step: steps[act.action] ?? "done",
                                                        action: act.action, username: act.user.0,
                                                        displayName: act.user.1,
                                                        comment: act.action == "registered" ? (m.numberText ?? "")
                                                            : act.comment,
                                                        signature: act.signature,
                                                        at: at.addingTimeInterval(Double(k) * 5_400), on: tx)
                }
                for (position, r) in item.readers.enumerated() {
                    let reading = IncomingReadingModel()
                    reading.$incoming.id = id
                    reading.reader = r.0
                    reading.readerName = r.1
                    reading.position = position + 1
                    reading.inOrder = false
                    reading.sentBy = zhang.1
                    reading.sentAt = at.addingTimeInterval(4 * 5_400)
                    reading.readAt = r.2 ? at.addingTimeInterval(6 * 5_400) : nil
                    reading.comment = r.2 ? "已阅。" : ""
                    reading.reminders = 0
                    try await reading.create(on: tx)
                }
            }
            audit.add(AuditEvent(.create, objectType: "incoming", summary: "demo: six incoming documents"))
        }
    }
}
