import Fluent
import FuzhengCore
import Plot
import Vapor

/// 系统管理员 adds, edits and deactivates units.
enum UnitAdminController {
    static let perPage = 20

    struct UnitForm: Content {
        var code: String?
        var name: String?
        var departmentCode: String?
        var nature: String?
        var grade: String?
        var fundingForm: String?
        var duties: String?
        var setup: String?

        var draft: UnitDraft {
            UnitDraft(code: code ?? "", name: name ?? "", departmentCode: departmentCode ?? "", nature: nature ?? "",
                      grade: grade ?? "", fundingForm: fundingForm ?? "", duties: duties ?? "", setup: setup ?? "")
        }

        init(code: String? = nil, name: String? = nil, departmentCode: String? = nil, nature: String? = nil,
             grade: String? = nil, fundingForm: String? = nil, duties: String? = nil, setup: String? = nil) {
            self.code = code; self.name = name; self.departmentCode = departmentCode; self.nature = nature
            self.grade = grade; self.fundingForm = fundingForm; self.duties = duties; self.setup = setup
        }

        init(_ unit: UnitModel) {
            self.init(code: unit.code, name: unit.name, departmentCode: unit.department.code, nature: unit.nature,
                      grade: unit.grade, fundingForm: unit.fundingForm, duties: unit.duties, setup: unit.setup)
        }
    }

    static func list(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let result = try await OrganisationQueries.search(q, page: page, perPage: perPage, on: req.db)
        return UnitAdminView.list(req.pageContext(), query: q, page: page, perPage: perPage, result: result, flash: req.takeFlash())
    }

    static func new(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let departments = try await DepartmentModel.query(on: req.db).sort(\.$code).all()
        let catalog = UnitAttributeCatalog.shared
        let form = UnitForm(departmentCode: departments.first?.code, nature: catalog.natures.first,
                            grade: catalog.grades.first, fundingForm: catalog.fundingForms.first)
        return UnitAdminView.form(req.pageContext(), form: form, departments: departments, editing: nil)
    }

    static func create(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let form = try req.content.decode(UnitForm.self)
        let draft = form.draft
        let departments = try await DepartmentModel.query(on: req.db).sort(\.$code).all()
        var errors = draft.validate().mapValues { req.l10n($0) }
        if try await UnitModel.query(on: req.db).filter(\.$code == draft.code).first() != nil {
            errors["code"] = req.l10n("unit.error.codeTaken")
        }
        guard errors.isEmpty, let department = departments.first(where: { $0.code == draft.departmentCode }) else {
            if departments.first(where: { $0.code == draft.departmentCode }) == nil { errors["departmentCode"] = req.l10n("unit.error.department") }
            return UnitAdminView.form(req.pageContext(), form: form, departments: departments, editing: nil, errors: errors)
        }
        let departmentID = try department.requireID()
        try await req.audited { tx, audit in
            let unit = UnitModel(code: draft.code, name: draft.name, departmentID: departmentID, nature: draft.nature,
                                 grade: draft.grade, fundingForm: draft.fundingForm, duties: draft.duties, setup: draft.setup)
            try await unit.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "unit", objectID: draft.code, summary: "after: \(unit.auditSummary)"))
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.adminUnits.path)
    }

    static func edit(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let unit = try await findUnit(req)
        let departments = try await DepartmentModel.query(on: req.db).sort(\.$code).all()
        return UnitAdminView.form(req.pageContext(), form: UnitForm(unit), departments: departments, editing: unit.code)
    }

    static func update(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let unit = try await findUnit(req)
        var form = try req.content.decode(UnitForm.self)
        // The code identifies the unit in budgets and the audit trail; it never changes.
        form.code = unit.code
        form.departmentCode = unit.department.code
        let draft = form.draft
        let errors = draft.validate().mapValues { req.l10n($0) }
        guard errors.isEmpty else {
            let departments = try await DepartmentModel.query(on: req.db).sort(\.$code).all()
            return UnitAdminView.form(req.pageContext(), form: form, departments: departments, editing: unit.code, errors: errors)
        }
        try await req.audited { tx, audit in
            let before = unit.auditSummary
            unit.name = draft.name
            unit.nature = draft.nature
            unit.grade = draft.grade
            unit.fundingForm = draft.fundingForm
            unit.duties = draft.duties
            unit.setup = draft.setup
            try await unit.save(on: tx)
            audit.add(AuditEvent(.update, objectType: "unit", objectID: unit.code, summary: "before: \(before) | after: \(unit.auditSummary)"))
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.adminUnits.path)
    }

    static func confirmActivation(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let unit = try await findUnit(req)
        let l = req.l10n
        return ConfirmView.render(
            req.pageContext(), title: l(unit.isActive ? "unit.deactivate" : "unit.reactivate"),
            message: l(unit.isActive ? "unit.confirmDeactivate" : "unit.confirmReactivate", "\(unit.code) \(unit.name)"),
            action: SiteRoute.adminUnitActivation(code: unit.code).path, cancel: SiteRoute.adminUnits.path,
            danger: unit.isActive)
    }

    static func toggleActivation(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let unit = try await findUnit(req)
        try await req.audited { tx, audit in
            let before = unit.auditSummary
            unit.isActive.toggle()
            try await unit.save(on: tx)
            audit.add(AuditEvent(.update, objectType: "unit", objectID: unit.code, summary: "before: \(before) | after: \(unit.auditSummary)"))
        }
        req.setFlash(unit.isActive ? "flash.reactivated" : "flash.deactivated")
        return req.redirect(within: SiteRoute.adminUnits.path)
    }

    private static func findUnit(_ req: Request) async throws -> UnitModel {
        guard let unit = try await OrganisationQueries.unit(code: req.parameters.get("code") ?? "", on: req.db) else {
            throw Abort(.notFound)
        }
        return unit
    }
}

