import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng org load PATH`: loads a county's organisation and first accounts (an `OrganisationSeed`
/// JSON file, the form of Resources/demo/organisation.json) into an empty database. Every account
/// must change the file's initial password at first login.
/// `fuzheng org import PATH [--apply --passwords OUT.csv]`: the people import of the 系统管理员's page into a running
/// database (XLSX or CSV, the same checks and plan); without `--apply` it only shows what would change.
struct OrganisationCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "load | import")
        var action: String
        @Argument(name: "path", help: "organisation JSON file (load), or a people XLSX/CSV (import)")
        var path: String
        @Flag(name: "apply", help: "import: save the plan (without it, only show it)")
        var apply: Bool
        @Option(name: "passwords", help: "import --apply: where to write the new accounts' first passwords (CSV)")
        var passwords: String?
    }

    var help: String { "Loads an organisation and its first accounts into an empty database: org load PATH" }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.action == "import" { return try await importPeople(context, signature) }
        guard signature.action == "load" else {
            throw CommandExit(status: 2, message: "未知操作 \(signature.action)；可用：load、import / unknown action; "
                              + "available: load, import")
        }
        let seed: OrganisationSeed
        do {
            seed = try JSONDecoder().decode(OrganisationSeed.self,
                from: Data(contentsOf: URL(fileURLWithPath: signature.path)))
        } catch {
            throw CommandExit(status: 2, message: "无法读取 \(signature.path)：\(error) / cannot read the organisation file")
        }
        let problems = seed.problems()
        guard problems.isEmpty else {
            throw CommandExit(status: 2,
                message: "\(signature.path) 有误：\(problems.joined(separator: "，")) / invalid fields: \(problems.joined(separator: ", "))")
        }
        let app = context.application
        try await app.autoMigrate()
        guard try await DemoSeeder.isEmpty(app.db) else {
            throw CommandExit(status: 2,
                message: "数据库已有单位，org load 只用于空数据库 / the database already holds units; org load is for an empty one")
        }
        try await DemoSeeder.load(seed, into: app, demoMode: false, withBudgets: false)
        context.console.print("已载入 \(seed.region.name)：\(seed.departments.count) 个部门、\(seed.units.count) 个单位、\(seed.accounts.count) 个账户；首次登录须修改初始密码。 Loaded; every account must change its password at first login.")
    }

    func importPeople(_ context: CommandContext, _ signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.path)
        guard let data = try? Data(contentsOf: url) else {
            throw CommandExit(status: 2, message: "无法读取 \(signature.path) / cannot read the file")
        }
        if signature.apply && signature.passwords == nil {
            throw CommandExit(status: 2, message: "--apply 需要 --passwords 文件，用于交付初始密码 / --apply needs --passwords FILE")
        }
        let app = context.application
        try await app.autoMigrate()
        let fileName = url.lastPathComponent
        let planned: PeoplePlan
        switch PeopleImport.tables(fileName: fileName, data: data) {
        case .failure(let problem):
            throw CommandExit(status: 2, message: problem.description)
        case .success(let sheets):
            planned = PeopleImport.plan(sheets, against: try await PeopleImportController.context(on: app.db))
        }
        for problem in planned.problems { context.console.print(problem.description) }
        guard planned.problems.isEmpty else {
            throw CommandExit(status: 2, message: "\(planned.problems.count) 处问题，未保存任何内容 / problems; nothing saved")
        }
        for (unit, isNew) in planned.units { context.console.print("\(isNew ? "新建" : "修改")单位 \(unit.code) \(unit.name)") }
        for p in planned.creates {
            context.console.print("新建 \(p.username) \(p.displayName) \(p.unitCode) \(PeopleImport.rolesText(p.assignments))")
        }
        for u in planned.updates { context.console.print("修改 \(u.before.username)：\(u.changes.joined(separator: "；"))") }
        context.console.print("单位 \(planned.units.count)，新建 \(planned.creates.count)，修改 \(planned.updates.count)，"
                              + "无变化 \(planned.unchangedCount) / units, new, changed, unchanged")
        guard signature.apply, let passwordsPath = signature.passwords else { return }
        let passwords = Dictionary(uniqueKeysWithValues: planned.creates.map { ($0.username, InitialPassword.make()) })
        let hasher = app.fuzheng.passwords
        let hashes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (username, password) in passwords { group.addTask { (username,
                try await hasher.hashInitial(password)) } }
            var out: [String: String] = [:]
            for try await (username, hash) in group { out[username] = hash }
            return out
        }
        let digest = FileStore.digest(of: data)
        try await app.fuzheng.audit.transaction(on: app.db, context: .commandLine) { tx, audit in
            let plan = PeopleImport.plan(try PeopleImport.tables(fileName: fileName, data: data).get(),
                                         against: try await PeopleImportController.context(on: tx))
            guard plan.problems.isEmpty, plan.fingerprint == planned.fingerprint else {
                throw PeopleImportController.PlanChanged()
            }
            try await PeopleImportController.apply(plan, hashes: hashes, fileDigest: digest,
                now: app.fuzheng.clock.now(),
                                                   on: tx, audit: audit)
        }
        let result = PeopleImportController.ResultModel(
            created: planned.creates.map { (username: $0.username, displayName: $0.displayName, unitCode: $0.unitCode,
                                            password: passwords[$0.username] ?? "") },
            updated: planned.updates.count, units: planned.units.count)
        let body = PeopleImportController.csvText(result)
        guard FileManager.default.createFile(atPath: passwordsPath, contents: Data(body.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CommandExit(status: 1, message: "已导入，但无法写入 \(passwordsPath)；请由安全管理员重置这些账户的密码 / "
                              + "imported, but the passwords file could not be written")
        }
        context.console.print("已导入；初始密码已写入 \(passwordsPath)（仅本人可读），交付后请删除。 Imported; first passwords in "
                              + "\(passwordsPath).")
    }
}
