import Fluent
import Foundation
import FuzhengCore
import Vapor

/// A year of 督办 items (`Resources/demo/supervision.json`): the seed's 一体化移动办公系统 split among units, 法律事务
/// cases, 政府工作报告 tasks by quarterly milestones, 批示, 上级交办, 建议提案 with answers and verdicts; red, yellow
/// and green, closed on time and late, an extension approved in time, a report and an extension waiting for the
/// 督查室, one notice not yet acknowledged. Days count from today. `serve` with the demo only.
enum DemoSupervision {
    struct Spec: Decodable {
        var title: String
        var source: String?
        var sourceText: String?
        var lead: String
        var assisting: [String]?
        var responsible: String?
        var leader: String?
        var kind: String?
        var cycle: String?
        var cycleDay: Int?
        var start: Int
        var deadline: Int
        var progress: Int
        var closed: Int?
        var result: String?
        var proposer: String?
        var replied: Int?
        var satisfaction: String?
        var acknowledged: Bool?
        var milestones: Bool?
        var children: [Spec]?
        var extended: Extension?
        var pendingReport: Report?
        var pendingExtension: Extension?
    }

    struct Extension: Decodable {
        var to: Int
        var approved: Int?
        var reason: String
    }

    struct Report: Decodable {
        var text: String
        var percent: Int
    }

    struct File: Decodable { var items: [Spec] }

    static let inspector = (username: "ducha", name: "陈督查", unit: "434001")

