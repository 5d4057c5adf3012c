import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

@Suite("fuzheng org load: a county's first organisation and accounts")
struct OrganisationCommandTests {
    @Test("loads into an empty database; every account must change its password; refuses a second load or a bad file")
    func load() async throws {
        try await withFuzhengApp(demo: false) { app, _ in
            let seed = try DemoSeeder.demoSeed()
            let path = NSTemporaryDirectory() + "fz-org-\(UUID().uuidString).json"
            try JSONEncoder().encode(seed).write(to: URL(fileURLWithPath: path))
            #expect(try await runCommand(OrganisationCommand(), ["load", path], app: app) == 0)
            #expect(try await UnitModel.query(on: app.db).count() == seed.units.count)
            #expect(try await BudgetModel.query(on: app.db).count() == 0)
            let browser = Browser(app)
            try await browser.login("sysadmin", seed.initialPassword)
            #expect(try await browser.get("/home").location == "/account/password")

            #expect(try await runCommand(OrganisationCommand(), ["load", path], app: app) == 2)
            let bad = NSTemporaryDirectory() + "fz-org-bad-\(UUID().uuidString).json"
            try Data("{\"region\": 1}".utf8).write(to: URL(fileURLWithPath: bad))
            #expect(try await runCommand(OrganisationCommand(), ["load", bad], app: app) == 2)
        }
    }
}
