import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import NIOConcurrencyHelpers
import Testing
import VaporTesting

/// Counts every password check, and which hash it was made against, instead of timing logins.
final class CountingPasswords: PasswordHashing {
    let inner: any PasswordHashing
    let dummy: String
    private let counts = NIOLockedValueBox((real: 0, dummy: 0))

    init(wrapping inner: any PasswordHashing, dummy: String) {
        self.inner = inner
        self.dummy = dummy
    }

    var real: Int { counts.withLockedValue { $0.real } }
    var dummyChecks: Int { counts.withLockedValue { $0.dummy } }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        counts.withLockedValue { if hash == dummy { $0.dummy += 1 } else { $0.real += 1 } }
        return try await inner.verify(password, against: hash)
    }

    func hash(_ password: String) async throws -> String { try await inner.hash(password) }
}

@Suite("Logins that resist guessing and crowds")
struct LoginHardeningTests {
    static func counting(_ app: Application) -> CountingPasswords {
        let counter = CountingPasswords(wrapping: app.fuzheng.passwords, dummy: app.fuzheng.dummyPassword.hash)
        app.fuzheng.passwords = counter
        return counter
    }

    @Test("50 wrong passwords at once: the account locks after the threshold and no more than that are checked")
    func concurrentLockout() async throws {
        try await withFuzhengApp(configure: {
            $0.loginThrottle = .init(perAccount: 1_000, perAddress: 10_000)
            $0.passwordChecksQueued = 1_000
        }) { app, _ in
            let counter = Self.counting(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let browser = Browser(app)
                        return try await browser.login("caiwu", "Wrong@2023").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 50 && statuses.allSatisfy { $0 == .unauthorized })
            let user = try #require(try await UserQueries.find(username: "caiwu", on: app.db))
            #expect(user.lockedUntil != nil, "locked")
            #expect(counter.real == app.fuzheng.config.lockout.maximumFailures, "real checks: \(counter.real)")
            #expect(counter.real + counter.dummyChecks == 50, "every attempt costs one check")
            #expect(try await auditRecords(app, action: .lockout).count == 1)
            // Locked means locked: the right password is refused too.
            #expect(try await Browser(app).login("caiwu").status == .unauthorized)
        }
    }

    @Test("every attempt costs exactly one bcrypt: unknown, inactive, locked, wrong and right")
    func equalCost() async throws {
        try await withFuzhengApp { app, _ in
            let counter = Self.counting(app)
            try await Browser(app).login("nobody-here", "Wrong@2023")
            #expect((counter.real, counter.dummyChecks) == (0, 1))
            try await Browser(app).login("caiwu", "Wrong@2023")
            #expect((counter.real, counter.dummyChecks) == (1, 1))
            try await Browser(app).login("caiwu")
            #expect((counter.real, counter.dummyChecks) == (2, 1))
            let user = try #require(try await UserQueries.find(username: "bangong", on: app.db))
            user.isActive = false
            try await user.save(on: app.db)
            try await Browser(app).login("bangong")
            #expect((counter.real, counter.dummyChecks) == (2, 2))
        }
    }

    @Test("too many tries at one account from one address get 429, audited; other accounts still log in")
    func throttling() async throws {
        try await withFuzhengApp(configure: { $0.loginThrottle = .init(perAccount: 3, perAddress: 6) }) { app, _ in
            let browser = Browser(app)
            for _ in 0..<3 { #expect(try await browser.login("nobody", "Wrong@2023").status == .unauthorized) }
            let throttled = try await browser.login("nobody", "Wrong@2023")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.text.contains("登录尝试过于频繁"))
            #expect(try await auditRecords(app, action: .loginThrottled).count == 1)
            #expect(try await Browser(app).login("caiwu").status == .seeOther)
            // From another address the same account is not throttled.
            let elsewhere = Browser(app)
            elsewhere.forwardedFor = "198.51.100.20"
            #expect(try await elsewhere.login("nobody", "Wrong@2023").status == .unauthorized)
            // The address as a whole has a (larger) limit too.
            for name in ["a1", "a2"] { _ = try await browser.login(name, "Wrong@2023") }
            #expect(try await browser.login("caiwu").status == .tooManyRequests)
        }
    }

