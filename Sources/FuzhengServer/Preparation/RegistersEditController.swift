import Fluent
import FuzhengCore
import Plot
import Vapor

/// Editing the registers and words of a budget: procurement lines, fixed assets, narrative.
enum RegistersEditController {
    // MARK: Procurement

    struct ProcurementForm: Content {
        var version: Int?
        var unit: String?
        var line: [ProcurementRow]?
        /// Set by a row's 查找 button: that row's number. Nothing is saved; the form comes back with the matches.
        var find: String?
        /// Set by a match's 使用 button: "row:code". Nothing is saved; the form comes back with the row filled.
        var use: String?
    }

    struct ProcurementRow: Content {
        var project: String?
        var item: String?
        var code: String?
        var uom: String?
        var quantity: String?
        var price: String?
        var fund: String?
        var sme: String?
        var delete: String?
    }

    static func showProcurement(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let unit = MoneyUnit(formValue: try? req.query.get(String.self, at: "unit")) ?? .wan
        return RegistersEditView.procurement(req.pageContext(), loaded, unit: unit, form: nil, errors: [:], flash: req.takeFlashWithKind())
    }

    static func saveProcurement(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let form = try req.content.decode(ProcurementForm.self)
        let unit = MoneyUnit(formValue: form.unit) ?? .wan
        if form.find != nil || form.use != nil { return pick(req, loaded, form, unit: unit) }
        let l = req.l10n
        let path = SiteRoute.budgetEditProcurement(code: loaded.unit.code, year: loaded.budget.fiscalYear).path
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: path) { return stale }
        var errors: [String: String] = [:]
        var lines: [ProcurementLine] = []
        for (i, row) in (form.line ?? []).enumerated() where row.delete == nil {
            let item = (row.item ?? "").trimmingCharacters(in: .whitespaces)
            let typed = (row.code ?? "").trimmingCharacters(in: .whitespaces)
            if item.isEmpty && typed.isEmpty { continue }
            var code = ""
            switch ProcurementCatalog.shared.resolve(typed) {
            case .code(let found): code = found
            case .ambiguous(let name, let codes):
                errors["line[\(i)].code"] = l("edit.error.catalogAmbiguous", name, codes.joined(separator: "、"))
            case .empty, .unknown: errors["line[\(i)].code"] = l("edit.error.catalogCode", typed)
            }
            if item.isEmpty { errors["line[\(i)].item"] = l("edit.error.itemName") }
            let project = loaded.budget.projects.first { $0.code == row.project }
            if project == nil { errors["line[\(i)].project"] = l("edit.error.procurementProject", String(i + 1)) }
            guard let quantity = BudgetEditing.quantity(row.quantity, field: "line[\(i)].quantity", allowZero: false,
                                                        errors: &errors, l: l) else { continue }
            guard let price = BudgetEditing.amount(row.price, unit: unit, field: "line[\(i)].price", label: l("budget.unitPrice"), errors: &errors, l: l),
                  let sme = BudgetEditing.amount(row.sme, unit: unit, field: "line[\(i)].sme", label: l("budget.sme"), errors: &errors, l: l)
            else { continue }
            guard let amount = quantity.exactlyTimes(price), amount <= Fen.maxStated else {
                errors["line[\(i)].price"] = l("edit.error.productRange", item, MoneyFormat.inUnit(Fen.maxStated, unit),
                                               unit.rawValue)
                continue
            }
            let fund = ProcurementFund(rawValue: row.fund ?? "") ?? .generalPublicBudget
            lines.append(ProcurementLine(projectName: project?.name ?? "", projectCode: project?.code, projectAmount: project?.amount,
                                         itemName: item, catalogCode: code, unitOfMeasure: (row.uom ?? "").trimmingCharacters(in: .whitespaces),
                                         quantity: quantity, unitPrice: price, amount: amount, byFund: [fund: amount], smeReserved: min(sme, amount)))
        }
        guard errors.isEmpty else {
            return RegistersEditView.procurement(req.pageContext(), loaded, unit: unit, form: form, errors: errors, flash: nil, status: .unprocessableEntity)
        }
        var b = loaded.budget
        let before = b.procurementTotal
        b.procurement = lines
        b.fillUnstatedTotals()
        guard try await BudgetEditing.save(req, loaded, b, formVersion: form.version ?? -1,
                                           summary: "procurement: before \(before.readable) | after \(b.procurementTotal.readable) in \(lines.count) lines") else {
            return BudgetEditing.conflict(req, backTo: path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: path + "?unit=\(unit.formValue)")
    }

