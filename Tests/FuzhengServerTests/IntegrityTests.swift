import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

/// Numbers that once stopped the whole platform, driven through every form and every page.
@Suite("Numbers from users never stop the platform")
struct NumberFormTests {
    static func version(_ app: Application, year: Int = 2024) async throws -> String {
        String(try #require(try await BudgetStore.find(unitCode: "434001", year: year, on: app.db)).0.version)
    }

    @Test("the inputs that crashed it before are field errors now")
    func regressions() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let base = "/units/434001/budgets/2024"
            try await caiwu.get(base + "/procurement")
            let quantity = try await caiwu.post(base + "/procurement", [
                "version": try await Self.version(app), "unit": "wan",
                "line[0][project]": RegistersEditTests.office, "line[0][item]": "台式计算机",
                "line[0][code]": "A02010105", "line[0][uom]": "台", "line[0][quantity]": "12345678901234567",
                "line[0][price]": "0.45", "line[0][fund]": "general_public_budget", "line[0][sme]": "",
            ])
            #expect(quantity.status == .unprocessableEntity)
            #expect(quantity.text.contains("数量“12345678901234567”超出允许范围"))
            let product = try await caiwu.post(base + "/procurement", [
                "version": try await Self.version(app), "unit": "wan",
                "line[0][project]": RegistersEditTests.office, "line[0][item]": "台式计算机",
                "line[0][code]": "A02010105", "line[0][uom]": "台", "line[0][quantity]": "1000000000",
                "line[0][price]": "100000000", "line[0][fund]": "general_public_budget", "line[0][sme]": "",
            ])
            #expect(product.status == .unprocessableEntity)
            #expect(product.text.contains("数量×单价超出允许范围"))

            try await caiwu.get(base + "/figures")
            var figures = ["version": try await Self.version(app), "unit": "wan"]
            for source in RevenueSource.allCases { figures["rev[\(source.rawValue)]"] = "999999999999" }
            let revenue = try await caiwu.post(base + "/figures", figures)
            #expect(revenue.status == .unprocessableEntity)
            #expect(revenue.text.contains("超出允许范围：单个金额最多100000000万元"))
            let (_, stored) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(stored.totalRevenue < Fen.maxStated, "nothing was saved")

            let admin = Browser(app)
            try await admin.login("sysadmin")
            for path in ["/admin/users", "/admin/units"] {
                #expect(try await admin.get(path + "?page=9223372036854775807").status == .ok)
            }
            let security = Browser(app)
            try await security.login("secadmin")
            #expect(try await security.get("/security?page=9223372036854775807").status == .ok)
            let auditor = Browser(app)
            try await auditor.login("auditadmin")
            #expect(try await auditor.get("/audit?page=184467440737095517").status == .ok)
            #expect(try await auditor.get("/healthz").status == .ok)
        }
    }

    @Test("a 99,999,999,999 万元 line published by an older release: every public page and download answers")
    func publishedHugeLine() async throws {
        try await withFuzhengApp { app, _ in
            _ = try await HostileInputTests.plantHostileData(app)
            let visitor = Browser(app)
            for path in ["/disclosures/436001/2024", "/disclosures/436001/2024/compare", "/disclosures/overview",
                         "/disclosures", "/disclosures/436001/2024/v/1"] {
                #expect(try await visitor.get(path).status == .ok, "\(path)")
            }
            for format in ["html", "docx", "xlsx", "csv", "json", "datapackage"] {
                #expect(try await visitor.get("/disclosures/436001/2024/v/1/download/\(format)").status == .ok)
            }
            // The same figure can no longer be approved: the range rule makes it an error.
            let unit = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "436001").first())
            let version = try #require(try await DisclosureVersionModel.query(on: app.db)
                .filter(\.$unit.$id == unit.requireID()).filter(\.$fiscalYear == 2024).first())
            let stored = try BudgetJSON.decode(version.budget)
            #expect(RuleBook.check(stored).contains { $0.ruleID == "AMT-RANGE" })
        }
    }

    @Test("a pasted disclosure over 512 KB and a body over 10 MB are refused with a message saying the limit")
    func sizeLimits() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            try await caiwu.get("/units/434001/budgets/new")
            let big = String(repeating: "怀来县人民政府办公室\n", count: 20_000)
            let pasted = try await caiwu.post("/units/434001/budgets/new", ["year": "2024", "source": "import", "text": big])
            #expect(pasted.status == .payloadTooLarge)
            #expect(pasted.text.contains("512 KB"))
            // Only a real HTTP server collects the body, and stops at the limit.
            caiwu.method = .running(hostname: "127.0.0.1", port: 18_900 + Int.random(in: 0..<500))
            try await caiwu.get("/units/434001/budgets/new")
            let huge = String(repeating: "x", count: InputLimits.requestBodyBytes + 1)
            let body = try await caiwu.post("/units/434001/budgets/new", ["year": "2024", "source": "import", "text": huge])
            #expect(body.status == .payloadTooLarge)
            #expect(body.text.contains("10 MB"))
            #expect(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db) == nil)
        }
    }

    /// Values a person or a script might type into a number field.
    static let extremes = [
        "99999999999999999999", "-9223372036854775808", "9223372036854775807", "18446744073709551616", "1e308",
        "NaN", "-0", "0.0000001", "100000000", "100000000.000001", "99999999.999999", "１２３４５６７８９０１２３４５６７",
        "12345678901234567", "184467440737095517", "1,000,000,000", "--1", "+-3", ".", "0x10", "٣", "１０％", "",
    ]

    static func randomNumber(_ rng: inout SplitMix64) -> String {
        var s = rng.next() % 4 == 0 ? "-" : ""
        s += String((0..<(1 + Int(rng.next() % 22))).map { _ in Character(String(rng.next() % 10)) })
        if rng.next() % 2 == 0 { s += "." + String(rng.next() % 1_000_000_000) }
        return s
    }

    @Test("random and extreme numbers in every field of every form: 2xx–4xx, and every page still renders")
    func property() async throws {
        try await withFuzhengApp { app, _ in
            let project = try await HostileInputTests.plantHostileData(app)
            var rng = SplitMix64(seed: 8_2026)
            let routes = HostileInputTests.samples(project: project).filter { HostileInputTests.plan($0).post }
            let caiwu = Browser(app)
            try await caiwu.login("caiwu")
            for round in 0..<(Self.extremes.count + 12) {
                let value = round < Self.extremes.count ? Self.extremes[round] : Self.randomNumber(&rng)
                for route in routes where route.path.hasPrefix("/units/434001/budgets") {
                    var form = HostileInputTests.hostileForm(version: 0).mapValues { _ in value }
                    form["version"] = try await NumberFormTests.version(app, year: 2025)
                    form["unit"] = rng.next() % 2 == 0 ? "wan" : "yuan"
                    form["line[0][kind]"] = "personnel"
                    form["line[0][code]"] = "A02010105"
                    form["line[0][project]"] = project
                    form["action"] = "submit"
                    try await caiwu.get(route.path)
                    let response = try await caiwu.post(route.path, form)
                    #expect((200..<500).contains(response.status.code), "POST \(route.path) with \(value)")
                }
                for path in ["/units/434001/budgets/2025", "/units/434001/budgets/2025/figures",
                             "/units/434001/budgets/2025/procurement", "/units/434001/budgets/2025/assets",
                             "/units/434001/budgets/2025/projects/\(project)"] {
                    #expect((200..<500).contains(try await caiwu.get(path).status.code), "GET \(path) after \(value)")
                }
            }
            #expect(try await caiwu.get("/healthz").status == .ok)
        }
    }
}

