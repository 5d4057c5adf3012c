import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 绩效运行监控: the 监控表 of a project at a monitoring point — filled and submitted by the unit's finance staff,
/// sent back or approved by the finance bureau, with its history and notices as budgets have — its exports, and
/// the list of a year's tables.
enum MonitoringController {
    typealias Conflict = VersionConflict

    static func context(_ req: Request) async throws -> (CurrentUser, UnitModel, String, CivilDay) {
        let user = try req.requireUser()
        let unit = try await ExecutionController.unitModel(req)
        try await req.require(.readUnitBusiness(unitCode: unit.code))
        guard let project = req.parameters.get("project"),
              let point = MonitoringPage.point(req.parameters.get("point")) else { throw Abort(.notFound) }
        return (user, unit, project, point)
    }

    static func page(_ req: Request) async throws -> (CurrentUser, MonitoringPage) {
        let (user, unit, project, point) = try await context(req)
        guard let page = try await MonitoringPage.query(on: req.db, principal: user.principal, unit: unit,
                                                        project: project, point: point) else {
            throw Abort(.notFound)
        }
        return (user, page)
    }

    static func show(req: Request) async throws -> Response {
        let (_, page) = try await page(req)
        return MonitoringView.render(req.pageContext(), page, errors: [:], flash: req.takeFlashWithKind())
    }

