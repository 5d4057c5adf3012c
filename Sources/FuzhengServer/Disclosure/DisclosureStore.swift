import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers

/// Publication: freezing a budget's disclosure as a version, and reading versions back.
enum DisclosureStore {
    enum PublishRefusal: Error, Equatable {
        /// Only an approved budget is published; a published one only gets a correction.
        case notApproved(status: String)
        case hasErrors(count: Int)
        case correctionNeedsNote
    }

    /// Checks, freezes and records a new version; marks the budget published. Run inside an audited transaction.
    static func publish(_ model: BudgetModel, unit: UnitModel, note: String?, by username: String, at date: Date,
                        on tx: Database) async throws -> DisclosureVersionModel {
        var budget = try model.decoded()
        let isCorrection = model.status == BudgetStatus.published.rawValue
        guard model.status == BudgetStatus.approved.rawValue || isCorrection else { throw PublishRefusal.notApproved(status: model.status) }
        let trimmedNote = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if isCorrection && (trimmedNote ?? "").isEmpty { throw PublishRefusal.correctionNeedsNote }
        let regionCode = try await RegionModel.query(on: tx).join(DepartmentModel.self, on: \DepartmentModel.$region.$id == \RegionModel.$id)
            .filter(DepartmentModel.self, \.$id == unit.$department.id).first()?.code
        let errors = RuleBook.check(budget, context: RuleContext(regionCode: regionCode)).filter { $0.severity == .error }
        guard errors.isEmpty else { throw PublishRefusal.hasErrors(count: errors.count) }

        budget.status = .published
        let unitID = try unit.requireID()
        let previous = try await DisclosureVersionModel.query(on: tx).filter(\.$unit.$id == unitID)
            .filter(\.$fiscalYear == budget.fiscalYear).sort(\.$version, .descending).first()
        let version = DisclosureVersionModel()
        version.$unit.id = unitID
        version.fiscalYear = budget.fiscalYear
        version.version = (previous?.version ?? 0) + 1
        version.publishedAt = date
        version.publishedBy = username
        version.note = (trimmedNote?.isEmpty ?? true) ? nil : trimmedNote
        version.budget = try BudgetJSON.encode(budget)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        version.disclosure = String(decoding: try encoder.encode(DisclosureBuilder.build(budget)), as: UTF8.self)
        version.threePublicFen = budget.threePublic.items.total.value
        version.operatingCostsFen = budget.operatingCosts.amount.value
        version.expenditureFen = budget.totalExpenditure.value
        try await version.create(on: tx)
        try model.apply(budget)
        try await model.save(on: tx)
        return version
    }

    /// The versions of a unit's year without their documents (the read path of every portal page).
    static func versions(unitID: UUID, year: Int, on db: Database) async throws -> [DisclosureVersionModel] {
        try await DisclosureVersionModel.query(on: db).filter(\.$unit.$id == unitID).filter(\.$fiscalYear == year)
            .field(\.$id).field(\.$unit.$id).field(\.$fiscalYear).field(\.$version).field(\.$publishedAt)
            .field(\.$publishedBy).field(\.$note).field(\.$threePublicFen).field(\.$operatingCostsFen).field(\.$expenditureFen)
            .sort(\.$version, .ascending).all()
    }

    /// One version with its frozen budget and disclosure.
    static func full(_ id: UUID, on db: Database) async throws -> DisclosureVersionModel {
        guard let version = try await DisclosureVersionModel.find(id, on: db) else { throw DisclosureMissing() }
        return version
    }

    struct DisclosureMissing: Error {}

    struct Listing: Sendable {
        var unitCode: String
        var unitName: String
        var departmentCode: String
        var departmentName: String
        var fiscalYear: Int
        var latestVersion: Int
        var publishedAt: Date
        var expenditure: Fen
    }

