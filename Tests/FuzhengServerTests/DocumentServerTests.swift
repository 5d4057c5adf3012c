import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("公文 on the server: the flow over HTTP, 编号 under load, voids, 涉密 refusal")
struct DocumentServerTests {
    static let body = """
        一、会议审批
        （一）以县政府名义召开的会议须提前报批。
        会议审批表见附件。
        """

    static func draftForm(title: String = "怀来县人民政府办公室关于严格控制会议的通知",
                          secrecy: String = "none") -> [String: String] {
        ["type": "tongzhi", "issuers": "434", "title": title, "mainRecipients": "县政府各部门", "body": body,
         "secrecy": secrecy, "urgency": "normal", "openness": "zhudong", "writtenOn": "2026年3月6日"]
    }

    static func create(_ app: Application, _ b: Browser,
        _ form: [String: String] = draftForm()) async throws -> String {
        try await b.get("/documents/new")
        let r = try await b.post("/documents/new", form)
        #expect(r.status == .seeOther, "\(r.text.prefix(1500))")
        return String(try #require(r.location).dropFirst("/documents/".count))
    }

    static func version(_ app: Application, _ id: String) async throws -> Int {
        try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db)).version
    }

    @discardableResult
    static func step(_ app: Application, _ b: Browser, _ id: String, _ move: String = "forward", reason: String = "",
                     signature: String? = nil) async throws -> TestingHTTPResponse {
        try await b.get("/documents/\(id)")
        var form = ["move": move, "version": String(try await version(app, id)), "reason": reason]
        if let signature { form["signature"] = signature }
        return try await b.post("/documents/\(id)/step", form)
    }

    static func login(_ app: Application, _ user: String) async throws -> Browser {
        let b = Browser(app)
        try await b.login(user)
        return b
    }

    static func stepOf(_ app: Application, _ id: String) async throws -> String {
        try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db)).step
    }

    @Test("the whole flow by its people; nobody else, and no step skipped, through HTTP")
    func wholeFlow() async throws {
        try await withFuzhengApp { app, clock in
            let drafter = try await Self.login(app, "bangong")
            let id = try await Self.create(app, drafter)
            let head = try await Self.login(app, "fuzeren"), checker = try await Self.login(app, "hegao")
            let vice = try await Self.login(app, "fxz3"), clerk = try await Self.login(app, "wenshu")
            let other = try await Self.login(app, "fxz1"), caiwu = try await Self.login(app, "caiwu")
            // Before it is sent, nobody but the drafter moves it.
            #expect(try await Self.step(app, head, id).status == .forbidden)
            #expect(try await Self.step(app, drafter, id).status == .seeOther)
            for wrong in [drafter, checker, vice, clerk, caiwu] {
                #expect(try await Self.step(app, wrong, id).status == .forbidden)
            }
            #expect(try await Self.stepOf(app, id) == "review")
            // The unit head hears of it; the 副县长 who does not 分管 the office does not.
            #expect(try await head.get("/inbox").text.contains("严格控制会议的通知”等待您办理"))
            #expect(!(try await other.get("/inbox").text.contains("严格控制会议")))
            #expect(try await Self.step(app, head, id).status == .seeOther)
            #expect(try await checker.get("/inbox").text.contains("办公室核稿"))
            #expect(try await Self.step(app, checker, id).status == .seeOther)
            // 签发 by the 副县长 who 分管 the office, not by one who 分管 other departments.
            #expect(try await Self.step(app, other, id).status == .forbidden)
            #expect(try await Self.step(app, vice, id, signature: "M10 10 L50 40 L90 20").status == .seeOther)
            #expect(try await Self.step(app, checker, id).status == .seeOther)
            #expect(try await Self.stepOf(app, id) == "number")
            #expect(try await Self.step(app, clerk, id).status == .seeOther)
            let model = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
            let year = Calendar.chinaYear(clock.now)
            #expect(model.numberText == "怀政办字〔\(year)〕1号")
            #expect(try await Self.step(app, clerk, id).status == .seeOther)
            #expect(try await Self.step(app, clerk, id).status == .seeOther)
            #expect(try await Self.stepOf(app, id) == "issued")
            #expect(try await Self.step(app, clerk, id).status == .forbidden)
            // 主动公开 and issued: on the portal for everyone, found by a two-character word; drafts never.
            let draftID = try await Self.create(app, drafter, Self.draftForm(title: "怀来县人民政府办公室关于会议室管理的通知"))
            let anyone = Browser(app)
            let listed = try await anyone.get("/public/documents?q=" + Browser.encode("会议"))
            #expect(listed.status == .ok && listed.text.contains(id) && !listed.text.contains(draftID))
            #expect(try await anyone.get("/public/documents/\(id)").text.contains("怀政办字〔\(year)〕1号"))
            #expect(try await anyone.get("/public/documents/\(draftID)").status == .notFound)
            let page = try await drafter.get("/documents/\(id)")
            #expect(page.text.contains("吴副县长") && page.text.contains("怀政办字〔\(year)〕1号"))
            #expect(page.text.contains("/signatures/"))
            let event = try #require(try await DocumentEventModel.query(on: app.db).filter(\.$signature != nil).first())
            let svg = try await drafter.get("/documents/\(id)/signatures/\(try event.requireID())")
            #expect(svg.headers.contentType?.subType == "svg+xml" && svg.text.contains("M10 10 L50 40 L90 20"))
            let register = try await clerk.get("/documents/register")
            #expect(register.text.contains("怀政办字〔\(year)〕1号"))
            let xlsx = try await clerk.get("/documents/register/export?year=\(year)")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1000)
            #expect(try await auditRecords(app).contains { ($0.summary ?? "").contains("number 怀政办字〔\(year)〕1号") })
        }
    }

    @Test("核稿 findings stop 签发 until fixed or waived with a reason; the waiver is on the record")
    func findingsStopSigning() async throws {
        try await withFuzhengApp { app, _ in
            let drafter = try await Self.login(app, "bangong")
            let id = try await Self.create(app, drafter, Self.draftForm(title: "关于严格控制会议"))
            try await Self.step(app, drafter, id)
            try await Self.step(app, try await Self.login(app, "fuzeren"), id)
            let checker = try await Self.login(app, "hegao")
            #expect(try await checker.get("/documents/\(id)").text.contains("DOC-TITLE-TYPE"))
            try await Self.step(app, checker, id)
            let vice = try await Self.login(app, "fxz3")
            let refused = try await Self.step(app, vice, id)
            #expect(refused.location?.hasSuffix("#findings") == true)
            #expect(try await Self.stepOf(app, id) == "sign")
            try await vice.get("/documents/\(id)")
            let waived = try await vice.post("/documents/\(id)/waive", ["rule": "DOC-TITLE-TYPE",
                                                                         "reason": "标题按县长要求简写"])
            #expect(waived.status == .seeOther)
            #expect(try await Self.step(app, vice, id).status == .seeOther)
            #expect(try await Self.stepOf(app, id) == "recheck")
            #expect(try await drafter.get("/documents/\(id)").text.contains("标题按县长要求简写"))
        }
    }

    @Test("a Word file fills the draft form; one with a picture is refused at its paragraph, nothing saved")
    func fromDocx() async throws {
        try await withFuzhengApp { app, _ in
            let drafter = try await Self.login(app, "bangong")
            try await drafter.get("/documents/new")
            let good = DocxWriter.paragraphs(["怀来县人民政府办公室关于规范会议审批的通知", "县政府各部门：", "一、审批程序",
                                              "请按附件执行。", "附件：会议审批表", "2026年3月6日"])
            let read = try await drafter.upload("/documents/new/docx", file: good, name: "通知.docx",
                                                fields: [:], fieldName: "docx")
            #expect(read.status == .ok)
            #expect(read.text.contains(#"value="怀来县人民政府办公室关于规范会议审批的通知""#))
            #expect(read.text.contains("会议审批表") && read.text.contains("一、审批程序"))
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
        }
    }

    @Test("a 秘密 document's content is refused, citing the rule; nothing is saved")
    func secretRefused() async throws {
        try await withFuzhengApp { app, _ in
            let drafter = try await Self.login(app, "bangong")
            try await drafter.get("/documents/new")
            let r = try await drafter.post("/documents/new", Self.draftForm(secrecy: "mimi"))
            #expect(r.status == .unprocessableEntity)
            #expect(r.text.contains("保守国家秘密法"))
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
        }
    }

    /// Documents at 编号, made directly, for the load test.
    static func atNumbering(_ app: Application, count: Int) async throws -> [String] {
        let unit = try #require(try await OrganisationQueries.unit(code: "434001", on: app.db))
        var ids: [String] = []
        for i in 0..<count {
            let m = DocumentModel()
            m.$unit.id = try unit.requireID()
            m.year = 2026
            try m.set(OutgoingDocument(type: .notice, issuers: ["434"], title: "怀来县人民政府办公室关于第\(i)项工作的通知",
                                       mainRecipients: [Recipient(name: "县政府各部门")]))
            m.step = DocumentStep.number.rawValue
            m.countersignUnits = ""
            m.countersignInOrder = false
            m.countersigned = ""
            m.waiversJSON = "[]"
            m.draftedBy = "bangong"
            m.draftedByName = "张秘书"
            m.version = 1
            m.createdAt = Date()
            m.updatedAt = Date()
            try await m.create(on: app.db)
            ids.append(try m.requireID().uuidString)
        }
        return ids
    }

    @Test("涉密纸质件: only the paper's metadata, registered and then returned or destroyed; audited")
    func secretPapers() async throws {
        try await withFuzhengApp { app, _ in
            let clerk = try await Self.login(app, "wenshu")
            let page = try await clerk.get("/documents/secret-papers")
            #expect(page.status == .ok && page.text.contains("保守国家秘密法"))
            let bad = try await clerk.post("/documents/secret-papers", ["title": "某涉密文件", "secrecy": "none",
                                                                        "copyNumbers": "12", "copies": "0",
                                                                        "whereabouts": ""])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await SecretPaperModel.query(on: app.db).count() == 0)
            let ok = try await clerk.post("/documents/secret-papers", ["title": "某涉密文件", "secrecy": "jimi",
                                                                       "copyNumbers": "000003、000004", "copies": "2",
                                                                       "whereabouts": "机要室保密柜"])
            #expect(ok.status == .seeOther)
            let paper = try #require(try await SecretPaperModel.query(on: app.db).first())
            #expect(paper.copyNumbers == "000003,000004" && paper.state == "registered")
            try await clerk.get("/documents/secret-papers")
            try await clerk.post("/documents/secret-papers", ["id": try paper.requireID().uuidString,
                "state": "destroyed"])
            #expect(try await SecretPaperModel.find(paper.requireID(), on: app.db)?.state == "destroyed")
            #expect(try await auditRecords(app).filter { $0.objectType == "secret_paper" }.count == 2)
            let other = try await Self.login(app, "caiwu")
            #expect(try await other.get("/documents/secret-papers").status == .forbidden)
        }
    }

    @Test("search: two-character words in title or text, and an exact 文号, within what the person may see")
    func search() async throws {
        try await withFuzhengApp { app, clock in
            let drafter = try await Self.login(app, "bangong")
            var form = Self.draftForm(title: "怀来县人民政府办公室关于部门预算公开的通知")
            form["body"] = "一、公开时间\n预算批复后20日内公开。"
            let budget = try await Self.create(app, drafter, form)
            let meeting = try await Self.create(app, drafter)
            func found(_ b: Browser, _ q: String) async throws -> String {
                try await b.get("/documents?view=all&q=" + Browser.encode(q)).text
            }
            #expect(try await found(drafter, "预算").contains(budget))
            #expect(!(try await found(drafter, "预算").contains(meeting)))
            #expect(try await found(drafter, "会议审批").contains(meeting))
            #expect(try await found(drafter, "20日内").contains(budget))
            // Numbered, the exact 文号 finds it — and 1号 does not find 11号.
            let ids = try await Self.atNumbering(app, count: 11)
            let clerk = try await Self.login(app, "wenshu")
            for id in ids { try await Self.step(app, clerk, id) }
            let year = Calendar.chinaYear(clock.now)
            let one = try await found(clerk, "怀政办字〔\(year)〕1号")
            #expect(one.contains(ids[0]) && !one.contains(ids[10]))
            #expect(try await found(clerk, "怀政办字〔\(year)〕11号").contains(ids[10]))
            // Another unit's staff see none of it.
            #expect(!(try await found(try await Self.login(app, "caiwu2"), "预算").contains(budget)))
        }
    }

    @Test("分发: at 核发 the finance bureau's 文书 sees it under 待签收 and signs; the sender sees it, reminds, recalls")
    func distribution() async throws {
        try await withFuzhengApp { app, _ in
            let ids = try await Self.atNumbering(app, count: 1)
            let m = try #require(try await DocumentModel.find(UUID(uuidString: ids[0]), on: app.db))
            var d = try m.decoded()
            d.mainRecipients = [Recipient(code: "436", name: "怀来县财政局（演示）")]
            d.copyTo = [Recipient(code: "437001", name: "怀来县教育局本级（演示）"), Recipient(name: "张家口市某单位")]
            try m.set(d)
            m.step = DocumentStep.issue.rawValue
            try await m.save(on: app.db)
            let clerk = try await Self.login(app, "wenshu")
            #expect(try await Self.step(app, clerk, ids[0]).status == .seeOther)
            let copies = try await DeliveryModel.query(on: app.db).all()
            #expect(copies.count == 3)
            #expect(Set(copies.map(\.state)) == ["pending", "outside"])
            #expect(copies.first { $0.recipientName.hasPrefix("怀来县财政局") }?.unitCode == "436001")
            let receiver = try await Self.login(app, "wenshu2")
            #expect(try await receiver.get("/home").text.contains(#"id="work-documents-received""#))
            let list = try await receiver.get("/documents/received")
            #expect(list.text.contains(d.title))
            // The receiving unit may read it now.
            #expect(try await receiver.get("/documents/\(ids[0])").status == .ok)
            let copy = try #require(copies.first { $0.unitCode == "436001" })
            #expect(try await receiver.post("/documents/deliveries/\(copy.requireID())/sign").status == .seeOther)
            // Nobody else signs for the bureau, and a signed copy is not signed twice.
            #expect(try await clerk.post("/documents/deliveries/\(copy.requireID())/sign").status == .forbidden)
            let page = try await clerk.get("/documents/\(ids[0])")
            #expect(page.text.contains("已签收 1 / 共 3 份") && page.text.contains("卫文书"))
            let other = try #require(copies.first { $0.unitCode == "437001" })
            try await clerk.post("/documents/deliveries/\(other.requireID())/act", ["action": "remind"])
            #expect(try await DeliveryModel.find(other.requireID(), on: app.db)?.reminders == 1)
            try await clerk.post("/documents/deliveries/\(other.requireID())/act", ["action": "recall"])
            #expect(try await DeliveryModel.find(other.requireID(), on: app.db)?.state == "recalled")
            let actions = try await DocumentEventModel.query(on: app.db).all().map(\.action)
            #expect(actions.contains("signed_for") && actions.contains("reminded") && actions.contains("recalled"))
            #expect(try await receiver.post("/documents/deliveries/\(other.requireID())/act",
                                            ["action": "remind"]).status == .forbidden)
        }
    }

    @Test("100 concurrent 编号 requests give 100 distinct, consecutive numbers")
    func concurrentNumbering() async throws {
        // A database file in WAL mode, as the platform runs (an in-memory database makes readers wait for writers,
        // which under a full parallel test run can outlast the busy timeout).
        let file = NSTemporaryDirectory() + "fz-numbering-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        try await withFuzhengApp(configure: { config in
            if case .sqliteMemory = config.database { config.database = .sqliteFile(path: file) }
        }) { app, clock in
            let ids = try await Self.atNumbering(app, count: 100)
            let clerk = try await Self.login(app, "wenshu")
            try await clerk.get("/documents")
            let cookie = clerk.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let token = try #require(clerk.csrfToken)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for id in ids {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.contentType = .urlEncodedForm
                        headers.replaceOrAdd(name: .cookie, value: cookie)
                        headers.replaceOrAdd(name: "X-Forwarded-For", value: "203.0.113.9")
                        let body = "move=forward&version=1&_csrf=\(token)"
                        return try await app.testing().sendRequest(.POST, "/documents/\(id)/step", headers: headers,
                                                                   body: ByteBuffer(string: body)).status
                    }
                }
                var out: [HTTPStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(Set(statuses.map(\.code)))")
            let year = Calendar.chinaYear(clock.now)
            let numbers = try await DocumentNumberModel.query(on: app.db).filter(\.$year == year).all()
            #expect(numbers.count == 100)
            #expect(numbers.map(\.seq).sorted() == Array(1...100))
            let texts = try await DocumentModel.query(on: app.db).all().compactMap(\.numberText)
            #expect(Set(texts).count == 100)
        }
    }

    @Test("a revisited 编号 keeps its number; a voided number is recorded and never given again")
    func revisitAndVoid() async throws {
        try await withFuzhengApp { app, clock in
            let ids = try await Self.atNumbering(app, count: 2)
            let clerk = try await Self.login(app, "wenshu")
            try await Self.step(app, clerk, ids[0])
            let year = Calendar.chinaYear(clock.now)
            let first = "怀政办字〔\(year)〕1号"
            // Back to 编号 (as after a return and a new pass): the same number again, no new one.
            let m = try #require(try await DocumentModel.find(UUID(uuidString: ids[0]), on: app.db))
            m.step = DocumentStep.number.rawValue
            try await m.save(on: app.db)
            try await Self.step(app, clerk, ids[0])
            #expect(try await DocumentModel.find(UUID(uuidString: ids[0]), on: app.db)?.numberText == first)
            #expect(try await DocumentNumberModel.query(on: app.db).count() == 1)
            // Voided at 用印: kept as voided; renumbering takes 2, the next document 3.
            try await clerk.get("/documents/\(ids[0])")
            let noReason = try await clerk.post("/documents/\(ids[0])/void", ["reason": ""])
            #expect(noReason.status == .seeOther)
            #expect(try await DocumentNumberModel.query(on: app.db).filter(\.$state == "voided").count() == 0)
            try await clerk.post("/documents/\(ids[0])/void", ["reason": "标题有误，重新印制"])
            let voided = try #require(try await DocumentNumberModel.query(on: app.db).filter(\.$state == "voided").first())
            #expect(voided.seq == 1 && voided.reason == "标题有误，重新印制")
            #expect(try await Self.stepOf(app, ids[0]) == "number")
            try await Self.step(app, clerk, ids[0])
            try await Self.step(app, clerk, ids[1])
            #expect(try await DocumentModel.find(UUID(uuidString: ids[0]), on: app.db)?.numberText == "怀政办字〔\(year)〕2号")
            #expect(try await DocumentModel.find(UUID(uuidString: ids[1]), on: app.db)?.numberText == "怀政办字〔\(year)〕3号")
            let register = try await clerk.get("/documents/register")
            #expect(register.text.contains(first) && register.text.contains("已作废"))
        }
    }

    @Test("two tabs: the second save over the same version is refused, not merged")
    func twoTabs() async throws {
        try await withFuzhengApp { app, _ in
            let drafter = try await Self.login(app, "bangong")
            let id = try await Self.create(app, drafter)
            try await drafter.get("/documents/\(id)/edit")
            var form = Self.draftForm(title: "怀来县人民政府办公室关于进一步严格控制会议的通知")
            form["version"] = "1"
            #expect(try await drafter.post("/documents/\(id)/edit", form).status == .seeOther)
            form["title"] = "怀来县人民政府办公室关于另一个标题的通知"
            _ = try await drafter.post("/documents/\(id)/edit", form)
            let model = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
            #expect(model.title == "怀来县人民政府办公室关于进一步严格控制会议的通知" && model.version == 2)
            #expect(try await DocumentVersionModel.query(on: app.db).count() == 2)
            let compare = try await drafter.get("/documents/\(id)/compare")
            #expect(compare.text.contains("<ins>") && compare.text.contains("<del>"))
        }
    }
}

