/// SM3 cryptographic hash (GB/T 32905-2016).
///
/// swift-crypto has no SM3, and 等保2.0 assessors expect the national algorithms for integrity,
/// so the audit chain uses this implementation. It is checked against the standard's vectors.
public struct SM3: Sendable {
    public static let digestByteCount = 32

    private var state: [UInt32] = [
        0x7380_166F, 0x4914_B2B9, 0x1724_42D7, 0xDA8A_0600,
        0xA96F_30BC, 0x1631_38AA, 0xE38D_EE4D, 0xB0FB_0E4E,
    ]
    private var buffer: [UInt8] = []
    private var totalLength: UInt64 = 0

    public init() {
        buffer.reserveCapacity(64)
    }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            totalLength &+= 1
            if buffer.count == 64 {
                compress(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    public mutating func update(_ string: String) {
        update(Array(string.utf8))
    }

    public consuming func finalize() -> [UInt8] {
        let bitLength = totalLength &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        var offset = 0
        while offset < tail.count {
            compress(Array(tail[offset..<offset + 64]))
            offset += 64
        }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SM3()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hexDigest(_ string: String) -> String {
        hash(Array(string.utf8)).hexString
    }

    private mutating func compress(_ block: [UInt8]) {
        var w = [UInt32](repeating: 0, count: 68)
        for j in 0..<16 {
            w[j] = UInt32(block[4 * j]) << 24 | UInt32(block[4 * j + 1]) << 16
                | UInt32(block[4 * j + 2]) << 8 | UInt32(block[4 * j + 3])
        }
        for j in 16..<68 {
            w[j] = Self.p1(w[j - 16] ^ w[j - 9] ^ w[j - 3].rotl(15)) ^ w[j - 13].rotl(7) ^ w[j - 6]
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for j in 0..<64 {
            let t: UInt32 = j < 16 ? 0x79CC_4519 : 0x7A87_9D8A
            let ss1 = (a.rotl(12) &+ e &+ t.rotl(UInt32(j % 32))).rotl(7)
            let ss2 = ss1 ^ a.rotl(12)
            let ff = j < 16 ? (a ^ b ^ c) : ((a & b) | (a & c) | (b & c))
            let gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g))
            let tt1 = ff &+ d &+ ss2 &+ (w[j] ^ w[j + 4])
            let tt2 = gg &+ h &+ ss1 &+ w[j]
            d = c
            c = b.rotl(9)
            b = a
            a = tt1
            h = g
            g = f.rotl(19)
            f = e
            e = Self.p0(tt2)
        }
        state[0] ^= a; state[1] ^= b; state[2] ^= c; state[3] ^= d
        state[4] ^= e; state[5] ^= f; state[6] ^= g; state[7] ^= h
    }

    private static func p0(_ x: UInt32) -> UInt32 { x ^ x.rotl(9) ^ x.rotl(17) }
    private static func p1(_ x: UInt32) -> UInt32 { x ^ x.rotl(15) ^ x.rotl(23) }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotl(_ n: UInt32) -> UInt32 {
        let s = n & 31
        return s == 0 ? self : (self << s) | (self >> (32 - s))
    }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
