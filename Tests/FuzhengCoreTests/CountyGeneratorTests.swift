import Foundation
import FuzhengCore
import Testing

@Suite("County generator: a deterministic county for benchmarks")
struct CountyGeneratorTests {
    static let small = CountyGenerator.Parameters(seed: 7, units: 40, users: 200, years: 2, firstYear: 2024)

    static func encoded(_ output: CountyGenerator.Output) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(output)
    }

    @Test("the same seed gives byte-identical output")
    func sameSeed() throws {
        let a = try CountyGenerator.generate(Self.small)
        let b = try CountyGenerator.generate(Self.small)
        #expect(try Self.encoded(a) == Self.encoded(b))
    }

    @Test("a different seed gives different people and figures, the same organisation tree")
    func differentSeed() throws {
        let a = try CountyGenerator.generate(Self.small)
        var other = Self.small
        other.seed = 8
        let b = try CountyGenerator.generate(other)
        #expect(try Self.encoded(a) != Self.encoded(b))
        #expect(a.organisation.units.map(\.code) == b.organisation.units.map(\.code))
        #expect(a.organisation.accounts.map(\.username) != b.organisation.accounts.map(\.username))
        #expect(a.budgets.map(\.budget.totalExpenditure) != b.budgets.map(\.budget.totalExpenditure))
    }

    @Test("more users leave every budget as it was")
    func budgetsIndependentOfUsers() throws {
        var more = Self.small
        more.users = 260
        let a = try CountyGenerator.generate(Self.small)
        let b = try CountyGenerator.generate(more)
        #expect(a.budgets.map(\.budget) == b.budgets.map(\.budget))
    }

    @Test("requested counts of units, users and years are honoured, the defaults included")
    func counts() throws {
        let output = try CountyGenerator.generate(.init(firstYear: 2024))
        #expect(output.organisation.units.count == 300)
        #expect(output.organisation.accounts.count == 3000)
        #expect(output.budgets.count == 900)
        #expect(Set(output.budgets.map(\.budget.fiscalYear)) == [2024, 2025, 2026])
        let small = try CountyGenerator.generate(Self.small)
        #expect(small.organisation.units.count == 40)
        #expect(small.organisation.accounts.count == 200)
        #expect(small.budgets.count == 80)
    }

    @Test("impossible requests are refused with the limit named")
    func refusals() {
        let maximum = CountyGenerator.maximumUnits()
        #expect(maximum >= 300)
        #expect(throws: CountyGenerator.Problem.units(requested: maximum + 1, available: maximum)) {
            try CountyGenerator.generate(.init(units: maximum + 1, users: 10_000, firstYear: 2024))
        }
        #expect(throws: CountyGenerator.Problem.users(requested: 20, minimum: 24)) {
            try CountyGenerator.generate(.init(units: 10, users: 20, firstYear: 2024))
        }
        #expect(throws: CountyGenerator.Problem.years(0)) {
            try CountyGenerator.generate(.init(years: 0, firstYear: 2024))
        }
    }

    @Test("unit codes are unique, six digits, their department's code first; the seed has no problems")
    func codes() throws {
        let seed = try CountyGenerator.generate(.init(firstYear: 2024)).organisation
        let codes = seed.units.map(\.code)
        #expect(Set(codes).count == codes.count)
        for unit in seed.units {
            #expect(OrganisationCode.isUnitCode(unit.code, department: unit.departmentCode))
        }
        #expect(Set(seed.departments.map(\.code)).count == seed.departments.count)
        #expect(seed.departments.allSatisfy { OrganisationCode.isDepartmentCode($0.code) })
        #expect(Set(seed.accounts.map(\.username)).count == seed.accounts.count)
        #expect(seed.region.code == "130730")
        #expect(seed.problems().isEmpty)
    }

    @Test("every unit has a finance clerk and a head; reviewers sit in the finance bureau; every role exists")
    func roles() throws {
        let seed = try CountyGenerator.generate(.init(firstYear: 2024)).organisation
        for unit in seed.units {
            let roles = Set(seed.accounts.filter { $0.unitCode == unit.code }.map(\.role))
            #expect(roles.contains(.unitFinance) && roles.contains(.unitHead), "unit \(unit.code)")
        }
        #expect(Set(seed.accounts.map(\.role)) == Set(Role.allCases))
        let reviewers = seed.accounts.filter { $0.role == .financeReviewer }
        #expect(reviewers.count >= 2)
        #expect(reviewers.allSatisfy { $0.unitCode.hasPrefix("436") })
        let administrators = seed.accounts.filter(\.role.isAdministrator).map(\.username).sorted()
        #expect(administrators == ["auditadmin", "secadmin", "sysadmin"])
    }

    @Test("every generated budget has no findings from the rule book, errors or otherwise",
          arguments: [UInt64(1), 2, 3])
    func rulesPass(seed: UInt64) throws {
        let output = try CountyGenerator.generate(.init(seed: seed, units: seed == 1 ? 300 : 60, users: 3000, years: 3,
                                                        firstYear: 2024))
        let context = RuleContext(regionCode: output.organisation.region.code)
        for generated in output.budgets {
            let findings = RuleBook.check(generated.budget, context: context)
            let errors = findings.filter { $0.severity == .error }
            let budget = "\(generated.unitCode)/\(generated.budget.fiscalYear)"
            #expect(errors.isEmpty, "\(budget): \(errors.map(\.messageEn))")
            // Warnings and notices too: a benchmark's findings panel should show what a clean budget costs.
            #expect(findings.isEmpty, "\(budget): \(findings.map(\.messageEn))")
        }
    }

    @Test("totals add up exactly: revenue = expenditure = basic + project, projects = their lines, 3 public = items")
    func totals() throws {
        let output = try CountyGenerator.generate(.init(firstYear: 2024))
        for b in output.budgets.map(\.budget) {
            #expect(b.totalRevenue == b.totalExpenditure)
            #expect(b.basicExpenditure + b.projectExpenditure == b.totalExpenditure)
            #expect(b.personnelExpenditure + b.publicUseExpenditure == b.basicExpenditure)
            #expect(b.projectsTotal == b.projectExpenditure)
            #expect(b.stated[.totalExpenditure] == b.totalExpenditure)
            #expect(b.threePublic.statedTotal == b.threePublic.items.total)
            #expect(b.assets.plannedPurchases == b.procurementTotal(.goods))
            #expect(b.totalExpenditure > .zero && !b.projects.isEmpty)
            for p in b.projects {
                #expect(b.expenditure.filter { $0.projectCode == p.code }.sum(\.amount) == p.amount)
                #expect(b.procurement.filter { $0.projectCode == p.code }.sum(\.amount) <= p.amount)
            }
        }
    }

    @Test("each year's prior figures are the year before's, and the last year's statuses are a mix")
    func years() throws {
        let output = try CountyGenerator.generate(.init(firstYear: 2024))
        let byUnit = Dictionary(grouping: output.budgets, by: \.unitCode)
        for (_, budgets) in byUnit {
            for (a, b) in zip(budgets, budgets.dropFirst()) {
                #expect(b.budget.fiscalYear == a.budget.fiscalYear + 1)
                #expect(b.budget.prior.total == a.budget.totalExpenditure)
                #expect(a.budget.status == .published && a.publishedDay != nil)
            }
        }
        let last = output.budgets.filter { $0.budget.fiscalYear == 2026 }
        #expect(Set(last.map(\.budget.status)).count >= 5)
        for g in output.budgets {
            let status = g.budget.status
            let end: BudgetStatus? = status == .published ? .approved : status == .draft ? nil : status
            #expect(g.steps.last?.to == end)
            #expect(zip(g.steps, g.steps.dropFirst()).allSatisfy { $0.to == $1.from && $0.dayOfYear <= $1.dayOfYear })
            if let published = g.publishedDay, let approved = g.steps.last?.dayOfYear {
                #expect(published - approved <= 20)
            }
        }
    }

    @Test("the name tables use only codes the catalogs hold")
    func tablesUseCatalogCodes() {
        let names = CountyNames.shared
        let catalogs = Catalogs.shared
        for d in names.departments {
            #expect(catalogs.functionClassification[d.function] != nil, "\(d.code) \(d.function)")
            if let f = d.institutionFunction { #expect(catalogs.functionClassification[f] != nil) }
        }
        for (id, p) in names.projects {
            #expect(catalogs.departmentEconomic[p.economic] != nil, "\(id)")
            for item in p.procurement ?? [] {
                #expect(catalogs.procurement[item.catalogCode] != nil, "\(id) \(item.catalogCode)")
                if let e = item.economic { #expect(catalogs.departmentEconomic[e] != nil) }
            }
        }
        for (economic, government) in names.governmentEconomic {
            #expect(catalogs.departmentEconomic[economic] != nil, "\(economic)")
            #expect(catalogs.governmentEconomic[government] != nil, "\(government)")
        }
        let attributes = UnitAttributeCatalog.shared
        for t in names.departments.flatMap({ $0.units + ($0.perTown ?? []) }) + names.townUnits {
            #expect(attributes.natures.contains(t.nature) && attributes.grades.contains(t.grade)
                    && attributes.fundingForms.contains(t.fundingForm), "\(t.name)")
            #expect(names.kinds[t.kind] != nil, "\(t.name)")
            #expect((t.projects ?? []).allSatisfy { names.projects[$0] != nil }, "\(t.name)")
        }
    }
}
