import Fluent
import Foundation

/// Page models of the organisation module, built from the database and rendered by the views.
struct UnitSummary: Sendable {
    var code: String
    var name: String
    var departmentCode: String
    var departmentName: String
    var nature: String
    var grade: String
    var fundingForm: String
    var isActive: Bool
}

struct UnitProfile: Sendable {
    var summary: UnitSummary
    var regionName: String
    var regionCode: String
    var duties: String
    var setup: String
    var members: [(username: String, displayName: String, roleRaw: String, isActive: Bool)]
    var budgets: [BudgetStore.Summary] = []
}

struct DepartmentDirectory: Sendable {
    var code: String
    var name: String
    var units: [UnitSummary]
}

enum OrganisationQueries {
    static func summary(_ unit: UnitModel) -> UnitSummary {
        UnitSummary(code: unit.code, name: unit.name, departmentCode: unit.department.code,
                    departmentName: unit.department.name, nature: unit.nature, grade: unit.grade,
                    fundingForm: unit.fundingForm, isActive: unit.isActive)
    }

    /// Active units grouped by department, in code order.
    static func directory(on db: Database, includeInactive: Bool = false) async throws -> [DepartmentDirectory] {
        var query = UnitModel.query(on: db).with(\.$department).sort(\.$code)
        if !includeInactive { query = query.filter(\.$isActive == true) }
        let units = try await query.all()
        var groups: [String: DepartmentDirectory] = [:]
        for unit in units {
            let dept = unit.department
            groups[dept.code, default: DepartmentDirectory(code: dept.code, name: dept.name,
                units: [])].units.append(summary(unit))
        }
        return groups.values.sorted { $0.code < $1.code }
    }

    /// Every unit and department code: what a scope of named units or a delegation may name.
    static func unitAndDepartmentCodes(on db: Database) async throws -> Set<String> {
        let units = try await UnitModel.query(on: db).all(\.$code)
        let departments = try await DepartmentModel.query(on: db).all(\.$code)
        return Set(units).union(departments)
    }

    static func unit(code: String, on db: Database) async throws -> UnitModel? {
        try await UnitModel.query(on: db).filter(\.$code == code).with(\.$department) { $0.with(\.$region) }.first()
    }

    static func profile(code: String, withMembers: Bool, on db: Database) async throws -> UnitProfile? {
        guard let unit = try await unit(code: code, on: db) else { return nil }
        var members: [(String, String, String, Bool)] = []
        var budgets: [BudgetStore.Summary] = []
        if withMembers {
            members = try await UserModel.query(on: db).filter(\.$unit.$id == unit.requireID()).sort(\.$username).all()
                .map { ($0.username, $0.displayName, $0.roleRaw, $0.isActive) }
            budgets = try await BudgetStore.years(unitID: unit.requireID(), on: db)
        }
        return UnitProfile(summary: summary(unit), regionName: unit.department.region.name,
                           regionCode: unit.department.region.code, duties: unit.duties, setup: unit.setup,
                           members: members, budgets: budgets)
    }

    /// Admin list: search by code or name, paged.
    static func search(_ text: String, page: Int, perPage: Int,
        on db: Database) async throws -> (items: [UnitSummary], total: Int) {
        let query = UnitModel.query(on: db).with(\.$department)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            query.group(.or) { group in
                group.filter(\.$code, .contains(inverse: false, .anywhere), trimmed)
                group.filter(\.$name, .contains(inverse: false, .anywhere), trimmed)
            }
        }
        let total = try await query.count()
        let items = try await query.sort(\.$code).range(((page - 1) * perPage)..<(page * perPage)).all().map(summary)
        return (items, total)
    }
}
