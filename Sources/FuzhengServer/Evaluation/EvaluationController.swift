import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 项目支出绩效自评: the 自评表 of a project's year — prepared by the unit's finance staff, approved by the unit
/// head, reviewed (and, with a recorded reason, re-scored) by the finance bureau, published on the portal beside
/// the year's budget — its exports, and the list of a year's tables.
enum EvaluationController {
    typealias Conflict = VersionConflict

    static func context(_ req: Request) async throws -> (CurrentUser, UnitModel, Int, String) {
        let user = try req.requireUser()
        let unit = try await ExecutionController.unitModel(req)
        try await req.require(.readUnitBusiness(unitCode: unit.code))
        guard let project = req.parameters.get("project"),
              let yearText = req.parameters.get("year"),
              case .success(let year) = NumberInput.integer(yearText, range: 2000...2199) else {
            throw Abort(.notFound)
        }
        return (user, unit, year, project)
    }

    static func page(_ req: Request) async throws -> (CurrentUser, UnitModel, EvaluationPage) {
        let (user, unit, year, project) = try await context(req)
        guard let page = try await EvaluationPage.query(on: req.db, principal: user.principal, unit: unit, year: year,
                                                        project: project) else { throw Abort(.notFound) }
        return (user, unit, page)
    }

    static func show(req: Request) async throws -> Response {
        let (_, _, page) = try await page(req)
        return EvaluationView.render(req.pageContext(), page, errors: [:], flash: req.takeFlashWithKind())
    }

