import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 安全管理员: the platform's own 正常运行率 per month, and the incident register with recovery times.
enum AvailabilityController {
    static func show(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let now = req.now
        let current = AvailabilityMonth.calendar.dateComponents([.year, .month], from: now)
        var year = current.year ?? 2026
        var month = current.month ?? 1
        if let raw = try? req.query.get(String.self, at: "month"), let parsed = parseMonth(raw) {
            (year, month) = parsed
        }
        let model = try await AvailabilityMonth.query(on: req.db, year: year, month: month, now: now)
        return AvailabilityView.render(req.pageContext(), model: model, flash: req.takeFlash())
    }

    /// "2026-12" → (2026, 12), within years the platform can have existed.
    static func parseMonth(_ raw: String) -> (Int, Int)? {
        let parts = raw.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (2000...2200).contains(y),
              (1...12).contains(m) else { return nil }
        return (y, m)
    }

    struct IncidentForm: Content {
        var startedAt: String?
        var endedAt: String?
        var kind: String?
        var title: String?
        var cause: String?
        var measures: String?
        var backupRef: String?
        var version: String?
    }

    static func showNew(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        // Most incidents are recorded while they happen: the start defaults to now.
        var form = IncidentForm()
        form.startedAt = IncidentTime.format(req.now)
        return IncidentView.form(req.pageContext(), action: SiteRoute.incidentNew.path, form: form, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let form = try req.content.decode(IncidentForm.self)
        let (draft, errors) = validate(form, l: req.l10n)
        guard let draft, errors.isEmpty else {
            return IncidentView.form(req.pageContext(), action: SiteRoute.incidentNew.path, form: form, errors: errors)
        }
        let user = try req.requireUser()
        let incident = IncidentModel()
        apply(draft, to: incident)
        incident.recordedBy = user.username
        incident.version = 1
        try await req.audited { tx, audit in
            try await incident.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "incident", objectID: incident.id?.uuidString,
                                 summary: incident.auditSummary))
        }
        req.setFlash("flash.incidentSaved")
        return req.redirect(within: SiteRoute.availability.path)
    }

    static func showEdit(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let incident = try await find(req)
        let id = try incident.requireID()
        return IncidentView.form(req.pageContext(), action: SiteRoute.incidentEdit(id: id.uuidString).path,
                                 form: formValues(incident), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        try await req.require(.manageSecurity)
        let incident = try await find(req)
        let id = try incident.requireID()
        let action = SiteRoute.incidentEdit(id: id.uuidString).path
        let form = try req.content.decode(IncidentForm.self)
        let (draft, errors) = validate(form, l: req.l10n)
        guard let draft, errors.isEmpty else {
            return IncidentView.form(req.pageContext(), action: action, form: form, errors: errors)
        }
        guard let version = form.version.flatMap(Int.init) else { throw Abort(.badRequest) }
        let before = incident.auditSummary
        apply(draft, to: incident)
        let after = incident.auditSummary
        let saved = try await req.audited { tx, audit -> Bool in
            // The version check is part of the write: a second tab's save from the same version changes nothing.
            guard let sql = tx as? any SQLDatabase else { return false }
            let rows = try await sql.raw("""
                UPDATE incidents SET started_at = \(bind: incident.startedAt), ended_at = \(bind: incident.endedAt),
                    kind = \(bind: incident.kindRaw), title = \(bind: incident.title), cause = \(bind: incident.cause),
                    measures = \(bind: incident.measures), backup_ref = \(bind: incident.backupRef),
                    version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: version)
                RETURNING version
                """).all()
            guard !rows.isEmpty else { return false }
            audit.add(AuditEvent(.update, objectType: "incident", objectID: id.uuidString,
                                 summary: "\(before) → \(after)"))
            return true
        }
        guard saved else {
            var errors: [String: String] = [:]
            errors["form"] = req.l10n("incident.conflict")
            var stale = form
            stale.version = String(try await find(req).version)
            return IncidentView.form(req.pageContext(), action: action, form: stale, errors: errors)
        }
        req.setFlash("flash.incidentSaved")
        return req.redirect(within: SiteRoute.availability.path)
    }

    static func find(_ req: Request) async throws -> IncidentModel {
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
              let incident = try await IncidentModel.find(id, on: req.db) else { throw Abort(.notFound) }
        return incident
    }

    static func apply(_ d: IncidentDraft, to m: IncidentModel) {
        m.startedAt = d.startedAt
        m.endedAt = d.endedAt
        m.kindRaw = d.kind.rawValue
        m.title = d.title
        m.cause = d.cause
        m.measures = d.measures
        m.backupRef = d.backupRef
    }

    static func formValues(_ m: IncidentModel) -> IncidentForm {
        IncidentForm(startedAt: IncidentTime.format(m.startedAt), endedAt: m.endedAt.map(IncidentTime.format),
                     kind: m.kindRaw, title: m.title, cause: m.cause, measures: m.measures, backupRef: m.backupRef,
                     version: String(m.version))
    }

    static func validate(_ f: IncidentForm, l: L10n) -> (IncidentDraft?, [String: String]) {
        let (draft, problems) = IncidentDraft.check(startedAt: f.startedAt, endedAt: f.endedAt, kind: f.kind,
                                                    title: f.title, cause: f.cause, measures: f.measures,
                                                    backupRef: f.backupRef)
        return (draft, problems.mapValues { l.text($0.key, $0.arguments) })
    }
}
