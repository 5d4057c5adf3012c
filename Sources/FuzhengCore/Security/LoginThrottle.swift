import Foundation

/// Slows down guessing without turning away a county that shares one NAT address: a strict budget per
/// (client address, username) and a generous one per address, each a sliding window of attempts.
public struct LoginThrottle: Sendable {
    public struct Limits: Sendable, Equatable {
        public var perAccount: Int
        public var perAddress: Int
        public var window: TimeInterval

        /// 10 tries at one account from one address in 5 minutes (the lockout stops guessing at 5 wrong
        /// passwords anyway); 3,000 logins from one address in 5 minutes — a county's 3,000 staff arriving
        /// behind one NAT address within 10 minutes need 1,500, and one server's bcrypt manages about 8 a second.
        public init(perAccount: Int = 10, perAddress: Int = 3_000, window: TimeInterval = 300) {
            self.perAccount = perAccount
            self.perAddress = perAddress
            self.window = window
        }
    }

    public enum Decision: Equatable, Sendable {
        case allowed
        case tooManyForAccount(retryAfter: TimeInterval)
        case tooManyFromAddress(retryAfter: TimeInterval)
    }

    public let limits: Limits
    private var byAccount: [String: [Date]] = [:]
    private var byAddress: [String: [Date]] = [:]

    public init(limits: Limits = .init()) { self.limits = limits }

    /// Records the attempt when it is allowed; a refused attempt is not counted.
    public mutating func attempt(address: String, username: String, at now: Date) -> Decision {
        let start = now.addingTimeInterval(-limits.window)
        let accountKey = address + "\u{0}" + username
        var account = (byAccount[accountKey] ?? []).filter { $0 > start }
        var fromAddress = (byAddress[address] ?? []).filter { $0 > start }
        defer {
            byAccount[accountKey] = account.isEmpty ? nil : account
            byAddress[address] = fromAddress.isEmpty ? nil : fromAddress
        }
        if fromAddress.count >= limits.perAddress {
            return .tooManyFromAddress(retryAfter: fromAddress[0].timeIntervalSince(start))
        }
        if account.count >= limits.perAccount {
            return .tooManyForAccount(retryAfter: account[0].timeIntervalSince(start))
        }
        account.append(now)
        fromAddress.append(now)
        return .allowed
    }

    /// Drops every window that has run out, so memory stays bounded by the last few minutes' attempts.
    public mutating func prune(at now: Date) {
        let start = now.addingTimeInterval(-limits.window)
        byAccount = byAccount.compactMapValues { let kept = $0.filter { $0 > start }; return kept.isEmpty ? nil : kept }
        byAddress = byAddress.compactMapValues { let kept = $0.filter { $0 > start }; return kept.isEmpty ? nil : kept }
    }

    public var trackedKeys: Int { byAccount.count + byAddress.count }
}
