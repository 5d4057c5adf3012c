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
    init() {}

    init(_ body: Body, position: Int) {
        id = body.code
        name = body.name
        kind = body.kind.rawValue
        level = body.level.rawValue
        parentCode = body.parentCode
        ledBy = body.ledBy.joined(separator: ",")
        self.position = position
    }

    var body: Body? {
        guard let id, let kind = BodyKind(rawValue: kind), let level = RelativeLevel(rawValue: level) else { return nil }
        return Body(code: id, name: name, kind: kind, level: level, parentCode: parentCode,
                    ledBy: ledBy.split(separator: ",").map(String.init))
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
        var model = BodiesModel(register: register, from: q.from, to: q.to, direction: nil)
        if let from = q.from, let to = q.to, register[from] != nil, register[to] != nil {
            model.direction = register.direction(from: from, to: to)
        }
        return BodiesView.render(req.pageContext(), model)
    }

    /// Stores a register in an empty `bodies` table (the demo's, or a county's first load).
    static func load(_ register: BodyRegister, on db: Database) async throws {
        guard try await BodyModel.query(on: db).count() == 0 else { return }
        try await register.bodies.enumerated().map { BodyModel($0.element, position: $0.offset) }.create(on: db)
    }
}