/// Two clerks saving the same form at the same moment: one wins, the other is told, nothing is lost.
@Suite("Concurrent edits")
struct ConcurrentEditTests {
    @Test("two saves released together, 50 times: exactly one succeeds, the other sees the conflict, no 5xx")
    func race() async throws {
        try await withFuzhengApp { app, _ in
            let first = try await PreparationTests.create2024(app)
            let second = Browser(app)
            try await second.login("caiwu")
            let path = "/units/434001/budgets/2024/narrative"
            let auditBefore = try await auditRecords(app, action: .update).count
            for round in 0..<50 {
                try await first.get(path)
                try await second.get(path)
                let version = try await NumberFormTests.version(app)
                func form(_ who: String) -> [String: String] {
                    ["version": version, "otherNotes": "\(who) \(round)", "duties": "职责", "overallTarget": "目标",
                     "dutyTargets": "", "glossary": ""]
                }
                async let a = first.post(path, form("甲"))
                async let b = second.post(path, form("乙"))
                let (ra, rb) = try await (a, b)
                #expect(ra.status == .seeOther && rb.status == .seeOther, "round \(round): \(ra.status) \(rb.status)")
                let (model, stored) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
                #expect(String(model.version) == String(Int(version)! + 1), "round \(round): one save only")
                let winner = stored.narrative.otherNotes.hasPrefix("甲") ? first : second
                let loser = winner === first ? second : first
                #expect(stored.narrative.otherNotes.hasSuffix(" \(round)"))
                #expect(try await winner.get(path).text.contains("已保存"))
                #expect(try await loser.get(path).text.contains("此预算在您打开表单后已被他人保存"))
            }
            #expect(try await auditRecords(app, action: .update).count == auditBefore + 50)
        }
    }

