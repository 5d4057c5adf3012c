import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Synchroniser-token CSRF protection: every state-changing request must carry the session's
/// token as the `_csrf` form field (or the X-CSRF-Token header).
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let defaultMaxBody = 10 * 1024 * 1024
    /// Larger body limits of fixed paths (`post(_:maxBody:use:)`, e.g. the treasury import's 40 MB), set as routes
    /// are registered: this middleware runs before the router, so it cannot ask the route.
    private static let larger = NIOLockedValueBox<[String: Int]>([:])

    static func allow(_ bytes: Int, onPath pattern: [String]) {
        guard !pattern.contains(where: { $0.hasPrefix(":") }) else { return }
        larger.withLockedValue { $0["/" + pattern.joined(separator: "/")] = bytes }
    }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        switch req.method {
        case .GET, .HEAD, .OPTIONS:
            return try await next.respond(to: req)
        default:
            break
        }
        // Vapor's collect(max:) keeps the bytes on the request for the handler; the AsyncSequence
        // collect(upTo:) would consume a streamed body (anything over one read) and lose it.
        // A larger limit of the route (the treasury import's 40 MB) holds here too, or the check refuses it first.
        let raw = req.url.path
        let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        let limit = Self.larger.withLockedValue { $0[path] } ?? Self.defaultMaxBody
        _ = try await req.body.collect(max: max(limit, Self.defaultMaxBody)).get()
        let expected = req.hasSession ? req.session.data[SessionKey.csrf] : nil
        let presented = req.headers.first(name: "X-CSRF-Token") ?? (try? req.content.get(String.self, at: Self.field))
        guard let expected, let presented, constantTimeEquals(expected, presented) else {
            try await req.audit(AuditEvent(.csrfRejected, objectType: "route", objectID: req.url.path, result: .denied))
            throw Abort(.forbidden, reason: "csrf.rejected")
        }
        return try await next.respond(to: req)
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use (which also starts the session).
    var csrfToken: String {
        if let token = session.data[SessionKey.csrf] { return token }
        let token = [UInt8].random(count: 24).map { String(format: "%02x", $0) }.joined()
        session.data[SessionKey.csrf] = token
        return token
    }
}