    /// Published disclosures, newest year first, searchable by unit or department name or code.
    static func listings(search: String, on db: Database) async throws -> [Listing] {
        let versions = try await DisclosureVersionModel.query(on: db)
            .field(\.$id).field(\.$unit.$id).field(\.$fiscalYear).field(\.$version).field(\.$publishedAt).field(\.$expenditureFen)
            .all()
        let units = try await UnitModel.query(on: db).with(\.$department).all()
        let byID = Dictionary(units.compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        var latest: [String: Listing] = [:]
        let q = search.trimmingCharacters(in: .whitespaces)
        for v in versions {
            guard let unit = byID[v.$unit.id], unit.isActive else { continue }
            if !q.isEmpty && ![unit.code, unit.name, unit.department.code, unit.department.name].contains(where: { $0.contains(q) }) { continue }
            let key = "\(unit.code)/\(v.fiscalYear)"
            if let existing = latest[key], existing.latestVersion >= v.version { continue }
            latest[key] = Listing(unitCode: unit.code, unitName: unit.name, departmentCode: unit.department.code,
                                  departmentName: unit.department.name, fiscalYear: v.fiscalYear, latestVersion: v.version,
                                  publishedAt: v.publishedAt, expenditure: Fen(v.expenditureFen))
        }
        return latest.values.sorted { ($0.fiscalYear, $1.unitCode) > ($1.fiscalYear, $0.unitCode) }
    }

    struct OverviewRow: Sendable {
        var unitCode: String
        var unitName: String
        var threePublic: Fen
        var operatingCosts: Fen
        var expenditure: Fen
    }

    /// The latest published figures of every unit for a year (county-wide 三公 and 机关运行经费).
    static func overview(year: Int, on db: Database) async throws -> [OverviewRow] {
        let versions = try await DisclosureVersionModel.query(on: db).filter(\.$fiscalYear == year)
            .field(\.$id).field(\.$unit.$id).field(\.$version).field(\.$threePublicFen).field(\.$operatingCostsFen).field(\.$expenditureFen)
            .all()
        var latest: [UUID: DisclosureVersionModel] = [:]
        for v in versions where (latest[v.$unit.id]?.version ?? 0) < v.version { latest[v.$unit.id] = v }
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ Array(latest.keys)).all()
        return units.compactMap { unit in
            guard let id = unit.id, let v = latest[id] else { return nil }
            return OverviewRow(unitCode: unit.code, unitName: unit.name, threePublic: Fen(v.threePublicFen),
                               operatingCosts: Fen(v.operatingCostsFen), expenditure: Fen(v.expenditureFen))
        }.sorted { $0.unitCode < $1.unitCode }
    }

    static func years(on db: Database) async throws -> [Int] {
        Array(Set(try await DisclosureVersionModel.query(on: db).field(\.$fiscalYear).all().map(\.fiscalYear))).sorted(by: >)
    }
}

/// Rendered disclosures and public pages. Versions never change, and a key names the version it
/// shows and the latest one, so an entry is never stale.
final class DisclosureRenderCache: Sendable {
    private let entries = NIOLockedValueBox<[String: String]>([:])
    private let pages = NIOLockedValueBox<[String: (html: String, at: Date)]>([:])
    private let capacity: Int
    /// How long another app server may keep showing a page after a new version is published elsewhere.
    static let pageLifetime: TimeInterval = 5

    init(capacity: Int = 1024) { self.capacity = capacity }

    func cached(_ key: String) -> String? { entries.withLockedValue { $0[key] } }

    /// A whole public page, if rendered less than `pageLifetime` ago.
    func page(_ key: String, now: Date) -> String? {
        pages.withLockedValue { p in
            guard let hit = p[key], now.timeIntervalSince(hit.at) < Self.pageLifetime, now >= hit.at else { return nil }
            return hit.html
        }
    }

    func storePage(_ key: String, _ html: String, now: Date) {
        pages.withLockedValue { p in
            if p.count >= capacity { p.removeAll(keepingCapacity: true) }
            p[key] = (html, now)
        }
    }

    /// Publishing here shows at once; other servers follow within `pageLifetime`.
    func invalidatePages() { pages.withLockedValue { $0.removeAll() } }

    func store(_ key: String, _ html: String) {
        entries.withLockedValue { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = html
        }
    }

}
