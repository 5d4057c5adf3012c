import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A recurring piece of work: backups, availability probes, audit archiving now; reminders and deadlines later.
/// A module registers its jobs with `app.fuzheng.jobs.register(_:)` in `configure`.
public struct ScheduledJob: Sendable {
    public var name: String
    public var schedule: JobSchedule
    /// How long a run may hold the job before another runner may take it over (a crashed runner's lease ends).
    public var lease: TimeInterval
    /// Does the work and returns a one-line summary for the job list and the log.
    public var run: @Sendable (Application, Date) async throws -> String

    public init(name: String, schedule: JobSchedule, lease: TimeInterval = 3600,
                run: @escaping @Sendable (Application, Date) async throws -> String) {
        self.name = name
        self.schedule = schedule
        self.lease = lease
        self.run = run
    }
}

public final class JobRegistry: Sendable {
    private let jobs = NIOLockedValueBox<[ScheduledJob]>([])

    public init() {}

    public func register(_ job: ScheduledJob) {
        jobs.withLockedValue { list in
            list.removeAll { $0.name == job.name }
            list.append(job)
        }
    }

    public var all: [ScheduledJob] { jobs.withLockedValue { $0 } }
}

/// One row per job: when it is next due, and who holds it now. Claiming a run is one conditional UPDATE, so two
/// runners (two cron entries, two app servers' loops) never run the same job twice.
struct M009CreateOperations: AsyncMigration {
    var name: String { "M009CreateOperations" }

    func prepare(on database: Database) async throws {
        try await database.schema("scheduled_jobs")
            .field("name", .string, .identifier(auto: false))
            .field("next_due_ms", .int64, .required)
            .field("lease_until_ms", .int64)
            .field("last_started_ms", .int64)
            .field("last_finished_ms", .int64)
            .field("last_result", .string)
            .field("last_ok", .bool)
            .field("runs", .int64, .required)
            .create()
        try await database.schema("availability_probes")
            .field("minute", .int64, .identifier(auto: false))
            .field("ok", .bool, .required)
            .field("latency_ms", .int64, .required)
            .field("detail", .string)
            .create()
        try await database.schema(IncidentModel.schema)
            .id()
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("cause", .string, .required)
            .field("measures", .string, .required)
            .field("backup_ref", .string, .required)
            .field("recorded_by", .string, .required)
            .field("version", .int, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(IncidentModel.schema).delete()
        try await database.schema("availability_probes").delete()
        try await database.schema("scheduled_jobs").delete()
    }
}

enum JobRunner {
    struct Outcome: Sendable, Equatable {
        var name: String
        var ran: Bool
        var ok: Bool
        var summary: String
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Runs every job that is due at `now`, each at most once, and returns what happened. A job not due, or
    /// held by another runner, is left alone.
    static func runDue(_ app: Application, now: Date, only: String? = nil) async throws -> [Outcome] {
        guard let sql = app.db as? any SQLDatabase else { return [] }
        var outcomes: [Outcome] = []
        for job in app.fuzheng.jobs.all where only == nil || job.name == only {
            try await ensureRow(job, sql: sql, now: now)
            guard try await claim(job, sql: sql, now: now) else {
                outcomes.append(Outcome(name: job.name, ran: false, ok: true, summary: ""))
                continue
            }
            let clock = app.fuzheng.clock
            var ok = true
            var summary: String
            do {
                summary = try await job.run(app, now)
            } catch {
                ok = false
                summary = "\(error)"
                app.logger.error("job \(job.name) failed: \(String(reflecting: error))")
            }
            let finished = clock.now()
            let next = job.schedule.nextDue(after: max(now, finished))
            try await sql.raw("""
                UPDATE scheduled_jobs SET lease_until_ms = NULL, last_finished_ms = \(bind: millis(finished)),
                    last_result = \(bind: String(summary.prefix(1000))), last_ok = \(bind: ok),
                    next_due_ms = \(bind: millis(next)), runs = runs + 1
                WHERE name = \(bind: job.name)
                """).run()
            outcomes.append(Outcome(name: job.name, ran: true, ok: ok, summary: summary))
        }
        return outcomes
    }

    /// A new job is due at once.
    private static func ensureRow(_ job: ScheduledJob, sql: any SQLDatabase, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO scheduled_jobs (name, next_due_ms, runs) VALUES (\(bind: job.name), \(bind: millis(now)), 0)
            ON CONFLICT (name) DO NOTHING
            """).run()
    }

    private static func claim(_ job: ScheduledJob, sql: any SQLDatabase, now: Date) async throws -> Bool {
        let n = millis(now)
        let rows = try await sql.raw("""
            UPDATE scheduled_jobs
            SET lease_until_ms = \(bind: n + Int64(job.lease * 1000)), last_started_ms = \(bind: n)
            WHERE name = \(bind: job.name) AND next_due_ms <= \(bind: n)
              AND (lease_until_ms IS NULL OR lease_until_ms < \(bind: n))
            RETURNING name
            """).all()
        return !rows.isEmpty
    }

    struct Status: Decodable, Sendable {
        var name: String
        var nextDueMs: Int64
        var leaseUntilMs: Int64?
        var lastStartedMs: Int64?
        var lastFinishedMs: Int64?
        var lastResult: String?
        var lastOk: Bool?
        var runs: Int64
    }

    static func status(on db: Database) async throws -> [Status] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.raw("SELECT * FROM scheduled_jobs ORDER BY name")
            .all(decoding: Status.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// FUZHENG_JOBS_IN_PROCESS: the server runs due jobs itself every 30 s instead of a timer or cron calling
    /// `fuzheng jobs run`. Several servers may all do it: claims keep each run single.
    static func startLoop(_ app: Application) -> Task<Void, Never> {
        Task.detached {
            while !Task.isCancelled {
                do {
                    _ = try await runDue(app, now: app.fuzheng.clock.now())
                } catch {
                    app.logger.error("in-process job loop: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: .seconds(30))
            }
        }
    }
}

struct JobLoop: LifecycleHandler {
    let task: Task<Void, Never>
    func shutdownAsync(_ application: Application) async { task.cancel() }
}
