import Foundation
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Forms posted through a real HTTP server")
struct LargeFormTests {
    @Test("a large form keeps its body (and its CSRF token) when it arrives in several reads")
    func largeProjectForm() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let edit = "/units/434001/budgets/2024/projects/\(PreparationTests.platform)"
            try await caiwu.get(edit)
            var fields = PreparationTests.projectForm(amount: "510", version: "1")
            fields["target"] = String(repeating: "通过电子政务平台系统设施，构建大城管理格局。", count: 200)  // ~14 KB
            // Only this post goes over the network: the live client follows the redirect itself, so the
            // database, not the status, tells whether the save happened.
            caiwu.method = .running(hostname: "127.0.0.1", port: 18_300 + Int.random(in: 0..<500))
            try await caiwu.post(edit, fields)
            #expect(try await auditRecords(app, action: .csrfRejected).isEmpty)
            let (_, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(budget.projects.first { $0.code == PreparationTests.platform }?.amount == Fen.wan(510))
        }
    }
}

import FuzhengCore
