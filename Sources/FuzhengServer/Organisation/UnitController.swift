import FuzhengCore
import Plot
import Vapor

/// The internal unit pages: staff see their own unit, the finance bureau sees every unit.
enum UnitController {
    static func list(req: Request) async throws -> Response {
        try await req.require(.reviewBudgets)
        let directory = try await OrganisationQueries.directory(on: req.db)
        return UnitPages.list(req.pageContext(), directory: directory)
    }

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
    static func list(_ ctx: PageContext, directory: [DepartmentDirectory]) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("nav.units"),
            .forEach(directory) { dept in
                .div(.class("card"),
                     .h2(.text("\(dept.code) \(dept.name)")),
                     .ul(.class("plain"), .forEach(dept.units) { unit in
                         .li(.a(.href(SiteRoute.unit(code: unit.code).path), .text("\(unit.code) \(unit.name)")))
                     }))
            }
        ).response()
    }

    static func show(_ ctx: PageContext, profile: UnitProfile, canCreateBudget: Bool = false) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: "\(profile.summary.code) \(profile.summary.name)",
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
            ),
            .section(
                .h2(.text(l("unit.budgets"))),
                .if(canCreateBudget, .p(.a(.class("button primary"), .href(SiteRoute.budgetNew(code: profile.summary.code).path), .text(l("create.link"))))),
                .if(profile.budgets.isEmpty, .p(.class("empty"), .text(l("unit.budgetsPending")))),
                .ul(.class("plain"), .forEach(profile.budgets) { b in
                    .li(.a(.href(SiteRoute.budget(code: profile.summary.code, year: b.fiscalYear).path),
                           .text(l("unit.budgetLink", String(b.fiscalYear), MoneyFormat.wan(b.expenditure), l("budget.status.\(b.status)")))))
                })
            )
        ).response()
    }
}
