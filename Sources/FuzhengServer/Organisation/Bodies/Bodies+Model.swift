import Fluent
import Foundation
import FuzhengCore
import Vapor

/// The bodies documents go between (Core `Body`), one row each; `led_by` holds the codes of its leading bodies.
final class BodyModel: Model, @unchecked Sendable {
    static let schema = "bodies"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "level") var level: String
    @OptionalField(key: "parent_code") var parentCode: String?
    @Field(key: "led_by") var ledBy: String
    @Field(key: "position") var position: Int
    /// 机关代字 of the body's 发文字号 (怀政办字), when it issues documents.
    @OptionalField(key: "number_prefix") var numberPrefix: String?
    init() {}

    init(_ body: Body, position: Int) {
        id = body.code
        name = body.name
        kind = body.kind.rawValue
        level = body.level.rawValue
        parentCode = body.parentCode
        ledBy = body.ledBy.joined(separator: ",")
        numberPrefix = body.numberPrefix
        self.position = position
    }

    var body: Body? {
        guard let id, let kind = BodyKind(rawValue: kind),
            let level = RelativeLevel(rawValue: level) else { return nil }
        return Body(code: id, name: name, kind: kind, level: level, parentCode: parentCode,
                    ledBy: ledBy.split(separator: ",").map(String.init), numberPrefix: numberPrefix)
    }
}

struct M012CreateBodies: AsyncMigration {
    var name: String { "M012CreateBodies" }

    func prepare(on database: Database) async throws {
        try await database.schema(BodyModel.schema)
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string)
            .field("led_by", .string, .required)
            .field("position", .int, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BodyModel.schema).delete()
    }
}

/// 机构与行文方向 for the 系统管理员: the county's bodies by level and kind, and what a document between two of them is.
struct BodiesModel: Sendable {
    var register: BodyRegister
    var from: String?
    var to: String?
    var direction: DocumentDirection?
    /// Units of the `units` table under each department body that the register does not list itself.
    var extraUnits: [String: [(code: String, name: String)]] = [:]
    var flash: String?
}

/// The form that adds or edits one body.
struct BodyEditModel: Sendable {
    var editing: String?
    var form: BodiesController.BodyForm
    var register: BodyRegister
    var errors: [String: String] = [:]
}

enum BodiesController {
    struct DirectionQuery: Content {
        var from: String?
        var to: String?
    }

    static func query(on db: Database) async throws -> BodyRegister {
        try BodyRegister(try await BodyModel.query(on: db).sort(\.$position).all().compactMap(\.body))
    }

    static func show(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let register = try await query(on: req.db)
        let q = try req.query.decode(DirectionQuery.self)
        var model = BodiesModel(register: register, from: q.from, to: q.to, direction: nil, flash: req.takeFlash())
        for unit in try await UnitModel.query(on: req.db).with(\.$department).filter(\.$isActive == true).sort(\.$code).all()
            where register[unit.code] == nil {
            model.extraUnits[unit.department.code, default: []].append((unit.code, unit.name))
        }
        if let from = q.from, let to = q.to, register[from] != nil, register[to] != nil {
            model.direction = register.direction(from: from, to: to)
        }
        return BodiesView.render(req.pageContext(), model)
    }

    struct BodyForm: Content {
        var code: String?
        var name: String?
        var kind: String?
        var level: String?
        var parentCode: String?
        var ledBy: String?
        var numberPrefix: String?
    }

    static func form(_ body: Body) -> BodyForm {
        BodyForm(code: body.code, name: body.name, kind: body.kind.rawValue, level: body.level.rawValue,
                 parentCode: body.parentCode, ledBy: body.ledBy.joined(separator: ","), numberPrefix: body.numberPrefix)
    }

    static func showNew(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let register = try await query(on: req.db)
        let parent = (try? req.query.get(String.self, at: "parent")).flatMap { register[$0] }
        let form = BodyForm(kind: parent == nil ? BodyKind.outside.rawValue : BodyKind.section.rawValue,
                            level: parent?.level.rawValue ?? RelativeLevel.city.rawValue, parentCode: parent?.code,
                            ledBy: parent?.code)
        return BodyEditView.render(req.pageContext(), BodyEditModel(editing: nil, form: form, register: register))
    }

    static func showEdit(req: Request) async throws -> Response {
        try await req.require(.manageOrganisation)
        let register = try await query(on: req.db)
        guard let body = register[req.parameters.get("code") ?? ""] else { throw Abort(.notFound) }
        return BodyEditView.render(req.pageContext(), BodyEditModel(editing: body.code, form: form(body),
                                                                    register: register))
    }

