import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The county's 收文 (Core `CountyDocuments.incoming`) and its archive for `fuzheng demo county`: received documents in
/// every step with their 收文编号 and search terms, then every past year closed — each unit's issued 发文 and done 收文
/// filed with the proposed 保管期限 and numbered by Core's order, the counters left where the numbers stop.
enum CountyArchiveLoader {
    static let batch = 2_000

    static func loadIncoming(_ count: Int, seed: UInt64, years: [Int], into app: Application,
                             progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int {
        guard count > 0, !years.isEmpty else { return 0 }
        let units = try await UnitModel.query(on: app.db).sort(\.$code).all()
        guard !units.isEmpty else { return 0 }
        let list = units.map { CountyDocuments.Unit(code: $0.code, name: $0.name) }
        let ids = Dictionary(try units.map { ($0.code, try $0.requireID()) }, uniquingKeysWith: { a, _ in a })
        let generator = CountyDocuments.shared
        // 收文编号 per unit and year, continued by the shared counters once loaded.
        var numbers: [String: Int] = [:]
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            var models: [IncomingModel] = []
            var entries: [SearchIndex.Entry] = []
            for i in start..<end {
                let g = generator.incoming(i, seed: seed, units: list, years: years)
                guard let unitID = ids[g.unitCode] else { continue }
                let at = CountyLoader.date(g.year, g.dayOfYear, hour: 8 + i % 9)
                let received = CivilDay(at)
                let m = IncomingModel()
                m.id = UUID()
                m.$unit.id = unitID
                m.year = g.year
                if g.step != .register {
                    let key = "\(g.unitCode)|\(g.year)"
                    let n = (numbers[key] ?? 0) + 1
                    numbers[key] = n
                    m.seq = n
                    m.numberText = "怀\(g.unitCode)收〔\(g.year)〕\(n)号"
                }
                m.source = "outside"
                m.sender = g.sender
                m.senderNumber = g.senderNumber
                m.title = g.title
                m.secrecy = Secrecy.none.rawValue
                m.urgency = g.urgency.rawValue
                m.copies = 1
                m.receivedOn = received.description
                var state = IncomingState(step: g.step)
                if g.step == .handle || g.step == .done {
                    state.lead = g.unitCode
                    state.due = WorkingCalendar.shared.adding(workingDays: 15, to: received)
                }
                if g.step == .done {
                    state.result = "已办理。"
                    state.doneOn = received.adding(days: 10)
                }
                m.state = state
                m.assisting = ""
                m.registeredBy = "u\(g.unitCode)"
                m.registeredByName = "文书"
                m.version = 1
                m.createdAt = at
                m.updatedAt = at
                models.append(m)
                entries.append(try IncomingQueries.entry(m))
            }
            let first = start + 1
            let batchModels = models, batchEntries = entries
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                for chunk in batchModels.chunked(by: 200) { try await chunk.create(on: tx) }
                if let sql = tx as? SQLDatabase {
                    try await SearchIndex.insert(kind: "incoming", batchEntries, on: sql)
                }
                audit.add(AuditEvent(.create, objectType: "incoming",
                                     summary: "seed: generated county 收文 \(first)–\(end) (seed \(seed))"))
            }
            if end % 20_000 == 0 || end == count {
                progress("收文：\(end) / \(count) 件 / incoming: \(end) of \(count)")
            }
        }
        let counters = numbers
        try await app.db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { return }
            for (key, last) in counters {
                let parts = key.split(separator: "|")
                guard parts.count == 2, let year = Int(parts[1]) else { continue }
                try await sql.raw("""
                    INSERT INTO document_counters (prefix, year, next) VALUES \
                    (\(bind: IncomingNumber.counterKey(unitCode: String(parts[0]))), \(bind: year), \(bind: last + 1))
                    """).run()
            }
        }
        return count
    }

    /// Files and numbers every unit's past years (those before `openYear`); how many 件 were numbered.
    static func closeYears(_ years: [Int], into app: Application,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int {
        guard let sql = app.db as? SQLDatabase else { return 0 }
        struct Outgoing: Decodable {
            var id: UUID
            var type: String
            var title: String
            var number_text: String?
            var document: String
            var created_at: Date
        }
        struct Incoming: Decodable {
            var id: UUID
            var title: String
            var sender: String
            var sender_number: String
            var number_text: String?
            var received_on: String
        }
        let units = try await UnitsMemo.all(on: app.db)
        let policy = RetentionPolicy.shared
        let now = app.fuzheng.clock.now()
        var total = 0
        for year in years {
            for (n, unit) in units.enumerated() {
                let fonds = Archiving.defaultFonds(unit.code)
                var items: [ArchiveItemModel] = []
                let outgoing = try await sql.raw("""
                    SELECT id, type, title, number_text, document, created_at FROM documents \
                    WHERE unit_id = \(bind: unit.id) AND year = \(bind: year) AND step = \(bind: "issued")
                    """).all(decoding: Outgoing.self)
                for d in outgoing {
                    let type = DocumentType(rawValue: d.type) ?? .notice
                    let (period, rule) = policy.propose(type: type, author: .own)
                    let item = base(unit.id, year: year, fonds: fonds, period: period, basis: rule?.basis, at: now)
                    item.source = "outgoing"
                    item.sourceID = d.id
                    item.numberText = d.number_text ?? ""
                    item.responsible = unit.name
                    item.title = d.title
                    item.date = ArchiveMetadata.day(CivilDay(d.created_at).description) ?? ""
                    item.snapshot = d.document
                    items.append(item)
                }
                let incoming = try await sql.raw("""
                    SELECT id, title, sender, sender_number, number_text, received_on FROM incoming_documents \
                    WHERE unit_id = \(bind: unit.id) AND year = \(bind: year) AND step = \(bind: "done")
                    """).all(decoding: Incoming.self)
                for d in incoming {
                    let (period, rule) = policy.propose(type: .notice, author: policy.author(ofSender: d.sender))
                    let item = base(unit.id, year: year, fonds: fonds, period: period, basis: rule?.basis, at: now)
                    item.source = "incoming"
                    item.sourceID = d.id
                    item.numberText = d.sender_number
                    item.responsible = d.sender
                    item.title = d.title
                    item.date = ArchiveMetadata.day(d.received_on) ?? ""
                    item.remarks = d.number_text.map { "收文编号 \($0)" } ?? ""
                    item.snapshot = ""
                    items.append(item)
                }
                let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id!.uuidString, $0) })
                let plan = ItemNumbering.plan(items.map {
                    FilingCandidate(id: $0.id!.uuidString, series: $0.series, date: $0.date, number: $0.numberText,
                                    title: $0.title)
                }, next: [:])
                var last: [ArchiveSeries: Int] = [:]
                for (candidate, code) in plan {
                    byID[candidate.id]?.item = code.item
                    byID[candidate.id]?.code = code.description
                    last[candidate.series] = code.item
                }
                let closing = ArchiveYearModel()
                closing.$unit.id = unit.id
                closing.year = year
                closing.closedAt = now
                closing.closedBy = "seed"
                let numbered = items.count
                let filed = items, ends = last
                try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                    for chunk in filed.chunked(by: 100) { try await chunk.create(on: tx) }
                    try await closing.create(on: tx)
                    guard let tsql = tx as? SQLDatabase else { return }
                    for (series, n) in ends {
                        try await tsql.raw("""
                            INSERT INTO document_counters (prefix, year, next) VALUES \
                            (\(bind: series.counterKey), \(bind: series.year), \(bind: n + 1))
                            """).run()
                    }
                    audit.add(AuditEvent(.update, objectType: "archive_year", objectID: "\(unit.code)/\(year)",
                                         summary: "seed: 关闭年度，编号 \(numbered) 件"))
                }
                total += items.count
                if (n + 1) % 100 == 0 || n + 1 == units.count {
                    progress("归档：\(year) 年度 \(n + 1) / \(units.count) 个单位，共 \(total) 件 / archive: \(year), "
                             + "\(n + 1) of \(units.count) units, \(total) items")
                }
            }
        }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("VACUUM ANALYZE archive_items").run()
            try await sql.raw("VACUUM ANALYZE incoming_documents").run()
            try await sql.raw("VACUUM ANALYZE search_terms").run()
        } else {
            try await sql.raw("ANALYZE").run()
        }
        return total
    }

    private static func base(_ unitID: UUID, year: Int, fonds: String, period: RetentionPeriod, basis: String?,
                             at now: Date) -> ArchiveItemModel {
        let item = ArchiveItemModel()
        item.id = UUID()
        item.$unit.id = unitID
        item.year = year
        item.revision = 0
        item.fonds = fonds
        item.organisation = ""
        item.period = period.rawValue
        item.proposedPeriod = period.rawValue
        item.retentionBasis = basis ?? ""
        item.periodReason = ""
        item.secrecy = ""
        item.pages = 0
        item.remarks = ""
        item.filedBy = "seed"
        item.filedByName = "档案员"
        item.filedAt = now
        item.version = 1
        item.updatedAt = now
        return item
    }
}
