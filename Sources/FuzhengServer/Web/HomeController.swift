import FuzhengCore
import Plot
import Vapor

/// The page each role lands on after login: its tasks as cards.
enum HomeController {
    static func redirectHome(_ req: Request, flashKey: String? = nil) -> Response {
        if let flashKey { req.setFlash(flashKey) }
        return req.redirect(within: SiteRoute.home.path)
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let flash = req.takeFlash()
        let ctx = req.pageContext()
        return HomeView.render(ctx, user: user, flash: flash)
    }
}

struct HomeCard: Sendable {
    var titleKey: String
    var bodyKey: String
    var route: SiteRoute
}

enum HomeView {
    /// Cards per role; built from the same permissions that guard the routes.
    static func cards(for user: CurrentUser) -> [HomeCard] {
        let p = user.principal
        var cards: [HomeCard] = []
        if AccessPolicy.allows(p, .manageOrganisation) {
            cards.append(HomeCard(titleKey: "nav.adminUnits", bodyKey: "home.card.adminUnits", route: .adminUnits))
        }
        if AccessPolicy.allows(p, .manageUsers) {
            cards.append(HomeCard(titleKey: "nav.adminUsers", bodyKey: "home.card.adminUsers", route: .adminUsers))
        }
        if AccessPolicy.allows(p, .manageSecurity) {
            cards.append(HomeCard(titleKey: "nav.security", bodyKey: "home.card.security", route: .security))
        }
        if AccessPolicy.allows(p, .readAuditLog) {
            cards.append(HomeCard(titleKey: "nav.audit", bodyKey: "home.card.audit", route: .audit))
            cards.append(HomeCard(titleKey: "audit.verify.title", bodyKey: "home.card.auditVerify", route: .auditVerify))
        }
        if AccessPolicy.allows(p, .readUnitBusiness(unitCode: user.unitCode)) && user.role != .financeReviewer {
            cards.append(HomeCard(titleKey: "nav.myUnit", bodyKey: "home.card.myUnit.\(user.role.rawValue)", route: .unit(code: user.unitCode)))
        }
        if AccessPolicy.allows(p, .reviewBudgets) {
            cards.append(HomeCard(titleKey: "nav.units", bodyKey: "home.card.units", route: .units))
        }
        cards.append(HomeCard(titleKey: "password.title", bodyKey: "home.card.password", route: .changePassword))
        return cards
    }

    static func render(_ ctx: PageContext, user: CurrentUser, flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("home.title", user.displayName),
            .alert(flash, kind: "success"),
            .p(.class("lead"), .text(l("home.roleLine", l(user.role.labelKey), user.unitName, user.unitCode))),
            .div(.class("cards"), .forEach(cards(for: user)) { card in
                .a(.class("card link-card"), .href(card.route.path),
                   .h2(.text(l(card.titleKey))),
                   .p(.text(l(card.bodyKey))))
            })
        ).response()
    }
}
