import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The issued document as files: one `DocumentLayout` drawn as OFD and DOCX here and as PDF by the bounded Chromium
/// workers. The PDF is cached by the SM3 of the HTML it is printed from (any change to text, number, seal or 份号 is a
/// new key); one that shows the seal is kept sealed with SM4 like the seal itself.
enum IssuedFiles {
    enum Format: String, CaseIterable, Sendable {
        case pdf, ofd, docx

        var mediaType: String {
            switch self {
            case .pdf: "application/pdf"
            case .ofd: "application/ofd"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    struct Made: Sendable {
        var data: Data
        var format: Format
        var filename: String
        var sealed: Bool
    }

    static let pdfKind = "document-pdf"

    static func input(_ model: DocumentModel, copy: String?, on db: Database) async throws -> DocumentLayout.Input {
        let d = try model.decoded()
        let register = try await DocumentQueries.register(on: db)
        return DocumentLayout.Input(document: d, number: model.numberText,
                                    issuerNames: d.issuers.map { register[$0]?.name ?? $0 },
                                    sealed: model.sealedWith != nil, copyNumber: copy)
    }

    /// The seal's image when the document was sealed and the key opens it; a sealed document without the key is drawn
    /// without the image rather than with a blank circle.
    static func sealImage(_ model: DocumentModel, box: SecretBox?, on db: Database) async throws -> Data? {
        guard model.sealedWith != nil, let issuer = try model.decoded().issuers.first,
              let seal = try await SealStore.find(issuer, on: db) else { return nil }
        return SealStore.image(seal, box: box)
    }

    /// The document laid out as it will be drawn: sealed only when the seal's image can be placed.
    static func laidOut(_ model: DocumentModel, copy: String?, app: Application,
                        on db: Database) async throws -> (DocumentLayout, DocumentLayout.Input, Data?) {
        var input = try await input(model, copy: copy, on: db)
        let seal = try await sealImage(model, box: app.fuzheng.secretBox, on: db)
        if seal == nil { input.sealed = false }
        return (DocumentLayout(input), input, seal)
    }

    static func make(_ format: Format, _ model: DocumentModel, copy: String?, app: Application,
                     on db: Database) async throws -> Made {
        let (layout, input, seal) = try await laidOut(model, copy: copy, app: app, on: db)
        let d = input.document
        let title = d.title
        let name = (model.numberText ?? d.title).filter { !"/\\:*?\"<>|".contains($0) }
        let data: Data
        switch format {
        case .ofd:
            data = try OFDWriter.ofd(layout, title: title, author: input.issuerNames.joined(separator: "、"),
                                     date: isoDate(d.writtenOn), seal: seal)
        case .docx:
            data = try LayoutDocx.docx(layout, title: title, seal: seal)
        case .pdf:
            data = try await pdf(layout, title: title, number: model.numberText ?? "", seal: seal, app: app, on: db)
        }
        return Made(data: data, format: format, filename: "\(name).\(format.rawValue)", sealed: seal != nil)
    }

    /// 2023-03-06 from 2023年3月6日, for the OFD's CreationDate.
    static func isoDate(_ written: String) -> String {
        let parts = written.split(whereSeparator: { "年月日".contains($0) }).compactMap { Int($0) }
        guard parts.count == 3 else { return "" }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts[0])-\(two(parts[1]))-\(two(parts[2]))"
    }

    static func pdf(_ layout: DocumentLayout, title: String, number: String, seal: Data?, app: Application,
                    on db: Database) async throws -> Data {
        let html = LayoutHTML.page(layout, title: title,
                                   sealDataURI: seal.map { "data:image/png;base64," + $0.base64EncodedString() })
        // Keyed by the HTML itself: any change to the text, number, seal or 份号 is a new PDF.
        return try await PDFCache.data(kind: pdfKind, key: SM3.hash(Data(html.utf8)).hexString,
                                       box: seal == nil ? nil : app.fuzheng.secretBox, app: app, on: db) {
            PDFProperties.finish(try await PDFPrinter.pdf(fromHTML: html), title: title, number: number)
        }
    }

    static func response(_ made: Made, cache: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: made.format.mediaType)
        headers.contentDisposition = .init(made.format == .pdf ? .inline : .attachment, filename: made.filename)
        headers.replaceOrAdd(name: .cacheControl, value: cache)
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: made.data))
    }

    /// A signed-in reader's file. A receiving unit's copy carries its own 份号; the sender may print an outside
    /// body's copy (`?copy=` with the delivery's id). A sealed file is a use of the seal: audited.
    static func download(req: Request) async throws -> Response {
        let model = try await DocumentFiles.viewable(req)
        guard let format = Format(rawValue: req.parameters.get("format") ?? "") else { throw Abort(.notFound) }
        let user = try req.requireUser()
        let id = try model.requireID()
        let copies = try await DeliveryModel.query(on: req.db).filter(\.$document.$id == id).all()
        var copy: DeliveryModel?
        if let asked = (try? req.query.get(String.self, at: "copy")).flatMap(UUID.init(uuidString:)) {
            copy = copies.first { $0.id == asked }
        } else {
            copy = copies.first { c in
                c.unitCode.map { AccessPolicy.allows(user.principal, .office(.registerIncoming, Target(unitCode: $0))) }
                    ?? false
            }
        }
        let made = try await PDFCache.serving(req) {
            try await make(format, model, copy: copy?.copyNumber, app: req.application, on: req.db)
        }
        if made.sealed {
            try await req.audit(AuditEvent(.sealUse, objectType: "document", objectID: id.uuidString,
                summary: "\(format.rawValue) \(model.numberText ?? model.title)"
                    + (copy?.copyNumber.map { " 份号 \($0)" } ?? "") + " (seal sm3 \(model.sealedWith ?? ""))"))
        }
        return response(made, cache: "private, no-store")
    }

    /// The public's PDF or OFD of a 主动公开 document after 核发.
    static func publicDownload(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let model = try await DocumentModel.query(on: req.db).filter(\.$id == id).with(\.$unit).first(),
              PublicDocuments.isPublic(model),
              let format = Format(rawValue: req.parameters.get("format") ?? ""), format != .docx
        else { throw Abort(.notFound) }
        let made = try await PDFCache.serving(req) {
            try await make(format, model, copy: nil, app: req.application, on: req.db)
        }
        return response(made, cache: "public, max-age=300")
    }
}
