import FuzhengCore
import Plot
import Vapor

enum SearchBox {
    static func render(_ l: L10n, action: String, query: String, placeholder: String,
                       extra: Node<HTML.FormContext> = .empty) -> Node<HTML.BodyContext> {
        .form(
            .class("search"), .method(.get), .action(action), .attribute(named: "role", value: "search"),
            .input(.type(.search), .name("q"), .value(query), .placeholder(placeholder),
                   .attribute(named: "aria-label", value: placeholder)),
            extra,
            .button(.type(.submit), .class("button secondary"), .text(l("list.search")))
        )
    }
}

enum Pager {
    static func render(_ l: L10n, basePath: String, query: String, page: Int, perPage: Int, total: Int,
                       extraQuery: String = "") -> Node<HTML.BodyContext> {
        let pages = max(1, (total + perPage - 1) / perPage)
        func link(_ p: Int) -> String {
            var items = ["page=\(p)"]
            if !query.isEmpty { items.append("q=" + QueryText.encode(query)) }
            if !extraQuery.isEmpty { items.append(extraQuery) }
            return basePath + "?" + items.joined(separator: "&")
        }
        return .nav(
            .class("pager"), .attribute(named: "aria-label", value: l("list.pages")),
            .if(page > 1, .a(.href(link(page - 1)), .attribute(named: "rel", value: "prev"), .text(l("list.prev")))),
            .span(.text(l("list.pageOf", String(page), String(pages), String(total)))),
            .if(page < pages, .a(.href(link(page + 1)), .attribute(named: "rel", value: "next"), .text(l("list.next"))))
        )
    }
}

/// A JavaScript-free confirmation step before anything destructive.
enum ConfirmView {
    static func render(_ ctx: PageContext, title: String, message: String, action: String, cancel: String,
                       danger: Bool) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: title,
            .div(.class("card narrow"),
                 .p(.class("lead"), .text(message)),
                 .form(.method(.post), .action(action),
                       Form.csrf(ctx.csrfToken ?? ""),
                       .div(.class("form-actions"),
                            .button(.type(.submit), .class(danger ? "button danger" : "button primary"), .text(l("form.confirm"))),
                            .a(.class("button secondary"), .href(cancel), .text(l("form.cancel"))))))
        ).response()
    }
}
