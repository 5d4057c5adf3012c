import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng import PATH [--unit CODE] [--dry-run]`: reads a published disclosure into a draft budget.
struct ImportCommand: AnyAsyncCommand {
    var help: String { "Imports a published budget disclosure (text) as a draft budget: import PATH [--unit CODE] [--dry-run]" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: ["unit"])
        context.input.arguments = []
        guard args.positionals.count == 1 else {
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng import PATH [--unit CODE] [--dry-run]")
        }
        let budget = try BudgetFiles.importFile(args.positionals[0])
        let console = context.console
        let findings = RuleBook.check(budget)
        console.print(BudgetFiles.summary(budget))
        if args.flags.contains("dry-run") {
            console.print("未保存（--dry-run）。 Not saved (--dry-run).")
            return
        }
        let app = context.application
        try await app.autoMigrate()
        guard let unitCode = args.options["unit"] ?? budget.units.first?.code else {
            throw CommandExit(status: 2, message: "文件未写明单位代码，请用 --unit 指定 / the file names no unit code: pass --unit CODE")
        }
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == unitCode).first() else {
            throw CommandExit(status: 2, message: "单位 \(unitCode) 不存在 / unit \(unitCode) does not exist")
        }
        if let (existing, _) = try await BudgetStore.find(unitCode: unitCode, year: budget.fiscalYear, on: app.db),
           existing.status != BudgetStatus.draft.rawValue {
            throw CommandExit(status: 2, message: "\(unitCode) 的 \(budget.fiscalYear) 年预算已处于“\(existing.status)”状态，不能以导入覆盖 / the \(budget.fiscalYear) budget of \(unitCode) is \(existing.status) and cannot be overwritten by an import")
        }
        var imported = budget
        imported.status = .draft
        let draft = imported
        let unitID = try unit.requireID()
        let path = args.positionals[0]
        try await app.fuzheng.audit.transaction(on: app.db, context: .commandLine) { tx, audit in
            try await BudgetStore.save(draft, unitID: unitID, on: tx)
            audit.add(AuditEvent(.create, objectType: "budget", objectID: "\(unitCode)/\(draft.fiscalYear)",
                                 summary: "imported from \(path): expenditure \(draft.totalExpenditure.readable)"))
        }
        console.print("已导入为 \(unitCode) 的 \(budget.fiscalYear) 年预算草稿；检查发现：\(BudgetFiles.counts(findings))。 Saved as a draft.")
    }
}

/// `fuzheng check PATH | UNIT YEAR [--json]`: 0 = no errors, 1 = errors found, 2 = input unreadable.
struct CheckCommand: AnyAsyncCommand {
    var help: String { "Checks a budget against every rule: check PATH | UNIT YEAR [--json]; exit 0 no errors, 1 errors, 2 unreadable" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        let json = args.flags.contains("json")
        let budget: Budget
        var ruleContext = RuleContext()
        switch args.positionals.count {
        case 1:
            budget = try BudgetFiles.importFile(args.positionals[0], json: json)
        case 2:
            guard let year = Int(args.positionals[1]) else {
                throw CommandExit(status: 2, message: "年度“\(args.positionals[1])”应为四位数字 / year must be four digits")
            }
            let app = context.application
            try await app.autoMigrate()
            guard let (_, stored) = try await BudgetStore.find(unitCode: args.positionals[0], year: year, on: app.db) else {
                throw CommandExit(status: 2, message: "没有单位 \(args.positionals[0]) 的 \(year) 年预算 / no \(year) budget for unit \(args.positionals[0])")
            }
            budget = stored
            ruleContext.regionCode = try await OrganisationQueries.unit(code: args.positionals[0], on: app.db)?.department.region.code
        default:
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng check PATH | UNIT YEAR [--json]")
        }
        let findings = RuleBook.check(budget, context: ruleContext)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let report = CheckReport(fiscalYear: budget.fiscalYear, department: budget.department.name,
                                     errors: findings.filter { $0.severity == .error }.count,
                                     warnings: findings.filter { $0.severity == .warning }.count,
                                     notices: findings.filter { $0.severity == .notice }.count, findings: findings)
            context.console.output(String(decoding: try encoder.encode(report), as: UTF8.self), style: .plain, newLine: true)
        } else {
            for f in findings {
                context.console.print("[\(f.severity.rawValue)] \(f.ruleID) \(f.path)\n    \(f.messageZh)\n    \(f.messageEn)")
            }
            context.console.print("\(budget.department.name) \(budget.fiscalYear)：\(BudgetFiles.counts(findings))")
        }
        if findings.contains(where: { $0.severity == .error }) {
            throw CommandExit(status: 1, message: json ? "" : "发现错误 / errors found")
        }
    }

    struct CheckReport: Codable {
        var fiscalYear: Int
        var department: String
        var errors: Int
        var warnings: Int
        var notices: Int
        var findings: [Finding]
    }
}

/// `fuzheng export UNIT YEAR --format FORMAT [--document budget|final] [--output PATH]`: `json` is the budget itself
/// (docs/budget-json.md); the disclosure formats are html, docx, xlsx, csv (a folder), disclosure-json, datapackage
/// (a folder) and pdf. `--document final` takes the year's 部门决算 in the same formats (`json` is its document).
struct ExportCommand: AnyAsyncCommand {
    static let formats = ["json", "html", "docx", "xlsx", "csv", "disclosure-json", "datapackage", "pdf"]

    var help: String {
        "Exports a budget or its disclosure, or the final accounts: export UNIT YEAR --format "
            + "\(Self.formats.joined(separator: "|")) [--document budget|final] [--output PATH]"
    }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: ["format", "output", "document"])
        context.input.arguments = []
        guard args.positionals.count == 2, let year = Int(args.positionals[1]) else {
            throw CommandExit(status: 2, message: "用法 / usage: fuzheng export UNIT YEAR --format \(Self.formats.joined(separator: "|")) [--output PATH]")
        }
        let format = args.options["format"] ?? "json"
        guard Self.formats.contains(format) else {
            throw CommandExit(status: 2, message: "不支持的格式“\(format)”，可用：\(Self.formats.joined(separator: "、")) / unknown format \(format)")
        }
        let app = context.application
        try await app.autoMigrate()
        let document = args.options["document"] ?? "budget"
        guard ["budget", "final"].contains(document) else {
            throw CommandExit(status: 2, message: "--document 应为 budget 或 final / --document is budget or final")
        }
        if document == "final" {
            return try await exportFinal(context: &context, unitCode: args.positionals[0], year: year, format: format,
                                         output: args.options["output"])
        }
        guard let (_, budget) = try await BudgetStore.find(unitCode: args.positionals[0], year: year, on: app.db) else {
            throw CommandExit(status: 2, message: "没有单位 \(args.positionals[0]) 的 \(year) 年预算 / no \(year) budget for unit \(args.positionals[0])")
        }
        let files: [String: Data]
        do {
            switch format {
            case "json": files = ["budget-\(budget.department.code)-\(year).json": Data((try BudgetJSON.encode(budget) + "\n").utf8)]
            case "disclosure-json": files = try DisclosureExport.files(budget, format: .json)
            case "pdf": files = ["budget-\(budget.department.code)-\(year).pdf": try await PDFPrinter.pdf(fromHTML: DisclosureHTML.document(DisclosureBuilder.build(budget)))]
            default: files = try DisclosureExport.files(budget, format: DisclosureFormat(rawValue: format)!)
            }
        } catch let error as PDFPrinter.Unavailable {
            throw CommandExit(status: 2, message: error.description)
        }
        try write(files, format: format, output: args.options["output"], console: context.console)
    }

    func exportFinal(context: inout CommandContext, unitCode: String, year: Int, format: String, output: String?)
        async throws {
        let db = context.application.db
        guard let unit = try await UnitModel.query(on: db).filter(\.$code == unitCode).first(),
              let page = try await FinalPage.query(on: db, principal: nil, unit: unit, year: year) else {
            throw CommandExit(status: 2, message: "没有单位 \(unitCode) 的 \(year) 年已批复预算，无法生成决算 / "
                                  + "no approved \(year) budget for unit \(unitCode)")
        }
        let files: [String: Data]
        do {
            switch format {
            case "pdf":
                files = ["final-\(unitCode)-\(year).pdf": try await PDFPrinter.pdf(fromHTML: DisclosureHTML.document(
                    page.document))]
            case "json", "disclosure-json": files = try FinalExport.files(page.accounts, format: .json,
                                                                           disclosure: page.document)
            default: files = try FinalExport.files(page.accounts, format: DisclosureFormat(rawValue: format)!,
                                                   disclosure: page.document)
            }
        } catch let error as PDFPrinter.Unavailable {
            throw CommandExit(status: 2, message: error.description)
        }
        try write(files, format: format, output: output, console: context.console)
    }

    func write(_ files: [String: Data], format: String, output: String?, console: any Console) throws {
        let folder = format == "csv" || format == "datapackage"
        guard let output else {
            guard !folder, files.count == 1, let only = files.first else {
                throw CommandExit(status: 2, message: "格式 \(format) 生成多个文件，请用 --output 指定文件夹 / \(format) writes several files: pass --output FOLDER")
            }
            if format == "json" || format == "html" || format == "disclosure-json" {
                console.output(String(decoding: only.value, as: UTF8.self), style: .plain, newLine: false)
            } else {
                FileHandle.standardOutput.write(only.value)
            }
            return
        }
        do {
            if folder {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for (name, data) in files { try data.write(to: URL(fileURLWithPath: output).appendingPathComponent(name)) }
            } else {
                try files.first!.value.write(to: URL(fileURLWithPath: output))
            }
        } catch {
            throw CommandExit(status: 2, message: "无法写入 \(output)：\(error.localizedDescription) / cannot write \(output)")
        }
        console.print("已写入 / written: \(output)\(folder ? "（\(files.count) 个文件 / files）" : "")")
    }
}

enum BudgetFiles {
    /// Reads and imports a file; unreadable input ends the command with status 2.
    static func importFile(_ path: String, json: Bool = false) throws -> Budget {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandExit(status: 2, message: "无法读取文件 \(path)（需为UTF-8文本）/ cannot read \(path) as UTF-8 text")
        }
        do {
            return try DisclosureImporter.importBudget(text, source: path)
        } catch {
            throw CommandExit(status: 2, message: error.description)
        }
    }

    static func summary(_ b: Budget) -> String {
        """
        \(b.department.name) \(b.fiscalYear)年：收入\(b.totalRevenue.readable)，支出\(b.totalExpenditure.readable)（基本\(b.basicExpenditure.readable)，项目\(b.projectExpenditure.readable)），\
        项目\(b.projects.count)个，采购\(b.procurement.count)行\(MoneyFormat.wanInText(b.procurementTotal))万元，“三公”\(b.threePublic.items.total.readable)
        """
    }

    static func counts(_ findings: [Finding]) -> String {
        let e = findings.filter { $0.severity == .error }.count
        let w = findings.filter { $0.severity == .warning }.count
        let n = findings.filter { $0.severity == .notice }.count
        return "错误\(e)、警告\(w)、提示\(n) / \(e) errors, \(w) warnings, \(n) notices"
    }
}

extension AuditContext {
    static let commandLine = AuditContext(userID: nil, username: "cli", unitCode: nil, clientIP: "local", requestID: nil)
}
