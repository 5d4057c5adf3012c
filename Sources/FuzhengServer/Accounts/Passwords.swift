import FuzhengCore
import NIOConcurrencyHelpers
import Vapor

/// Checking and making password hashes. bcrypt takes 0.15 s at cost 11: it runs on a thread pool of its own,
/// never on an event loop, so pages and /healthz stay fast while a crowd logs in.
public protocol PasswordHashing: Sendable {
    func verify(_ password: String, against hash: String) async throws -> Bool
    func hash(_ password: String) async throws -> String
    /// A generated first password: random, shown once, and replaced at the first login.
    func hashInitial(_ password: String) async throws -> String
}

extension PasswordHashing {
    func hashInitial(_ password: String) async throws -> String { try await hash(password) }
}

struct BcryptPasswords: PasswordHashing {
    let cost: Int
    let pool: NIOThreadPool

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { [cost] in try Bcrypt.hash(password, cost: cost) }
    }

    /// Cost 8 (16 ms) instead of 11: the password is 14 random characters (over 80 bits), not a person's
    /// choice that a slow hash must protect, and it lives only until the first login forces a change. A county
    /// importing 3,000 people then waits about 25 s on two cores instead of four minutes.
    func hashInitial(_ password: String) async throws -> String {
        try await pool.runIfActive { [cost] in try Bcrypt.hash(password, cost: min(cost, 8)) }
    }
}

/// Threads for bcrypt alone. Not `app.threadPool`: SQLite runs every query there, so at the morning peak every
/// page that reads the database waited behind the password checks (measured: /readyz p99 899 ms).
enum PasswordThreadPool {
    static func start(on app: Application) -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        app.lifecycle.use(Stopper(pool: pool))
        return pool
    }

    private struct Stopper: LifecycleHandler {
        let pool: NIOThreadPool
        func shutdownAsync(_ application: Application) async { try? await pool.shutdownGracefully() }
    }
}

/// What a login costs must not tell whether the username exists: an unknown or locked account is
/// checked against this hash, made once at start-up at the configured cost.
final class DummyPasswordHash: Sendable {
    let hash: String

    init(cost: Int) throws {
        hash = try Bcrypt.hash("fuzheng-no-such-account-\(UUID().uuidString)", cost: cost)
    }
}

/// The login throttle of this app server. Each server counts its own attempts: behind a load balancer a
/// client meets at most (servers × limit); the database lockout is the hard limit on guesses.
final class LoginThrottleBox: Sendable {
    private let state: NIOLockedValueBox<LoginThrottle>
    private let checks = NIOLockedValueBox(0)

    init(limits: LoginThrottle.Limits) { state = NIOLockedValueBox(LoginThrottle(limits: limits)) }

    func attempt(address: String, username: String, at now: Date) -> LoginThrottle.Decision {
        state.withLockedValue { throttle in
            let decision = throttle.attempt(address: address, username: username, at: now)
            let count = checks.withLockedValue { $0 += 1; return $0 }
            if count % 1_000 == 0 { throttle.prune(at: now) }
            return decision
        }
    }
}

/// How many password checks may be running or waiting at once on this server. bcrypt is bounded by the cores:
/// past that, a login would only wait longer and longer (measured: at cost 12 two cores finish about 5 a
/// second, and a queue of 150 made every login wait 30 s). A login beyond the limit is told at once to try
/// again in a few seconds instead.
final class PasswordCheckGate: Sendable {
    let limit: Int
    private let inUse = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// True if a place was taken; the caller must `leave()` when its check is done.
    func enter() -> Bool {
        inUse.withLockedValue { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func leave() { inUse.withLockedValue { $0 -= 1 } }

    var inUseCount: Int { inUse.withLockedValue { $0 } }
}

extension Request {
    var passwords: any PasswordHashing { application.fuzheng.passwords }
}
