import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

enum SeedFile {
    static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzhengCoreTests/Fixtures/huailai-office-2023.txt").path
    }

    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "fz-\(UUID().uuidString).txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Runs a command as `fuzheng NAME ARGS…` would, returning its exit status.
func runCommand(_ command: any AnyAsyncCommand, _ arguments: [String], app: Application) async throws -> Int32 {
    var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["fuzheng cmd"] + arguments))
    context.application = app
    do {
        try await command.run(using: &context)
        return 0
    } catch let exit as CommandExit {
        return exit.status
    }
}

@Suite("Budgets on the server: demo data, commands, the budget page")
struct BudgetServerTests {
    @Test("the demo budget data file is what importing the seed text gives, its lines split by classification code")
    func demoEqualsImport() throws {
        var imported = try DisclosureImporter.importBudget(String(contentsOfFile: SeedFile.path, encoding: .utf8))
        var demo = try DemoSeeder.demoBudget()
        #expect(demo.status == .published)
        imported.status = .published
        // The seed states no codes; the demo gives every line its function and economic code, splitting a seed line
        // (人员经费, 日常公用经费, a project) over several codes without changing what it adds up to.
        #expect(demo.expenditure.allSatisfy { $0.functionCode != nil && $0.economicCode != nil })
        func seedLine(_ l: ExpenditureLine) -> String {
            l.kind == .basic ? l.basicCategory?.rawValue ?? "" : l.projectCode ?? ""
        }
        let split = Dictionary(grouping: demo.expenditure, by: seedLine).mapValues { $0.sum(\.amount) }
        #expect(split == Dictionary(uniqueKeysWithValues: imported.expenditure.map { (seedLine($0), $0.amount) }))
        for line in demo.expenditure where line.kind == .project {
            #expect(line.label == imported.expenditure.first { $0.projectCode == line.projectCode }?.label)
        }
        demo.expenditure = imported.expenditure
        #expect(demo == imported)
    }

    @Test("serve's demo load stores the 2023 budget in normal tables")
    func demoStored() async throws {
        try await withFuzhengApp { app, _ in
            let (model, budget) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2023, on: app.db))
            #expect(model.expenditureFen == 2_001_890_000)
            #expect(model.receptionFen == 211_500_000)
            #expect(model.operatingCostsFen == 291_210_000)
            #expect(budget.projects.count == 4)
            #expect(try await BudgetProjectModel.query(on: app.db).count() == 4)
            #expect(try await BudgetProcurementLineModel.query(on: app.db).count() == 13)
            // Summed here, not in SQL: PostgreSQL's SUM(bigint) is numeric.
            let lines = try await BudgetExpenditureLineModel.query(on: app.db).all()
            #expect(lines.reduce(Int64(0)) { $0 + $1.amountFen } == 2_001_890_000)
        }
    }

    @Test("the unit's staff read every part of the budget with its findings; other units and administrators get 403")
    func page() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            let unit = try await caiwu.get("/units/434001")
            #expect(unit.text.contains(#"href="/units/434001/budgets/2023""#))
            let page = try await caiwu.get("/units/434001/budgets/2023")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<th class="num">"#), "amount headers are not right-aligned")
            for text in ["正科级", "财政拨款（行政）", "2001.89", "1201.89", "910.68", "291.21", "241.50", "211.50", "519.92", "211.99", "19.92",
                         "怀财字【2023】7号电子政务平台建设资金", "13073023P00005210005Q", "≥95%", "≤24小时", "3月底25%",
                         "基础软件开发服务", "C16010100", "逐年递减支出，厉行节约，逐年减少公务接待支出", "事业单位经营支出",
                         "单位：万元", "检查结果：错误 0 项", "怀财字〔2023〕7号", ##"href="#project-13073023P00005210005Q""##] {
                #expect(page.text.contains(text), "missing \(text)")
            }
            #expect(try await Browser(app).login("shenhe").status == .seeOther)
            let reviewer = Browser(app)
            try await reviewer.login("shenhe")
            #expect(try await reviewer.get("/units/434001/budgets/2023").status == .ok)

            let other = Browser(app)
            try await other.login("caiwu2")
            #expect(try await other.get("/units/434001/budgets/2023").status == .forbidden)
            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            #expect(try await auditor.get("/units/434001/budgets/2023").status == .forbidden)
            #expect(try await caiwu.get("/units/434001/budgets/1999").status == .notFound)
        }
    }

    @Test("import saves a draft with an audit record; a malformed file exits 2 and writes nothing")
    func importCommand() async throws {
        try await withFuzhengApp { app, _ in
            let seed = try String(contentsOfFile: SeedFile.path, encoding: .utf8)
            let broken = try SeedFile.write(seed.replacingOccurrences(of: "2023年预算收入2001.89万元", with: "2024年预算收入2O01.89万元")
                .replacingOccurrences(of: "2023年部门预算信息公开", with: "2024年部门预算信息公开"))
            let before = try await auditRecords(app).count
            #expect(try await runCommand(ImportCommand(), [broken], app: app) == 2)
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db) == nil)
            #expect(try await auditRecords(app).count == before)
            #expect(try await runCommand(ImportCommand(), ["/no/such/file.txt"], app: app) == 2)

            // The published 2023 budget cannot be overwritten by an import.
            #expect(try await runCommand(ImportCommand(), [SeedFile.path], app: app) == 2)

            let next = try SeedFile.write(seed.replacingOccurrences(of: "2023年", with: "2024年"))
            #expect(try await runCommand(ImportCommand(), [next], app: app) == 0)
            let (model, _) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(model.status == "draft")
            #expect(try await auditRecords(app).last?.objectID == "434001/2024")
        }
    }

    @Test("check exits 0 without errors, 1 with errors, 2 when unreadable")
    func checkCommand() async throws {
        try await withFuzhengApp { app, _ in
            let seed = try String(contentsOfFile: SeedFile.path, encoding: .utf8)
            #expect(try await runCommand(CheckCommand(), [SeedFile.path], app: app) == 0)
            #expect(try await runCommand(CheckCommand(), [SeedFile.path, "--json"], app: app) == 0)
            #expect(try await runCommand(CheckCommand(), ["434001", "2023"], app: app) == 0)
            let wrongSum = try SeedFile.write(seed.replacingOccurrences(of: "公务接待费211.5万元", with: "公务接待费211.6万元"))
            #expect(try await runCommand(CheckCommand(), [wrongSum], app: app) == 1)
            #expect(try await runCommand(CheckCommand(), [try SeedFile.write("不是预算")], app: app) == 2)
            #expect(try await runCommand(CheckCommand(), ["434001", "1999"], app: app) == 2)
            #expect(try await runCommand(CheckCommand(), [], app: app) == 2)
        }
    }

    @Test("export writes the stored budget as JSON that reads back equal")
    func exportCommand() async throws {
        try await withFuzhengApp { app, _ in
            let output = NSTemporaryDirectory() + "fz-export-\(UUID().uuidString).json"
            #expect(try await runCommand(ExportCommand(), ["434001", "2023", "--format", "json", "--output", output], app: app) == 0)
            let exported = try BudgetJSON.decode(String(contentsOfFile: output, encoding: .utf8))
            #expect(exported == (try DemoSeeder.demoBudget()))
            #expect(try await runCommand(ExportCommand(), ["434001", "2023", "--format", "odt"], app: app) == 2)
        }
    }
}