    static func create(req: Request) async throws -> Response { try await save(req, editing: nil) }

    static func update(req: Request) async throws -> Response {
        try await save(req, editing: req.parameters.get("code") ?? "")
    }

    /// Validated as a whole: the register with the change must still load (codes unique, references known, no
    /// leadership cycle), so the direction of every document stays decidable.
    static func save(_ req: Request, editing: String?) async throws -> Response {
        try await req.require(.manageOrganisation)
        let register = try await query(on: req.db)
        if let editing, register[editing] == nil { throw Abort(.notFound) }
        var form = try req.content.decode(BodyForm.self)
        if let editing { form.code = editing }
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let l = req.l10n
        var errors: [String: String] = [:]
        if code.isEmpty || code.count > 20 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            errors["code"] = l("bodies.error.code")
        } else if editing == nil && register[code] != nil {
            errors["code"] = l("bodies.error.codeTaken")
        }
        if name.isEmpty || name.count > 60 { errors["name"] = l("bodies.error.name") }
        let kind = BodyKind(rawValue: form.kind ?? "")
        let level = RelativeLevel(rawValue: form.level ?? "")
        if kind == nil { errors["kind"] = l("bodies.error.kind") }
        if level == nil { errors["level"] = l("bodies.error.level") }
        let parent = (form.parentCode ?? "").isEmpty ? nil : form.parentCode
        let ledBy = (form.ledBy ?? "").split(whereSeparator: { "、，, ；;".contains($0) }).map(String.init)
        let prefix = (form.numberPrefix ?? "").trimmingCharacters(in: .whitespaces)
        if prefix.count > 12 || prefix.contains(where: { "〔〕【】[]()（）0123456789".contains($0) }) {
            errors["numberPrefix"] = l("bodies.error.prefix")
        }
        var bodies = register.bodies
        if errors.isEmpty, let kind, let level {
            let body = Body(code: code, name: name, kind: kind, level: level, parentCode: parent, ledBy: ledBy,
                            numberPrefix: prefix.isEmpty ? nil : prefix)
            if let i = bodies.firstIndex(where: { $0.code == code }) { bodies[i] = body } else { bodies.append(body) }
            do {
                _ = try BodyRegister(bodies)
            } catch let problem as BodyRegister.Problem {
                switch problem {
                case .unknownReference(_, let ref): errors["ledBy"] = l("bodies.error.unknown", ref)
                case .leadershipCycle: errors["ledBy"] = l("bodies.error.cycle")
                case .duplicateCode: errors["code"] = l("bodies.error.codeTaken")
                }
            }
        }
        guard errors.isEmpty, let kind, let level else {
            return BodyEditView.render(req.pageContext(), BodyEditModel(editing: editing, form: form,
                register: register,
                                                                        errors: errors), status: .unprocessableEntity)
        }
        let body = Body(code: code, name: name, kind: kind, level: level, parentCode: parent, ledBy: ledBy,
                        numberPrefix: prefix.isEmpty ? nil : prefix)
        let before = register[code]
        try await req.audited { tx, audit in
            if let model = try await BodyModel.find(code, on: tx) {
                let position = model.position
                let replacement = BodyModel(body, position: position)
                model.name = replacement.name
                model.kind = replacement.kind
                model.level = replacement.level
                model.parentCode = replacement.parentCode
                model.ledBy = replacement.ledBy
                model.numberPrefix = replacement.numberPrefix
                try await model.save(on: tx)
            } else {
                let last = try await BodyModel.query(on: tx).max(\.$position) ?? 0
                try await BodyModel(body, position: last + 1).create(on: tx)
            }
            func summary(_ b: Body) -> String {
                "name=\(b.name); kind=\(b.kind.rawValue); level=\(b.level.rawValue); parent=\(b.parentCode ?? ""); "
                    + "ledBy=\(b.ledBy.joined(separator: ",")); prefix=\(b.numberPrefix ?? "")"
            }
            audit.add(AuditEvent(before == nil ? .create : .update, objectType: "body", objectID: code,
                                 summary: (before.map { "before: \(summary($0)) | " } ?? "") + "after: \(summary(body))"))
        }
        req.setFlash("flash.saved")
        return req.redirect(within: SiteRoute.adminBodies.path)
    }

    /// Stores a register in an empty `bodies` table (the demo's, or a county's first load).
    static func load(_ register: BodyRegister, on db: Database) async throws {
        guard try await BodyModel.query(on: db).count() == 0 else { return }
        try await register.bodies.enumerated().map { BodyModel($0.element, position: $0.offset) }.create(on: db)
    }
}
