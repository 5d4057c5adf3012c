import Benchmark
import Foundation
import FuzhengCore

/// The seed disclosure, read once from the test fixtures.
let seedText: String = {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/FuzhengCoreTests/Fixtures/huailai-office-2023.txt").path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("seed fixture missing at \(path)") }
    return text
}()

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
                                         warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 10_000)

    Benchmark("Import + check the Huailai 2023 disclosure", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            let budget = try DisclosureImporter.importBudget(seedText, source: "seed")
            blackHole(RuleBook.check(budget))
        }
    }

    Benchmark("Import only", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DisclosureImporter.importBudget(seedText, source: "seed"))
        }
    }

    let budget = try! DisclosureImporter.importBudget(seedText, source: "seed")
    Benchmark("Check only (all rules)", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RuleBook.check(budget))
        }
    }

    disclosureBenchmarks()
    documentBenchmarks()

    Benchmark("SM3 of 1 KiB", configuration: config) { benchmark in
        let bytes = [UInt8](repeating: 0x61, count: 1024)
        for _ in benchmark.scaledIterations {
            blackHole(SM3.hash(bytes))
        }
    }
}
