import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Attachments (files in the file store), version comparison and drawn signatures.
enum DocumentFiles {
    static let maxAttachmentBytes = 9 << 20

    static func viewable(_ req: Request) async throws -> DocumentModel {
        let user = try req.requireUser()
        let model = try await DocumentQueries.find(req)
        guard try await DocumentQueries.canView(user.principal, username: user.username, model: model,
            on: req.db) else {
            throw Abort(.forbidden, reason: "access.denied")
        }
        return model
    }

    /// Adds a file (with its title) or removes one; whoever may edit the document may do either.
    static func upload(req: Request) async throws -> Response {
        let model = try await DocumentQueries.find(req)
        let page = try await DocumentQueries.page(req, model)
        let path = SiteRoute.document(id: page.id).path
        guard page.canEdit else { throw Abort(.forbidden, reason: "access.denied") }
        let now = req.now
        let id = try model.requireID()
        if let remove = try? req.content.get(Int.self, at: "remove") {
            try await req.audited { tx, audit in
                guard let a = try await DocumentAttachmentModel.query(on: tx).filter(\.$document.$id == id)
                    .filter(\.$position == remove).first() else { return }
                try await a.delete(on: tx)
                try await renumber(id, model: model, on: tx)
                audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                                     summary: "attachment removed: \(a.title) (sm3 \(a.digest))"))
            }
            req.setFlash("flash.saved")
            return req.redirect(within: path + "#attachments")
        }
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            req.setFlash("workbook.error.noFile", error: true)
            return req.redirect(within: path + "#attachments")
        }
        guard file.data.readableBytes <= maxAttachmentBytes else {
            req.setFlash("document.attachmentTooLarge", error: true)
            return req.redirect(within: path + "#attachments")
        }
        let data = Data(buffer: file.data)
        let digest = try await req.files.put(data)
        let typed = ((try? req.content.get(String.self, at: "title")) ?? "").trimmingCharacters(in: .whitespaces)
        let name = String(file.filename.prefix(120))
        let title = typed.isEmpty ? String((name as NSString).deletingPathExtension.prefix(80)) : String(typed.prefix(80))
        try await req.audited { tx, audit in
            let count = try await DocumentAttachmentModel.query(on: tx).filter(\.$document.$id == id).count()
            let a = DocumentAttachmentModel()
            a.$document.id = id
            a.position = count + 1
            a.title = title
            a.fileName = name
            a.digest = digest
            a.size = data.count
            try await a.create(on: tx)
            try await renumber(id, model: model, on: tx)
            audit.add(AuditEvent(.update, objectType: "document", objectID: page.id,
                                 summary: "attachment \(count + 1) added: \(title) (sm3 \(digest), \(data.count) bytes)"))
        }
        req.setFlash("document.attached")
        return req.redirect(within: path + "#attachments")
    }

    /// Positions 1…n again, and the document's 附件 titles in the same order.
    static func renumber(_ id: UUID, model: DocumentModel, on tx: Database) async throws {
        let all = try await DocumentAttachmentModel.query(on: tx).filter(\.$document.$id == id).sort(\.$position).all()
        for (i, a) in all.enumerated() where a.position != i + 1 {
            a.position = i + 1
            try await a.save(on: tx)
        }
        var d = try model.decoded()
        d.attachments = all.map(\.title)
        try model.set(d)
        try await model.save(on: tx)
    }

    static func download(req: Request) async throws -> Response {
        let model = try await viewable(req)
        guard let position = req.parameters.get("position").flatMap(Int.init),
              let a = try await DocumentAttachmentModel.query(on: req.db).filter(\.$document.$id == model.requireID())
                .filter(\.$position == position).first() else { throw Abort(.notFound) }
        let data = try await req.files.get(a.digest)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/octet-stream")
        headers.contentDisposition = .init(.attachment, filename: a.fileName)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    struct CompareQuery: Content {
        var a: Int?
        var b: Int?
    }

    static func compare(req: Request) async throws -> Response {
        let model = try await viewable(req)
        let id = try model.requireID()
        let versions = try await DocumentVersionModel.query(on: req.db).filter(\.$document.$id == id).sort(\.$seq).all()
        let q = try req.query.decode(CompareQuery.self)
        let b = versions.first { $0.seq == q.b } ?? versions.last
        let a = versions.first { $0.seq == q.a } ?? versions.dropLast().last ?? b
        guard let a, let b else { throw Abort(.notFound) }
        let lines = TextDiff.lines("\(a.title)\n\n\(a.body)", "\(b.title)\n\n\(b.body)")
        return DocumentCompareView.render(req.pageContext(), id: id.uuidString, title: model.title,
                                          versions: versions.map { ($0.seq, $0.displayName, $0.step, $0.at) },
                                          a: a.seq, b: b.seq, lines: lines)
    }

    static func signature(req: Request) async throws -> Response {
        let model = try await viewable(req)
        guard let eventID = req.parameters.get("event").flatMap(UUID.init(uuidString:)),
              let e = try await DocumentEventModel.query(on: req.db).filter(\.$id == eventID)
                .filter(\.$document.$id == model.requireID()).first(),
              let path = DocumentSteps.cleanSignature(e.signature) else { throw Abort(.notFound) }
        return signatureImage(path)
    }

    /// A drawn signature or 批示 as an SVG image that can run nothing.
    static func signatureImage(_ path: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "image/svg+xml")
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
        return Response(status: .ok, headers: headers, body: .init(string: TextDiff.signatureSVG(path: path)))
    }
}
