import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Who did it and from where; taken from the request.
public struct AuditContext: Sendable {
    public var userID: String?
    public var username: String?
    public var unitCode: String?
    public var clientIP: String?
    public var requestID: String?
    /// Set when the actor acts under someone's delegation: every record of the request says 代 whom.
    public var actingFor: Delegator? = nil

    public static let system = AuditContext(userID: nil, username: "system", unitCode: nil, clientIP: nil,
        requestID: nil)
}

public struct AuditEvent: Sendable {
    public var action: AuditAction
    public var objectType: String?
    public var objectID: String?
    public var summary: String?
    public var result: AuditResult

    public init(_ action: AuditAction, objectType: String? = nil, objectID: String? = nil,
                summary: String? = nil, result: AuditResult = .success) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.summary = summary
        self.result = result
    }
}

public enum AuditResult: String, Sendable, CaseIterable {
    case success
    case failure
    case denied
}

/// The event kinds; their names are what the audit log stores and filters on.
public enum AuditAction: String, Sendable, CaseIterable {
    case loginSuccess = "login.success"
    case loginFailure = "login.failure"
    case lockout = "login.lockout"
    case loginThrottled = "login.throttled"
    case logout = "logout"
    case sessionTimeout = "session.timeout"
    case accessDenied = "access.denied"
    case csrfRejected = "csrf.rejected"
    case passwordChange = "password.change"
    case passwordReset = "password.reset"
    case accountUnlock = "account.unlock"
    case create = "create"
    case update = "update"
    case delete = "delete"
    case auditExport = "audit.export"
    case auditVerify = "audit.verify"
    case auditArchive = "audit.archive"
    case restore = "backup.restore"
    case sealUse = "seal.use"
}

/// Collects the events of one audited transaction.
public final class AuditRecorder: Sendable {
    private let events = NIOLockedValueBox<[AuditEvent]>([])

    public func add(_ event: AuditEvent) {
        events.withLockedValue { $0.append(event) }
    }

    var collected: [AuditEvent] { events.withLockedValue { $0 } }
}

/// Appends to the SM3 hash chain. Every audited write goes through `transaction`, which runs the
/// business change and its audit records in one database transaction, so neither lands without
/// the other. Appends are serialised: in-process by a lock, across app servers sharing one
/// PostgreSQL by a transaction-scoped advisory lock.
public final class AuditLog: Sendable {
    private let lock = AsyncSerialLock()
    private let clock: AppClock

    /// Arbitrary constant naming the audit chain's advisory lock.
    private static let advisoryLockKey = 7_301_2023

    public init(clock: AppClock) {
        self.clock = clock
    }

    public func transaction<T: Sendable>(
        on database: Database, context: AuditContext,
        _ body: @escaping @Sendable (Database, AuditRecorder) async throws -> T
    ) async throws -> T {
        // Before and after: a cache filled while the transaction ran must not outlive it.
        StateChanges.bump()
        defer { StateChanges.bump() }
        return try await lock.withLock {
            try await database.transaction { tx in
                if let sql = tx as? SQLDatabase, sql.dialect.name == "postgresql" {
                    try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.advisoryLockKey)))").run()
                }
                try await SQLiteTuning.takeWriteLock(tx)
                let recorder = AuditRecorder()
                let result = try await body(tx, recorder)
                try await self.append(recorder.collected, context: context, on: tx)
                return result
            }
        }
    }

    /// A write outside the audit trail (a session row) that must still queue behind the audited transactions: on
    /// SQLite a writer that waits on the database's lock instead can starve past its busy timeout while a hundred
    /// audited writes follow one another (seen with 100 concurrent 编号 requests).
    public func serialized<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await lock.withLock { try await body() }
    }

    public func record(_ event: AuditEvent, context: AuditContext, on database: Database) async throws {
        try await transaction(on: database, context: context) { _, recorder in recorder.add(event) }
    }

    private func append(_ events: [AuditEvent], context: AuditContext, on tx: Database) async throws {
        guard !events.isEmpty else { return }
        var previous = try await AuditRecordModel.query(on: tx).sort(\.$id, .descending).first()?.chained
        let millis = Int64((clock.now().timeIntervalSince1970 * 1000).rounded())
        for event in events {
            let entry = AuditEntry(
                sequence: (previous?.entry.sequence ?? 0) + 1, occurredAtMillis: millis,
                userID: context.userID, username: context.username, unitCode: context.unitCode,
                clientIP: context.clientIP, action: event.action.rawValue, objectType: event.objectType,
                objectID: event.objectID, summary: Self.summary(event.summary, actingFor: context.actingFor),
                result: event.result.rawValue,
                requestID: context.requestID)
            let chained = AuditChain.chain(entry, after: previous)
            try await AuditRecordModel(chained).create(on: tx)
            previous = chained
        }
    }

    static func summary(_ summary: String?, actingFor: Delegator?) -> String? {
        guard let actingFor else { return summary }
        let mark = "［代 \(actingFor.displayName)（\(actingFor.username)）］"
        return summary.map { mark + " " + $0 } ?? mark
    }

    /// Walks the whole chain in pages, in sequence order.
    /// Whether the database has an audit trail at all (a migrated platform database).
    public static func hasTrail(on database: Database) async throws -> Bool {
        guard let sql = database as? SQLDatabase else { return false }
        do {
            try await sql.raw("SELECT seq FROM audit_records WHERE seq = -1").run()
            return true
        } catch {
            return false
        }
    }

    /// With `files`, the archived records (AuditArchive) come first, so the check spans archive and database.
    public static func verify(on database: Database, files: FileStore? = nil,
                              pageSize: Int = 1000) async throws -> (checked: Int, firstBreak: AuditChain.Break?) {
        var verifier = AuditChain.Verifier()
        var after: Int64 = 0
        if let files {
            for file in try await AuditArchive.archivedFiles(on: database) {
                for record in try AuditArchiveFile.decode(try await files.get(file.digest)) {
                    verifier.check(record)
                    after = record.entry.sequence
                }
            }
        }
        while true {
            let page = try await AuditRecordModel.query(on: database)
                .filter(\.$id > after).sort(\.$id, .ascending).limit(pageSize).all()
            for record in page { verifier.check(record.chained) }
            guard let last = page.last?.id, page.count == pageSize else { break }
            after = last
        }
        return (verifier.checked, verifier.firstBreak)
    }
}

/// A FIFO async mutex: actors are re-entrant across `await`, so the chain needs a real lock.
final class AsyncSerialLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLockedValue { state -> Bool in
                if state.locked {
                    state.waiters.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

extension Request {
    public var clientIP: String? {
        ClientAddress.resolve(socket: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trustedProxies: application.fuzheng.config.trustedProxies)
    }

    public var auditContext: AuditContext {
        let user = currentUser
        return AuditContext(
            userID: user?.id.uuidString, username: user?.username, unitCode: user?.unitCode,
            clientIP: clientIP, requestID: id, actingFor: actingFor)
    }

    /// Records one event in its own transaction.
    public func audit(_ event: AuditEvent) async throws {
        try await application.fuzheng.audit.record(event, context: auditContext, on: db)
    }

    /// Runs a change and its audit records atomically.
    public func audited<T: Sendable>(_ body: @escaping @Sendable (Database,
        AuditRecorder) async throws -> T) async throws -> T {
        try await application.fuzheng.audit.transaction(on: db, context: auditContext, body)
    }
}
