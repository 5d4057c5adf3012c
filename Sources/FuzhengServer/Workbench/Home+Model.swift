import FuzhengCore
import Vapor

/// The 工作台: every registered task source's items for this person, most urgent first, then the role's cards.
struct HomeModel: Sendable {
    static let itemsPerSource = 20
    var user: CurrentUser
    var flash: String?
    var sources: [CollectedSource]
}

enum HomeController {
    static func redirectHome(_ req: Request, flashKey: String? = nil) -> Response {
        if let flashKey { req.setFlash(flashKey) }
        return req.redirect(within: SiteRoute.home.path)
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let flash = req.takeFlash()
        let context = TaskContext(db: req.db, l: req.l10n, now: req.now)
        let sources = try await req.application.fuzheng.taskSources.collect(for: user, in: context)
        return HomeView.render(req.pageContext(), HomeModel(user: user, flash: flash, sources: sources))
    }
}
