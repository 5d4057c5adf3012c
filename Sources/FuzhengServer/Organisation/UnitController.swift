import FuzhengCore
import Plot
import Vapor

/// The internal unit pages: staff see their own unit, the finance bureau sees every unit.
enum UnitController {
    static func show(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.readUnitBusiness(unitCode: code))
        guard let profile = try await OrganisationQueries.profile(code: code, withMembers: true, on: req.db) else {
            throw Abort(.notFound)
        }
        return UnitPages.show(req.pageContext(), profile: profile,
                              canCreateBudget: AccessPolicy.allows(req.principal, .editUnitBudget(unitCode: code)))
    }
}

enum UnitPages {
    static func show(_ ctx: PageContext, profile: UnitProfile, canCreateBudget: Bool = false) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: "\(profile.summary.code) \(profile.summary.name)",
            .section(
                .h2(.text(l("unit.budgets"))),
                .if(canCreateBudget, .p(.a(.class("button primary"), .href(SiteRoute.budgetNew(code: profile.summary.code).path), .text(l("create.link"))))),
                .if(profile.budgets.isEmpty, .p(.class("empty"), .text(l("unit.budgetsPending")))),
                .ul(.class("plain"), .forEach(profile.budgets) { b in
                    .li(.a(.href(SiteRoute.budget(code: profile.summary.code, year: b.fiscalYear).path),
                           .text(l("unit.budgetLink", String(b.fiscalYear), MoneyFormat.wan(b.expenditure), l("budget.status.\(b.status)")))))
                })
            ),
            UnitViews.attributes(l, profile),
            UnitViews.narrative(l, profile),
            .section(
                .h2(.text(l("unit.members"))),
                .div(.class("table-scroll"), .table(
                    .class("data"),
                    .thead(.tr(.th(.text(l("user.username"))), .th(.text(l("user.displayName"))), .th(.text(l("user.role"))))),
                    .tbody(.forEach(profile.members.filter(\.isActive)) { member in
                        .tr(.td(.text(member.username)), .td(.text(member.displayName)), .td(.text(l("role.\(member.roleRaw)"))))
                    })
                ))
            )
        ).response()
    }
}
