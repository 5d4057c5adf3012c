/// Password rules assessors expect under 等保2.0 level 3: at least 8 characters drawn from
/// at least 3 of the 4 classes (lower case, upper case, digits, symbols).
public struct PasswordPolicy: Sendable, Equatable {
    public var minimumLength: Int
    public var minimumClasses: Int
    /// bcrypt reads at most 72 bytes; a longer password would be silently truncated.
    public var maximumUTF8Bytes: Int

    public init(minimumLength: Int = 8, minimumClasses: Int = 3, maximumUTF8Bytes: Int = 72) {
        self.minimumLength = minimumLength
        self.minimumClasses = minimumClasses
        self.maximumUTF8Bytes = maximumUTF8Bytes
    }

    public static let level3 = PasswordPolicy()

    public enum Violation: String, Sendable, Equatable, CaseIterable {
        case tooShort = "password.tooShort"
        case tooLong = "password.tooLong"
        case tooFewClasses = "password.tooFewClasses"
        case containsUsername = "password.containsUsername"
        case sameAsCurrent = "password.sameAsCurrent"
    }

    /// Returns every rule the candidate breaks, in a stable order, so a form can list them all at once.
    public func violations(for candidate: String, username: String? = nil, current: String? = nil) -> [Violation] {
        var found: [Violation] = []
        if candidate.count < minimumLength { found.append(.tooShort) }
        if candidate.utf8.count > maximumUTF8Bytes { found.append(.tooLong) }
        if Self.characterClasses(in: candidate) < minimumClasses { found.append(.tooFewClasses) }
        if let username, !username.isEmpty,
           candidate.lowercased().contains(username.lowercased()) {
            found.append(.containsUsername)
        }
        if let current, candidate == current { found.append(.sameAsCurrent) }
        return found
    }

    public static func characterClasses(in text: String) -> Int {
        var lower = false, upper = false, digit = false, other = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z": lower = true
            case "A"..."Z": upper = true
            case "0"..."9": digit = true
            default: other = true
            }
        }
        return [lower, upper, digit, other].filter { $0 }.count
    }
}
