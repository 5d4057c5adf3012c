import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("系统管理员 manages units and users; 安全管理员 unlocks and resets")
struct AdministrationTests {
    @Test("a malformed unit form comes back with each field marked and the input kept; nothing is saved")
    func unitValidation() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await admin.get("/admin/units/new")
            let response = try await admin.post("/admin/units/new", [
                "departmentCode": "434", "code": "999", "name": "新单位名称", "nature": "行政", "grade": "正科级",
                "fundingForm": "财政拨款（行政）",
            ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("单位代码应为6位数字"))
            #expect(response.text.contains(#"value="新单位名称""#))
            #expect(response.text.contains(#"value="999""#))
            #expect(try await UnitModel.query(on: app.db).count() == 5)

            let duplicate = try await admin.post("/admin/units/new", [
                "departmentCode": "434", "code": "434001", "name": "重复", "nature": "行政", "grade": "正科级",
                "fundingForm": "财政拨款（行政）",
            ])
            #expect(duplicate.text.contains("该单位代码已存在"))
        }
    }

    @Test("a unit is added, listed, found by search, edited and deactivated after confirmation")
    func unitLifecycle() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await admin.get("/admin/units/new")
            let created = try await admin.post("/admin/units/new", [
                "departmentCode": "434", "code": "434002", "name": "怀来县应急值守中心（测试）", "nature": "事业",
                "grade": "股级", "fundingForm": "财政补助", "duties": "承担值守应急", "setup": "",
            ])
            #expect(created.status == .seeOther)
            let list = try await admin.get("/admin/units?q=值守")
            #expect(list.text.contains("434002"))
            #expect(list.text.contains("已保存"))
            #expect(!list.text.contains(">434001<"))

            let confirm = try await admin.get("/admin/units/434002/activation")
            #expect(confirm.text.contains("确定停用单位 434002"))
            try await admin.post("/admin/units/434002/activation")
            let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434002").first())
            #expect(!unit.isActive)
            #expect(try await Browser(app).get("/public/units/434002").status == .notFound)
        }
    }

    @Test("a new user gets an initial password, must change it at first login, and sees only their unit")
    func userLifecycle() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await admin.get("/admin/users/new")
            let weak = try await admin.post("/admin/users/new", [
                "username": "Zhou", "displayName": "周会计", "role": "unit_finance", "unitCode": "436001",
                    "initialPassword": "123",
            ])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("至少8位"))
            #expect(weak.text.contains(#"value="周会计""#))

            let created = try await admin.post("/admin/users/new", [
                "username": "Zhou", "displayName": "周会计", "role": "unit_finance", "unitCode": "436001",
                "initialPassword": "Start#2024",
            ])
            #expect(created.status == .seeOther)
            let taken = try await admin.post("/admin/users/new", [
                "username": "zhou", "displayName": "另一个", "role": "leader", "unitCode": "436001",
                    "initialPassword": "Start#2024",
            ])
            #expect(taken.text.contains("该用户名已被使用"))

            let zhou = Browser(app)
            try await zhou.login("zhou", "Start#2024")
            #expect(try await zhou.get("/home").location == "/account/password")
            try await zhou.get("/account/password")
            try await zhou.post("/account/password", ["current": "Start#2024", "new": "Mine#2024x",
                "confirm": "Mine#2024x"])
            #expect(try await zhou.get("/units/436001").status == .ok)
            #expect(try await zhou.get("/units/434001").status == .forbidden)

            try await admin.get("/admin/users/zhou/activation")
            try await admin.post("/admin/users/zhou/activation")
            #expect(try await Browser(app).login("zhou", "Mine#2024x").status == .unauthorized)
            // The deactivated user's open session ends too.
            #expect(try await zhou.get("/home").status == .seeOther)
        }
    }

    @Test("安全管理员 unlocks a locked account and resets a password, which must then be changed")
    func securityAdministration() async throws {
        try await withFuzhengApp { app, _ in
            for _ in 1...5 { try await Browser(app).login("bangong", "Wrong@2023") }
            let sec = Browser(app)
            try await sec.login("secadmin")
            let page = try await sec.get("/security?q=bangong")
            #expect(page.text.contains("已锁定"))
            try await sec.post("/security/users/bangong/unlock")
            #expect(try await Browser(app).login("bangong").status == .seeOther)

            try await sec.get("/security/users/bangong/reset")
            let reset = try await sec.post("/security/users/bangong/reset", ["password": "Temp#2024a"])
            #expect(reset.status == .seeOther)
            let user = Browser(app)
            try await user.login("bangong", "Temp#2024a")
            #expect(try await user.get("/home").location == "/account/password")
            #expect(try await auditRecords(app, action: .accountUnlock).count == 1)
            #expect(try await auditRecords(app, action: .passwordReset).count == 1)
        }
    }

    @Test("a failed change leaves no half-saved rows and no audit record of success")
    func atomicity() async throws {
        try await withFuzhengApp { app, _ in
            let before = try await auditRecords(app).count
            await #expect(throws: (any Error).self) {
                try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                    let dept = try #require(try await DepartmentModel.query(on: tx).first())
                    try await UnitModel(code: "434009", name: "临时", departmentID: dept.requireID(), nature: "行政",
                                        grade: "股级", fundingForm: "财政补助", duties: "", setup: "").create(on: tx)
                    audit.add(AuditEvent(.create, objectType: "unit", objectID: "434009"))
                    struct Boom: Error {}
                    throw Boom()
                }
            }
            #expect(try await UnitModel.query(on: app.db).filter(\.$code == "434009").count() == 0)
            #expect(try await auditRecords(app).count == before)
        }
    }
}

@Suite("机构与行文方向: the bodies page")
struct BodiesPageTests {
    @Test("the 系统管理员 sees the demo county's bodies by level and the direction between two; others are refused")
    func bodiesPage() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            var page = try await admin.get("/admin/bodies")
            #expect(page.text.contains("怀来县人民政府办公室"))
            page = try await admin.get("/admin/bodies?from=434-WD&to=XZF")
            #expect(page.text.contains("文电科 → 怀来县人民政府：上行文"))
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            #expect(try await caiwu.get("/admin/bodies").status == .forbidden)
            #expect(try await BodyModel.query(on: app.db).count() >= 20)
        }
    }
}
