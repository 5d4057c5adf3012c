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

    /// A form must say which version it was read at; one read at an older version than the stored
    /// one is not saved: the clerk is sent back to the form, which now shows the other person's
    /// values, with a message saying so. This early answer only saves work: the write itself
    /// checks the version again (`BudgetStore.claimNextVersion`).
    static func refuseIfStale(_ req: Request, _ loaded: Loaded, formVersion: Int?, backTo path: String) -> Response? {
        guard let formVersion else {
            req.setFlash("edit.versionMissing", error: true)
            return req.redirect(within: path)
        }
        guard formVersion != loaded.model.version else { return nil }
        return conflict(req, backTo: path)
    }

    static func conflict(_ req: Request, backTo path: String) -> Response {
        req.setFlash("edit.conflictFlash", error: true)
        return req.redirect(within: path)
    }

    /// Saves a changed budget as the next version over the version the form was read at, with an
    /// audit record naming what changed. Returns false, having written nothing, when someone else
    /// saved first.
    static func save(_ req: Request, _ loaded: Loaded, _ changed: Budget, formVersion: Int,
                     summary: String) async throws -> Bool {
        let model = loaded.model
        let code = loaded.unit.code
        // The record names every field that changed with its old and new value, not just counts.
        let changes = BudgetDiff.changes(from: loaded.budget, to: changed)
        let detail = changes.prefix(auditedChangesAtMost).map(\.auditText).joined(separator: " | ")
            + (changes.count > auditedChangesAtMost ? " | … \(changes.count - auditedChangesAtMost) more" : "")
        let summary = changes.isEmpty ? summary + "; no field changed" : summary + "; changed: " + detail
        do {
            try await req.audited { tx, audit in
                let unitID = try loaded.unit.requireID()
                let saved = try await BudgetStore.save(changed, unitID: unitID, expectedVersion: formVersion, on: tx)
                model.version = saved.version
                audit.add(AuditEvent(.update, objectType: "budget", objectID: "\(code)/\(changed.fiscalYear)",
                                     summary: summary))
            }
            return true
        } catch is BudgetConflict {
            return false
        }
    }

    static let auditedChangesAtMost = 60

    /// Reads an amount typed in 元 or 万元; the error names the field in the reader's language.
    static func amount(_ text: String?, unit: MoneyUnit, field: String, label: String, errors: inout [String: String],
                       l: L10n, allowNegative: Bool = false) -> Fen? {
        let raw = (text ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return .zero }
        switch NumberInput.amount(raw, unit: unit, range: -Fen.maxStated...Fen.maxStated) {
        case .success(let value):
            if value < .zero && !allowNegative { errors[field] = l("edit.error.negative", label); return nil }
            return value
        case .failure(.outOfRange):
            errors[field] = l("edit.error.amountRange", label, raw, MoneyFormat.inUnit(Fen.maxStated, unit), unit.rawValue)
            return nil
        case .failure:
            errors[field] = l("edit.error.amount", label, raw, unit.rawValue)
            return nil
        }
    }

    /// Reads a quantity (up to 10^9, three decimals); the error names the field.
    static func quantity(_ text: String?, field: String, allowZero: Bool, errors: inout [String: String],
                         l: L10n) -> Quantity? {
        let raw = (text ?? "").trimmingCharacters(in: .whitespaces)
        switch NumberInput.quantity(raw.isEmpty && allowZero ? "0" : raw) {
        case .success(let q) where allowZero || q.thousandths > 0:
            return q
        case .failure(.outOfRange):
            errors[field] = l("edit.error.quantityRange", raw, Quantity.maxStated.description)
            return nil
        default:
            errors[field] = l("edit.error.quantity", raw)
            return nil
        }
    }

    /// Amounts shown in a form in the unit the clerk chose.
    static func display(_ f: Fen, _ unit: MoneyUnit) -> String {
        unit == .wan ? MoneyFormat.wanInText(f).replacingOccurrences(of: "-0", with: "0") : MoneyFormat.yuan(f)
    }
}
