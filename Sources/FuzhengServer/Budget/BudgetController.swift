import Fluent
import FuzhengCore
import NIOConcurrencyHelpers
import Plot
import SQLKit
import Vapor

/// The read-only budget page of a unit and year, with its findings.
enum BudgetController {
    static func show(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.readUnitBusiness(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let head = try await BudgetPageHead.recent(on: req, unitCode: code, year: year),
              let status = BudgetStatus(rawValue: head.status)
        else { throw Abort(.notFound) }
        let canEdit = AccessPolicy.allows(req.principal, .editUnitBudget(unitCode: code))
        let canPublish = canEdit && (status == .approved || status == .published)
        let editable = canEdit && status == .draft
        let actions = Workflow.actions(for: req.principal, status: status, unitCode: code).filter { $0.action != .publish }
        let l = req.l10n
        let cache = req.application.fuzheng.budgetPageCache
        let key = "\(head.budgetID)|\(head.version)|\(l.language.rawValue)|\(editable)"
        let parts: BudgetPageParts
        if let hit = cache.get(key) {
            parts = hit
        } else {
            guard let model = try await BudgetModel.find(head.budgetID, on: req.db) else { throw Abort(.notFound) }
            let budget = try model.decoded()
            let findings = RuleBook.check(budget, context: RuleContext(regionCode: head.regionCode))
            // Rendered from the version just read: a save between the two queries only means a miss next time.
            // History is part of it: a workflow step writes its event and the next version together.
            parts = BudgetPage.parts(l, unitCode: code, budget: budget, findings: findings, canEdit: editable,
                                     history: try await WorkflowController.history(budgetID: head.budgetID, on: req.db))
            cache.put("\(head.budgetID)|\(model.version)|\(l.language.rawValue)|\(editable)", parts)
        }
        let history = parts.history
        return BudgetPage.render(req.pageContext(), BudgetPageModel(
            unitCode: code, unitName: head.unitName, fiscalYear: year, status: status, version: head.version,
            canPublish: canPublish, canEdit: editable, actions: actions, history: history,
            flash: req.takeFlashWithKind()), parts: parts)
    }
}

/// What the budget page needs before deciding whether its rendered parts are cached: one query.
struct BudgetPageHead: Decodable, Sendable {
    var budgetID: UUID
    var version: Int
    var status: String
    var unitName: String
    var regionCode: String

    // Spelled out: a key-decoding strategy converts every column name on every row.
    enum CodingKeys: String, CodingKey {
        case budgetID = "budget_id", version, status, unitName = "unit_name", regionCode = "region_code"
    }

    /// Read at most `FUZHENG_SESSION_CACHE_MS` ago, like the session: a save on this server is seen at once.
    static func recent(on req: Request, unitCode: String, year: Int) async throws -> BudgetPageHead? {
        let cache = req.application.fuzheng.budgetHeads
        let key = "\(unitCode)|\(year)"
        if let hit = cache.get(key) { return hit }
        let generation = StateChanges.generation
        guard let head = try await query(on: req.db, unitCode: unitCode, year: year) else { return nil }
        cache.put(key, head, generation: generation)
        return head
    }

    static func query(on db: Database, unitCode: String, year: Int) async throws -> BudgetPageHead? {
        guard let sql = db as? any SQLDatabase else { return nil }
        return try await sql.raw("""
            SELECT b.id AS budget_id, b.version, b.status, u.name AS unit_name, r.code AS region_code
            FROM budgets b JOIN units u ON u.id = b.unit_id JOIN departments d ON d.id = u.department_id
                JOIN regions r ON r.id = d.region_id
            WHERE u.code = \(bind: unitCode) AND b.fiscal_year = \(bind: year)
            """).first(decoding: BudgetPageHead.self)
    }
}

/// The rendered, version-bound parts of budget pages. A key names a budget version, so an entry is never stale;
/// the cache only bounds memory.
final class BudgetPageCache: Sendable {
    private let entries = NIOLockedValueBox<[String: BudgetPageParts]>([:])
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    func get(_ key: String) -> BudgetPageParts? { entries.withLockedValue { $0[key] } }

    func put(_ key: String, _ parts: BudgetPageParts) {
        entries.withLockedValue { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[key] = parts
        }
    }
}

struct BudgetPageParts: @unchecked Sendable {
    var departmentName: String
    /// Read once with the version and never changed afterwards.
    var history: [BudgetEventModel]
    var findings: RenderedFragment
    var sections: RenderedFragment
}

struct BudgetPageModel: Sendable {
    var unitCode: String
    var unitName: String
    var fiscalYear: Int
    var status: BudgetStatus
    var version: Int
    var canPublish = false
    var canEdit = false
    var actions: [Workflow.Transition] = []
    var history: [BudgetEventModel] = []
    var flash: (text: String, isError: Bool)?

    /// The page section a finding's path points into.
    static func anchor(for path: String) -> String {
        if path.hasPrefix("projects["), let end = path.firstIndex(of: "]") {
            return "project-" + path[path.index(path.startIndex, offsetBy: 9)..<end]
        }
        let prefixes: [(String, String)] = [
            ("stated.total_revenue", "revenue"), ("revenue", "revenue"), ("stated.total_expenditure", "expenditure"),
            ("stated.basic", "expenditure"), ("stated.personnel", "expenditure"), ("stated.public_use", "expenditure"),
            ("stated.project", "expenditure"), ("expenditure", "expenditure"), ("prior", "changes"),
            ("threePublic", "three-public"), ("operatingCosts", "operating-costs"), ("stated.procurement", "procurement"),
            ("procurement", "procurement"), ("stated.assets", "assets"), ("assets", "assets"),
            ("narrative.glossary", "glossary"), ("narrative", "narrative"),
        ]
        return prefixes.first { path.hasPrefix($0.0) }?.1 ?? "summary"
    }
}
