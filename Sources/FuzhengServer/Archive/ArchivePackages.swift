import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The archival package of a numbered 件, made once and kept in the file store (Chromium's PDFs carry their print
/// time, so a second make would differ). A 发文 is drawn from the snapshot taken when it was filed — the document as
/// issued —; a 收文 holds the file as received, a PDF of it and its 处理单.
enum ArchivePackages {
    struct NotNumbered: Error, CustomStringConvertible {
        var description: String { "件号未编定：年度关闭后才有档号和归档包 / not numbered yet: close the year first" }
    }

    struct NoKey: Error, CustomStringConvertible {
        var description: String {
            "归档包含印章，须用 FUZHENG_SECRET_KEY 加解密 / the package shows a seal: FUZHENG_SECRET_KEY is needed"
        }
    }

    struct Made: Sendable {
        var data: Data
        /// It shows a seal: kept sealed, and every use audited.
        var sealed: Bool
    }

    static func package(_ item: ArchiveItemModel, app: Application, on db: Database) async throws -> Made {
        let box = app.fuzheng.secretBox
        func stored(_ digest: String, sealed: Bool) async throws -> Made {
            let data = try await app.files.get(digest)
            guard sealed else { return Made(data: data, sealed: false) }
            guard let box, let open = try? box.open([UInt8](data)) else { throw NoKey() }
            return Made(data: Data(open), sealed: true)
        }
        if let digest = item.packageDigest { return try await stored(digest, sealed: item.packageSealed == true) }
        let made = try await make(item, app: app, on: db)
        if made.sealed, box == nil { throw NoKey() }
        let kept = made.sealed ? Data(box!.seal([UInt8](made.data))) : made.data
        let digest = try await app.files.put(kept)
        if let sql = db as? SQLDatabase {
            // The first package made is the one kept; a second made at the same moment is dropped.
            try await sql.raw("""
                UPDATE archive_items SET package_digest = \(bind: digest), package_sealed = \(bind: made.sealed), \
                pages = \(bind: item.pages) WHERE id = \(bind: item.requireID()) AND package_digest IS NULL
                """).run()
        }
        guard let row = try await ArchiveItemModel.find(item.requireID(), on: db), let keptDigest = row.packageDigest
        else { return made }
        item.packageDigest = keptDigest
        item.packageSealed = row.packageSealed
        return keptDigest == digest ? made : try await stored(keptDigest, sealed: row.packageSealed == true)
    }

    static func make(_ item: ArchiveItemModel, app: Application, on db: Database) async throws -> Made {
        let (entries, sealed) = switch item.source {
        case "outgoing": try await outgoing(item, app: app, on: db)
        case "supervision": try await supervision(item, app: app, on: db)
        default: try await incoming(item, app: app, on: db)
        }
        var corrects = ""
        if let old = item.correctsID { corrects = try await ArchiveItemModel.find(old, on: db)?.code ?? "" }
        guard let metadata = item.metadata(corrects: corrects) else { throw NotNumbered() }
        return Made(data: try ArchivePackage.make(metadata, entries: entries), sealed: sealed)
    }

    static func safeName(_ s: String) -> String {
        String(s.filter { !"/\\:*?\"<>|\0".contains($0) && !$0.isNewline }.prefix(60))
    }

    static func outgoing(_ item: ArchiveItemModel, app: Application, on db: Database) async throws
        -> ([ArchivePackage.Entry], Bool) {
        guard let model = try await DocumentModel.find(item.sourceID, on: db) else { throw Abort(.notFound) }
        let doc = try JSONDecoder().decode(OutgoingDocument.self, from: Data(item.snapshot.utf8))
        let register = try await DocumentQueries.register(on: db)
        var input = DocumentLayout.Input(document: doc, number: item.numberText.isEmpty ? nil : item.numberText,
                                         issuerNames: doc.issuers.map { register[$0]?.name ?? $0 },
                                         sealed: model.sealedWith != nil, copyNumber: nil)
        let seal = try await IssuedFiles.sealImage(model, box: app.fuzheng.secretBox, on: db)
        if seal == nil { input.sealed = false }
        let layout = DocumentLayout(input)
        let pdf = try await IssuedFiles.pdf(layout, title: doc.title, number: item.numberText, seal: seal, app: app,
                                            on: db)
        let ofd = try OFDWriter.ofd(layout, title: doc.title, author: input.issuerNames.joined(separator: "、"),
                                    date: IssuedFiles.isoDate(doc.writtenOn), seal: seal)
        item.pages = layout.pages.count
        let id = try model.requireID()
        var version = ""
        if let seq = item.issuedVersion,
           let v = try await DocumentVersionModel.query(on: db).filter(\.$document.$id == id).filter(\.$seq == seq)
            .first() {
            version = "第 \(v.seq) 稿，\(v.displayName)，\(DocumentView.time(v.at))"
        }
        let text = "题名：\(doc.title)\n文号：\(item.numberText)\n签发稿：\(version)\n\n\(doc.body)\n"
        let events = try await DocumentEventModel.query(on: db).filter(\.$document.$id == id)
            .filter(\.$at <= item.filedAt).sort(\.$at).all()
        let sheet = ArchiveSheets.outgoing(item: item, doc: doc, issuers: input.issuerNames, drafter: model.draftedByName,
                                           events: events)
        var entries = [
            ArchivePackage.Entry(name: "正本.pdf", role: "正本PDF", data: pdf),
            ArchivePackage.Entry(name: "正本.ofd", role: "正本OFD", data: ofd),
            ArchivePackage.Entry(name: "签发稿.txt", role: "签发稿（\(version)）", data: Data(text.utf8)),
            ArchivePackage.Entry(name: "发文稿纸.pdf", role: "发文稿纸", data: try await sheetPDF(sheet, app: app, on: db)),
            ArchivePackage.Entry(name: "发文稿纸.html", role: "发文稿纸（网页）", data: Data(sheet.utf8)),
        ]
        let attachments = try await DocumentAttachmentModel.query(on: db).filter(\.$document.$id == id)
            .sort(\.$position).all()
        for a in attachments {
            let ext = (a.fileName as NSString).pathExtension
            let n = a.position + 1
            entries.append(.init(name: "附件/\(n < 10 ? "0" : "")\(n)-\(safeName(a.title))" + (ext.isEmpty ? "" : ".\(ext)"),
                                 role: "附件\(n)：\(a.title)", data: try await app.files.get(a.digest)))
        }
        return (entries, seal != nil)
    }

    static func incoming(_ item: ArchiveItemModel, app: Application, on db: Database) async throws
        -> ([ArchivePackage.Entry], Bool) {
        guard let m = try await IncomingModel.find(item.sourceID, on: db) else { throw Abort(.notFound) }
        let id = try m.requireID()
        var entries: [ArchivePackage.Entry] = []
        var pdfForPages: Data?
        var sealed = false
        if let digest = m.fileDigest, let name = m.fileName {
            let data = try await app.files.get(digest)
            let ext = (name as NSString).pathExtension.lowercased()
            entries.append(.init(name: "收文原件.\(ext)", role: "收文原件（\(safeName(name))）", data: data))
            switch ext {
            case "pdf": pdfForPages = data
            case "docx":
                let pdf = try await OfficeConversion.pdf(docx: data, app: app)
                entries.append(.init(name: "收文原件-PDF.pdf", role: "收文原件的PDF（LibreOffice 转换）", data: pdf))
                pdfForPages = pdf
            case "png", "jpg", "jpeg":
                let mime = ext == "png" ? "image/png" : "image/jpeg"
                let html = ArchiveSheets.imagePage(data, mediaType: mime, title: m.title)
                let pdf = try await sheetPDF(html, app: app, on: db)
                entries.append(.init(name: "收文原件-PDF.pdf", role: "收文原件的PDF（图像封装）", data: pdf))
                pdfForPages = pdf
            default:
                break
            }
        } else if let docID = m.documentID, let doc = try await DocumentModel.find(docID, on: db) {
            var copy: String?
            if let deliveryID = m.deliveryID { copy = try await DeliveryModel.find(deliveryID, on: db)?.copyNumber }
            let madePDF = try await IssuedFiles.make(.pdf, doc, copy: copy, app: app, on: db)
            let pdf = madePDF.data
            let ofd = try await IssuedFiles.make(.ofd, doc, copy: copy, app: app, on: db).data
            sealed = madePDF.sealed
            entries.append(.init(name: "收文原件.pdf", role: "收文原件（平台分发的正本）", data: pdf))
            entries.append(.init(name: "收文原件.ofd", role: "收文原件（平台分发的正本OFD）", data: ofd))
            pdfForPages = pdf
        }
        if let pdfForPages { item.pages = ArchivePackage.pdfPages(pdfForPages) }
        let events = try await IncomingEventModel.query(on: db).filter(\.$incoming.$id == id).sort(\.$at).all()
        let readings = try await IncomingReadingModel.query(on: db).filter(\.$incoming.$id == id)
            .sort(\.$sentAt).sort(\.$position).all()
        var reply: String?
        if let replyID = m.replyDocumentID, let r = try await DocumentModel.find(replyID, on: db) {
            reply = [r.numberText, r.title].compactMap { $0 }.joined(separator: " ")
        }
        let sheet = ArchiveSheets.incoming(m, code: item.code ?? "", events: events, readings: readings, reply: reply)
        entries.append(.init(name: "处理单.pdf", role: "收文处理单", data: try await sheetPDF(sheet, app: app, on: db)))
        entries.append(.init(name: "处理单.html", role: "收文处理单（网页）", data: Data(sheet.utf8)))
        return (entries, sealed)
    }

    /// A 督办 item: its 督办单 with every act (PDF and HTML) and the files sent with reports and the result.
    static func supervision(_ item: ArchiveItemModel, app: Application, on db: Database) async throws
        -> ([ArchivePackage.Entry], Bool) {
        guard let m = try await SupervisionItemModel.find(item.sourceID, on: db) else { throw Abort(.notFound) }
        let sheet = try await SupervisionSheet.html(m, code: item.code ?? "", on: db)
        var entries: [ArchivePackage.Entry] = []
        let pdf = try await sheetPDF(sheet, app: app, on: db)
        item.pages = ArchivePackage.pdfPages(pdf)
        entries.append(.init(name: "督办单.pdf", role: "督办单（含反馈与办结情况）", data: pdf))
        entries.append(.init(name: "督办单.html", role: "督办单（网页）", data: Data(sheet.utf8)))
        let children = try await SupervisionItemModel.query(on: db).filter(\.$parentID == item.sourceID).all()
        let ids = [item.sourceID] + children.compactMap(\.id)
        let files = try await SupervisionFileModel.query(on: db).filter(\.$item.$id ~~ ids).all()
        for (i, f) in files.enumerated() {
            let ext = (f.name as NSString).pathExtension.lowercased()
            entries.append(.init(name: String(format: "附件%02d.%@", i + 1, ext), role: "反馈材料（\(safeName(f.name))）",
                                 data: try await app.files.get(f.digest)))
        }
        return (entries, false)
    }

    static func sheetPDF(_ html: String, app: Application, on db: Database) async throws -> Data {
        try await PDFCache.data(kind: "archive-sheet", key: SM3.hash(Data(html.utf8)).hexString, app: app, on: db) {
            try await PDFPrinter.pdf(fromHTML: html)
        }
    }
}

/// DOCX to PDF by LibreOffice, on the same bounded workers as Chromium, off the request's threads, time-limited.
enum OfficeConversion {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let timeLimit: Duration = .seconds(120)

    static func sofficePath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        [env["FUZHENG_SOFFICE"], "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"]
            .compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func pdf(docx: Data, app: Application) async throws -> Data {
        guard let soffice = sofficePath() else {
            throw Unavailable(description: "未找到 LibreOffice，无法把 DOCX 转为 PDF（apt-get install libreoffice-writer-nogui，"
                + "或设置 FUZHENG_SOFFICE）/ LibreOffice not found: DOCX to PDF needs it")
        }
        return try await app.fuzheng.pdfWorkers.run {
            let io = NIOThreadPool.singleton
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fz-soffice-\(UUID().uuidString)")
            let input = dir.appendingPathComponent("received.docx")
            try await io.runIfActive {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try docx.write(to: input)
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: soffice)
            process.arguments = ["-env:UserInstallation=file://\(dir.path)/profile", "--headless", "--norestore",
                                 "--convert-to", "pdf", "--outdir", dir.path, input.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let status = try await ChildProcess.run(process, timeLimit: timeLimit)
            let data: Data? = try await io.runIfActive {
                defer { try? FileManager.default.removeItem(at: dir) }
                return try? Data(contentsOf: dir.appendingPathComponent("received.pdf"))
            }
            guard status == 0, let data, data.starts(with: Array("%PDF".utf8)) else {
                throw Unavailable(description: "LibreOffice 未能转换（退出码 \(status)）/ LibreOffice did not convert it")
            }
            return data
        }
    }
}
