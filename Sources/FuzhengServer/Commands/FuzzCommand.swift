import ConsoleKit
import Foundation
import FuzhengCore
import Vapor

/// `fuzheng fuzz [--target NAME|all] [--count N] [--seed S] [--seed-file PATH] [--corpus DIR]`: runs N seeded
/// random mutations through each parser. A trap ends the process, so before each input the input is written to
/// `DIR/pending-<target>.txt`; the file left behind after a crash is the input to add to the test corpus.
struct FuzzCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "target", help: "a target name or all (default all)")
        var target: String?

        @Option(name: "count", help: "inputs per target, the seeds included (default 20000)")
        var count: Int?

        @Option(name: "seed", help: "random seed, a non-negative integer (default 1)")
        var seed: UInt64?

        @Option(name: "seed-file", help: "a published disclosure (text) to mutate for disclosure-import")
        var seedFile: String?

        @Option(name: "corpus", help: "folder for pending-<target>.txt, the input being run")
        var corpus: String?
    }

    static let defaultSeedFile = "Tests/FuzhengCoreTests/Fixtures/huailai-office-2023.txt"

    var help: String {
        "Fuzzes every parser: fuzz [--target NAME|all] [--count N] [--seed S] [--seed-file PATH] [--corpus DIR]"
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        let wanted = signature.target ?? "all"
        let count = signature.count ?? 20_000
        let seed = signature.seed ?? 1
        guard count > 0 else { throw CommandExit(status: 2, message: "--count 应大于 0 / --count must be above 0") }
        guard wanted == "all" || FuzzTargets.names.contains(wanted) else {
            let names = FuzzTargets.names.joined(separator: ", ")
            throw CommandExit(status: 2, message: "未知目标 \(wanted)；可用：all, \(names) "
                + "/ unknown target \(wanted); available: all, \(names)")
        }
        let needsSeed = wanted == "all" || wanted == "disclosure-import"
        let disclosureSeed = try Self.disclosureSeed(signature.seedFile, needed: needsSeed)
        let targets = FuzzTargets.core(disclosureSeed: disclosureSeed).filter { wanted == "all" || $0.name == wanted }

        var corpus: URL?
        if let path = signature.corpus {
            let url = URL(fileURLWithPath: path, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            corpus = url
        } else {
            console.print("没有 --corpus：若崩溃，输入不会保存 / no --corpus: a crashing input will not be kept")
        }

        let clock = ContinuousClock()
        let started = clock.now
        for target in targets {
            let targetStarted = clock.now
            let pending = corpus?.appendingPathComponent("pending-\(target.name).txt")
            for index in 0..<count {
                let input = target.input(index, seed: seed)
                // Overwritten every time: one small write is cheap next to a parse, and it is the only record
                // of the input if the next line traps.
                if let pending { try Data(input.utf8).write(to: pending) }
                target.run(input)
            }
            if let pending { try? FileManager.default.removeItem(at: pending) }
            let took = Self.seconds(clock.now - targetStarted)
            console.print("fuzz \(target.name): \(count) inputs, seed \(seed), ok (\(took))")
        }
        console.print("fuzz: \(targets.count) targets in \(Self.seconds(clock.now - started))")
    }

    /// The disclosure to mutate: --seed-file, else the repository's fixture when run from the repository root.
    static func disclosureSeed(_ path: String?, needed: Bool) throws -> String {
        guard needed else { return "" }
        let file = path ?? defaultSeedFile
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CommandExit(status: 2, message: "无法读取种子文件 \(file)（disclosure-import 需要 --seed-file） "
                + "/ cannot read the seed file \(file) (disclosure-import needs --seed-file)")
        }
        return text
    }

    static func seconds(_ duration: Duration) -> String {
        let tenths = duration.components.seconds * 10 + duration.components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
