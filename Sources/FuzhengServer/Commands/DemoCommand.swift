import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng demo county [--units N] [--users N] [--years N] [--seed N] [--first-year YYYY]`: generates a
/// county (Core's `CountyGenerator`, the same data for the same options) and loads it into an empty
/// database, the data set every benchmark runs on. Prints progress and the time it took.
struct DemoCommand: AnyAsyncCommand {
    static let usage = "fuzheng demo county [--units N] [--users N] [--years N] [--seed N] [--first-year YYYY] "
        + "[--documents N] [--incoming N] [--supervision N] [--projects N] [--payments N] [--payments-year YYYY]"

    var help: String {
        "Loads a generated county into an empty database: demo county [--units 300] [--users 3000] [--years 3] "
            + "[--seed 1] [--first-year YYYY, default: this year − years + 1]"
    }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments,
                                        valueOptions: ["units", "users", "years", "seed", "first-year", "documents",
                                                       "incoming", "supervision", "projects", "payments",
                                                       "payments-year"])
        context.input.arguments = []
        guard args.positionals == ["county"], args.flags.isEmpty else {
            throw CommandExit(status: 2, message: "用法 / usage: \(Self.usage)")
        }
        func number(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = args.options[name] else { return fallback }
            guard let value = Int(text), value >= 0 else {
                throw CommandExit(status: 2, message: "--\(name) 应为非负整数：\(text) "
                    + "/ --\(name) must be a non-negative integer: \(text)")
            }
            return value
        }
        let app = context.application
        let years = try number("years", 3)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AuditFilter.timeZone
        let thisYear = calendar.component(.year, from: app.fuzheng.clock.now())
        let parameters = CountyGenerator.Parameters(
            seed: UInt64(try number("seed", 1)), units: try number("units", 300), users: try number("users", 3000),
            years: years, firstYear: try number("first-year", thisYear - max(years, 1) + 1),
            projectsPerUnit: args.options["projects"] == nil ? nil : try number("projects", 10))

        let console = context.console
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed: @Sendable () -> String = { FuzzCommand.seconds(clock.now - started) }
        try await app.autoMigrate()
        guard try await DemoSeeder.isEmpty(app.db), try await UserModel.query(on: app.db).count() == 0 else {
            throw CommandExit(status: 2, message: "数据库不是空的：demo county 只载入空数据库（请换一个数据目录或 DATABASE_URL） "
                + "/ the database is not empty: demo county loads into an empty database only "
                + "(use another data folder or DATABASE_URL)")
        }
        let county: CountyGenerator.Output
        do {
            county = try CountyGenerator.generate(parameters)
        } catch {
            throw CommandExit(status: 2, message: error.description)
        }
        let p = parameters
        let budgets = county.budgets.count
        let lastYear = p.firstYear + p.years - 1
        console.print("已生成 \(p.units) 个单位、\(p.users) 个账户、\(p.firstYear)–\(lastYear) 年 \(budgets) 份预算"
            + "（种子 \(p.seed)，\(elapsed())） / generated \(p.units) units, \(p.users) accounts, \(budgets) budgets "
            + "(seed \(p.seed), \(elapsed()))")
        let counts = try await CountyLoader.load(county, into: app, demoMode: app.fuzheng.config.demoMode) { line in
            console.print("\(line)（\(elapsed())）")
        }
        let documents = try await CountyDocumentsLoader.load(
            try number("documents", 200_000), seed: p.seed, years: Array(p.firstYear...lastYear), into: app
        ) { line in console.print("\(line)（\(elapsed())）") }
        let incoming = try await CountyArchiveLoader.loadIncoming(
            try number("incoming", documents / 4), seed: p.seed, years: Array(p.firstYear...lastYear), into: app
        ) { line in console.print("\(line)（\(elapsed())）") }
        // Every year before the last is closed: filed, numbered, read-only.
        let archived = try await CountyArchiveLoader.closeYears(Array(p.firstYear..<lastYear), into: app) { line in
            console.print("\(line)（\(elapsed())）")
        }
        let supervision = try await CountySupervisionLoader.load(
            try number("supervision", 20_000), seed: p.seed, years: Array(p.firstYear...lastYear), into: app
        ) { line in console.print("\(line)（\(elapsed())）") }
        // Payments of the last year whose budgets are all published (the last one is still being approved).
        let paymentsYear = try number("payments-year", max(p.firstYear, lastYear - 1))
        let payments = try await CountyExecutionLoader.load(try number("payments", 0), year: paymentsYear,
                                                            seed: p.seed, into: app) { line in
            console.print("\(line)（\(elapsed())）")
        }
        if payments > 0 { console.print("\(paymentsYear) 年支付 \(payments) 笔 / \(payments) payments") }
        console.print("收文 \(incoming) 件，归档 \(archived) 件，督办 \(supervision) 项 / \(incoming) incoming, "
            + "\(archived) archived items, \(supervision) supervision items")
        console.print("完成：\(counts.units) 个单位、\(counts.users) 个账户、\(counts.budgets) 份预算（已公开 \(counts.published) 份）、\(documents) 件公文，"
            + "用时 \(elapsed()) / done: \(counts.units) units, \(counts.users) accounts, \(counts.budgets) budgets "
            + "(\(counts.published) published), \(documents) documents in \(elapsed())")
        let seed = county.organisation
        let examples = [Role.systemAdmin, .financeReviewer, .unitFinance, .unitHead, .leader, .officeStaff]
            .compactMap { role in seed.accounts.first { $0.role == role } }
            .map { "  \($0.username) (\($0.role.rawValue), \($0.unitCode) \($0.displayName))" }
        let change = app.fuzheng.config.demoMode ? "" : "；首次登录须修改 / must be changed at first login"
        console.print("初始密码 / initial password \(seed.initialPassword)\(change)；例如 / for example:\n"
            + examples.joined(separator: "\n"))
    }
}