enum UnitAdminView {
    static func list(_ ctx: PageContext, query: String, page: Int, perPage: Int,
                     result: (items: [UnitSummary], total: Int), flash: String?) -> Response {
        let l = ctx.l
        return Layout.page(
            ctx, title: l("nav.adminUnits"),
            .alert(flash, kind: "success"),
            .div(.class("toolbar"),
                 SearchBox.render(l, action: SiteRoute.adminUnits.path, query: query, placeholder: l("unit.searchPlaceholder")),
                 .a(.class("button primary"), .href(SiteRoute.adminUnitNew.path), .text(l("unit.new")))),
            .if(result.items.isEmpty, .p(.class("empty"), .text(query.isEmpty ? l("unit.empty") : l("list.noMatch", query)))),
            .if(!result.items.isEmpty, .div(.class("table-scroll"), .table(
                .class("data"),
                .thead(.tr(.th(.text(l("unit.code"))), .th(.text(l("unit.name"))), .th(.text(l("unit.department"))),
                           .th(.text(l("unit.nature"))), .th(.text(l("list.status"))), .th(.text(l("list.actions"))))),
                .tbody(.forEach(result.items) { unit in
                    .tr(.td(.text(unit.code)), .td(.text(unit.name)), .td(.text("\(unit.departmentCode) \(unit.departmentName)")),
                        .td(.text(unit.nature)),
                        .td(.span(.class(unit.isActive ? "tag ok" : "tag off"), .text(l(unit.isActive ? "list.active" : "list.inactive")))),
                        .td(.class("actions"),
                            .a(.href(SiteRoute.adminUnitEdit(code: unit.code).path), .text(l("list.edit"))),
                            .a(.href(SiteRoute.adminUnitActivation(code: unit.code).path),
                               .text(l(unit.isActive ? "unit.deactivate" : "unit.reactivate")))))
                })
            ))),
            Pager.render(l, basePath: SiteRoute.adminUnits.path, query: query, page: page, perPage: perPage, total: result.total)
        ).response()
    }

    static func form(_ ctx: PageContext, form: UnitAdminController.UnitForm, departments: [DepartmentModel],
                     editing: String?, errors: [String: String] = [:]) -> Response {
        let l = ctx.l
        let catalog = UnitAttributeCatalog.shared
        let action = editing.map { SiteRoute.adminUnitEdit(code: $0).path } ?? SiteRoute.adminUnitNew.path
        return Layout.page(
            ctx, title: l(editing == nil ? "unit.new" : "unit.edit"),
            .form(
                .class("card"), .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                Form.csrf(ctx.csrfToken ?? ""),
                editing == nil
                    ? Form.select(label: l("unit.department"), name: "departmentCode",
                                  options: departments.map { ($0.code, "\($0.code) \($0.name)") },
                                  selected: form.departmentCode ?? "", error: errors["departmentCode"])
                    : .p(.text("\(l("unit.department"))：\(form.departmentCode ?? "")")),
                Form.field(label: l("unit.code"), name: "code", value: form.code ?? "", error: errors["code"],
                           required: true, hint: editing == nil ? l("unit.codeHint") : l("unit.codeFixed"), inputMode: "numeric"),
                Form.field(label: l("unit.name"), name: "name", value: form.name ?? "", error: errors["name"], required: true),
                Form.select(label: l("unit.nature"), name: "nature", options: catalog.natures.map { ($0, $0) },
                            selected: form.nature ?? "", error: errors["nature"]),
                Form.select(label: l("unit.grade"), name: "grade", options: catalog.grades.map { ($0, $0) },
                            selected: form.grade ?? "", error: errors["grade"]),
                Form.select(label: l("unit.fundingForm"), name: "fundingForm", options: catalog.fundingForms.map { ($0, $0) },
                            selected: form.fundingForm ?? "", error: errors["fundingForm"]),
                Form.textarea(label: l("unit.duties"), name: "duties", value: form.duties ?? "", rows: 8),
                Form.textarea(label: l("unit.setup"), name: "setup", value: form.setup ?? "", rows: 3),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("form.save"))),
                     .a(.class("button secondary"), .href(SiteRoute.adminUnits.path), .text(l("form.cancel"))))
            )
        ).response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