    /// A row's 查找 or a match's 使用, for the form without script: the same page again with every typed value kept,
    /// nothing saved and nothing checked.
    static func pick(_ req: Request, _ loaded: BudgetEditing.Loaded, _ form: ProcurementForm,
                     unit: MoneyUnit) -> Response {
        var form = form
        var lines = form.line ?? []
        var picker: RegistersEditView.CatalogPicker?
        if let use = form.use, let colon = use.firstIndex(of: ":"), let i = Int(use[..<colon]),
           lines.indices.contains(i), let item = ProcurementCatalog.shared[String(use[use.index(after: colon)...])] {
            fill(&lines[i], with: item)
        } else if let find = form.find, let i = Int(find), lines.indices.contains(i) {
            // An empty code field searches by what the line is called, which is what a clerk has typed first.
            let code = (lines[i].code ?? "").trimmingCharacters(in: .whitespaces)
            let query = String((code.isEmpty ? lines[i].item ?? "" : code).trimmingCharacters(in: .whitespaces)
                .prefix(catalogQueryLength))
            let found = ProcurementCatalog.shared.search(query, limit: pickerLimit)
            picker = .init(row: i, query: query, items: found.items, more: found.more)
        }
        form.line = lines
        form.find = nil
        form.use = nil
        return RegistersEditView.procurement(req.pageContext(), loaded, unit: unit, form: form, errors: [:], flash: nil,
                                             picker: picker)
    }

    static let pickerLimit = 20
    /// Longer queries match nothing in the catalog; the cap keeps a pasted page from costing a scan per character.
    static let catalogQueryLength = 40

    /// The code, and the name and unit too while the line's name is blank or still the catalog's name for the code it
    /// had: a name the clerk wrote is kept. The script on the page does the same.
    static func fill(_ row: inout ProcurementRow, with item: ProcurementCatalog.Item) {
        let name = (row.item ?? "").trimmingCharacters(in: .whitespaces)
        let follows = name.isEmpty || name == catalogItem(row.code)?.name
        row.code = item.code
        if follows { row.item = item.name }
        if let unit = item.unit, follows || (row.uom ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            row.uom = unit
        }
    }

    /// The catalog item that what a row's code field holds stands for, if exactly one.
    static func catalogItem(_ typed: String?) -> ProcurementCatalog.Item? {
        guard case .code(let code) = ProcurementCatalog.shared.resolve(typed ?? "") else { return nil }
        return ProcurementCatalog.shared[code]
    }

    // MARK: Assets

    struct AssetsForm: Content {
        var version: Int?
        var asOf: String?
        var plannedPurchases: String?
        var qty: [String: String]?
        var value: [String: String]?
    }

    static let assetRows: [(key: String, label: String, path: WritableKeyPath<AssetHoldings, AssetRow>)] = [
        ("total", "budget.assets.total", \.total), ("buildings", "budget.assets.buildings", \.buildings),
        ("officeSpace", "budget.assets.officeSpace", \.officeSpace), ("vehicles", "budget.assets.vehicles", \.vehicles),
        ("equipment", "budget.assets.equipment", \.highValueEquipment), ("other", "budget.assets.other", \.other),
    ]

    static func showAssets(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        return RegistersEditView.assets(req.pageContext(), loaded, form: nil, errors: [:], flash: req.takeFlashWithKind())
    }

    static func saveAssets(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let form = try req.content.decode(AssetsForm.self)
        let l = req.l10n
        let path = SiteRoute.budgetEditAssets(code: loaded.unit.code, year: loaded.budget.fiscalYear).path
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: path) { return stale }
        var errors: [String: String] = [:]
        var assets = loaded.budget.assets
        let asOf = (form.asOf ?? "").trimmingCharacters(in: .whitespaces)
        if let day = DayInput.iso(asOf) { assets.asOf = day } else { errors["asOf"] = l("edit.error.date") }
        for row in assetRows {
            guard let quantity = BudgetEditing.quantity(form.qty?[row.key], field: "qty[\(row.key)]", allowZero: true,
                                                        errors: &errors, l: l) else { continue }
            guard let value = BudgetEditing.amount(form.value?[row.key], unit: .wan, field: "value[\(row.key)]", label: l(row.label), errors: &errors, l: l) else { continue }
            assets[keyPath: row.path] = AssetRow(quantity: quantity, value: value)
        }
        // Blank: the goods in procurement, by definition; typed: kept and checked against them.
        let planned = (form.plannedPurchases ?? "").trimmingCharacters(in: .whitespaces)
        if planned.isEmpty {
            assets.plannedPurchases = loaded.budget.procurementTotal(.goods)
        } else if let value = BudgetEditing.amount(planned, unit: .wan, field: "plannedPurchases",
                                                   label: l("edit.plannedPurchases"), errors: &errors, l: l) {
            assets.plannedPurchases = value
        }
        guard errors.isEmpty else {
            return RegistersEditView.assets(req.pageContext(), loaded, form: form, errors: errors, flash: nil, status: .unprocessableEntity)
        }
        var b = loaded.budget
        b.assets = assets
        b.fillUnstatedTotals()
        guard try await BudgetEditing.save(req, loaded, b, formVersion: form.version ?? -1,
                                           summary: "assets: total \(b.assets.total.value.readable) at \(b.assets.asOf)") else {
            return BudgetEditing.conflict(req, backTo: path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: path)
    }

