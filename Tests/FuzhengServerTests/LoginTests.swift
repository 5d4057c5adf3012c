import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Logging in and out")
struct LoginTests {
    @Test("every demo account logs in and lands on its role's home page")
    func everyDemoRole() async throws {
        try await withFuzhengApp { app, _ in
            let seed = try DemoSeeder.demoSeed()
            #expect(Set(seed.accounts.flatMap { $0.assignments.map(\.role) }) == Set(Role.allCases))
            for account in seed.accounts {
                let browser = Browser(app)
                let login = try await browser.login(account.username)
                #expect(login.status == .seeOther, "\(account.username)")
                #expect(login.location == "/home")
                let home = try await browser.get("/home")
                #expect(home.status == .ok)
                #expect(home.text.contains(Localizer.shared.text(account.role.labelKey, .zh))
                        || account.title.map { home.text.contains($0) } ?? false)
                #expect(home.text.contains(account.displayName))
            }
        }
    }

    @Test("public pages work without login; private pages send the visitor to the login page")
    func publicAndPrivate() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            #expect(try await browser.get("/").status == .ok)
            let unit = try await browser.get("/public/units/434001")
            #expect(unit.status == .ok)
            #expect(unit.text.contains("政府办公室主要负责协调县政府各部门工作"))
            let home = try await browser.get("/home")
            #expect(home.status == .seeOther)
            #expect(home.location?.hasPrefix("/login?next=/home") == true)
        }
    }

    @Test("a wrong password is refused with a message and the username kept")
    func wrongPassword() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            let response = try await browser.login("caiwu", "Wrong@2023")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("用户名或密码错误"))
            #expect(response.text.contains(#"value="caiwu""#))
        }
    }

    @Test("empty fields come back marked, with the input kept")
    func emptyFields() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.get("/login")
            let response = try await browser.post("/login", ["username": "caiwu", "password": ""])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("field has-error"))
            #expect(response.text.contains("请输入密码"))
            #expect(response.text.contains(#"value="caiwu""#))
        }
    }

    @Test("five consecutive failures lock the account for 15 minutes, even against the right password")
    func lockout() async throws {
        try await withFuzhengApp { app, clock in
            let browser = Browser(app)
            for _ in 1...4 {
                let response = try await browser.login("caiwu", "Wrong@2023")
                #expect(response.text.contains("再错"))
            }
            let fifth = try await browser.login("caiwu", "Wrong@2023")
            #expect(fifth.text.contains("已被锁定"))
            let right = try await browser.login("caiwu")
            #expect(right.status == .unauthorized)
            #expect(right.text.contains("已被锁定"))
            #expect(try await auditRecords(app, action: .lockout).count == 1)

            clock.advance(by: 15 * 60 + 1)
            let later = try await Browser(app).login("caiwu")
            #expect(later.status == .seeOther)
        }
    }

    @Test("an idle session ends after 30 minutes and the user is told why")
    func idleTimeout() async throws {
        try await withFuzhengApp { app, clock in
            let browser = Browser(app)
            try await browser.login("caiwu")
            clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok)
            clock.advance(by: 30 * 60 + 1)
            let expired = try await browser.get("/home")
            #expect(expired.status == .seeOther)
            #expect(expired.location?.contains("expired=1") == true)
            let login = try await browser.get(expired.location ?? "/login")
            #expect(login.text.contains("长时间未操作"))
            let timeouts = try await auditRecords(app, action: .sessionTimeout)
            #expect(timeouts.count == 1, "\(timeouts.map(\.summary))")
        }
    }

    @Test("the idle timeout is configurable")
    func idleTimeoutConfigurable() async throws {
        try await withFuzhengApp(configure: { $0.session.idleTimeout = 5 * 60 }) { app, clock in
            let browser = Browser(app)
            try await browser.login("caiwu")
            clock.advance(by: 5 * 60 + 1)
            #expect(try await browser.get("/home").status == .seeOther)
        }
    }

    @Test("logging out ends the session")
    func logout() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.login("caiwu")
            try await browser.get("/home")
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther)
            #expect(try await browser.get("/home").status == .seeOther)
            #expect(try await auditRecords(app, action: .logout).count == 1)
        }
    }

    @Test("the session id changes at login (no session fixation)")
    func sessionRotation() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.get("/login")
            let before = browser.cookies["fz_session"]
            #expect(before != nil)
            try await browser.post("/login", ["username": "caiwu", "password": demoPassword])
            #expect(browser.cookies["fz_session"] != nil)
            #expect(browser.cookies["fz_session"] != before)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Lax, and Secure when configured")
    func cookieFlags() async throws {
        try await withFuzhengApp { app, _ in
            let response = try await Browser(app).get("/login")
            let header = response.headers[.setCookie].joined(separator: "\n")
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(!header.contains("Secure"))
        }
        try await withFuzhengApp(configure: { $0.secureCookies = true }) { app, _ in
            let response = try await Browser(app).get("/login")
            #expect(response.headers[.setCookie].joined().contains("Secure"))
        }
    }

    @Test("a login form's next= may only point inside the site")
    func noOpenRedirect() {
        #expect(RedirectPolicy.sameOriginPath("/units/434001") == "/units/434001")
        #expect(RedirectPolicy.sameOriginPath("//evil.example") == nil)
        #expect(RedirectPolicy.sameOriginPath("https://evil.example") == nil)
    }
}

@Suite("Passwords that must change")
struct PasswordChangeTests {
    @Test("outside demo mode a demo account must change its published password at first login")
    func firstLoginOutsideDemoMode() async throws {
        try await withFuzhengApp(configure: { $0.demoMode = false }) { app, _ in
            let browser = Browser(app)
            try await browser.login("caiwu")
            let home = try await browser.get("/home")
            #expect(home.status == .seeOther)
            #expect(home.location == "/account/password")
            #expect(try await browser.get("/units/434001").location == "/account/password")

            try await browser.get("/account/password")
            let weak = try await browser.post("/account/password", ["current": demoPassword, "new": "short",
                "confirm": "short"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("至少8位"))
            let same = try await browser.post("/account/password", ["current": demoPassword, "new": demoPassword,
                "confirm": demoPassword])
            #expect(same.text.contains("不能与当前密码相同"))
            let changed = try await browser.post("/account/password", ["current": demoPassword, "new": "Huailai#2024",
                "confirm": "Huailai#2024"])
            #expect(changed.status == .seeOther)
            #expect(try await browser.get("/home").status == .ok)
            #expect(try await auditRecords(app, action: .passwordChange).count == 1)
            // The old password no longer works.
            #expect(try await Browser(app).login("caiwu").status == .unauthorized)
            #expect(try await Browser(app).login("caiwu", "Huailai#2024").status == .seeOther)
        }
    }

    @Test("a password older than 90 days must be changed")
    func expiry() async throws {
        try await withFuzhengApp { app, clock in
            clock.advance(by: 91 * 86_400)
            let browser = Browser(app)
            try await browser.login("lingdao")
            #expect(try await browser.get("/home").location == "/account/password")
        }
    }
}