    @Test("a form that does not say which version it was read at is refused")
    func missingVersion() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let path = "/units/434001/budgets/2024/narrative"
            try await caiwu.get(path)
            let response = try await caiwu.post(path, ["otherNotes": "无版本", "duties": "职责"])
            #expect(response.status == .seeOther)
            #expect(try await caiwu.get(path).text.contains("表单缺少版本号"))
            let (_, stored) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(stored.narrative.otherNotes != "无版本")
        }
    }
}

@Suite("Nobody locks the county out by mistake")
struct AdministratorContinuityTests {
    @Test("the last active holder of an administrator role can be neither demoted nor deactivated, even by themselves")
    func lastAdministrator() async throws {
        try await withFuzhengApp { app, _ in
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await admin.get("/admin/users/sysadmin/edit")
            let demote = try await admin.post("/admin/users/sysadmin/edit",
                                              ["displayName": "系统管理员", "role": "unit_finance", "unitCode": "434001"])
            #expect(demote.status == .seeOther)
            #expect(try await admin.get(demote.location ?? "/").text.contains("最后一个在用账户"))
            #expect(try await UserQueries.find(username: "sysadmin", on: app.db)?.role == .systemAdmin)

            try await admin.get("/admin/users")
            let deactivate = try await admin.post("/admin/users/secadmin/activation")
            #expect(deactivate.status == .seeOther)
            #expect(try await UserQueries.find(username: "secadmin", on: app.db)?.isActive == true)
            let demoteAuditor = try await admin.post("/admin/users/auditadmin/edit",
                                                     ["displayName": "审计", "role": "office_staff", "unitCode": "434001"])
            #expect(demoteAuditor.status == .seeOther)
            #expect(try await UserQueries.find(username: "auditadmin", on: app.db)?.role == .auditAdmin)

            // With a second 安全管理员 the first may go.
            try await admin.get("/admin/users/new")
            let created = try await admin.post("/admin/users/new", [
                "username": "secadmin2", "displayName": "安全管理员二", "role": "security_admin", "unitCode": "434001",
                "initialPassword": "Anquan#2026x",
            ])
            #expect(created.status == .seeOther)
            try await admin.get("/admin/users")
            try await admin.post("/admin/users/secadmin/activation")
            #expect(try await UserQueries.find(username: "secadmin", on: app.db)?.isActive == false)
        }
    }

    @Test("the rule itself", arguments: [
        (Role.systemAdmin, true, Role.unitFinance, true, 0, false),
        (Role.systemAdmin, true, Role.systemAdmin, false, 0, false),
        (Role.systemAdmin, true, Role.unitFinance, true, 1, true),
        (Role.systemAdmin, false, Role.unitFinance, true, 0, true),
        (Role.unitFinance, true, Role.leader, false, 0, true),
        (Role.auditAdmin, true, Role.auditAdmin, true, 0, true),
    ])
    func rule(_ role: Role, _ active: Bool, _ newRole: Role, _ newActive: Bool, _ others: Int, _ allowed: Bool) {
        #expect(AdministratorContinuity.allows(currentRole: role, isActive: active, newRole: newRole,
                                               newActive: newActive, otherActiveHolders: others) == allowed)
    }
}

/// A budget edited in the platform keeps the totals the clerk typed, so every sum rule can fire on it.
@Suite("Stated totals")
struct StatedTotalsTests {
    static let platform = PreparationTests.platform