    /// yyyy-MM-dd and a real day (Foundation's formatter also accepts 2023/12/31).
    static func isISODate(_ s: String) -> Bool {
        let chars = Array(s)
        guard chars.count == 10, chars[4] == "-", chars[7] == "-",
              chars.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || $0.element.isASCII && $0.element.isNumber })
        else { return false }
        return AuditFilter.day(s).map { AuditFilter.display($0).hasPrefix(s) } ?? false
    }

    // MARK: Narrative

    struct NarrativeForm: Content {
        var version: Int?
        var duties: String?
        var overallTarget: String?
        var dutyTargets: String?
        var otherNotes: String?
        var glossary: String?
    }

    static func showNarrative(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        return RegistersEditView.narrative(req.pageContext(), loaded, form: nil, errors: [:], flash: req.takeFlashWithKind())
    }

    static func saveNarrative(req: Request) async throws -> Response {
        let loaded = try await BudgetEditing.load(req)
        let form = try req.content.decode(NarrativeForm.self)
        let l = req.l10n
        let path = SiteRoute.budgetEditNarrative(code: loaded.unit.code, year: loaded.budget.fiscalYear).path
        if let stale = BudgetEditing.refuseIfStale(req, loaded, formVersion: form.version, backTo: path) { return stale }
        var errors: [String: String] = [:]
        var glossary: [GlossaryEntry] = []
        for (i, line) in (form.glossary ?? "").split(separator: "\n").enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let colon = text.firstIndex(where: { $0 == "：" || $0 == ":" }) else {
                errors["glossary"] = l("edit.error.glossary", String(i + 1))
                break
            }
            var term = String(text[..<colon])
            if let stripped = TextNumbering.strip(term) { term = stripped }
            glossary.append(GlossaryEntry(term: term, definition: String(text[text.index(after: colon)...])))
        }
        guard errors.isEmpty else {
            return RegistersEditView.narrative(req.pageContext(), loaded, form: form, errors: errors, flash: nil, status: .unprocessableEntity)
        }
        var b = loaded.budget
        b.narrative.duties = (form.duties ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        b.narrative.overallTarget = (form.overallTarget ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        b.narrative.dutyTargets = (form.dutyTargets ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        b.narrative.otherNotes = (form.otherNotes ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        b.narrative.glossary = glossary
        guard try await BudgetEditing.save(req, loaded, b, formVersion: form.version ?? -1,
                                           summary: "narrative: \(glossary.count) glossary entries, \(b.narrative.dutyTargets.count) duty targets") else {
            return BudgetEditing.conflict(req, backTo: path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: path)
    }

    // MARK: Catalog search

    /// 政府采购品目分类目录 search by code, name or pinyin initials; public, so it works from any form without script.
    static func catalogSearch(req: Request) async throws -> Response {
        let q = catalogQuery(req)
        let found = ProcurementCatalog.shared.search(q, limit: 100)
        return RegistersEditView.catalog(req.pageContext(), query: q, matches: found.items)
    }

    struct CatalogMatch: Content {
        var code: String
        var name: String
        var unit: String?
    }

    struct CatalogMatches: Content {
        var matches: [CatalogMatch]
        var more: Bool
    }

    /// The same search for the procurement form's script: at most 20 items, read-only and public like the page.
    /// The query is not echoed back, so nothing typed can come back as markup.
    static func catalogJSON(req: Request) async throws -> Response {
        let found = ProcurementCatalog.shared.search(catalogQuery(req), limit: pickerLimit)
        let body = CatalogMatches(matches: found.items.map { .init(code: $0.code, name: $0.name, unit: $0.unit) },
                                  more: found.more)
        let response = try await body.encodeResponse(for: req)
        // The catalog changes with a release only.
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    static func catalogQuery(_ req: Request) -> String {
        String(((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
            .prefix(catalogQueryLength))
    }
}

/// "3、一般公共预算拨款收入" → "一般公共预算拨款收入".
enum TextNumbering {
    static func strip(_ s: String) -> String? {
        let digits = s.prefix { $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let rest = s.dropFirst(digits.count).drop { "、.．".contains($0) || $0 == " " }
        return rest.isEmpty ? nil : String(rest)
    }
}
