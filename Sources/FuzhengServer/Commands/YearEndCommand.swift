import Fluent
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng yearend YEAR [--json]`: the finance bureau's year-end run over the county — every project of every
/// approved budget scored (its 自评表 as stored, else the draft the year's data gives) and every unit's 部门决算 built and
/// checked — with the grades, the findings and the time it took. The benchmark of issue 20 times it.
struct YearEndCommand: AnyAsyncCommand {
    static let usage = "fuzheng yearend YEAR [--json]"
    var help: String { "Scores every project and builds every unit's final accounts of a year: \(Self.usage)" }

    struct Summary: Codable, Equatable {
        var year: Int
        var units: Int
        var projects: Int
        var grades: [String: Int]
        var unscored: Int
        var finals: Int
        var finalErrors: Int
        var finalWarnings: Int
        var seconds: Double
    }

    func run(using context: inout CommandContext) async throws {
        let args = try CommandArguments(context.input.arguments, valueOptions: [])
        context.input.arguments = []
        guard args.positionals.count == 1,
              case .success(let year) = NumberInput.integer(args.positionals[0], range: 2000...2199),
              args.flags.isSubset(of: ["json"]) else {
            throw CommandExit(status: 2, message: "用法 / usage: \(Self.usage)")
        }
        let app = context.application
        try await app.autoMigrate()
        let summary = try await Self.run(year: year, on: app.db)
        if args.flags.contains("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            context.console.output(String(decoding: try encoder.encode(summary), as: UTF8.self), style: .plain)
            return
        }
        let grades = EvaluationRules.shared.grades.map { "\($0.name) \(summary.grades[$0.name] ?? 0)" }
            .joined(separator: "，")
        context.console.print("\(year)年度：\(summary.units) 个单位，\(summary.projects) 个项目已评分（\(grades)；"
            + "无法评分 \(summary.unscored)），\(summary.finals) 份部门决算已生成并检查（错误 \(summary.finalErrors)，"
            + "提示 \(summary.finalWarnings)），用时 \(String(format: "%.2f", summary.seconds)) 秒 / "
            + "\(summary.projects) projects scored, \(summary.finals) final accounts built in "
            + "\(String(format: "%.2f", summary.seconds)) s")
    }

    static func run(year: Int, on db: Database) async throws -> Summary {
        let started = ContinuousClock.now
        let units = try await UnitModel.query(on: db).sort(\.$code).all()
        var s = Summary(year: year, units: 0, projects: 0, grades: [:], unscored: 0, finals: 0, finalErrors: 0,
                        finalWarnings: 0, seconds: 0)
        for unit in units {
            guard let page = try await FinalPage.query(on: db, principal: nil, unit: unit, year: year) else {
                continue
            }
            s.units += 1
            s.finals += 1
            s.finalErrors += page.errors.count
            s.finalWarnings += page.warnings.count
            let stored = try await ProjectEvaluationModel.query(on: db).filter(\.$unitCode == unit.code)
                .filter(\.$year == year).all()
            var evaluations = try stored.map { try $0.evaluation() }
            let done = Set(evaluations.map(\.projectCode))
            evaluations += try await EvaluationPage.drafts(unit: unit, year: year, on: db)
                .filter { !done.contains($0.projectCode) }
            for e in evaluations {
                s.projects += 1
                if let score = try? SelfEvaluation.score(e, checked: false) {
                    s.grades[score.grade, default: 0] += 1
                } else {
                    s.unscored += 1
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        s.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return s
    }
}
