import Fluent
import FuzhengCore
import Plot
import Vapor

/// The in-app inbox: what is waiting for this person.
enum InboxController {
    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let items = try await NotificationModel.query(on: req.db).filter(\.$user.$id == user.id).sort(\.$createdAt, .descending).limit(100).all()
        let l = req.l10n
        let page = Layout.page(
            req.pageContext(), title: l("inbox.title"),
            .if(items.isEmpty, .p(.class("empty"), .text(l("inbox.empty")))),
            .if(items.contains { $0.readAt == nil }, .form(.method(.post), .action(SiteRoute.inboxRead.path),
                                                           Form.csrf(req.csrfToken),
                                                           .button(.type(.submit), .class("button small secondary"), .text(l("inbox.markAll"))))),
            .ul(.class("plain inbox"), .forEach(items) { n in
                .li(.class(n.readAt == nil ? "unread" : ""),
                    .a(.href(SiteRoute.inboxOpen(id: n.id?.uuidString ?? "").path), .text(Message.decoded(n.message)?.text(l) ?? n.text)),
                    .span(.class("muted"), .text(" · " + AuditFilter.display(n.createdAt))))
            })
        )
        return page.response()
    }

    /// Opening an item marks it read and goes where it points (a path of this site only).
    static func open(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
              let item = try await NotificationModel.query(on: req.db).filter(\.$id == id)
                .filter(\.$user.$id == user.id).first()
        else { throw Abort(.notFound) }
        if item.readAt == nil {
            item.readAt = req.now
            try await item.save(on: req.db)
            StateChanges.bump()
        }
        return req.redirect(within: item.link)
    }

    static func markAllRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let now = req.now
        try await NotificationModel.query(on: req.db).filter(\.$user.$id == user.id).filter(\.$readAt == nil)
            .set(\.$readAt, to: now).update()
        StateChanges.bump()
        return req.redirect(within: SiteRoute.inbox.path)
    }
}
