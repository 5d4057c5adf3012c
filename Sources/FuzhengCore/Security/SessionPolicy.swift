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

    public func isPasswordExpired(changedAt: Date?, now: Date) -> Bool {
        guard let changedAt else { return true }
        return now.timeIntervalSince(changedAt) > passwordMaximumAge
    }
}
