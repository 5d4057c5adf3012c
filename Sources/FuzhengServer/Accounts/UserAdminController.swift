import Fluent
import FuzhengCore
import Plot
import Vapor

/// 系统管理员 adds, edits and deactivates accounts. New accounts get an initial password that
/// must be changed at first login.
enum UserAdminController {
    static let perPage = 20

    /// Role rows the form offers: a person's roles and room for more.
    static let roleRows = 6

    struct UserForm: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var unitCode: String?
        var initialPassword: String?
        var title: String?
        var sectionCode: String?
        /// Where reminders go by e-mail (optional).
        var email: String?
        /// Row i: its role ("" for none), scope and the named units of a `.units` scope.
        var roles: [RoleRow] = []

        struct RoleRow: Sendable, Codable {
            var role: String
            var scope: String
            var units: String
        }

        var draft: UserDraft {
            UserDraft(username: username ?? "", displayName: displayName ?? "",
                      role: roles.first(where: { !$0.role.isEmpty })?.role ?? role ?? "", unitCode: unitCode ?? "")
        }

        enum CodingKeys: String, CodingKey {
            case username, displayName, role, unitCode, initialPassword, title, sectionCode, email
        }

        /// Reads the flat fields role0…, scope0…, units0… a plain HTML form posts.
        static func decode(_ req: Request) throws -> UserForm {
            var form = try req.content.decode(UserForm.self)
            for i in 0..<UserAdminController.roleRows {
                let role = (try? req.content.get(String.self, at: "role\(i)")) ?? ""
                guard !role.isEmpty else { continue }
                form.roles.append(RoleRow(role: role, scope: (try? req.content.get(String.self, at: "scope\(i)")) ?? "",
                                          units: (try? req.content.get(String.self, at: "units\(i)")) ?? ""))
            }
            if form.roles.isEmpty, let role = form.role, !role.isEmpty {
                form.roles = [RoleRow(role: role, scope: "", units: "")]
            }
            return form
        }

        init(username: String? = nil, displayName: String? = nil, role: String? = nil, unitCode: String? = nil,
             initialPassword: String? = nil, title: String? = nil, sectionCode: String? = nil, roles: [RoleRow] = []) {
            self.username = username
            self.displayName = displayName
            self.role = role
            self.unitCode = unitCode
            self.initialPassword = initialPassword
            self.title = title
            self.sectionCode = sectionCode
            self.roles = roles
        }

        init(_ user: UserModel) {
            self.init(username: user.username, displayName: user.displayName, role: user.roleRaw,
                      unitCode: user.unit.code, title: user.title, sectionCode: user.sectionCode,
                      roles: user.assignments.map { RoleRow(role: $0.role.rawValue, scope: $0.scope.rawValue,
                                                            units: $0.units.joined(separator: "、")) })
            email = user.email
        }

        /// The address as typed without spaces; nil when empty.
        var cleanEmail: String? {
            let e = (email ?? "").trimmingCharacters(in: .whitespaces)
            return e.isEmpty ? nil : e
        }

