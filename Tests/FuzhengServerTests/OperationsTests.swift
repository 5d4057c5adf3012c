import Foundation
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("Operations endpoints")
struct OperationsTests {
    @Test("/healthz answers JSON 200 and /readyz names the database it reached")
    func health() async throws {
        try await withFuzhengApp { app, _ in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            #expect(health.headers.contentType == .json)
            #expect(health.body.string.contains(#""status":"ok""#))
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains(#""database":"\#(TestEnvironment.databaseName)""#))
        }
    }

    @Test("/metrics answers Prometheus text with request counts by route and status, latency and database gauges")
    func metrics() async throws {
        try await withFuzhengApp { app, _ in
            _ = try await app.testing().sendRequest(.GET, "/healthz")
            let metrics = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(metrics.status == .ok)
            let text = metrics.body.string
            #expect(text.contains("http_requests_total{"))
            #expect(text.contains(#"path="/healthz""#))
            #expect(text.contains(#"status="200""#))
            #expect(text.contains("http_request_duration_seconds_bucket"))
            #expect(text.contains("fuzheng_db_up 1"))
            #expect(text.contains("fuzheng_db_pool_max_connections"))
            #expect(text.contains("fuzheng_availability_month_ratio"))
            #expect(text.contains("fuzheng_incidents_open 0"))
        }
    }

    @Test("every response carries its request id")
    func requestID() async throws {
        try await withFuzhengApp { app, _ in
            let response = try await app.testing().sendRequest(.GET, "/")
            #expect(response.headers.first(name: "X-Request-Id")?.isEmpty == false)
        }
    }
}
