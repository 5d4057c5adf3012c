import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A project's 绩效自评 of a year: Core's `ProjectEvaluation` as JSON, its status and version (claimed in the
/// write), and the total and grade as last scored (for lists and the command line).
final class ProjectEvaluationModel: Model, @unchecked Sendable {
    static let schema = "project_evaluations"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "project_code") var projectCode: String
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    @Field(key: "evaluation_json") var evaluationJSON: String
    @Field(key: "total") var total: String
    @Field(key: "grade") var grade: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var statusValue: EvaluationStatus { EvaluationStatus(rawValue: status) ?? .draft }

    func evaluation() throws -> ProjectEvaluation {
        try JSONDecoder().decode(ProjectEvaluation.self, from: Data(evaluationJSON.utf8))
    }

    static func encode(_ e: ProjectEvaluation) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(e), as: UTF8.self)
    }
}

/// Every step of a 自评表: 保存, 提交, 撤回, 单位审批, 退回 with its reason, 财政重新评分 with its reason, 财政审核, 公开.
final class EvaluationEventModel: Model, @unchecked Sendable {
    static let schema = "evaluation_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "evaluation_id") var evaluation: ProjectEvaluationModel
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "comment") var comment: String
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    init() {}
}

struct M036CreateEvaluations: AsyncMigration {
    var name: String { "M036CreateEvaluations" }

    func prepare(on database: Database) async throws {
        try await database.schema(ProjectEvaluationModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("project_code", .string, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("evaluation_json", .string, .required)
            .field("total", .string, .required)
            .field("grade", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unit_code", "year", "project_code")
            .create()
        try await database.schema(EvaluationEventModel.schema)
            .id()
            .field("evaluation_id", .uuid, .required, .references(ProjectEvaluationModel.schema, .id))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("comment", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .create()
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX evaluations_status ON project_evaluations (status, year)").run()
        try await sql.raw("CREATE INDEX evaluation_events_item ON evaluation_events (evaluation_id, at)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(EvaluationEventModel.schema).delete()
        try await database.schema(ProjectEvaluationModel.schema).delete()
    }
}
