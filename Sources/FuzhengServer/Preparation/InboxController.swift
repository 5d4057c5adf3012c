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
                    .a(.href(n.link), .text(n.text)),
                    .span(.class("muted"), .text(" · " + AuditFilter.display(n.createdAt))))
            })
        )
        return page.response()
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
