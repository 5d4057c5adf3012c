import Foundation
import FuzhengCore
import Testing

@Suite("TOTP, client addresses and login throttling")
struct LoginSecurityTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("SHA-1 and HMAC-SHA-1 known answers (FIPS 180-4, RFC 2202)")
    func sha1() {
        #expect(Self.hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Self.hex(SHA1.hash([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Self.hex(SHA1.hash(long)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(Self.hex(SHA1.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(Self.hex(SHA1.hmac(key: [UInt8](repeating: 0xAA, count: 80),
                                   message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    @Test("RFC 6238 Appendix B vectors (SHA-1, 8 digits)", arguments: [
        (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func rfc6238(_ time: Double, _ code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: time)) == code)
    }

    @Test("a code is accepted once, within one step of drift, and never an older one")
    func replay() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let code = totp.code(at: now)
        let step = try! #require(totp.verify(code, at: now, lastUsedStep: nil))
        #expect(totp.verify(code, at: now, lastUsedStep: step) == nil, "the same code twice")
        #expect(totp.verify(totp.code(at: now.addingTimeInterval(-30)), at: now, lastUsedStep: step) == nil)
        #expect(totp.verify(totp.code(at: now.addingTimeInterval(30)), at: now, lastUsedStep: step) == step + 1)
        #expect(totp.verify(totp.code(at: now.addingTimeInterval(-90)), at: now, lastUsedStep: nil) == nil)
        #expect(totp.verify("12345", at: now, lastUsedStep: nil) == nil)
        #expect(totp.verify("abcdef", at: now, lastUsedStep: nil) == nil)
    }

    @Test("base32 (RFC 4648 vectors) and the provisioning URI")
    func base32() {
        for (plain, encoded) in [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
                                 ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")] {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("MZ1") == nil)
        let uri = TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(account: "sysadmin", issuer: "辅政")
        #expect(uri.hasPrefix("otpauth://totp/%E8%BE%85%E6%94%BF:sysadmin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"))
    }

    @Test("recovery codes: ten, distinct, stored as digests that ignore case and dashes")
    func recovery() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 11 && $0.dropFirst(5).first == "-" })
        #expect(RecoveryCodes.digest(codes[0]) == RecoveryCodes.digest(codes[0].lowercased().replacingOccurrences(of: "-", with: "")))
        #expect(RecoveryCodes.digest(codes[0]) != RecoveryCodes.digest(codes[1]))
    }

    @Test("X-Forwarded-For is believed only as far as our own proxies appended it")
    func clientAddress() {
        let proxies = ["10.0.0.5", "172.16.0.0/12"]
        // Direct connection: the header is ignored whatever it says.
        #expect(ClientAddress.resolve(socket: "198.51.100.9", forwardedFor: ["1.2.3.4"], trustedProxies: proxies)
                == "198.51.100.9")
        #expect(ClientAddress.resolve(socket: "198.51.100.9", forwardedFor: ["1.2.3.4"], trustedProxies: [])
                == "198.51.100.9")
        // Through our proxy: the right-most address that is not ours; a forged left-most entry is skipped.
        #expect(ClientAddress.resolve(socket: "10.0.0.5", forwardedFor: ["6.6.6.6, 203.0.113.7"], trustedProxies: proxies)
                == "203.0.113.7")
        #expect(ClientAddress.resolve(socket: "10.0.0.5", forwardedFor: ["6.6.6.6", "203.0.113.7, 172.20.1.1"],
                                      trustedProxies: proxies) == "203.0.113.7")
        // Garbage is not written into the audit trail.
        #expect(ClientAddress.resolve(socket: "10.0.0.5", forwardedFor: ["<script>"], trustedProxies: proxies) == nil)
        #expect(ClientAddress.resolve(socket: "10.0.0.5", forwardedFor: [], trustedProxies: proxies) == "10.0.0.5")
        #expect(ClientAddress.parseProxies("10.0.0.5, 172.16.0.0/12") == ["10.0.0.5", "172.16.0.0/12"])
        #expect(ClientAddress.parseProxies("false") == [])
        #expect(ClientAddress.parseProxies("true") == nil)
        #expect(ClientAddress.parseProxies("10.0.0.0/33") == nil)
    }

    @Test("throttling: strict per account and address, generous per address, windows slide")
    func throttle() {
        var t = LoginThrottle(limits: .init(perAccount: 3, perAddress: 5, window: 60))
        let start = Date(timeIntervalSince1970: 0)
        for i in 0..<3 { #expect(t.attempt(address: "a", username: "u", at: start.addingTimeInterval(Double(i))) == .allowed) }
        guard case .tooManyForAccount = t.attempt(address: "a", username: "u", at: start.addingTimeInterval(3)) else {
            Issue.record("the fourth try at one account was allowed"); return
        }
        // Another account from the same address, and the same account from elsewhere, still go through.
        #expect(t.attempt(address: "a", username: "v", at: start.addingTimeInterval(4)) == .allowed)
        #expect(t.attempt(address: "b", username: "u", at: start.addingTimeInterval(4)) == .allowed)
        #expect(t.attempt(address: "a", username: "w", at: start.addingTimeInterval(5)) == .allowed)
        guard case .tooManyFromAddress = t.attempt(address: "a", username: "x", at: start.addingTimeInterval(6)) else {
            Issue.record("the address limit did not hold"); return
        }
        #expect(t.attempt(address: "a", username: "u", at: start.addingTimeInterval(61)) == .allowed)
        t.prune(at: start.addingTimeInterval(1_000))
        #expect(t.trackedKeys == 0)
    }
}
