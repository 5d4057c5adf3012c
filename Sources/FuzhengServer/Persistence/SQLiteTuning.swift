import Fluent
import SQLKit
import Vapor

/// SQLite as a server database: the write-ahead log lets readers go on while one clerk writes,
/// synchronous=NORMAL is durable across application crashes in WAL mode, and a busy timeout makes a
/// second writer wait its turn instead of failing with "database is locked"; a page cache large enough for the
/// county's indexes.
enum SQLiteTuning {
    static let busyTimeoutMilliseconds = 10_000

    /// journal_mode is stored in the file; the other settings belong to a connection, so they are made
    /// on the one pooled connection of every event loop (`maxConnectionsPerEventLoop` is 1 for SQLite).
    static func apply(_ app: Application, file: Bool) async throws {
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(.sqlite, logger: app.logger, on: eventLoop)
            guard let sql = db as? SQLDatabase else { continue }
            if file { try await sql.raw("PRAGMA journal_mode = WAL").run() }
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeoutMilliseconds))").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // 64 MB of pages per connection instead of 2 MB: a 100,000-row import spent a quarter of its time
            // re-reading index pages the small cache had let go (two connections: 128 MB at most).
            try await sql.raw("PRAGMA cache_size = -65536").run()
        }
    }

    /// Starts a transaction's writing at once: a transaction that read first and wrote later could find,
    /// in WAL mode, that another connection wrote in between, and SQLite then fails it at once
    /// (SQLITE_BUSY_SNAPSHOT) instead of waiting. An UPDATE that matches no row takes the write lock.
    static func takeWriteLock(_ tx: Database) async throws {
        guard let sql = tx as? SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE audit_records SET seq = seq WHERE seq = -1").run()
    }
}
