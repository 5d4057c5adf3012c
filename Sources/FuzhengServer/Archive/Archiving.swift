import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// Filing, numbering and correcting 件: every write of the archive goes through here, inside the caller's audited
/// transaction. The rules (series, order, retention, 档号) are Core's.
enum Archiving {
    struct Filer: Sendable {
        var username: String
        var name: String
    }

    struct Settings: Sendable, Equatable {
        var fonds: String
        var organisation: String
    }

    /// A unit's 全宗号 and 机构代码: as its 档案员 set them, else the unit code and none.
    static func settings(unitID: UUID, unitCode: String, on db: Database) async throws -> Settings {
        if let s = try await ArchiveSettingsModel.query(on: db).filter(\.$unit.$id == unitID).first() {
            return Settings(fonds: s.fonds, organisation: s.organisation)
        }
        return Settings(fonds: defaultFonds(unitCode), organisation: "")
    }

    /// Until the 档案员 sets one, a unit's 全宗号 is its code (letters and digits, capitals).
    static func defaultFonds(_ unitCode: String) -> String {
        unitCode.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.uppercased()
    }

    static func isClosed(unitID: UUID, year: Int, on db: Database) async throws -> Bool {
        try await ArchiveYearModel.query(on: db).filter(\.$unit.$id == unitID).filter(\.$year == year).first() != nil
    }

    static func existing(source: String, id: UUID, on db: Database) async throws -> ArchiveItemModel? {
        try await ArchiveItemModel.query(on: db).filter(\.$source == source).filter(\.$sourceID == id)
            .sort(\.$revision, .descending).first()
    }

    /// Files an issued 发文 of its unit; nil when it is already filed or not issued. The package will be drawn from
    /// the document as it is now, i.e. as issued, and names the 正文 version that was issued.
    @discardableResult
    static func file(outgoing m: DocumentModel, by filer: Filer, at now: Date,
                     on tx: Database) async throws -> ArchiveItemModel? {
        let id = try m.requireID()
        guard m.step == DocumentStep.issued.rawValue,
              try await existing(source: "outgoing", id: id, on: tx) == nil else { return nil }
        var doc = try m.decoded()
        let versions = try await DocumentVersionModel.query(on: tx).filter(\.$document.$id == id)
            .sort(\.$seq).all()
        // The 正文 as issued: the last version saved before 核发 (a later row is a later draft, never archived).
        let issuedAt = try await DocumentEventModel.query(on: tx).filter(\.$document.$id == id)
            .filter(\.$step == DocumentStep.issue.rawValue).filter(\.$action == "forward")
            .sort(\.$at, .descending).first()?.at
        let issued = versions.last { v in issuedAt.map { v.at <= $0 } ?? true } ?? versions.last
        if let issued {
            doc.title = issued.title
            doc.body = issued.body
        }
        let register = try await DocumentQueries.register(on: tx)
        let unitCode = try await unitCode(m.$unit.id, on: tx)
        let settings = try await settings(unitID: m.$unit.id, unitCode: unitCode, on: tx)
        let (period, rule) = RetentionPolicy.shared.propose(type: doc.type, author: .own)
        let input = DocumentLayout.Input(document: doc, number: m.numberText,
                                         issuerNames: doc.issuers.map { register[$0]?.name ?? $0 },
                                         sealed: m.sealedWith != nil, copyNumber: nil)
        let item = ArchiveItemModel()
        item.$unit.id = m.$unit.id
        item.year = m.year
        item.source = "outgoing"
        item.sourceID = id
        item.numberText = m.numberText ?? ""
        item.responsible = input.issuerNames.joined(separator: "、")
        item.title = doc.title
        item.date = ArchiveMetadata.day(doc.writtenOn) ?? ArchiveMetadata.day(doc.printedOn)
            ?? ArchiveMetadata.day(DelegationController.day(now)) ?? ""
        item.secrecy = doc.secrecy == .none ? "" : doc.secrecy.nameZh
        item.pages = DocumentLayout(input).pages.count
        item.issuedVersion = issued?.seq
        item.snapshot = String(decoding: try JSONEncoder().encode(doc), as: UTF8.self)
        try await save(item, settings: settings, period: period, basis: rule?.basis ?? "", by: filer, at: now, on: tx)
        return item
    }

