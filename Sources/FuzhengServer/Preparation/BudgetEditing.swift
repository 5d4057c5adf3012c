import Fluent
import FuzhengCore
import Vapor

/// What every edit form shares: only the unit's 单位财务, only a draft, and never over someone
/// else's newer save (the form carries the version it was read at).
enum BudgetEditing {
    struct Loaded {
        var unit: UnitModel
        var model: BudgetModel
        var budget: Budget
    }

    static func load(_ req: Request) async throws -> Loaded {
        let code = req.parameters.get("code") ?? ""
        try await req.require(.editUnitBudget(unitCode: code))
        guard let year = req.parameters.get("year").flatMap(Int.init),
              let unit = try await OrganisationQueries.unit(code: code, on: req.db),
              let (model, budget) = try await BudgetStore.find(unitCode: code, year: year, on: req.db)
        else { throw Abort(.notFound) }
        guard budget.status == .draft else {
            throw Abort(.conflict, reason: "error.notDraft")
        }
        return Loaded(unit: unit, model: model, budget: budget)
    }

    /// A form read at an older version than the stored one is not saved: the clerk is sent back to
    /// the form, which now shows the other person's values, with a message saying so.
    static func refuseIfStale(_ req: Request, _ loaded: Loaded, formVersion: Int?, backTo path: String) -> Response? {
        guard let formVersion, formVersion != loaded.model.version else { return nil }
        req.setFlash("edit.conflictFlash", error: true)
        return req.redirect(to: path, redirectType: .normal)
    }

    /// Saves a changed budget as the next version, with an audit record naming what changed.
    static func save(_ req: Request, _ loaded: Loaded, _ changed: Budget, summary: String) async throws {
        let model = loaded.model
        let code = loaded.unit.code
        try await req.audited { tx, audit in
            let unitID = try loaded.unit.requireID()
            let saved = try await BudgetStore.save(changed, unitID: unitID, on: tx)
            model.version = saved.version
            audit.add(AuditEvent(.update, objectType: "budget", objectID: "\(code)/\(changed.fiscalYear)", summary: summary))
        }
    }

    /// Reads an amount typed in 元 or 万元; the error names the field in the reader's language.
    static func amount(_ text: String?, unit: MoneyUnit, field: String, label: String, errors: inout [String: String], l: L10n) -> Fen? {
        let raw = (text ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return .zero }
        do {
            let value = try MoneyFormat.parse(raw, unit: unit)
            if value < .zero { errors[field] = l("edit.error.negative", label); return nil }
            return value
        } catch {
            errors[field] = l("edit.error.amount", label, raw, unit.rawValue)
            return nil
        }
    }

    /// Amounts shown in a form in the unit the clerk chose.
    static func display(_ f: Fen, _ unit: MoneyUnit) -> String {
        unit == .wan ? MoneyFormat.wanInText(f).replacingOccurrences(of: "-0", with: "0") : MoneyFormat.yuan(f)
    }
}
