import Fluent
import Foundation
import FuzhengCore
import Vapor

/// Who hears of each move of a received document, in the in-app inbox, inside the move's transaction: a 批示 reaches
/// everyone it names at once.
enum IncomingNotices {
    static let handlerRoles: [Role] = [.officeStaff, .clerk, .unitHead]

    static func link(_ m: IncomingModel) -> String { SiteRoute.incomingItem(id: m.id?.uuidString ?? "").path }

    /// The receiving unit's office, which proposes (拟办).
    static func proposers(_ m: IncomingModel, unitCode: String, at: Date, on tx: Database) async throws {
        for role in [Role.officeStaff, .clerk] {
            try await Notifier.notify(role: role, unitCode: unitCode, message: Message("incoming.notify.propose",
                                      m.title), link: link(m), at: at, on: tx)
        }
    }

    /// The people who handle for a unit (承办, 协办).
    static func handlers(_ unitCode: String, _ message: Message, link: String, at: Date, on tx: Database)
        async throws {
        for role in handlerRoles {
            try await Notifier.notify(role: role, unitCode: unitCode, message: message, link: link, at: at, on: tx)
        }
    }

    static func person(_ username: String, _ message: Message, link: String, at: Date, on tx: Database)
        async throws {
        guard let u = try await UserModel.query(on: tx).filter(\.$username == username).filter(\.$isActive == true)
            .first() else { return }
        try await Notifier.notify(userID: try u.requireID(), message: message, link: link, at: at, on: tx)
    }

    static func after(_ action: String, _ m: IncomingModel, from: IncomingState, by user: CurrentUser, note: String,
                      at: Date, on tx: Database) async throws {
        let s = m.state
        let path = link(m)
        switch action {
        case "register":
            try await proposers(m, unitCode: m.unit.code, at: at, on: tx)
        case "propose":
            try await Notifier.settle(link: path, at: at, on: tx)
            if let leader = s.nextLeader {
                try await person(leader.username, Message("incoming.notify.instruct", m.title), link: path, at: at,
                                 on: tx)
            }
        case "instruct":
            try await Notifier.settle(link: path, userID: user.id, at: at, on: tx)
            if let leader = s.nextLeader {
                try await person(leader.username, Message("incoming.notify.instruct", m.title), link: path, at: at,
                                 on: tx)
            }
            if let lead = s.lead, s.step == .handle || s.instructions.last?.lead != nil {
                try await handlers(lead, Message("incoming.notify.handle", m.title, s.due?.description ?? ""),
                                   link: path, at: at, on: tx)
                for unit in s.assisting {
                    try await handlers(unit, Message("incoming.notify.assist", m.title), link: path, at: at, on: tx)
                }
            }
            // The office hears of the 批示 unless it handles the document itself and was just told so.
            if s.lead != m.unit.code || s.step != .handle {
                for role in [Role.officeStaff, .clerk] {
                    try await Notifier.notify(role: role, unitCode: m.unit.code, message: Message(
                        "incoming.notify.instructed", user.displayName, m.title), link: path, at: at, on: tx)
                }
            }
        case "assist":
            if let lead = s.lead {
                try await handlers(lead, Message("incoming.notify.assisted", m.title), link: path, at: at, on: tx)
            }
        case "complete":
            try await Notifier.settle(link: path, at: at, on: tx)
            for role in [Role.officeStaff, .clerk] {
                try await Notifier.notify(role: role, unitCode: m.unit.code, message: Message(
                    "incoming.notify.done", m.title), link: path, at: at, on: tx)
            }
        case "remind":
            if let lead = s.lead {
                try await handlers(lead, Message("incoming.notify.urged", m.title, note), link: path, at: at, on: tx)
            }
        default:
            break
        }
    }
}
