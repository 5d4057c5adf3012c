import Foundation

/// Idle logout and password age, both configurable per deployment.
public struct SessionPolicy: Sendable, Equatable {
    public var idleTimeout: TimeInterval
    public var passwordMaximumAge: TimeInterval

    public init(idleTimeout: TimeInterval = 30 * 60, passwordMaximumAge: TimeInterval = 90 * 24 * 3600) {
        self.idleTimeout = idleTimeout
        self.passwordMaximumAge = passwordMaximumAge
    }

    public func isIdleExpired(lastSeen: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeen) > idleTimeout
    }

    /// How stale the stored last-seen time may get. Writing it on every request made each signed-in page a
    /// database write (241 requests a second against 7,588 anonymous); a minute is precise enough for a
    /// timeout counted in minutes.
    public static let lastSeenResolution: TimeInterval = 60

    /// Whether this request must store a new last-seen time: only once it is a minute old, or from the future
    /// (a clock set back).
    public func shouldRecordLastSeen(lastSeen: Date, now: Date) -> Bool {
        let age = now.timeIntervalSince(lastSeen)
        return age >= Self.lastSeenResolution || age < 0
    }

    public func isPasswordExpired(changedAt: Date?, now: Date) -> Bool {
        guard let changedAt else { return true }
        return now.timeIntervalSince(changedAt) > passwordMaximumAge
    }
}
