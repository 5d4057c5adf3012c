import Foundation

/// Where a 督办 item comes from. The Chinese names print on the 督办单 and the 通报.
public enum SupervisionSource: String, Sendable, Codable, CaseIterable {
    /// A decision of the 县政府常务会议 (an item of its 纪要).
    case meeting
    /// A leader's 批示 (from 收文's 批办).
    case instruction
    /// A task of the 政府工作报告, split into quarterly milestones.
    case workReport = "work_report"
    /// A matter handed down by a higher level (上级交办).
    case superior
    /// 人大代表建议.
    case npcSuggestion = "npc_suggestion"
    /// 政协委员提案.
    case cppccProposal = "cppcc_proposal"

    public var zh: String {
        switch self {
        case .meeting: "常务会议决定"
        case .instruction: "领导批示"
        case .workReport: "政府工作报告"
        case .superior: "上级交办"
        case .npcSuggestion: "人大代表建议"
        case .cppccProposal: "政协委员提案"
        }
    }

    /// 建议提案: answered by a 函 and rated by the 代表 or 委员.
    public var isProposal: Bool { self == .npcSuggestion || self == .cppccProposal }
}

/// 一般 / 重点 / 急办.
public enum SupervisionKind: String, Sendable, Codable, CaseIterable {
    case general, key, urgent
    public var zh: String {
        switch self {
        case .general: "一般"
        case .key: "重点"
        case .urgent: "急办"
        }
    }
}

/// 督办 item states: handed to the unit (待签收), being handled (承办中), closed (已办结, 销号).
public enum SupervisionState: String, Sendable, Codable, CaseIterable {
    case assigned, handling, closed
}

