import FuzhengCore
import Plot
import Vapor

enum TwoFactorView {
    static func verify(_ ctx: PageContext, error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("2fa.verifyTitle"),
            .div(
                .class("card narrow"),
                .p(.text(l("2fa.verifyLead"))),
                .alert(error, kind: "error"),
                .form(
                    .method(.post), .action(SiteRoute.loginVerify.path), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(ctx.csrfToken ?? ""),
                    Form.field(label: l("2fa.code"), name: "code", required: true, autocomplete: "one-time-code",
                               hint: l("2fa.codeHint"), inputMode: "numeric"),
                    .button(.type(.submit), .class("button primary wide"), .text(l("2fa.verify")))
                )
            )
        ).response(status: status)
    }

    static func enrol(_ ctx: PageContext, username: String, secret: [UInt8], required: Bool, error: String? = nil,
                      status: HTTPResponseStatus = .ok) throws -> Response {
        let l = ctx.l
        let uri = TOTP(secret: secret).provisioningURI(account: username, issuer: TwoFactorController.issuer)
        let qr = try QRCode.encode(uri, errorCorrection: .medium)
        let grouped = stride(from: 0, to: Base32.encode(secret).count, by: 4).map { start -> String in
            let text = Base32.encode(secret)
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: " ")
        return Layout.page(
            ctx, title: l("2fa.enrolTitle"),
            .div(
                .class("card narrow"),
                .alert(required ? l("2fa.required") : nil, kind: "warning"),
                .ol(.class("steps"),
                    .li(.text(l("2fa.step1"))),
                    .li(.text(l("2fa.step2")),
                        .div(.class("qr"),
                             .trustedMarkup(escapedBy: "QRCode", qr.svg(moduleSize: 4, quietZone: 4, title: l("2fa.qrTitle")))),
                        .p(.class("hint"), .text(l("2fa.secretText"))),
                        .p(.class("secret"), .element(named: "code", text: grouped))),
                    .li(.text(l("2fa.step3")))),
                .alert(error, kind: "error"),
                .form(
                    .method(.post), .action(SiteRoute.twoFactor.path), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(ctx.csrfToken ?? ""),
                    Form.field(label: l("2fa.code"), name: "code", required: true, autocomplete: "one-time-code",
                               inputMode: "numeric"),
                    .button(.type(.submit), .class("button primary wide"), .text(l("2fa.confirm")))
                )
            )
        ).response(status: status)
    }

    static func recoveryCodes(_ ctx: PageContext, codes: [String]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("2fa.doneTitle"),
            .div(
                .class("card narrow"),
                .alert(l("2fa.done"), kind: "success"),
                .p(.text(l("2fa.recoveryLead"))),
                .ul(.class("recovery-codes"), .forEach(codes) { .li(.element(named: "code", text: $0)) }),
                .p(.a(.class("button primary"), .href(SiteRoute.home.path), .text(l("2fa.continue"))))
            )
        ).response()
    }

    static func status(_ ctx: PageContext, remaining: Int, required: Bool) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("2fa.enrolTitle"),
            .div(
                .class("card narrow"),
                .alert(l("2fa.active", String(remaining)), kind: "success"),
                .p(.class("hint"), .text(l(required ? "2fa.resetByAdmin" : "2fa.resetHint")))
            )
        ).response()
    }
}
