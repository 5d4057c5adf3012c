import Fluent
import Foundation
import FuzhengCore
import Plot
import Vapor

/// 涉密纸质件登记: Fuzheng is not a 涉密 information system, so a 秘密, 机密 or 绝密 document is never held as content;
/// the 文书 registers only the paper copy's metadata — title, 密级, 份号, 份数, where it is — and its 清退 or 销毁.
final class SecretPaperModel: Model, @unchecked Sendable {
    static let schema = "secret_papers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "title") var title: String
    @Field(key: "secrecy") var secrecy: String
    @Field(key: "copy_numbers") var copyNumbers: String
    @Field(key: "copies") var copies: Int
    @Field(key: "whereabouts") var whereabouts: String
    /// 在册, 已清退 or 已销毁.
    @Field(key: "state") var state: String
    @Field(key: "registered_by") var registeredBy: String
    @Field(key: "registered_at") var registeredAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}
}

struct M015CreateSecretPapers: AsyncMigration {
    var name: String { "M015CreateSecretPapers" }

    func prepare(on database: Database) async throws {
        try await database.schema(SecretPaperModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("title", .string, .required)
            .field("secrecy", .string, .required)
            .field("copy_numbers", .string, .required)
            .field("copies", .int, .required)
            .field("whereabouts", .string, .required)
            .field("state", .string, .required)
            .field("registered_by", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("closed_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(SecretPaperModel.schema).delete() }
}

enum SecretPapers {
    static let states = ["registered", "returned", "destroyed"]

    struct PaperForm: Content {
        var title: String?
        var secrecy: String?
        var copyNumbers: String?
        var copies: String?
        var whereabouts: String?
        var id: String?
        var state: String?
    }

    static func require(_ req: Request) async throws -> CurrentUser {
        let user = try req.requireUser()
        try await req.require(.office(.dispatchDocument, Target(unitCode: user.unitCode)))
        return user
    }

    static func show(req: Request) async throws -> Response {
        let user = try await require(req)
        return try await page(req, user: user, form: PaperForm(), errors: [:], status: .ok)
    }

    static func page(_ req: Request, user: CurrentUser, form: PaperForm, errors: [String: String],
                     status: HTTPResponseStatus) async throws -> Response {
        guard let unit = try await OrganisationQueries.unit(code: user.unitCode,
            on: req.db) else { throw Abort(.notFound) }
        let rows = try await SecretPaperModel.query(on: req.db).filter(\.$unit.$id == unit.requireID())
            .sort(\.$registeredAt, .descending).limit(500).all()
        return SecretPapersView.render(req.pageContext(), rows: rows, form: form, errors: errors,
                                       flash: req.takeFlash(), status: status)
    }

    /// Registers a paper copy, or records its 清退 / 销毁; every change audited.
    static func save(req: Request) async throws -> Response {
        let user = try await require(req)
        let form = try req.content.decode(PaperForm.self)
        let l = req.l10n
        let now = req.now
        guard let unit = try await OrganisationQueries.unit(code: user.unitCode,
            on: req.db) else { throw Abort(.notFound) }
        if let id = form.id.flatMap(UUID.init(uuidString:)) {
            guard let state = form.state, states.dropFirst().contains(state),
                  let paper = try await SecretPaperModel.query(on: req.db).filter(\.$id == id)
                    .filter(\.$unit.$id == unit.requireID()).first(), paper.state == "registered" else {
                throw Abort(.badRequest)
            }
            try await req.audited { tx, audit in
                paper.state = state
                paper.closedAt = now
                try await paper.save(on: tx)
                audit.add(AuditEvent(.update, objectType: "secret_paper", objectID: id.uuidString,
                                     summary: "\(state): \(paper.title) 份号 \(paper.copyNumbers)"))
            }
            req.setFlash("flash.saved")
            return req.redirect(within: SiteRoute.secretPapers.path)
        }
        var errors: [String: String] = [:]
        let title = (form.title ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty || title.count > 200 { errors["title"] = l("document.error.title") }
        let secrecy = Secrecy(rawValue: form.secrecy ?? "")
        if secrecy?.isStateSecret != true { errors["secrecy"] = l("secret.error.secrecy") }
        let numbers = DocumentsController.list(form.copyNumbers)
        if numbers.isEmpty || numbers.contains(where: { $0.count != 6 || !$0.allSatisfy { $0.isASCII && $0.isNumber } }) {
            errors["copyNumbers"] = l("secret.error.copyNumbers")
        }
        let copies = try? NumberInput.integer(form.copies ?? "", range: 1...9_999).get()
        if copies == nil { errors["copies"] = l("secret.error.copies") }
        let whereabouts = (form.whereabouts ?? "").trimmingCharacters(in: .whitespaces)
        if whereabouts.isEmpty || whereabouts.count > 200 { errors["whereabouts"] = l("secret.error.whereabouts") }
        guard errors.isEmpty, let secrecy, let copies else {
            return try await page(req, user: user, form: form, errors: errors, status: .unprocessableEntity)
        }
        try await req.audited { tx, audit in
            let paper = SecretPaperModel()
            paper.$unit.id = try unit.requireID()
            paper.title = title
            paper.secrecy = secrecy.rawValue
            paper.copyNumbers = numbers.joined(separator: ",")
            paper.copies = copies
            paper.whereabouts = whereabouts
            paper.state = "registered"
            paper.registeredBy = user.displayName
            paper.registeredAt = now
            try await paper.create(on: tx)
            audit.add(AuditEvent(.create, objectType: "secret_paper", objectID: try paper.requireID().uuidString,
                                 summary: "\(secrecy.nameZh) \(title) 份号 \(paper.copyNumbers) 份数 \(copies)"))
        }
        req.setFlash("secret.registered")
        return req.redirect(within: SiteRoute.secretPapers.path)
    }
}

enum SecretPapersView {
    static func render(_ ctx: PageContext, rows: [SecretPaperModel], form f: SecretPapers.PaperForm,
                       errors: [String: String], flash: String?, status: HTTPResponseStatus) -> Response {
        let l = ctx.l
        let secrets = Secrecy.allCases.filter(\.isStateSecret).map { ($0.rawValue, l.term($0.nameZh)) }
        return Layout.page(
            ctx, title: l("secret.title"),
            .alert(flash, kind: "success"),
            .p(.a(.href(SiteRoute.documents.path), .text(l("document.backToList")))),
            .p(.class("alert warning"), .text(l("secret.rule"))),
            .form(.class("card"), .method(.post), .action(SiteRoute.secretPapers.path),
                  .attribute(named: "novalidate", value: "novalidate"),
                  Form.errorSummary(errors.isEmpty ? nil : l("form.hasErrors")),
                  Form.csrf(ctx.csrfToken ?? ""),
                  Form.field(label: l("document.title"), name: "title", value: f.title ?? "", error: errors["title"],
                             required: true, autocomplete: "off"),
                  .div(.class("grid3"),
                       Form.select(label: l("document.secrecy"), name: "secrecy", options: secrets,
                                   selected: f.secrecy ?? "", error: errors["secrecy"]),
                       Form.field(label: l("secret.copyNumbers"), name: "copyNumbers", value: f.copyNumbers ?? "",
                                  error: errors["copyNumbers"], required: true, autocomplete: "off",
                                  hint: l("secret.copyNumbersHint"), inputMode: "numeric"),
                       Form.field(label: l("secret.copies"), name: "copies", value: f.copies ?? "",
                                  error: errors["copies"], required: true, autocomplete: "off", inputMode: "numeric")),
                  Form.field(label: l("secret.whereabouts"), name: "whereabouts", value: f.whereabouts ?? "",
                             error: errors["whereabouts"], required: true, autocomplete: "off",
                             hint: l("secret.whereaboutsHint")),
                  .button(.type(.submit), .class("button primary"), .text(l("secret.register")))),
            .if(rows.isEmpty, .p(.class("empty"), .text(l("secret.none")))),
            .if(!rows.isEmpty, .div(.class("table-scroll"), .table(.class("data"),
                .thead(.tr(.th(.text(l("document.title"))), .th(.text(l("document.secrecy"))),
                           .th(.text(l("secret.copyNumbers"))), .th(.text(l("secret.copies"))),
                           .th(.text(l("secret.whereabouts"))), .th(.text(l("list.status"))),
                           .th(.text(l("list.actions"))))),
                .tbody(.forEach(rows) { r in
                    .tr(.td(.text(r.title)), .td(.text(l.term(Secrecy(rawValue: r.secrecy)?.nameZh ?? r.secrecy))),
                        .td(.text(r.copyNumbers)), .td(.text(String(r.copies))), .td(.text(r.whereabouts)),
                        .td(.span(.class(r.state == "registered" ? "tag warn" : "tag off"),
                                  .text(l("secret.state.\(r.state)")))),
                        .td(.class("actions"), .if(r.state == "registered", .group(
                            SecretPapers.states.dropFirst().map { state in
                                .form(.class("inline-form"), .method(.post), .action(SiteRoute.secretPapers.path),
                                      Form.csrf(ctx.csrfToken ?? ""),
                                      .input(.type(.hidden), .name("id"), .value(r.id?.uuidString ?? "")),
                                      .input(.type(.hidden), .name("state"), .value(state)),
                                      .button(.type(.submit), .class("button small secondary"),
                                              .text(l("secret.mark.\(state)"))))
                            }))))
                }))))
        ).response(status: status)
    }
}
