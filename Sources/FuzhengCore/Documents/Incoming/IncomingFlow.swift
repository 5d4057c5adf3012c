import Foundation

/// Where an incoming document is: 登记 (after 签收), 拟办, 批办, 承办, 办结.
public enum IncomingStep: String, Sendable, Codable, CaseIterable, Hashable {
    case register, propose, instruct, handle, done
}

/// Someone named by the flow: a leader for 批办, a reader for 传阅.
public struct Person: Sendable, Codable, Hashable {
    public var username: String
    public var name: String

    public init(username: String, name: String) {
        self.username = username
        self.name = name
    }
}

/// 拟办意见: the office proposes 阅知, or 办理 with a lead unit and a deadline, and names the leaders who instruct,
/// in order.
public struct Proposal: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case read, handle }
    public var kind: Kind
    public var text: String
    public var leaders: [Person]
    public var lead: String?
    public var due: CivilDay?

    public init(kind: Kind, text: String, leaders: [Person], lead: String? = nil, due: CivilDay? = nil) {
        self.kind = kind
        self.text = text
        self.leaders = leaders
        self.lead = lead
        self.due = due
    }
}

/// 领导批示: text (or handwriting), and optionally who handles it by when; a later leader's choice replaces an
/// earlier one's.
public struct Instruction: Sendable, Codable, Equatable {
    public var leader: Person
    public var text: String
    public var handwritten: Bool
    public var lead: String?
    public var assisting: [String]
    public var due: CivilDay?
    public var at: Date

    public init(leader: Person, text: String, handwritten: Bool = false, lead: String? = nil,
                assisting: [String] = [], due: CivilDay? = nil, at: Date) {
        self.leader = leader
        self.text = text
        self.handwritten = handwritten
        self.lead = lead
        self.assisting = assisting
        self.due = due
        self.at = at
    }
}

/// The state a step reads and writes; stored as JSON beside the summary columns lists filter on.
public struct IncomingState: Sendable, Codable, Equatable {
    public var step: IncomingStep
    public var proposal: Proposal?
    public var instructions: [Instruction]
    /// 承办 and 协办 units and the deadline, once decided (by the last 批示, else the proposal).
    public var lead: String?
    public var assisting: [String]
    public var due: CivilDay?
    public var result: String?
    public var doneOn: CivilDay?

    public init(step: IncomingStep) {
        self.step = step
        self.instructions = []
        self.assisting = []
    }

    /// The leader whose 批示 is awaited, at 批办.
    public var nextLeader: Person? {
        guard step == .instruct, let p = proposal, instructions.count < p.leaders.count else { return nil }
        return p.leaders[instructions.count]
    }
}

public enum IncomingFlowError: Error, Equatable, Sendable {
    case wrongStep
    case notYourTurn
    case problems([FieldProblem])
}

/// The rules of the 收文 flow, apart from who may act for a unit (the access policy) and how numbers are given.
public enum IncomingFlow {
    public static let maxLeaders = 5
    public static let maxText = 1_000

    /// 登记 of a document signed for inside the platform (an outside one is registered straight into 拟办).
    public static func register(_ s: IncomingState) -> Result<IncomingState, IncomingFlowError> {
        guard s.step == .register else { return .failure(.wrongStep) }
        var next = s
        next.step = .propose
        return .success(next)
    }

    public static func propose(_ p: Proposal, to s: IncomingState, today: CivilDay)
        -> Result<IncomingState, IncomingFlowError> {
        guard s.step == .propose else { return .failure(.wrongStep) }
        var problems: [FieldProblem] = []
        if p.leaders.isEmpty {
            problems.append(FieldProblem(field: "leaders", zh: "请选择批办领导", en: "choose the leader to instruct"))
        } else if p.leaders.count > maxLeaders {
            problems.append(FieldProblem(field: "leaders", zh: "批办领导至多 \(maxLeaders) 位",
                                         en: "at most \(maxLeaders) leaders"))
        } else if Set(p.leaders.map(\.username)).count != p.leaders.count {
            problems.append(FieldProblem(field: "leaders", zh: "同一领导不能重复", en: "a leader is named twice"))
        }
        if p.text.count > maxText { problems.append(tooLong("text")) }
        if p.kind == .handle {
            if p.lead == nil {
                problems.append(FieldProblem(field: "lead", zh: "办理件请选择建议承办单位",
                                             en: "choose the unit proposed to handle it"))
            }
            if let due = p.due, due < today { problems.append(pastDue) }
            if p.due == nil {
                problems.append(FieldProblem(field: "due", zh: "办理件请填写办理期限",
                                             en: "enter the deadline for handling it"))
            }
        }
        guard problems.isEmpty else { return .failure(.problems(problems)) }
        var next = s
        next.proposal = p
        next.step = .instruct
        next.lead = p.kind == .handle ? p.lead : nil
        next.due = p.kind == .handle ? p.due : nil
        return .success(next)
    }

