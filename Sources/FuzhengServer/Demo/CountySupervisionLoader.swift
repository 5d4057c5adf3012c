import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The generated county's 督办 items (Core's `CountyDocuments.supervision`), 20,000 by default: the data set of the
/// statistics and leader-list benchmarks. Loaded in batches of 2,000 with their 交办 (and 销号) events; the 督办
/// counters continue after the last number of each year.
enum CountySupervisionLoader {
    static let batch = 2_000

    static func load(_ count: Int, seed: UInt64, years: [Int], into app: Application,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int {
        guard count > 0, !years.isEmpty, let sql = app.db as? SQLDatabase else { return 0 }
        let units = try await UnitsMemo.all(on: app.db).filter(\.is_active)
        guard !units.isEmpty else { return 0 }
        let list = units.map { CountyDocuments.Unit(code: $0.code, name: $0.name) }
        struct Person: Decodable { var username: String; var display_name: String; var code: String }
        let leaders = try await sql.raw("""
            SELECT u.username, u.display_name, n.code FROM users u JOIN units n ON n.id = u.unit_id
            WHERE u.role = 'leader' ORDER BY u.username
            """).all(decoding: Person.self)
        let inspector = try await sql.raw("""
            SELECT u.username, u.display_name, n.code FROM users u JOIN units n ON n.id = u.unit_id
            WHERE u.role = 'inspector' ORDER BY u.username LIMIT 1
            """).first(decoding: Person.self)
        let office = inspector ?? Person(username: "system", display_name: "督查室", code: units[0].code)
        let today = CivilDay(app.fuzheng.clock.now())
        let generator = CountyDocuments.shared
        var numbers: [Int: Int] = [:]
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            var items: [SupervisionItemModel] = []
            var events: [SupervisionEventModel] = []
            for i in start..<end {
                let g = generator.supervision(i, seed: seed, units: list, years: years, today: today)
                let m = SupervisionItemModel()
                m.id = UUID()
                m.year = g.start.year
                let n = (numbers[m.year] ?? 0) + 1
                numbers[m.year] = n
                m.seq = n
                m.numberText = "督办〔\(m.year)〕\(n)号"
                m.hasChildren = false
                m.title = g.title
                m.source = g.source.rawValue
                m.sourceText = ""
                m.requirement = "按期办结并报送结果。"
                m.leadUnit = g.unitCode
                m.assisting = g.assisting.isEmpty ? "" : "," + g.assisting.joined(separator: ",") + ","
                m.responsible = ""
                m.leader = leaders.isEmpty ? nil : leaders[g.leaderIndex % leaders.count].username
                m.kind = g.kind.rawValue
                m.set(cycle: .monthly(day: 25))
                m.startOn = g.start.description
                m.deadline = g.deadline.description
                m.extendedTo = g.extendedTo?.description
                m.extensionApprovedOn = g.extensionApprovedOn?.description
                m.refreshDeadlines()
                m.state = g.state.rawValue
                m.assignedOn = g.start.description
                m.progress = g.progress
                m.closedOn = g.closedOn?.description
                m.result = g.closedOn == nil ? "" : "已办结。"
                m.proposer = g.proposer
                m.repliedOn = g.repliedOn?.description
                m.satisfaction = g.satisfaction?.rawValue
                m.officeUnit = office.code
                m.createdBy = office.username
                m.createdByName = office.display_name
                m.version = 1
                let at = g.start.start().addingTimeInterval(9 * 3600)
                m.createdAt = at
                m.updatedAt = at
                items.append(m)
                let assign = SupervisionEventModel()
                assign.id = UUID()
                assign.$item.id = m.id!
                assign.at = at
                assign.action = "assign"
                assign.username = office.username
                assign.displayName = office.display_name
                assign.unitCode = office.code
                assign.text = "交办\(g.unitCode)，期限\(g.deadline)"
                assign.answer = ""
                events.append(assign)
            }
            let batchItems = items, batchEvents = events
            try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, audit in
                for chunk in batchItems.chunked(by: 200) { try await chunk.create(on: tx) }
                for chunk in batchEvents.chunked(by: 200) { try await chunk.create(on: tx) }
                guard let sql = tx as? SQLDatabase else { return }
                for chunk in batchItems.chunked(by: 200) { try await SupervisionUnits.insert(chunk, on: sql) }
                audit.add(AuditEvent(.create, objectType: "supervision",
                                     summary: "seed: generated county 督办 \(start + 1)–\(end) (seed \(seed))"))
            }
            if end % 10_000 == 0 || end == count {
                progress("督办：\(end) / \(count) 项 / supervision items: \(end) of \(count)")
            }
        }
        let counters = numbers
        try await app.db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { return }
            for (year, last) in counters {
                try await sql.raw("""
                    INSERT INTO document_counters (prefix, year, next) VALUES ('督办', \(bind: year), \(bind: last + 1))
                    """).run()
            }
            try await SupervisionFiguresCache.bump(on: tx)
        }
        return count
    }
}