    @Test("a forged X-Forwarded-For is ignored unless it came through a named proxy")
    func clientAddress() async throws {
        for (proxies, expected) in [([String](), "127.0.0.1"), (["127.0.0.1"], "203.0.113.7")] {
            try await withFuzhengApp(configure: { $0.trustedProxies = proxies }) { app, _ in
                let browser = Browser(app, method: .running(hostname: "127.0.0.1", port: 19_400 + Int.random(in: 0..<500)))
                browser.forwardedFor = "6.6.6.6, 203.0.113.7"
                try await browser.login("caiwu")
                let record = try #require(try await auditRecords(app, action: .loginSuccess).last)
                #expect(record.clientIP == expected, "trusted \(proxies)")
            }
        }
    }

    @Test("with the password-check queue full a login is told at once to retry (503, Retry-After), not kept waiting")
    func queueBound() async throws {
        try await withFuzhengApp(configure: { $0.passwordChecksQueued = 1 }) { app, _ in
            app.fuzheng.passwords = SlowPasswords(inner: app.fuzheng.passwords)
            async let first = Browser(app).login("caiwu")
            // Wait until the first check holds the one place (a busy machine may take a while to get there).
            for _ in 0..<500 where app.fuzheng.passwordGate.inUseCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(app.fuzheng.passwordGate.inUseCount == 1)
            let second = try await Browser(app).login("fuzeren")
            #expect(second.status == .serviceUnavailable)
            #expect(second.headers.first(name: .retryAfter) == "5")
            #expect(second.text.contains("请 5 秒后再点一次"))
            #expect(try await first.status == .seeOther)
            // The place is free again once the first check is done.
            #expect(try await Browser(app).login("fuzeren").status == .seeOther)
        }
    }

    @Test("bcrypt runs on the thread pool, not on an event loop")
    func offTheEventLoop() async throws {
        try await withFuzhengApp { app, _ in
            let onLoop = try await app.threadPool.runIfActive { MultiThreadedEventLoopGroup.currentEventLoop != nil }
            #expect(!onLoop)
            let passwords = BcryptPasswords(cost: 4, pool: app.threadPool)
            let hash = try await passwords.hash("Fuzheng@2023")
            #expect(try await passwords.verify("Fuzheng@2023", against: hash))
            #expect(try await !passwords.verify("wrong", against: hash))
        }
    }

    /// SQLite runs its queries on `app.threadPool`; with every one of its threads busy, the platform's own
    /// password checks still finish, because they have threads of their own.
    @Test("with every thread SQLite queries use busy, password checks still finish on their own threads")
    func passwordsHaveTheirOwnThreads() async throws {
        try await withFuzhengApp { app, _ in
            let threads = System.coreCount
            let started = NIOLockedValueBox(0)
            let release = ConditionLock(value: 0)
            let blockers = (0..<threads).map { _ in
                app.threadPool.runIfActive(eventLoop: app.eventLoopGroup.any()) {
                    started.withLockedValue { $0 += 1 }
                    release.lock(whenValue: 1)
                    release.unlock()
                }
            }
            while started.withLockedValue({ $0 }) < threads { try await Task.sleep(for: .milliseconds(5)) }
            let passwords = app.fuzheng.passwords
            let checked = try await withThrowingTaskGroup(of: Bool?.self) { group in
                group.addTask {
                    let hash = try await passwords.hash("Fuzheng@2023")
                    return try await passwords.verify("Fuzheng@2023", against: hash)
                }
                group.addTask {
                    // Had the checks shared the blocked threads, they would finish only once these are let go.
                    try? await Task.sleep(for: .seconds(20))
                    release.lock()
                    release.unlock(withValue: 1)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            #expect(checked == true, "password checks waited for the database's threads")
            release.lock()
            release.unlock(withValue: 1)
            for blocker in blockers { try await blocker.get() }
        }
    }
}

/// A check that takes a second, to hold the queue's one place.
struct SlowPasswords: PasswordHashing {
    let inner: any PasswordHashing

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await Task.sleep(for: .seconds(1))
        return try await inner.verify(password, against: hash)
    }

    func hash(_ password: String) async throws -> String { try await inner.hash(password) }
}
