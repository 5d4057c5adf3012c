/// A user account as the administrator's form submits it.
public struct UserDraft: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var role: String
    public var unitCode: String

    public init(username: String, displayName: String, role: String, unitCode: String) {
        self.username = username.trimmingCharacters(in: .whitespaces).lowercased()
        self.displayName = displayName.trimmingCharacters(in: .whitespaces)
        self.role = role
        self.unitCode = unitCode
    }

    /// Usernames are typed on phones: ASCII letters, digits, '.', '_' and '-', 3 to 32 long.
    public static func isValidUsername(_ name: String) -> Bool {
        (3...32).contains(name.count) && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-"
        }
    }

    /// Field name → message key.
    public func validate(knownUnits: Set<String>) -> [String: String] {
        var errors: [String: String] = [:]
        if !Self.isValidUsername(username) { errors["username"] = "user.error.username" }
        if displayName.isEmpty || displayName.count > 50 { errors["displayName"] = "user.error.displayName" }
        if Role(rawValue: role) == nil { errors["role"] = "user.error.role" }
        if !knownUnits.contains(unitCode) { errors["unitCode"] = "user.error.unit" }
        return errors
    }
}

import Foundation
