import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Who may see and change what")
struct AccessControlTests {
    @Test("a 单位财务 of another unit gets a plain 403 page on unit 434001's data, and the denial is audited")
    func otherUnitFinance() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.login("caiwu2")
            let response = try await browser.get("/units/434001")
            #expect(response.status == .forbidden)
            #expect(response.text.contains("您没有权限访问此页面"))
            #expect(!response.text.contains("政府办公室主要负责协调"))
            let denials = try await auditRecords(app, action: .accessDenied)
            #expect(denials.count == 1)
            #expect(denials.first?.username == "caiwu2")
            #expect(denials.first?.objectID == "/units/434001")
            #expect(denials.first?.result == "denied")
            // Their own unit is open to them.
            #expect(try await browser.get("/units/436001").status == .ok)
        }
    }

    @Test("the unit's own staff and the finance bureau can open unit 434001")
    func allowedReaders() async throws {
        try await withFuzhengApp { app, _ in
            for username in ["caiwu", "fuzeren", "bangong", "lingdao", "shenhe"] {
                let browser = Browser(app)
                try await browser.login(username)
                #expect(try await browser.get("/units/434001").status == .ok, "\(username)")
            }
        }
    }

    @Test("审计管理员 cannot open business data; 系统管理员 cannot open the audit log")
    func separationOfDuties() async throws {
        try await withFuzhengApp { app, _ in
            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            #expect(try await auditor.get("/units/434001").status == .forbidden)
            #expect(try await auditor.get("/units").status == .forbidden)
            #expect(try await auditor.get("/admin/users").status == .forbidden)
            #expect(try await auditor.get("/audit").status == .ok)

            let sysadmin = Browser(app)
            try await sysadmin.login("sysadmin")
            #expect(try await sysadmin.get("/audit").status == .forbidden)
            #expect(try await sysadmin.get("/audit/export.csv").status == .forbidden)
            #expect(try await sysadmin.get("/units/434001").status == .forbidden)
            #expect(try await sysadmin.get("/security").status == .forbidden)
            #expect(try await sysadmin.get("/admin/users").status == .ok)

            let secadmin = Browser(app)
            try await secadmin.login("secadmin")
            #expect(try await secadmin.get("/audit").status == .forbidden)
            #expect(try await secadmin.get("/admin/units").status == .forbidden)
            #expect(try await secadmin.get("/security").status == .ok)
        }
    }

    @Test("navigation shows each role only the modules it may open")
    func navigation() async throws {
        try await withFuzhengApp { app, _ in
            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            let home = try await auditor.get("/home").text
            #expect(home.contains(#"href="/audit""#))
            #expect(!home.contains(#"href="/admin/users""#))
            #expect(!home.contains(#"href="/units/434001""#))
        }
    }
}

@Suite("CSRF protection")
struct CSRFTests {
    @Test("a POST without a valid token is rejected with 403 and audited")
    func rejectsMissingOrWrongToken() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            try await browser.login("sysadmin")
            let missing = try await browser.post("/admin/units/new", ["code": "434002", "name": "x"], withCSRF: false)
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("表单已过期或无效"))
            let wrong = try await browser.post("/logout", ["_csrf": "00ff"])
            #expect(wrong.status == .forbidden)
            #expect(try await auditRecords(app, action: .csrfRejected).count == 2)
            // Still logged in: the forged logout did nothing.
            #expect(try await browser.get("/home").status == .ok)
        }
    }

    @Test("the login form itself needs the token its page issued")
    func loginNeedsToken() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            let response = try await browser.post("/login", ["username": "caiwu", "password": demoPassword], withCSRF: false)
            #expect(response.status == .forbidden)
        }
    }
}