    /// Files a 收文 that is done (办结); nil when already filed or not done.
    @discardableResult
    static func file(incoming m: IncomingModel, by filer: Filer, at now: Date,
                     on tx: Database) async throws -> ArchiveItemModel? {
        let id = try m.requireID()
        guard m.step == IncomingStep.done.rawValue,
              try await existing(source: "incoming", id: id, on: tx) == nil else { return nil }
        let unitCode = try await unitCode(m.$unit.id, on: tx)
        let settings = try await settings(unitID: m.$unit.id, unitCode: unitCode, on: tx)
        let policy = RetentionPolicy.shared
        var type = DocumentType.notice
        if let docID = m.documentID, let source = try await DocumentModel.find(docID, on: tx),
           let decoded = try? source.decoded() {
            type = decoded.type
        } else if let guess = DocumentType.allCases.first(where: { m.title.hasSuffix($0.nameZh) }) {
            type = guess
        }
        let (period, rule) = policy.propose(type: type, author: policy.author(ofSender: m.sender))
        let item = ArchiveItemModel()
        item.$unit.id = m.$unit.id
        item.year = m.year
        item.source = "incoming"
        item.sourceID = id
        item.numberText = m.senderNumber
        item.responsible = m.sender
        item.title = m.title
        item.date = ArchiveMetadata.day(m.receivedOn) ?? ""
        item.secrecy = m.secrecy == Secrecy.none.rawValue ? "" : (Secrecy(rawValue: m.secrecy)?.nameZh ?? "")
        item.pages = 0
        item.remarks = m.numberText.map { "收文编号 \($0)" } ?? ""
        item.snapshot = ""
        try await save(item, settings: settings, period: period, basis: rule?.basis ?? "", by: filer, at: now, on: tx)
        return item
    }

    private static func save(_ item: ArchiveItemModel, settings: Settings, period: RetentionPeriod, basis: String,
                             by filer: Filer, at now: Date, on tx: Database) async throws {
        item.revision = 0
        item.fonds = settings.fonds
        item.organisation = settings.organisation
        item.period = period.rawValue
        item.proposedPeriod = period.rawValue
        item.retentionBasis = basis
        item.periodReason = ""
        if item.$remarks.value == nil { item.remarks = "" }
        item.filedBy = filer.username
        item.filedByName = filer.name
        item.filedAt = now
        item.version = 1
        item.updatedAt = now
        try await item.create(on: tx)
        // In a closed year the 件 is numbered at once, after the year's last.
        if try await isClosed(unitID: item.$unit.id, year: item.year, on: tx) {
            try await number(item, on: tx)
        }
    }

    /// Gives the 件 the next 件号 of its series (the shared row-locked counter: gapless, never twice).
    static func number(_ item: ArchiveItemModel, on tx: Database) async throws {
        let series = item.series
        let n = try await DocumentNumbering.next(counter: series.counterKey, year: series.year, on: tx)
        let code = series.code(item: n)
        item.item = n
        item.code = code.description
        try await item.save(on: tx)
    }

    /// Files every issued 发文 and done 收文 of the unit's year not filed yet; how many were filed.
    static func fileRemaining(unitID: UUID, year: Int, by filer: Filer, at now: Date,
                              on tx: Database) async throws -> Int {
        var count = 0
        let outgoing = try await DocumentModel.query(on: tx).filter(\.$unit.$id == unitID).filter(\.$year == year)
            .filter(\.$step == DocumentStep.issued.rawValue).all()
        for m in outgoing where try await file(outgoing: m, by: filer, at: now, on: tx) != nil { count += 1 }
        let incoming = try await IncomingModel.query(on: tx).filter(\.$unit.$id == unitID).filter(\.$year == year)
            .filter(\.$step == IncomingStep.done.rawValue).all()
        for m in incoming where try await file(incoming: m, by: filer, at: now, on: tx) != nil { count += 1 }
        return count
    }

    struct AlreadyClosed: Error {}

    /// Closes the year: numbers every unnumbered 件 in Core's order, series by series. The year's row is written
    /// first, so a second close of the same year fails on its unique key and leaves nothing half done.
    static func close(unitID: UUID, year: Int, by filer: Filer, at now: Date,
                      on tx: Database) async throws -> [ArchiveItemModel] {
        let closing = ArchiveYearModel()
        closing.$unit.id = unitID
        closing.year = year
        closing.closedAt = now
        closing.closedBy = filer.username
        do {
            try await closing.create(on: tx)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AlreadyClosed()
        }
        let items = try await ArchiveItemModel.query(on: tx).filter(\.$unit.$id == unitID).filter(\.$year == year)
            .filter(\.$item == nil).all()
        let byID = Dictionary(uniqueKeysWithValues: items.compactMap { i in i.id.map { ($0.uuidString, i) } })
        let candidates = items.map {
            FilingCandidate(id: $0.id?.uuidString ?? "", series: $0.series, date: $0.date, number: $0.numberText,
                            title: $0.title)
        }
        var numbered: [ArchiveItemModel] = []
        for c in ItemNumbering.ordered(candidates) {
            guard let item = byID[c.id] else { continue }
            try await number(item, on: tx)
            numbered.append(item)
        }
        return numbered
    }

    struct Problem: Error {
        var problem: ArchiveProblem
    }

