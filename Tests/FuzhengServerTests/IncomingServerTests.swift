import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("收文 on the server: registration, 拟办, 批示, 承办, 办结, 传阅, numbering under load, reminders once")
struct IncomingServerTests {
    static func login(_ app: Application, _ user: String) async throws -> Browser {
        let b = Browser(app)
        try await b.login(user)
        return b
    }

    static let outside: [String: String] = [
        "sender": "怀来县财政局", "sender_number": "怀财字〔2023〕7号", "title": "关于下达2023年县本级部门预算的通知",
        "secrecy": "none", "urgency": "jiaji", "copies": "2",
    ]

    static func register(_ b: Browser, _ form: [String: String] = outside) async throws -> String {
        try await b.get("/incoming/new")
        let r = try await b.post("/incoming/new", form)
        #expect(r.status == .seeOther, "\(r.text.prefix(1500))")
        return String(try #require(r.location).dropFirst("/incoming/".count))
    }

    static func model(_ app: Application, _ id: String) async throws -> IncomingModel {
        try #require(try await IncomingModel.find(UUID(uuidString: id), on: app.db))
    }

    @discardableResult
    static func act(_ app: Application, _ b: Browser, _ id: String, _ form: [String: String]) async throws
        -> TestingHTTPResponse {
        try await b.get("/incoming/\(id)")
        var f = form
        f["version"] = String(try await model(app, id).version)
        return try await b.post("/incoming/\(id)/step", f)
    }

    /// Posts repeated keys (readers[]=a&readers[]=b), which a dictionary cannot hold.
    static func postPairs(_ b: Browser, _ path: String, _ pairs: [(String, String)]) async throws
        -> TestingHTTPResponse {
        let all = pairs + [("_csrf", b.csrfToken ?? "")]
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = all.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await b.send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("the whole flow by its people, nobody else; the 批示 reaches the units it names; the 处理单 holds it all")
    func wholeFlow() async throws {
        try await withFuzhengApp { app, clock in
            let clerk = try await Self.login(app, "wenshu"), office = try await Self.login(app, "bangong")
            let zhao = try await Self.login(app, "lingdao"), qian = try await Self.login(app, "fxz1")
            let bureau = try await Self.login(app, "juzhang"), bureauClerk = try await Self.login(app, "wenshu2")
            let caiwu = try await Self.login(app, "caiwu")
            // Only a 文书 registers.
            #expect(try await office.get("/incoming/new").status == .forbidden)
            let id = try await Self.register(clerk)
            let m = try await Self.model(app, id)
            let year = CivilDay(clock.now).year
            #expect(m.numberText == "怀政办收〔\(year)〕1号" && m.step == "propose" && m.copies == 2)
            #expect(try await office.get("/inbox").text.contains("收文待拟办"))
            // 拟办 by the office; the leaders named in order.
            let due = WorkingCalendar.shared.adding(workingDays: 10, to: CivilDay(clock.now)).description
            let propose = ["action": "propose", "kind": "handle", "lead": "436001", "due": due,
                           "leader1": "lingdao", "leader2": "fxz1", "text": "拟请财政局办理"]
            #expect(try await Self.act(app, caiwu, id, propose).status == .forbidden)
            #expect(try await Self.act(app, office, id, propose).status == .seeOther)
            #expect(try await Self.model(app, id).nextLeader == "lingdao")
            // Not the second leader's turn; the first agrees in one tap.
            #expect(try await Self.act(app, qian, id, ["action": "instruct", "quick": "agree"]).status == .forbidden)
            #expect(try await zhao.get("/home").text.contains("关于下达2023年县本级部门预算的通知"))
            // On the leader's 工作台, 待批办 comes first whatever else is waiting.
            let home = try await zhao.get("/home").text
            let firstSource = home.firstMatch(of: /id="(work-[a-z-]+)"/).map { String($0.1) }
            #expect(firstSource == "work-incoming-instruct", "\(firstSource ?? "none")")
            #expect(try await Self.act(app, zhao, id, ["action": "instruct", "quick": "agree"]).status == .seeOther)
            #expect(try await qian.get("/inbox").text.contains("请批示"))
            // The second leader names an assisting unit and a handwritten line; everyone named hears at once.
            let r = try await Self.act(app, qian, id, ["action": "instruct", "text": "请财政局牵头，教育局配合",
                                                       "assisting[]": "437001", "signature": "M10 10 L50 40"])
            #expect(r.status == .seeOther)
            let handled = try await Self.model(app, id)
            #expect(handled.step == "handle" && handled.leadUnit == "436001" && handled.assisting == ",437001,")
            #expect(try await bureau.get("/inbox").text.contains("请承办"))
            #expect(try await office.get("/inbox").text.contains("钱副县长 已批示"))
            #expect(try await bureau.get("/home").text.contains("关于下达2023年县本级部门预算的通知"))
            // The answer as a draft 复函 of the lead unit, linked both ways.
            try await bureauClerk.get("/incoming/\(id)")
            #expect(try await caiwu.post("/incoming/\(id)/reply").status == .forbidden)
            let reply = try await bureauClerk.post("/incoming/\(id)/reply")
            let replyID = try #require(reply.location?.split(separator: "/").dropLast().last.map(String.init))
            let draft = try #require(try await DocumentModel.find(UUID(uuidString: replyID), on: app.db))
            #expect(draft.title == "关于下达2023年县本级部门预算的复函" && draft.step == "draft")
            #expect(try await Self.model(app, id).replyDocumentID?.uuidString == replyID)
            #expect(try await bureauClerk.get("/documents/\(replyID)").text.contains("答复收文"))
            // The lead unit completes; an outsider cannot.
            #expect(try await Self.act(app, caiwu, id, ["action": "complete", "text": "已办"]).status == .forbidden)
            #expect(try await Self.act(app, bureauClerk, id, ["action": "complete", "text": ""]).status == .seeOther)
            #expect(try await Self.model(app, id).step == "handle")
            #expect(try await Self.act(app, bureauClerk, id, ["action": "complete", "text": "已下达并公开"]).status
                == .seeOther)
            #expect(try await Self.model(app, id).step == "done")
            // The 处理单, as a page and as print, in order with signers.
            let sheet = try await zhao.get("/incoming/\(id)/sheet").text
            for text in ["拟请财政局办理", "呈赵县长、钱副县长批示", "同意。", "请财政局牵头，教育局配合", "已下达并公开",
                         "郑文书", "张秘书", "卫文书"] {
                #expect(sheet.contains(text), "处理单 lacks \(text)")
            }
            let page = try await office.get("/incoming/\(id)").text
            #expect(page.contains("/signatures/"))
            // Every move audited with what changed.
            let audit = try await auditRecords(app).filter { $0.objectType == "incoming" && $0.result == "success" }
                .compactMap(\.summary)
            #expect(audit.count == 5 && audit.contains { $0.contains("instruct at instruct → handle") })
            #expect(try await auditRecords(app, action: .accessDenied).contains { $0.objectType == "incoming" })
            // Someone unrelated sees nothing.
            #expect(try await Self.login(app, "caiwu2").get("/incoming/\(id)").status == .forbidden)
        }
    }

    @Test("a refused step keeps the words typed: the form shows them again, once")
    func refusedKeepsText() async throws {
        try await withFuzhengApp { app, _ in
            let clerk = try await Self.login(app, "wenshu"), office = try await Self.login(app, "bangong")
            let id = try await Self.register(clerk)
            let words = "拟请财政局办理，<注意>“期限”&按时报送"
            let refused = try await Self.act(app, office, id, ["action": "propose", "kind": "handle", "lead": "436001",
                                                               "text": words])
            #expect(refused.status == .seeOther)
            let again = try await office.get("/incoming/\(id)").text
            #expect(again.contains("请选择批办领导"))
            #expect(again.contains(Markup.escape(words)))
            #expect(!(try await office.get("/incoming/\(id)").text.contains(Markup.escape(words))))
        }
    }

    @Test("a second registration of the same sender and number is flagged; 涉密 refused; nothing half-saved")
    func duplicatesAndSecrets() async throws {
        try await withFuzhengApp { app, _ in
            let clerk = try await Self.login(app, "wenshu")
            let first = try await Self.register(clerk)
            var again = Self.outside
            again["sender_number"] = "怀财字[2023]7号"
            try await clerk.get("/incoming/new")
            let refused = try await clerk.post("/incoming/new", again)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("已登记过"))
            again["confirm_duplicate"] = "1"
            let second = try await Self.register(clerk, again)
            #expect(try await Self.model(app, second).duplicateOf?.uuidString == first)
            #expect(try await clerk.get("/incoming?view=all").text.contains("重复登记"))
            var secret = Self.outside
            secret["secrecy"] = "jimi"
            let before = try await IncomingModel.query(on: app.db).count()
            let r = try await clerk.post("/incoming/new", secret)
            #expect(r.status == .unprocessableEntity && r.text.contains("涉密公文不得录入本平台"))
            var huge = Self.outside
            huge["copies"] = "999999999999999999999999"
            #expect(try await clerk.post("/incoming/new", huge).status == .unprocessableEntity)
            #expect(try await IncomingModel.query(on: app.db).count() == before)
        }
    }

