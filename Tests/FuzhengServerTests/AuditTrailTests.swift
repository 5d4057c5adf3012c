import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("Audit trail")
struct AuditTrailTests {
    @Test("every kind of security and business event writes one record with who, when, where, what and result")
    func everyEventKind() async throws {
        try await withFuzhengApp { app, clock in
            let caiwu = Browser(app)
            try await caiwu.login("caiwu", "Wrong@2023")          // login.failure
            try await caiwu.login("caiwu")                         // login.success
            try await caiwu.get("/admin/users")                    // access.denied
            try await caiwu.post("/logout", ["_csrf": "bad"])      // csrf.rejected
            try await caiwu.post("/logout")                        // logout

            let victim = Browser(app)
            for _ in 1...5 { try await victim.login("bangong", "Wrong@2023") }  // login.lockout

            let idle = Browser(app)
            try await idle.login("lingdao")
            clock.advance(by: 31 * 60)
            try await idle.get("/home")                            // session.timeout

            let admin = Browser(app)
            admin.forwardedFor = "198.51.100.23"
            try await admin.login("sysadmin")
            try await admin.get("/admin/units/new")
            try await admin.post("/admin/units/new", [             // create
                "departmentCode": "434", "code": "434002", "name": "怀来县人民政府办公室信息中心（测试）",
                "nature": "事业", "grade": "股级", "fundingForm": "财政补助", "duties": "", "setup": "",
            ])
            try await admin.get("/admin/units/434002/edit")
            try await admin.post("/admin/units/434002/edit", [     // update
                "name": "怀来县政务信息中心（测试）", "nature": "事业", "grade": "股级", "fundingForm": "财政补助",
                "duties": "负责平台运维", "setup": "",
            ])

            let records = try await auditRecords(app)
            let actions = Set(records.map(\.action))
            for expected: AuditAction in [.loginFailure, .loginSuccess, .accessDenied, .csrfRejected, .logout, .lockout,
                                          .sessionTimeout, .create, .update] {
                #expect(actions.contains(expected.rawValue), "missing \(expected.rawValue)")
            }
            let update = try #require(records.last { $0.action == "update" && $0.objectID == "434002" })
            #expect(update.username == "sysadmin")
            #expect(update.unitCode == "434001")
            #expect(update.clientIP == "198.51.100.23")
            #expect(update.objectType == "unit")
            #expect(update.result == "success")
            #expect(update.summary?.contains("before: code=434002; name=怀来县人民政府办公室信息中心（测试）") == true)
            #expect(update.summary?.contains("after: code=434002; name=怀来县政务信息中心（测试）") == true)
            #expect(update.requestID?.isEmpty == false)
            #expect(update.occurredAtMillis > 0)

            let verdict = try await AuditLog.verify(on: app.db)
            #expect(verdict.firstBreak == nil)
            #expect(verdict.checked == records.count)
        }
    }

    @Test("a record edited directly in the database is found, by the page and by `audit verify` (non-zero exit)")
    func tamperingIsFound() async throws {
        try await withFuzhengApp { app, _ in
            try await Browser(app).login("caiwu")
            try await Browser(app).login("caiwu", "Wrong@2023")
            let records = try await auditRecords(app)
            let target = try #require(records.last { $0.action == "login.failure" }?.id)

            let sql = try #require(app.db as? SQLDatabase)
            try await sql.raw("UPDATE audit_records SET result = 'success' WHERE seq = \(bind: target)").run()

            let verdict = try await AuditLog.verify(on: app.db)
            #expect(verdict.firstBreak == .contentAltered(sequence: target))

            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["fuzheng audit", "verify"]))
            context.application = app
            await #expect(throws: CommandExit.self) {
                try await AuditCommand().run(using: &context)
            }
            context.input = CommandInput(arguments: ["fuzheng audit", "verify"])
            do {
                try await AuditCommand().run(using: &context)
            } catch let exit as CommandExit {
                #expect(exit.status == 1)
                #expect(exit.message.contains("第 \(target) 条"))
            }

            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            let page = try await auditor.get("/audit/verify")
            #expect(page.text.contains("审计链断裂：第 \(target) 条记录的内容被改动"))
        }
    }

    @Test("an intact chain passes `audit verify`")
    func verifyPasses() async throws {
        try await withFuzhengApp { app, _ in
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["fuzheng audit", "verify"]))
            context.application = app
            try await AuditCommand().run(using: &context)
        }
    }

    @Test("concurrent audited writes keep one unbroken chain")
    func concurrentAppends() async throws {
        try await withFuzhengApp { app, _ in
            let log = app.fuzheng.audit
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await log.record(AuditEvent(.update, objectType: "test", objectID: String(i)),
                                             context: .system, on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            let verdict = try await AuditLog.verify(on: app.db)
            #expect(verdict.firstBreak == nil)
            #expect(try await auditRecords(app).filter { $0.objectType == "test" }.count == 40)
        }
    }

    @Test("审计管理员 filters the list and exports CSV; the export itself is audited")
    func browseAndExport() async throws {
        try await withFuzhengApp { app, _ in
            try await Browser(app).login("caiwu", "Wrong@2023")
            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            let filtered = try await auditor.get("/audit?action=login.failure")
            #expect(filtered.status == .ok)
            #expect(filtered.text.contains("登录失败"))
            #expect(!filtered.text.contains("<td>登录成功</td>"))
            #expect(filtered.text.contains("<td>caiwu</td>"))
            let empty = try await auditor.get("/audit?username=nobody")
            #expect(empty.text.contains("没有符合条件的审计记录"))

            let csv = try await auditor.get("/audit/export.csv?action=login.failure")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first?.contains("seq,time,username,unit,client_ip,action") == true)
            #expect(lines.count == 2)
            #expect(lines.last?.contains("caiwu") == true)
            #expect(try await auditRecords(app, action: .auditExport).count == 1)
        }
    }

    @Test("CSV cells that a spreadsheet would run as formulas are made inert")
    func csvInjection() {
        let record = AuditRecordModel(AuditChain.chain(
            AuditEntry(sequence: 1, occurredAtMillis: 0, username: "=cmd|' /C calc'!A0", action: "x", result: "success"),
            after: nil))
        #expect(AuditQueries.csv([record]).contains("'=cmd"))
    }
}
