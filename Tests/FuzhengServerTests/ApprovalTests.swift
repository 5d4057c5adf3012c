import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Approvals that show what changed; 撤回; separated duties")
struct ApprovalTests {
    static func version(_ app: Application) async throws -> String {
        String(try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)).0.version)
    }

    static func step(_ b: Browser, _ app: Application, _ action: String, comment: String = "",
                     confirmed: Bool = true) async throws -> TestingHTTPResponse {
        try await b.get("/units/434001/budgets/2024")
        var form = ["action": action, "version": try await version(app), "comment": comment]
        if confirmed { form["confirmed"] = "1" }
        return try await b.post("/units/434001/budgets/2024/workflow", form)
    }

    @Test("a resubmission shows the approver each field changed since the previous one; the edit's audit lists them")
    func differenceSincePreviousSubmission() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await Self.step(caiwu, app, "submit")
            let head = Browser(app)
            try await head.login("fuzeren")
            try await Self.step(head, app, "send_back", comment: "电子政务项目请按520万元编制")
            // The preparer changes one amount and one indicator's basis, then submits again.
            let edit = "/units/434001/budgets/2024/projects/\(PreparationTests.platform)"
            try await caiwu.get(edit)
            var fields = PreparationTests.projectForm(amount: "520", version: try await Self.version(app))
            fields["ind[0][basis]"] = "2024年工作要点"
            #expect(try await caiwu.post(edit, fields).status == .seeOther)
            let audit = try await AuditRecordModel.query(on: app.db).filter(\.$objectID == "434001/2024")
                .sort(\.$id, .descending).first()
            let summary = try #require(audit?.summary)
            #expect(summary.contains("projects[\(PreparationTests.platform)].amount: 500.00万元 → 520.00万元"))
            #expect(summary.contains(".indicators[0].basis: 2024年工作计划 → 2024年工作要点"))
            // Put the expenditure line in step so the budget has no error, then resubmit.
            try await caiwu.get(edit)
            fields = PreparationTests.projectForm(amount: "500", version: try await Self.version(app))
            fields["ind[0][basis]"] = "2024年工作要点"
            #expect(try await caiwu.post(edit, fields).status == .seeOther)
            #expect(try await Self.step(caiwu, app, "submit").status == .seeOther)

            let ask = try await Self.step(head, app, "unit_approve", confirmed: false)
            #expect(ask.status == .ok)
            #expect(ask.text.contains("与第 1 次提交相比的变化"))
            // The amount went 500 → 520 → 500 between the submissions: no change to show.
            #expect(!ask.text.contains("电子政务平台建设资金”预算数</td>"))
            #expect(ask.text.contains("2024年工作计划"))
            #expect(ask.text.contains("2024年工作要点"))
            #expect(ask.text.contains(#"name="confirmed" value="1""#))
            #expect(try await BudgetSubmissionModel.query(on: app.db).count() == 2)
            #expect(try await Self.step(head, app, "unit_approve").status == .seeOther)
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)?.0.status == "unit_approved")
        }
    }

    @Test("the preparer withdraws a submission nobody has acted on; not after the head approved")
    func withdraw() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await Self.step(caiwu, app, "submit")
            #expect(try await caiwu.get("/units/434001/budgets/2024").text.contains("撤回提交"))
            #expect(try await Self.step(caiwu, app, "withdraw").status == .seeOther)
            var page = try await caiwu.get("/units/434001/budgets/2024").text
            #expect(page.contains("已撤回，预算回到草稿"))
            #expect(page.contains("撤回提交：已提交 → 草稿"))
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)?.0.status == "draft")
            // Submitted again and approved by the head: too late to withdraw.
            try await Self.step(caiwu, app, "submit")
            let head = Browser(app)
            try await head.login("fuzeren")
            try await Self.step(head, app, "unit_approve")
            page = try await caiwu.get("/units/434001/budgets/2024").text
            #expect(!page.contains("撤回提交</button>"))
            #expect(try await Self.step(caiwu, app, "withdraw").status == .forbidden)
        }
    }

    @Test("with FUZHENG_SEPARATE_DUTIES=false one reviewer may review and approve")
    func separationIsASetting() async throws {
        try await withFuzhengApp { app, _ in
            app.fuzheng.config.separateDuties = false
            let caiwu = try await PreparationTests.create2024(app)
            try await Self.step(caiwu, app, "submit")
            let head = Browser(app)
            try await head.login("fuzeren")
            try await Self.step(head, app, "unit_approve")
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            try await Self.step(shenhe, app, "finance_review")
            #expect(try await Self.step(shenhe, app, "finance_approve").status == .seeOther)
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)?.0.status == "approved")
        }
    }

    @Test("a notification is worded in its reader's language, whoever caused it")
    func notificationsInReadersLanguage() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await Self.step(caiwu, app, "submit")
            let head = Browser(app)
            try await head.login("fuzeren")
            try await Self.step(head, app, "unit_approve")
            #expect(try await caiwu.get("/inbox").text.contains("2024年怀来县人民政府办公室部门预算：李主任办理后，现为“单位已审批”"))
            try await caiwu.get("/lang/en?back=/inbox")
            let english = try await caiwu.get("/inbox").text
            #expect(english.contains("The 2024 budget of 怀来县人民政府办公室 is now “Approved by the unit” (by 李主任)"))
            #expect(!english.contains("单位已审批"))
        }
    }
}