    @Test("收文编号 gapless and never twice under twelve registrations at once")
    func numberingUnderLoad() async throws {
        try await withFuzhengApp { app, _ in
            let clerks = try await withThrowingTaskGroup(of: Browser.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let b = try await Self.login(app, "wenshu")
                        try await b.get("/incoming/new")
                        return b
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<12 {
                    let b = clerks[i % clerks.count]
                    var form = Self.outside
                    form["sender_number"] = "怀财字〔2023〕\(100 + i)号"
                    group.addTask {
                        let r = try await b.post("/incoming/new", form)
                        #expect(r.status == .seeOther)
                    }
                }
                try await group.waitForAll()
            }
            let seqs = try await IncomingModel.query(on: app.db).all().compactMap(\.seq).sorted()
            #expect(seqs == Array(1...12))
        }
    }

    @Test("签收 inside the platform starts 收文 at 登记; 登记 numbers it")
    func signedFor() async throws {
        try await withFuzhengApp { app, clock in
            let drafter = try await Self.login(app, "bangong")
            let docID = try await DocumentServerTests.create(app, drafter)
            let doc = try #require(try await DocumentModel.find(UUID(uuidString: docID), on: app.db))
            let copy = DeliveryModel()
            copy.$document.id = try doc.requireID()
            copy.recipientName = "县财政局"
            copy.unitCode = "436001"
            copy.kind = "main"
            copy.state = "pending"
            copy.sentAt = clock.now
            copy.reminders = 0
            try await copy.create(on: app.db)
            let clerk = try await Self.login(app, "wenshu2")
            try await clerk.get("/documents/received")
            #expect(try await clerk.post("/documents/deliveries/\(copy.requireID())/sign").status == .seeOther)
            let m = try #require(try await IncomingModel.query(on: app.db).first())
            #expect(m.step == "register" && m.source == "inside" && m.title == doc.title && m.numberText == nil)
            #expect(try await clerk.get("/home").text.contains(doc.title))
            let id = try m.requireID().uuidString
            #expect(try await Self.act(app, try await Self.login(app, "wenshu"), id, ["action": "register"]).status
                == .forbidden)
            #expect(try await Self.act(app, clerk, id, ["action": "register"]).status == .seeOther)
            let registered = try await Self.model(app, id)
            #expect(registered.step == "propose" && registered.seq == 1)
        }
    }

    @Test("传阅 in order: the second reader waits; the sender sees who has not read and reminds them")
    func circulation() async throws {
        try await withFuzhengApp { app, _ in
            let clerk = try await Self.login(app, "wenshu")
            let id = try await Self.register(clerk)
            try await clerk.get("/incoming/\(id)")
            let r = try await Self.postPairs(clerk, "/incoming/\(id)/circulate",
                                             [("readers[]", "lingdao"), ("readers[]", "fxz1"), ("in_order", "1")])
            #expect(r.status == .seeOther)
            let readings = try await IncomingReadingModel.query(on: app.db).sort(\.$position).all()
            #expect(readings.map(\.reader) == ["lingdao", "fxz1"])
            #expect(try await clerk.get("/incoming?view=all").text.contains("（传阅中）"))
            let qian = try await Self.login(app, "fxz1"), zhao = try await Self.login(app, "lingdao")
            let seen = try await qian.get("/incoming/\(id)")
            #expect(seen.status == .ok)
            let early = try await qian.post("/incoming/readings/\(readings[1].requireID())", ["action": "read"])
            #expect(early.status == .forbidden, "\(early.status) \(early.location ?? "") \(early.text.prefix(300))")
            try await zhao.get("/incoming/\(id)")
            #expect(try await zhao.post("/incoming/readings/\(readings[0].requireID())",
                                        ["action": "read", "text": "已阅，请抓好落实"]).status == .seeOther)
            // Read twice from two tabs: one reading.
            #expect(try await zhao.post("/incoming/readings/\(readings[0].requireID())", ["action": "read"]).status
                == .seeOther)
            #expect(try await IncomingEventModel.query(on: app.db).filter(\.$action == "read").count() == 1)
            let page = try await clerk.get("/incoming/\(id)").text
            #expect(page.contains("尚未阅：钱副县长") && page.contains("已阅，请抓好落实"))
            #expect(try await qian.get("/inbox").text.contains("请阅"))
            try await clerk.get("/incoming/\(id)")
            #expect(try await clerk.post("/incoming/readings/\(readings[1].requireID())", ["action": "remind"]).status
                == .seeOther)
            #expect(try await qian.get("/inbox").text.contains("催阅"))
            #expect(try await qian.get("/home").text.contains("关于下达2023年县本级部门预算的通知"))
        }
    }

    @Test("reminders: once when due soon, once when overdue, never twice for one point, by mail too")
    func remindersOnce() async throws {
        try await withFuzhengApp { app, clock in
            let clerk = try await Self.login(app, "wenshu")
            let id = try await Self.register(clerk)
            let m = try await Self.model(app, id)
            let today = CivilDay(clock.now)
            let due = WorkingCalendar.shared.adding(workingDays: 5, to: today)
            var s = IncomingState(step: .handle)
            s.lead = "436001"
            s.due = due
            m.state = s
            try await m.save(on: app.db)
            let head = try #require(try await UserModel.query(on: app.db).filter(\.$username == "juzhang").first())
            head.email = "juzhang@huailai.example"
            try await head.save(on: app.db)
            func notices() async throws -> Int {
                try await NotificationModel.query(on: app.db).filter(\.$user.$id == head.requireID())
                    .filter(\.$link == "/incoming/\(id)").count()
            }
            #expect(try await IncomingReminders.run(app, now: clock.now) == 0)
            // Yellow: the day two working days before the deadline.
            let yellow = WorkingCalendar.shared.adding(workingDays: 3, to: today).start()
                .addingTimeInterval(9 * 3600)
            #expect(try await IncomingReminders.run(app, now: yellow) == 1)
            #expect(try await IncomingReminders.run(app, now: yellow) == 0)
            #expect(try await notices() == 1)
            let late = due.adding(days: 1).start().addingTimeInterval(8 * 3600)
            async let a = IncomingReminders.run(app, now: late)
            async let b = IncomingReminders.run(app, now: late)
            #expect(try await a + b == 1)
            #expect(try await IncomingReminders.run(app, now: late.addingTimeInterval(86_400 * 3)) == 0)
            #expect(try await notices() == 2)
            let mails = try await OutboundMessageModel.query(on: app.db).all()
            #expect(mails.count == 2 && mails.allSatisfy { $0.recipient == "juzhang@huailai.example" })
            #expect(mails.contains { $0.subject.contains("已逾期") })
            // The list shows it red, overdue first.
            clock.advance(by: late.timeIntervalSince(clock.now))
            let list = try await Self.login(app, "juzhang").get("/incoming").text
            #expect(list.contains("work-item red"))
        }
    }
}