    /// The typed lines over the sheet; the problems of fields that cannot be read (an amount, a choice).
    static func read(_ form: [String: String], into sheet: inout MonitoringSheet, bindings: inout [String: String?])
        -> [String: String] {
        var errors: [String: String] = [:]
        func text(_ key: String, _ limit: Int) -> String {
            String((form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
        }
        let forecast = text("forecast", 40)
        if forecast.isEmpty {
            sheet.forecast = nil
        } else if case .success(let v) = NumberInput.amount(forecast, unit: .yuan) {
            sheet.forecast = v
        } else {
            errors["forecast"] = "全年预计执行数应为不超过1亿万元的金额 / not a valid amount"
        }
        let catalog = Set(MetricCatalog.shared.metrics.map(\.id))
        for i in sheet.entries.indices {
            var e = sheet.entries[i]
            if let metric = form["metric_\(i)"] {
                let wanted = catalog.contains(metric) ? metric : nil
                if wanted != e.metric { bindings[e.key] = .some(wanted) }
                e.metric = wanted
            }
            if e.metric == nil || form["value_\(i)"] != nil {
                e.value = text("value_\(i)", MonitoringSheet.limits.value)
            }
            let likelihood = form["likelihood_\(i)"] ?? ""
            e.likelihood = Likelihood(rawValue: likelihood)
            if !likelihood.isEmpty && e.likelihood == nil { errors["likelihood_\(i)"] = "请选择 / choose one" }
            let cause = form["cause_\(i)"] ?? ""
            e.cause = DeviationCause(rawValue: cause)
            if !cause.isEmpty && e.cause == nil { errors["cause_\(i)"] = "请选择 / choose one" }
            e.causeText = text("cause_text_\(i)", MonitoringSheet.limits.text)
            e.measures = text("measures_\(i)", MonitoringSheet.limits.text)
            sheet.entries[i] = e
        }
        return errors
    }

    /// 保存 (and, with intent=submit, 提交): the lines, the bindings changed and a saved event, in one audited
    /// transaction with the version claimed in the write.
    static func save(req: Request) async throws -> Response {
        let (user, unit, project, point) = try await context(req)
        guard let page = try await MonitoringPage.query(on: req.db, principal: user.principal, unit: unit,
                                                        project: project, point: point) else { throw Abort(.notFound) }
        guard page.canEdit else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "monitoring", objectID: page.path,
                                           summary: "save", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let form = try req.content.decode([String: String].self)
        var sheet = page.sheet
        var bindings: [String: String?] = [:]
        let errors = read(form, into: &sheet, bindings: &bindings)
        guard errors.isEmpty else {
            var shown = page
            shown.sheet = sheet
            let ctx = req.pageContext()
            return MonitoringView.render(ctx, shown, errors: errors, flash: (ctx.l("monitoring.fix"), true),
                                         status: .unprocessableEntity)
        }
        let expected = Int(form["version"] ?? "") ?? -1
        let submit = form["intent"] == "submit"
        let now = req.now
        // Bound lines come from their metric: computed again with the bindings as they will be once stored.
        if !bindings.isEmpty, let again = try await MonitoringPage.live(unit: unit, project: project, point: point,
                                                                      base: sheet, rebinding: bindings, on: req.db) {
            sheet = again
        }
        let before = page.sheet
        let final = sheet
        do {
            let changed = bindings
            try await req.audited { tx, audit in
                for (key, metric) in changed {
                    try await IndicatorBindingModel.set(unit: unit.code, year: point.year, project: project,
                                                        indicator: key, metric: metric, on: tx)
                }
                let model = try await store(final, unit: unit.code, project: project, point: point,
                                            expected: expected, stored: page.stored, by: user, at: now, on: tx)
                try await event(model, "save", from: .draft, to: .draft, comment: "", user: user, at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "monitoring", objectID: page.path,
                                     summary: "保存监控表：" + changes(before, final)
                                         + changed.map { "；绑定 \($0.key) → \($0.value ?? "手工")" }.joined()))
            }
        } catch is Conflict {
            req.setFlash("monitoring.conflict", error: true)
            return req.redirect(within: page.path)
        }
        if submit {
            return try await step(req, user: user, unit: unit, project: project, point: point,
                                  action: .submit, comment: "")
        }
        req.setFlash("monitoring.saved")
        return req.redirect(within: page.path)
    }

    static func changes(_ a: MonitoringSheet, _ b: MonitoringSheet) -> String {
        var out: [String] = []
        if a.forecast != b.forecast {
            let (x, y) = (a.forecast.map(MoneyFormat.yuan) ?? "—", b.forecast.map(MoneyFormat.yuan) ?? "—")
            out.append("全年预计执行数 \(x) → \(y)")
        }
        for (x, y) in zip(a.entries, b.entries) where x != y {
            var parts: [String] = []
            if x.value != y.value { parts.append("完成值 \(x.value) → \(y.value)") }
            if x.likelihood != y.likelihood { parts.append("可能性 → \(y.likelihood?.zh ?? "")") }
            if x.cause != y.cause || x.causeText != y.causeText { parts.append("偏差原因 → \(y.cause?.zh ?? "")") }
            if x.measures != y.measures { parts.append("纠偏措施已改") }
            if !parts.isEmpty { out.append(y.name + "：" + parts.joined(separator: "，")) }
        }
        return out.isEmpty ? "无改动" : out.joined(separator: "；")
    }

    static func store(_ sheet: MonitoringSheet, unit: String, project: String, point: CivilDay, expected: Int,
                      stored: Bool, status: MonitoringStatus = .draft, by user: CurrentUser, at now: Date,
                      on tx: Database) async throws -> MonitoringTableModel {
        let json = try MonitoringTableModel.encode(sheet)
        if !stored {
            guard expected == 0 else { throw Conflict() }
            let m = MonitoringTableModel()
            (m.unitCode, m.year, m.projectCode, m.point) = (unit, point.year, project, point.description)
            (m.status, m.version, m.sheetJSON, m.updatedBy, m.updatedAt) = (status.rawValue, 1, json, user.username,
                                                                             now)
            // Two first saves at once: the unique (unit, year, project, point) lets one in.
            do { try await m.create(on: tx) } catch { throw Conflict() }
            return m
        }
        guard let sql = tx as? SQLDatabase,
              let m = try await MonitoringPage.find(unit: unit, project: project, point: point, on: tx) else {
            throw Conflict()
        }
        let claimed = try await sql.update(MonitoringTableModel.schema).set("version", to: expected + 1)
            .set("sheet_json", to: json).set("status", to: status.rawValue).set("updated_by", to: user.username)
            .set("updated_at", to: now).where("id", .equal, m.requireID()).where("version", .equal, expected)
            .returning("id").all()
        guard claimed.count == 1 else { throw Conflict() }
        (m.version, m.sheetJSON, m.status, m.updatedAt) = (expected + 1, json, status.rawValue, now)
        return m
    }

    static func event(_ m: MonitoringTableModel, _ action: String, from: MonitoringStatus, to: MonitoringStatus,
                      comment: String, user: CurrentUser, at now: Date, on tx: Database) async throws {
        let e = MonitoringEventModel()
        e.$table.id = try m.requireID()
        (e.at, e.action, e.username, e.displayName) = (now, action, user.username, user.displayName)
        (e.comment, e.fromStatus, e.toStatus) = (comment, from.rawValue, to.rawValue)
        try await e.create(on: tx)
    }

    struct StepForm: Content {
        var action: String?
        var comment: String?
        var version: String?
    }

    static func act(req: Request) async throws -> Response {
        let (user, unit, project, point) = try await context(req)
        let form = try req.content.decode(StepForm.self)
        guard let action = MonitoringAction(rawValue: form.action ?? "") else { throw Abort(.badRequest) }
        return try await step(req, user: user, unit: unit, project: project, point: point, action: action,
                              comment: String((form.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                                .prefix(500)), version: form.version.flatMap { Int($0) })
    }

    /// One step of the workflow. Submitting freezes the sheet as it stands (figures and bound values included).
    static func step(_ req: Request, user: CurrentUser, unit: UnitModel, project: String, point: CivilDay,
                     action: MonitoringAction, comment: String, version: Int? = nil) async throws -> Response {
        guard let page = try await MonitoringPage.query(on: req.db, principal: user.principal, unit: unit,
                                                        project: project, point: point) else { throw Abort(.notFound) }
        let decision = MonitoringWorkflow.monitoring.next(page.status, action, by: user.principal,
                                                          unitCode: unit.code, comment: comment,
                                                          problems: page.problems.count)
        let (expected, now, path, sheet, from) = (version ?? page.version, req.now, page.path, page.sheet, page.status)
        let stored = page.stored
        let name = "\(unit.name)“\(sheet.projectName)”\(point.year)年\(MonitoringRules.periodZh(point))"
        let (unitCode, reviewer) = (unit.code, user.displayName)
        let notice: (role: Role, message: Message)? = switch action {
        case .submit: (.financeReviewer, Message("monitoring.notify.submitted", name))
        case .sendBack: (.unitFinance, Message("monitoring.notify.sentBack", name, reviewer, comment))
        case .approve: (.unitFinance, Message("monitoring.notify.approved", name, reviewer))
        case .withdraw: nil
        }
        return try await ReviewedStep.run(
            req, decision, module: "monitoring", what: "监控表", from: from, action: action, comment: comment,
            path: path, unitCode: unitCode, notice: notice, problems: page.problems.count,
            render: { ctx, flash in
                MonitoringView.render(ctx, page, errors: [:], flash: flash, status: .unprocessableEntity)
            },
            write: { tx, to in
                let m = try await store(sheet, unit: unitCode, project: project, point: point, expected: expected,
                                        stored: stored, status: to, by: user, at: now, on: tx)
                try await event(m, action.rawValue, from: from, to: to, comment: comment, user: user, at: now, on: tx)
            })
    }

    /// The sheet as XLSX or DOCX (the page itself prints as the HTML form).
    static func file(req: Request) async throws -> Response {
        let (_, page) = try await page(req)
        let s = page.sheet
        let title = "\(s.year)年项目支出绩效目标执行监控表（\(MonitoringRules.periodZh(s.point))）"
        let base = "monitoring-\(s.unitCode)-\(s.projectCode)-\(s.point)"
        let (data, type, ext): (Data, String, String)
        switch req.parameters.get("format") {
        case "xlsx":
            (data, type, ext) = (PlainWorkbook.make([(name: "监控表", rows: [[title]] + s.rows())]),
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
        case "docx":
            (data, type, ext) = (DocxWriter.document([.heading(title), .table(s.rows()),
                                                      .paragraph("状态：\(MonitoringView.statusZh(page.status))")]),
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
        default: throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: String(type.split(separator: "/")[0]),
                                                     subType: String(type.split(separator: "/")[1]))
        response.headers.contentDisposition = .init(.attachment, filename: "\(base).\(ext)")
        return response
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let reviewer = AccessPolicy.allows(user.principal, .reviewBudgets)
        if !reviewer { try await req.require(.readUnitBusiness(unitCode: user.unitCode)) }
        let page = try await MonitoringListPage.query(on: req.db, year: try ExecutionController.year(req),
                                                      unit: reviewer ? nil : user.unitCode, reviewer: reviewer)
        return MonitoringListView.render(req.pageContext(), page)
    }
}
