import Fluent
import FuzhengCore
import Plot
import Vapor

/// 审计管理员 reads the trail: a filtered list, a CSV export and a chain check.
enum AuditController {
    static let perPage = 50
    static let exportLimit = 100_000

    static func filter(_ req: Request) -> AuditFilter {
        func q(_ name: String) -> String { ((try? req.query.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces) }
        return AuditFilter(username: q("username"), action: q("action"), result: q("result"), from: q("from"), to: q("to"))
    }

    static func list(req: Request) async throws -> Response {
        try await req.require(.readAuditLog)
        let filter = filter(req)
        let page = NumberInput.page(try? req.query.get(String.self, at: "page"))
        let result = try await AuditQueries.page(filter, page: page, perPage: perPage, on: req.db)
        return AuditView.list(req.pageContext(), filter: filter, page: page, result: result)
    }

    static func export(req: Request) async throws -> Response {
        try await req.require(.readAuditLog)
        let filter = filter(req)
        let records = try await AuditQueries.all(filter, limit: exportLimit, on: req.db)
        try await req.audit(AuditEvent(.auditExport, objectType: "audit", summary: "filter: \(filter.queryString); rows=\(records.count)"))
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(.attachment, filename: "fuzheng-audit.csv")
        return Response(status: .ok, headers: headers, body: .init(string: AuditQueries.csv(records)))
    }

    static func verify(req: Request) async throws -> Response {
        try await req.require(.readAuditLog)
        let outcome = try await AuditLog.verify(on: req.db, files: req.files)
        try await req.audit(AuditEvent(.auditVerify, objectType: "audit",
                                       summary: outcome.firstBreak.map { "broken at \($0.sequence)" } ?? "intact: \(outcome.checked)",
                                       result: outcome.firstBreak == nil ? .success : .failure))
        return AuditView.verify(req.pageContext(), checked: outcome.checked, firstBreak: outcome.firstBreak)
    }
}

enum AuditView {
    static func list(_ ctx: PageContext, filter: AuditFilter, page: Int, result: (items: [AuditRecordModel], total: Int)) -> Response {
        let l = ctx.l
        let exportLink = SiteRoute.auditExport.path + (filter.queryString.isEmpty ? "" : "?" + filter.queryString)
        return Layout.page(
            ctx, title: l("nav.audit"),
            .form(
                .class("card filters"), .method(.get), .action(SiteRoute.audit.path),
                Form.field(label: l("audit.username"), name: "username", value: filter.username),
                Form.select(label: l("audit.action"), name: "action",
                            options: [("", l("audit.any"))] + AuditAction.allCases.map { ($0.rawValue, l("audit.action.\($0.rawValue)")) },
                            selected: filter.action, required: false),
                Form.select(label: l("audit.result"), name: "result",
                            options: [("", l("audit.any"))] + AuditResult.allCases.map { ($0.rawValue, l("audit.result.\($0.rawValue)")) },
                            selected: filter.result, required: false),
                Form.dateField(label: l("audit.from"), name: "from", value: filter.from, hint: l("form.dateHint")),
                Form.dateField(label: l("audit.to"), name: "to", value: filter.to, hint: l("form.dateHint")),
                .div(.class("form-actions"),
                     .button(.type(.submit), .class("button primary"), .text(l("list.filter"))),
                     .a(.class("button secondary"), .href(exportLink), .text(l("audit.exportCSV"))),
                     .a(.class("button secondary"), .href(SiteRoute.auditVerify.path), .text(l("audit.verify.title"))))
            ),
            .if(result.items.isEmpty, .p(.class("empty"), .text(l("audit.empty")))),
            .if(!result.items.isEmpty, .div(.class("table-scroll"), .table(
                .class("data audit"),
                .thead(.tr(.th(.text("#")), .th(.text(l("audit.time"))), .th(.text(l("audit.username"))), .th(.text(l("audit.unit"))),
                           .th(.text(l("audit.ip"))), .th(.text(l("audit.action"))), .th(.text(l("audit.object"))),
                           .th(.text(l("audit.summary"))), .th(.text(l("audit.result"))))),
                .tbody(.forEach(result.items) { r in
                    .tr(.td(.text(String(r.id ?? 0))), .td(.text(AuditFilter.display(r.occurredAt))), .td(.text(r.username ?? "")),
                        .td(.text(r.unitCode ?? "")), .td(.text(r.clientIP ?? "")),
                        .td(.text(l("audit.action.\(r.action)"))),
                        .td(.text([r.objectType, r.objectID].compactMap { $0 }.joined(separator: ":"))),
                        .td(.class("summary"), .text(r.summary ?? "")),
                        .td(.span(.class(r.result == "success" ? "tag ok" : "tag off"), .text(l("audit.result.\(r.result)")))))
                })
            ))),
            Pager.render(l, basePath: SiteRoute.audit.path, query: "", page: page, perPage: AuditController.perPage,
                         total: result.total, extraQuery: filter.queryString)
        ).response()
    }

    static func verify(_ ctx: PageContext, checked: Int, firstBreak: AuditChain.Break?) -> Response {
        let l = ctx.l
        let message: String = switch firstBreak {
        case nil: l("audit.verify.ok", String(checked))
        case .contentAltered(let seq)?: l("audit.verify.altered", String(seq))
        case .linkBroken(let seq)?: l("audit.verify.link", String(seq))
        case .sequenceGap(let after, let found)?: l("audit.verify.gap", String(after), String(found))
        }
        return Layout.page(
            ctx, title: l("audit.verify.title"),
            .alert(message, kind: firstBreak == nil ? "success" : "error"),
            .p(.class("muted"), .text(l("audit.verify.explain"))),
            .p(.a(.class("button secondary"), .href(SiteRoute.audit.path), .text(l("nav.audit"))))
        ).response()
    }
}
