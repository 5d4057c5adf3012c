import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("督查督办 on the server: 立项 from a 批示, 分解, 签收, 反馈 with a photo, 催办, 延期, 销号, rates, 通报, reminders once")
struct SupervisionServerTests {
    static let login = IncomingServerTests.login

    static func model(_ app: Application, _ id: String) async throws -> SupervisionItemModel {
        try #require(try await SupervisionItemModel.find(UUID(uuidString: id), on: app.db))
    }

    @discardableResult
    static func step(_ app: Application, _ b: Browser, _ id: String, _ form: [String: String]) async throws
        -> TestingHTTPResponse {
        try await b.get("/supervision/\(id)")
        var f = form
        f["version"] = String(try await model(app, id).version)
        return try await b.post("/supervision/\(id)/step", f)
    }

    /// Posts repeated keys (unit[]=a&unit[]=b).
    static let postPairs = IncomingServerTests.postPairs

    static func create(_ b: Browser, _ form: [String: String]) async throws -> String {
        try await b.get("/supervision/new")
        let r = try await b.post("/supervision", form)
        #expect(r.status == .seeOther, "\(r.text.prefix(2000))")
        return String(try #require(r.location).dropFirst("/supervision/".count))
    }

    /// The `is_open` flags of an item's unit rows.
    static func openFlags(_ app: Application, _ id: String) async throws -> [Bool] {
        struct Row: Decodable { var is_open: Bool }
        return try await (app.db as! any SQLDatabase).select().column("is_open").from(SupervisionUnits.schema)
            .where("item_id", .equal, UUID(uuidString: id)).all(decoding: Row.self).map(\.is_open)
    }

    static func children(_ app: Application, _ id: String) async throws -> [SupervisionItemModel] {
        try await SupervisionItemModel.query(on: app.db).filter(\.$parentID == UUID(uuidString: id)).sort(\.$seq).all()
    }

    /// A PNG of one pixel carrying a text chunk where a camera would put where it was.
    static let photo: Data = {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let body = Array(type.utf8) + data
            png += withUnsafeBytes(of: UInt32(data.count).bigEndian, Array.init) + body
            png += withUnsafeBytes(of: crc32(body).bigEndian, Array.init)
        }
        chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        chunk("tEXt", Array("Location\u{0}40.4N 115.5E".utf8))
        chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])
        chunk("IEND", [])
        return Data(png)
    }()

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    @Test("立项 from a leader's 批示, 分解 to two units, each unit sees its own, leaders by 分管, the 督查室 all")
    func instructionToSubTasks() async throws {
        try await withFuzhengApp { app, clock in
            // A 收文 the 县长 decided: the 批示 is the item's source.
            let clerk = try await Self.login(app, "wenshu"), office = try await Self.login(app, "bangong")
            let zhao = try await Self.login(app, "lingdao"), ducha = try await Self.login(app, "ducha")
            let incoming = try await IncomingServerTests.register(clerk)
            let due = WorkingCalendar.shared.adding(workingDays: 20, to: CivilDay(clock.now)).description
            try await IncomingServerTests.act(app, office, incoming, ["action": "propose", "kind": "handle",
                                                                     "lead": "434001", "due": due, "leader1": "lingdao",
                                                                     "text": "拟请办公室办理"])
            try await IncomingServerTests.act(app, zhao, incoming, ["action": "instruct", "quick": "agree"])
            // Only the 督查室 opens items; the form is filled from the 批示.
            #expect(try await office.get("/supervision/new").status == .forbidden)
            let form = try await ducha.get("/supervision/new?incoming=\(incoming)").text
            #expect(form.contains("关于下达2023年县本级部门预算的通知") && form.contains("赵县长批示：同意。"))
            #expect(form.contains("value=\"lingdao\" selected"))
            let id = try await Self.create(ducha, [
                "title": "落实预算批复<b>", "source": "instruction", "source_text": "赵县长批示：同意。",
                "lead": "434001", "leader": "lingdao", "deadline": due, "kind": "key", "cycle": "weekly",
                "cycle_day": "5", "incoming": incoming,
            ])
            let m = try await Self.model(app, id)
            #expect(m.sourceIncomingID?.uuidString == incoming && m.leader == "lingdao" && m.state == "assigned")
            #expect(m.numberText == "督办〔\(CivilDay(clock.now).year)〕1号")
            let page = try await ducha.get("/supervision/\(id)").text
            #expect(page.contains("落实预算批复&lt;b&gt;") && !page.contains("落实预算批复<b>"))
            // 分解: two units, each with its own deadline, not after the item's.
            let d1 = WorkingCalendar.shared.adding(workingDays: 10, to: CivilDay(clock.now)).description
            let late = CivilDay(due)!.adding(days: 30).description
            let refused = try await Self.postPairs(ducha, "/supervision/\(id)/split", [
                ("version", String(m.version)), ("unit[]", "436001"), ("deadline[]", late), ("title[]", ""),
            ])
            #expect(refused.status == .seeOther)
            #expect(try await ducha.get("/supervision/\(id)").text.contains("子任务期限不能晚于总期限"))
            #expect(try await Self.children(app, id).isEmpty)
            let split = try await Self.postPairs(ducha, "/supervision/\(id)/split", [
                ("version", String(m.version)), ("unit[]", "436001"), ("deadline[]", d1), ("title[]", "核实资金"),
                ("unit[]", "434001"), ("deadline[]", due), ("title[]", ""),
            ])
            #expect(split.status == .seeOther)
            let kids = try await Self.children(app, id)
            #expect(kids.map(\.leadUnit) == ["436001", "434001"] && kids.map(\.deadline) == [d1, due])
            #expect(kids.allSatisfy { $0.state == "assigned" && $0.leader == "lingdao" })
            #expect(try await Self.model(app, id).hasChildren)
            let bureauID = try #require(kids[0].id).uuidString, officeID = try #require(kids[1].id).uuidString
            // Who sees what: the unit its own, a 分管 leader those of the units they oversee, the county all.
            let bureau = try await Self.login(app, "wenshu2"), qian = try await Self.login(app, "fxz1")
            let zhou = try await Self.login(app, "fxz2")
            #expect(try await bureau.get("/supervision/\(bureauID)").status == .ok)
            #expect(try await bureau.get("/supervision/\(officeID)").status == .forbidden)
            #expect(try await bureau.get("/supervision").text.contains("核实资金"))
            #expect(!(try await bureau.get("/supervision").text.contains(officeID)))
            #expect(try await qian.get("/supervision/\(bureauID)").status == .ok)
            #expect(try await zhou.get("/supervision/\(bureauID)").status == .forbidden)
            #expect(try await zhou.get("/supervision").text.contains("暂无在办的督办事项"))
            #expect(try await zhao.get("/supervision/\(officeID)").status == .ok)
            // The unit hears of it and finds it on its 工作台 to 签收.
            #expect(try await bureau.get("/inbox").text.contains("督办通知：核实资金"))
            #expect(try await bureau.get("/home").text.contains("督办待签收"))
            #expect(try await Self.step(app, office, bureauID, ["action": "acknowledge"]).status == .forbidden)
            #expect(try await Self.step(app, bureau, bureauID, ["action": "acknowledge"]).status == .seeOther)
            #expect(try await Self.model(app, bureauID).state == "handling")
            // A second tab acknowledging again changes nothing.
            #expect(try await Self.step(app, bureau, bureauID, ["action": "acknowledge"]).status == .seeOther)
            let acks = try await SupervisionEventModel.query(on: app.db).filter(\.$action == "acknowledge").count()
            #expect(acks == 1)
        }
    }

    @Test("反馈 with a photo from a phone: kept without its location, accepted or returned with a reason; roll-up")
    func reportWithPhoto() async throws {
        try await withFuzhengApp { app, clock in
            let ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            let due = WorkingCalendar.shared.adding(workingDays: 20, to: CivilDay(clock.now)).description
            let id = try await Self.create(ducha, ["title": "电子政务平台交付", "source": "meeting", "lead": "434001",
                                                   "deadline": due, "cycle": "monthly", "cycle_day": "25"])
            try await Self.step(app, office, id, ["action": "acknowledge"])
            try await office.get("/supervision/\(id)")
            let version = String(try await Self.model(app, id).version)
            let bad = try await office.upload("/supervision/\(id)/step", file: Data("not a png".utf8), name: "x.png",
                                              fields: ["action": "report", "version": version, "text": "x",
                                                       "percent": "10"], fieldName: "files[]")
            #expect(bad.status == .seeOther)
            #expect(try await office.get("/supervision/\(id)").text.contains("内容与扩展名不符"))
            let huge = try await Self.step(app, office, id, ["action": "report", "text": "部署完成",
                                                            "percent": "99999999999999999999"])
            #expect(huge.status == .seeOther)
            #expect(try await office.get("/supervision/\(id)").text.contains("完成进度应为 0–100 的整数"))
            let sent = try await office.upload("/supervision/\(id)/step", file: Self.photo, name: "现场.png",
                                               fields: ["action": "report", "version": version,
                                                        "text": "服务器已上架，正在部署", "percent": "40"],
                                               fieldName: "files[]")
            #expect(sent.status == .seeOther)
            let file = try #require(try await SupervisionFileModel.query(on: app.db).first())
            #expect(file.name == "现场.png" && file.contentType == "image/png")
            let stored = try await app.fuzheng.files.get(file.digest)
            #expect(!stored.isEmpty && !String(decoding: stored, as: UTF8.self).contains("Location"))
            #expect(try await office.get("/supervision/files/\(try file.requireID())").status == .ok)
            #expect(try await Self.login(app, "wenshu2").get("/supervision/files/\(try file.requireID())").status
                == .forbidden)
            #expect(try await Self.model(app, id).progress == 0)
            // Only the 督查室 accepts; a return needs its reason.
            let report = try #require(try await SupervisionEventModel.query(on: app.db).filter(\.$action == "report")
                .first())
            let rid = try report.requireID().uuidString
            #expect(try await Self.step(app, office, id, ["action": "accept", "event": rid]).status == .forbidden)
            try await Self.step(app, ducha, id, ["action": "return", "event": rid])
            #expect(try await ducha.get("/supervision/\(id)").text.contains("退回须说明理由"))
            try await Self.step(app, ducha, id, ["action": "accept", "event": rid])
            #expect(try await Self.model(app, id).progress == 40)
            #expect(try await office.get("/inbox").text.contains("督办反馈已采纳"))
            // Accepted once: a second accept from a stale tab changes nothing.
            try await Self.step(app, ducha, id, ["action": "return", "event": rid, "text": "晚了"])
            let after = try await SupervisionEventModel.find(report.id, on: app.db)
            #expect(after?.status == "accepted")
            // Progress of a split item is its sub-tasks' mean.
            let parent = try await Self.create(ducha, ["title": "总任务", "source": "meeting", "lead": "434001",
                                                       "deadline": due])
            let pm = try await Self.model(app, parent)
            _ = try await Self.postPairs(ducha, "/supervision/\(parent)/split", [
                ("version", String(pm.version)), ("unit[]", "434001"), ("deadline[]", due), ("title[]", "甲"),
                ("unit[]", "434001"), ("deadline[]", due), ("title[]", "乙"),
            ])
            let kids = try await Self.children(app, parent)
            let a = try #require(kids.first?.id).uuidString
            try await Self.step(app, office, a, ["action": "acknowledge"])
            try await Self.step(app, office, a, ["action": "report", "text": "完成一半", "percent": "50"])
            let r2 = try #require(try await SupervisionEventModel.query(on: app.db).filter(\.$item.$id == kids[0].id!)
                .filter(\.$action == "report").first())
            try await Self.step(app, ducha, a, ["action": "accept", "event": r2.id!.uuidString])
            #expect(try await Self.model(app, parent).progress == 25)
        }
    }

    @Test("A reach's open items are the same whichever way they are read: by the open flags (few units or many)")
    func openReachForms() async throws {
        try await withFuzhengApp { app, clock in
            let ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            let due = WorkingCalendar.shared.adding(workingDays: 10, to: CivilDay(clock.now)).description
            var ids: [String] = []
            for (title, unit, leader) in [("甲", "434001", ""), ("乙", "436001", "lingdao"), ("丙", "436001", ""),
                                          ("丁", "434001", "lingdao")] {
                ids.append(try await Self.create(ducha, ["title": title, "source": "meeting", "lead": unit,
                                                         "leader": leader, "deadline": due]))
            }
            try await Self.step(app, office, ids[3], ["action": "acknowledge"])
            try await Self.step(app, ducha, ids[3], ["action": "close", "text": "完成"])
            #expect(try await Self.model(app, ids[3]).state == "closed")
            let sql = try #require(app.db as? any SQLDatabase)
            struct Row: Decodable { var id: UUID }
            let others = Set(try await UnitsMemo.all(on: app.db).map(\.code).filter { $0 != "434001" })
            // Items the leader instructed outside the reach count too; closed ones never.
            for (reach, leader, count) in [(Set(["434001"]), "lingdao", 2), (others, "lingdao", 2),
                                           (others, "nobody", 2), (Set(["434001"]), "nobody", 1)] {
                func found(_ open: Bool?, small: Int) async throws -> [UUID] {
                    let q = SupervisionQueries.restrict(
                        sql.select().column("id").from(SupervisionItemModel.schema)
                            .where("state", .in, SupervisionQueries.openStates),
                        reach: reach, username: leader, open: open ?? false, smallReach: small)
                    return try await q.orderBy("due_on").orderBy("number_text").orderBy("id").all(decoding: Row.self)
                        .map(\.id)
                }
                let plain = try await found(nil, small: 0)
                #expect(plain.count == count)
                #expect(try await found(true, small: 0) == plain)
                #expect(try await found(true, small: 10_000) == plain)
            }
        }
    }

    @Test("Past the deadline it is red; reminders go once per point; 催办; 延期 refused or approved; 销号, reopen, archive")
    func overdueToClosed() async throws {
        try await withFuzhengApp { app, clock in
            var ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            var zhao = try await Self.login(app, "lingdao")
            let today = CivilDay(clock.now)
            let due = WorkingCalendar.shared.adding(workingDays: 5, to: today)
            let id = try await Self.create(ducha, ["title": "行政复议案件办理", "source": "superior", "lead": "434001",
                                                   "kind": "urgent",
                                                   "leader": "lingdao", "deadline": due.description,
                                                   "cycle": "weekly", "cycle_day": "5"])
            try await Self.step(app, office, id, ["action": "acknowledge"])
            // 延期 asked before the deadline and refused: the deadline stays.
            let asked = try await Self.step(app, office, id, ["action": "extend",
                                                               "to": due.adding(days: 20).description,
                                                               "text": "需补充证据"])
            #expect(asked.status == .seeOther)
            #expect(try await ducha.get("/home").text.contains("督办待审核"))
            let ext = try #require(try await SupervisionEventModel.query(on: app.db).filter(\.$action == "extension")
                .first())
            try await Self.step(app, ducha, id, ["action": "refuse_extension", "event": ext.id!.uuidString])
            #expect(try await ducha.get("/supervision/\(id)").text.contains("不同意延期须说明理由"))
            try await Self.step(app, ducha, id, ["action": "refuse_extension", "event": ext.id!.uuidString,
                                                 "text": "案件期限不可延长"])
            var m = try await Self.model(app, id)
            #expect(m.extendedTo == nil && m.dueOn == due.description && m.statDueOn == due.description)
            // The clock passes the deadline: red on the list, the leader's 工作台 and their own-instruction list.
            clock.advance(by: Double(CivilDay.days(from: today, to: due) + 1) * 86_400)
            let now = clock.now
            // Days later, everyone signs in again (sessions end after idle time).
            ducha = try await Self.login(app, "ducha")
            office = try await Self.login(app, "bangong")
            zhao = try await Self.login(app, "lingdao")
            #expect(try await zhao.get("/supervision").text.contains("红灯事项（1）"))
            #expect(try await zhao.get("/home").text.contains("督办红灯事项"))
            // Too late to ask for more time.
            try await Self.step(app, office, id, ["action": "extend", "to": due.adding(days: 30).description,
                                                  "text": "再延"])
            #expect(try await office.get("/supervision/\(id)").text.contains("已超过办理期限，不能再申请延期"))
            // Reminders: the overdue point once, however many runs.
            let first = try await SupervisionReminders.run(app, now: now)
            let second = try await SupervisionReminders.run(app, now: now)
            let later = try await SupervisionReminders.run(app, now: now.addingTimeInterval(960))
            #expect(first >= 1 && second == 0 && later == 0)
            let overdue = try await NotificationModel.query(on: app.db).all().filter { $0.text.contains("督办事项已逾期") }
            #expect(overdue.count == Set(overdue.map(\.$user.id)).count && !overdue.isEmpty)
            // Escalation after five overdue working days reaches the responsible leader, once.
            let fiveLater = WorkingCalendar.shared.adding(workingDays: 5, to: due)
            let escalateAt = now.addingTimeInterval(Double(CivilDay.days(from: CivilDay(now), to: fiveLater)) * 86_400)
            #expect(try await SupervisionReminders.run(app, now: escalateAt) == 1)
            #expect(try await SupervisionReminders.run(app, now: escalateAt) == 0)
            #expect(try await zhao.get("/inbox").text.contains("提请督办"))
            // A manual 催办单 to the unit.
            try await Self.step(app, ducha, id, ["action": "remind", "unit": "434001", "text": "请于本周内办结"])
            #expect(try await office.get("/inbox").text.contains("催办单：行政复议案件办理。请于本周内办结"))
            // 销号 needs the result; reopening needs a reason; the closed item goes into the archive once.
            try await Self.step(app, ducha, id, ["action": "close", "text": ""])
            #expect(try await Self.model(app, id).state == "handling")
            try await Self.step(app, ducha, id, ["action": "close", "text": "已作出复议决定"])
            m = try await Self.model(app, id)
            #expect(m.state == "closed" && m.closedOn == CivilDay(clock.now).description && m.archiveItemID != nil)
            let filed = try #require(try await ArchiveItemModel.find(m.archiveItemID, on: app.db))
            #expect(filed.source == "supervision" && filed.period == "D30")
            try await Self.step(app, ducha, id, ["action": "reopen", "text": ""])
            #expect(try await Self.model(app, id).state == "closed")
            try await Self.step(app, ducha, id, ["action": "reopen", "text": "复议决定被撤销"])
            m = try await Self.model(app, id)
            #expect(m.state == "handling" && m.closedOn == nil)
            // The unit's open list reads its reach from the units' open flags, which follow the item's state.
            #expect(try await Self.openFlags(app, id) == [true])
            #expect(try await office.get("/supervision").text.contains("行政复议案件办理"))
            try await Self.step(app, ducha, id, ["action": "close", "text": "重新作出决定"])
            #expect(try await Self.openFlags(app, id) == [false])
            #expect(try await !office.get("/supervision").text.contains("行政复议案件办理"))
            #expect(try await office.get("/supervision?view=closed").text.contains("行政复议案件办理"))
            #expect(try await ArchiveItemModel.query(on: app.db).filter(\.$source == "supervision").count() == 1)
            // Every move is in the audit trail with what changed.
            let audit = try await auditRecords(app).compactMap(\.summary)
            #expect(audit.contains { $0.contains("不同意延期") && $0.contains("案件期限不可延长") })
            #expect(audit.contains { $0.hasPrefix("重新打开") && $0.contains("复议决定被撤销") })
            // The sheet prints every act, with nothing to load.
            let sheet = try await ducha.get("/supervision/\(id)/sheet")
            #expect(sheet.text.contains("不同意延期") && sheet.text.contains("重新作出决定"))
            #expect(sheet.headers.first(name: "Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        }
    }

    @Test("Rates on the statistics page equal the hand-computed ones; drill-down lists them; 通报 names the red unit")
    func statisticsAndBulletin() async throws {
        try await withFuzhengApp { app, clock in
            var ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            var bureau = try await Self.login(app, "wenshu2")
            let today = CivilDay(clock.now)
            let cal = WorkingCalendar.shared
            let d1 = cal.adding(workingDays: 2, to: today), d2 = cal.adding(workingDays: 4, to: today)
            let d3 = cal.adding(workingDays: 6, to: today)
            var ids: [String] = []
            for (title, unit, due) in [("甲事项", "434001", d1), ("乙事项", "434001", d2), ("丙事项", "436001", d3),
                                       ("丁事项", "436001", d1)] {
                ids.append(try await Self.create(ducha, ["title": title, "source": "meeting", "lead": unit,
                                                         "deadline": due.description]))
            }
            for (i, b) in [(0, office), (1, office), (2, bureau), (3, bureau)] {
                try await Self.step(app, b, ids[i], ["action": "acknowledge"])
            }
            // 甲 closed on time; 丙's extension approved before its deadline.
            try await Self.step(app, ducha, ids[0], ["action": "close", "text": "完成"])
            try await Self.step(app, bureau, ids[2], ["action": "extend", "to": d3.adding(days: 40).description,
                                                       "text": "等待上级批复"])
            let ext = try #require(try await SupervisionEventModel.query(on: app.db).filter(\.$action == "extension")
                .first())
            try await Self.step(app, ducha, ids[2], ["action": "approve_extension", "event": ext.id!.uuidString])
            #expect(try await Self.model(app, ids[2]).statDueOn == d3.adding(days: 40).description)
            // Past d2: 乙 closed late, 丁 open and red.
            clock.advance(by: Double(CivilDay.days(from: today, to: d2) + 1) * 86_400)
            ducha = try await Self.login(app, "ducha")
            office = try await Self.login(app, "bangong")
            bureau = try await Self.login(app, "wenshu2")
            try await Self.step(app, ducha, ids[1], ["action": "close", "text": "完成"])
            let from = today.description, to = d3.description
            let stats = try await ducha.get("/supervision/statistics?from=\(from)&to=\(to)").text
            // Due: 甲 乙 丁 (丙 moved out by its approved extension); closed 甲 乙 = 66.66%; on time 甲 = 33.33%.
            #expect(stats.contains("id=\"closed-rate\">66.66%"), "\(stats.prefix(100))")
            #expect(stats.contains("id=\"ontime-rate\">33.33%"))
            #expect(stats.contains("应办结：期限（经批准延期的以延期后为准"))
            #expect(stats.contains("<svg") && stats.contains("按期办结率"))
            let drill = try await ducha.get("/supervision?rate=ontime&from=\(from)&to=\(to)").text
            #expect(drill.contains("甲事项") && !drill.contains("乙事项") && drill.contains("督办事项（1）"))
            let dueList = try await ducha.get("/supervision?rate=due&from=\(from)&to=\(to)").text
            #expect(dueList.contains("督办事项（3）") && !dueList.contains("丙事项"))
            // A unit's statistics hold its own items only.
            let own = try await bureau.get("/supervision/statistics?from=\(from)&to=\(to)").text
            #expect(own.contains("id=\"closed-rate\">0.00%") && !own.contains("甲事项"))
            // The monthly 通报: a draft 通报 in the 公文 module naming the red unit.
            let month = String(format: "%04d-%02d", CivilDay(clock.now).year, CivilDay(clock.now).month)
            try await ducha.get("/supervision/statistics")
            let made = try await ducha.post("/supervision/bulletin", ["month": month])
            #expect(made.status == .seeOther)
            let doc = try #require(try await DocumentModel.query(on: app.db).filter(\.$type == "tongbao").first())
            let body = try doc.decoded().body
            #expect(doc.step == "draft" && body.contains("丁事项（牵头单位：怀来县财政局（演示）"))
            #expect(body.contains("乙事项（牵头单位：怀来县人民政府办公室") && body.contains("逾期1个工作日"))
            #expect(body.contains("请怀来县财政局（演示）、怀来县人民政府办公室切实履行牵头责任"))
            #expect(try await ducha.post("/supervision/bulletin", ["month": "13月"]).status == .seeOther)
            #expect(try await office.post("/supervision/bulletin", ["month": month]).status == .forbidden)
        }
    }

    @Test("A 纪要 offers the 督查室 立项督办; the form names the 纪要 as its source and links it")
    func fromMinutes() async throws {
        try await withFuzhengApp { app, clock in
            let office = try await Self.login(app, "bangong"), ducha = try await Self.login(app, "ducha")
            var form = DocumentServerTests.draftForm(title: "县政府第12次常务会议纪要")
            form["type"] = "jiyao"
            let doc = try await DocumentServerTests.create(app, office, form)
            #expect(try await ducha.get("/documents/\(doc)").text.contains("据此纪要立项督办"))
            #expect(!(try await office.get("/documents/\(doc)").text.contains("据此纪要立项督办")))
            let page = try await ducha.get("/supervision/new?document=\(doc)").text
            #expect(page.contains("县政府第12次常务会议纪要") && page.contains("value=\"meeting\" selected"))
            let due = WorkingCalendar.shared.adding(workingDays: 10, to: CivilDay(clock.now)).description
            let id = try await Self.create(ducha, ["title": "推进城区供暖改造", "source": "meeting", "lead": "434001",
                                                   "deadline": due, "document": doc,
                                                   "source_text": "县政府第12次常务会议纪要第3项"])
            #expect(try await Self.model(app, id).sourceDocumentID?.uuidString == doc)
            #expect(try await ducha.get("/supervision/\(id)").text.contains("/documents/\(doc)"))
        }
    }

    @Test("建议提案: 答复函 drafted through 公文, 答复 recorded, 满意度; 按期答复率 and 满意率")
    func proposals() async throws {
        try await withFuzhengApp { app, clock in
            let ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            let today = CivilDay(clock.now)
            let due = WorkingCalendar.shared.adding(workingDays: 5, to: today)
            // The proposer is required for a suggestion.
            try await ducha.get("/supervision/new")
            let missing = try await ducha.post("/supervision", ["title": "关于增设公交线路的建议",
                                                                "source": "npc_suggestion", "lead": "434001",
                                                                "deadline": due.description])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("请填写提出建议（提案）的代表或委员"))
            #expect(missing.text.contains("value=\"关于增设公交线路的建议\""))
            let id = try await Self.create(ducha, ["title": "关于增设公交线路的建议", "source": "npc_suggestion",
                                                   "lead": "434001", "deadline": due.description,
                                                   "proposer": "王建国", "cycle": "once"])
            try await Self.step(app, office, id, ["action": "acknowledge"])
            try await office.get("/supervision/\(id)")
            let drafted = try await office.post("/supervision/\(id)/reply")
            #expect(drafted.status == .seeOther)
            let m = try await Self.model(app, id)
            let letter = try #require(try await DocumentModel.find(m.replyDocumentID, on: app.db))
            #expect(letter.type == "han" && letter.title.contains("王建国代表"))
            try await Self.step(app, ducha, id, ["action": "satisfaction", "satisfaction": "satisfied"])
            #expect(try await Self.model(app, id).satisfaction == nil)
            try await Self.step(app, office, id, ["action": "replied", "text": "已开通12路公交"])
            try await Self.step(app, ducha, id, ["action": "satisfaction", "satisfaction": "basically"])
            #expect(try await Self.model(app, id).satisfaction == "basically")
            let stats = try await ducha.get("/supervision/statistics?from=\(today)&to=\(due)").text
            #expect(stats.contains("按期答复率") && stats.contains("100.00%"))
        }
    }

    @Test("A closed item goes into the archive: its package holds the 督办单 with every act and the evidence",
          .enabled(if: PDFPrinter.chromiumPath() != nil, "needs Debian's chromium (installed by .ci/run)"))
    func archivePackage() async throws {
        try await withFuzhengApp { app, clock in
            ArchiveServerTests.into2027(clock)
            let ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            let due = WorkingCalendar.shared.adding(workingDays: 10, to: CivilDay(clock.now)).description
            let id = try await Self.create(ducha, ["title": "整改政务公开考核问题", "source": "superior",
                                                   "lead": "434001", "deadline": due])
            try await Self.step(app, office, id, ["action": "acknowledge"])
            try await Self.step(app, office, id, ["action": "report", "text": "栏目已调整", "percent": "100"])
            try await ducha.get("/supervision/\(id)")
            let version = String(try await Self.model(app, id).version)
            let closed = try await ducha.upload("/supervision/\(id)/step", file: Self.photo, name: "整改后页面.png",
                                                fields: ["action": "close", "version": version,
                                                         "text": "整改完成，已报市政务公开办"], fieldName: "files[]")
            #expect(closed.status == .seeOther)
            let m = try await Self.model(app, id)
            let filed = try #require(try await ArchiveItemModel.find(m.archiveItemID, on: app.db))
            #expect(filed.period == "D10" && filed.source == "supervision" && filed.numberText == m.numberText)
            // Filed as of 2026 so that year can be closed today (the clock is in 2027).
            filed.year = 2026
            try await filed.save(on: app.db)
            let archivist = try await DocumentServerTests.login(app, "dangan")
            #expect(try await ArchiveServerTests.close(archivist, year: 2026).status == .seeOther)
            let r = try await archivist.get("/archive/items/\(filed.id!.uuidString)/package")
            #expect(r.status == .ok)
            let zip = Data(buffer: r.body)
            let metadata = try ArchivePackage.verify(zip).get()
            #expect(metadata.source == "督办" && metadata.number == m.numberText)
            let files = try ArchiveServerTests.entries(zip)
            let sheet = String(decoding: try #require(files["督办单.html"]), as: UTF8.self)
            for text in ["督办单", "整改政务公开考核问题", "栏目已调整", "整改完成，已报市政务公开办", "整改后页面.png", "销号"] {
                #expect(sheet.contains(text), "督办单 lacks \(text)")
            }
            #expect(try #require(files["督办单.pdf"]).starts(with: Array("%PDF".utf8)))
            #expect(files["附件01.png"].map { !$0.isEmpty } == true)
        }
    }

    @Test("A period's figures are kept until a 督办 write anywhere raises the generation; then read again")
    func figuresCache() async throws {
        try await withFuzhengApp { app, clock in
            let cache = SupervisionFiguresCache()
            let (from, to) = (CivilDay(year: 2000, month: 1, day: 1), CivilDay(year: 2100, month: 12, day: 31))
            func due() async throws -> Int {
                SupervisionStatistics.make(cells: try await cache.cells(from: from, to: to, reach: nil, unit: nil,
                                                                        username: "", on: app.db)).county.due
            }
            let before = try await due()
            // A new item (a write through the platform, on this or another server): counted at once.
            let ducha = try await Self.login(app, "ducha")
            let deadline = WorkingCalendar.shared.adding(workingDays: 5, to: CivilDay(clock.now)).description
            _ = try await Self.create(ducha, ["title": "缓存", "source": "meeting", "lead": "434001",
                                              "deadline": deadline])
            #expect(try await due() == before + 1)
            // A change the generation does not know of is not read again: the answer is the cached one…
            guard let sql = app.db as? SQLDatabase else { return }
            try await sql.raw("UPDATE supervision_items SET stat_due_on = '1999-01-01' WHERE title = '缓存'").run()
            #expect(try await due() == before + 1)
            // …until a write raises it.
            try await app.db.transaction { try await SupervisionFiguresCache.bump(on: $0) }
            #expect(try await due() == before)
        }
    }

    @Test("Two tabs accepting one report: the version is claimed in the write, one wins")
    func concurrentAccept() async throws {
        try await withFuzhengApp { app, clock in
            let ducha = try await Self.login(app, "ducha"), office = try await Self.login(app, "bangong")
            let due = WorkingCalendar.shared.adding(workingDays: 9, to: CivilDay(clock.now)).description
            let id = try await Self.create(ducha, ["title": "并发", "source": "meeting", "lead": "434001",
                                                   "deadline": due])
            try await Self.step(app, office, id, ["action": "acknowledge"])
            try await Self.step(app, office, id, ["action": "report", "text": "一", "percent": "30"])
            try await Self.step(app, office, id, ["action": "report", "text": "二", "percent": "60"])
            let reports = try await SupervisionEventModel.query(on: app.db).filter(\.$action == "report")
                .sort(\.$at).all()
            try await ducha.get("/supervision/\(id)")
            let version = String(try await Self.model(app, id).version)
            async let a = ducha.post("/supervision/\(id)/step", ["action": "accept", "version": version,
                                                                "event": reports[0].id!.uuidString])
            async let b = ducha.post("/supervision/\(id)/step", ["action": "accept", "version": version,
                                                                "event": reports[1].id!.uuidString])
            _ = try await (a, b)
            let statuses = try await SupervisionEventModel.query(on: app.db).filter(\.$action == "report").all()
                .map { $0.status ?? "" }
            #expect(statuses.filter { $0 == "accepted" }.count == 1 && statuses.filter { $0 == "pending" }.count == 1)
            #expect(try await Self.model(app, id).version == Int(version)! + 1)
        }
    }
}
