import FuzhengCore
import Foundation
import Vapor

/// Language switch and the stylesheet.
enum SiteController {
    static func switchLanguage(req: Request) async throws -> Response {
        let code = req.parameters.get("lang") ?? ""
        guard let language = Language(rawValue: code) else { throw Abort(.notFound) }
        let back = RedirectPolicy.sameOriginPath(try? req.query.get(String.self, at: "back")) ?? SiteRoute.portal.path
        let response = req.redirect(within: back)
        response.cookies[Request.languageCookie] = HTTPCookies.Value(
            string: language.rawValue, maxAge: 365 * 86_400, path: "/", isSecure: req.application.fuzheng.config.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "static")
                ?? Bundle.module.url(forResource: "app", withExtension: "css"),
              let css = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("Resource static/app.css is missing") }
        return css
    }()

    static let script: String = {
        guard let url = Bundle.module.url(forResource: "app", withExtension: "js", subdirectory: "static")
                ?? Bundle.module.url(forResource: "app", withExtension: "js"),
              let js = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("Resource static/app.js is missing") }
        return js
    }()

    static func js(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: script))
    }

    static func css(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: stylesheet))
    }
}