/// The 代表/委员's verdict on the answer.
public enum Satisfaction: String, Sendable, Codable, CaseIterable {
    case satisfied, basically, dissatisfied
    public var zh: String {
        switch self {
        case .satisfied: "满意"
        case .basically: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}

/// How often the responsible unit reports: weekly on a weekday (1 = Monday … 5 = Friday), monthly on a day of the
/// month (1 … 28), or once on a set day. A report day that is not a working day moves to the next working day.
public enum ReportCycle: Sendable, Equatable, Codable {
    case weekly(weekday: Int)
    case monthly(day: Int)
    case once(CivilDay)

    public var kind: String {
        switch self {
        case .weekly: "weekly"
        case .monthly: "monthly"
        case .once: "once"
        }
    }

    public var zh: String {
        switch self {
        case .weekly(let d): "每周（星期\(["一", "二", "三", "四", "五"][min(max(d, 1), 5) - 1])）"
        case .monthly(let d): "每月\(d)日"
        case .once(let day): "一次（\(day)）"
        }
    }

    /// The first report day strictly after `after`, moved to a working day; nil when none falls on or before
    /// `until` (the deadline in force).
    public func next(after: CivilDay, until: CivilDay, calendar: WorkingCalendar) -> CivilDay? {
        var candidate: CivilDay
        switch self {
        case .once(let day):
            candidate = day
            guard candidate > after else { return nil }
        case .weekly(let weekday):
            var d = after.adding(days: 1)
            while d.weekday != weekday { d = d.adding(days: 1) }
            candidate = d
        case .monthly(let dayOfMonth):
            var d = CivilDay(year: after.year, month: after.month, day: dayOfMonth)
            if d <= after {
                d = after.month == 12 ? CivilDay(year: after.year + 1, month: 1, day: dayOfMonth)
                    : CivilDay(year: after.year, month: after.month + 1, day: dayOfMonth)
            }
            candidate = d
        }
        var guardDays = 0
        while !calendar.isWorkingDay(candidate), guardDays < 40 {
            candidate = candidate.adding(days: 1)
            guardDays += 1
        }
        return candidate <= until ? candidate : nil
    }
}

/// 督办单: what the 督查室 decides at 立项.
public struct SupervisionOrder: Sendable, Equatable {
    public var title: String
    public var source: SupervisionSource
    /// The source in words (纪要 number and item, the 批示's date and leader, the 建议's number).
    public var sourceText: String
    public var requirement: String
    public var lead: String
    public var assisting: [String]
    /// 责任人 at the lead unit, as named in the 督办单.
    public var responsible: String
    public var start: CivilDay
    public var deadline: CivilDay
    public var kind: SupervisionKind
    public var cycle: ReportCycle
    /// For 建议提案: the 代表 or 委员 who made it.
    public var proposer: String

    public static let maxTitle = 200
    public static let maxText = 2_000

    /// Reads the 立项 form. Units must be among `units`; the deadline lies after 立项 and within five years.
    public static func read(_ f: [String: String], units: Set<String>, today: CivilDay)
        -> Result<SupervisionOrder, FieldProblems> {
        var problems: [FieldProblem] = []
        func text(_ key: String, _ limit: Int) -> String {
            String((f[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
        }
        let title = text("title", maxTitle)
        if title.isEmpty { problems.append(FieldProblem(field: "title", zh: "请填写督办事项", en: "enter the matter")) }
        let source = SupervisionSource(rawValue: f["source"] ?? "")
        if source == nil { problems.append(FieldProblem(field: "source", zh: "请选择来源", en: "choose the source")) }
        let lead = f["lead"] ?? ""
        if !units.contains(lead) {
            problems.append(FieldProblem(field: "lead", zh: "请选择牵头单位", en: "choose the lead unit"))
        }
        let assisting = (f["assisting"] ?? "").split(separator: ",").map(String.init)
            .filter { units.contains($0) && $0 != lead }
        var seen = Set<String>()
        let distinct = assisting.filter { seen.insert($0).inserted }.prefix(20).map { $0 }
        let deadline = f["deadline"].flatMap(DayInput.iso).flatMap(CivilDay.init)
        if deadline == nil {
            problems.append(FieldProblem(field: "deadline", zh: "办理期限不是有效日期", en: "the deadline is not a valid date"))
        } else if let d = deadline, d < today {
            problems.append(FieldProblem(field: "deadline", zh: "办理期限不能早于立项日", en: "the deadline is before today"))
        } else if let d = deadline, CivilDay.days(from: today, to: d) > 5 * 366 {
            problems.append(FieldProblem(field: "deadline", zh: "办理期限不能超过五年",
                                         en: "the deadline is more than five years away"))
        }
        let kind = SupervisionKind(rawValue: f["kind"] ?? "general") ?? .general
        var cycle: ReportCycle = .monthly(day: 25)
        switch f["cycle"] ?? "monthly" {
        case "weekly":
            switch NumberInput.integer(f["cycle_day"] ?? "5", range: 1...5) {
            case .success(let d): cycle = .weekly(weekday: d)
            case .failure:
                problems.append(FieldProblem(field: "cycle_day", zh: "每周报送日应为星期一至星期五（1–5）",
                                             en: "the weekly report day is 1 (Monday) to 5 (Friday)"))
            }
        case "once":
            if let day = f["report_on"].flatMap(DayInput.iso).flatMap(CivilDay.init), day >= today {
                cycle = .once(day)
            } else if let d = deadline {
                cycle = .once(d)
            }
        default:
            switch NumberInput.integer(f["cycle_day"] ?? "25", range: 1...28) {
            case .success(let d): cycle = .monthly(day: d)
            case .failure:
                problems.append(FieldProblem(field: "cycle_day", zh: "每月报送日应为 1–28 日",
                                             en: "the monthly report day is 1 to 28"))
            }
        }
        let proposer = text("proposer", 100)
        if source?.isProposal == true, proposer.isEmpty {
            problems.append(FieldProblem(field: "proposer", zh: "请填写提出建议（提案）的代表或委员",
                                         en: "name the deputy or member who made it"))
        }
        guard problems.isEmpty, let source, let deadline else { return .failure(FieldProblems(problems)) }
        return .success(SupervisionOrder(title: title, source: source, sourceText: text("source_text", 300),
                                         requirement: text("requirement", maxText), lead: lead, assisting: distinct,
                                         responsible: text("responsible", 60), start: today, deadline: deadline,
                                         kind: kind, cycle: cycle, proposer: proposer))
    }
}

/// The moves of a 督办 item, checked here so handlers only store what Core allows.
public enum SupervisionFlow {
    public enum Refusal: Error, Equatable, Sendable {
        case wrongState
        case problems([FieldProblem])
    }

    public static func acknowledge(_ state: SupervisionState) -> Result<SupervisionState, Refusal> {
        state == .assigned ? .success(.handling) : .failure(.wrongState)
    }

    /// A progress report: text required, percentage 0–100 through the one number reader.
    public static func report(_ state: SupervisionState, text: String, percent: String)
        -> Result<Int, Refusal> {
        guard state == .handling else { return .failure(.wrongState) }
        var problems: [FieldProblem] = []
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldProblem(field: "text", zh: "请填写进展情况", en: "describe the progress"))
        }
        var value = 0
        switch NumberInput.percent(percent) {
        case .success(let p): value = p
        case .failure:
            problems.append(FieldProblem(field: "percent", zh: "完成进度应为 0–100 的整数",
                                         en: "progress is a whole number 0–100"))
        }
        return problems.isEmpty ? .success(value) : .failure(.problems(problems))
    }

    /// 延期申请: only before the deadline passes, to a later day, with a reason.
    public static func requestExtension(_ state: SupervisionState, deadline: CivilDay, requested: String,
                                        reason: String, today: CivilDay) -> Result<CivilDay, Refusal> {
        guard state != .closed else { return .failure(.wrongState) }
        var problems: [FieldProblem] = []
        if today > deadline {
            problems.append(FieldProblem(field: "to", zh: "已超过办理期限，不能再申请延期",
                                         en: "the deadline has passed; an extension can no longer be asked"))
        }
        let day = DayInput.iso(requested).flatMap(CivilDay.init)
        if day == nil {
            problems.append(FieldProblem(field: "to", zh: "延期至不是有效日期", en: "not a valid date"))
        } else if let d = day, d <= deadline {
            problems.append(FieldProblem(field: "to", zh: "延期至应晚于原期限", en: "the new day must be after the deadline"))
        } else if let d = day, CivilDay.days(from: deadline, to: d) > 366 {
            problems.append(FieldProblem(field: "to", zh: "延期不能超过一年", en: "at most one year"))
        }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldProblem(field: "reason", zh: "请说明延期理由", en: "give the reason"))
        }
        guard problems.isEmpty, let day else { return .failure(.problems(problems)) }
        return .success(day)
    }

    /// 销号 needs the result; 重新打开 needs a reason.
    public static func close(_ state: SupervisionState, result: String) -> Result<SupervisionState, Refusal> {
        guard state == .handling else { return .failure(.wrongState) }
        guard !result.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(.problems([FieldProblem(field: "text", zh: "请填写办理结果", en: "enter the result")]))
        }
        return .success(.closed)
    }

