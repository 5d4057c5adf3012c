import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting
import ZIPFoundation

@Suite("The issued document: seals kept sealed, 用印, the three files, 份号 per copy, the public's copy")
struct IssuedFilesTests {
    /// A document of the office waiting for `step`, with 主送 bodies inside the platform.
    static func at(_ step: DocumentStep, _ app: Application, copyNumber: String = "",
                   openness: Openness = .proactive) async throws -> String {
        let id = try #require(try await DocumentServerTests.atNumbering(app, count: 1).first)
        let m = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
        var d = try m.decoded()
        d.mainRecipients = [Recipient(code: "436", name: "怀来县财政局（演示）"), Recipient(name: "县政府各部门")]
        d.copyTo = [Recipient(code: "434", name: "怀来县人民政府办公室")]
        d.body = "一、会议审批\n以县政府名义召开的会议须提前报批。"
        d.writtenOn = "2026年3月6日"
        d.printedBy = "怀来县人民政府办公室"
        d.copyNumber = copyNumber
        d.openness = openness
        try m.set(d)
        try await m.save(on: app.db)
        if step != .number {
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            for _ in 0..<(step == .issue ? 2 : 1) {
                #expect(try await DocumentServerTests.step(app, clerk, id).status == .seeOther)
            }
        }
        #expect(try await DocumentServerTests.stepOf(app, id) == step.rawValue)
        return id
    }