    /// A leader's 批示. After the last leader, the document goes to its 承办 unit, or is 办结 when nobody is to
    /// handle it (阅知).
    public static func instruct(_ i: Instruction, to s: IncomingState, today: CivilDay)
        -> Result<IncomingState, IncomingFlowError> {
        guard s.step == .instruct, let expected = s.nextLeader else { return .failure(.wrongStep) }
        guard expected.username == i.leader.username else { return .failure(.notYourTurn) }
        var problems: [FieldProblem] = []
        if i.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && !i.handwritten {
            problems.append(FieldProblem(field: "text", zh: "请填写批示或手写批示", en: "write or draw the instruction"))
        }
        if i.text.count > maxText { problems.append(tooLong("text")) }
        if let due = i.due, due < today { problems.append(pastDue) }
        if i.lead != nil && i.due == nil && s.due == nil {
            problems.append(FieldProblem(field: "due", zh: "请填写办理期限", en: "enter the deadline"))
        }
        if let lead = i.lead, i.assisting.contains(lead) {
            problems.append(FieldProblem(field: "assisting", zh: "协办单位不能是承办单位",
                                         en: "the lead unit cannot also assist"))
        }
        guard problems.isEmpty else { return .failure(.problems(problems)) }
        var next = s
        next.instructions.append(i)
        if let lead = i.lead {
            next.lead = lead
            next.assisting = i.assisting
        } else if !i.assisting.isEmpty {
            next.assisting = i.assisting.filter { $0 != next.lead }
        }
        if let due = i.due { next.due = due }
        if next.nextLeader == nil {
            if next.lead != nil {
                next.step = .handle
            } else {
                next.step = .done
                next.due = nil
                next.result = "阅知"
                next.doneOn = today
            }
        }
        return .success(next)
    }

    /// 办结 by the lead unit, with the result.
    public static func complete(result: String, to s: IncomingState, today: CivilDay)
        -> Result<IncomingState, IncomingFlowError> {
        guard s.step == .handle else { return .failure(.wrongStep) }
        let text = result.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return .failure(.problems([FieldProblem(field: "result", zh: "请填写办理结果", en: "enter the result")]))
        }
        guard text.count <= maxText else { return .failure(.problems([tooLong("result")])) }
        var next = s
        next.step = .done
        next.result = text
        next.doneOn = today
        return .success(next)
    }

    static func tooLong(_ field: String) -> FieldProblem {
        FieldProblem(field: field, zh: "不能超过 \(maxText) 个字", en: "longer than \(maxText) characters")
    }

    static let pastDue = FieldProblem(field: "due", zh: "期限不能早于今天", en: "the deadline cannot be before today")
}

/// The reminders a deadline gives, each sent once: when it turns yellow (`warningDays` working days before) and the
/// first day after it. When the clock passes both at once, only the later one is due: a stale "due soon" after the
/// deadline has passed tells nobody anything.
public enum ReminderPoint: String, Sendable, CaseIterable, Hashable {
    case dueSoon = "due_soon"
    case overdue

    public static func current(due: CivilDay, today: CivilDay, warningDays: Int = DeadlineColour.defaultWarningDays,
                               calendar: WorkingCalendar = .shared) -> ReminderPoint? {
        switch DeadlineColour.of(due: due, today: today, warningDays: warningDays, calendar: calendar) {
        case .red: .overdue
        case .yellow: .dueSoon
        case .green: nil
        }
    }
}

/// 传阅: readers in parallel (all at once) or in order (each after the one before has read).
public enum Circulation {
    public struct Reader: Sendable, Equatable {
        public var position: Int
        public var readAt: Date?

        public init(position: Int, readAt: Date?) {
            self.position = position
            self.readAt = readAt
        }
    }

    /// Whether the reader at `position` may read now.
    public static func isOpen(_ position: Int, inOrder: Bool, readers: [Reader]) -> Bool {
        guard inOrder else { return true }
        return readers.filter { $0.position < position }.allSatisfy { $0.readAt != nil }
    }
}

/// The title of a reply drafted from an incoming document: 关于X的请示 → 关于X的复函; anything else → 关于《T》的复函.
public enum ReplyTitle {
    static let endings = ["的请示", "的报告", "的函", "的通知", "的意见", "的建议"]

    public static func make(_ title: String) -> String {
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix("关于"), let ending = endings.first(where: { t.hasSuffix($0) }), t.count > ending.count + 2 {
            return String(t.dropLast(ending.count)) + "的复函"
        }
        return "关于《\(t)》的复函"
    }
}
