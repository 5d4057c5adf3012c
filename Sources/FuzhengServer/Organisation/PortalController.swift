import Plot
import Vapor

/// Public pages: no login; published material only.
enum PortalController {
    static func home(req: Request) async throws -> Response {
        let directory = try await OrganisationQueries.directory(on: req.db)
        return PortalView.home(req.pageContext(), directory: directory)
    }

    static func unit(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        guard let profile = try await OrganisationQueries.profile(code: code, withMembers: false, on: req.db),
              profile.summary.isActive
        else { throw Abort(.notFound) }
        return PortalView.unit(req.pageContext(), profile: profile)
    }
}

enum PortalView {
    static func home(_ ctx: PageContext, directory: [DepartmentDirectory]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("portal.title"),
            .p(.class("lead"), .text(l("portal.intro"))),
            .div(.class("cards"),
                 .a(.class("card link-card"), .href(SiteRoute.disclosures.path),
                     .h2(.text(l("disclosure.listTitle"))), .p(.text(l("portal.card.disclosures")))),
                 .a(.class("card link-card"), .href(SiteRoute.disclosureOverview.path),
                     .h2(.text(l("disclosure.overviewTitle"))), .p(.text(l("portal.card.overview")))),
                 .a(.class("card link-card"), .href(SiteRoute.publicDocuments.path),
                    .h2(.text(l("public.documents.title"))), .p(.text(l("portal.card.documents"))))),
            .section(
                .h2(.text(l("portal.directory"))),
                .if(directory.isEmpty, .p(.class("empty"), .text(l("portal.empty")))),
                .forEach(directory) { dept in
                    .div(.class("card"),
                         .h3(.text("\(dept.code) \(dept.name)")),
                         .ul(.class("plain"), .forEach(dept.units) { unit in
                             .li(.a(.href(SiteRoute.publicUnit(code: unit.code).path),
                                 .text("\(unit.code) \(unit.name)")))
                         }))
                }
            )
        ).response()
    }

    static func unit(_ ctx: PageContext, profile: UnitProfile) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: profile.summary.name,
            UnitViews.attributes(l, profile),
            UnitViews.narrative(l, profile)
        ).response()
    }
}

/// Pieces shared by the public and the internal unit pages.
enum UnitViews {
    static func attributes(_ l: L10n, _ profile: UnitProfile) -> Node<HTML.BodyContext> {
        let s = profile.summary
        return .div(
            .class("table-scroll"),
            .table(
                .class("data"),
                .caption(.text(l("unit.setupTable"))),
                .thead(.tr(.th(.text(l("unit.code"))), .th(.text(l("unit.name"))), .th(.text(l("unit.nature"))),
                           .th(.text(l("unit.grade"))), .th(.text(l("unit.fundingForm"))))),
                .tbody(.tr(.td(.text(s.code)), .td(.text(s.name)), .td(.text(l.term(s.nature))),
                    .td(.text(l.term(s.grade))),
                           .td(.text(l.term(s.fundingForm)))))
            ),
            .p(.class("muted"), .text(l("unit.belongsTo", "\(s.departmentCode) \(s.departmentName)",
                "\(profile.regionName)（\(profile.regionCode)）")))
        )
    }

    static func narrative(_ l: L10n, _ profile: UnitProfile) -> Node<HTML.BodyContext> {
        .group(
            .section(.h2(.text(l("unit.duties"))),
                     profile.duties.isEmpty ? .p(.class("empty"),
                         .text(l("unit.noDuties"))) : paragraphs(profile.duties)),
            .section(.h2(.text(l("unit.setup"))),
                     profile.setup.isEmpty ? .p(.class("empty"), .text(l("unit.noSetup"))) : paragraphs(profile.setup))
        )
    }

    static func paragraphs(_ text: String) -> Node<HTML.BodyContext> {
        .group(text.split(separator: "\n").map { .p(.text(String($0))) })
    }
}