    /// Changes an unnumbered 件's 保管期限 (with a reason unless back to the proposal), checked against its version.
    static func changePeriod(_ item: ArchiveItemModel, to period: RetentionPeriod, reason: String, expected: Int,
                             at now: Date, on tx: Database) async throws {
        guard !item.isNumbered else { throw Problem(problem: .init("已编号的件不可修改，请办理更正",
                                                                  "a numbered item is read-only: file a correction")) }
        if let p = RetentionChange.problem(proposed: RetentionPeriod(rawValue: item.proposedPeriod) ?? .tenYears,
                                           chosen: period, reason: reason) {
            throw Problem(problem: p)
        }
        try await claim(item, expected: expected, at: now, on: tx)
        item.period = period.rawValue
        item.periodReason = period.rawValue == item.proposedPeriod ? ""
            : reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try await item.save(on: tx)
    }

    /// A correction of a numbered 件: a new item with the corrected 题名, 保管期限 and 备注, numbered at once, that names
    /// the one it corrects; the old one stays as it was.
    static func correct(_ old: ArchiveItemModel, title: String, period: RetentionPeriod, reason: String,
                        by filer: Filer, at now: Date, on tx: Database) async throws -> ArchiveItemModel {
        guard let oldCode = old.code else {
            throw Problem(problem: .init("尚未编号的件可直接修改", "an unnumbered item can be changed directly"))
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty, why.count <= 500 else {
            throw Problem(problem: .init("请写明更正理由（不超过 500 字）", "give the reason for the correction"))
        }
        let latest = try await existing(source: old.source, id: old.sourceID, on: tx)
        guard latest?.id == old.id else {
            throw Problem(problem: .init("该件已有更正，请在最新的一件上更正", "correct the latest revision"))
        }
        let item = ArchiveItemModel()
        item.$unit.id = old.$unit.id
        item.year = old.year
        item.source = old.source
        item.sourceID = old.sourceID
        item.revision = old.revision + 1
        item.correctsID = old.id
        item.fonds = old.fonds
        item.organisation = old.organisation
        item.period = period.rawValue
        item.proposedPeriod = old.proposedPeriod
        item.retentionBasis = old.retentionBasis
        item.periodReason = period.rawValue == old.proposedPeriod ? old.periodReason : why
        item.numberText = old.numberText
        item.responsible = old.responsible
        item.title = title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? old.title
            : String(title.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        item.date = old.date
        item.secrecy = old.secrecy
        item.pages = old.pages
        item.remarks = "更正 \(oldCode)：\(why)"
        item.issuedVersion = old.issuedVersion
        item.snapshot = old.snapshot
        item.filedBy = filer.username
        item.filedByName = filer.name
        item.filedAt = now
        item.version = 1
        item.updatedAt = now
        do {
            try await item.create(on: tx)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another tab filed a correction of the same 件 first: its revision number is taken.
            throw Problem(problem: .init("该件刚刚已有更正，请刷新后查看", "this item was just corrected elsewhere: reload"))
        }
        try await number(item, on: tx)
        return item
    }

    struct Conflict: Error {}

    /// The version check is part of the write (the one shared claim).
    static func claim(_ item: ArchiveItemModel, expected: Int, at now: Date, on tx: Database) async throws {
        guard try await DocumentsController.claimVersion(schema: ArchiveItemModel.schema, id: item.requireID(),
                                                         expected: expected, at: now, on: tx) else { throw Conflict() }
        item.version = expected + 1
        item.updatedAt = now
    }

    static func unitCode(_ id: UUID, on db: Database) async throws -> String {
        guard let sql = db as? SQLDatabase else { return "" }
        struct Row: Decodable { var code: String }
        return try await sql.raw("SELECT code FROM units WHERE id = \(bind: id)").first(decoding: Row.self)?.code ?? ""
    }
}

extension Archiving {
    /// A closed 督办 item into the archive of the 督查室's unit, in the 销号 transaction: its 督办单 with every report
    /// and the result, and the files, as one 件 (period by kind, from `rules/supervision.json`). Once only.
    static func file(supervision m: SupervisionItemModel, by filer: Filer, at now: Date,
                     on tx: Database) async throws -> ArchiveItemModel? {
        let id = try m.requireID()
        guard m.stateValue == .closed, try await existing(source: "supervision", id: id, on: tx) == nil,
              let unit = try await UnitModel.query(on: tx).filter(\.$code == m.officeUnit).first() else { return nil }
        let unitID = try unit.requireID()
        let settings = try await settings(unitID: unitID, unitCode: unit.code, on: tx)
        let (period, basis) = SupervisionRules.shared.retention(of: m.kindValue)
        let item = ArchiveItemModel()
        item.$unit.id = unitID
        item.year = CivilDay(now).year
        item.source = "supervision"
        item.sourceID = id
        item.numberText = m.numberText
        item.responsible = unit.name
        item.title = "关于“\(m.title)”督办事项的办理情况"
        item.date = ArchiveMetadata.day(m.closedOn ?? CivilDay(now).description) ?? ""
        item.secrecy = ""
        item.pages = 0
        item.remarks = "督办单、反馈材料及办结结果"
        item.snapshot = ""
        try await save(item, settings: settings, period: period, basis: basis, by: filer, at: now, on: tx)
        return item
    }
}
