/// HMAC (RFC 2104) over SM3, as specified for the national algorithms in GM/T 0042-2015.
///
/// SM3's compression function takes 64-byte blocks, so keys longer than 64 bytes are first hashed and shorter
/// ones are zero-padded to 64 bytes, exactly as RFC 2104 does for SHA-256.
public struct HMACSM3: Sendable {
    public static let blockByteCount = 64
    public static let byteCount = SM3.digestByteCount

    private var inner: SM3
    // The outer pad is kept rather than an outer hasher so that `finalize` need only hash 64 + 32 bytes once.
    private let outerKeyPad: [UInt8]

    public init(key: [UInt8]) {
        var block = key.count > Self.blockByteCount ? SM3.hash(key) : key
        block += [UInt8](repeating: 0, count: Self.blockByteCount - block.count)
        inner = SM3()
        inner.update(block.map { $0 ^ 0x36 })
        outerKeyPad = block.map { $0 ^ 0x5C }
    }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        inner.update(bytes)
    }

    public consuming func finalize() -> [UInt8] {
        let innerDigest = inner.finalize()
        var outer = SM3()
        outer.update(outerKeyPad)
        outer.update(innerDigest)
        return outer.finalize()
    }

    public static func authenticationCode<Bytes: Sequence>(
        for message: Bytes, key: [UInt8]
    ) -> [UInt8] where Bytes.Element == UInt8 {
        var mac = HMACSM3(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// Compares two byte strings in time that depends only on their lengths, so a forger cannot learn how many
    /// leading bytes of a guessed MAC were right. Lengths are not secret (the MAC length is fixed).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count {
            difference |= a[i] ^ b[i]
        }
        return difference == 0
    }
}
