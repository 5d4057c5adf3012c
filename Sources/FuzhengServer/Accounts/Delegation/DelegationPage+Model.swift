import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 代理: what a person has handed over (with a form to hand over more) and what they hold for others.
struct DelegationPageModel: Sendable {
    struct Row: Sendable {
        var id: String
        var other: String
        var starts: Date
        var ends: Date
        var units: [String]
        var reason: String
        var state: Delegation.State
    }

    var given: [Row]
    var received: [Row]
    var canDelegate: Bool
    var form: DelegationController.Form
    var errors: [String: String]
}

enum DelegationController {
    struct Form: Content {
        var deputy: String?
        var starts: String?
        var ends: String?
        var units: String?
        var reason: String?
    }

    static let chinaTime = TimeZone(secondsFromGMT: 8 * 3600)!

    /// The start of a day in China time, for a delegation's first day; its last day runs to the next midnight.
    static func midnight(_ text: String?, plusDays: Int = 0) -> Date? {
        guard let iso = text.flatMap(DayInput.iso) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaTime
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            return nil
        }
        return calendar.date(byAdding: .day, value: plusDays, to: day)
    }

    static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.timeZone = chinaTime
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    static func query(on db: Database, user: CurrentUser, now: Date, form: Form = Form(),
                      errors: [String: String] = [:]) async throws -> DelegationPageModel {
        var given: [DelegationPageModel.Row] = [], received: [DelegationPageModel.Row] = []
        for m in try await DelegationQueries.involving(user.id, on: db) {
            let value = m.value
            let mine = m.$delegator.id == user.id
            let other = mine ? "\(m.deputy.displayName)（\(m.deputy.username)）"
                : "\(m.delegator.displayName)（\(m.delegator.username)）"
            let row = DelegationPageModel.Row(id: try m.requireID().uuidString, other: other, starts: m.startsAt,
                                              ends: m.endsAt, units: m.unitList, reason: m.reason,
                                              state: value.state(at: now))
            if mine { given.append(row) } else { received.append(row) }
        }
        return DelegationPageModel(given: given, received: received,
                                   canDelegate: user.assignments.contains { !$0.role.isAdministrator },
                                   form: form, errors: errors)
    }

    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let model = try await query(on: req.db, user: user, now: req.now,
                                    form: Form(starts: day(req.now), ends: day(req.now.addingTimeInterval(6 * 86_400))))
        return DelegationView.render(req.pageContext(), model, flash: req.takeFlash())
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(Form.self)
        let now = req.now
        let deputyName = (form.deputy ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let deputy = try await UserQueries.find(username: deputyName, on: req.db)
        let units = (form.units ?? "").split(whereSeparator: { "、，, ；;".contains($0) }).map(String.init)
        let known = try await OrganisationQueries.unitAndDepartmentCodes(on: req.db)
        let starts = midnight(form.starts), ends = midnight(form.ends, plusDays: 1)
        var errors = Delegation.validate(
            delegatorUsername: user.username, deputy: deputyName, deputyExists: deputy?.isActive == true,
            deputyIsAdministrator: deputy?.assignments.contains(where: \.role.isAdministrator) ?? false,
            delegatorHasBusinessRole: user.assignments.contains { !$0.role.isAdministrator },
            starts: starts, ends: ends, now: now, units: units, knownUnits: known)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > 200 { errors["reason"] = "delegation.error.reason" }
        guard errors.isEmpty, let deputy, let starts, let ends else {
            let model = try await query(on: req.db, user: user, now: now, form: form,
                                        errors: errors.mapValues { req.l10n($0) })
            return DelegationView.render(req.pageContext(), model, flash: nil, status: .unprocessableEntity)
        }
        let deputyID = try deputy.requireID()
        let delegatorName = user.displayName
        try await req.audited { tx, audit in
            let m = DelegationModel()
            m.$delegator.id = user.id
            m.$deputy.id = deputyID
            m.startsAt = starts
            m.endsAt = ends
            m.units = units.joined(separator: ",")
            m.reason = reason
            m.createdAt = now
            try await m.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "delegation", objectID: try m.requireID().uuidString,
                                 summary: "delegator=\(user.username); deputy=\(deputy.username); "
                                     + "from=\(day(starts)); to=\(day(ends.addingTimeInterval(-1))); "
                                     + "units=\(m.units.isEmpty ? "all" : m.units); reason=\(reason)"))
            try await Notifier.notify(userID: deputyID, message: Message(
                "delegation.notify.given", delegatorName, day(starts), day(ends.addingTimeInterval(-1))),
                link: SiteRoute.delegations.path, at: now, on: tx)
        }
        req.setFlash("delegation.created")
        return req.redirect(within: SiteRoute.delegations.path)
    }

    /// Either side may end a delegation early; it is kept, marked revoked, for the record.
    static func revoke(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let m = try await DelegationModel.query(on: req.db).filter(\.$id == id)
                .with(\.$delegator).with(\.$deputy).first(),
              m.$delegator.id == user.id || m.$deputy.id == user.id
        else { throw Abort(.notFound) }
        let now = req.now
        guard m.revokedAt == nil, m.endsAt > now else {
            req.setFlash("delegation.alreadyEnded")
            return req.redirect(within: SiteRoute.delegations.path)
        }
        let otherID = m.$delegator.id == user.id ? m.$deputy.id : m.$delegator.id
        try await req.audited { tx, audit in
            m.revokedAt = now
            try await m.save(on: tx)
            audit.add(AuditEvent(.update, objectType: "delegation", objectID: id.uuidString,
                                 summary: "revoked by \(user.username); delegator=\(m.delegator.username); "
                                     + "deputy=\(m.deputy.username)"))
            try await Notifier.notify(userID: otherID, message: Message("delegation.notify.revoked",
                                      m.delegator.displayName, m.deputy.displayName),
                                      link: SiteRoute.delegations.path, at: now, on: tx)
        }
        req.setFlash("delegation.revoked")
        return req.redirect(within: SiteRoute.delegations.path)
    }
}
