import Foundation

/// Consecutive-failure lockout: after `maximumFailures` wrong passwords in a row the account is
/// locked for `lockoutDuration`. A success resets the count.
public struct LockoutPolicy: Sendable, Equatable {
    public var maximumFailures: Int
    public var lockoutDuration: TimeInterval

    public init(maximumFailures: Int = 5, lockoutDuration: TimeInterval = 15 * 60) {
        self.maximumFailures = maximumFailures
        self.lockoutDuration = lockoutDuration
    }

    public struct State: Sendable, Equatable {
        public var consecutiveFailures: Int
        public var lockedUntil: Date?

        public init(consecutiveFailures: Int = 0, lockedUntil: Date? = nil) {
            self.consecutiveFailures = consecutiveFailures
            self.lockedUntil = lockedUntil
        }
    }

    public func isLocked(_ state: State, at now: Date) -> Bool {
        guard let until = state.lockedUntil else { return false }
        return now < until
    }

    /// The state after a failed attempt, and whether this attempt is the one that locked the account.
    public func recordingFailure(_ state: State, at now: Date) -> (state: State, didLock: Bool) {
        var next = state
        if let until = state.lockedUntil, now >= until {
            // An expired lock starts a fresh count.
            next = State()
        }
        next.consecutiveFailures += 1
        if next.consecutiveFailures >= maximumFailures {
            next.lockedUntil = now.addingTimeInterval(lockoutDuration)
            next.consecutiveFailures = 0
            return (next, true)
        }
        return (next, false)
    }

    public func recordingSuccess(_ state: State) -> State {
        State()
    }
}
