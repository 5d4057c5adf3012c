import Fluent
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

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        inner.readSession(sessionID, for: request).map { data in
            if let data { request.storage[LoadedKey.self] = data }
            return data
        }
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
