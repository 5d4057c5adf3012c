import Foundation
import FuzhengCore
import Testing

/// Replays the fuzz corpus (inputs that once crashed a parser, or came close) and a short seeded run per target.
/// Both run in a child process (an exit test): a trap then fails one test, naming the input, instead of ending
/// the whole `swift test` run.
@Suite("Fuzzing: corpus replay and seeded mutations")
struct FuzzTests {
    static let smokeCount = 2_000
    static let smokeSeed: UInt64 = 1

    @Test("The registry and the corpus folders name the same targets")
    func corpusCoversEveryTarget() throws {
        let targets = try FuzzCorpus.targets()
        #expect(targets.map(\.name) == FuzzTargets.names)
        let folders = try FileManager.default.contentsOfDirectory(atPath: try FuzzCorpus.root().path)
            .filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == Set(FuzzTargets.names))
        for name in FuzzTargets.names { #expect(try !FuzzCorpus.files(name).isEmpty, "no corpus for \(name)") }
    }

    @Test("The same seed gives the same inputs, a different seed different ones")
    func deterministic() throws {
        let target = try #require(try FuzzCorpus.targets().first { $0.name == "disclosure-import" })
        let first = (0..<20).map { target.input($0, seed: 42) }
        #expect(first == (0..<20).map { target.input($0, seed: 42) })
        #expect(first[0] == target.seeds[0])
        #expect(first.dropFirst().contains { $0 != target.seeds[0] })
        #expect(first.dropFirst() != (0..<20).map { target.input($0, seed: 43) }.dropFirst())
        var rng = SplitMix64(seed: 0)
        // The published SplitMix64 reference value for seed 0, so the generator cannot drift unnoticed.
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("Every corpus input returns", arguments: FuzzTargets.names)
    func corpus(_ name: String) async throws {
        let progress = FuzzCorpus.progressFile(name)
        defer { try? FileManager.default.removeItem(atPath: progress) }
        let result = await #expect(processExitsWith: .success) { [name, progress = progress as String] in
            let target = try #require(try FuzzCorpus.targets().first { $0.name == name })
            for file in try FuzzCorpus.files(name) {
                FuzzCorpus.note(file.lastPathComponent, to: progress)
                target.run(try String(contentsOf: file, encoding: .utf8))
            }
        }
        if result == nil { Issue.record("\(name) stopped on its corpus file \(FuzzCorpus.lastNote(progress))") }
    }

    @Test("2,000 seeded mutations per target return", arguments: FuzzTargets.names)
    func seededMutations(_ name: String) async throws {
        let progress = FuzzCorpus.progressFile(name)
        defer { try? FileManager.default.removeItem(atPath: progress) }
        let result = await #expect(processExitsWith: .success) { [name, progress = progress as String] in
            let target = try #require(try FuzzCorpus.targets().first { $0.name == name })
            for index in 0..<FuzzTests.smokeCount {
                FuzzCorpus.note(String(index), to: progress)
                target.run(target.input(index, seed: FuzzTests.smokeSeed))
            }
        }
        guard result == nil else { return }
        let note = FuzzCorpus.lastNote(progress)
        var message = "\(name) stopped on input \(note) of seed \(Self.smokeSeed)"
        if let index = Int(note), let target = try FuzzCorpus.targets().first(where: { $0.name == name }) {
            message += "; save it as Tests/FuzhengCoreTests/Fixtures/fuzz-corpus/\(name)/<what-it-is>.txt "
                + "(`fuzheng fuzz --target \(name) --count \(index + 1) --corpus DIR` writes it); it starts "
                // Escaped: a raw control character in an issue's comment can swallow the whole issue.
                + String(target.input(index, seed: Self.smokeSeed).prefix(300)).debugDescription
        }
        Issue.record(Comment(rawValue: message))
    }
}

enum FuzzCorpus {
    static func targets() throws -> [FuzzTarget] { FuzzTargets.core(disclosureSeed: try Fixture.huailai) }

    static func root() throws -> URL {
        guard let url = Bundle.module.url(forResource: "fuzz-corpus", withExtension: nil, subdirectory: "Fixtures")
        else { throw CocoaError(.fileNoSuchFile) }
        return url
    }

    static func files(_ target: String) throws -> [URL] {
        let folder = try root().appendingPathComponent(target, isDirectory: true)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A file the child process writes before each input and the parent reads after a trap: the exit test's
    /// result is nil when it fails, so its captured output cannot say which input it was.
    static func progressFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(name)-\(UUID().uuidString).txt").path
    }

    static func note(_ text: String, to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    static func lastNote(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(none started)"
    }
}
