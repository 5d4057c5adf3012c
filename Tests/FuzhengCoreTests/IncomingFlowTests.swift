import Foundation
@testable import FuzhengCore
import Testing

@Suite("收文: registration, 拟办 → 批办 (leaders in order) → 承办 → 办结, reminder points, 传阅 order")
struct IncomingFlowTests {
    static let today = CivilDay(year: 2023, month: 9, day: 28)
    static let zhao = Person(username: "lingdao", name: "赵县长")
    static let qian = Person(username: "fxz1", name: "钱副县长")

    static func registration(_ f: [String: String]) -> Result<IncomingRegistration, FieldProblems> {
        IncomingRegistration.read(f, today: today)
    }

    @Test("registration: required fields named, 涉密 refused, copies checked, a future date refused")
    func registration() throws {
        guard case .failure(let problems) = Self.registration(["copies": "0", "secrecy": "mimi",
                                                              "received_on": "2023-10-01"]) else {
            Issue.record("accepted an empty registration")
            return
        }
        #expect(Set(problems.all.map(\.field)) == ["sender", "title", "secrecy", "copies", "received_on"])
        guard case .failure(let huge) = Self.registration(["sender": "怀来县财政局", "title": "通知",
                                                           "copies": "99999999999999999999999"]) else {
            Issue.record("accepted a huge number of copies")
            return
        }
        #expect(huge.all.map(\.field) == ["copies"])
        let ok = try Self.registration(["sender": " 怀来县财政局 ", "sender_number": "怀财字【2023】7号",
                                        "title": "关于下达2023年部门预算的通知", "secrecy": "internal",
                                        "urgency": "jiaji", "copies": "２", "received_on": "2023年9月27日"]).get()
        #expect(ok.sender == "怀来县财政局" && ok.copies == 2 && ok.urgency == .urgent && ok.secrecy == .internalUse)
        #expect(ok.receivedOn == CivilDay(year: 2023, month: 9, day: 27))
        // The same document typed with other brackets and spaces is the same document.
        let again = try Self.registration(["sender": "怀来县财政局", "sender_number": "怀财字 〔2023〕 7号",
                                           "title": "x"]).get()
        #expect(ok.duplicateKey == again.duplicateKey && ok.duplicateKey != nil)
        let unnumbered = try Self.registration(["sender": "怀来县财政局", "title": "x"]).get()
        #expect(unnumbered.duplicateKey == nil)
    }

    @Test("收文编号: per body and year, its own counter apart from the 发文字号")
    func number() {
        #expect(IncomingNumber(prefix: "怀政办", year: 2023, sequence: 7).text == "怀政办收〔2023〕7号")
        #expect(IncomingNumber.counterKey(unitCode: "434001") != "怀政办字")
    }

    static func proposed(leaders: [Person] = [zhao, qian], kind: Proposal.Kind = .handle) throws -> IncomingState {
        let s = try IncomingFlow.register(IncomingState(step: .register)).get()
        return try IncomingFlow.propose(Proposal(kind: kind, text: "拟请财务股办理", leaders: leaders,
                                                 lead: kind == .handle ? "434001" : nil,
                                                 due: kind == .handle ? CivilDay(year: 2023, month: 10, day: 12) : nil),
                                        to: s, today: today).get()
    }