@Suite("fuzheng documents check PATH.docx")
struct DocumentsCommandTests {
    static func write(_ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + "fz-doc-\(UUID().uuidString).docx"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("exit 0 for a clean document, 1 with findings (a 发文字号 in 【】 among them), 2 for a file it cannot read")
    func exits() async throws {
        try await withFuzhengApp(demo: false) { app, _ in
            let clean = try Self.write(DocxWriter.paragraphs([
                "怀政办字〔2026〕3号", "怀来县人民政府办公室关于严格控制会议的通知", "县政府各部门：", "一、审批",
                "请按附件执行。", "附件：会议审批表", "2026年3月6日"]))
            #expect(try await runCommand(DocumentsCommand(), ["check", clean], app: app) == 0)
            let findings = try Self.write(DocxWriter.paragraphs([
                "怀政办字【2026】3号", "关于严格控制会议", "县政府各部门：", "1.审批", "请按附件2执行。",
                "二〇二六年三月六日"]))
            #expect(try await runCommand(DocumentsCommand(), ["check", findings], app: app) == 1)
            let report = DocumentsCommand.check(try Data(contentsOf: URL(fileURLWithPath: findings)))
            let rules = report.lines.map { String($0.prefix { $0 != "：" }) }
            #expect(Set(rules).isSuperset(of: ["DOC-TITLE-TYPE", "DOC-ATTACH-MISSING", "DOC-NUMBER-FORM",
                                               "DOC-DATE-ARABIC", "DOC-HEADING-ORDER"]), "\(report.lines)")
            let broken = try Self.write(Data("not a zip".utf8))
            #expect(try await runCommand(DocumentsCommand(), ["check", broken], app: app) == 2)
        }
    }
}
