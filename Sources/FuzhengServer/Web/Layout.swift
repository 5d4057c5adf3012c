import FuzhengCore
import Plot
import Vapor

/// The shell of every page: header with navigation and language switch, main content, footer.
enum Layout {
    static func page(_ ctx: PageContext, title: String, _ content: Node<HTML.BodyContext>...) -> HTML {
        let l = ctx.l
        return HTML(
            .attribute(named: "lang", value: ctx.l.language.htmlCode),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(title) · \(l("app.name"))"),
                .link(.rel(.stylesheet), .href(SiteRoute.stylesheet.path)),
                .element(named: "script", nodes: [.attribute(named: "src", value: SiteRoute.script.path),
                    .attribute(named: "defer", value: "defer")])
            ),
            .body(
                .a(.class("skip"), .href("#main"), .text(l("layout.skip"))),
                .header(
                    .class("site-header"),
                    .div(
                        .class("bar"),
                        .a(.class("brand"), .href(ctx.user == nil ? SiteRoute.portal.path : SiteRoute.home.path),
                           .span(.class("brand-mark"), .text("辅政")),
                           .span(.class("brand-name"), .text(l("app.subtitle")))),
                        .div(
                            .class("bar-actions"),
                            .a(.class("lang"), .href(SiteRoute.language(ctx.l.language.other).path + "?back=" + QueryText.encode(ctx.path)),
                               .attribute(named: "hreflang", value: ctx.l.language.other.htmlCode),
                               .text(l("layout.switchLanguage"))),
                            userBox(ctx)
                        )
                    ),
                    .if(!ctx.navigation.isEmpty && ctx.user != nil,
                        .nav(.class("modules"), .attribute(named: "aria-label", value: l("layout.navigation")),
                             .ul(.forEach(ctx.navigation) { item in
                                 let path = item.route(ctx.user?.principal ?? .anonymous).path
                                 return .li(.a(.href(path),
                                               .if(ctx.path == path, .attribute(named: "aria-current", value: "page")),
                                               .text(l(item.labelKey))))
                             })))
                ),
                .if(ctx.demoMode, .div(.class("demo-banner"), .text(l("layout.demoBanner")))),
                .unwrap(ctx.user.flatMap { $0.actingFor.isEmpty ? nil : $0 }) { user in
                    .div(.class("acting-for"), .a(.href(SiteRoute.delegations.path), .text(l("delegation.banner",
                        user.actingFor.map { "\($0.delegator.displayName)（\(DelegationController.day($0.ends - 1))）" }
                            .joined(separator: "、")))))
                },
                .main(.id("main"), .h1(.text(title)), .group(content)),
                .footer(
                    .class("site-footer"),
                    .p(.text(l("layout.footer", FuzhengVersion.string)))
                )
            )
        )
    }

    private static func userBox(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        guard let user = ctx.user, let token = ctx.csrfToken else {
            return .a(.class("button small"), .href(SiteRoute.login.path), .text(ctx.l("layout.login")))
        }
        return .form(
            .class("user-box"), .method(.post), .action(SiteRoute.logout.path),
            .a(.class("inbox-link"), .href(SiteRoute.inbox.path),
               .text(ctx.l("inbox.link")),
               .if(user.unreadNotifications > 0, .span(.class("badge"), .attribute(named: "aria-label",
                   value: ctx.l("inbox.unread", String(user.unreadNotifications))),
                                                       .text(String(user.unreadNotifications))))),
            .span(.class("user-name"),
                .text("\(user.displayName)（\(user.title.isEmpty ? ctx.l(user.role.labelKey) : user.title)）")),
            Form.csrf(token),
            .button(.type(.submit), .class("button small secondary"), .text(ctx.l("layout.logout")))
        )
    }
}

extension HTML {
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}

extension HTML: @retroactive AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        response()
    }
}
