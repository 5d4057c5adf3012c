import FuzhengCore
import Testing

@Suite("A department is its units together")
struct RollUpTests {
    @Test("rolling up two units adds every figure exactly and keeps every sum rule satisfied")
    func twoUnits() throws {
        let office = try DisclosureImporter.importBudget(try Fixture.huailai)
        var second = office
        second.units = [UnitProfileData(code: "434002", name: "怀来县政务信息中心", nature: "事业", grade: "股级", fundingForm: "财政补助")]
        second.projects = second.projects.map { var p = $0; p.code = p.code.replacingOccurrences(of: "Q", with: "R").replacingOccurrences(of: "K", with: "M").replacingOccurrences(of: "L", with: "N"); return p }
        second.expenditure = second.expenditure.map { var e = $0; e.projectCode = e.projectCode.map { $0.replacingOccurrences(of: "Q", with: "R").replacingOccurrences(of: "K", with: "M").replacingOccurrences(of: "L", with: "N") }; return e }
        second.procurement = second.procurement.map { var l = $0; l.projectCode = l.projectCode.map { $0.replacingOccurrences(of: "Q", with: "R").replacingOccurrences(of: "L", with: "N") }; return l }
        let department = try #require(Budget.rollUp([office, second], department: office.department))
        #expect(department.units.count == 2)
        #expect(department.totalExpenditure == office.totalExpenditure * 2)
        #expect(department.stated[.totalRevenue] == office.totalRevenue * 2)
        #expect(department.threePublic.items.reception == office.threePublic.items.reception * 2)
        #expect(department.prior.statedChanges[.total] == office.prior.statedChanges[.total]! * 2)
        #expect(department.projects.count == 8)
        #expect(department.revenue.count == office.revenue.count)
        let sumFindings = RuleBook.check(department).filter { $0.ruleID.hasPrefix("SUM-") || $0.ruleID == "X-ASSET-PURCHASE" }
        #expect(sumFindings.isEmpty, "\(sumFindings.map(\.messageEn))")
    }

    @Test("budgets of different years do not roll up")
    func differentYears() throws {
        let a = try DisclosureImporter.importBudget(try Fixture.huailai)
        var b = a
        b.fiscalYear = 2024
        #expect(Budget.rollUp([a, b], department: a.department) == nil)
        #expect(Budget.rollUp([], department: a.department) == nil)
    }
}