    /// (what to change through which form, the rule that must then fire)
    static let cases: [(String, String, [String: String])] = [
        ("SUM-REV-TOTAL", "figures", ["stated[total_revenue]": "1"]),
        ("SUM-EXP-TOTAL", "figures", ["stated[total_expenditure]": "1"]),
        ("SUM-EXP-SPLIT", "figures", ["stated[project]": "1"]),
        ("SUM-BASIC", "figures", ["stated[basic]": "1"]),
        ("SUM-BASIC-PARTS", "figures", ["stated[personnel]": "1"]),
        ("SUM-PROJECT", "figures", ["stated[project]": "2"]),
        ("SUM-BALANCE", "figures", ["rev[general_public_budget]": "1"]),
        ("SUM-3PUBLIC", "figures", ["threePublicStated": "1"]),
        ("SUM-YOY", "figures", ["changes[basic]": "-1"]),
        ("SUM-PROC-TOTAL", "figures", ["stated[procurement_total]": "1"]),
        ("SUM-ASSETS", "assets", ["value[other]": "1"]),
        ("SUM-PROC-PROJECT", "project", ["amount": "501"]),
        ("X-ASSET-PURCHASE", "assets", ["plannedPurchases": "1"]),
    ]

    @Test("every sum rule fires on a budget edited through the forms", arguments: StatedTotalsTests.cases.map(\.0))
    func fires(_ rule: String) async throws {
        let (_, formName, changes) = try #require(Self.cases.first { $0.0 == rule })
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let base = "/units/434001/budgets/2024"
            let path = switch formName {
            case "project": base + "/projects/\(Self.platform)"
            default: base + "/" + formName
            }
            let page = try await caiwu.get(path + "?unit=wan")
            var form = Self.fields(of: page.text)
            for (key, value) in changes { form[key] = value }
            let saved = try await caiwu.post(path, form)
            #expect(saved.status == .seeOther, "\(rule): \(saved.status) \(saved.text.prefix(0))")
            let (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            let fired = RuleBook.check(b).map(\.ruleID)
            #expect(fired.contains(rule), "\(rule) did not fire; found \(Set(fired))")
        }
    }

    @Test("an unchanged form saves without any finding; recompute re-derives every total")
    func unchangedAndRestate() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let path = "/units/434001/budgets/2024/figures"
            var form = Self.fields(of: try await caiwu.get(path + "?unit=wan").text)
            #expect(try await caiwu.post(path, form).status == .seeOther)
            var (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(RuleBook.check(b).filter { $0.severity == .error }.isEmpty)
            form = Self.fields(of: try await caiwu.get(path + "?unit=wan").text)
            form["stated[total_revenue]"] = "1"
            form["restate"] = "1"
            #expect(try await caiwu.post(path, form).status == .seeOther)
            (_, b) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(b.stated[.totalRevenue] == b.totalRevenue)
        }
    }

    /// The fields a browser would post from a page: inputs, selected options, textareas, checked boxes only.
    static func fields(of html: String) -> [String: String] {
        var out: [String: String] = [:]
        func attribute(_ name: String, in tag: Substring) -> String? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            let rest = tag[r.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return decode(String(rest[..<end]))
        }
        var scan = html[...]
        while let open = scan.range(of: "<input") {
            let tag = scan[open.lowerBound..<(scan[open.lowerBound...].firstIndex(of: ">") ?? scan.endIndex)]
            if let name = attribute("name", in: tag), name != "_csrf",
               attribute("type", in: tag) != "checkbox" || tag.contains(" checked") {
                out[name] = attribute("value", in: tag) ?? ""
            }
            scan = scan[open.upperBound...]
        }
        scan = html[...]
        while let open = scan.range(of: "<select") {
            let tagEnd = scan[open.lowerBound...].firstIndex(of: ">") ?? scan.endIndex
            let close = scan.range(of: "</select>", range: tagEnd..<scan.endIndex)?.lowerBound ?? scan.endIndex
            if let name = attribute("name", in: scan[open.lowerBound..<tagEnd]) {
                let options = scan[tagEnd..<close].components(separatedBy: "<option").dropFirst()
                let chosen = options.first { $0.contains("selected") } ?? options.first
                out[name] = chosen.flatMap { attribute("value", in: Substring($0)) } ?? ""
            }
            scan = scan[close...]
            if scan.isEmpty { break }
            scan = scan.dropFirst()
        }
        scan = html[...]
        while let open = scan.range(of: "<textarea") {
            let tagEnd = scan[open.lowerBound...].firstIndex(of: ">") ?? scan.endIndex
            if let name = attribute("name", in: scan[open.lowerBound..<tagEnd]),
               let value = HostileInputTests.textarea(name, in: String(scan[open.lowerBound...])) {
                out[name] = value
            }
            scan = scan[tagEnd...]
        }
        return out
    }

    static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
extension Browser: @unchecked Sendable {}