    public static func reopen(_ state: SupervisionState, reason: String) -> Result<SupervisionState, Refusal> {
        guard state == .closed else { return .failure(.wrongState) }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(.problems([FieldProblem(field: "text", zh: "重新打开须说明理由", en: "give the reason to reopen")]))
        }
        return .success(.handling)
    }
}

/// 政府工作报告 tasks are split into quarterly milestones: the last working day of each quarter still ahead.
public enum WorkReportMilestones {
    public static func quarters(of year: Int, from today: CivilDay, calendar: WorkingCalendar) -> [CivilDay] {
        [(3, 31), (6, 30), (9, 30), (12, 31)].compactMap { m, d in
            var day = CivilDay(year: year, month: m, day: d)
            var back = 0
            while !calendar.isWorkingDay(day), back < 20 {
                day = day.adding(days: -1)
                back += 1
            }
            return day >= today ? day : nil
        }
    }
}

/// The points at which the reminder job tells someone, each with a key that makes it once-only: the deadline's keys
/// carry the deadline in force, so an approved extension opens new points.
public enum SupervisionReminder {
    public enum Kind: String, Sendable {
        /// Handed over one working day ago and not 签收.
        case unacknowledged
        /// A report is due within one working day.
        case reportSoon = "report_soon"
        /// A report day passed with no report since.
        case reportLate = "report_late"
        /// The deadline turns yellow.
        case deadlineSoon = "deadline_soon"
        /// The day after the deadline.
        case overdue
        /// `escalateAfterWorkingDays` past the deadline: the responsible leader.
        case escalate
    }

    public struct Point: Sendable, Equatable {
        public var kind: Kind
        public var key: String
        public var day: CivilDay
    }

    public struct Snapshot: Sendable {
        public var state: SupervisionState
        public var assignedOn: CivilDay
        public var start: CivilDay
        public var deadline: CivilDay
        public var cycle: ReportCycle
        public var lastReport: CivilDay?
        public init(state: SupervisionState, assignedOn: CivilDay, start: CivilDay, deadline: CivilDay,
                    cycle: ReportCycle, lastReport: CivilDay?) {
            self.state = state
            self.assignedOn = assignedOn
            self.start = start
            self.deadline = deadline
            self.cycle = cycle
            self.lastReport = lastReport
        }
    }

    /// What is due at `today`. A late run sends the later point of a pair only (a report late, not also soon; overdue,
    /// not also soon).
    public static func due(_ s: Snapshot, today: CivilDay, calendar: WorkingCalendar,
                           rules: SupervisionRules = .shared) -> [Point] {
        guard s.state != .closed else { return [] }
        var out: [Point] = []
        if s.state == .assigned, calendar.workingDays(from: s.assignedOn, to: today) >= 1 {
            out.append(Point(kind: .unacknowledged, key: "ack", day: today))
        }
        let d = s.deadline
        if today > d {
            if rules.escalates(deadline: d, today: today, calendar: calendar) {
                out.append(Point(kind: .escalate, key: "escalate-\(d)", day: today))
            }
            out.append(Point(kind: .overdue, key: "overdue-\(d)", day: today))
            return out
        }
        if calendar.workingDays(from: today, to: d) <= rules.yellowWorkingDays {
            out.append(Point(kind: .deadlineSoon, key: "soon-\(d)", day: today))
        }
        if s.state == .handling {
            let since = max(s.lastReport ?? s.start, s.start)
            if let next = s.cycle.next(after: since, until: d, calendar: calendar) {
                if next < today {
                    out.append(Point(kind: .reportLate, key: "report-late-\(next)", day: next))
                } else if calendar.workingDays(from: today, to: next) <= 1 {
                    out.append(Point(kind: .reportSoon, key: "report-\(next)", day: next))
                }
            }
        }
        return out
    }
}