@Suite("The working calendar in force: a year the 系统管理员 enters replaces weekends-only counting")
struct CalendarAdminTests {
    @Test("only the 系统管理员 enters a notice; bad lines are named; the entered year counts at once")
    func enterNotice() async throws {
        try await withFuzhengApp { app, _ in
            let clerk = Browser(app)
            try await clerk.login("wenshu")
            #expect(try await clerk.get("/admin/calendar").status == .forbidden)
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let page = try await admin.get("/admin/calendar")
            #expect(page.status == .ok && page.text.contains("国办发明电〔2025〕7号"))
            let provisional = try await app.fuzheng.calendars.current(on: app.db)
            #expect(provisional.isProvisional(2027))
            let bad = try await admin.post("/admin/calendar", ["year": "2027", "title": "关于2027年部分节假日安排的通知",
                                                               "holidays": "国庆节 2027-10-01", "workdays": ""])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("第 1 行"))
            let good = try await admin.post("/admin/calendar", [
                "year": "2027", "title": "关于2027年部分节假日安排的通知", "number": "国办发明电〔2026〕9号",
                "holidays": "元旦 2027-01-01 2027-01-03\n国庆节 2027-10-01 2027-10-07",
                "workdays": "2027-09-26 国庆节调休\n2027-10-09 国庆节调休"])
            #expect(good.status == .seeOther)
            let calendar = try await app.fuzheng.calendars.current(on: app.db)
            #expect(!calendar.isProvisional(2027))
            #expect(!calendar.isWorkingDay(CivilDay(year: 2027, month: 10, day: 4)))
            #expect(calendar.isWorkingDay(CivilDay(year: 2027, month: 9, day: 26)))
            #expect(try await auditRecords(app).contains { $0.objectType == "holiday_notice" })
        }
    }
}

@Suite("A person's e-mail address for reminders, set by the 系统管理员")
struct UserEmailTests {
    @Test("saved when valid, refused with the field named when it could carry a header, audited")
    func email() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let form = try await admin.get("/admin/users/juzhang/edit")
            #expect(form.text.contains("name=\"email\""))
            var fields: [String: String] = ["displayName": "何局长", "unitCode": "436001", "role0": "unit_head",
                                            "scope0": "unit", "title": "局长"]
            fields["email"] = "juzhang@huailai.example\r\nBcc: x@evil.example"
            let refused = try await admin.post("/admin/users/juzhang/edit", fields)
            #expect(refused.status != .seeOther && refused.text.contains("邮箱格式不正确"))
            fields["email"] = " juzhang@huailai.example "
            #expect(try await admin.post("/admin/users/juzhang/edit", fields).status == .seeOther)
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == "juzhang").first())
            #expect(user.email == "juzhang@huailai.example")
            #expect(try await auditRecords(app).contains { ($0.summary ?? "").contains("email=juzhang@huailai.example") })
        }
    }
}
