import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The archive's pages as data, read without a request so each is tested with a database alone.
enum ArchiveQueries {
    struct Unit: Sendable {
        var id: UUID
        var code: String
        var name: String
    }

    /// The unit whose archive the person keeps: the one asked for when their 档案员 grant reaches it, else their own.
    static func unit(asked: String?, for user: CurrentUser, on db: Database) async throws -> Unit? {
        let code = asked.flatMap { $0.isEmpty ? nil : $0 } ?? user.unitCode
        guard AccessPolicy.allows(user.principal, .office(.archiveDocuments, Target(unitCode: code))),
              let m = try await UnitModel.query(on: db).filter(\.$code == code).first(), let id = m.id
        else { return nil }
        return Unit(id: id, code: m.code, name: m.name)
    }

    static func items(unitID: UUID, year: Int, on db: Database) async throws -> [ArchiveItemModel] {
        try await ArchiveItemModel.query(on: db).filter(\.$unit.$id == unitID).filter(\.$year == year).all()
    }

    /// Issued 发文 and done 收文 of the year not filed yet (filed at 办结 from now on; older ones at year end).
    static func unfiled(unitID: UUID, year: Int, on db: Database) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        struct N: Decodable { var n: Int }
        let outgoing = try await sql.raw("""
            SELECT count(*) AS n FROM documents d WHERE d.unit_id = \(bind: unitID) AND d.year = \(bind: year) \
            AND d.step = \(bind: DocumentStep.issued.rawValue) AND NOT EXISTS (SELECT 1 FROM archive_items a \
            WHERE a.source = 'outgoing' AND a.source_id = d.id)
            """).first(decoding: N.self)?.n ?? 0
        let incoming = try await sql.raw("""
            SELECT count(*) AS n FROM incoming_documents d WHERE d.unit_id = \(bind: unitID) \
            AND d.year = \(bind: year) AND d.step = \(bind: IncomingStep.done.rawValue) AND NOT EXISTS \
            (SELECT 1 FROM archive_items a WHERE a.source = 'incoming' AND a.source_id = d.id)
            """).first(decoding: N.self)?.n ?? 0
        return outgoing + incoming
    }

    /// Metadata of the year's numbered items, for the 归档文件目录.
    static func catalogue(unitID: UUID, year: Int, on db: Database) async throws -> [ArchiveMetadata] {
        let items = try await items(unitID: unitID, year: year, on: db).filter(\.isNumbered)
        let codes = Dictionary(uniqueKeysWithValues: items.compactMap { i in i.id.map { ($0, i.code ?? "") } })
        return items.compactMap { $0.metadata(corrects: $0.correctsID.flatMap { codes[$0] } ?? "") }
    }
}

struct ArchiveYearPage: Sendable {
    struct Row: Sendable {
        var id: String
        var code: String?
        var period: RetentionPeriod
        var proposed: RetentionPeriod
        var reason: String
        var title: String
        var number: String
        var responsible: String
        var date: String
        var source: String
        var revision: Int
    }

    var unit: ArchiveQueries.Unit
    var year: Int
    var years: [Int]
    var closed: ArchiveYearModel?
    var settings: Archiving.Settings
    var rows: [Row]
    var total: Int
    var unfiled: Int
    var query: String
    var series: [(ArchiveSeries, Int)]

    static func load(unit: ArchiveQueries.Unit, year: Int, query: String, now: Date,
                     on db: Database) async throws -> ArchiveYearPage {
        let items = try await ArchiveQueries.items(unitID: unit.id, year: year, on: db)
        let closed = try await ArchiveYearModel.query(on: db).filter(\.$unit.$id == unit.id).filter(\.$year == year)
            .first()
        let thisYear = CivilDay(now).year
        let q = query.trimmingCharacters(in: .whitespaces)
        let shown = items.filter { i in
            q.isEmpty || [i.code ?? "", i.title, i.numberText, i.responsible].contains { $0.contains(q) }
        }
        let candidates = shown.map {
            FilingCandidate(id: $0.id?.uuidString ?? "", series: $0.series, date: $0.date, number: $0.numberText,
                            title: $0.title)
        }
        // Numbered items by 件号; the rest in the order closing will number them.
        let byID = Dictionary(uniqueKeysWithValues: shown.compactMap { i in i.id.map { ($0.uuidString, i) } })
        let ordered = ItemNumbering.ordered(candidates).compactMap { byID[$0.id] }
        let sorted = ordered.filter(\.isNumbered).sorted { ($0.series, $0.item ?? 0) < ($1.series, $1.item ?? 0) }
            + ordered.filter { !$0.isNumbered }
        let grouped = Dictionary(grouping: items, by: \.series).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
        return ArchiveYearPage(
            unit: unit, year: year, years: Array((thisYear - 4...thisYear).reversed()), closed: closed,
            settings: try await Archiving.settings(unitID: unit.id, unitCode: unit.code, on: db),
            rows: sorted.map { i in
                Row(id: i.id?.uuidString ?? "", code: i.code, period: i.retention,
                    proposed: RetentionPeriod(rawValue: i.proposedPeriod) ?? .tenYears, reason: i.periodReason,
                    title: i.title, number: i.numberText, responsible: i.responsible, date: i.date, source: i.source,
                    revision: i.revision)
            },
            total: items.count, unfiled: try await ArchiveQueries.unfiled(unitID: unit.id, year: year, on: db),
            query: q, series: grouped)
    }
}

struct ArchiveItemPage: Sendable {
    var item: ArchiveItemModel
    var unit: ArchiveQueries.Unit
    var corrects: String?
    var correctedBy: [(id: String, code: String)]
    var sourcePath: String
    var closed: Bool

    static func load(_ item: ArchiveItemModel, unit: ArchiveQueries.Unit, on db: Database) async throws
        -> ArchiveItemPage {
        var corrects: String?
        if let old = item.correctsID { corrects = try await ArchiveItemModel.find(old, on: db)?.code }
        let later = try await ArchiveItemModel.query(on: db).filter(\.$source == item.source)
            .filter(\.$sourceID == item.sourceID).filter(\.$revision > item.revision).sort(\.$revision).all()
        let path = switch item.source {
        case "outgoing": SiteRoute.document(id: item.sourceID.uuidString).path
        case "supervision": SiteRoute.supervisionItem(id: item.sourceID.uuidString).path
        default: SiteRoute.incomingItem(id: item.sourceID.uuidString).path
        }
        return ArchiveItemPage(item: item, unit: unit, corrects: corrects,
                               correctedBy: later.map { ($0.id?.uuidString ?? "", $0.code ?? "") }, sourcePath: path,
                               closed: try await Archiving.isClosed(unitID: unit.id, year: item.year, on: db))
    }
}
