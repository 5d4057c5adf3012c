import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The 安全管理员 uploads, replaces and removes seals; each is audited with the image's SM3.
enum SealsController {
    static func show(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let m = try await SealsPageModel.query(on: req.db, box: req.application.fuzheng.secretBox)
        return SealsView.render(req.pageContext(), m, flash: req.takeFlashWithKind())
    }

    static func body(_ req: Request) async throws -> BodyModel {
        guard let code = req.parameters.get("code"), let body = try await BodyModel.find(code, on: req.db),
              !(body.numberPrefix ?? "").isEmpty else { throw Abort(.notFound) }
        return body
    }

    static func upload(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let user = try req.requireUser()
        let body = try await body(req)
        let code = try body.requireID()
        let back = SiteRoute.seals.path + "#seal-\(code)"
        guard let box = req.application.fuzheng.secretBox else {
            req.setFlash("seals.noKey", error: true)
            return req.redirect(within: back)
        }
        guard let file = try? req.content.get(File.self, at: "seal"), file.data.readableBytes > 0 else {
            req.setFlash("workbook.error.noFile", error: true)
            return req.redirect(within: back)
        }
        let png = [UInt8](Data(buffer: file.data))
        switch SealImage.check(png) {
        case .failure(let problem):
            req.setFlash(problem.rawValue, error: true)
            return req.redirect(within: back)
        case .success(let size):
            let now = req.now
            try await req.audited { tx, audit in
                let seal = try await SealStore.put(png, body: code, size: size, by: user.displayName, at: now, box: box,
                                                   on: tx)
                audit.add(AuditEvent(.update, objectType: "seal", objectID: code,
                                     summary: "seal of \(body.name) stored sealed: sm3 \(seal.digest), "
                                         + "\(size.width)×\(size.height), \(png.count) bytes"))
            }
            req.setFlash("seals.saved")
            return req.redirect(within: back)
        }
    }

    /// Removing a seal stops its body's 用印 until another is uploaded: asked once more, without JavaScript.
    static func confirmRemove(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let body = try await body(req)
        let code = try body.requireID()
        let l = req.l10n
        return ConfirmView.render(req.pageContext(), title: l("seals.remove"), message: l("seals.removeConfirm",
            body.name),
                                  action: SiteRoute.sealRemove(code: code).path,
                                  cancel: SiteRoute.seals.path + "#seal-\(code)", danger: true)
    }

    static func remove(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let body = try await body(req)
        let code = try body.requireID()
        try await req.audited { tx, audit in
            guard let seal = try await SealStore.find(code, on: tx) else { return }
            try await seal.delete(on: tx)
            audit.add(AuditEvent(.delete, objectType: "seal", objectID: code,
                                 summary: "seal of \(body.name) removed: sm3 \(seal.digest)"))
        }
        req.setFlash("seals.removed")
        return req.redirect(within: SiteRoute.seals.path)
    }
}
