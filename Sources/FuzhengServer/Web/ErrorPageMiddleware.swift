import Plot
import Vapor

/// Turns every error into a page a clerk can read: redirects become 303s, known statuses get a
/// plain message, anything else a 500 page with the request id, never a stack trace.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch let redirect as Redirect {
            return req.redirect(within: redirect.location)
        } catch {
            let status: HTTPResponseStatus
            var messageKey: String
            if let abort = error as? AbortError {
                status = abort.status
                messageKey = abort.reason
            } else {
                status = .internalServerError
                messageKey = ""
            }
            if status.code >= 500 {
                req.logger.report(error: error)
            } else {
                req.logger.info("\(status.code) \(req.method) \(req.url.path)")
            }
            switch status {
            case .notFound: messageKey = "error.notFound"
            case .forbidden: messageKey = messageKey == "csrf.rejected" ? "error.csrf" : "error.forbidden"
            case .badRequest: messageKey = "error.badRequest"
            case .payloadTooLarge: messageKey = "error.tooLarge"
            case .serviceUnavailable: if !messageKey.hasPrefix("error.") { messageKey = "error.server" }
            default: if status.code >= 500 { messageKey = "error.server" } else if !messageKey.hasPrefix("error.") { messageKey = "error.generic" }
            }
            response = ErrorView.render(req.pageContext(), status: status, messageKey: messageKey)
            // "Try again in N seconds" must reach the client with the page.
            if let abort = error as? AbortError, let retry = abort.headers.first(name: .retryAfter) {
                response.headers.replaceOrAdd(name: .retryAfter, value: retry)
            }
        }
        response.headers.replaceOrAdd(name: "X-Request-Id", value: req.id)
        return response
    }
}

enum ErrorView {
    static func render(_ ctx: PageContext, status: HTTPResponseStatus, messageKey: String) -> Response {
        let l = ctx.l
        let html = Layout.page(
            ctx, title: "\(status.code) · \(l("error.title.\(status.code)"))",
            .div(
                .class("error-page"),
                .p(.class("lead"), .text(l(messageKey))),
                .p(.class("muted"), .text(l("error.requestID", ctx.requestID))),
                .p(.a(.class("button"), .href(ctx.user == nil ? SiteRoute.portal.path : SiteRoute.home.path), .text(l("error.backHome"))))
            )
        )
        return html.response(status: status)
    }
}
