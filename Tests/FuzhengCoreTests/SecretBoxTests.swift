import Foundation
import FuzhengCore
import Testing

@Suite("SecretBox (SM4-CBC + HMAC-SM3)")
struct SecretBoxTests {
    static let masterKey = [UInt8](0..<32)
    static let box = try! SecretBox(masterKey: masterKey)

    @Test("round trips of assorted lengths", arguments: [0, 1, 15, 16, 17, 31, 32, 33, 1024])
    func roundTrip(count: Int) throws {
        let plaintext = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let sealed = Self.box.seal(plaintext)
        // version + IV + padded ciphertext (always at least one pad byte) + tag
        #expect(sealed.count == 1 + 16 + (count / 16 + 1) * 16 + 32)
        #expect(try Self.box.open(sealed) == plaintext)
    }

    @Test("Chinese text round-trips through base64")
    func chineseText() throws {
        let text = "怀来县人民政府办公室：数据库口令 p@ss—“辅政”🔐"
        let sealed = Self.box.sealToBase64(text)
        #expect(!sealed.contains("怀"))
        #expect(try Self.box.openBase64(sealed) == text)
        #expect(try Self.box.openBase64("  \(sealed)\n") == text)
    }

    @Test("two seals of the same text use different IVs and differ")
    func freshIVs() {
        let first = Self.box.seal(Array("same secret".utf8))
        let second = Self.box.seal(Array("same secret".utf8))
        #expect(first[1..<17] != second[1..<17])
        #expect(first != second)
    }

