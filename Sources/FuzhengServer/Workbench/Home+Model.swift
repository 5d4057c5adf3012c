import Fluent
import FuzhengCore
import Vapor

/// The 工作台: every registered task source's items for this person, most urgent first, then the role's cards.
struct HomeModel: Sendable {
    static let itemsPerSource = 20
    var user: CurrentUser
    var flash: String?
    var sources: [CollectedSource]
    /// What a leader 分管, by name ("全县" for a county-wide leader).
    var overseen: [String] = []
    /// Deputies acting for this person now or later: "张秘书 12-05 — 12-07".
    var deputies: [String] = []
}

enum HomeController {
    static func redirectHome(_ req: Request, flashKey: String? = nil) -> Response {
        if let flashKey { req.setFlash(flashKey) }
        return req.redirect(within: SiteRoute.home.path)
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let flash = req.takeFlash()
        let context = TaskContext(db: req.db, l: req.l10n, now: req.now,
                                  calendar: try await req.application.fuzheng.calendars.current(on: req.db,
                                                                                                now: req.now))
        let sources = try await req.application.fuzheng.taskSources.collect(for: user, in: context)
        var model = HomeModel(user: user, flash: flash, sources: sources)
        model.overseen = try await overseenNames(user.principal, on: req.db, l: req.l10n)
        model.deputies = try await DelegationQueries.standing(given: user.id, at: req.now, on: req.db).map {
            "\($0.deputy.displayName) \(DelegationController.day($0.startsAt)) — "
                + DelegationController.day($0.endsAt.addingTimeInterval(-1))
        }
        return HomeView.render(req.pageContext(), model)
    }

    static func overseenNames(_ principal: Principal, on db: Database, l: L10n) async throws -> [String] {
        let reaches = principal.oversight
        if reaches.contains(.county) { return [l("scope.county")] }
        let codes = principal.overseen
        guard !codes.isEmpty else { return [] }
        let departments = try await DepartmentModel.query(on: db).filter(\.$code ~~ codes).all()
        let units = try await UnitModel.query(on: db).filter(\.$code ~~ codes).all()
        return codes.map { code in
            departments.first { $0.code == code }?.name ?? units.first { $0.code == code }?.name ?? code
        }
    }
}
