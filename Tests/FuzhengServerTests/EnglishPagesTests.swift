import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import VaporTesting

/// The English rendering speaks English in everything the platform writes itself: headings, labels, buttons,
/// table headers, options, tags, hints and messages. Chinese may remain only in data — names of people, units,
/// projects and documents, and texts a unit wrote — which this check removes before it looks.
@Suite("English pages carry no Chinese of the platform's own")
struct EnglishPagesTests {
    static let chrome = ["title", "h1", "h2", "h3", "th", "label", "button", "legend", "summary", "caption", "option",
                         "dt"]
    static let chromeClasses = ["hint", "tag", "alert", "lead", "empty", "muted", "work-detail", "error"]

    /// Chinese text inside the page's own words, after removing every data name the database holds.
    static func chineseInChrome(_ html: String, names: [String]) -> [String] {
        var found: [String] = []
        var texts: [String] = []
        for tag in chrome {
            let pattern = try! Regex("<\(tag)(\\s[^>]*)?>([\\s\\S]*?)</\(tag)>")
            texts += html.matches(of: pattern).map { String($0.output[2].substring ?? "") }
        }
        for cls in chromeClasses {
            let pattern = try! Regex("<(p|span|div|a)\\s[^>]*class=\"[^\"]*\\b\(cls)\\b[^\"]*\"[^>]*>([^<]*)<")
            texts += html.matches(of: pattern).map { String($0.output[2].substring ?? "") }
        }
        for raw in texts {
            var text = raw.replacing(/<[^>]+>/, with: "")
            for name in names where !name.isEmpty { text = text.replacingOccurrences(of: name, with: "") }
            if text.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { found.append(text) }
        }
        return found
    }

    static func dataNames(_ app: Application) async throws -> [String] {
        var names = try await UnitModel.query(on: app.db).all().map(\.name)
        names += try await DepartmentModel.query(on: app.db).all().map(\.name)
        names += try await UserModel.query(on: app.db).all().map(\.displayName)
        names += try await RegionModel.query(on: app.db).all().map(\.name)
        for model in try await BudgetModel.query(on: app.db).all() {
            let b = try model.decoded()
            names += b.projects.map(\.name) + b.projects.compactMap(\.fundDocument) + b.procurement.map(\.itemName)
            names += b.procurement.map(\.projectName) + b.projects.flatMap { $0.indicators.map(\.name) }
            names += b.expenditure.compactMap(\.label) + b.projects.flatMap { $0.indicators.map(\.value) }
            names += b.projects.flatMap { $0.indicators.map(\.unit) }
            // Pickers show each project by its code's tail and the part of its name that differs.
            names += ProjectLabels.labels(b.projects).map(\.label)
            // Texts the unit wrote: its glossary, its reasons for changes, its notes.
            names += b.narrative.glossary.map(\.term) + Array(b.narrative.notes.values)
            let r = b.prior.reasons
            names += [r.total, r.basic, r.project, r.threePublic]
        }
        // Longest first, so a name is removed whole before a shorter one inside it.
        return names.sorted { $0.count > $1.count }
    }

    @Test("the pages each role opens, in English")
    func englishPages() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            try await caiwu.get("/lang/en?back=/home")
            var pages = ["/home", "/units/434001", "/units/434001/budgets/2023", "/units/434001/budgets/2024",
                         "/units/434001/budgets/2024/figures", "/units/434001/budgets/2024/procurement",
                         "/units/434001/budgets/2024/assets", "/units/434001/budgets/2024/narrative",
                         "/units/434001/budgets/2024/projects/\(PreparationTests.platform)", "/inbox",
                         "/account/password", "/disclosures", "/account/delegations"]
            let names = try await Self.dataNames(app)
            var problems: [String] = []
            for path in pages {
                let page = try await caiwu.get(path)
                #expect(page.status == .ok, "\(path)")
                problems += Self.chineseInChrome(page.text, names: names).map { "\(path): \($0)" }
            }
            let shenhe = Browser(app)
            try await shenhe.login("shenhe")
            try await shenhe.get("/lang/en?back=/home")
            pages = ["/home", "/units", "/finance/due"]
            for path in pages {
                problems += Self.chineseInChrome(try await shenhe.get(path).text, names: names).map { "\(path): \($0)" }
            }
            let drafter = Browser(app)
            try await drafter.login("bangong")
            try await drafter.get("/lang/en?back=/home")
            let docID = try await DocumentServerTests.create(app, drafter)
            for path in ["/documents", "/documents/new", "/documents/\(docID)", "/documents/register",
                         "/documents?view=all"] {
                // Input forms a clerk types in Chinese whatever the page's language: numbering, dates, title pattern.
                let forms = ["关于…的", "一、", "（一）", "（1）", "附件1", "附件2", "2024年2月20日"]
                let documentNames = try await DocumentModel.query(on: app.db).all().map(\.title)
                    + (try await BodyModel.query(on: app.db).all().map(\.name))
                problems += Self.chineseInChrome(try await drafter.get(path).text,
                                                 names: forms + (documentNames + names + ["县政府各部门"])
                                                     .sorted { $0.count > $1.count })
                    .map { "\(path): \($0)" }
            }
            let vice = Browser(app)
            try await vice.login("fxz1")
            try await vice.get("/lang/en?back=/home")
            for path in ["/home", "/oversight", "/account/delegations"] {
                problems += Self.chineseInChrome(try await vice.get(path).text, names: names).map { "\(path): \($0)" }
            }
            let admin = Browser(app)
            try await admin.login("sysadmin")
            try await admin.get("/lang/en?back=/home")
            let bodyNames = try await BodyModel.query(on: app.db).all().map(\.name).sorted { $0.count > $1.count }
            for path in ["/admin/users/fxz1/edit", "/admin/users/import", "/admin/bodies",
                "/admin/bodies/434-WD/edit"] {
                problems += Self.chineseInChrome(try await admin.get(path).text, names: bodyNames + names)
                    .map { "\(path): \($0)" }
            }
            #expect(problems.isEmpty, "\(problems.count) Chinese fragments:\n\(problems.joined(separator: "\n"))")
        }
    }
}
