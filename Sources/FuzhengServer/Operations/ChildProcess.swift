import Foundation

/// Runs an outside program (Chromium, pg_dump, pg_restore) to its end without blocking a thread: its exit is awaited
/// through the termination handler. Past `timeLimit` it is killed.
enum ChildProcess {
    static func run(_ process: Process, timeLimit: Duration? = nil) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            guard let timeLimit else { return }
            let pid = process.processIdentifier
            Task.detached {
                try? await Task.sleep(for: timeLimit)
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
    }
}
