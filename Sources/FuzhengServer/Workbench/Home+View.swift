import FuzhengCore
import Plot
import Vapor


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
            cards.append(HomeCard(titleKey: "bodies.title", bodyKey: "home.card.adminBodies", route: .adminBodies))
        }
        if AccessPolicy.allows(p, .manageUsers) {
            cards.append(HomeCard(titleKey: "nav.adminUsers", bodyKey: "home.card.adminUsers", route: .adminUsers))
        }
        if AccessPolicy.allows(p, .manageSecurity) {
            cards.append(HomeCard(titleKey: "nav.security", bodyKey: "home.card.security", route: .security))
        }
        if AccessPolicy.allows(p, .readAuditLog) {
            cards.append(HomeCard(titleKey: "nav.audit", bodyKey: "home.card.audit", route: .audit))
            cards.append(HomeCard(titleKey: "audit.verify.title", bodyKey: "home.card.auditVerify",
                route: .auditVerify))
        }
        if AccessPolicy.allows(p, .readUnitBusiness(unitCode: user.unitCode)) && user.role != .financeReviewer {
            cards.append(HomeCard(titleKey: "nav.myUnit", bodyKey: "home.card.myUnit.\(user.role.rawValue)",
                route: .unit(code: user.unitCode)))
        }
        if AccessPolicy.allows(p, .reviewBudgets) {
            cards.append(HomeCard(titleKey: "nav.units", bodyKey: "home.card.units", route: .units))
        }
        cards.append(HomeCard(titleKey: "password.title", bodyKey: "home.card.password", route: .changePassword))
        return cards
    }

    static func render(_ ctx: PageContext, _ m: HomeModel) -> Response {
        let l = ctx.l
        let user = m.user
        let roles: String = user.principal.ownRoles.map { l($0.labelKey) }.joined(separator: "、")
        return Layout.page(
            ctx, title: l("home.title", user.displayName),
            .alert(m.flash, kind: "success"),
            .p(.class("lead"), .text(l("home.roleLine", roles, user.unitName, user.unitCode))),
            .if(!m.overseen.isEmpty, .p(.id("overseen"), .a(.href(SiteRoute.oversight.path),
                .text(l("home.overseen", m.overseen.joined(separator: "、")))))),
            .if(!m.deputies.isEmpty, .p(.id("deputies"), .class("alert info"), .a(.href(SiteRoute.delegations.path),
                .text(l("home.deputies", m.deputies.joined(separator: "；")))))),
            .forEach(m.sources) { source(l, $0) },
            .div(.class("cards"), .forEach(cards(for: user)) { card in
                .a(.class("card link-card"), .href(card.route.path),
                   .h2(.text(l(card.titleKey))),
                   .p(.text(l(card.bodyKey))))
            })
        ).response()
    }

    /// A source's items as a list of one-tap rows, each with its colour and its deadline in words.
    static func source(_ l: L10n, _ s: CollectedSource) -> Node<HTML.BodyContext> {
        let shown = s.items.prefix(HomeModel.itemsPerSource)
        return .section(
            .id("work-\(s.id.replacingOccurrences(of: ".", with: "-"))"), .class("work-source"),
            .h2(.text(l(s.titleKey)), .span(.class("count"), .text(" \(s.items.count)"))),
            .if(s.items.isEmpty, .p(.class("empty"), .text(l("workbench.none")))),
            .ul(.class("work-list"), .forEach(Array(shown)) { item in
                .li(.class("work-item \(item.urgency.rawValue)"),
                    .a(.href(item.link),
                       .span(.class("dot"), .attribute(named: "aria-hidden", value: "true")),
                       .span(.class("work-title"), .text(item.title)),
                       .span(.class("work-detail"), .text(item.detail)),
                       .span(.class("visually-hidden"), .text(" " + l("workbench.urgency.\(item.urgency.rawValue)")))))
            }),
            .if(s.items.count > shown.count,
                .p(.class("muted"), .text(l("workbench.more", String(s.items.count - shown.count)))))
        )
    }
}
