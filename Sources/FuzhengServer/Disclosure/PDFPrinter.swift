import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// Prints a disclosure's HTML to PDF with headless Chromium (Debian's `chromium`, which .ci/run
/// installs). The path can be set with FUZHENG_CHROMIUM. Chromium is started as a child process and awaited
/// through its termination handler: no thread waits for it, and one that hangs is killed.
enum PDFPrinter {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// A print that takes longer than this is killed (a normal one takes about 3 s).
    static let timeLimit: Duration = .seconds(60)

    static func chromiumPath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let candidates = [env["FUZHENG_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser",
                          "/usr/bin/google-chrome"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func pdf(fromHTML html: String) async throws -> Data {
        guard let chromium = chromiumPath() else {
            throw Unavailable(description: "未找到 Chromium，无法生成PDF（apt-get install chromium fonts-noto-cjk，"
                + "或设置 FUZHENG_CHROMIUM）/ Chromium not found: PDF needs it")
        }
        // File work (the profile Chromium leaves behind is hundreds of files) runs on the I/O threads: on the
        // threads of Swift's concurrency it held up every page, /healthz included.
        let io = NIOThreadPool.singleton
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fz-pdf-\(UUID().uuidString)")
        let input = dir.appendingPathComponent("disclosure.html")
        let output = dir.appendingPathComponent("disclosure.pdf")
        try await io.runIfActive {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: input)
        }
        let process = Process()
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                         "--user-data-dir=\(dir.path)/profile", "--print-to-pdf=\(output.path)",
                         input.absoluteString]
        // Chromium and every helper it starts run at nice 10: a print of a dozen processes could otherwise take both
        // cores of a small server away from its pages (measured: /healthz up to 757 ms). Not 19: on a machine busy
        // with other work a print then starved past its time limit.
        // Run as root, Chromium would raise its own processes' priority again (to 0 and -8): without CAP_SYS_NICE
        // it cannot.
        let fm = FileManager.default
        if fm.isExecutableFile(atPath: "/usr/bin/nice") {
            let niced = ["/usr/bin/nice", "-n", "10", chromium] + arguments
            if geteuid() == 0, fm.isExecutableFile(atPath: "/usr/bin/setpriv") {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--bounding-set", "-sys_nice"] + niced
            } else {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
                process.arguments = Array(niced.dropFirst())
            }
        } else {
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32
        do {
            status = try await ChildProcess.run(process, timeLimit: timeLimit)
        } catch {
            try? await io.runIfActive { try? FileManager.default.removeItem(at: dir) }
            throw error
        }
        let data: Data? = try await io.runIfActive {
            defer { try? FileManager.default.removeItem(at: dir) }
            return try? Data(contentsOf: output)
        }
        guard status == 0, let data, data.starts(with: Array("%PDF".utf8)) else {
            throw Unavailable(description: "Chromium 未能生成PDF（退出码 \(status)）/ Chromium did not produce a PDF")
        }
        return data
    }
}

/// At most `workers` Chromium processes at once, and at most `queue` requests waiting for one, each for at most
/// `wait`; past that a request is told at once to try later (503). Ten public downloads at once started 22
/// Chromium processes (2.9 GB) and stalled the platform for 27 s.
final class PDFWorkers: Sendable {
    struct Busy: Error {}

    let workers: Int
    let queue: Int
    let wait: Duration
    private struct State {
        var running = 0
        var waiting: [(id: UUID, continuation: CheckedContinuation<Void, any Error>)] = []
    }
    private let state = NIOLockedValueBox(State())

    init(workers: Int, queue: Int, wait: Duration = .seconds(30)) {
        self.workers = workers
        self.queue = queue
        self.wait = wait
    }

    /// Runs `work` on one of the workers, waiting for one if needed; throws `Busy` if none is free in time.
    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async throws {
        let id = UUID()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let admitted: Bool? = state.withLockedValue { s in
                if s.running < workers {
                    s.running += 1
                    return true
                }
                guard s.waiting.count < queue else { return false }
                s.waiting.append((id, continuation))
                return nil
            }
            switch admitted {
            case true?: continuation.resume()
            case false?: continuation.resume(throwing: Busy())
            case nil:
                Task.detached { [wait] in
                    try? await Task.sleep(for: wait)
                    self.giveUp(id)
                }
            }
        }
    }

    private func giveUp(_ id: UUID) {
        let expired = state.withLockedValue { s -> CheckedContinuation<Void, any Error>? in
            guard let index = s.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiting.remove(at: index).continuation
        }
        expired?.resume(throwing: Busy())
    }

    private func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, any Error>? in
            if s.waiting.isEmpty {
                s.running -= 1
                return nil
            }
            return s.waiting.removeFirst().continuation
        }
        next?.resume()
    }

    /// Running and waiting, for /metrics and tests.
    var load: (running: Int, waiting: Int) { state.withLockedValue { ($0.running, $0.waiting.count) } }
}

/// One print per version however many readers ask at once: the first reader's request prints, the others await it.
final class PrintsInFlight: Sendable {
    private let running = NIOLockedValueBox<[String: Task<Data, any Error>]>([:])

    func data(for key: String, _ make: @escaping @Sendable () async throws -> Data) async throws -> Data {
        let task = running.withLockedValue { r -> Task<Data, any Error> in
            if let existing = r[key] { return existing }
            let task = Task { try await make() }
            r[key] = task
            return task
        }
        defer { _ = running.withLockedValue { $0.removeValue(forKey: key) } }
        return try await task.value
    }
}

/// The platform's one print-once PDF cache: the file store by (kind, key), one print per key however many readers
/// ask at once, on the bounded Chromium workers. A PDF that shows something kept secret (a seal) is stored sealed
/// with `box`, so the file store holds no clear copy of it.
enum PDFCache {
    static func data(kind: String, key: String, box: SecretBox? = nil, app: Application, on db: Database,
                     print: @escaping @Sendable () async throws -> Data) async throws -> Data {
        let files = app.files
        @Sendable func stored() async throws -> Data? {
            guard let found = try await StoredFiles.find(kind: kind, key: key, on: db),
                  let data = try? await files.get(found.digest) else { return nil }
            guard let box else { return data }
            return (try? box.open([UInt8](data))).map { Data($0) }
        }
        if let data = try await stored() { return data }
        let now = app.fuzheng.clock.now()
        let workers = app.fuzheng.pdfWorkers
        return try await app.fuzheng.printsInFlight.data(for: kind + ":" + key) { try await workers.run {
            // Readers who asked for the same key at once waited here; the first one's print serves them, so it is
            // stored before this worker is let go.
            if let data = try await stored() { return data }
            let pdf = try await print()
            let kept = box.map { Data($0.seal([UInt8](pdf))) } ?? pdf
            let digest = try await files.put(kept)
            try await StoredFiles.record(
                StoredFileModel(kind: kind, key: key, digest: digest, byteCount: kept.count,
                                mediaType: box == nil ? "application/pdf" : "application/octet-stream", createdAt: now),
                on: db)
            return pdf
        } }
    }

    /// The printer's errors on a request's path: every worker busy → 503 with Retry-After; no Chromium → 503.
    static func serving<T>(_ req: Request, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch is PDFWorkers.Busy {
            req.logger.warning("PDF workers busy: \(req.url.path) told to retry")
            throw Abort(.serviceUnavailable, headers: [HTTPHeaders.Name.retryAfter.description: "10"],
                        reason: "error.pdfBusy")
        } catch let error as PDFPrinter.Unavailable {
            req.logger.error("\(error.description)")
            throw Abort(.serviceUnavailable, reason: "error.pdfUnavailable")
        }
    }
}