    static func load(_ app: Application) async throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: try resource()))
        let now = app.fuzheng.clock.now()
        let today = CivilDay(now)
        let calendar = try await app.fuzheng.calendars.current(on: app.db, now: now)
        let names = try await SupervisionQueries.unitNames(on: app.db)
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
            try await SupervisionFiguresCache.bump(on: tx)
            for spec in file.items {
                let parent = try await insert(spec, parent: nil, names: names, today: today, calendar: calendar, on: tx)
                if spec.milestones == true {
                    let start = today.adding(days: spec.start), end = today.adding(days: spec.deadline)
                    let days = WorkReportMilestones.quarters(of: end.year, from: start, calendar: calendar)
                        .filter { $0 < end } + [end]
                    for (i, day) in days.enumerated() {
                        let offset = CivilDay.days(from: today, to: day)
                        let past = day < today
                        var child = spec
                        child.title = "\(spec.title)（第\(SupervisionBulletin.chineseNumber(i + 1))阶段）"
                        child.deadline = offset
                        child.progress = past ? 100 : spec.progress
                        // The second milestone was finished three days late: the rates show it.
                        child.closed = past ? offset + (i == 1 ? 3 : -2) : nil
                        child.result = past ? "阶段目标已完成。" : nil
                        child.milestones = nil
                        _ = try await insert(child, parent: parent, names: names, today: today, calendar: calendar, on: tx)
                    }
                    parent.hasChildren = true
                    try await parent.save(on: tx)
                }
                for child in spec.children ?? [] {
                    _ = try await insert(child, parent: parent, names: names, today: today, calendar: calendar, on: tx)
                }
                if spec.children?.isEmpty == false {
                    parent.hasChildren = true
                    try await parent.save(on: tx)
                }
            }
            audit.add(AuditEvent(.create, objectType: "supervision", objectID: nil,
                                 summary: "演示督办事项 \(file.items.count) 项"))
        }
    }

    static func resource() throws -> URL {
        guard let url = Bundle.module.url(forResource: "supervision", withExtension: "json", subdirectory: "demo")
        else { throw Abort(.internalServerError, reason: "demo/supervision.json is missing") }
        return url
    }

    static func at(_ day: CivilDay, hour: Int = 9) -> Date {
        day.start().addingTimeInterval(TimeInterval(hour * 3600))
    }

    static func insert(_ s: Spec, parent: SupervisionItemModel?, names: [String: String], today: CivilDay,
                       calendar: WorkingCalendar,
                       on tx: Database) async throws -> SupervisionItemModel {
        let start = today.adding(days: s.start)
        let deadline = today.adding(days: s.deadline)
        let m = SupervisionItemModel()
        m.year = start.year
        m.seq = try await DocumentNumbering.next(counter: "督办", year: start.year, on: tx)
        m.numberText = "督办〔\(start.year)〕\(m.seq)号"
        m.parentID = try parent?.requireID()
        m.hasChildren = false
        m.title = s.title
        m.source = s.source ?? parent?.source ?? SupervisionSource.meeting.rawValue
        m.sourceText = s.sourceText ?? parent?.sourceText ?? ""
        m.requirement = "按要求推进并按期报送进展，办结后报送结果及佐证材料。"
        m.leadUnit = s.lead
        m.assisting = (s.assisting ?? []).isEmpty ? "" : "," + (s.assisting ?? []).joined(separator: ",") + ","
        m.responsible = s.responsible ?? ""
        m.leader = s.leader ?? parent?.leader
        m.kind = s.kind ?? parent?.kind ?? "general"
        switch s.cycle ?? parent?.cycle ?? "monthly" {
        case "weekly": m.set(cycle: .weekly(weekday: s.cycleDay ?? 5))
        case "once": m.set(cycle: .once(deadline))
        default: m.set(cycle: .monthly(day: s.cycleDay ?? 25))
        }
        m.startOn = start.description
        m.deadline = deadline.description
        if let e = s.extended, let approved = e.approved {
            m.extendedTo = today.adding(days: e.to).description
            m.extensionApprovedOn = today.adding(days: approved).description
        }
        m.refreshDeadlines()
        let closed = s.closed.map { today.adding(days: $0) }
        m.state = closed != nil ? SupervisionState.closed.rawValue
            : s.acknowledged == false ? SupervisionState.assigned.rawValue : SupervisionState.handling.rawValue
        m.assignedOn = start.description
        m.progress = s.progress
        m.closedOn = closed?.description
        m.result = s.result ?? ""
        m.proposer = s.proposer ?? ""
        m.repliedOn = s.replied.map { today.adding(days: $0).description }
        m.satisfaction = s.satisfaction
        m.officeUnit = inspector.unit
        m.createdBy = inspector.username
        m.createdByName = inspector.name
        m.version = 1
        m.createdAt = at(start)
        m.updatedAt = at(start)
        try await m.create(on: tx)
        try await SupervisionUnits.write(m, on: tx)
        let id = try m.requireID()
        let office = (inspector.username, inspector.name, inspector.unit)
        let unit = (handler(s.lead).0, handler(s.lead).1, s.lead)
        try await SupervisionEventModel.record(id, "assign", user: office,
                                               text: "交办\(names[s.lead] ?? s.lead)，期限\(deadline)",
                                               at: at(start), on: tx)
        guard m.stateValue != .assigned else { return m }
        try await SupervisionEventModel.record(id, "acknowledge", user: unit, text: "",
                                               at: at(start.adding(days: 1), hour: 10), on: tx)
        // Reports: one halfway, one recently (or before closing), both accepted.
        let last = closed ?? today.adding(days: -3)
        let mid = start.adding(days: max(1, CivilDay.days(from: start, to: last) / 2))
        for (day, percent) in [(mid, s.progress / 2), (last, s.progress)] where day > start && day <= today {
            _ = try await SupervisionEventModel.record(id, "report", user: unit,
                                                       text: percent >= 100 ? "已全部完成。" : "按计划推进，已完成\(percent)%。",
                                                       percent: percent, status: "accepted", at: at(day, hour: 15),
                                                       on: tx)
            m.lastReportOn = day.description
        }
        if let e = s.extended, let approved = e.approved {
            let asked = today.adding(days: approved - 2)
            try await SupervisionEventModel.record(id, "extension", user: unit, text: e.reason, status: "approved",
                                                   day: m.extendedTo, at: at(asked), on: tx)
            try await SupervisionEventModel.record(id, "extension_approved", user: office, text: "同意",
                                                   day: m.extendedTo, at: at(today.adding(days: approved)), on: tx)
        }
        if let e = s.pendingExtension {
            try await SupervisionEventModel.record(id, "extension", user: unit, text: e.reason, status: "pending",
                                                   day: today.adding(days: e.to).description,
                                                   at: at(today.adding(days: -1)), on: tx)
        }
        if let r = s.pendingReport {
            try await SupervisionEventModel.record(id, "report", user: unit, text: r.text, percent: r.percent,
                                                   status: "pending", at: at(today.adding(days: -1), hour: 16), on: tx)
            m.lastReportOn = today.adding(days: -1).description
        }
        if let replied = s.replied {
            try await SupervisionEventModel.record(id, "replied", user: unit, text: m.result,
                                                   at: at(today.adding(days: replied)), on: tx)
        }
        if let verdict = s.satisfaction.flatMap(Satisfaction.init) {
            try await SupervisionEventModel.record(id, "satisfaction", user: office, text: verdict.zh,
                                                   at: at(today.adding(days: (s.replied ?? 0) + 10)), on: tx)
        }
        if let closed {
            try await SupervisionEventModel.record(id, "close", user: office, text: m.result, at: at(closed, hour: 17),
                                                   on: tx)
        }
        try await m.save(on: tx)
        return m
    }

    /// Who reports for a demo unit: its 文书 or head where the demo has one.
    static func handler(_ unit: String) -> (String, String) {
        switch unit {
        case "434001": ("bangong", "张秘书")
        case "436001": ("wenshu2", "卫文书")
        default: ("system", "承办单位")
        }
    }
}
