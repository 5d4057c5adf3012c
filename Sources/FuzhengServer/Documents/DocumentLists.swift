import Fluent
import Foundation
import FuzhengCore
import Vapor

/// 发文 lists — 待办, my drafts, 已办, all of my unit — and the 发文登记簿 with its XLSX export.
enum DocumentLists {
    static let perPage = 20

    struct ListQuery: Content {
        var view: String?
        var year: String?
        var type: String?
        var step: String?
        var q: String?
        var page: String?
    }

    struct Model: Sendable {
        var view: String
        var query: ListQuery
        var rows: [DocumentQueries.ListRow]
        var total: Int
        var page: Int
        var canDraft: Bool
        var flash: String?
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let q = try req.query.decode(ListQuery.self)
        let view = ["todo", "mine", "done", "all"].contains(q.view ?? "") ? q.view! : "todo"
        let page = NumberInput.page(q.page)
        let text = (q.q ?? "").trimmingCharacters(in: .whitespaces)
        let canDraft = AccessPolicy.allows(user.principal, .office(.draftDocument, Target(unitCode: user.unitCode)))
        if view == "all", !text.isEmpty, let found = try await SearchIndex.page(
            kind: "document", query: String(text.prefix(100)),
            audience: .scopes(try await DocumentQueries.reachableUnitIDs(user.principal, on: req.db)?
                .map(\.uuidString)),
            offset: (page - 1) * perPage, limit: perPage, verify: DocumentQueries.holds(text), on: req.db) {
            // The index knows each document's unit and leaves restricted ones out: one page, counted there.
            let models = try await DocumentQueries.load(found.ids, on: req.db)
            return DocumentListView.render(req.pageContext(), Model(
                view: view, query: q, rows: models.map(DocumentQueries.row), total: found.total, page: page,
                canDraft: canDraft, flash: req.takeFlash()))
        }
        var models: [DocumentModel]
        switch view {
        case "todo":
            models = try await DocumentQueries.load(DocumentQueries.waiting(for: user.principal, on: req.db).map(\.id),
                                                    on: req.db)
        case "mine":
            models = try await DocumentModel.query(on: req.db).with(\.$unit).filter(\.$draftedBy == user.username)
                .sort(\.$updatedAt, .descending).limit(500).all()
        case "done":
            let ids = try await DocumentEventModel.query(on: req.db).filter(\.$username == user.username)
                .all(\.$document.$id)
            models = try await DocumentModel.query(on: req.db).with(\.$unit).filter(\.$id ~~ Array(Set(ids)))
                .sort(\.$updatedAt, .descending).limit(500).all()
        default:
            models = try await DocumentQueries.reachable(user.principal, on: req.db, limit: 5000)
            var visible: [DocumentModel] = []
            for m in models {
                if !m.restricted { visible.append(m); continue }
                if try await DocumentQueries.canView(user.principal, username: user.username, model: m, on: req.db) {
                    visible.append(m)
                }
            }
            models = visible
        }
        if !text.isEmpty {
            // A person's own lists are short: the text itself is checked.
            models = models.filter { m in
                m.title.contains(text) || (m.numberText ?? "").contains(text)
                    || ((try? m.decoded().body.contains(text)) ?? false)
            }
        }
        if let text = q.year, !text.isEmpty, case .success(let year) = NumberInput.integer(text, range: 2000...2100) {
            models = models.filter { $0.year == year }
        }
        if let type = q.type, !type.isEmpty { models = models.filter { $0.type == type } }
        if let step = q.step, !step.isEmpty { models = models.filter { $0.step == step } }
        let total = models.count
        let rows = models.dropFirst((page - 1) * perPage).prefix(perPage).map(DocumentQueries.row)
        return DocumentListView.render(req.pageContext(), Model(
            view: view, query: q, rows: Array(rows), total: total, page: page, canDraft: canDraft,
            flash: req.takeFlash()))
    }

    struct RegisterRow: Sendable {
        var number: String
        var state: String
        var reason: String
        var documentID: String
        var title: String
        var at: Date
        var by: String
    }

    /// Every number of the year, in order, voided ones included: a register a clerk can check line by line.
    static func registerRows(_ req: Request, year: Int) async throws -> [RegisterRow] {
        let user = try req.requireUser()
        let numbers = try await DocumentNumberModel.query(on: req.db).filter(\.$year == year)
            .with(\.$document) { $0.with(\.$unit) }.sort(\.$prefix).sort(\.$seq).all()
        var out: [RegisterRow] = []
        for n in numbers {
            let doc = n.document
            guard try await DocumentQueries.canView(user.principal, username: user.username, model: doc, on: req.db)
            else { continue }
            out.append(RegisterRow(number: n.number.description, state: n.state, reason: n.reason,
                                   documentID: try doc.requireID().uuidString, title: doc.title, at: n.at,
                                       by: n.username))
        }
        return out
    }

    static func year(_ req: Request) -> Int {
        (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil }
            ?? Calendar.chinaYear(req.now)
    }

    static func register(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let year = year(req)
        return DocumentRegisterView.render(req.pageContext(), year: year, rows: try await registerRows(req, year: year))
    }

    static func registerExport(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let year = year(req)
        let rows = try await registerRows(req, year: year)
        let l = req.l10n
        let sheet = [[l("document.register.number"), l("document.title"), l("document.register.state"),
                      l("document.register.date"), l("document.register.by"), l("document.register.reason")]]
            + rows.map { r in
                [r.number, r.title, l("document.register.\(r.state)"), DelegationController.day(r.at), r.by, r.reason]
            }
        let data = PlainWorkbook.make([(name: "发文登记簿\(year)", rows: sheet)])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: WorkbookController.mediaType)
        headers.contentDisposition = .init(.attachment, filename: "document-register-\(year).xlsx")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

/// The 工作台's 公文 work: what waits for this person's step.
struct DocumentTaskSource: TaskSource {
    var id: String { "documents.todo" }
    var titleKey: String { "workbench.source.documents" }

    func applies(to user: CurrentUser) -> Bool {
        let roles: Set<Role> = [.unitHead, .checker, .leader, .clerk]
        return !Set(user.principal.grants.map(\.role)).isDisjoint(with: roles)
    }

    func items(for user: CurrentUser, in c: TaskContext) async throws -> [WorkItem] {
        try await DocumentQueries.waiting(for: user.principal, limit: 50, on: c.db).map { r in
            WorkItem(title: r.title, detail: c.l("document.step.\(r.step)"),
                     link: SiteRoute.document(id: r.id.uuidString).path)
        }
    }
}
