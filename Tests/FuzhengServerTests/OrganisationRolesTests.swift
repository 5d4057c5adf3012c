import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("People with several roles, 分管, delegation and the people import")
struct OrganisationRolesTests {
    static func roleForm(_ user: UserModel, roles: [(String, String, String)]) -> [String: String] {
        var form = ["displayName": user.displayName, "unitCode": user.unit.code, "title": user.title ?? "",
                    "sectionCode": user.sectionCode ?? ""]
        for (i, row) in roles.enumerated() {
            form["role\(i)"] = row.0
            form["scope\(i)"] = row.1
            form["units\(i)"] = row.2
        }
        return form
    }

    @Test("三员分立: an administrator is never given a business role, nor a business account an administrator's; refusals are audited")
    func administratorsHoldNoBusinessRole() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let sys = try #require(try await UserQueries.find(username: "secadmin", on: app.db))
            try await admin.get("/admin/users/secadmin/edit")
            let refused = try await admin.post("/admin/users/secadmin/edit", Self.roleForm(sys, roles: [
                ("security_admin", "", ""), ("unit_finance", "unit", "")]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("三员分立"))
            let reloaded = try #require(try await UserQueries.find(username: "secadmin", on: app.db))
            #expect(reloaded.assignments == [RoleAssignment(role: .securityAdmin)])

            let bangong = try #require(try await UserQueries.find(username: "bangong", on: app.db))
            let mixed = try await admin.post("/admin/users/bangong/edit", Self.roleForm(bangong, roles: [
                ("office_staff", "", ""), ("audit_admin", "", "")]))
            #expect(mixed.status == .unprocessableEntity)
            let failures = try await auditRecords(app, action: .update).filter { $0.result == "failure" }
            #expect(failures.contains { $0.objectID == "secadmin" && ($0.summary ?? "").contains("adminExclusive") })
            #expect(failures.contains { $0.objectID == "bangong" })
        }
    }

    @Test("a second role with its own scope is saved, audited, and takes effect at the next request")
    func secondRole() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let bangong = try #require(try await UserQueries.find(username: "bangong", on: app.db))
            try await admin.get("/admin/users/bangong/edit")
            let saved = try await admin.post("/admin/users/bangong/edit", Self.roleForm(bangong, roles: [
                ("office_staff", "", ""), ("leader", "units", "436")]))
            #expect(saved.status == .seeOther)
            let user = try #require(try await UserQueries.find(username: "bangong", on: app.db))
            #expect(user.assignments == [RoleAssignment(role: .officeStaff),
                                         RoleAssignment(role: .leader, scope: .units, units: ["436"])])
            #expect(user.roleRaw == "office_staff")
            let audit = try #require(try await auditRecords(app, action: .update).last { $0.objectID == "bangong" })
            #expect((audit.summary ?? "").contains("leader:units=436"))
            let b = Browser(app)
            try await b.login("bangong")
            #expect(try await b.get("/units/436001").status == .ok)
            #expect(try await b.get("/units/437001").status == .forbidden)
            let list = try await admin.get("/admin/users?q=bangong")
            #expect(list.text.contains("办公人员、领导"))
        }
    }

    @Test("a 副县长 sees the units they 分管 and no others; a person without 分管 is refused, audited")
    func oversight() async throws {
        try await withFuzhengApp { app, _ in
            let vice = Browser(app)
            try await vice.login("fxz1")
            let page = try await vice.get("/oversight")
            #expect(page.status == .ok)
            #expect(page.text.contains("436001") && page.text.contains("437001"))
            #expect(!page.text.contains("434001 ") && !page.text.contains("438001"))
            #expect(try await vice.get("/units/437001").status == .ok)
            #expect(try await vice.get("/units/438001").status == .forbidden)
            let home = try await vice.get("/home")
            #expect(home.text.contains(#"href="/oversight""#))
            #expect(home.text.contains("分管：怀来县财政局（演示）、怀来县教育局（演示）"))
            #expect(home.text.contains(#"id="work-budget-overseen""#))
            let county = Browser(app)
            try await county.login("lingdao")
            let all = try await county.get("/oversight")
            #expect(all.text.contains("438001") && all.text.contains("434001"))
            let clerk = Browser(app)
            try await clerk.login("caiwu")
            #expect(try await clerk.get("/oversight").status == .forbidden)
            #expect(try await auditRecords(app, action: .accessDenied).contains { $0.objectID == "/oversight" })
        }
    }

    @Test("delegation: the deputy acts in their own name marked 代, both see it, every act is audited, it ends by itself")
    func delegation() async throws {
        try await withFuzhengApp { app, clock in
            let caiwu = try await PreparationTests.create2024(app)
            try await ApprovalTests.step(caiwu, app, "submit")
            let head = Browser(app)
            try await head.login("fuzeren")
            try await head.get("/account/delegations")
            let today = DelegationController.day(clock.now)
            let end = DelegationController.day(clock.now.addingTimeInterval(2 * 86_400))
            let bad = try await head.post("/account/delegations", ["deputy": "fuzeren", "starts": today, "ends": end])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("不能委托自己"))
            let toAdmin = try await head.post("/account/delegations", ["deputy": "sysadmin", "starts": today,
                                                                       "ends": end])
            #expect(toAdmin.status == .unprocessableEntity)
            let made = try await head.post("/account/delegations", ["deputy": "bangong", "starts": today, "ends": end,
                                                                    "reason": "赴省参加培训"])
            #expect(made.status == .seeOther)
            #expect(try await head.get("/account/delegations").text.contains("张秘书（bangong）"))
            #expect(try await head.get("/home").text.contains("代理您的人：张秘书"))

            let deputy = Browser(app)
            try await deputy.login("bangong")
            let home = try await deputy.get("/home")
            #expect(home.text.contains("您正在代理：李主任"))
            #expect(try await deputy.get("/account/delegations").text.contains("李主任（fuzeren）"))
            let inbox = try await deputy.get("/inbox")
            #expect(inbox.text.contains("委托您代理"))
            // A step that waits for the head now also reaches the one acting for them.
            try await ApprovalTests.step(caiwu, app, "withdraw")
            try await ApprovalTests.step(caiwu, app, "submit")
            #expect(try await deputy.get("/inbox").text.contains("部门预算（已提交）等待您处理"))
            // The deputy approves for the head: the step is theirs, marked 代 in the history and the audit trail.
            let approved = try await ApprovalTests.step(deputy, app, "unit_approve")
            #expect(approved.status == .seeOther)
            let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(budget.status == .unitApproved)
            let event = try #require(try await BudgetEventModel.query(on: app.db)
                .filter(\.$budget.$id == model.requireID()).sort(\.$at).all().last)
            #expect(event.username == "bangong")
            #expect(event.displayName == "张秘书（代 李主任）")
            let records = try await auditRecords(app).filter { $0.username == "bangong" }
            #expect(records.contains { ($0.summary ?? "").hasPrefix("［代 李主任（fuzeren）］") })
            #expect(try await auditRecords(app, action: .create).contains { $0.objectType == "delegation" })

            // Two days later it has ended by itself: the banner is gone and the head's steps are refused.
            clock.advance(by: 3 * 86_400)
            let later = Browser(app)
            try await later.login("bangong")
            #expect(!(try await later.get("/home").text.contains("您正在代理")))
            #expect(try await later.get("/account/delegations").text.contains("已到期"))
            #expect(try await later.get("/units/434001/budgets/2024").text.contains("unit_approve") == false)
        }
    }

    @Test("a delegation ended early by either side stops at once and tells the other")
    func revoke() async throws {
        try await withFuzhengApp { app, clock in
            let vice = Browser(app)
            try await vice.login("fxz1")
            try await vice.get("/account/delegations")
            try await vice.post("/account/delegations", ["deputy": "bangong",
                "starts": DelegationController.day(clock.now),
                                                         "ends": DelegationController.day(clock.now), "units": "437"])
            let deputy = Browser(app)
            try await deputy.login("bangong")
            #expect(try await deputy.get("/units/437001").status == .ok)
            #expect(try await deputy.get("/units/436001").status == .forbidden)
            // Acting for a 副县长, the deputy finds the units they look after where the leader would.
            let overseen = try await deputy.get("/oversight")
            #expect(overseen.status == .ok && overseen.text.contains("437001") && !overseen.text.contains("436001"))
            let row = try #require(try await DelegationModel.query(on: app.db).first())
            try await deputy.get("/account/delegations")
            #expect(try await deputy.post("/account/delegations/\(row.requireID())/revoke").status == .seeOther)
            #expect(try await deputy.get("/units/437001").status == .forbidden)
            let intruder = Browser(app)
            try await intruder.login("caiwu")
            try await intruder.get("/account/delegations")
            #expect(try await intruder.post("/account/delegations/\(row.requireID())/revoke").status == .notFound)
        }
    }

    static let goodCSV = """
        用户名,姓名,单位代码,角色,科室,职务,状态
        zhouws,周文书,434001,文书（本科室）；信息员,文电科,科员,在职
        wufxz,吴新副县长,434001,领导（分管：436、438）,,副县长,
        caiwu2,陈会计,434001,单位财务,,,
        """

    static func importFile(_ b: Browser, _ csv: String, name: String = "人员.csv") async throws -> TestingHTTPResponse {
        try await b.get("/admin/users/import")
        return try await b.upload("/admin/users/import", file: Data(csv.utf8), name: name)
    }

    static func confirmPreview(_ b: Browser, _ preview: TestingHTTPResponse, deliver: String = "page") async throws
        -> TestingHTTPResponse {
        func hidden(_ name: String) -> String {
            preview.text.firstMatch(of: try! Regex("name=\"\(name)\" value=\"([^\"]*)\""))
                .map { String($0.output[1].substring ?? "") } ?? ""
        }
        return try await b.post("/admin/users/import/confirm", ["digest": hidden("digest"),
            "fileName": hidden("fileName"),
                                                                 "fingerprint": hidden("fingerprint"),
                                                                     "deliver": deliver])
    }

    @Test("import: a good file previews, then creates and moves people in one go; first passwords are shown once")
    func importGood() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let preview = try await Self.importFile(admin, Self.goodCSV)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("新建人员 2 人，修改 1 人"))
            #expect(preview.text.contains("单位 436001 → 434001"))
            #expect(try await UserQueries.find(username: "zhouws", on: app.db) == nil)
            let done = try await Self.confirmPreview(admin, preview)
            #expect(done.status == .ok)
            #expect(done.text.contains("初始密码只显示这一次"))
            let zhou = try #require(try await UserQueries.find(username: "zhouws", on: app.db))
            #expect(zhou.assignments == [RoleAssignment(role: .clerk, scope: .section),
                                         RoleAssignment(role: .informationOfficer)])
            #expect(zhou.sectionCode == "434-WD" && zhou.mustChangePassword)
            let password = try #require(done.text.firstMatch(of: /<td class="password">([^<]+)<\/td>/)).1
            let first = Browser(app)
            #expect(try await first.login("zhouws", String(password)).status == .seeOther)
            #expect(try await first.get("/home").location == "/account/password")
            #expect(try #require(try await UserQueries.find(username: "caiwu2", on: app.db)).unit.code == "434001")
            let audits = try await auditRecords(app).filter { ($0.summary ?? "").contains("import (file sm3") }
            #expect(audits.count == 3)
            // The same file again changes nothing.
            let again = try await Self.importFile(admin, Self.goodCSV)
            #expect(again.text.contains("新建人员 0 人，修改 0 人"))
            #expect(!again.text.contains("/admin/users/import/confirm"))
        }
    }

    @Test("import: a re-import moves a person, gives a new role and deactivates a leaver, never deleting")
    func reimport() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await Self.confirmPreview(admin, try await Self.importFile(admin, Self.goodCSV))
            let users = try await UserModel.query(on: app.db).count()
            let second = """
                姓名,用户名,单位代码,角色,状态
                周文书,zhouws,436001,单位财务；信息员,在职
                张秘书,bangong,434001,办公人员,离职
                """
            let preview = try await Self.importFile(admin, second, name: "调整.csv")
            #expect(preview.text.contains("修改 2 人"))
            let csv = try await Self.confirmPreview(admin, preview, deliver: "csv")
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let zhou = try #require(try await UserQueries.find(username: "zhouws", on: app.db))
            #expect(zhou.unit.code == "436001" && zhou.assignments.map(\.role) == [.unitFinance, .informationOfficer])
            let bangong = try #require(try await UserQueries.find(username: "bangong", on: app.db))
            #expect(!bangong.isActive)
            #expect(try await UserModel.query(on: app.db).count() == users)
        }
    }

    @Test("import: a broken cell is named by file, row, column and field, and nothing at all is saved")
    func importBroken() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let users = try await UserModel.query(on: app.db).count()
            let broken = Self.goodCSV + "\nbadrole,某人,434001,厨师,,,\n"
            let preview = try await Self.importFile(admin, broken, name: "名单.csv")
            #expect(preview.status == .unprocessableEntity)
            #expect(preview.text.contains("文件“名单.csv”第 5 行 D 列〔角色〕"))
            #expect(!preview.text.contains("/admin/users/import/confirm"))
            // A forged confirmation of the broken file saves nothing either.
            let digest = FileStore.digest(of: Data(broken.utf8))
            let forged = try await admin.post("/admin/users/import/confirm", ["digest": digest, "fileName": "名单.csv",
                                                                               "fingerprint": "x"])
            #expect(forged.status == .seeOther)
            #expect(try await UserModel.query(on: app.db).count() == users)
            #expect(try await UserQueries.find(username: "zhouws", on: app.db) == nil)
        }
    }

    @Test("import: an XLSX workbook with 人员 and 单位 sheets adds a unit and its people")
    func importWorkbook() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            let book = PlainWorkbook.make([
                (name: "单位", rows: [["单位代码", "单位名称", "部门代码", "单位性质", "单位级别", "经费形式"],
                                      ["437002", "怀来县第一中学（演示）", "437", "事业", "股级", "财政拨款（事业）"]]),
                (name: "人员", rows: [["用户名", "姓名", "单位代码", "角色"], ["yizhong", "一中会计", "437002", "单位财务"]]),
            ])
            let template = try await admin.get("/admin/users/import/template.xlsx")
            #expect(template.status == .ok)
            // The template itself, as downloaded, previews its example row (its unit 434002 is new, 434 exists).
            try await admin.get("/admin/users/import")
            let sample = try await admin.upload("/admin/users/import", file: Data(buffer: template.body),
                name: "t.xlsx")
            #expect(sample.text.contains("新建单位 1 个，新建人员 1 人"), "\(sample.text.prefix(3000))")
            try await admin.get("/admin/users/import")
            let up = try await admin.upload("/admin/users/import", file: book, name: "县直人员.xlsx")
            #expect(up.status == .ok, "\(up.text.prefix(2000))")
            #expect(up.text.contains("新建单位 1 个，新建人员 1 人"))
            try await Self.confirmPreview(admin, up)
            #expect(try await UnitModel.query(on: app.db).filter(\.$code == "437002").first() != nil)
            #expect(try #require(try await UserQueries.find(username: "yizhong", on: app.db)).unit.code == "437002")
        }
    }
}
