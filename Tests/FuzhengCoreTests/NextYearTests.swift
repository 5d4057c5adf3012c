import FuzhengCore
import Testing

@Suite("Next year's budget from this year's")
struct NextYearTests {
    @Test("copying 2023 gives a 2024 draft whose prior-year figures are 2023's, passing every sum rule")
    func copy() throws {
        let b2023 = try DisclosureImporter.importBudget(try Fixture.huailai)
        let b2024 = b2023.copiedForNextYear()
        #expect(b2024.fiscalYear == 2024)
        #expect(b2024.status == .draft)
        #expect(b2024.prior.total == Fen.wan(2001) + Fen(890_000))
        #expect(b2024.prior.threePublic == b2023.threePublic.items)
        #expect(b2024.prior.statedChanges[.total] == .zero)
        #expect(b2024.projects == b2023.projects)
        let sums = RuleBook.check(b2024).filter { $0.ruleID.hasPrefix("SUM-") || $0.ruleID.hasPrefix("X-") }
        #expect(sums.isEmpty, "\(sums.map(\.messageEn))")
    }
}
