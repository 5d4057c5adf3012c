import ConsoleKit
import Fluent
import FuzhengCore
import Vapor

/// `fuzheng security reset-2fa USER`: the way back in for an administrator who lost both the phone and the
/// recovery codes; needs shell access to the server, and is audited.
struct SecurityCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "reset-2fa")
        var action: String
        @Argument(name: "username", help: "the account")
        var username: String
    }

    var help: String { "Resets a user's second factor (security reset-2fa USER); they enrol again at next login." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "reset-2fa" else {
            throw CommandExit(status: 2, message: "未知操作 \(signature.action)；可用：reset-2fa / unknown action; available: reset-2fa")
        }
        let app = context.application
        try await app.autoMigrate()
        guard try await TwoFactorController.reset(username: signature.username, on: app) else {
            throw CommandExit(status: 1, message: "账户 \(signature.username) 不存在或未启用双因素认证。 "
                              + "No account \(signature.username) with a second factor.")
        }
        context.console.print("已重置 \(signature.username) 的双因素认证，下次登录时重新绑定（已记入审计）。 "
                              + "Second factor of \(signature.username) reset; they enrol again at next login (audited).")
    }
}
