import Foundation
import FuzhengCore
import Testing

@Suite("Password policy (等保 level 3)")
struct PasswordPolicyTests {
    let policy = PasswordPolicy.level3

    @Test("a password of 8 characters from 3 classes passes")
    func accepts() {
        #expect(policy.violations(for: "Abcdefg1").isEmpty)
        #expect(policy.violations(for: "abcdef1!").isEmpty)
        #expect(policy.violations(for: "Fuzheng@2023").isEmpty)
    }

    @Test("too short, too few classes, too long and containing the username are each named")
    func rejects() {
        #expect(policy.violations(for: "Ab1!") == [.tooShort])
        #expect(policy.violations(for: "abcdefgh1") == [.tooFewClasses])
        #expect(policy.violations(for: "ABCDEFGHIJ") == [.tooFewClasses])
        #expect(policy.violations(for: String(repeating: "Aa1!", count: 19)) == [.tooLong])
        #expect(policy.violations(for: "Caiwu@2023", username: "caiwu") == [.containsUsername])
        #expect(policy.violations(for: "Fuzheng@2023", current: "Fuzheng@2023") == [.sameAsCurrent])
    }

    @Test("Chinese characters count as the symbol class")
    func cjkIsOther() {
        #expect(PasswordPolicy.characterClasses(in: "怀来a1") == 3)
    }
}

@Suite("Lockout policy")
struct LockoutPolicyTests {
    let policy = LockoutPolicy()
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("the fifth consecutive failure locks the account for 15 minutes")
    func locksOnFifth() {
        var state = LockoutPolicy.State()
        for attempt in 1...4 {
            let (next, locked) = policy.recordingFailure(state, at: t0)
            #expect(!locked, "attempt \(attempt) must not lock")
            state = next
        }
        let (locked, didLock) = policy.recordingFailure(state, at: t0)
        #expect(didLock)
        #expect(policy.isLocked(locked, at: t0.addingTimeInterval(14 * 60 + 59)))
        #expect(!policy.isLocked(locked, at: t0.addingTimeInterval(15 * 60)))
    }

    @Test("a success resets the count; an expired lock starts a fresh count")
    func resets() {
        var state = LockoutPolicy.State(consecutiveFailures: 4)
        state = policy.recordingSuccess(state)
        #expect(state.consecutiveFailures == 0)
        let expired = LockoutPolicy.State(consecutiveFailures: 0, lockedUntil: t0)
        let (after, didLock) = policy.recordingFailure(expired, at: t0.addingTimeInterval(1))
        #expect(!didLock)
        #expect(after.consecutiveFailures == 1)
        #expect(after.lockedUntil == nil)
    }
}

@Suite("Session policy")
struct SessionPolicyTests {
    @Test("idle sessions end after the timeout, not before")
    func idle() {
        let policy = SessionPolicy(idleTimeout: 1800)
        let seen = Date(timeIntervalSince1970: 0)
        #expect(!policy.isIdleExpired(lastSeen: seen, now: seen.addingTimeInterval(1800)))
        #expect(policy.isIdleExpired(lastSeen: seen, now: seen.addingTimeInterval(1801)))
    }

    @Test("the last-seen time is stored at most once a minute, and again at once if the clock went back")
    func lastSeenOncePerMinute() {
        let policy = SessionPolicy()
        let seen = Date(timeIntervalSince1970: 1_000_000)
        #expect(!policy.shouldRecordLastSeen(lastSeen: seen, now: seen))
        #expect(!policy.shouldRecordLastSeen(lastSeen: seen, now: seen.addingTimeInterval(59)))
        #expect(policy.shouldRecordLastSeen(lastSeen: seen, now: seen.addingTimeInterval(60)))
        #expect(policy.shouldRecordLastSeen(lastSeen: seen, now: seen.addingTimeInterval(-1)))
    }

    @Test("passwords expire after 90 days; a never-changed password counts as expired")
    func expiry() {
        let policy = SessionPolicy()
        let changed = Date(timeIntervalSince1970: 0)
        #expect(!policy.isPasswordExpired(changedAt: changed, now: changed.addingTimeInterval(90 * 86_400)))
        #expect(policy.isPasswordExpired(changedAt: changed, now: changed.addingTimeInterval(90 * 86_400 + 1)))
        #expect(policy.isPasswordExpired(changedAt: nil, now: changed))
    }
}
