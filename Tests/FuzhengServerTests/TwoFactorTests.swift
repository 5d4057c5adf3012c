import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Two factors for administrators")
struct TwoFactorTests {
    static func admins(_ config: inout AppConfig) { config.twoFactorRoles = [.systemAdmin, .securityAdmin, .auditAdmin] }

    /// The secret as the authenticator app holds it, read back from the sealed column with the test key.
    static func secret(_ app: Application, _ username: String) async throws -> [UInt8] {
        let user = try #require(try await UserQueries.find(username: username, on: app.db))
        let factor = try #require(try await TwoFactorStore.find(userID: user.requireID(), on: app.db))
        return try SecretBox(masterKey: testSecretKey).open(Array(try #require(Data(base64Encoded: factor.secretSealed))))
    }

    static func recoveryCodes(in html: String) -> [String] {
        html.components(separatedBy: "<li><code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
    }

    @Test("an administrator must enrol at first login, then logs in with password and code; a code works once")
    func enrolAndLogin() async throws {
        try await withFuzhengApp(configure: Self.admins) { app, clock in
            let admin = Browser(app)
            let first = try await admin.login("sysadmin")
            #expect(first.location == "/home")
            let home = try await admin.get("/home")
            #expect(home.status == .seeOther && home.location == "/account/2fa", "nothing else is open before enrolment")
            let page = try await admin.get("/account/2fa")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("双因素认证绑定二维码"))
            let totp = TOTP(secret: try await Self.secret(app, "sysadmin"))
            #expect(page.text.contains(String(Base32.encode(totp.secret).prefix(4))))
            let wrong = try await admin.post("/account/2fa", ["code": "000000"])
            #expect(wrong.status == .unprocessableEntity)
            let done = try await admin.post("/account/2fa", ["code": totp.code(at: clock.now)])
            #expect(done.status == .ok)
            let codes = Self.recoveryCodes(in: done.text)
            #expect(codes.count == 10)
            #expect(try await admin.get("/admin/users").status == .ok)

            // Next login: password, then code.
            clock.advance(by: 60)
            let next = Browser(app)
            let password = try await next.login("sysadmin")
            #expect(password.location == "/login/verify")
            #expect(try await next.get("/login/verify").status == .ok)
            #expect(try await next.get("/home").status == .seeOther, "no session before the code")
            let code = totp.code(at: clock.now)
            let ok = try await next.post("/login/verify", ["code": code])
            #expect(ok.status == .seeOther && ok.location == "/home")
            #expect(try await next.get("/admin/users").status == .ok)
            // The same code a second time, even in a fresh login, is refused (RFC 6238 §5.2).
            let replay = Browser(app)
            try await replay.login("sysadmin")
            try await replay.get("/login/verify")
            #expect(try await replay.post("/login/verify", ["code": code]).status == .unauthorized)
            // A recovery code works once.
            #expect(try await replay.post("/login/verify", ["code": codes[0].lowercased()]).status == .seeOther)
            let again = Browser(app)
            try await again.login("sysadmin")
            try await again.get("/login/verify")
            #expect(try await again.post("/login/verify", ["code": codes[0]]).status == .unauthorized)
            let audit = try await auditRecords(app, action: .loginSuccess).map { $0.summary ?? "" }
            #expect(audit.contains("password and totp") && audit.contains("password and recovery code"))
        }
    }

    @Test("a code held back for more than five minutes, or a wrong one, gets no session")
    func pendingExpires() async throws {
        try await withFuzhengApp(configure: Self.admins) { app, clock in
            let admin = Browser(app)
            try await admin.login("secadmin")
            try await admin.get("/account/2fa")
            let totp = TOTP(secret: try await Self.secret(app, "secadmin"))
            try await admin.post("/account/2fa", ["code": totp.code(at: clock.now)])
            clock.advance(by: 60)
            let late = Browser(app)
            try await late.login("secadmin")
            try await late.get("/login/verify")
            clock.advance(by: 6 * 60)
            let expired = try await late.post("/login/verify", ["code": totp.code(at: clock.now)])
            #expect(expired.location?.hasPrefix("/login") == true)
            #expect(try await late.get("/security").status == .seeOther)
            #expect(try await auditRecords(app, action: .loginFailure).isEmpty)
            let wrong = Browser(app)
            try await wrong.login("secadmin")
            try await wrong.get("/login/verify")
            #expect(try await wrong.post("/login/verify", ["code": "123456"]).status == .unauthorized)
            #expect(try await auditRecords(app, action: .loginFailure).count == 1)
        }
    }

    @Test("other roles may log in with a password; `security reset-2fa` removes a factor, audited")
    func othersAndReset() async throws {
        try await withFuzhengApp(configure: Self.admins) { app, clock in
            let caiwu = Browser(app)
            #expect(try await caiwu.login("caiwu").location == "/home")
            #expect(try await caiwu.get("/home").status == .ok)
            let admin = Browser(app)
            try await admin.login("auditadmin")
            try await admin.get("/account/2fa")
            let totp = TOTP(secret: try await Self.secret(app, "auditadmin"))
            try await admin.post("/account/2fa", ["code": totp.code(at: clock.now)])
            #expect(try await TwoFactorController.reset(username: "auditadmin", on: app))
            #expect(try await TwoFactorController.reset(username: "auditadmin", on: app) == false)
            #expect(try await auditRecords(app, action: .delete).contains { $0.objectType == "two_factor" })
            // Without a factor the administrator is sent to enrol again.
            let back = Browser(app)
            try await back.login("auditadmin")
            #expect(try await back.get("/audit").location == "/account/2fa")
        }
    }

    @Test("without a key outside demo mode the platform does not start; a malformed key is named")
    func keyRequired() throws {
        #expect(throws: AppConfig.Error.self) { try AppConfig.fromEnvironment(["FUZHENG_SECRET_KEY": "abc"]) }
        let key = String(repeating: "ab", count: 32)
        #expect(try AppConfig.fromEnvironment(["FUZHENG_SECRET_KEY": key]).secretKey == [UInt8](repeating: 0xAB, count: 32))
        #expect(try AppConfig.fromEnvironment([:]).twoFactorRoles == [.systemAdmin, .securityAdmin, .auditAdmin])
        #expect(try AppConfig.fromEnvironment(["FUZHENG_2FA_ROLES": "unit_head"]).twoFactorRoles.contains(.unitHead))
    }
}
