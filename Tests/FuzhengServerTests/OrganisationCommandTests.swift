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

    @Test("org import: a dry run changes nothing; --apply needs a passwords file, saves, and writes it readable only by its owner")
    func importPeople() async throws {
        try await withFuzhengApp { app, _ in
            let csv = OrganisationRolesTests.goodCSV
            let path = NSTemporaryDirectory() + "fz-people-\(UUID().uuidString).csv"
            try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
            let before = try await UserModel.query(on: app.db).count()
            #expect(try await runCommand(OrganisationCommand(), ["import", path], app: app) == 0)
            #expect(try await UserModel.query(on: app.db).count() == before)
            #expect(try await runCommand(OrganisationCommand(), ["import", path, "--apply"], app: app) == 2)
            let out = NSTemporaryDirectory() + "fz-pw-\(UUID().uuidString).csv"
            #expect(try await runCommand(OrganisationCommand(), ["import", path, "--apply", "--passwords", out],
                                         app: app) == 0)
            #expect(try await UserModel.query(on: app.db).count() == before + 2)
            let written = try String(contentsOfFile: out, encoding: .utf8)
            #expect(written.contains("zhouws") && written.contains("wufxz"))
            let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let broken = NSTemporaryDirectory() + "fz-people-bad-\(UUID().uuidString).csv"
            try Data((csv + "\nx,某,434001,厨师\n").utf8).write(to: URL(fileURLWithPath: broken))
            #expect(try await runCommand(OrganisationCommand(), ["import", broken, "--apply", "--passwords", out],
                                         app: app) == 2)
        }
    }
}
