import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting
import ZIPFoundation

@Suite("Archiving on the server: filing at 办结, the year closed with gapless 件号, read-only items, packages")
struct ArchiveServerTests {
    /// Moves the clock into 2027 so 2026 can be closed whatever today's date.
    static func into2027(_ clock: ManualClock) {
        let target = Date(timeIntervalSince1970: 1_798_819_200)  // 2027-01-02 00:00 UTC
        if clock.now < target { clock.advance(by: target.timeIntervalSince(clock.now)) }
    }

    static func items(_ app: Application, year: Int = 2026) async throws -> [ArchiveItemModel] {
        try await ArchiveItemModel.query(on: app.db).filter(\.$year == year).all()
    }

    static func close(_ b: Browser, year: Int = 2026) async throws -> TestingHTTPResponse {
        try await b.get("/archive?year=\(year)")
        return try await b.post("/archive/close", ["year": String(year), "unit": "434001", "confirm": "1"])
    }

    static func entries(_ zip: Data) throws -> [String: Data] {
        try SafeArchive.entries(of: zip, limits: ArchiveLimits(maxCompressedSize: 1 << 30))
    }

    @Test("A 发文 is filed at 核发; its package holds the issued 正文, not a later draft, and the 发文稿纸; one byte fails it",
          .enabled(if: PDFPrinter.chromiumPath() != nil, "needs Debian's chromium (installed by .ci/run)"))
    func outgoingPackage() async throws {
        try await withFuzhengApp { app, clock in
            Self.into2027(clock)
            let id = try await IssuedFilesTests.at(.issue, app)
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            try await DocumentServerTests.step(app, clerk, id)
            #expect(try await DocumentServerTests.stepOf(app, id) == "issued")
            let filed = try #require(try await Archiving.existing(source: "outgoing", id: UUID(uuidString: id)!,
                                                                  on: app.db))
            #expect(filed.period == "D30" && filed.retentionBasis.contains("通知") && filed.item == nil)
            #expect(try await auditRecords(app).contains { $0.objectType == "archive_item" })
            // A later draft: a new 正文 version and the document's text changed after issue.
            let model = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
            var later = try model.decoded()
            later.body = "一、后来改动的草稿\n这一稿从未签发。"
            try model.set(later)
            try await model.save(on: app.db)
            let v = DocumentVersionModel()
            v.$document.id = try model.requireID()
            v.seq = 99
            v.title = later.title
            v.body = later.body
            v.step = "draft"
            v.username = "bangong"
            v.displayName = "张秘书"
            v.at = clock.now.addingTimeInterval(60)
            try await v.create(on: app.db)

            let archivist = try await DocumentServerTests.login(app, "dangan")
            let list = try await archivist.get("/archive?year=2026")
            #expect(list.status == .ok && list.text.contains(filed.title) && list.text.contains("待编号"))
            // Others do not keep the archive.
            #expect(try await clerk.get("/archive?year=2026").status == .forbidden)
            #expect(try await Self.close(archivist).status == .seeOther)
            let numbered = try #require(try await ArchiveItemModel.find(filed.id, on: app.db))
            let code = try #require(numbered.code)
            #expect(ArchivalCode.parse(code) != nil && code.hasSuffix("-0001"))

