import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A project's 监控表 at one monitoring point: Core's `MonitoringSheet` as JSON, its status and version (claimed in
/// the write). While a draft, the spending figures and bound indicators are refreshed on every load; once
/// submitted the sheet is what was submitted.
final class MonitoringTableModel: Model, @unchecked Sendable {
    static let schema = "monitoring_tables"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "project_code") var projectCode: String
    @Field(key: "point") var point: String
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    @Field(key: "sheet_json") var sheetJSON: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var statusValue: MonitoringStatus { MonitoringStatus(rawValue: status) ?? .draft }

    func sheet() throws -> MonitoringSheet {
        try JSONDecoder().decode(MonitoringSheet.self, from: Data(sheetJSON.utf8))
    }

    static func encode(_ s: MonitoringSheet) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(s), as: UTF8.self)
    }
}

/// Every step of a 监控表 (保存, 提交, 撤回, 退回 with its reason, 审核通过), the history on its page.
final class MonitoringEventModel: Model, @unchecked Sendable {
    static let schema = "monitoring_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "table_id") var table: MonitoringTableModel
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "comment") var comment: String
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    init() {}
}

/// An indicator of a project bound to a platform metric (`rules/metrics.json`): its value fills itself at every
/// monitoring point.
final class IndicatorBindingModel: Model, @unchecked Sendable {
    static let schema = "indicator_bindings"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Field(key: "project_code") var projectCode: String
    @Field(key: "indicator") var indicator: String
    @Field(key: "metric") var metric: String
    init() {}

    static func all(unit: String, year: Int, project: String, on db: Database) async throws -> [String: String] {
        let rows = try await query(on: db).filter(\.$unitCode == unit).filter(\.$year == year)
            .filter(\.$projectCode == project).all()
        return Dictionary(rows.map { ($0.indicator, $0.metric) }, uniquingKeysWith: { a, _ in a })
    }

    /// Binds (or, with nil, unbinds) one indicator.
    static func set(unit: String, year: Int, project: String, indicator: String, metric: String?,
                    on db: Database) async throws {
        try await query(on: db).filter(\.$unitCode == unit).filter(\.$year == year).filter(\.$projectCode == project)
            .filter(\.$indicator == indicator).delete()
        guard let metric else { return }
        let m = IndicatorBindingModel()
        (m.unitCode, m.year, m.projectCode, m.indicator, m.metric) = (unit, year, project, indicator, metric)
        try await m.create(on: db)
    }
}

struct M034CreateMonitoring: AsyncMigration {
    var name: String { "M034CreateMonitoring" }

    func prepare(on database: Database) async throws {
        try await database.schema(MonitoringTableModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("project_code", .string, .required)
            .field("point", .string, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("sheet_json", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unit_code", "year", "project_code", "point")
            .create()
        try await database.schema(MonitoringEventModel.schema)
            .id()
            .field("table_id", .uuid, .required, .references(MonitoringTableModel.schema, .id))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("comment", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .create()
        try await database.schema(IndicatorBindingModel.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("project_code", .string, .required)
            .field("indicator", .string, .required)
            .field("metric", .string, .required)
            .unique(on: "unit_code", "year", "project_code", "indicator")
            .create()
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX monitoring_status ON monitoring_tables (status, year)").run()
        try await sql.raw("CREATE INDEX monitoring_events_table ON monitoring_events (table_id, at)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(MonitoringEventModel.schema).delete()
        try await database.schema(MonitoringTableModel.schema).delete()
        try await database.schema(IndicatorBindingModel.schema).delete()
    }
}
