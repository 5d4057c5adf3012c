import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// Fluent's session store, writing only when a request changed the session. Vapor saves the session after
/// every request that has one; with the store in the database that made every signed-in page a write, and
/// on SQLite one writer at a time (measured: 241 requests a second against 7,588 anonymous).
struct QuietSessions: SessionDriver {
    let inner: any SessionDriver
    let writes: SessionWriteCounter

    private struct LoadedKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        writes.add()
        return inner.createSession(data, for: request)
    }

    /// One query brings the session and its signed-in user (`SessionUserRow`), which `SessionUserMiddleware`
    /// then finds in the request instead of asking again: on a signed-in page the round trips, not the SQL, were
    /// the cost.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        guard let sql = request.db as? any SQLDatabase else {
            return inner.readSession(sessionID, for: request).map { data in
                if let data { request.storage[LoadedKey.self] = data }
                return data
            }
        }
        let promise = request.eventLoop.makePromise(of: SessionData?.self)
        promise.completeWithTask {
            guard let row = try await SessionUserRow.withSession(sessionID.string, on: sql) else { return nil }
            request.storage[LoadedKey.self] = row.data
            if let user = row.user { request.storage[SessionUserRow.Key.self] = user }
            return row.data
        }
        return promise.futureResult
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request)
        -> EventLoopFuture<SessionID> {
        if let loaded = request.storage[LoadedKey.self], loaded == data {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        writes.add()
        return inner.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        writes.add()
        return inner.deleteSession(sessionID, for: request)
    }
}

/// Session rows written by this process (created, changed or deleted), for the tests and /metrics.
final class SessionWriteCounter: Sendable {
    private let count = NIOLockedValueBox(0)
    func add() { count.withLockedValue { $0 += 1 } }
    var value: Int { count.withLockedValue { $0 } }
}
