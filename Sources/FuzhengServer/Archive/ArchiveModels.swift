import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// A 件 in a unit's archive: filed at 办结 (a 发文 when issued, a 收文 when done) or by the 档案员 at year end, with
/// the proposed 保管期限; its 件号 and 档号 are given when the year is closed (or at once in a closed year). Once
/// numbered it is read-only: a correction is a new item (`revision` + 1) that names the one it corrects.
final class ArchiveItemModel: Model, @unchecked Sendable {
    static let schema = "archive_items"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "year") var year: Int
    /// outgoing or incoming.
    @Field(key: "source") var source: String
    @Field(key: "source_id") var sourceID: UUID
    @Field(key: "revision") var revision: Int
    @OptionalField(key: "corrects_id") var correctsID: UUID?
    @Field(key: "fonds") var fonds: String
    @Field(key: "organisation") var organisation: String
    @Field(key: "period") var period: String
    @Field(key: "proposed_period") var proposedPeriod: String
    @Field(key: "retention_basis") var retentionBasis: String
    @Field(key: "period_reason") var periodReason: String
    @OptionalField(key: "item") var item: Int?
    @OptionalField(key: "code") var code: String?
    @Field(key: "number_text") var numberText: String
    @Field(key: "responsible") var responsible: String
    @Field(key: "title") var title: String
    /// 日期, eight digits.
    @Field(key: "date") var date: String
    @Field(key: "secrecy") var secrecy: String
    @Field(key: "pages") var pages: Int
    @Field(key: "remarks") var remarks: String
    /// A 发文's 正文 version that was issued; the package is drawn from `snapshot`, never from a later draft.
    @OptionalField(key: "issued_version") var issuedVersion: Int?
    /// The issued `OutgoingDocument` as JSON (发文); empty for a 收文.
    @Field(key: "snapshot") var snapshot: String
    @OptionalField(key: "package_digest") var packageDigest: String?
    /// The stored package shows a seal and is kept sealed with SM4 like the seal itself (M026).
    @OptionalField(key: "package_sealed") var packageSealed: Bool?
    @Field(key: "filed_by") var filedBy: String
    @Field(key: "filed_by_name") var filedByName: String
    @Field(key: "filed_at") var filedAt: Date
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var retention: RetentionPeriod { RetentionPeriod(rawValue: period) ?? .tenYears }
    var series: ArchiveSeries {
        ArchiveSeries(fonds: fonds, year: year, period: retention, organisation: organisation)
    }
    var isNumbered: Bool { item != nil }

    /// The package's metadata (its file list is filled in when the package is made).
    func metadata(corrects: String) -> ArchiveMetadata? {
        guard let item else { return nil }
        return ArchiveMetadata(code: series.code(item: item), number: numberText, responsible: responsible,
                               title: title, date: date, secrecy: secrecy, pages: pages, remarks: remarks,
                               source: ["outgoing": "发文", "supervision": "督办"][source] ?? "收文",
                               retentionBasis: periodReason.isEmpty ? retentionBasis
                                   : "\(retentionBasis)；档案员改定：\(periodReason)",
                               corrects: corrects)
    }
}

/// A unit's archive year: open while items are filed and reviewed, closed when the 档案员 has numbered them.
final class ArchiveYearModel: Model, @unchecked Sendable {
    static let schema = "archive_years"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "year") var year: Int
    @Field(key: "closed_at") var closedAt: Date
    @Field(key: "closed_by") var closedBy: String
    init() {}
}

/// A unit's 全宗号 and 机构（问题）代码, set by its 档案员 (until then the unit code and none).
final class ArchiveSettingsModel: Model, @unchecked Sendable {
    static let schema = "archive_settings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: UnitModel
    @Field(key: "fonds") var fonds: String
    @Field(key: "organisation") var organisation: String
    init() {}
}

struct M023CreateArchive: AsyncMigration {
    var name: String { "M023CreateArchive" }

    func prepare(on database: Database) async throws {
        try await database.schema(ArchiveItemModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("source_id", .uuid, .required)
            .field("revision", .int, .required)
            .field("corrects_id", .uuid)
            .field("fonds", .string, .required)
            .field("organisation", .string, .required)
            .field("period", .string, .required)
            .field("proposed_period", .string, .required)
            .field("retention_basis", .string, .required)
            .field("period_reason", .string, .required)
            .field("item", .int)
            .field("code", .string)
            .field("number_text", .string, .required)
            .field("responsible", .string, .required)
            .field("title", .string, .required)
            .field("date", .string, .required)
            .field("secrecy", .string, .required)
            .field("pages", .int, .required)
            .field("remarks", .string, .required)
            .field("issued_version", .int)
            .field("snapshot", .string, .required)
            .field("package_digest", .string)
            .field("filed_by", .string, .required)
            .field("filed_by_name", .string, .required)
            .field("filed_at", .datetime, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "source", "source_id", "revision")
            .unique(on: "code")
            .create()
        try await database.schema(ArchiveYearModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("year", .int, .required)
            .field("closed_at", .datetime, .required)
            .field("closed_by", .string, .required)
            .unique(on: "unit_id", "year")
            .create()
        try await database.schema(ArchiveSettingsModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("fonds", .string, .required)
            .field("organisation", .string, .required)
            .unique(on: "unit_id")
            .create()
        if let sql = database as? SQLDatabase {
            try await sql.create(index: "archive_items_unit_year").on(ArchiveItemModel.schema).column("unit_id")
                .column("year").run()
        }
    }

    func revert(on database: Database) async throws {
        for schema in [ArchiveSettingsModel.schema, ArchiveYearModel.schema, ArchiveItemModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// 收文 joined the shared search index with the archive (M023): documents received before are indexed here once.
struct M024IndexIncoming: AsyncMigration {
    var name: String { "M024IndexIncoming" }

    func prepare(on database: Database) async throws {
        for m in try await IncomingModel.query(on: database).all() {
            try await IncomingQueries.reindex(m, on: database)
        }
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.delete(from: SearchIndex.schema).where("kind", .equal, "incoming").run()
    }
}

/// A package that shows a seal is kept sealed (SM4) in the file store, as the seal and sealed PDFs are.
struct M026SealedPackages: AsyncMigration {
    var name: String { "M026SealedPackages" }

    func prepare(on database: Database) async throws {
        try await database.schema(ArchiveItemModel.schema).field("package_sealed", .bool).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ArchiveItemModel.schema).deleteField("package_sealed").update()
    }
}
