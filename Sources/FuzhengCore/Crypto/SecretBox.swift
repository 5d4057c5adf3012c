import Foundation

/// Why a key was refused or a sealed secret could not be opened.
///
/// `open` deliberately does not say *which* check failed beyond these cases, and never which byte: telling a
/// forger more than "no" only helps the forger.
public enum CryptoFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case badKeyLength(expected: Int, actual: Int)
    /// Key text that is neither 64 hex digits nor base64.
    case badKeyEncoding
    /// Too short, not a whole number of blocks, not base64, or not UTF-8 where text was expected.
    case malformed
    case unsupportedVersion(UInt8)
    /// The MAC did not match: the data was changed, truncated in a block-aligned way, or sealed under another key.
    case authenticationFailed

    public var messageZh: String {
        switch self {
        case .badKeyLength(let expected, let actual): "密钥长度错误：应为 \(expected) 字节，实际为 \(actual) 字节"
        case .badKeyEncoding: "密钥格式错误：应为 64 位十六进制数字或 Base64 编码"
        case .malformed: "密文格式错误或已损坏"
        case .unsupportedVersion(let version): "不支持的密文版本（\(version)）"
        case .authenticationFailed: "密文校验失败：数据已被篡改，或密钥不正确"
        }
    }

    public var messageEn: String {
        switch self {
        case .badKeyLength(let expected, let actual): "wrong key length: expected \(expected) bytes, got \(actual)"
        case .badKeyEncoding: "the key is neither 64 hexadecimal digits nor base64"
        case .malformed: "the sealed data is malformed or damaged"
        case .unsupportedVersion(let version): "unsupported sealed-data version (\(version))"
        case .authenticationFailed: "authentication failed: the data was tampered with, or the key is wrong"
        }
    }

    public var description: String { "\(messageZh) / \(messageEn)" }
}

/// Authenticated encryption of secrets at rest with the national algorithms only (SM4 and SM3).
///
/// Sealed format (version 1):
///
///     version (1 byte, 0x01) ‖ IV (16) ‖ SM4-CBC ciphertext of the PKCS#7-padded plaintext (16·n, n ≥ 1)
///     ‖ HMAC-SM3 tag (32) over everything before it
///
/// Encrypt-then-MAC, with the tag checked (in constant time) before any decryption, so padding errors are never
/// observable and there is no padding oracle. The version byte is covered by the tag so it cannot be swapped to
/// steer a future reader into another format. The two sub-keys are derived from one 32-byte master key with
/// distinct labels so the cipher key and the MAC key are never the same bytes.
public struct SecretBox: Sendable {
    public static let masterKeyByteCount = 32
    static let version: UInt8 = 1
    static let ivByteCount = SM4.blockByteCount
    static let tagByteCount = HMACSM3.byteCount
    static let encryptionLabel = Array("fuzheng-sm4-enc".utf8)
    static let macLabel = Array("fuzheng-hmac-sm3".utf8)

    private let cipher: SM4
    private let macKey: [UInt8]

    public init(masterKey: [UInt8]) throws(CryptoFailure) {
        guard masterKey.count == Self.masterKeyByteCount else {
            throw .badKeyLength(expected: Self.masterKeyByteCount, actual: masterKey.count)
        }
        let encryptionKey = HMACSM3.authenticationCode(for: Self.encryptionLabel, key: masterKey)
        cipher = try SM4(key: Array(encryptionKey.prefix(SM4.keyByteCount)))
        macKey = HMACSM3.authenticationCode(for: Self.macLabel, key: masterKey)
    }

    /// `iv` exists for known-answer tests; in production leave it nil so every seal gets a fresh random IV
    /// (CBC needs an unpredictable IV, and reusing one reveals equal plaintext prefixes).
    public func seal(_ plaintext: [UInt8], iv: [UInt8]? = nil) -> [UInt8] {
        let iv = iv ?? Self.randomIV()
        precondition(iv.count == Self.ivByteCount, "the SM4-CBC IV must be 16 bytes")
        var sealed: [UInt8] = [Self.version]
        sealed.reserveCapacity(1 + Self.ivByteCount + plaintext.count + 16 + Self.tagByteCount)
        sealed += iv
        sealed += cipher.cbcEncrypt(plaintext, iv: iv)
        sealed += HMACSM3.authenticationCode(for: sealed, key: macKey)
        return sealed
    }

    public func open(_ sealed: [UInt8]) throws(CryptoFailure) -> [UInt8] {
        let headerCount = 1 + Self.ivByteCount
        let bodyCount = sealed.count - headerCount - Self.tagByteCount
        guard bodyCount >= SM4.blockByteCount, bodyCount % SM4.blockByteCount == 0 else { throw .malformed }
        guard sealed[0] == Self.version else { throw .unsupportedVersion(sealed[0]) }
        let tagStart = sealed.count - Self.tagByteCount
        let expected = HMACSM3.authenticationCode(for: sealed[..<tagStart], key: macKey)
        guard HMACSM3.constantTimeEquals(expected, Array(sealed[tagStart...])) else { throw .authenticationFailed }
        let iv = Array(sealed[1..<headerCount])
        // Only reachable with a valid tag, so a padding failure here means a sealing bug, not an attack.
        return try cipher.cbcDecrypt(Array(sealed[headerCount..<tagStart]), iv: iv)
    }

