import ConsoleKit
import Fluent
import FuzhengCore
import Vapor

/// Thrown by a command to end the process with a given status after printing its message.
/// Vapor logs every command error before rethrowing it; the trace level keeps that log line out of
/// the way so `fuzheng` prints the message once, plainly.
public struct CommandExit: DebuggableError, CustomStringConvertible {
    public var status: Int32
    public var message: String
    public var description: String { message }
    public var identifier: String { "command-exit-\(status)" }
    public var reason: String { message }
    public var logLevel: Logger.Level { .trace }

    public init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }
}

/// `fuzheng audit verify`: walks the SM3 chain and reports the first broken link.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    var help: String { "Checks the audit trail's SM3 hash chain (audit verify)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            throw CommandExit(status: 2, message: "未知操作 \(signature.action)；可用：verify / unknown action \(signature.action); available: verify")
        }
        let app = context.application
        // Checking must not change the database: no migration here (on an emptied database it would create the
        // tables, and a restore into it would then be refused).
        guard try await AuditLog.hasTrail(on: app.db) else {
            throw CommandExit(status: 1, message: "数据库中没有审计记录表：这里还没有平台数据（空库？）。 "
                + "No audit trail in this database: it holds no platform data (empty?).")
        }
        let outcome = try await AuditLog.verify(on: app.db, files: app.files)
        switch outcome.firstBreak {
        case nil:
            context.console.print("审计链完整：已校验 \(outcome.checked) 条记录。 Audit chain intact: \(outcome.checked) records checked.")
        case .contentAltered(let seq)?:
            throw CommandExit(status: 1, message: "审计链断裂：第 \(seq) 条记录内容被改动。 Audit chain broken: record \(seq) was altered.")
        case .linkBroken(let seq)?:
            throw CommandExit(status: 1, message: "审计链断裂：第 \(seq) 条记录未指向前一条（记录被删除、插入或重排）。 Audit chain broken at record \(seq): its link to the previous record does not match.")
        case .sequenceGap(let after, let found)?:
            throw CommandExit(status: 1, message: "审计链断裂：第 \(after) 条之后缺少记录（下一条为 \(found)）。 Audit chain broken: records missing between \(after) and \(found).")
        }
    }
}
