import FuzhengCore
import Fluent
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import SQLKit
import Vapor

/// /healthz, /readyz and /metrics for load balancers and Prometheus.
enum OperationsController {
    struct Health: Content {
        var status: String
        var version: String
        var database: String?
    }

    static func healthz(req: Request) async throws -> Health {
        Health(status: "ok", version: FuzhengVersion.string, database: nil)
    }

    static func readyz(req: Request) async throws -> Response {
        let kind = req.application.fuzheng.config.database.kindName
        do {
            try await ping(req.db)
            return try await Health(status: "ready", version: FuzhengVersion.string, database: kind).encodeResponse(for: req)
        } catch {
            req.logger.warning("readiness check failed: \(String(reflecting: error))")
            let response = try await Health(status: "unavailable", version: FuzhengVersion.string, database: kind).encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
    }

    static func ping(_ db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("SELECT 1").run()
    }

    static func metrics(req: Request) async throws -> Response {
        // Sample the database on each scrape: round-trip time and whether it answered.
        let start = ContinuousClock.now
        let up: Bool
        do {
            try await ping(req.db)
            up = true
        } catch {
            up = false
        }
        let elapsed = ContinuousClock.now - start
        MetricsRegistry.dbUp.set(Double(up ? 1 : 0))
        MetricsRegistry.dbPing.set(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
        try? await MetricsRegistry.sampleOperations(req)
        MetricsRegistry.sessionWrites.set(Double(req.application.fuzheng.sessionWrites.value))
        MetricsRegistry.dbPoolSize.set(Double(MetricsRegistry.poolConnectionsPerEventLoop * Array(req.application.eventLoopGroup.makeIterator()).count))
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: MetricsRegistry.registry.emitToString()))
    }
}

/// The process-wide Prometheus registry. swift-metrics can be bootstrapped only once per process,
/// while tests build many applications, so it lives here and is bootstrapped on first use.
enum MetricsRegistry {
    static let registry = PrometheusCollectorRegistry()
    static let poolConnectionsPerEventLoop = 1

    static let dbUp = registry.makeGauge(name: "fuzheng_db_up", help: "1 when the database answered the last scrape's ping")
    static let dbPing = registry.makeGauge(name: "fuzheng_db_ping_seconds", help: "Round-trip time of SELECT 1 at the last scrape")
    static let dbPoolSize = registry.makeGauge(name: "fuzheng_db_pool_max_connections", help: "Maximum database connections of this process")

    static let availabilityRatio = registry.makeGauge(
        name: "fuzheng_availability_month_ratio",
        help: "正常运行率 of the current month: minutes with a successful probe / minutes observed")
    static let availabilityDown = registry.makeGauge(
        name: "fuzheng_availability_month_minutes_down", help: "Minutes of the current month without a successful probe")
    static let sessionWrites = registry.makeGauge(
        name: "fuzheng_session_writes", help: "Session rows created, changed or deleted by this process since it started")
    static let incidentsOpen = registry.makeGauge(name: "fuzheng_incidents_open", help: "Incidents not yet recovered")
    static let incidentsOverTarget = registry.makeGauge(
        name: "fuzheng_incidents_month_over_24h", help: "Incidents of the current month recovered in more than 24 h")
    static let incidentRecoveryMax = registry.makeGauge(
        name: "fuzheng_incident_month_recovery_seconds_max", help: "Longest recovery time of the current month's incidents")

    /// The job's last outcome and when it last finished, per job.
    static func jobGauges(_ name: String) -> (ok: Prometheus.Gauge, finished: Prometheus.Gauge) {
        (registry.makeGauge(name: "fuzheng_job_last_ok", labels: [("job", name)],
                            help: "1 if the job's last run succeeded"),
         registry.makeGauge(name: "fuzheng_job_last_finished_timestamp_seconds", labels: [("job", name)],
                            help: "When the job last finished"))
    }

    /// The figures of the availability page, for Prometheus and for binding to the project's indicators.
    static func sampleOperations(_ req: Request) async throws {
        let now = req.now
        let parts = AvailabilityMonth.calendar.dateComponents([.year, .month], from: now)
        let month = try await AvailabilityMonth.query(on: req.db, year: parts.year ?? 2026, month: parts.month ?? 1,
                                                      now: now)
        availabilityRatio.set(Double(month.summary.ratePPM ?? 0) / 1_000_000)
        availabilityDown.set(Double(month.summary.minutesDown))
        incidentsOpen.set(Double(try await IncidentModel.query(on: req.db).filter(\.$endedAt == nil).count()))
        let recoveries = month.incidents.compactMap(\.recovery.seconds)
        incidentsOverTarget.set(Double(recoveries.filter { $0 > IncidentRecovery.targetSeconds }.count))
        incidentRecoveryMax.set(Double(recoveries.max() ?? 0))
        for status in try await JobRunner.status(on: req.db) {
            let gauges = jobGauges(status.name)
            if let ok = status.lastOk { gauges.ok.set(Double(ok ? 1 : 0)) }
            if let finished = status.lastFinishedMs { gauges.finished.set(Double(finished) / 1000) }
        }
    }

    private static let bootstrapped = NIOLockedValueBox(false)

    static func bootstrapOnce() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }
}

