import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import FuzhengCore
import Vapor

/// Sets the application up; the same function serves `fuzheng`, the tests and the benchmarks.
public func configure(_ app: Application, config: AppConfig, clock: AppClock = .system) async throws {
    MetricsRegistry.bootstrapOnce()
    let passwordPool = PasswordThreadPool.start(on: app)
    app.fuzheng = FuzhengServices(
        config: config, clock: clock, audit: AuditLog(clock: clock),
        passwords: BcryptPasswords(cost: config.bcryptCost, pool: passwordPool),
        dummyPassword: try DummyPasswordHash(cost: config.bcryptCost),
        loginThrottle: LoginThrottleBox(limits: config.loginThrottle),
        passwordGate: PasswordCheckGate(limit: config.passwordChecksQueued),
        secretBox: try secretBox(config, logger: app.logger),
        files: FileStore(root: URL(fileURLWithPath: config.filesPath, isDirectory: true), pool: app.threadPool),
        pdfWorkers: PDFWorkers(workers: config.pdfWorkers, queue: config.pdfQueue),
        sessionCache: SessionCache(lifetime: .milliseconds(config.sessionCacheMilliseconds)),
        budgetHeads: RecentReads(lifetime: .milliseconds(config.sessionCacheMilliseconds)))

    switch config.database {
    case .sqliteFile(let path):
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url, let schema):
        var pg = try SQLPostgresConfiguration(url: url)
        if let schema { pg.searchPath = [schema] }
        app.databases.use(.postgres(configuration: pg,
            maxConnectionsPerEventLoop: MetricsRegistry.poolConnectionsPerEventLoop,
                                    encodingContext: .default, decodingContext: .default, sqlLogLevel: .debug),
                                        as: .psql)
    }

    Migrations.register(on: app)
    BudgetTaskSources.registerAll(in: app.fuzheng.taskSources)
    app.fuzheng.taskSources.register(DocumentTaskSource())
    app.fuzheng.taskSources.register(DeliveryTaskSource())
    IncomingTaskSources.registerAll(in: app.fuzheng.taskSources)
    app.fuzheng.taskSources.register(ArchiveTaskSource())
    SupervisionTaskSources.registerAll(in: app.fuzheng.taskSources)
    app.fuzheng.taskSources.register(ExecutionTaskSource())
    app.fuzheng.taskSources.register(MonitoringReviewSource())
    app.fuzheng.taskSources.register(MonitoringUnitSource())
    for kind in [EvaluationTaskSource.Kind.approve, .review, .returned] {
        app.fuzheng.taskSources.register(EvaluationTaskSource(kind: kind))
    }
    app.fuzheng.jobs.register(Backup.job(config))
    app.fuzheng.jobs.register(AvailabilityProbe.job(url: config.probeURL))
    app.fuzheng.jobs.register(AuditArchive.job(config))
    app.fuzheng.jobs.register(IncomingReminders.job)
    app.fuzheng.jobs.register(SupervisionReminders.job)
    app.fuzheng.jobs.register(Outbound.job(config))
    switch config.database {
    case .sqliteFile: try await SQLiteTuning.apply(app, file: true)
    case .sqliteMemory: try await SQLiteTuning.apply(app, file: false)
    case .postgres: break
    }

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    let (sessionWrites, sessionCache) = (app.fuzheng.sessionWrites, app.fuzheng.sessionCache)
    app.sessions.use { app in
        QuietSessions(inner: app.fluent.sessions.driver(), writes: sessionWrites, cache: sessionCache)
    }
    let secure = config.secureCookies || app.http.server.configuration.tlsConfiguration != nil
    app.sessions.configuration = SessionsConfiguration(cookieName: "fz_session") { id in
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    // Order matters. Errors become pages inside the sessions middleware, so a session ended or
    // changed by a request that then fails or redirects is still saved; the outer error page
    // catches what the session store itself throws.
    app.middleware = Middlewares()
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(SessionUserMiddleware())
    app.middleware.use(CSRFMiddleware())

    app.routes.defaultMaxBodySize = ByteCount(value: InputLimits.requestBodyBytes)
    try routes(app)

    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(ArchiveCommand(), as: "archive")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(CheckCommand(), as: "check")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(OrganisationCommand(), as: "org")
    app.asyncCommands.use(DocumentsCommand(), as: "documents")
    app.asyncCommands.use(FuzzCommand(), as: "fuzz")
    app.asyncCommands.use(SecurityCommand(), as: "security")
    app.asyncCommands.use(QRCommand(), as: "qr")
    app.asyncCommands.use(JobsCommand(), as: "jobs")
    app.asyncCommands.use(MailCommand(), as: "mail")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(EvaluationCommand(), as: "evaluation")
    app.asyncCommands.use(YearEndCommand(), as: "yearend")
    if let vaporServe = app.asyncCommands.commands["serve"] {
        app.asyncCommands.use(ServeWithDemoCommand(vaporServe: vaporServe), as: "serve", isDefault: true)
    }
}

/// Headers every page carries: no framing, no sniffing, nothing loaded from elsewhere.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        // A handler may set a stricter policy of its own (a standalone print sheet, a drawn signature: nothing loads).
        if !response.headers.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                          value: "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                              + "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                              + "base-uri 'none'")
        }
        return response
    }
}

/// The configured key, or in demo mode a key made for this run: secrets sealed with it (demo administrators'
/// second factors) cannot be opened after a restart, and they enrol again.
private func secretBox(_ config: AppConfig, logger: Logger) throws -> SecretBox? {
    if let key = config.secretKey { return try SecretBox(masterKey: key) }
    guard config.demoMode else { return nil }
    logger.warning("FUZHENG_SECRET_KEY is not set: demo mode uses a key that lasts until the process ends")
    var rng = SystemRandomNumberGenerator()
    return try SecretBox(masterKey: (0..<SecretBox.masterKeyByteCount).map { _ in UInt8.random(in: 0...255,
        using: &rng) })
}
