import Foundation
import FuzhengCore
import Plot
import Vapor

enum DocumentSearchView {
    static func render(_ ctx: PageContext, _ f: DocumentSearch.Filters, result: DocumentSearch?, page: Int,
                       units: [(code: String, name: String)]) -> Response {
        let l = ctx.l
        let kinds = ["all", "outgoing", "incoming"].map { ($0, l("search.kind.\($0)")) }
        let types = [("", l("search.anyType"))] + DocumentType.allCases.map { ($0.rawValue, l.term($0.nameZh)) }
        let states = ["", "open", "done", "archived"].map { ($0, l("search.state.\($0.isEmpty ? "any" : $0)")) }
        let unitOptions = [("", l("search.anyUnit"))] + units.map { ($0.code, $0.name) }
        let names = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var extra = ["kind=\(f.kind)", "type=\(f.type)", "state=\(f.state)"]
        if let y = f.year { extra.append("year=\(y)") }
        if !f.unitCode.isEmpty { extra.append("unit=" + QueryText.encode(f.unitCode)) }
        if !f.code.isEmpty { extra.append("code=" + QueryText.encode(f.code)) }
        return Layout.page(
            ctx, title: l("search.title"),
            .p(.class("lead"), .text(l("search.lead"))),
            .form(.class("card filters"), .method(.get), .action(SiteRoute.search.path),
                  Form.field(label: l("search.words"), name: "q", value: f.query, type: .search, autocomplete: "off"),
                  .div(.class("filter-row"),
                       Form.select(label: l("search.kind"), name: "kind", options: kinds, selected: f.kind,
                                   required: false),
                       Form.field(label: l("search.year"), name: "year", value: f.year.map(String.init) ?? "",
                                  autocomplete: "off", inputMode: "numeric"),
                       Form.select(label: l("search.unit"), name: "unit", options: unitOptions, selected: f.unitCode,
                                   required: false),
                       Form.select(label: l("search.type"), name: "type", options: types, selected: f.type,
                                   required: false),
                       Form.select(label: l("search.state"), name: "state", options: states, selected: f.state,
                                   required: false),
                       Form.field(label: l("search.code"), name: "code", value: f.code, autocomplete: "off",
                                  hint: l("search.codeHint"))),
                  .button(.type(.submit), .class("button primary"), .text(l("search.submit")))),
            .unwrap(result) { r in
                .group(
                    .p(.class("muted"), .text(r.capped ? l("search.countCapped", String(r.total))
                                                       : l("search.count", String(r.total)))),
                    .if(r.rows.isEmpty, .p(.class("empty"), .text(l("search.none")))),
                    .ul(.class("work-list"), .forEach(r.rows) { row in
                        let path = row.kind == "outgoing" ? SiteRoute.document(id: row.id.uuidString).path
                            : SiteRoute.incomingItem(id: row.id.uuidString).path
                        let step = row.kind == "outgoing" ? l("document.step.\(row.step)")
                            : l("incoming.step.\(row.step)")
                        let detail = [l("search.kind.\(row.kind)"), row.number, names[row.unitCode] ?? row.unitCode,
                                      String(row.year), step, row.code ?? ""].filter { !$0.isEmpty }
                            .joined(separator: " · ")
                        return .li(.class("work-item"), .a(.href(path),
                            .span(.class("work-title"), .text(row.title)),
                            .span(.class("work-detail"), .text(detail))))
                    }),
                    Pager.render(l, basePath: SiteRoute.search.path, query: f.query, page: page,
                                 perPage: DocumentSearch.perPage, total: r.total,
                                 extraQuery: extra.joined(separator: "&")))
            })
        .response()
    }
}

enum SearchController {
    struct Query: Content {
        var q: String?
        var kind: String?
        var year: String?
        var unit: String?
        var type: String?
        var state: String?
        var code: String?
        var page: String?
    }

    static func canSearch(_ p: Principal) -> Bool {
        p.grants.contains { [.officeStaff, .clerk, .checker, .unitHead, .leader, .archivist].contains($0.role) }
    }

    static func search(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard canSearch(user.principal) else { throw Abort(.forbidden, reason: "access.denied") }
        let q = try req.query.decode(Query.self)
        var f = DocumentSearch.Filters()
        f.query = String((q.q ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        f.kind = ["outgoing", "incoming"].contains(q.kind ?? "") ? q.kind! : "all"
        if let text = q.year, case .success(let y) = NumberInput.integer(text, range: 2000...2100) { f.year = y }
        f.type = DocumentType(rawValue: q.type ?? "")?.rawValue ?? ""
        f.state = ["open", "done", "archived"].contains(q.state ?? "") ? q.state! : ""
        f.code = String((q.code ?? "").trimmingCharacters(in: .whitespaces).uppercased().prefix(40))
        let page = NumberInput.page(q.page)
        let units = try await IncomingQueries.units(on: req.db).filter { u in
            user.principal.grants.contains { $0.reach.covers(Target(unitCode: u.code)) }
        }
        f.unitCode = units.contains { $0.code == q.unit } ? q.unit ?? "" : ""
        let asked = !f.query.isEmpty || f.year != nil || !f.unitCode.isEmpty || !f.type.isEmpty || !f.state.isEmpty
            || !f.code.isEmpty || f.kind != "all"
        let result = asked ? try await DocumentSearch.query(f, principal: user.principal, page: page, on: req.db)
            : nil
        return DocumentSearchView.render(req.pageContext(), f, result: result, page: page, units: units)
    }
}
