import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 预算执行: the county page for the finance bureau, a unit's projects, one project's payments and adjustments, and
/// the import of the treasury's payment export (all or nothing; a month imported again replaces that month).
enum ExecutionController {
    static let maxFileBytes = 40 << 20

    struct YearQuery: Content {
        var year: String?
        var page: String?
    }

    static func year(_ req: Request) throws -> Int {
        let q = try req.query.decode(YearQuery.self)
        let current = CivilDay(req.now).year
        guard let text = q.year, case .success(let y) = NumberInput.integer(text, range: 2000...2199) else {
            return current
        }
        return y
    }

    /// Finance staff of a unit import for it; the finance bureau for any unit.
    static func mayImport(_ p: Principal, unit: String?) -> Bool {
        if AccessPolicy.allows(p, .reviewBudgets) { return true }
        return unit.map { AccessPolicy.allows(p, .editUnitBudget(unitCode: $0)) } ?? false
    }

    static func canUse(_ p: Principal) -> Bool {
        AccessPolicy.allows(p, .reviewBudgets)
            || p.grants.contains { [.unitFinance, .unitHead].contains($0.role) }
    }

    static func county(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(user.principal, .reviewBudgets) else {
            // A unit's people go to their own unit's page.
            try await req.require(.readUnitBusiness(unitCode: user.unitCode))
            return req.redirect(within: SiteRoute.executionUnit(code: user.unitCode).path)
        }
        let page = try await ExecutionCountyPage.query(on: req.db, cache: req.application.fuzheng.executionCounty,
                                                       year: try year(req), today: CivilDay(req.now),
                                                       canImport: true)
        return ExecutionCountyView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    static func unitModel(_ req: Request) async throws -> UnitModel {
        guard let code = req.parameters.get("code"),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound)
        }
        return unit
    }

    static func unit(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unit = try await unitModel(req)
        try await req.require(.readUnitBusiness(unitCode: unit.code))
        let page = try await ExecutionUnitPage.query(on: req.db, unit: unit, year: try year(req),
                                                     today: CivilDay(req.now),
                                                     canImport: mayImport(user.principal, unit: unit.code))
        return ExecutionUnitView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    static func project(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unit = try await unitModel(req)
        try await req.require(.readUnitBusiness(unitCode: unit.code))
        let q = try req.query.decode(YearQuery.self)
        guard let code = req.parameters.get("project"),
              let page = try await ExecutionProjectPage.query(
                on: req.db, unitCode: unit.code, year: try year(req), code: code, today: CivilDay(req.now),
                page: NumberInput.page(q.page), canEdit: mayImport(user.principal, unit: unit.code)) else {
            throw Abort(.notFound)
        }
        return ExecutionProjectView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    static func importForm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard mayImport(user.principal, unit: user.unitCode) else {
            try await req.require(.reviewBudgets)
            throw Abort(.forbidden)
        }
        return ExecutionImportView.render(req.pageContext(), year: try year(req), problems: [], status: .ok)
    }

    struct ImportForm: Content {
        var year: String?
        var file: File?
    }

    /// The budgets' projects of a year by unit, for checking an import.
    static func projectCodes(year: Int, on db: Database) async throws -> [String: Set<String>] {
        guard let sql = db as? SQLDatabase else { return [:] }
        struct R: Decodable { var unit_code: String; var code: String? }
        let rows = try await sql.raw("""
            SELECT u.code AS unit_code, p.code FROM budgets b JOIN units u ON u.id = b.unit_id
            LEFT JOIN budget_projects p ON p.budget_id = b.id
            WHERE b.fiscal_year = \(bind: year) AND b.status IN ('approved', 'published')
            """).all(decoding: R.self)
        var out: [String: Set<String>] = [:]
        for r in rows { out[r.unit_code, default: []].formUnion(r.code.map { [$0] } ?? []) }
        return out
    }

    static func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let reviewer = AccessPolicy.allows(user.principal, .reviewBudgets)
        guard reviewer || mayImport(user.principal, unit: user.unitCode) else {
            try await req.require(.reviewBudgets)
            throw Abort(.forbidden)
        }
        let form = try req.content.decode(ImportForm.self)
        let ctx = req.pageContext()
        guard let text = form.year, case .success(let year) = NumberInput.integer(text, range: 2000...2199) else {
            return ExecutionImportView.render(ctx, year: CivilDay(req.now).year, problems: [
                WorkbookProblem(sheet: "", zh: "请填写年度", en: "enter the year"),
            ], status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else {
            return ExecutionImportView.render(ctx, year: year, problems: [
                WorkbookProblem(sheet: "", zh: "请选择国库支付导出文件（CSV 或 XLSX）", en: "choose the treasury export"),
            ], status: .unprocessableEntity)
        }
        guard file.data.readableBytes <= maxFileBytes else {
            return ExecutionImportView.render(ctx, year: year, problems: [
                WorkbookProblem(sheet: "", zh: "文件超过 40 MB", en: "the file is larger than 40 MB"),
            ], status: .unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let name = String(file.filename.prefix(120))
        let projects = try await projectCodes(year: year, on: req.db)
        // Reading a large file is CPU work: off the event loop, on the file store's threads.
        let read: (rows: [PaymentRow], problems: [WorkbookProblem]) = try await req.application.fuzheng.files.pool
            .runIfActive {
                switch PaymentImport.table(fileName: name, data: data) {
                case .failure(let problem): return ([], [problem])
                case .success(let table):
                    return PaymentImport.read(table, context: .init(year: year, projects: projects,
                                                                    allowedUnits: reviewer ? nil : [user.unitCode]))
                }
            }
        guard read.problems.isEmpty else {
            return ExecutionImportView.render(ctx, year: year, problems: read.problems, status: .unprocessableEntity)
        }
        let rows = read.rows
        let now = req.now
        let (added, replaced) = try await req.audited { tx, audit in
            let result = try await ExecutionStore.replace(rows, year: year, by: user.username, at: now, on: tx)
            let months = Set(rows.map(\.month)).sorted().joined(separator: "、")
            audit.add(AuditEvent(.create, objectType: "payments", objectID: "\(year)",
                                 summary: "导入国库支付数据 \(name)：\(result.added) 笔（\(months)），替换原有 \(result.replaced) 笔"))
            return (result.added, result.replaced)
        }
        req.setFlash(req.l10n("execution.imported", String(added), String(replaced)))
        let target = reviewer ? SiteRoute.execution.path : SiteRoute.executionUnit(code: user.unitCode).path
        return req.redirect(within: target + "?year=\(year)")
    }

    struct AdjustForm: Content {
        var kind: String?
        var number: String?
        var day: String?
        var amount: String?
        var year: String?
    }

    static func adjust(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unit = try await unitModel(req)
        guard let code = req.parameters.get("project") else { throw Abort(.notFound) }
        guard mayImport(user.principal, unit: unit.code) else {
            try await req.require(.editUnitBudget(unitCode: unit.code))
            throw Abort(.forbidden)
        }
        let form = try req.content.decode(AdjustForm.self)
        let year = form.year.flatMap { Int($0) } ?? CivilDay(req.now).year
        let path = SiteRoute.executionProject(code: unit.code, project: code).path + "?year=\(year)"
        guard try await projectCodes(year: year, on: req.db)[unit.code]?.contains(code) == true else {
            throw Abort(.notFound)
        }
        switch BudgetAdjustment.read(kind: form.kind ?? "", projectCode: code, number: form.number ?? "",
                                     day: form.day ?? "", amount: form.amount ?? "") {
        case .failure(let p):
            let l = req.l10n
            req.setFlash(p.all.map { l.language == .zh ? $0.zh : $0.en }.joined(separator: "；"), error: true)
            return req.redirect(within: path + "#adjust")
        case .success(let a):
            let now = req.now
            try await req.audited { tx, audit in
                try await CacheGenerations.bump(CacheGenerations.execution, on: tx)
                let m = BudgetAdjustmentModel()
                m.unitCode = unit.code
                m.year = year
                m.projectCode = code
                m.kind = a.kind.rawValue
                m.number = a.number
                m.day = a.day.description
                m.amountFen = a.amount.value
                m.createdBy = user.username
                m.createdAt = now
                try await m.create(on: tx)
                audit.add(AuditEvent(.create, objectType: "budget_adjustment", objectID: m.id?.uuidString,
                                     summary: "\(a.kind.zh) \(unit.code) \(year) \(code) \(a.number) "
                                         + "\(MoneyFormat.yuan(a.amount)) 元"))
            }
            req.setFlash("execution.adjustedDone")
            return req.redirect(within: path)
        }
    }
}

extension ExecutionController {
    struct PayForm: Content {
        var year: String?
        var paid_on: String?
        var planned_on: String?
        var amount: String?
        var line: String?
        var fund: String?
        var economic: String?
        var payee: String?
    }

    /// A payment entered by hand, checked exactly as an imported row is (the same reader, one row).
    static func pay(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unit = try await unitModel(req)
        guard let code = req.parameters.get("project") else { throw Abort(.notFound) }
        guard mayImport(user.principal, unit: unit.code) else {
            try await req.require(.editUnitBudget(unitCode: unit.code))
            throw Abort(.forbidden)
        }
        let form = try req.content.decode(PayForm.self)
        let year = form.year.flatMap { Int($0) } ?? CivilDay(req.now).year
        let path = SiteRoute.executionProject(code: unit.code, project: code).path + "?year=\(year)"
        let projects = try await projectCodes(year: year, on: req.db)
        guard projects[unit.code]?.contains(code) == true else { throw Abort(.notFound) }
        let l = req.l10n
        let cells = [unit.code, code, form.paid_on ?? "", form.planned_on ?? "", form.amount ?? "", form.line ?? "",
                     form.fund ?? "", form.economic ?? "", form.payee ?? ""]
        let heads = ["预算单位编码", "项目编码", "支付日期", "计划支付日期", "支付金额", "用途", "资金来源", "经济分类",
                     "收款人类型"]
        func row(_ values: [String]) -> [Int: String] {
            Dictionary(uniqueKeysWithValues: values.enumerated().compactMap { i, v in
                let t = v.trimmingCharacters(in: .whitespaces)
                return t.isEmpty ? nil : (i, t)
            })
        }
        let table = PeopleImport.Table(name: l("execution.pay"), rows: [(1, row(heads)), (2, row(cells))])
        let read = PaymentImport.read(table, context: .init(year: year, projects: projects, allowedUnits: [unit.code]))
        guard read.problems.isEmpty, let payment = read.rows.first else {
            let text = read.problems.map { l.language == .zh ? "\($0.fieldZh ?? "")：\($0.reasonZh)"
                : "\($0.fieldEn ?? ""): \($0.reasonEn)" }.joined(separator: l.language == .zh ? "；" : "; ")
            req.setFlash(text, error: true)
            return req.redirect(within: path + "#pay")
        }
        let now = req.now
        try await req.audited { tx, audit in
            let m = PaymentModel()
            m.unitCode = unit.code
            m.year = year
            m.month = payment.month
            m.projectCode = code
            m.line = payment.line
            m.paidOn = payment.paidOn.description
            m.plannedOn = payment.plannedOn?.description
            m.amountFen = payment.amount.value
            m.fund = payment.fund
            m.economic = payment.economic
            m.payee = payment.payee
            m.source = "form"
            m.createdBy = user.username
            m.createdAt = now
            try await m.create(on: tx)
            try await ExecutionTotals.recompute(units: [unit.code], year: year, on: tx)
            audit.add(AuditEvent(.create, objectType: "payment", objectID: m.id?.uuidString,
                                 summary: "登记支付 \(unit.code) \(code) \(payment.paidOn) "
                                     + "\(MoneyFormat.yuan(payment.amount)) 元"))
        }
        req.setFlash("execution.paidDone")
        return req.redirect(within: path)
    }
}

/// Payments written for a unit's year: an import replaces the months it holds for each unit it names, inside one
/// transaction, and the per-project sums are recomputed in the same one.
enum ExecutionStore {
    static func replace(_ rows: [PaymentRow], year: Int, by username: String, at now: Date,
                        on tx: Database) async throws -> (added: Int, replaced: Int) {
        guard let sql = tx as? SQLDatabase else { return (0, 0) }
        var replaced = 0
        let byUnit = Dictionary(grouping: rows, by: \.unitCode)
        for (unit, list) in byUnit {
            let months = Array(Set(list.map(\.month))).sorted()
            struct N: Decodable { var n: Int }
            replaced += try await sql.raw("""
                SELECT COUNT(*) AS n FROM payments WHERE unit_code = \(bind: unit) AND year = \(bind: year) \
                AND month IN (\(binds: months)) AND source = 'import'
                """).first(decoding: N.self)?.n ?? 0
            try await sql.delete(from: PaymentModel.schema).where("unit_code", .equal, unit)
                .where("year", .equal, year).where("month", .in, months).where("source", .equal, "import").run()
        }
        for chunk in rows.chunked(by: 500) {
            var insert = sql.insert(into: PaymentModel.schema)
                .columns("id", "unit_code", "year", "month", "project_code", "line", "paid_on", "planned_on",
                         "amount_fen", "fund", "economic", "payee", "source", "created_by", "created_at")
            for r in chunk {
                insert = insert.values(SQLBind(UUID()), SQLBind(r.unitCode), SQLBind(year), SQLBind(r.month),
                                       SQLBind(r.projectCode), SQLBind(r.line), SQLBind(r.paidOn.description),
                                       SQLBind(r.plannedOn?.description), SQLBind(r.amount.value), SQLBind(r.fund),
                                       SQLBind(r.economic), SQLBind(r.payee), SQLBind("import"), SQLBind(username),
                                       SQLBind(now))
            }
            try await insert.run()
        }
        try await ExecutionTotals.recompute(units: Set(byUnit.keys), year: year, on: tx)
        return (rows.count, replaced)
    }
}
