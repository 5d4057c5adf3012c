import Foundation
import NIOConcurrencyHelpers

/// Time is injected so tests can move it (idle timeout, lockout expiry, password age).
public struct AppClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = AppClock { Date() }

    /// FUZHENG_FAKE_NOW (ISO 8601) starts the clock at that instant and lets it run; honoured only with
    /// FUZHENG_ENV=test, so a production platform cannot be sent back or forward in time. Nothing over HTTP
    /// can set it.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppClock {
        guard let raw = env["FUZHENG_FAKE_NOW"], !raw.isEmpty else { return .system }
        guard env["FUZHENG_ENV"] == "test" else {
            throw AppConfig.Error(variable: "FUZHENG_FAKE_NOW", value: raw,
                                  expected: "不设置（仅在 FUZHENG_ENV=test 时可用）/ unset (only allowed with FUZHENG_ENV=test)")
        }
        guard let start = ISO8601DateFormatter().date(from: raw) else {
            throw AppConfig.Error(variable: "FUZHENG_FAKE_NOW", value: raw,
                                  expected: "ISO 8601 时间，如 2027-01-31T23:59:00Z / an ISO 8601 time, e.g. 2027-01-31T23:59:00Z")
        }
        let began = Date()
        return AppClock { start.addingTimeInterval(Date().timeIntervalSince(began)) }
    }
}

/// A clock a test can set and advance.
public final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = .init(start)
    }

    public var now: Date { current.withLockedValue { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    public var clock: AppClock { AppClock { [self] in self.now } }
}
