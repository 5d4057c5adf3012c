import FuzhengCore
import Testing

@Suite("SM4 (GB/T 32907-2016)")
struct SM4Tests {
    // GB/T 32907-2016 Appendix A: the key and the plaintext are the same 16 bytes.
    static let standardKey = sm4Hex("0123456789abcdeffedcba9876543210")

    @Test("Appendix A example 1: one encryption")
    func singleBlock() throws {
        let cipher = try SM4(key: Self.standardKey)
        #expect(cipher.encryptBlock(Self.standardKey).hexString == "681edf34d206965e86b3e94f536e4246")
    }

    @Test("Appendix A example 1: decryption gives the plaintext back")
    func decryption() throws {
        let cipher = try SM4(key: Self.standardKey)
        #expect(cipher.decryptBlock(sm4Hex("681edf34d206965e86b3e94f536e4246")) == Self.standardKey)
    }

    @Test("Appendix A example 2: encrypting 1,000,000 times")
    func millionIterations() throws {
        let cipher = try SM4(key: Self.standardKey)
        var block = Self.standardKey
        for _ in 0..<1_000_000 {
            block = cipher.encryptBlock(block)
        }
        #expect(block.hexString == "595298c7c6fd271f0402f804c33d3f66")
    }

    @Test("decryption inverts encryption for other keys and blocks")
    func roundTrips() throws {
        var generator = SplitMix(seed: 32907)
        for _ in 0..<200 {
            let key = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let block = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let cipher = try SM4(key: key)
            let encrypted = cipher.encryptBlock(block)
            #expect(encrypted != block)
            #expect(cipher.decryptBlock(encrypted) == block)
        }
    }

    @Test("keys that are not 16 bytes are refused", arguments: [0, 1, 15, 17, 24, 32])
    func wrongKeyLength(count: Int) {
        #expect(throws: CryptoFailure.badKeyLength(expected: 16, actual: count)) {
            try SM4(key: [UInt8](repeating: 0x42, count: count))
        }
    }

    // Computed with the pure-Python gmssl 3.2.2 package (`CryptSM4.crypt_cbc`, which pads with PKCS#7), so these
    // check our CBC chaining and padding against an implementation that shares no code with ours.
    @Test("SM4-CBC with PKCS#7 matches gmssl", arguments: [
        ("", "4b910651754b5553f10cfa0c8a09e9e5"),
        ("61", "b7345cf955c28f7ec20590ab3c1f2b8f"),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         "2677f46b09c122cc975533105bd4a22ad9ee98830e69745c9827f934a19621f80b38553051d4a47aec8e4315d21f0c07"),
        // "辅政 SM4-CBC 测试" in UTF-8 (21 bytes).
        ("e8be85e694bf20534d342d43424320e6b58be8af95",
         "9a6dcece9b753d054cc2fb3e3f08934a07beafe6500aa7639a1b5b697fd23b93"),
    ])
    func cbcKnownAnswers(plaintextHex: String, ciphertextHex: String) throws {
        let cipher = try SM4(key: Self.standardKey)
        let iv = sm4Hex("000102030405060708090a0b0c0d0e0f")
        #expect(cipher.cbcEncrypt(sm4Hex(plaintextHex), iv: iv).hexString == ciphertextHex)
        #expect(try cipher.cbcDecrypt(sm4Hex(ciphertextHex), iv: iv) == sm4Hex(plaintextHex))
    }

    @Test("SM4-CBC refuses ciphertext that is empty, not whole blocks, or badly padded")
    func cbcMalformed() throws {
        let cipher = try SM4(key: Self.standardKey)
        let iv = [UInt8](repeating: 0, count: 16)
        #expect(throws: CryptoFailure.malformed) { try cipher.cbcDecrypt([], iv: iv) }
        #expect(throws: CryptoFailure.malformed) { try cipher.cbcDecrypt([UInt8](repeating: 1, count: 17), iv: iv) }
        // A block whose decryption ends in 0x00 cannot be valid PKCS#7; build one by encrypting it directly.
        let badPadding = cipher.encryptBlock([UInt8](repeating: 0, count: 16))
        #expect(throws: CryptoFailure.malformed) { try cipher.cbcDecrypt(badPadding, iv: iv) }
    }
}

/// Deterministic generator so a failing round trip can be replayed.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func sm4Hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
        UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
}