        /// Rows that name a role, read; a row whose role or scope is not ours fails validation instead.
        var assignments: [RoleAssignment]? {
            var out: [RoleAssignment] = []
            for row in roles {
                guard let role = Role(rawValue: row.role) else { return nil }
                let scope = row.scope.isEmpty ? role.defaultScope : ScopeKind(rawValue: row.scope)
                guard let scope else { return nil }
                let units = row.units.split(whereSeparator: { "、，, ；;".contains($0) }).map(String.init)
                out.append(RoleAssignment(role: role, scope: scope, units: units))
            }
            return out
        }
    }

    /// Errors of the roles, title and section, as message keys by field.
    static func validateRoles(_ form: UserForm, knownUnits: Set<String>,
        sections: [String: String]) -> [String: String] {
        var errors: [String: String] = [:]
        guard let assignments = form.assignments else { return ["roles": "user.error.role"] }
        errors.merge(RoleAssignments.validate(assignments, knownUnits: knownUnits)) { a, _ in a }
        let section = form.sectionCode ?? ""
        if !section.isEmpty && sections[section] == nil { errors["sectionCode"] = "user.error.section" }
        if assignments.contains(where: { $0.scope == .section }) && section.isEmpty {
            errors["sectionCode"] = "user.error.sectionNeeded"
        }
        if (form.title ?? "").count > 30 { errors["title"] = "user.error.title" }
        if let email = form.cleanEmail, !SMTPChannel.isAddress(email) { errors["email"] = "user.error.email" }
        return errors
    }

    /// The office sections a person may work in (bodies of kind section), code → name.
    static func sections(_ db: Database) async throws -> [String: String] {
        var out: [String: String] = [:]
        for b in try await BodyModel.query(on: db).filter(\.$kind == BodyKind.section.rawValue).all() {
            if let id = b.id { out[id] = b.name }
        }
        return out
    }

    static func list(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let result = try await UserQueries.search(q, page: page, perPage: perPage, on: req.db)
        return UserAdminView.list(req.pageContext(), query: q, page: page, result: result, flash: req.takeFlash())
    }

    static func new(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let units = try await activeUnits(req.db)
        let form = UserForm(role: Role.officeStaff.rawValue, unitCode: units.first?.code,
                            roles: [.init(role: Role.officeStaff.rawValue, scope: "", units: "")])
        return UserAdminView.form(req.pageContext(), form: form, units: units, sections: try await sections(req.db),
                                  editing: nil)
    }

    static func create(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let form = try UserForm.decode(req)
        let draft = form.draft
        let units = try await activeUnits(req.db)
        let sections = try await sections(req.db)
        let l = req.l10n
        let config = req.application.fuzheng.config
        var errors = draft.validate(knownUnits: Set(units.map(\.code))).mapValues { l($0) }
        let known = try await OrganisationQueries.unitAndDepartmentCodes(on: req.db)
        let roleErrors = validateRoles(form, knownUnits: known, sections: sections)
        errors.merge(roleErrors.mapValues { req.l10n($0) }) { a, _ in a }
        let password = form.initialPassword ?? ""
        let violations = config.passwordPolicy.violations(for: password, username: draft.username)
        if !violations.isEmpty { errors["initialPassword"] = violations.map { l($0.rawValue) }.joined(separator: " ") }
        if try await UserModel.query(on: req.db).filter(\.$username == draft.username).first() != nil {
            errors["username"] = l("user.error.usernameTaken")
        }
        guard errors.isEmpty, let unit = units.first(where: { $0.code == draft.unitCode }),
              let role = Role(rawValue: draft.role), let assignments = form.assignments else {
            if !roleErrors.isEmpty {
                try await req.audit(AuditEvent(.create, objectType: "user", objectID: draft.username,
                                               summary: "refused: \(roleErrors.sorted { $0.key < $1.key }.map(\.value))",
                                               result: .failure))
            }
            return UserAdminView.form(req.pageContext(), form: form, units: units, sections: sections, editing: nil,
                                      errors: errors)
        }
        let hash = try await req.passwords.hash(password)
        let unitID = try unit.requireID()
        try await req.audited { tx, audit in
            let user = UserModel(username: draft.username, displayName: draft.displayName, passwordHash: hash,
                role: role,
                                 unitID: unitID, mustChangePassword: true, passwordChangedAt: nil)
            user.assignments = assignments
            user.title = form.title.flatMap { $0.isEmpty ? nil : $0 }
            user.sectionCode = form.sectionCode.flatMap { $0.isEmpty ? nil : $0 }
            user.email = form.cleanEmail
            try await user.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "user", objectID: draft.username,
                                 summary: "after: \(user.auditSummary); unit=\(unit.code)"))
        }
        req.setFlash("flash.userCreated")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    static func edit(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        let units = try await activeUnits(req.db)
        return UserAdminView.form(req.pageContext(), form: UserForm(user), units: units,
                                  sections: try await sections(req.db), editing: user.username)
    }

    static func update(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        var form = try UserForm.decode(req)
        form.username = user.username
        let draft = form.draft
        let units = try await activeUnits(req.db)
        let sections = try await sections(req.db)
        var errors = draft.validate(knownUnits: Set(units.map(\.code))).mapValues { req.l10n($0) }
        let known = try await OrganisationQueries.unitAndDepartmentCodes(on: req.db)
        let roleErrors = validateRoles(form, knownUnits: known, sections: sections)
        errors.merge(roleErrors.mapValues { req.l10n($0) }) { a, _ in a }
        guard errors.isEmpty, let unit = units.first(where: { $0.code == draft.unitCode }),
              let assignments = form.assignments else {
            if !roleErrors.isEmpty {
                // 三员分立 and other refusals of a role are kept in the trail: someone tried.
                try await req.audit(AuditEvent(.update, objectType: "user", objectID: user.username,
                                               summary: "refused: \(roleErrors.sorted { $0.key < $1.key }.map(\.value))",
                                               result: .failure))
            }
            return UserAdminView.form(req.pageContext(), form: form, units: units, sections: sections,
                                      editing: user.username, errors: errors)
        }
        let unitID = try unit.requireID()
        let title = form.title.flatMap { $0.isEmpty ? nil : $0 }
        let section = form.sectionCode.flatMap { $0.isEmpty ? nil : $0 }
        let email = form.cleanEmail
        do {
            try await req.audited { tx, audit in
                try await ensureAdministratorRemains(user, newRole: Role(rawValue: draft.role),
                    newActive: user.isActive, on: tx)
                let before = user.auditSummary + "; unit=\(user.unit.code)"
                user.displayName = draft.displayName
                user.assignments = assignments
                user.title = title
                user.sectionCode = section
                user.email = email
                user.$unit.id = unitID
                try await user.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "user", objectID: user.username,
                                     summary: "before: \(before) | after: \(user.auditSummary); unit=\(unit.code)"))
            }
        } catch is LastAdministrator {
            req.setFlash("user.error.lastAdministrator", error: true)
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    static func confirmActivation(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        let l = req.l10n
        return ConfirmView.render(
            req.pageContext(), title: l(user.isActive ? "user.deactivate" : "user.reactivate"),
            message: l(user.isActive ? "user.confirmDeactivate" : "user.confirmReactivate",
                "\(user.username)（\(user.displayName)）"),
            action: SiteRoute.adminUserActivation(username: user.username).path, cancel: SiteRoute.adminUsers.path,
            danger: user.isActive)
    }

    static func toggleActivation(req: Request) async throws -> Response {
        try await req.require(.manageUsers)
        let user = try await findUser(req)
        if user.id == req.currentUser?.id {
            req.setFlash("user.error.selfDeactivate")
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        do {
            try await req.audited { tx, audit in
                try await ensureAdministratorRemains(user, newRole: user.role, newActive: !user.isActive, on: tx)
                let before = user.auditSummary
                user.isActive.toggle()
                try await user.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "user", objectID: user.username,
                    summary: "before: \(before) | after: \(user.auditSummary)"))
            }
        } catch is LastAdministrator {
            req.setFlash("user.error.lastAdministrator", error: true)
            return req.redirect(within: SiteRoute.adminUsers.path)
        }
        req.setFlash(user.isActive ? "flash.reactivated" : "flash.deactivated")
        return req.redirect(within: SiteRoute.adminUsers.path)
    }

    struct LastAdministrator: Error {}

    /// Counted inside the audited transaction, which every account change takes (serialised per
    /// database), so two administrators demoting each other at once cannot both succeed.
    static func ensureAdministratorRemains(_ user: UserModel, newRole: Role?, newActive: Bool,
                                           on tx: Database) async throws {
        guard let role = user.role, role.isAdministrator else { return }
        let others = try await UserModel.query(on: tx).filter(\.$roleRaw == role.rawValue)
            .filter(\.$isActive == true).filter(\.$id != user.requireID()).count()
        guard AdministratorContinuity.allows(currentRole: role, isActive: user.isActive, newRole: newRole,
                                             newActive: newActive, otherActiveHolders: others) else {
            throw LastAdministrator()
        }
    }

    static func activeUnits(_ db: Database) async throws -> [UnitModel] {
        try await UnitModel.query(on: db).filter(\.$isActive == true).sort(\.$code).all()
    }

    static func findUser(_ req: Request) async throws -> UserModel {
        guard let user = try await UserQueries.find(username: req.parameters.get("username") ?? "", on: req.db) else {
            throw Abort(.notFound)
        }
        return user
    }
}