    @Test("拟办: a leader, a lead unit and a deadline for 办理; not in the past; no leader twice")
    func propose() throws {
        let s = try IncomingFlow.register(IncomingState(step: .register)).get()
        #expect(s.step == .propose)
        let bad = IncomingFlow.propose(Proposal(kind: .handle, text: "", leaders: [Self.zhao, Self.zhao], lead: nil,
                                                due: CivilDay(year: 2023, month: 9, day: 1)), to: s, today: Self.today)
        guard case .failure(.problems(let list)) = bad else {
            Issue.record("accepted a bad proposal")
            return
        }
        #expect(Set(list.map(\.field)) == ["leaders", "lead", "due"])
        let p = try Self.proposed()
        #expect(p.step == .instruct && p.nextLeader == Self.zhao && p.lead == "434001")
        #expect(IncomingFlow.propose(Proposal(kind: .read, text: "", leaders: [Self.zhao]), to: p, today: Self.today)
            == .failure(.wrongStep))
    }

    @Test("批办: leaders in order, each seeing the earlier; the last decides; 阅知 ends at the last 批示")
    func instruct() throws {
        let p = try Self.proposed()
        let now = Date(timeIntervalSince1970: 1_695_900_000)
        // Not the second leader's turn yet.
        #expect(IncomingFlow.instruct(Instruction(leader: Self.qian, text: "同意", at: now), to: p, today: Self.today)
            == .failure(.notYourTurn))
        let first = try IncomingFlow.instruct(Instruction(leader: Self.zhao, text: "请钱县长阅示", at: now), to: p,
                                              today: Self.today).get()
        #expect(first.step == .instruct && first.nextLeader == Self.qian && first.instructions.count == 1)
        let empty = IncomingFlow.instruct(Instruction(leader: Self.qian, text: "  ", at: now), to: first,
                                          today: Self.today)
        #expect(empty == .failure(.problems([FieldProblem(field: "text", zh: "请填写批示或手写批示",
                                                          en: "write or draw the instruction")])))
        // Handwriting alone is a 批示.
        let second = try IncomingFlow.instruct(Instruction(leader: Self.qian, text: "", handwritten: true,
                                                           lead: "436001", assisting: ["437001"],
                                                           due: CivilDay(year: 2023, month: 10, day: 20), at: now),
                                               to: first, today: Self.today).get()
        #expect(second.step == .handle && second.lead == "436001" && second.assisting == ["437001"])
        #expect(second.due == CivilDay(year: 2023, month: 10, day: 20) && second.nextLeader == nil)
        let sameUnit = IncomingFlow.instruct(Instruction(leader: Self.qian, text: "x", lead: "436001",
                                                         assisting: ["436001"], at: now), to: first, today: Self.today)
        guard case .failure(.problems(let list)) = sameUnit else {
            Issue.record("a unit both leads and assists")
            return
        }
        #expect(list.map(\.field) == ["assisting"])
        let read = try IncomingFlow.instruct(Instruction(leader: Self.zhao, text: "阅", at: now),
                                             to: Self.proposed(leaders: [Self.zhao], kind: .read), today: Self.today)
            .get()
        #expect(read.step == .done && read.result == "阅知" && read.due == nil)
        let done = try IncomingFlow.complete(result: "已按要求完成", to: second, today: Self.today).get()
        #expect(done.step == .done && done.doneOn == Self.today)
        #expect(IncomingFlow.complete(result: "x", to: done, today: Self.today) == .failure(.wrongStep))
    }

    @Test("""
        reminder points: none while green, due soon when yellow, overdue the day after; \
        a late run gets overdue only
        """)
    func reminders() {
        let due = CivilDay(year: 2023, month: 10, day: 12)   // a Thursday after 国庆
        let calendar = WorkingCalendar.shared
        #expect(ReminderPoint.current(due: due, today: CivilDay(year: 2023, month: 9, day: 28), calendar: calendar)
            == nil)
        #expect(ReminderPoint.current(due: due, today: CivilDay(year: 2023, month: 10, day: 10), calendar: calendar)
            == .dueSoon)
        #expect(ReminderPoint.current(due: due, today: due, calendar: calendar) == .dueSoon)
        #expect(ReminderPoint.current(due: due, today: CivilDay(year: 2023, month: 10, day: 13), calendar: calendar)
            == .overdue)
        #expect(ReminderPoint.current(due: due, today: CivilDay(year: 2024, month: 1, day: 1), calendar: calendar)
            == .overdue)
    }

    @Test("the suggested deadline counts working days from registration (15 across 国庆 2023)")
    func suggested() {
        let rules = IncomingRules.shared
        #expect(rules.warningWorkingDays == 2)
        let due = rules.suggestedDue(.urgent, registered: Self.today)
        #expect(due == WorkingCalendar.shared.adding(workingDays: 5, to: Self.today))
        #expect(rules.suggestedDue(.normal, registered: Self.today) > due)
    }

    @Test("a received file must begin as its extension says")
    func receivedFile() {
        #expect(ReceivedFile.matches(extension: "PDF", Data("%PDF-1.7\n".utf8)))
        #expect(!ReceivedFile.matches(extension: "pdf", Data("<html>".utf8)))
        #expect(ReceivedFile.matches(extension: "docx", Data([0x50, 0x4B, 0x03, 0x04, 0])))
        #expect(!ReceivedFile.matches(extension: "exe", Data([0x4D, 0x5A])))
        #expect(!ReceivedFile.matches(extension: "png", Data()))
    }

    @Test("a reply's title: 关于X的请示 → 关于X的复函, else the title in 《》")
    func replyTitle() {
        #expect(ReplyTitle.make("关于申请解决部分学校校舍维修资金的请示") == "关于申请解决部分学校校舍维修资金的复函")
        #expect(ReplyTitle.make("怀来县财政局通知") == "关于《怀来县财政局通知》的复函")
        #expect(ReplyTitle.make("关于的请示") == "关于《关于的请示》的复函")
    }

    @Test("传阅 in order: each reader after the one before has read; in parallel: all at once")
    func circulation() {
        let readers = [Circulation.Reader(position: 1, readAt: nil), Circulation.Reader(position: 2, readAt: nil)]
        #expect(Circulation.isOpen(1, inOrder: true, readers: readers))
        #expect(!Circulation.isOpen(2, inOrder: true, readers: readers))
        #expect(Circulation.isOpen(2, inOrder: false, readers: readers))
        let read = [Circulation.Reader(position: 1, readAt: Date()), readers[1]]
        #expect(Circulation.isOpen(2, inOrder: true, readers: read))
    }
}
