import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226, HMAC-SHA-1, 6 digits, 30-second steps), as every
/// authenticator app computes them. A code is accepted once only (RFC 6238 §5.2): the caller stores the
/// last accepted step and passes it back.
public struct TOTP: Sendable, Equatable {
    public let secret: [UInt8]
    public var digits: Int = 6
    public var period: TimeInterval = 30

    public init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// 20 random bytes (160 bits, RFC 4226's recommendation).
    public static func newSecret<G: RandomNumberGenerator>(using rng: inout G) -> [UInt8] {
        (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    public static func newSecret() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return newSecret(using: &rng)
    }

    public func step(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / period).rounded(.down)) }

    /// RFC 4226 §5.3: dynamic truncation of HMAC(secret, counter).
    public func code(step: Int64) -> String {
        let counter = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> UInt64(56 - $0 * 8)) }
        let mac = SHA1.hmac(key: secret, message: counter)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset]) & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    public func code(at date: Date) -> String { code(step: step(at: date)) }

    /// The step a typed code belongs to, within one step either side for clock drift, and only if it is
    /// later than the last step already used; nil otherwise.
    public func verify(_ typed: String, at date: Date, lastUsedStep: Int64?) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = step(at: date)
        for candidate in [now - 1, now, now + 1] where candidate > (lastUsedStep ?? .min) {
            if constantTimeEqual(Array(self.code(step: candidate).utf8), Array(code.utf8)) { return candidate }
        }
        return nil
    }

    /// The otpauth URI authenticator apps read from the enrolment QR code.
    public func provisioningURI(account: String, issuer: String) -> String {
        let label = QueryText.encode(issuer) + ":" + QueryText.encode(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(QueryText.encode(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in a.indices { diff |= a[i] ^ b[i] }
    return diff == 0
}

/// RFC 4648 base32, the form authenticator apps take a secret in.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = "", buffer: UInt32 = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int(buffer >> UInt32(bits - 5) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)]) }
        return out
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = [], buffer: UInt32 = 0, bits = 0
        for ch in text.uppercased() where ch != "=" && !ch.isWhitespace {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits - 8)))
                bits -= 8
            }
        }
        return out
    }
}

/// Ten one-time recovery codes for when the phone is lost; only their SM3 digests are stored.
public enum RecoveryCodes {
    public static func generate<G: RandomNumberGenerator>(count: Int = 10, using rng: inout G) -> [String] {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")  // no 0/O, 1/I
        return (0..<count).map { _ in
            let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            return String(chars[0..<5]) + "-" + String(chars[5...])
        }
    }

    public static func generate(count: Int = 10) -> [String] {
        var rng = SystemRandomNumberGenerator()
        return generate(count: count, using: &rng)
    }

    public static func digest(_ code: String) -> String {
        let normal = code.uppercased().filter { $0.isLetter || $0.isNumber }
        return SM3.hexDigest("fuzheng-recovery-code:" + normal)
    }
}
