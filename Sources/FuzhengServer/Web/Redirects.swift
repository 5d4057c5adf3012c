import FuzhengCore
import Vapor

extension Request {
    /// Every redirect of the site goes through here: a target that is not a path on this site
    /// (after decoding; see `RedirectPolicy`) becomes the portal, so no link can send a user elsewhere.
    func redirect(within path: String) -> Response {
        guard let safe = RedirectPolicy.sameOriginPath(path) else {
            logger.warning("refused redirect target", metadata: ["target": .string(String(path.prefix(200)))])
            return redirect(to: SiteRoute.portal.path, redirectType: .normal)
        }
        return redirect(to: safe, redirectType: .normal)
    }
}