    @Test("changing any single byte of a sealed message is detected")
    func tamperEveryByte() {
        let sealed = Self.box.seal(Array("db-password".utf8))
        for index in sealed.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var tampered = sealed
                tampered[index] ^= flip
                #expect(throws: CryptoFailure.self, "byte \(index) ^ \(flip)") { try Self.box.open(tampered) }
            }
        }
    }

    @Test("the version byte is checked: an unknown version is refused as such")
    func unknownVersion() {
        var sealed = Self.box.seal(Array("x".utf8))
        sealed[0] = 2
        #expect(throws: CryptoFailure.unsupportedVersion(2)) { try Self.box.open(sealed) }
    }

    @Test("a changed ciphertext or tag fails authentication rather than decrypting")
    func authenticationFailure() {
        var sealed = Self.box.seal(Array("db-password".utf8))
        sealed[20] ^= 1
        #expect(throws: CryptoFailure.authenticationFailed) { try Self.box.open(sealed) }
    }

    @Test("truncated input is refused, at every length")
    func truncated() {
        let sealed = Self.box.seal(Array("a secret that spans two blocks".utf8))
        for count in 0..<sealed.count {
            #expect(throws: CryptoFailure.self, "length \(count)") { try Self.box.open(Array(sealed.prefix(count))) }
        }
        // Dropping a whole block keeps the shape valid, so only the MAC can catch it.
        let withoutLastBlock = Array(sealed[..<(sealed.count - 48)]) + sealed.suffix(32)
        #expect(throws: CryptoFailure.authenticationFailed) { try Self.box.open(withoutLastBlock) }
    }

    @Test("another master key cannot open the box")
    func wrongKey() throws {
        var otherKey = Self.masterKey
        otherKey[31] ^= 1
        let other = try SecretBox(masterKey: otherKey)
        let sealed = Self.box.seal(Array("secret".utf8))
        #expect(throws: CryptoFailure.authenticationFailed) { try other.open(sealed) }
    }

    @Test("garbage that is not base64 is malformed")
    func notBase64() {
        #expect(throws: CryptoFailure.malformed) { try Self.box.openBase64("这不是 base64!") }
        #expect(throws: CryptoFailure.malformed) { try Self.box.openBase64("") }
    }

    @Test("master keys that are not 32 bytes are refused", arguments: [0, 16, 31, 33, 64])
    func wrongMasterKeyLength(count: Int) {
        #expect(throws: CryptoFailure.badKeyLength(expected: 32, actual: count)) {
            try SecretBox(masterKey: [UInt8](repeating: 7, count: count))
        }
    }

    // Recorded so that any change to the sealed format, the sub-key labels or the algorithms is noticed.
    // The same bytes were computed independently in Python with gmssl 3.2.2 (SM3, SM4-CBC) and a hand-written
    // RFC 2104 HMAC: enc = HMAC(master, "fuzheng-sm4-enc")[0..<16], mac = HMAC(master, "fuzheng-hmac-sm3"),
    // sealed = 0x01 ‖ iv ‖ CBC(enc, iv, pt) ‖ HMAC(mac, 0x01 ‖ iv ‖ ct).
    @Test("known answer: fixed master key and IV give a fixed sealed output")
    func knownAnswer() throws {
        let iv = [UInt8](0xA0...0xAF)
        let plaintext = Array("辅政 SecretBox 已知答案 v1".utf8)
        let sealed = Self.box.seal(plaintext, iv: iv)
        #expect(sealed.hexString == """
            01a0a1a2a3a4a5a6a7a8a9aaabacadaeafe32dab8123acc56dcfc4c9bf522d0bfa3694f52c6cfc72f3bb5ad7292aab42267b52e\
            5891ef072d66c3c1799293adf65cbf8f13dab38fad4ff033dbaefbea0db323e163b661a2afef1bdcb3cfc592d4a
            """)
        #expect(try Self.box.open(sealed) == plaintext)
    }

    @Test("error messages are bilingual")
    func messages() {
        let failure = CryptoFailure.badKeyLength(expected: 32, actual: 31)
        #expect(failure.description == "密钥长度错误：应为 32 字节，实际为 31 字节 / wrong key length: expected 32 bytes, got 31")
        #expect(CryptoFailure.authenticationFailed.description.contains(" / "))
    }

    @Suite("parseKey")
    struct ParseKey {
        @Test("64 hex digits, either case, with surrounding whitespace")
        func hex() throws {
            let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F"
            #expect(try SecretBox.parseKey(hex) == SecretBoxTests.masterKey)
            #expect(try SecretBox.parseKey("  \(hex)\n") == SecretBoxTests.masterKey)
        }

        @Test("base64 of 32 bytes")
        func base64() throws {
            let key = try SecretBox.parseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n")
            #expect(key == SecretBoxTests.masterKey)
        }

        @Test("31 or 33 bytes are refused, in hex and in base64", arguments: [31, 33])
        func wrongLength(count: Int) {
            let bytes = [UInt8](repeating: 0xAB, count: count)
            let failure = CryptoFailure.badKeyLength(expected: 32, actual: count)
            #expect(throws: failure) { try SecretBox.parseKey(bytes.hexString) }
            #expect(throws: failure) { try SecretBox.parseKey(Data(bytes).base64EncodedString()) }
        }

        @Test("text that is neither is refused")
        func garbage() {
            #expect(throws: CryptoFailure.badKeyEncoding) { try SecretBox.parseKey("not a key at all!") }
            #expect(throws: CryptoFailure.self) { try SecretBox.parseKey("") }
        }
    }

    @Suite("HMAC-SM3")
    struct HMAC {
        struct Vector: CustomTestStringConvertible, Sendable {
            let name: String
            let message: [UInt8]
            let key: [UInt8]
            let expected: String
            var testDescription: String { name }
        }

        static let alphabetRun = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

        static let vectors: [Vector] = [
            Vector(
                name: "GM/T 0042 D.3 #1 (32-byte key, 112-byte message)",
                message: Array(String(repeating: alphabetRun, count: 2).utf8),
                key: [UInt8](1...32),
                expected: "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a"
            ),
            Vector(
                name: "GM/T 0042 D.3 #2 (37-byte key, 50 × 0xcd)",
                message: [UInt8](repeating: 0xCD, count: 50),
                key: [UInt8](1...37),
                expected: "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae"
            ),
            Vector(
                name: "GM/T 0042 D.3 #3 (\"Hi There\")",
                message: Array("Hi There".utf8),
                key: [UInt8](repeating: 0x0B, count: 32),
                expected: "c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e"
            ),
            Vector(
                name: "GM/T 0042 D.3 #4 (\"Jefe\")",
                message: Array("what do ya want for nothing?".utf8),
                key: Array("Jefe".utf8),
                expected: "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"
            ),
            Vector(
                name: "libxcrypt (128-byte key, hashed first)",
                message: Array("What is the purpose of this test???".utf8),
                key: Array(("It's complicated to explain, but we need some text that clearly exceeds sixtyfour bytes "
                    + "of data for the key to test coverage....").utf8),
                expected: "d3dec863e316596238090eace661e6d3c4cbae43dcf0060c71f0e4e5dc5ff7d3"
            ),
        ]

        // Vectors 1–4 are GM/T 0042-2015 Appendix D.3 as reproduced in libxcrypt's test-alg-sm3-hmac.c (1 also in
        // OpenSSL's EVP MAC test data, 2 in Intel ipsec-mb's); 5 is libxcrypt's own. All five were re-computed
        // in Python with gmssl 3.2.2's SM3 and a hand-written RFC 2104 HMAC, and agreed.
        @Test("published vectors", arguments: vectors)
        func published(vector: Vector) {
            #expect(HMACSM3.authenticationCode(for: vector.message, key: vector.key).hexString == vector.expected)
        }

        @Test("RFC 2104 structure rebuilt from SM3: short key zero-padded, long key hashed first")
        func structure() {
            func reference(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
                var block = key.count > 64 ? SM3.hash(key) : key
                block += [UInt8](repeating: 0, count: 64 - block.count)
                let inner = SM3.hash(block.map { $0 ^ 0x36 } + message)
                return SM3.hash(block.map { $0 ^ 0x5C } + inner)
            }
            let message = Array("部门预算".utf8)
            for keyLength in [0, 1, 32, 63, 64, 65, 200] {
                let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 13) }
                #expect(HMACSM3.authenticationCode(for: message, key: key) == reference(key, message))
            }
            let longKey = [UInt8](repeating: 0x61, count: 100)
            #expect(HMACSM3.authenticationCode(for: message, key: longKey)
                == HMACSM3.authenticationCode(for: message, key: SM3.hash(longKey)))
        }

        @Test("incremental updates equal one-shot; different keys give different codes")
        func incrementalAndKeys() {
            let message = [UInt8](repeating: 0x5A, count: 300)
            var mac = HMACSM3(key: [1, 2, 3])
            for chunk in stride(from: 0, to: message.count, by: 37) {
                mac.update(message[chunk..<min(chunk + 37, message.count)])
            }
            #expect(mac.finalize() == HMACSM3.authenticationCode(for: message, key: [1, 2, 3]))
            #expect(HMACSM3.authenticationCode(for: message, key: [1, 2, 3])
                != HMACSM3.authenticationCode(for: message, key: [1, 2, 4]))
        }

        @Test("constant-time comparison")
        func comparison() {
            #expect(HMACSM3.constantTimeEquals([1, 2, 3], [1, 2, 3]))
            #expect(!HMACSM3.constantTimeEquals([1, 2, 3], [1, 2, 4]))
            #expect(!HMACSM3.constantTimeEquals([1, 2, 3], [1, 2]))
            #expect(HMACSM3.constantTimeEquals([], []))
        }
    }
}
