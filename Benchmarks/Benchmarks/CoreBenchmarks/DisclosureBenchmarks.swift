import Benchmark
import Dispatch
import Foundation
import FuzhengCore

/// Synthetic units: the seed's budget under another unit's name and code, so every disclosure is
/// rendered in full (same shape as a real one) but none is a copy of another.
func syntheticBudget(_ base: Budget, _ n: Int) -> Budget {
    var b = base
    b.department = OrgRef(code: String(format: "%03d", 100 + n % 900), name: "测试县第\(n)部门")
    b.units = [UnitProfileData(code: String(format: "%06d", n), name: "测试单位\(n)", nature: "行政", grade: "正科级", fundingForm: "财政拨款（行政）")]
    return b
}

/// HTML + XLSX + DOCX of one budget: what a portal publishes for each unit.
func renderThree(_ b: Budget) throws -> Int {
    let d = DisclosureBuilder.build(b)
    let html = DisclosureHTML.document(d)
    let xlsx = try DisclosureXLSX.workbook(d)
    let docx = try DisclosureDOCX.document(d)
    return html.utf8.count + xlsx.count + docx.count
}

func disclosureBenchmarks() {
    let seed = try! DisclosureImporter.importBudget(seedText, source: "seed")
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 5,
                                         maxDuration: .seconds(5), maxIterations: 5_000)

    Benchmark("Disclosure: build the document model", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(DisclosureBuilder.build(seed)) }
    }

    let built = DisclosureBuilder.build(seed)
    Benchmark("Disclosure part: HTML", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(DisclosureHTML.document(built)) }
    }
    Benchmark("Disclosure part: XLSX", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try DisclosureXLSX.workbook(built)) }
    }
    Benchmark("Disclosure part: DOCX", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try DisclosureDOCX.document(built)) }
    }

    Benchmark("Disclosure: HTML + XLSX + DOCX of one unit", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try renderThree(seed)) }
    }

    Benchmark("Disclosure: every format of one unit (html, docx, xlsx, csv, json, datapackage)", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            let d = DisclosureBuilder.build(seed)
            for format in DisclosureFormat.allCases { blackHole(try DisclosureExport.files(seed, format: format, disclosure: d)) }
        }
    }

    // A province: 10,000 units, HTML + XLSX + DOCX each, spread over every core. One iteration is the whole batch.
    Benchmark("Province batch: 10,000 units, HTML + XLSX + DOCX, all cores",
              configuration: .init(metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            let units = 10_000
            let total = ManagedAtomicCounter()
            DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { worker in
                let cores = ProcessInfo.processInfo.activeProcessorCount
                var bytes = 0
                for n in stride(from: worker, to: units, by: cores) {
                    bytes += (try? renderThree(syntheticBudget(seed, n))) ?? 0
                }
                total.add(bytes)
            }
            blackHole(total.value)
        }
    }
}

/// A lock-protected sum for the batch's workers.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = 0
    func add(_ n: Int) { lock.lock(); sum += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return sum }
}

/// 公文 2 of 4: the issued document's layout and the files drawn from it, for the five-page sample 通知.
func documentBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
                                         warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 10_000)
    let input = SampleDocuments.inputs()[0].input
    let seal = Data(SealImage.demoImage)

    Benchmark("公文 layout of a 5-page 通知", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DocumentLayout(input))
        }
    }

    Benchmark("公文 layout + OFD of a 5-page 通知", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            let layout = DocumentLayout(input)
            blackHole(try OFDWriter.ofd(layout, title: input.document.title, author: "怀来县人民政府办公室",
                                        date: "2023-03-06", seal: seal))
        }
    }

    Benchmark("公文 layout + DOCX of a 5-page 通知", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            let layout = DocumentLayout(input)
            blackHole(try LayoutDocx.docx(layout, title: input.document.title, seal: seal))
        }
    }

    Benchmark("公文 layout + HTML for the PDF of a 5-page 通知", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(LayoutHTML.page(DocumentLayout(input), title: input.document.title))
        }
    }
}
