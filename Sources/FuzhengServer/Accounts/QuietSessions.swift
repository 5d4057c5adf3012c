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
    let cache: SessionCache

    private struct LoadedKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        writes.add()
        return queued(request) { [inner] in inner.createSession(data, for: request) }
    }

    /// On SQLite, session writes take their turn with the audited transactions (one writer at a time, FIFO).
    private func queued<T: Sendable>(_ request: Request, _ write: @escaping @Sendable () -> EventLoopFuture<T>)
        -> EventLoopFuture<T> {
        guard let sql = request.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return write() }
        let audit = request.application.fuzheng.audit
        let promise = request.eventLoop.makePromise(of: T.self)
        promise.completeWithTask { try await audit.serialized { try await write().get() } }
        return promise.futureResult
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
        if let hit = cache.get(sessionID.string) {
            request.storage[LoadedKey.self] = hit.data
            if let user = hit.user { request.storage[SessionUserRow.Key.self] = user }
            return request.eventLoop.makeSucceededFuture(hit.data)
        }
        let promise = request.eventLoop.makePromise(of: SessionData?.self)
        promise.completeWithTask { [cache] in
            let generation = StateChanges.generation
            guard let row = try await SessionUserRow.withSession(sessionID.string, on: sql) else { return nil }
            cache.put(sessionID.string, row, generation: generation)
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
        cache.remove(sessionID.string)
        return queued(request) { [inner] in inner.updateSession(sessionID, to: data, for: request) }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        writes.add()
        cache.remove(sessionID.string)
        return queued(request) { [inner] in inner.deleteSession(sessionID, for: request) }
    }
}

/// Session rows written by this process (created, changed or deleted), for the tests and /metrics.
final class SessionWriteCounter: Sendable {
    private let count = NIOLockedValueBox(0)
    func add() { count.withLockedValue { $0 += 1 } }
    var value: Int { count.withLockedValue { $0 } }
}

/// Sessions and their users as last read, for at most `lifetime`. The pages of one screen (the page, its stylesheet,
/// its script) and a clerk's quick clicks then cost no database round trip, which was two thirds of a signed-in
/// request. On this server every state change (every audited transaction, `StateChanges`) and every session write
/// drops what it could affect, so here nothing is stale; another app server sees a logout or a deactivation made
/// elsewhere at most `lifetime` later (FUZHENG_SESSION_CACHE_MS, 0 turns the cache off).
typealias SessionCache = RecentReads<SessionUserRow.WithSession>

/// What the database said a moment ago, kept for at most `lifetime` and only while this process has committed no
/// state change since the read (`StateChanges`).
final class RecentReads<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var at: ContinuousClock.Instant
        var generation: UInt64
    }

    let lifetime: Duration
    private let capacity: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(lifetime: Duration, capacity: Int = 20_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func get(_ key: String) -> Value? {
        guard lifetime > .zero else { return nil }
        let now = ContinuousClock.now
        let generation = StateChanges.generation
        return entries.withLockedValue { e in
            guard let hit = e[key] else { return nil }
            guard hit.generation == generation, now - hit.at < lifetime else {
                e[key] = nil
                return nil
            }
            return hit.value
        }
    }

    /// `generation` is the one read before the query: a change committed meanwhile makes the entry unusable.
    func put(_ key: String, _ value: Value, generation: UInt64) {
        guard lifetime > .zero else { return }
        let entry = Entry(value: value, at: .now, generation: generation)
        entries.withLockedValue { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[key] = entry
        }
    }

    func remove(_ key: String) { entries.withLockedValue { $0[key] = nil } }
}

/// Counts committed state changes in this process, so caches of what the database said can tell they are out of date.
enum StateChanges {
    private static let counter = NIOLockedValueBox<UInt64>(0)
    static var generation: UInt64 { counter.withLockedValue { $0 } }
    static func bump() { counter.withLockedValue { $0 &+= 1 } }
}