    /// The typed lines over the evaluation; the fields that cannot be read.
    static func read(_ form: [String: String], into e: inout ProjectEvaluation) -> [String: String] {
        var errors: [String: String] = [:]
        func text(_ key: String, _ limit: Int = 1_000) -> String {
            String((form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
        }
        for i in e.indicators.indices {
            var line = e.indicators[i]
            let weight = text("weight_\(i)", 20)
            if weight.isEmpty {
                line.weight = nil
            } else if let w = SelfEvaluation.number(weight), w <= 100 {
                line.weight = w
            } else {
                errors["weight_\(i)"] = "权重应为0至100之间的数 / a weight from 0 to 100"
            }
            line.actual = text("actual_\(i)", 100)
            let judgement = text("judgement_\(i)", 20)
            line.judgement = Judgement(rawValue: judgement)
            if !judgement.isEmpty && line.judgement == nil { errors["judgement_\(i)"] = "请选择 / choose one" }
            let band = text("band_\(i)", 10)
            if band.isEmpty {
                line.bandPercent = nil
            } else if case .success(let p) = NumberInput.percent(band) {
                line.bandPercent = p
            } else {
                errors["band_\(i)"] = "得分比例应为0至100的整数 / a whole percentage"
            }
            line.cause = text("cause_\(i)")
            line.improvement = text("improvement_\(i)")
            line.note = text("note_\(i)", 300)
            e.indicators[i] = line
        }
        e.executionExplanation = text("execution")
        e.conclusion = text("conclusion", 2_000)
        e.problems = text("problems", 2_000)
        e.improvements = text("improvements", 2_000)
        return errors
    }

    static func save(req: Request) async throws -> Response {
        let (user, unit, page) = try await page(req)
        guard page.canEdit else {
            try await req.audit(AuditEvent(.accessDenied, objectType: "evaluation", objectID: page.path,
                                           summary: "save", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        }
        let form = try req.content.decode([String: String].self)
        var evaluation = page.evaluation
        var errors = read(form, into: &evaluation)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if page.rescoring && reason.isEmpty { errors["reason"] = "财政重新评分须写明理由 / give the reason" }
        guard errors.isEmpty else {
            var shown = page
            shown.evaluation = evaluation
            let ctx = req.pageContext()
            return EvaluationView.render(ctx, shown, errors: errors, flash: (ctx.l("evaluation.fix"), true),
                                         status: .unprocessableEntity)
        }
        let expected = Int(form["version"] ?? "") ?? -1
        let now = req.now
        let final = evaluation, before = page.evaluation
        let action = page.rescoring ? "rescore" : "save"
        do {
            try await req.audited { tx, audit in
                let m = try await store(final, expected: expected, stored: page.stored, status: page.status,
                                        by: user, at: now, on: tx)
                try await event(m, action, from: page.status, to: page.status, comment: String(reason.prefix(500)),
                                user: user, at: now, on: tx)
                let score = (try? SelfEvaluation.score(final, checked: false)).map { SelfEvaluation.shown($0.total) }
                audit.add(AuditEvent(.update, objectType: "evaluation", objectID: page.path,
                                     summary: (page.rescoring ? "财政重新评分（\(reason)）：" : "保存自评表：")
                                         + changes(before, final) + "；总分 \(score ?? "—")"))
            }
        } catch is Conflict {
            req.setFlash("evaluation.conflict", error: true)
            return req.redirect(within: page.path)
        }
        if form["intent"] == "submit" {
            return try await step(req, user: user, unit: unit, year: final.year, project: final.projectCode,
                                  action: .submit, comment: "")
        }
        req.setFlash("evaluation.saved")
        return req.redirect(within: page.path)
    }

    static func changes(_ a: ProjectEvaluation, _ b: ProjectEvaluation) -> String {
        var out: [String] = []
        for (x, y) in zip(a.indicators, b.indicators) where x != y {
            var parts: [String] = []
            if x.actual != y.actual { parts.append("实际值 \(x.actual) → \(y.actual)") }
            if x.weight != y.weight { parts.append("权重 → \(y.weight.map { "\($0)" } ?? "平均")") }
            if x.judgement != y.judgement || x.bandPercent != y.bandPercent { parts.append("定性判断已改") }
            if x.cause != y.cause || x.improvement != y.improvement { parts.append("原因或措施已改") }
            if !parts.isEmpty { out.append(y.indicator.name + "：" + parts.joined(separator: "，")) }
        }
        if a.conclusion != b.conclusion || a.problems != b.problems || a.improvements != b.improvements {
            out.append("结论、问题或措施已改")
        }
        return out.isEmpty ? "无改动" : out.joined(separator: "；")
    }

    static func store(_ e: ProjectEvaluation, expected: Int, stored: Bool, status: EvaluationStatus,
                      by user: CurrentUser, at now: Date, on tx: Database) async throws -> ProjectEvaluationModel {
        let json = try ProjectEvaluationModel.encode(e)
        let score = try? SelfEvaluation.score(e, checked: false)
        let total = score.map { SelfEvaluation.shown($0.total) } ?? ""
        let grade = score?.grade ?? ""
        if !stored {
            guard expected == 0 else { throw Conflict() }
            let m = ProjectEvaluationModel()
            (m.unitCode, m.year, m.projectCode, m.status, m.version) = (e.unitCode, e.year, e.projectCode,
                                                                        status.rawValue, 1)
            (m.evaluationJSON, m.total, m.grade, m.updatedBy, m.updatedAt) = (json, total, grade, user.username, now)
            do { try await m.create(on: tx) } catch { throw Conflict() }
            return m
        }
        guard let sql = tx as? SQLDatabase,
              let m = try await EvaluationPage.find(unit: e.unitCode, year: e.year, project: e.projectCode, on: tx)
        else { throw Conflict() }
        let claimed = try await sql.update(ProjectEvaluationModel.schema).set("version", to: expected + 1)
            .set("evaluation_json", to: json).set("status", to: status.rawValue).set("total", to: total)
            .set("grade", to: grade).set("updated_by", to: user.username).set("updated_at", to: now)
            .where("id", .equal, m.requireID()).where("version", .equal, expected).returning("id").all()
        guard claimed.count == 1 else { throw Conflict() }
        (m.version, m.evaluationJSON, m.status, m.updatedAt) = (expected + 1, json, status.rawValue, now)
        return m
    }

    static func event(_ m: ProjectEvaluationModel, _ action: String, from: EvaluationStatus, to: EvaluationStatus,
                      comment: String, user: CurrentUser, at now: Date, on tx: Database) async throws {
        let e = EvaluationEventModel()
        e.$evaluation.id = try m.requireID()
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
        let (user, unit, year, project) = try await context(req)
        let form = try req.content.decode(StepForm.self)
        guard let action = EvaluationAction(rawValue: form.action ?? "") else { throw Abort(.badRequest) }
        return try await step(req, user: user, unit: unit, year: year, project: project, action: action,
                              comment: String((form.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                                .prefix(500)), version: form.version.flatMap { Int($0) })
    }

    static func step(_ req: Request, user: CurrentUser, unit: UnitModel, year: Int, project: String,
                     action: EvaluationAction, comment: String, version: Int? = nil) async throws -> Response {
        guard let page = try await EvaluationPage.query(on: req.db, principal: user.principal, unit: unit, year: year,
                                                        project: project) else { throw Abort(.notFound) }
        let decision = EvaluationWorkflow.evaluation.next(page.status, action, by: user.principal,
                                                          unitCode: unit.code, comment: comment,
                                                          problems: page.problems.count)
        let (expected, now, path, evaluation, from) = (version ?? page.version, req.now, page.path, page.evaluation,
                                                        page.status)
        let stored = page.stored
        let name = "\(unit.name)“\(evaluation.projectName)”\(year)年绩效自评表"
        let (unitCode, reviewer) = (unit.code, user.displayName)
        let notice: (role: Role, message: Message)? = switch action {
        case .submit: (.unitHead, Message("evaluation.notify.submitted", name))
        case .approve: (.financeReviewer, Message("evaluation.notify.approved", name))
        case .review: (.unitFinance, Message("evaluation.notify.reviewed", name))
        case .sendBack: (.unitFinance, Message("evaluation.notify.sentBack", name, reviewer, comment))
        default: nil
        }
        return try await ReviewedStep.run(
            req, decision, module: "evaluation", what: "自评表", from: from, action: action, comment: comment,
            path: path, unitCode: unitCode, notice: notice, problems: page.problems.count,
            render: { ctx, flash in
                EvaluationView.render(ctx, page, errors: [:], flash: flash, status: .unprocessableEntity)
            },
            write: { tx, to in
                let m = try await store(evaluation, expected: expected, stored: stored, status: to, by: user, at: now,
                                        on: tx)
                try await event(m, action.rawValue, from: from, to: to, comment: comment, user: user, at: now, on: tx)
            })
    }

    static func document(_ page: EvaluationPage) -> (title: String, rows: [[String]])? {
        guard let score = page.score else { return nil }
        return ("\(page.evaluation.year)年项目支出绩效自评表",
                SelfEvaluation.rows(page.evaluation, score: score, unitName: page.unitName))
    }

    /// The 自评表 as XLSX or DOCX.
    static func file(req: Request) async throws -> Response {
        let (_, _, page) = try await page(req)
        guard let (title, rows) = document(page) else { throw Abort(.notFound) }
        let e = page.evaluation
        let base = "evaluation-\(e.unitCode)-\(e.year)-\(e.projectCode)"
        switch req.parameters.get("format") {
        case "xlsx":
            return download(PlainWorkbook.make([(name: "绩效自评表", rows: [[title]] + rows)]), name: base + ".xlsx",
                            type: HTTPMediaType(type: "application",
                                                subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        case "docx":
            return download(DocxWriter.document([.heading(title), .table(rows)]), name: base + ".docx",
                            type: HTTPMediaType(type: "application",
                                                subType: "vnd.openxmlformats-officedocument.wordprocessingml.document"))
        case "pdf", "html":
            guard let score = page.score else { throw Abort(.notFound) }
            let html = DisclosureHTML.document(SelfEvaluation.document(e, score: score, unitName: page.unitName))
            if req.parameters.get("format") == "html" {
                return download(Data(html.utf8), name: base + ".html", type: .html)
            }
            let key = "\(e.unitCode)/\(e.year)/\(e.projectCode)/v\(page.version)/\(SM3.hexDigest(html))"
            let db = req.db
            let pdf = try await PDFCache.serving(req) {
                try await PDFCache.data(kind: StoredFiles.evaluationPDF, key: key, app: req.application, on: db) {
                    try await PDFPrinter.pdf(fromHTML: html)
                }
            }
            return download(pdf, name: base + ".pdf", type: HTTPMediaType(type: "application", subType: "pdf"))
        default: throw Abort(.notFound)
        }
    }

    static func download(_ data: Data, name: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.contentDisposition = .init(.attachment, filename: name)
        return response
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let reviewer = AccessPolicy.allows(user.principal, .reviewBudgets)
        if !reviewer { try await req.require(.readUnitBusiness(unitCode: user.unitCode)) }
        let page = try await EvaluationListPage.query(on: req.db, year: try ExecutionController.year(req),
                                                      unit: reviewer ? nil : user.unitCode)
        return EvaluationListView.render(req.pageContext(), page)
    }

    /// The published 自评表 of a unit's year on the portal, beside its budget.
    static func publicYear(req: Request) async throws -> Response {
        guard let code = req.parameters.get("code"),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first(),
              let yearText = req.parameters.get("year"),
              case .success(let year) = NumberInput.integer(yearText, range: 2000...2199) else {
            throw Abort(.notFound)
        }
        let published = try await ProjectEvaluationModel.query(on: req.db).filter(\.$unitCode == code)
            .filter(\.$year == year).filter(\.$status == EvaluationStatus.published.rawValue)
            .sort(\.$projectCode).all()
        let tables: [(String, [[String]])] = try published.compactMap { m in
            let e = try m.evaluation()
            guard let s = try? SelfEvaluation.score(e, checked: false) else { return nil }
            return (e.projectName, SelfEvaluation.rows(e, score: s, unitName: unit.name))
        }
        guard !tables.isEmpty else { throw Abort(.notFound) }
        return EvaluationPublicView.render(req.pageContext(), unitName: unit.name, year: year, tables: tables)
    }
}
