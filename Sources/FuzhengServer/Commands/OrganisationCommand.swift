import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng org load PATH`: loads a county's organisation and first accounts (an `OrganisationSeed`
/// JSON file, the form of Resources/demo/organisation.json) into an empty database. Every account
/// must change the file's initial password at first login.
struct OrganisationCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "load")
        var action: String
        @Argument(name: "path", help: "organisation JSON file")
        var path: String
    }

    var help: String { "Loads an organisation and its first accounts into an empty database: org load PATH" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "load" else {
            throw CommandExit(status: 2, message: "未知操作 \(signature.action)；可用：load / unknown action; available: load")
        }
        let seed: OrganisationSeed
        do {
            seed = try JSONDecoder().decode(OrganisationSeed.self, from: Data(contentsOf: URL(fileURLWithPath: signature.path)))
        } catch {
            throw CommandExit(status: 2, message: "无法读取 \(signature.path)：\(error) / cannot read the organisation file")
        }
        let problems = seed.problems()
        guard problems.isEmpty else {
            throw CommandExit(status: 2, message: "\(signature.path) 有误：\(problems.joined(separator: "，")) / invalid fields: \(problems.joined(separator: ", "))")
        }
        let app = context.application
        try await app.autoMigrate()
        guard try await DemoSeeder.isEmpty(app.db) else {
            throw CommandExit(status: 2, message: "数据库已有单位，org load 只用于空数据库 / the database already holds units; org load is for an empty one")
        }
        try await DemoSeeder.load(seed, into: app, demoMode: false, withBudgets: false)
        context.console.print("已载入 \(seed.region.name)：\(seed.departments.count) 个部门、\(seed.units.count) 个单位、\(seed.accounts.count) 个账户；首次登录须修改初始密码。 Loaded; every account must change its password at first login.")
    }
}
