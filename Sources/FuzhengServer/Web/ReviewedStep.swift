import Fluent
import FuzhengCore
import Vapor

/// A version claimed in a write and found taken: another tab or person saved first.
struct VersionConflict: Error {}

/// One step of a document reviewed along a `ReviewPath` (the 监控表, the 自评表). Refusals are answered alike — denied
/// and audited, a reason asked for, the incomplete document shown again — and the step is one audited transaction:
/// the document's open notices settled, the module's write (the document with its version claimed, its event, the
/// notices of the next step), the move in the audit trail. Flash keys: `<module>.done.<action>`, `.conflict`,
/// `.commentRequired`, `.incomplete`.
enum ReviewedStep {
    /// `render` shows the document again with a flash (an incomplete one, `problems` to fix); `notice` goes to the
    /// next person, `write` stores the document and its event.
    static func run<Status: RawRepresentable & Sendable, Action: RawRepresentable & Sendable>(
        _ req: Request, _ decision: Result<Status, ReviewPath<Status, Action>.Refusal>, module: String,
        what: String, from: Status, action: Action, comment: String, path: String, unitCode: String,
        notice: (role: Role, message: Message)?, problems: Int,
        render: (PageContext, (text: String, isError: Bool)) -> Response,
        write: @escaping @Sendable (Database, Status) async throws -> Void
    ) async throws -> Response where Status.RawValue == String, Action.RawValue == String {
        switch decision {
        case .failure(.notYourStep), .failure(.notAllowedFromStatus):
            try await req.audit(AuditEvent(.accessDenied, objectType: module, objectID: path,
                                           summary: "\(action.rawValue) from \(from.rawValue)", result: .denied))
            throw Abort(.forbidden, reason: "access.denied")
        case .failure(.commentRequired):
            req.setFlash("\(module).commentRequired", error: true)
            return req.redirect(within: path + "#workflow")
        case .failure(.incomplete):
            let ctx = req.pageContext()
            return render(ctx, (ctx.l("\(module).incomplete", String(problems)), true))
        case .success(let to):
            let now = req.now
            do {
                try await req.audited { tx, audit in
                    // Before the write, whose notices for the next person carry the same link.
                    try await Notifier.settle(link: path, at: now, on: tx)
                    try await write(tx, to)
                    if let notice {
                        try await Notifier.notify(role: notice.role, unitCode: unitCode, message: notice.message,
                                                  link: path, at: now, on: tx)
                    }
                    audit.add(AuditEvent(.update, objectType: module, objectID: path,
                                         summary: "\(what) \(action.rawValue)：\(from.rawValue) → \(to.rawValue)"
                                             + (comment.isEmpty ? "" : "；意见：\(comment)")))
                }
            } catch is VersionConflict {
                req.setFlash("\(module).conflict", error: true)
                return req.redirect(within: path)
            }
            req.setFlash("\(module).done.\(action.rawValue)")
            return req.redirect(within: path)
        }
    }
}
