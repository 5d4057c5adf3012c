import ConsoleKit
import Fluent
import FuzhengCore
import Vapor

/// `fuzheng serve`: migrates the database, loads the demo organisation into an empty one (unless
/// --no-demo), says how to log in, then hands over to Vapor's own serve command.
struct ServeWithDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "Set the hostname the server will run on.")
        var hostname: String?
        @Option(name: "port", short: "p", help: "Set the port the server will run on.")
        var port: Int?
        @Option(name: "bind", short: "b", help: "Convenience for setting hostname and port together.")
        var bind: String?
        @Flag(name: "no-demo", help: "Start with an empty database instead of the Huailai demo organisation.")
        var noDemo: Bool
    }

    let vaporServe: any AnyAsyncCommand
    var help: String { "Migrates, loads demo data into an empty database, and serves the platform over HTTP." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.fuzheng.secretBox != nil else {
            throw CommandExit(status: 2, message: """
                未设置 FUZHENG_SECRET_KEY（或 FUZHENG_SECRET_KEY_FILE）：管理员的双因素认证需要用它以 SM4 加密保存密钥，                平台不启动。请生成 32 字节密钥（如 openssl rand -hex 32）并放在数据目录和备份之外。                 FUZHENG_SECRET_KEY (or FUZHENG_SECRET_KEY_FILE) is not set: administrators' second factors are sealed                 with it (SM4), so the platform does not start. Make a 32-byte key (e.g. openssl rand -hex 32) and keep                 it outside the data folder and its backups.
                """)
        }
        try await app.autoMigrate()
        let config = app.fuzheng.config
        let empty = try await DemoSeeder.isEmpty(app.db)
        if empty && !signature.noDemo {
            try await DemoSeeder.load(DemoSeeder.demoSeed(), into: app, demoMode: config.demoMode)
            try await DemoOperations.load(app)
            try await DemoWorkInProgress.load(app)
            try await SealStore.installDemo(app)
            try await DemoDocuments.load(app)
            try await DemoIncoming.load(app)
            try await DemoArchive.load(app)
            try await DemoSupervision.load(app)
            try await DemoExecution.load(app)
            try await DemoEvaluation.load(app)
            try await DemoFinal.load(app)
            context.console.info("已载入演示数据：怀来县人民政府办公室 (434001)。 Demo organisation loaded.")
        }
        if empty && signature.noDemo {
            context.console.warning("数据库为空（--no-demo）：请用 fuzheng org load 文件 载入本县组织与首批账户。 The database is empty (--no-demo): load an organisation and its first accounts with `fuzheng org load FILE` (the form of Resources/demo/organisation.json).")
        }
        let host = signature.bind?.split(separator: ":").first.map(String.init) ?? signature.hostname ?? app.http.server.configuration.hostname
        let port = signature.bind?.split(separator: ":").last.flatMap { Int($0) } ?? signature.port ?? app.http.server.configuration.port
        if !(empty && signature.noDemo), (try? await DemoSeeder.isDemo(app.db)) == true {
            // The demo's key lasts one run: its seals are drawn again under this run's key.
            try await SealStore.installDemo(app)
            let seed = try DemoSeeder.demoSeed()
            context.console.print("""

            辅政 Fuzheng — http://\(host):\(port)/
            演示账户 Demo accounts (password \(seed.initialPassword)\(config.demoMode ? "" : "; must be changed at first login")):
            \(seed.accounts.map { "  \($0.username.padding(toLength: 11, withPad: " ", startingAt: 0)) \($0.displayName)" }.joined(separator: "\n"))

            """)
        }
        var arguments = ["fuzheng serve"]
        if let bind = signature.bind { arguments += ["--bind", bind] }
        if let hostname = signature.hostname { arguments += ["--hostname", hostname] }
        if let port = signature.port { arguments += ["--port", String(port)] }
        var inner = context
        inner.input = CommandInput(arguments: arguments)
        try await vaporServe.run(using: &inner)
        // Vapor's serve returns once the server listens; the loop ends with the application.
        if config.jobsInProcess {
            app.lifecycle.use(JobLoop(task: JobRunner.startLoop(app)))
            context.console.info("定时任务在本进程内运行 / jobs run in this process (FUZHENG_JOBS_IN_PROCESS)")
        }
    }
}

extension DemoSeeder {
    /// True when the demo organisation's office unit and its accounts are present (a generated county also
    /// has 434001 and sysadmin, but not the demo's other accounts, so the demo list would mislead).
    static func isDemo(_ db: Database) async throws -> Bool {
        let office = try await UnitModel.query(on: db).filter(\.$code == "434001").first()
        let accounts = try await UserModel.query(on: db).filter(\.$username ~~ ["sysadmin", "caiwu"]).count()
        return office != nil && accounts == 2
    }
}
