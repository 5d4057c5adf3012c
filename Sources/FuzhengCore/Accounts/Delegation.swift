import Foundation

/// 代理: while away, a person lets a deputy act for them for a period, in all their business or in some units only.
/// The deputy acts in their own name, marked 代; the delegation ends by itself when its period is over, because
/// every request asks `isActive(at:)` and nothing needs to switch it off.
public struct Delegation: Sendable, Equatable, Codable {
    public var delegator: Delegator
    public var deputy: String
    public var starts: Date
    public var ends: Date
    /// Unit or department codes; empty for everything the delegator may do.
    public var units: [String]
    public var revokedAt: Date?

    public init(delegator: Delegator, deputy: String, starts: Date, ends: Date, units: [String] = [],
                revokedAt: Date? = nil) {
        self.delegator = delegator
        self.deputy = deputy
        self.starts = starts
        self.ends = ends
        self.units = units
        self.revokedAt = revokedAt
    }

    public func isActive(at now: Date) -> Bool {
        starts <= now && now < ends && (revokedAt.map { now < $0 } ?? true)
    }

    public enum State: String, Sendable {
        case upcoming, active, ended, revoked
    }

    public func state(at now: Date) -> State {
        if let revokedAt, revokedAt <= now { return .revoked }
        if now < starts { return .upcoming }
        return now < ends ? .active : .ended
    }

    /// The longest a delegation may run: longer absences are a change of post, made by the 系统管理员.
    public static let longest: TimeInterval = 90 * 86_400

    /// Field name → message key, for the form that creates one.
    public static func validate(delegatorUsername: String, deputy: String, deputyExists: Bool,
        deputyIsAdministrator: Bool,
                                delegatorHasBusinessRole: Bool, starts: Date?, ends: Date?, now: Date,
                                units: [String], knownUnits: Set<String>) -> [String: String] {
        var errors: [String: String] = [:]
        if !delegatorHasBusinessRole { errors["deputy"] = "delegation.error.nothingToDelegate" }
        if deputy.isEmpty || !deputyExists {
            errors["deputy"] = "delegation.error.deputyUnknown"
        } else if deputy == delegatorUsername {
            errors["deputy"] = "delegation.error.self"
        } else if deputyIsAdministrator {
            errors["deputy"] = "delegation.error.deputyAdministrator"
        }
        guard let starts else { errors["starts"] = "delegation.error.date"; return errors }
        guard let ends else { errors["ends"] = "delegation.error.date"; return errors }
        if ends <= starts { errors["ends"] = "delegation.error.order" }
        if ends <= now { errors["ends"] = "delegation.error.past" }
        if ends.timeIntervalSince(starts) > longest { errors["ends"] = "delegation.error.tooLong" }
        if units.contains(where: { !knownUnits.contains($0) }) { errors["units"] = "user.error.scopeUnitUnknown" }
        return errors
    }
}