            let r = try await archivist.get("/archive/items/\(numbered.id!.uuidString)/package")
            #expect(r.status == .ok && r.headers.contentType?.description == "application/zip")
            let zip = Data(buffer: r.body)
            let meta = try ArchivePackage.verify(zip).get()
            #expect(meta.code.description == code && meta.source == "发文" && meta.pages >= 1)
            let files = try Self.entries(zip)
            let text = String(decoding: try #require(files["签发稿.txt"]), as: UTF8.self)
            #expect(text.contains("以县政府名义召开的会议须提前报批") && !text.contains("后来改动的草稿"))
            let ofd = try Self.entries(try #require(files["正本.ofd"])).values
                .map { String(decoding: $0, as: UTF8.self) }.joined()
            #expect(!ofd.contains("后来改动"))
            #expect(try #require(files["正本.pdf"]).starts(with: Array("%PDF".utf8)))
            #expect(try #require(files["发文稿纸.pdf"]).starts(with: Array("%PDF".utf8)))
            let sheet = String(decoding: try #require(files["发文稿纸.html"]), as: UTF8.self)
            #expect(sheet.contains("核发") && sheet.contains(code))
            // It shows the seal: kept sealed in the file store (no clear ZIP there), and each download audited.
            let kept = try #require(try await ArchiveItemModel.find(filed.id, on: app.db))
            #expect(kept.packageSealed == true)
            let blob = try await app.files.get(try #require(kept.packageDigest))
            #expect(!blob.starts(with: Array("PK".utf8)))
            #expect(try await auditRecords(app, action: .sealUse).contains { $0.objectType == "archive_item" })
            // The same package again, byte for byte (made once, kept).
            let again = try await archivist.get("/archive/items/\(numbered.id!.uuidString)/package")
            #expect(Data(buffer: again.body) == zip)
            // One byte changed anywhere in the file list's document: verification fails.
            var bad = zip
            bad[bad.count / 2] ^= 0x20
            guard case .failure = ArchivePackage.verify(bad) else {
                Issue.record("a changed byte passed verification")
                return
            }
            // Numbered: the period can no longer be changed, only corrected as a new item.
            try await archivist.get("/archive/items/\(numbered.id!.uuidString)")
            let refused = try await archivist.post("/archive/items/\(numbered.id!.uuidString)/period",
                                                   ["period": "Y", "reason": "重要", "version": String(numbered.version)])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("更正"))
            #expect(try await ArchiveItemModel.find(filed.id, on: app.db)?.period == "D30")
        }
    }

    @Test("A 收文 is filed at 办结; its package holds the 处理单 with every 批示",
          .enabled(if: PDFPrinter.chromiumPath() != nil, "needs Debian's chromium (installed by .ci/run)"))
    func incomingPackage() async throws {
        try await withFuzhengApp { app, clock in
            Self.into2027(clock)
            let clerk = try await IncomingServerTests.login(app, "wenshu")
            let office = try await IncomingServerTests.login(app, "bangong")
            let zhao = try await IncomingServerTests.login(app, "lingdao")
            var form = IncomingServerTests.outside
            form["received_on"] = "2026-12-28"
            form["title"] = "张家口市人民政府办公室关于做好元旦春节期间安全生产工作的通知"
            form["sender"] = "张家口市人民政府办公室"
            form["sender_number"] = "张政办字〔2026〕88号"
            let id = try await IncomingServerTests.register(clerk, form)
            #expect(try await IncomingServerTests.act(app, office, id, ["action": "propose", "kind": "read",
                "leader1": "lingdao", "text": "拟请赵县长阅示"]).status == .seeOther)
            #expect(try await IncomingServerTests.act(app, zhao, id, ["action": "instruct",
                "text": "阅。请应急管理局抓好落实。"]).status == .seeOther)
            let m = try await IncomingServerTests.model(app, id)
            #expect(m.step == "done")
            let filed = try #require(try await Archiving.existing(source: "incoming", id: m.requireID(), on: app.db))
            #expect(filed.period == "D30" && filed.responsible == "张家口市人民政府办公室", "superior → 30 years")
            // Registered in 2027 (the clock's year); filed as of 2026 here so that year can be closed today.
            filed.year = 2026
            try await filed.save(on: app.db)
            let archivist = try await DocumentServerTests.login(app, "dangan")
            #expect(try await Self.close(archivist, year: 2026).status == .seeOther)
            let item = try #require(try await ArchiveItemModel.find(filed.id, on: app.db))
            let r = try await archivist.get("/archive/items/\(item.id!.uuidString)/package")
            #expect(r.status == .ok)
            let zip = Data(buffer: r.body)
            #expect(try ArchivePackage.verify(zip).get().number == "张政办字〔2026〕88号")
            let files = try Self.entries(zip)
            let sheet = String(decoding: try #require(files["处理单.html"]), as: UTF8.self)
            for text in ["收文处理单", "拟请赵县长阅示", "阅。请应急管理局抓好落实。", "赵县长", m.numberText ?? "?"] {
                #expect(sheet.contains(text), "处理单 lacks \(text)")
            }
            #expect(try #require(files["处理单.pdf"]).starts(with: Array("%PDF".utf8)))
        }
    }

    @Test("Closing numbers each series from 0001 without gaps, once under two closes; periods need reasons; corrections")
    func closeAndCorrect() async throws {
        try await withFuzhengApp { app, clock in
            Self.into2027(clock)
            // Six issued 发文 of 2026, filed by the 档案员 at year end (issued before filing existed).
            let ids = try await DocumentServerTests.atNumbering(app, count: 6)
            let types: [DocumentType] = [.notice, .request, .notice, .letter, .request, .notice]
            for (i, id) in ids.enumerated() {
                let m = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
                var d = try m.decoded()
                d.type = types[i]
                d.writtenOn = "2026年\(12 - i)月1日"
                try m.set(d)
                m.step = DocumentStep.issued.rawValue
                m.numberText = "怀政办字〔2026〕\(i + 1)号"
                try await m.save(on: app.db)
            }
            let archivist = try await DocumentServerTests.login(app, "dangan")
            let page = try await archivist.get("/archive?year=2026")
            #expect(page.text.contains("归档其余 6 件"))
            #expect(try await archivist.post("/archive/file", ["year": "2026", "unit": "434001"]).status == .seeOther)
            var items = try await Self.items(app)
            #expect(items.count == 6)
            #expect(Set(items.map(\.period)) == ["Y", "D30", "D10"])
            // The 档案员's codes, then a period changed: without a reason refused, with one kept and audited.
            #expect(try await archivist.post("/archive/settings", ["year": "2026", "unit": "434001", "fonds": "0434",
                                                                   "organisation": "bgs"]).status == .seeOther)
            #expect(try await archivist.post("/archive/settings", ["year": "2026", "unit": "434001",
                                                                   "fonds": "04-34", "organisation": ""]).status
                == .seeOther)
            #expect(try await ArchiveSettingsModel.query(on: app.db).first()?.fonds == "0434")
            let letter = try #require(try await Self.items(app).first { $0.period == "D10" })
            try await archivist.get("/archive/items/\(letter.id!.uuidString)")
            let path = "/archive/items/\(letter.id!.uuidString)/period"
            let noReason = try await archivist.post(path, ["period": "Y", "reason": " ",
                                                           "version": String(letter.version)])
            #expect(noReason.status == .unprocessableEntity && noReason.text.contains("须写明理由"))
            #expect(try await archivist.post(path, ["period": "Y", "reason": "涉及全县重大事项", "version":
                String(letter.version)]).status == .seeOther)
            // A second tab with the old version is refused, not applied.
            #expect(try await archivist.post(path, ["period": "D30", "reason": "x", "version":
                String(letter.version)]).status == .seeOther)
            let changed = try #require(try await ArchiveItemModel.find(letter.id, on: app.db))
            #expect(changed.period == "Y" && changed.periodReason == "涉及全县重大事项")
            #expect(try await auditRecords(app).contains { ($0.summary ?? "").contains("保管期限 D10 → Y") })

            // The 档案员's 工作台 asks for the open past year; once closed it no longer does.
            #expect(try await archivist.get("/home").text.contains("2026年度尚未关闭"))
            // Two closes at once: one numbers, the other is told the year is closed; nothing twice.
            let other = try await DocumentServerTests.login(app, "dangan")
            try await other.get("/archive?year=2026")
            try await archivist.get("/archive?year=2026")
            async let a = archivist.post("/archive/close", ["year": "2026", "unit": "434001", "confirm": "1"])
            async let b = other.post("/archive/close", ["year": "2026", "unit": "434001", "confirm": "1"])
            _ = try await (a, b)
            #expect(try await ArchiveYearModel.query(on: app.db).count() == 1)
            #expect(!(try await archivist.get("/home").text.contains("2026年度尚未关闭")))
            items = try await Self.items(app)
            let codes = items.compactMap(\.code)
            #expect(codes.count == 6 && Set(codes).count == 6)
            for (series, members) in Dictionary(grouping: items, by: \.series) {
                #expect(members.compactMap(\.item).sorted() == Array(1...members.count), "\(series)")
            }
            // Within a series by date: the 通知 of 12月1日 is after the one of 9月1日.
            let notices = items.filter { $0.period == "D30" }.sorted { $0.item! < $1.item! }
            #expect(notices.map(\.date) == notices.map(\.date).sorted())
            #expect(codes.allSatisfy { $0.hasPrefix("0434-WS·2026-") && $0.contains("-BGS-") })

            // A correction: a new item, numbered after the series' last, naming the old one; the old one stays.
            let old = try #require(items.first { $0.period == "D30" })
            try await archivist.get("/archive/items/\(old.id!.uuidString)")
            let noWhy = try await archivist.post("/archive/items/\(old.id!.uuidString)/correct",
                                                 ["title": "新题名", "period": "D30", "reason": ""])
            #expect(noWhy.status == .unprocessableEntity)
            let fixed = try await archivist.post("/archive/items/\(old.id!.uuidString)/correct",
                                                 ["title": "更正后的题名", "period": "D30", "reason": "题名有误"])
            #expect(fixed.status == .seeOther)
            let correction = try #require(try await Self.items(app).first { $0.revision == 1 })
            #expect(correction.correctsID == old.id && correction.title == "更正后的题名")
            #expect(correction.item == notices.count + 1 && correction.remarks.contains(old.code!))
            #expect(try await ArchiveItemModel.find(old.id, on: app.db)?.title == old.title)
            let oldPage = try await archivist.get("/archive/items/\(old.id!.uuidString)").text
            #expect(oldPage.contains(correction.code!))
            // The 归档文件目录 lists every numbered item in the standard's columns.
            let xlsx = try await archivist.get("/archive/catalogue?year=2026&format=xlsx")
            #expect(xlsx.status == .ok)
            let sheets = try Self.entries(Data(buffer: xlsx.body))
            let shared = sheets.values.map { String(decoding: $0, as: UTF8.self) }.joined()
            #expect(shared.contains("序号") && shared.contains("责任者") && shared.contains(correction.code!))
            // Another unit's finance staff sees nothing of it.
            let caiwu = try await DocumentServerTests.login(app, "caiwu")
            #expect(try await caiwu.get("/archive/items/\(old.id!.uuidString)").status == .forbidden)
            #expect(try await caiwu.get("/archive/catalogue?year=2026&unit=434001").status == .forbidden)
        }
    }

    @Test("One search over 发文 and 收文 with the shared index, filtered by kind, year, type, state and 档号")
    func searchBoth() async throws {
        try await withFuzhengApp { app, clock in
            Self.into2027(clock)
            let clerk = try await IncomingServerTests.login(app, "wenshu")
            var form = IncomingServerTests.outside
            form["title"] = "张家口市人民政府办公室关于做好冬季安全生产工作的通知"
            form["sender"] = "张家口市人民政府办公室"
            form["sender_number"] = "张政办字〔2026〕90号"
            let incomingID = try await IncomingServerTests.register(clerk, form)
            let ids = try await DocumentServerTests.atNumbering(app, count: 2)
            for (i, id) in ids.enumerated() {
                let m = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
                var d = try m.decoded()
                d.title = i == 0 ? "怀来县人民政府办公室关于转发冬季安全生产工作通知的通知" : "关于会议室使用安排的函"
                d.type = i == 0 ? .notice : .letter
                try m.set(d)
                if i == 0 { m.step = DocumentStep.issued.rawValue }
                try await m.save(on: app.db)
                try await DocumentsController.reindex(m, on: app.db)
            }
            let office = try await DocumentServerTests.login(app, "bangong")
            func titles(_ query: String) async throws -> String {
                let r = try await office.get("/search?" + query)
                #expect(r.status == .ok)
                return r.text
            }
            let both = try await titles("q=" + Browser.encode("安全生产"))
            #expect(both.contains("关于做好冬季安全生产工作的通知") && both.contains("关于转发冬季安全生产工作通知的通知"))
            #expect(!both.contains("会议室使用安排"))
            let incomingOnly = try await titles("q=" + Browser.encode("安全生产") + "&kind=incoming")
            #expect(incomingOnly.contains("关于做好冬季安全生产工作的通知") && !incomingOnly.contains("关于转发"))
            // A 文种 concerns 发文 only; state 已办结 keeps the issued one.
            let letters = try await titles("type=han")
            #expect(letters.contains("会议室使用安排") && !letters.contains("安全生产"))
            let issued = try await titles("q=" + Browser.encode("安全生产") + "&state=done&kind=outgoing")
            #expect(issued.contains("关于转发冬季安全生产工作通知的通知"))
            #expect(try await titles("q=" + Browser.encode("安全生产") + "&year=2020").contains("没有符合条件的公文"))
            // The sender's number finds the 收文.
            #expect(try await titles("q=" + Browser.encode("张政办字〔2026〕90号")).contains(incomingID))
            // Filed and numbered: found by the start of its 档号.
            let doc = try #require(try await DocumentModel.find(UUID(uuidString: ids[0]), on: app.db))
            let item = try #require(try await Archiving.file(outgoing: doc, by: .init(username: "dangan", name: "褚档案"),
                                                             at: clock.now, on: app.db))
            try await Archiving.number(item, on: app.db)
            let code = try #require(item.code)
            let byCode = try await titles("code=" + Browser.encode(String(code.prefix(15))) + "&state=archived")
            #expect(byCode.contains("关于转发冬季安全生产工作通知的通知") && byCode.contains(code))
            // Someone of another unit finds none of it.
            let other = try await DocumentServerTests.login(app, "juzhang")
            #expect(!(try await other.get("/search?q=" + Browser.encode("安全生产")).text.contains("关于转发")))
        }
    }

    @Test("A 收文 received as DOCX: the package holds the file as received and its PDF made by LibreOffice",
          .enabled(if: PDFPrinter.chromiumPath() != nil && OfficeConversion.sofficePath() != nil,
                   "needs Debian's chromium and LibreOffice (installed by .ci/run)"))
    func receivedDocx() async throws {
        try await withFuzhengApp { app, clock in
            Self.into2027(clock)
            let clerk = try await IncomingServerTests.login(app, "wenshu")
            let office = try await IncomingServerTests.login(app, "bangong")
            let zhao = try await IncomingServerTests.login(app, "lingdao")
            let input = try #require(SampleDocuments.inputs().first).1
            let docx = try LayoutDocx.docx(DocumentLayout(input), title: input.document.title, seal: nil)
            try await clerk.get("/incoming/new")
            var fields = IncomingServerTests.outside
            fields["sender_number"] = "怀财字〔2026〕99号"
            let r = try await clerk.upload("/incoming/new", file: docx, name: "来文.docx", fields: fields)
            #expect(r.status == .seeOther, "\(r.text.prefix(800))")
            let id = String(try #require(r.location).dropFirst("/incoming/".count))
            #expect(try await IncomingServerTests.act(app, office, id, ["action": "propose", "kind": "read",
                "leader1": "lingdao", "text": "拟请阅"]).status == .seeOther)
            #expect(try await IncomingServerTests.act(app, zhao, id, ["action": "instruct", "text": "阅。"]).status
                == .seeOther)
            let m = try await IncomingServerTests.model(app, id)
            let filed = try #require(try await Archiving.existing(source: "incoming", id: m.requireID(), on: app.db))
            filed.year = 2026
            try await filed.save(on: app.db)
            let archivist = try await DocumentServerTests.login(app, "dangan")
            #expect(try await Self.close(archivist).status == .seeOther)
            let package = try await archivist.get("/archive/items/\(filed.id!.uuidString)/package")
            #expect(package.status == .ok)
            let zip = Data(buffer: package.body)
            let meta = try ArchivePackage.verify(zip).get()
            let files = try Self.entries(zip)
            #expect(files["收文原件.docx"] == docx)
            let pdf = try #require(files["收文原件-PDF.pdf"])
            #expect(pdf.starts(with: Array("%PDF".utf8)) && meta.pages == ArchivePackage.pdfPages(pdf) && meta.pages >= 1)
        }
    }
}