    /// Seals UTF-8 text into base64, the form stored in configuration and database text columns.
    public func sealToBase64(_ text: String) -> String {
        Data(seal(Array(text.utf8))).base64EncodedString()
    }

    public func openBase64(_ s: String) throws(CryptoFailure) -> String {
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else { throw .malformed }
        let bytes = try open([UInt8](data))
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        return text
    }

    /// Reads a master key as configured by an operator: 64 hex digits, or base64 of 32 bytes.
    /// A string made only of an even number of hex digits is read as hex: base64 of 32 bytes always ends in
    /// "=", so no valid base64 key is mistaken for hex.
    public static func parseKey(_ text: String) throws(CryptoFailure) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let key: [UInt8]
        if let hex = hexBytes(trimmed) {
            key = hex
        } else if let data = Data(base64Encoded: trimmed) {
            key = [UInt8](data)
        } else {
            throw .badKeyEncoding
        }
        guard key.count == masterKeyByteCount else {
            throw .badKeyLength(expected: masterKeyByteCount, actual: key.count)
        }
        return key
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func randomIV() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var iv: [UInt8] = []
        iv.reserveCapacity(ivByteCount)
        for _ in 0..<(ivByteCount / 8) {
            let word = generator.next()
            for shift in stride(from: 56, through: 0, by: -8) {
                iv.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return iv
    }
}

extension SM4 {
    /// SM4-CBC with PKCS#7 padding. Unauthenticated: it is public so the mode can be checked against other
    /// implementations' known answers, but secrets must go through `SecretBox`, which adds the MAC.
    public func cbcEncrypt(_ plaintext: [UInt8], iv: [UInt8]) -> [UInt8] {
        precondition(iv.count == Self.blockByteCount, "the SM4-CBC IV must be 16 bytes")
        let padCount = Self.blockByteCount - plaintext.count % Self.blockByteCount
        var data = plaintext + [UInt8](repeating: UInt8(padCount), count: padCount)
        var chain = (Self.loadWord(iv, at: 0), Self.loadWord(iv, at: 4),
                     Self.loadWord(iv, at: 8), Self.loadWord(iv, at: 12))
        var offset = 0
        while offset < data.count {
            chain = encryptWords((
                chain.0 ^ Self.loadWord(data, at: offset), chain.1 ^ Self.loadWord(data, at: offset + 4),
                chain.2 ^ Self.loadWord(data, at: offset + 8), chain.3 ^ Self.loadWord(data, at: offset + 12)
            ))
            Self.storeWord(chain.0, into: &data, at: offset)
            Self.storeWord(chain.1, into: &data, at: offset + 4)
            Self.storeWord(chain.2, into: &data, at: offset + 8)
            Self.storeWord(chain.3, into: &data, at: offset + 12)
            offset += Self.blockByteCount
        }
        return data
    }

    /// Inverse of `cbcEncrypt`; throws `.malformed` for a length that is not whole blocks or for bad padding.
    public func cbcDecrypt(_ ciphertext: [UInt8], iv: [UInt8]) throws(CryptoFailure) -> [UInt8] {
        precondition(iv.count == Self.blockByteCount, "the SM4-CBC IV must be 16 bytes")
        guard !ciphertext.isEmpty, ciphertext.count % Self.blockByteCount == 0 else { throw .malformed }
        var data = ciphertext
        var chain = (Self.loadWord(iv, at: 0), Self.loadWord(iv, at: 4),
                     Self.loadWord(iv, at: 8), Self.loadWord(iv, at: 12))
        var offset = 0
        while offset < data.count {
            let block = (Self.loadWord(data, at: offset), Self.loadWord(data, at: offset + 4),
                         Self.loadWord(data, at: offset + 8), Self.loadWord(data, at: offset + 12))
            let plain = decryptWords(block)
            Self.storeWord(plain.0 ^ chain.0, into: &data, at: offset)
            Self.storeWord(plain.1 ^ chain.1, into: &data, at: offset + 4)
            Self.storeWord(plain.2 ^ chain.2, into: &data, at: offset + 8)
            Self.storeWord(plain.3 ^ chain.3, into: &data, at: offset + 12)
            chain = block
            offset += Self.blockByteCount
        }
        let padCount = Int(data[data.count - 1])
        guard (1...Self.blockByteCount).contains(padCount),
              data.suffix(padCount).allSatisfy({ $0 == UInt8(padCount) })
        else { throw .malformed }
        data.removeLast(padCount)
        return data
    }
}
