import Foundation
@testable import FuzhengServer
import Testing
import Vapor
import VaporTesting

@Suite("Pages, languages and errors")
struct PagesTests {
    @Test("both language tables have exactly the same keys and no empty text")
    func tablesComplete() {
        let tables = Localizer.shared.tables
        let zh = tables[.zh] ?? [:]
        let en = tables[.en] ?? [:]
        #expect(!zh.isEmpty)
        #expect(Set(zh.keys) == Set(en.keys))
        #expect(zh.values.allSatisfy { !$0.isEmpty })
        #expect(en.values.allSatisfy { !$0.isEmpty })
    }

    @Test("every key the sources use is in the tables")
    func sourcesUseKnownKeys() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/FuzhengServer")
        let known = Set(Localizer.shared.tables[.zh]!.keys)
        var missing: [String] = []
        let pattern = try NSRegularExpression(pattern: #"\bl(?:10n)?\("([a-zA-Z]+\.[a-zA-Z0-9_.]+)""#)
        for case let file as URL in FileManager.default.enumerator(at: root,
            includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if !known.contains(key) { missing.append("\(file.lastPathComponent): \(key)") }
            }
        }
        #expect(missing.isEmpty, "missing keys: \(missing)")
    }

    @Test("Chinese by default; the switch turns the pages English and back")
    func languageSwitch() async throws {
        try await withFuzhengApp { app, _ in
            let browser = Browser(app)
            let zh = try await browser.get("/login")
            #expect(zh.text.contains(#"<html lang="zh-CN">"#))
            #expect(zh.text.contains("用户名"))
            let switched = try await browser.get("/lang/en?back=/login")
            #expect(switched.status == .seeOther)
            #expect(switched.location == "/login")
            let en = try await browser.get("/login")
            #expect(en.text.contains(#"<html lang="en">"#))
            #expect(en.text.contains("Username"))
            try await browser.get("/lang/zh?back=//evil.example")
            #expect(try await browser.get("/login").text.contains("用户名"))
        }
    }

    @Test("pages are built for phones: viewport meta, no external resources, skip link")
    func phoneReady() async throws {
        try await withFuzhengApp { app, _ in
            let page = try await Browser(app).get("/").text
            #expect(page.contains(#"name="viewport" content="width=device-width, initial-scale=1""#))
            #expect(!page.contains("http://") && !page.contains("https://"))
            #expect(page.contains(##"href="#main""##))
            let css = try await app.testing().sendRequest(.GET, "/static/app.css")
            #expect(css.status == .ok)
            #expect(css.body.string.contains("@media print"))
            let js = try await app.testing().sendRequest(.GET, "/static/app.js")
            #expect(js.status == .ok)
            #expect(js.body.string.contains("data-live-totals"))
        }
    }

    @Test("an unknown route is a 404 page; an unknown unit too")
    func notFound() async throws {
        try await withFuzhengApp { app, _ in
            let page = try await Browser(app).get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.text.contains("您访问的页面不存在"))
            #expect(try await Browser(app).get("/public/units/999999").status == .notFound)
        }
    }

    @Test("a server error is a 500 page with the request id and no internals")
    func serverError() async throws {
        try await withFuzhengApp { app, _ in
            struct SecretFailure: Error, CustomStringConvertible {
                var description: String { "database password is hunter2 at /src/secret.swift:42" }
            }
            app.get("boom") { _ -> String in throw SecretFailure() }
            let page = try await app.testing().sendRequest(.GET, "/boom")
            #expect(page.status == .internalServerError)
            let id = try #require(page.headers.first(name: "X-Request-Id"))
            #expect(page.body.string.contains(id))
            #expect(!page.body.string.contains("hunter2"))
            #expect(!page.body.string.contains("secret.swift"))
        }
    }

    @Test("the footer shows the version and the demo banner shows in demo mode only")
    func footerAndBanner() async throws {
        try await withFuzhengApp { app, _ in
            let page = try await Browser(app).get("/").text
            #expect(page.contains("辅政 Fuzheng 0.1.0"))
            #expect(page.contains("演示模式"))
        }
        try await withFuzhengApp(configure: { $0.demoMode = false }) { app, _ in
            let page = try await Browser(app).get("/").text
            #expect(!page.contains("演示模式"))
        }
    }
}

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("defaults: SQLite under ./data, 30-minute idle, 90-day expiry, 5 failures / 15 minutes")
    func defaults() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.database == .sqliteFile(path: "./data/fuzheng.sqlite"))
        #expect(config.session.idleTimeout == 1800)
        #expect(config.session.passwordMaximumAge == 90 * 86_400)
        #expect(config.lockout.maximumFailures == 5)
        #expect(config.lockout.lockoutDuration == 900)
    }

    @Test("DATABASE_URL selects PostgreSQL; FUZHENG_DATA_DIR moves the SQLite file")
    func database() throws {
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db"]).database
            == .postgres(url: "postgres://u:p@127.0.0.1:5432/db", schema: nil))
        #expect(try AppConfig.fromEnvironment(["FUZHENG_DATA_DIR": "/srv/fz"]).database == .sqliteFile(path: "/srv/fz/fuzheng.sqlite"))
    }

    @Test("a malformed value names the variable and the expected form")
    func malformed() {
        #expect {
            try AppConfig.fromEnvironment(["FUZHENG_SESSION_IDLE_MINUTES": "half an hour"])
        } throws: { error in
            String(describing: error).contains("FUZHENG_SESSION_IDLE_MINUTES") && String(describing: error).contains("1–1440")
        }
        #expect(throws: AppConfig.Error.self) { try AppConfig.fromEnvironment(["DATABASE_URL": "mysql://x"]) }
        #expect(throws: AppConfig.Error.self) { try AppConfig.fromEnvironment(["FUZHENG_DEMO_MODE": "maybe"]) }
    }

    @Test("the demo organisation file is valid and holds the seed's unit")
    func demoSeed() throws {
        let seed = try DemoSeeder.demoSeed()
        #expect(seed.problems().isEmpty)
        #expect(seed.region.code == "130730")
        #expect(seed.region.name == "怀来县")
        let office = try #require(seed.units.first { $0.code == "434001" })
        #expect(office.name == "怀来县人民政府办公室")
        #expect(office.nature == "行政")
        #expect(office.grade == "正科级")
        #expect(office.fundingForm == "财政拨款（行政）")
        #expect(office.duties.hasPrefix("政府办公室主要负责协调县政府各部门工作"))
        #expect(Set(seed.units.map(\.departmentCode)).count == 5)
    }
}
