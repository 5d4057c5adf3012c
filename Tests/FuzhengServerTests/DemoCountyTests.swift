import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

@Suite("fuzheng demo county: a generated county loaded like people's own data")
struct DemoCountyTests {
    static let arguments = ["county", "--units", "12", "--users", "60", "--years", "2", "--seed", "3",
                            "--first-year", "2024", "--documents", "300", "--supervision", "120"]
    static let parameters = CountyGenerator.Parameters(seed: 3, units: 12, users: 60, years: 2, firstYear: 2024)

    @Test("loads units, accounts, budgets and disclosures into an empty database; refuses a second load")
    func load() async throws {
        try await withFuzhengApp(demo: false) { app, _ in
            #expect(try await runCommand(DemoCommand(), Self.arguments, app: app) == 0)
            let county = try CountyGenerator.generate(Self.parameters)
            let published = county.budgets.filter { $0.publishedDay != nil }
            #expect(try await UnitModel.query(on: app.db).count() == 12)
            #expect(try await UserModel.query(on: app.db).count() == 60)
            #expect(try await BudgetModel.query(on: app.db).count() == 24)
            #expect(try await DisclosureVersionModel.query(on: app.db).count() == published.count)
            #expect(published.count >= 12)
            let steps = county.budgets.reduce(0) { $0 + $1.steps.count }
            let projects = county.budgets.reduce(0) { $0 + $1.budget.projects.count }
            #expect(try await BudgetEventModel.query(on: app.db).count() == steps)
            #expect(try await BudgetProjectModel.query(on: app.db).count() == projects)

            // Its 公文: each one as generated for its index, findable by the index, the public ones on the portal.
            #expect(try await DocumentModel.query(on: app.db).count() == 300)
            let units = try await UnitModel.query(on: app.db).sort(\.$code).all()
                .map { CountyDocuments.Unit(code: $0.code, name: $0.name) }
            let tenth = CountyDocuments.shared.document(10, seed: 3, units: units, years: [2024, 2025])
            let stored = try #require(try await DocumentModel.query(on: app.db).filter(\.$title == tenth.document.title)
                .filter(\.$step == tenth.step.rawValue).first())
            #expect(try stored.decoded() == tenth.document)
            // 会议 through the index, newest first, each one public and holding it; as many as the table says.
            let hits = try #require(try await SearchIndex.page(kind: "document", query: "会议", audience: .everyone,
                                                               offset: 0, limit: 20, on: app.db))
            let holding = try await DocumentModel.query(on: app.db).filter(\.$step == "issued")
                .filter(\.$openness == "zhudong").filter(\.$restricted == false).all()
                .filter { $0.title.contains("会议") || $0.documentJSON.contains("会议") }
            #expect(hits.total == holding.count && hits.total > 0)
            let newest = try await DocumentQueries.load(hits.ids, on: app.db)
            #expect(newest.allSatisfy { PublicDocuments.isPublic($0) && ($0.title + $0.documentJSON).contains("会议") })
            #expect(newest.map(\.createdAt) == newest.map(\.createdAt).sorted(by: >))
            // A phrase: its terms found together and the text itself checked; a person's units only.
            let all = try await DocumentModel.query(on: app.db).with(\.$unit).all()
            for phrase in ["政府采购", "做好防汛", "怀\(all[0].unit.code)字"] {
                let wanted = all.filter { $0.access == .everyone && ($0.title + ($0.numberText ?? "")
                    + $0.documentJSON).contains(phrase) }
                let got = try #require(try await SearchIndex.page(kind: "document", query: phrase, audience: .everyone,
                    offset: 0, limit: 1000, verify: DocumentQueries.holds(phrase), on: app.db))
                #expect(Set(got.ids) == Set(wanted.compactMap(\.id)) && got.total == wanted.count, "\(phrase)")
            }
            let unit = all[0].$unit.id
            let mine = try #require(try await SearchIndex.page(kind: "document", query: "会议",
                audience: .scopes([unit.uuidString]), offset: 0, limit: 1000, on: app.db))
            let expected = all.filter { $0.$unit.id == unit && !$0.restricted
                && ($0.title + $0.documentJSON).contains("会议") }
            #expect(Set(mine.ids) == Set(expected.compactMap(\.id)))
            let open = try await DocumentModel.query(on: app.db).filter(\.$step == "issued")
                .filter(\.$openness == "zhudong").filter(\.$restricted == false).count()
            let portal = try await Browser(app).get("/public/documents")
            #expect(portal.status == .ok && portal.text.contains("共 \(open) 件"))

            // Its 收文 (a quarter as many), indexed; 2024 closed: every issued 发文 and done 收文 of 2024 filed and
            // numbered from 0001 without gaps in each series; 2025 open.
            #expect(try await IncomingModel.query(on: app.db).count() == 75)
            let sample = try #require(try await IncomingModel.query(on: app.db).first())
            let word = String(sample.title.prefix(4))
            let received = try #require(try await SearchIndex.page(kind: "incoming", query: word,
                audience: .scopes(nil), offset: 0, limit: 100, on: app.db))
            #expect(received.ids.contains(try sample.requireID()))
            let items = try await ArchiveItemModel.query(on: app.db).all()
            let issued2024 = try await DocumentModel.query(on: app.db).filter(\.$year == 2024)
                .filter(\.$step == "issued").count()
            let done2024 = try await IncomingModel.query(on: app.db).filter(\.$year == 2024)
                .filter(\.$step == "done").count()
            #expect(items.count == issued2024 + done2024 && items.allSatisfy { $0.year == 2024 })
            #expect(Set(items.compactMap(\.code)).count == items.count)
            for (_, members) in Dictionary(grouping: items, by: { "\($0.$unit.id)\($0.series)" }) {
                #expect(members.compactMap(\.item).sorted() == Array(1...members.count))
            }
            #expect(try await ArchiveYearModel.query(on: app.db).count() == 12)

            // Its 督办 items: each as generated for its index; deadlines in force derived; a county-wide person's
            // statistics for the whole span count every item once, rates within 100%.
            #expect(try await SupervisionItemModel.query(on: app.db).count() == 120)
            let today = CivilDay(app.fuzheng.clock.now())
            let g = CountyDocuments.shared.supervision(50, seed: 3, units: units, years: [2024, 2025], today: today)
            let item = try #require(try await SupervisionItemModel.query(on: app.db).filter(\.$title == g.title)
                .filter(\.$startOn == g.start.description).filter(\.$deadline == g.deadline.description).first())
            #expect(item.leadUnit == g.unitCode && item.state == g.state.rawValue
                && item.statDueOn == item.supervised.deadlineInForce.description)
            let all120 = try await SupervisionItemModel.query(on: app.db).all()
            // Each unit row says whether its item is open, as the open lists read them.
            struct UnitRow: Decodable { var item_id: UUID; var is_open: Bool }
            let rows = try await (app.db as! any SQLDatabase).select().columns("item_id", "is_open")
                .from(SupervisionUnits.schema).all(decoding: UnitRow.self)
            let isOpen = Dictionary(uniqueKeysWithValues: all120.map { ($0.id!, $0.state != "closed") })
            #expect(rows.count >= 120 && rows.allSatisfy { isOpen[$0.item_id] == $0.is_open })
            #expect(rows.contains { $0.is_open } && rows.contains { !$0.is_open })
            let stats = SupervisionStatistics.make(all120.map(\.supervised), from: CivilDay(year: 2000, month: 1, day: 1),
                                                   to: CivilDay(year: 2100, month: 1, day: 1))
            #expect(stats.county.due == 120 && (stats.county.closedRate ?? 0) <= 10_000
                && (stats.county.onTimeRate ?? 0) <= (stats.county.closedRate ?? 0))
            // The database's sums (GROUP BY lead unit and source) equal Core's tally of the same items, for
            // every month, quarter and year of the span, county-wide and for a reach of three units.
            let leaves = all120.filter { !$0.hasChildren }
            #expect(leaves.contains { $0.extensionApprovedOn != nil } && leaves.contains { $0.satisfaction != nil })
            let reach: Set<String> = Set(units.prefix(3).map(\.code))
            var periods: [(CivilDay, CivilDay)] = []
            for year in [2024, 2025, 2026] {
                periods.append((CivilDay(year: year, month: 1, day: 1), CivilDay(year: year, month: 12, day: 31)))
                for month in 1...12 { periods.append(SupervisionStatsPage.monthOf(CivilDay(year: year, month: month,
                                                                                            day: 1))) }
            }
            for (from, to) in periods {
                let sql = try await SupervisionQueries.periodCells(from: from, to: to, reach: nil, unit: nil,
                                                                   username: "", on: app.db)
                #expect(sql.sorted { ($0.unit, $0.source.rawValue) < ($1.unit, $1.source.rawValue) }
                    == SupervisionStatistics.cells(leaves.map(\.supervised), from: from, to: to), "\(from)")
                let some = try await SupervisionQueries.periodCells(from: from, to: to, reach: reach, unit: nil,
                                                                    username: "nobody", on: app.db)
                let reached = leaves.filter { reach.contains($0.leadUnit) || $0.assistingList.contains(where:
                    reach.contains) }
                #expect(SupervisionStatistics.make(cells: some)
                    == SupervisionStatistics.make(reached.map(\.supervised), from: from, to: to), "\(from)")
            }

            // Every budget reads back through the normal store exactly as generated.
            for generated in county.budgets {
                let found = try await BudgetStore.find(unitCode: generated.unitCode, year: generated.budget.fiscalYear,
                                                       on: app.db)
                let (model, stored) = try #require(found)
                #expect(stored == generated.budget)
                #expect(model.expenditureFen == generated.budget.totalExpenditure.value)
                #expect((model.approvedAt != nil) == generated.steps.contains { $0.action == .financeApprove })
            }

            // A generated clerk signs in with the initial password and sees their unit's budget.
            let clerk = try #require(county.organisation.accounts.first { $0.role == .unitFinance })
            let found = try await UserModel.query(on: app.db).filter(\.$username == clerk.username).first()
            let user = try #require(found)
            #expect(user.displayName == clerk.displayName && user.role == .unitFinance)
            let browser = Browser(app)
            try await browser.login(clerk.username, county.organisation.initialPassword)
            let page = try await browser.get("/units/\(clerk.unitCode)/budgets/2024")
            #expect(page.status == .ok)
            #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)

            #expect(try await runCommand(DemoCommand(), Self.arguments, app: app) == 2)
            #expect(try await UnitModel.query(on: app.db).count() == 12)
        }
    }

    @Test("refuses a database that already holds the demo organisation, and impossible sizes")
    func refusals() async throws {
        try await withFuzhengApp { app, _ in
            let status = try await runCommand(DemoCommand(), Self.arguments, app: app)
            #expect(status == 2)
        }
        try await withFuzhengApp(demo: false) { app, _ in
            let tooFewUsers = try await runCommand(DemoCommand(), ["county", "--units", "10", "--users", "5"], app: app)
            let notANumber = try await runCommand(DemoCommand(), ["county", "--units", "many"], app: app)
            let unknown = try await runCommand(DemoCommand(), ["town"], app: app)
            #expect([tooFewUsers, notANumber, unknown] == [2, 2, 2])
            #expect(try await UnitModel.query(on: app.db).count() == 0)
        }
    }
}