    static func unzip(_ data: Data, _ path: String) throws -> Data {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path])
        var out = Data()
        _ = try archive.extract(entry, consumer: { out.append($0) })
        return out
    }

    /// Every byte the platform keeps: the database file (and its WAL) and the data folder.
    static func storedBytes(_ folder: String, database: String) throws -> [(String, Data)] {
        var out: [(String, Data)] = []
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: database + suffix) {
            out.append((database + suffix, try Data(contentsOf: URL(fileURLWithPath: database + suffix))))
        }
        if let e = FileManager.default.enumerator(atPath: folder) {
            for case let path as String in e {
                var isDir: ObjCBool = false
                let full = folder + "/" + path
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                    out.append((full, try Data(contentsOf: URL(fileURLWithPath: full))))
                }
            }
        }
        return out
    }

    @Test("用印 needs the seal the 安全管理员 uploads; it is kept only sealed: no PNG bytes in the database or files")
    func sealKeptSealed() async throws {
        let file = NSTemporaryDirectory() + "fz-seal-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        var folder = ""
        try await withFuzhengApp(configure: { config in
            if case .sqliteMemory = config.database { config.database = .sqliteFile(path: file) }
            folder = config.dataDirectory
        }) { app, _ in
            try await BodySealModel.query(on: app.db).filter(\.$bodyCode == "434").delete()
            let id = try await Self.at(.seal, app)
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            // No seal: refused, the document stays at 用印.
            try await DocumentServerTests.step(app, clerk, id)
            #expect(try await DocumentServerTests.stepOf(app, id) == "seal")
            #expect(try await clerk.get("/documents/\(id)").text.contains("不能用印"))

            // A seal of its own pattern, so its bytes are found wherever they might be kept.
            var ink = [Bool](repeating: false, count: 300 * 300)
            for i in ink.indices where (i / 300 + i % 300) % 7 == 0 || (i * 31) % 11 == 0 { ink[i] = true }
            let png = Data(SealImage.png(width: 300, height: 300, ink: ink))
            let caiwu = try await DocumentServerTests.login(app, "caiwu")
            try await caiwu.get("/home")
            #expect(try await caiwu.upload("/security/seals/434", file: png, name: "seal.png", fieldName: "seal")
                .status == .forbidden)
            let admin = try await DocumentServerTests.login(app, "secadmin")
            try await admin.get("/security/seals")
            let gif = Data("GIF89a".utf8) + Data(repeating: 1, count: 100)
            #expect(try await admin.upload("/security/seals/434", file: gif, name: "s.gif", fieldName: "seal")
                .status == .seeOther)
            #expect(try await SealStore.find("434", on: app.db) == nil)
            #expect(try await admin.get("/security/seals").text.contains("文件不是PNG图像"))
            #expect(try await admin.upload("/security/seals/434", file: png, name: "seal.png", fieldName: "seal")
                .status == .seeOther)
            let seal = try #require(try await SealStore.find("434", on: app.db))
            #expect(seal.digest == SM3.hash(png).hexString && seal.width == 300)
            let page = try await admin.get("/security/seals")
            #expect(page.text.contains("data:image/png;base64,") && page.text.contains(seal.digest))

            try await DocumentServerTests.step(app, clerk, id)
            #expect(try await DocumentServerTests.stepOf(app, id) == "issue")
            let model = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
            #expect(model.sealedWith == seal.digest)
            let used = try await auditRecords(app, action: .sealUse)
            #expect(used.contains { $0.objectID == id && ($0.summary ?? "").contains(seal.digest) })

            // The files carry the seal; the OFD's image is the uploaded one.
            let ofd = try await clerk.get("/documents/\(id)/files/ofd")
            #expect(ofd.status == .ok && ofd.headers.contentType?.description == "application/ofd")
            #expect(try Self.unzip(Data(buffer: ofd.body), "Doc_0/Res/seal.png") == png)
            let docx = try await clerk.get("/documents/\(id)/files/docx")
            #expect(try Self.unzip(Data(buffer: docx.body), "word/media/seal.png") == png)
            #expect(try await auditRecords(app, action: .sealUse).count >= used.count + 2)
            if PDFPrinter.chromiumPath() != nil {
                let pdf = try await clerk.get("/documents/\(id)/files/pdf")
                #expect(pdf.status == .ok && pdf.body.string.hasPrefix("%PDF"))
                // The cached copy shows the seal, so it is kept sealed too.
                let cached = try #require(try await StoredFileModel.query(on: app.db)
                    .filter(\.$kind == IssuedFiles.pdfKind).first())
                #expect(!(try await app.files.get(cached.digest)).starts(with: Array("%PDF".utf8)))
                #expect(try await clerk.get("/documents/\(id)/files/pdf").body.string.hasPrefix("%PDF"))
            }
            // Nothing kept holds the image: neither its bytes nor their base64.
            let probe = png[png.count / 2..<png.count / 2 + 48]
            let probe64 = Data(png.prefix(600).base64EncodedString().utf8.prefix(200))
            var kept = try Self.storedBytes(folder, database: file)
            if let sql = app.db as? SQLDatabase, sql.dialect.name == "postgresql" {
                // Every row of every table of this test's schema, as text (bytea would show as hex).
                struct Name: Decodable { var table_name: String }
                struct Row: Decodable { var row: String }
                let tables = try await sql.raw("""
                    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
                    """).all(decoding: Name.self)
                var dump = ""
                for t in tables {
                    for r in try await sql.raw("SELECT row_to_json(t)::text AS row FROM \(ident: t.table_name) t")
                        .all(decoding: Row.self) { dump += r.row }
                }
                #expect(dump.contains(seal.digest), "the dump holds the seal's row")
                #expect(!dump.contains(probe.map { String(format: "%02x", $0) }.joined()), "hex of the seal in the database")
                kept.append(("PostgreSQL rows", Data(dump.utf8)))
            }
            #expect(kept.count > 1)
            for (path, bytes) in kept {
                #expect(bytes.range(of: probe) == nil, "\(path) holds the seal's bytes")
                #expect(bytes.range(of: probe64) == nil, "\(path) holds the seal in base64")
            }

            // Sent back, the seal comes off: the next 用印 places it again.
            #expect(try await DocumentServerTests.step(app, clerk, id, "send_back", reason: "文字有误").status == .seeOther)
            #expect(try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db)).sealedWith == nil)
        }
    }

    @Test("without FUZHENG_SECRET_KEY there is no 用印")
    func noKey() async throws {
        try await withFuzhengApp { app, _ in
            // As a server started without the key (the demo's seals were sealed with the test key).
            app.fuzheng.secretBox = nil
            let id = try await Self.at(.seal, app)
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            try await DocumentServerTests.step(app, clerk, id)
            #expect(try await DocumentServerTests.stepOf(app, id) == "seal")
            #expect(try await clerk.get("/documents/\(id)").text.contains("FUZHENG_SECRET_KEY"))
        }
    }

    @Test("份号: each delivered copy its own, from the document's; the receiving clerk's file shows theirs")
    func copyNumbers() async throws {
        try await withFuzhengApp { app, _ in
            let id = try await Self.at(.issue, app, copyNumber: "000005")
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            try await DocumentServerTests.step(app, clerk, id)
            #expect(try await DocumentServerTests.stepOf(app, id) == "issued")
            let copies = try await DeliveryModel.query(on: app.db).filter(\.$document.$id == UUID(uuidString: id)!)
                .all()
            #expect(copies.compactMap(\.copyNumber).sorted() == ["000005", "000006", "000007"])
            let doc = try #require(try await DocumentModel.find(UUID(uuidString: id), on: app.db))
            #expect(try doc.decoded().printedOn.count == 10, "印发日期 set at 核发")
            let finance = try #require(copies.first { $0.unitCode == "436001" })
            let receiver = try await DocumentServerTests.login(app, "wenshu2")
            let ofd = try await receiver.get("/documents/\(id)/files/ofd")
            #expect(ofd.status == .ok)
            let page = String(decoding: try Self.unzip(Data(buffer: ofd.body), "Doc_0/Pages/Page_0/Content.xml"),
                              as: UTF8.self)
            #expect(page.contains(">\(try #require(finance.copyNumber))</ofd:TextCode>"))
            // The sender prints an outside body's copy with its own number.
            let outside = try #require(copies.first { $0.state == "outside" })
            let printed = try await clerk.get("/documents/\(id)/files/ofd?copy=\(try outside.requireID())")
            let text = String(decoding: try Self.unzip(Data(buffer: printed.body), "Doc_0/Pages/Page_0/Content.xml"),
                              as: UTF8.self)
            #expect(text.contains(">\(try #require(outside.copyNumber))</ofd:TextCode>"))
            #expect(try await clerk.get("/documents/\(id)").text.contains("份号 000005"))
        }
    }

    @Test("the public's PDF and OFD of a 主动公开 document after 核发 only; no DOCX; readers need to be allowed")
    func publicFiles() async throws {
        try await withFuzhengApp { app, _ in
            let id = try await Self.at(.issue, app)
            let anyone = Browser(app)
            #expect(try await anyone.get("/public/documents/\(id)/files/ofd").status == .notFound)
            let clerk = try await DocumentServerTests.login(app, "wenshu")
            try await DocumentServerTests.step(app, clerk, id)
            let ofd = try await anyone.get("/public/documents/\(id)/files/ofd")
            #expect(ofd.status == .ok && ofd.body.string.hasPrefix("PK"))
            #expect(try await anyone.get("/public/documents/\(id)/files/docx").status == .notFound)
            #expect(try await anyone.get("/public/documents/\(id)").text.contains("/files/pdf"))
            #expect(try await anyone.get("/documents/\(id)/files/ofd").status != .ok)
            let stranger = try await DocumentServerTests.login(app, "fxz2")
            #expect(try await stranger.get("/documents/\(id)/files/ofd").status == .forbidden)
            #expect(try await clerk.get("/documents/\(id)/files/xls").status == .notFound)
            let withheld = try await Self.at(.issue, app, openness: .withheld)
            try await DocumentServerTests.step(app, clerk, withheld)
            #expect(try await anyone.get("/public/documents/\(withheld)/files/pdf").status == .notFound)
        }
    }
}
