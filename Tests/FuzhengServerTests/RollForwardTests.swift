import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Rolling a budget forward: stale years flagged on the page, fixed or confirmed")
struct RollForwardTests {
    @Test("a copied 2024 budget starts clean; a stale year is flagged, confirmed once, audited, and silenced")
    func confirmStaleYear() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let budgetPath = "/units/434001/budgets/2024"
            var page = try await caiwu.get(budgetPath)
            #expect(!page.text.contains("TEXT-STALE-YEAR"))
            #expect(page.text.contains("怀财字【2024】7号"))
            #expect(!page.text.contains("怀财字【2023】7号"))

            // The clerk copies a basis from an old plan: the page names the field and offers a confirmation.
            let edit = "/units/434001/budgets/2024/projects/\(PreparationTests.platform)"
            try await caiwu.get(edit)
            var fields = PreparationTests.projectForm(amount: "500", version: "1")
            fields["ind[0][basis]"] = "2022年工作计划"
            #expect(try await caiwu.post(edit, fields).status == .seeOther)
            page = try await caiwu.get(budgetPath)
            #expect(page.text.contains("写有“2022年”，早于2024年预算年度"))
            #expect(page.text.contains("TEXT-STALE-YEAR"))
            let link = try #require(page.text.firstMatch(of: /href="(\/units\/434001\/budgets\/2024\/findings\/confirm\?[^"]+)"/))
            let confirmPath = String(link.1).replacingOccurrences(of: "&amp;", with: "&")
            let form = try await caiwu.get(confirmPath)
            #expect(form.status == .ok)
            #expect(form.text.contains("2022年工作计划"))

            // A confirmation for another text than the one standing is refused.
            let path = "projects[\(PreparationTests.platform)].indicators[0].basis"
            var post = ["rule": "TEXT-STALE-YEAR", "path": path, "subject": "2021年工作计划", "version": "2"]
            #expect(try await caiwu.post("\(budgetPath)/findings/confirm", post).status == .seeOther)
            #expect(try await caiwu.get(budgetPath).text.contains("写有“2022年”"))

            post["subject"] = "2022年工作计划"
            let done = try await caiwu.post("\(budgetPath)/findings/confirm", post)
            #expect(done.location == "\(budgetPath)#findings")
            page = try await caiwu.get(budgetPath)
            #expect(page.text.contains("已确认，该项检查不再提示"))
            #expect(!page.text.contains("写有“2022年”"))
            let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.version == 3)
            #expect(budget.confirmations?.first?.by == "caiwu")
            let audit = try await AuditRecordModel.query(on: app.db).filter(\.$objectID == "434001/2024").all()
            #expect(audit.contains { ($0.summary ?? "").contains("confirmed TEXT-STALE-YEAR at projects[") })

            // Changing the text again brings the finding back.
            try await caiwu.get(edit)
            fields["version"] = "3"
            fields["ind[0][basis]"] = "2021年工作计划"
            #expect(try await caiwu.post(edit, fields).status == .seeOther)
            #expect(try await caiwu.get(budgetPath).text.contains("写有“2021年”"))
        }
    }
}
