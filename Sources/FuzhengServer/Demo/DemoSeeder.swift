import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Loads an organisation seed (by default the Huailai demo) into an empty database, in one
/// audited transaction.
public enum DemoSeeder {
    public static func demoSeed() throws -> OrganisationSeed {
        guard let url = Bundle.module.url(forResource: "organisation", withExtension: "json", subdirectory: "demo")
                ?? Bundle.module.url(forResource: "organisation", withExtension: "json")
        else { throw Abort(.internalServerError, reason: "demo/organisation.json is missing") }
        return try JSONDecoder().decode(OrganisationSeed.self, from: Data(contentsOf: url))
    }

    /// The demo budgets: the seed's budget, kept as a structured data file, for its unit.
    static let demoBudgets: [(unitCode: String, resource: String)] = [("434001", "budget-434001-2023")]

    public static func demoBudget(_ resource: String = "budget-434001-2023") throws -> Budget {
        guard let url = Bundle.module.url(forResource: resource, withExtension: "json", subdirectory: "demo")
                ?? Bundle.module.url(forResource: resource, withExtension: "json")
        else { throw Abort(.internalServerError, reason: "demo/\(resource).json is missing") }
        return try BudgetJSON.decode(String(contentsOf: url, encoding: .utf8))
    }

    /// The demo's approval date: 10 February of the budget year (the seed does not say; a plausible date for a demo).
    /// The demo county's bodies (Resources/demo/bodies.json): the four leading bodies, the office with its sections,
    /// departments (invented ones marked 演示), towns, the city above and a neighbouring county.
    static func demoBodies() throws -> BodyRegister {
        guard let url = Bundle.module.url(forResource: "bodies", withExtension: "json", subdirectory: "demo")
                ?? Bundle.module.url(forResource: "bodies", withExtension: "json")
        else { throw Abort(.internalServerError, reason: "demo/bodies.json is missing") }
        return try BodyRegister.load(from: Data(contentsOf: url))
    }

    static func demoApprovalDate(_ year: Int) -> Date {
        var components = DateComponents()
        components.year = year
        components.month = 2
        components.day = 10
        components.hour = 9
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AuditFilter.timeZone
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    /// Rows per multi-row INSERT: well inside SQLite's and PostgreSQL's limits on bound values (32,766 and 65,535).
    static let insertBatch = 500

    public static func isEmpty(_ db: Database) async throws -> Bool {
        try await UnitModel.query(on: db).count() == 0
    }

    /// `demoMode` decides whether the published password must be changed at first login.
    public static func load(_ seed: OrganisationSeed, into app: Application, demoMode: Bool,
        withBudgets: Bool = true) async throws {
        let problems = seed.problems()
        guard problems.isEmpty else {
            throw Abort(.internalServerError,
                reason: "organisation seed is invalid: \(problems.joined(separator: ", "))")
        }
        let services = app.fuzheng
        let cost = services.config.bcryptCost
        let hash = try Bcrypt.hash(seed.initialPassword, cost: cost)
        let now = services.clock.now()
        try await services.audit.transaction(on: app.db, context: .system) { tx, audit in
            let region = RegionModel(code: seed.region.code, name: seed.region.name)
            try await region.create(on: tx)
            // Rows go in as multi-row INSERTs (a county is thousands of accounts), with ids made here so the
            // units' ids are known before their accounts are written.
            let regionID = try region.requireID()
            var departmentIDs: [String: UUID] = [:]
            let departments = seed.departments.map { d in
                let model = DepartmentModel(id: UUID(), code: d.code, name: d.name, regionID: regionID)
                departmentIDs[d.code] = model.id
                return model
            }
            try await departments.create(on: tx)
            var unitIDs: [String: UUID] = [:]
            var units: [UnitModel] = []
            for u in seed.units {
                guard let departmentID = departmentIDs[u.departmentCode] else { continue }
                let model = UnitModel(id: UUID(), code: u.code, name: u.name, departmentID: departmentID,
                    nature: u.nature,
                                      grade: u.grade, fundingForm: u.fundingForm, duties: u.duties, setup: u.setup)
                units.append(model)
                unitIDs[u.code] = model.id
                audit.add(AuditEvent(.create, objectType: "unit", objectID: u.code,
                    summary: "seed: \(model.auditSummary)"))
            }
            for chunk in units.chunked(by: insertBatch) { try await chunk.create(on: tx) }
            var users: [UserModel] = []
            for a in seed.accounts {
                guard let unitID = unitIDs[a.unitCode] else { continue }
                let user = UserModel(id: UUID(), username: a.username, displayName: a.displayName, passwordHash: hash,
                                     role: a.role, unitID: unitID, mustChangePassword: !demoMode,
                                     passwordChangedAt: demoMode ? now : nil)
                if a.roles != nil { user.assignments = a.assignments }
                user.title = a.title
                user.sectionCode = a.section
                users.append(user)
                audit.add(AuditEvent(.create, objectType: "user", objectID: a.username,
                    summary: "seed: \(user.auditSummary)"))
            }
            for chunk in users.chunked(by: insertBatch) { try await chunk.create(on: tx) }
        }
        try await BodiesController.load(demoBodies(), on: app.db)
        for (unitCode, resource) in withBudgets ? demoBudgets : [] {
            guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == unitCode).first() else { continue }
            let budget = try demoBudget(resource)
            let unitID = try unit.requireID()
            // A published demo budget is stored as approved and then published, so it has its version 1.
            let published = budget.status == .published
            var stored = budget
            if published { stored.status = .approved }
            let approvedAt = demoApprovalDate(budget.fiscalYear)
            try await services.audit.transaction(on: app.db, context: .system) { [stored] tx, audit in
                let model = try await BudgetStore.save(stored, unitID: unitID, on: tx)
                audit.add(AuditEvent(.create, objectType: "budget", objectID: "\(unitCode)/\(stored.fiscalYear)",
                    summary: "seed: \(resource)"))
                guard published else { return }
                model.approvedAt = approvedAt
                try await model.save(on: tx)
                let version = try await DisclosureStore.publish(model, unit: unit, note: nil, by: "system",
                    at: approvedAt.addingTimeInterval(10 * 86_400), on: tx)
                audit.add(AuditEvent(.create, objectType: "disclosure",
                    objectID: "\(unitCode)/\(version.fiscalYear)/v\(version.version)", summary: "seed"))
            }
        }
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
