import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng evaluation UNIT YEAR [--json]`: each project's self-evaluation score and grade — the stored 自评表, or
/// the draft the year's data gives when none was started (marked 草稿 with what it still lacks).
struct EvaluationCommand: AnyAsyncCommand {
    static let usage = "fuzheng evaluation UNIT YEAR [--json]"
    var help: String { "Prints each project's self-evaluation score and grade: \(Self.usage)" }

    struct Line: Codable, Equatable {
        var project: String
        var name: String
        var status: String
        var total: String
        var grade: String
        var missing: Int
    }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        guard args.positionals.count == 2, case .success(let year) = NumberInput.integer(args.positionals[1],
                                                                                          range: 2000...2199),
              args.flags.isSubset(of: ["json"]) else {
            throw CommandExit(status: 2, message: "用法 / usage: \(Self.usage)")
        }
        let app = context.application
        try await app.autoMigrate()
        let code = args.positionals[0]
        guard let unit = try await UnitModel.query(on: app.db).filter(\.$code == code).first() else {
            throw CommandExit(status: 2, message: "没有单位 \(code) / no unit \(code)")
        }
        let lines = try await Self.lines(unit: unit, year: year, on: app.db)
        guard !lines.isEmpty else {
            throw CommandExit(status: 2, message: "单位 \(code) 没有 \(year) 年已批复的项目 / no approved projects")
        }
        if args.flags.contains("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            context.console.output(String(decoding: try encoder.encode(lines), as: UTF8.self), style: .plain)
            return
        }
        for l in lines {
            let missing = l.missing > 0 ? "（尚缺 \(l.missing) 项 / \(l.missing) missing）" : ""
            context.console.print("\(l.project)  \(l.name)  \(l.total.isEmpty ? "—" : l.total)  \(l.grade)  "
                + "\(l.status)\(missing)")
        }
    }

    static func lines(unit: UnitModel, year: Int, on db: Database) async throws -> [Line] {
        let projects = try await ExecutionQueries.projects(year: year, units: [unit.code],
                                                           today: CivilDay(year: year, month: 12, day: 31), on: db)
        var out: [Line] = []
        for p in projects {
            let stored = try await EvaluationPage.find(unit: unit.code, year: year, project: p.code, on: db)
            let found: ProjectEvaluation?
            if let stored {
                found = try stored.evaluation()
            } else {
                found = try await EvaluationPage.draft(unit: unit, year: year, project: p.code, on: db)
            }
            guard let e = found else { continue }
            let score = try? SelfEvaluation.score(e, checked: false)
            out.append(Line(project: p.code, name: p.name, status: stored?.status ?? "草稿 / draft",
                            total: score.map { SelfEvaluation.shown($0.total) } ?? "", grade: score?.grade ?? "",
                            missing: SelfEvaluation.problems(e).count))
        }
        return out
    }
}
