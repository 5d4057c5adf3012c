import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import SQLKit
import Testing
import VaporTesting

/// Every database test gets a fresh schema: in-memory SQLite by default, or its own schema in
/// the PostgreSQL named by DATABASE_URL, so the same suite runs on both.
struct TestEnvironment {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    static var databaseName: String { postgresURL == nil ? "sqlite" : "postgresql" }
}

/// Bounds how many test applications hold PostgreSQL connections at once: Swift Testing runs every
/// test in parallel, and a default server allows 100 connections.
actor DatabaseGate {
    static let shared = DatabaseGate(limit: 8)
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func leave() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

func withFuzhengApp(
    demo: Bool = true,
    configure adjust: (inout AppConfig) -> Void = { _ in },
    _ test: (Application, ManualClock) async throws -> Void
) async throws {
    let clock = ManualClock(Date())
    // Administrators' second factor has its own tests (TwoFactorTests); elsewhere they log in with a password.
    var config = AppConfig(database: .sqliteMemory, bcryptCost: 4, trustedProxies: ["127.0.0.1"],
                           secretKey: testSecretKey, twoFactorRoles: [])
    // Files (the PDF cache …) go to a folder of this test's own, removed afterwards.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fz-test-\(UUID().uuidString)")
    config.dataDirectory = folder.path
    defer { try? FileManager.default.removeItem(at: folder) }
    var schema: String?
    if let url = TestEnvironment.postgresURL {
        schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        config.database = .postgres(url: url, schema: schema)
    }
    adjust(&config)
    if schema != nil { await DatabaseGate.shared.enter() }
    defer { if schema != nil { Task { await DatabaseGate.shared.leave() } } }
    try await withApp { app in
        try await configure(app, config: config, clock: clock.clock)
        if let schema, let sql = app.db as? SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
        }
        do {
            try await app.autoMigrate()
            if demo {
                try await DemoSeeder.load(DemoSeeder.demoSeed(), into: app, demoMode: config.demoMode)
                try await SealStore.installDemo(app)
            }
            try await test(app, clock)
        } catch {
            // PostgreSQL errors hide their details from `description`; show them in the test log.
            print("withFuzhengApp failed: \(String(reflecting: error))")
            if let schema, let sql = app.db as? SQLDatabase {
                try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            }
            throw error
        }
        if let schema, let sql = app.db as? SQLDatabase {
            try await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
    }
}

let demoPassword = "Fuzheng@2023"

/// A cookie-keeping client that fills in the CSRF token of the last page it saw, as a browser would.
final class Browser {
    let app: Application
    var cookies: [String: String] = [:]
    var csrfToken: String?
    var forwardedFor = "203.0.113.7"
    /// `.running` sends requests through a real HTTP server on loopback, where larger bodies arrive in pieces.
    var method: Application.Method = .inMemory

    init(_ app: Application, method: Application.Method = .inMemory) {
        self.app = app
        self.method = method
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path)
    }

    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], withCSRF: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if withCSRF, fields["_csrf"] == nil, let token = csrfToken { fields["_csrf"] = token }
        let body = fields.sorted { $0.key < $1.key }
            .map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            .joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Opens the publish page and posts it as a publisher who read every warning it lists.
    @discardableResult
    func publish(_ path: String, note: String) async throws -> TestingHTTPResponse {
        let page = try await get(path)
        var form = ["note": note]
        if let m = page.text.firstMatch(of: /name="acceptWarnings" value="(\d+)"/) { form["acceptWarnings"] = String(m.1) }
        return try await post(path, form)
    }

    /// Opens the login page (which sets the session and token) and submits the form.
    @discardableResult
    func login(_ username: String, _ password: String = demoPassword) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", ["username": username, "password": password])
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        headers.replaceOrAdd(name: "X-Forwarded-For", value: forwardedFor)
        let response = try await app.testing(method: self.method).sendRequest(method, path, headers: headers, body: body)
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if let expires = value.expires, expires < Date() { cookies[name] = nil } else { cookies[name] = value.string }
        }
        let text = response.body.string
        if let range = text.range(of: #"name="_csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
            let match = String(text[range])
            csrfToken = match.components(separatedBy: "value=\"").last?.replacingOccurrences(of: "\"", with: "")
        }
        return response
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
    var text: String { body.string }
}

func auditRecords(_ app: Application, action: AuditAction? = nil) async throws -> [AuditRecordModel] {
    let query = AuditRecordModel.query(on: app.db).sort(\.$id)
    if let action { query.filter(\.$action == action.rawValue) }
    return try await query.all()
}

let testSecretKey: [UInt8] = Array(0..<32)
