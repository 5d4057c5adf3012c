import ConsoleKit
import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng archive verify PATH…`: checks archival packages with nothing but themselves (digests, required fields,
/// 档号 form); exits 1 on any mismatch. `fuzheng archive export YEAR [--unit CODE] [--output DIR]`: writes the year's
/// packages of each unit and its 归档文件目录 (XLSX and PDF).
struct ArchiveCommand: AnyAsyncCommand {
    static let usage = "用法 / usage: fuzheng archive verify PATH.zip… | "
        + "fuzheng archive export YEAR [--unit CODE] [--output DIR]"

    var help: String { "档案: verify PATH.zip… | export YEAR [--unit CODE] [--output DIR]" }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: ["unit", "output"])
        context.input.arguments = []
        switch args.positionals.first {
        case "verify" where args.positionals.count >= 2:
            try verify(context, paths: Array(args.positionals.dropFirst()))
        case "export" where args.positionals.count == 2:
            guard let year = Int(args.positionals[1]), (1949...2199).contains(year) else {
                throw CommandExit(status: 2, message: "年度“\(args.positionals[1])”无效 / not a year\n" + Self.usage)
            }
            try await export(context, year: year, unit: args.options["unit"], output: args.options["output"] ?? ".")
        default:
            throw CommandExit(status: 2, message: Self.usage)
        }
    }

    func verify(_ context: CommandContext, paths: [String]) throws {
        var failed = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                failed += 1
                context.console.print("✗ \(path)：无法读取 / cannot read the file")
                continue
            }
            switch ArchivePackage.verify(data) {
            case .success(let m):
                context.console.print("✓ \(path)：\(m.code) 《\(m.title)》 \(m.files.count) 个文件，SM3 摘要全部相符 / "
                                      + "\(m.files.count) files, every SM3 digest matches")
            case .failure(let problems):
                failed += 1
                context.console.print("✗ \(path)：\(problems.problems.count) 处问题 / problems")
                for p in problems.problems { context.console.print("  - \(p)") }
            }
        }
        if failed > 0 {
            throw CommandExit(status: 1, message: "\(failed) 个归档包未通过校验 / \(failed) package(s) failed")
        }
    }

    func export(_ context: CommandContext, year: Int, unit: String?, output: String) async throws {
        let app = context.application
        try await app.autoMigrate()
        let db = app.db
        var units: [UnitModel] = []
        if let unit {
            guard let u = try await OrganisationQueries.unit(code: unit, on: db) else {
                throw CommandExit(status: 2, message: "没有单位 \(unit) / no unit \(unit)")
            }
            units = [u]
        } else {
            let ids = Set(try await ArchiveItemModel.query(on: db).filter(\.$year == year).all().map(\.$unit.id))
            units = try await UnitModel.query(on: db).filter(\.$id ~~ ids).sort(\.$code).all()
        }
        guard !units.isEmpty else {
            throw CommandExit(status: 2, message: "\(year) 年度没有归档文件 / nothing filed for \(year)")
        }
        var problems = 0
        for u in units {
            let unitID = try u.requireID()
            let folder = URL(fileURLWithPath: output).appendingPathComponent("\(u.code)-\(year)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let items = try await ArchiveQueries.items(unitID: unitID, year: year, on: db)
                .sorted { ($0.series, $0.item ?? .max) < ($1.series, $1.item ?? .max) }
            let unnumbered = items.filter { !$0.isNumbered }.count
            if unnumbered > 0 {
                context.console.print("! \(u.code) \(u.name)：\(unnumbered) 件尚未编号（年度未关闭），未导出 / "
                                      + "\(unnumbered) items not numbered (year open), not exported")
            }
            for item in items where item.isNumbered {
                do {
                    let made = try await ArchivePackages.package(item, app: app, on: db)
                    let path = folder.appendingPathComponent("\(item.code ?? "").zip")
                    try made.data.write(to: path)
                    if made.sealed {
                        try await app.fuzheng.audit.transaction(on: db, context: .system) { _, audit in
                            audit.add(AuditEvent(.sealUse, objectType: "archive_item", objectID: item.id?.uuidString,
                                                 summary: "archive export \(item.code ?? "") → \(path.path)（含印章）"))
                        }
                    }
                } catch {
                    problems += 1
                    context.console.print("✗ \(item.code ?? "")：\(error)")
                }
            }
            let catalogue = try await ArchiveQueries.catalogue(unitID: unitID, year: year, on: db)
            try ArchiveCatalogue.xlsx(catalogue).write(to: folder.appendingPathComponent("归档文件目录.xlsx"))
            do {
                let html = ArchiveCatalogue.html(catalogue, title: "\(u.name) \(year)年度 归档文件目录")
                let pdf = try await ArchivePackages.sheetPDF(html, app: app, on: db)
                try pdf.write(to: folder.appendingPathComponent("归档文件目录.pdf"))
            } catch let e as PDFPrinter.Unavailable {
                context.console.print("! 归档文件目录.pdf：\(e.description)")
            }
            context.console.print("\(folder.path)：\(catalogue.count) 件归档包及归档文件目录 / packages and the list")
        }
        if problems > 0 {
            throw CommandExit(status: 1, message: "\(problems) 件未能导出 / \(problems) items could not be exported")
        }
    }
}
