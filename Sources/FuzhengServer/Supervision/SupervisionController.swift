import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// 督查督办's pages: the list (a leader's red items and own 批示 first), 立项, the item, its 督办单 for print, the
/// files, the statistics with drill-down, the monthly 通报 and a proposal's 答复函 as drafts in the 公文 module.
enum SupervisionController {
    static func requireUse(_ req: Request) async throws -> CurrentUser {
        let user = try req.requireUser()
        guard SupervisionQueries.canUse(user.principal) else { try await SupervisionSteps.denied(req, nil, "督办") }
        return user
    }

    struct ListQuery: Content {
        var view: String?
        var colour: String?
        var source: String?
        var unit: String?
        var q: String?
        var rate: String?
        var from: String?
        var to: String?
        var page: String?
    }

    static func list(req: Request) async throws -> Response {
        let user = try await requireUse(req)
        let q = try req.query.decode(ListQuery.self)
        var f = SupervisionListPage.Filter()
        f.view = ["open", "closed", "all"].contains(q.view ?? "") ? q.view! : "open"
        f.colour = ["red", "yellow", "green"].contains(q.colour ?? "") ? q.colour! : ""
        f.source = SupervisionSource(rawValue: q.source ?? "")?.rawValue ?? ""
        f.unit = String((q.unit ?? "").prefix(20))
        f.query = String((q.q ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        f.from = q.from.flatMap(DayInput.iso).flatMap(CivilDay.init)
        f.to = q.to.flatMap(DayInput.iso).flatMap(CivilDay.init)
        f.rate = ["due", "closed", "ontime", "open", "early"].contains(q.rate ?? "") && f.from != nil && f.to != nil
            ? q.rate! : ""
        f.page = NumberInput.page(q.page)
        let today = CivilDay(req.now)
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: req.now)
        // The units are read once for the whole page (reach, names, the filter), as on the 工作台.
        let page = try await UnitsMemo.$current.withValue(UnitsMemo()) {
            try await SupervisionListPage.query(on: req.db, user: user, filter: f, today: today, calendar: calendar)
        }
        return SupervisionListView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    struct NewQuery: Content {
        var incoming: String?
        var document: String?
        var source: String?
    }

    static func new(req: Request) async throws -> Response {
        let user = try await requireUse(req)
        guard SupervisionQueries.supervises(user.principal) else { try await SupervisionSteps.denied(req, nil, "立项") }
        let q = try req.query.decode(NewQuery.self)
        var fields: [String: String] = ["source": SupervisionSource(rawValue: q.source ?? "")?.rawValue ?? "meeting",
                                        "cycle": "monthly", "cycle_day": "25", "kind": "general"]
        var sourceTitle: String?
        if let id = q.incoming.flatMap(UUID.init(uuidString:)), let m = try await IncomingModel.find(id, on: req.db) {
            // 领导批示: the 批示 that decided the document, its leader and what it asked for.
            let s = m.state
            let last = s.instructions.last
            fields["incoming"] = id.uuidString
            fields["source"] = SupervisionSource.instruction.rawValue
            fields["title"] = m.title
            fields["source_text"] = [last.map { "\($0.leader.name)批示：\($0.text)" }, m.numberText]
                .compactMap { $0 }.joined(separator: "（") + (last != nil && m.numberText != nil ? "）" : "")
            fields["lead"] = s.lead ?? ""
            fields["assisting"] = s.assisting.joined(separator: ",")
            fields["leader"] = last?.leader.username ?? ""
            fields["deadline"] = s.due?.description ?? ""
            fields["kind"] = "key"
            sourceTitle = [m.numberText, m.title].compactMap { $0 }.joined(separator: " ")
        } else if let id = q.document.flatMap(UUID.init(uuidString:)),
                  let d = try await DocumentModel.find(id, on: req.db) {
            // 常务会议纪要: the meeting's decisions become items; the 纪要 is the source.
            fields["document"] = id.uuidString
            fields["source"] = SupervisionSource.meeting.rawValue
            fields["source_text"] = [d.numberText, d.title].compactMap { $0 }.joined(separator: " ")
            sourceTitle = fields["source_text"]
        }
        return try await newPage(req, fields: fields, problems: [], status: .ok, sourceTitle: sourceTitle)
    }

    static func newPage(_ req: Request, fields: [String: String], problems: [FieldProblem],
                        status: HTTPResponseStatus, sourceTitle: String? = nil) async throws -> Response {
        let units = try await UnitsMemo.all(on: req.db).filter(\.is_active).map { (code: $0.code, name: $0.name) }
        let leaders = try await IncomingQueries.leaders(on: req.db).map { (username: $0.username, name: $0.name) }
        return SupervisionNewView.render(req.pageContext(), SupervisionNewPage(fields: fields, problems: problems,
                                                                              units: units, leaders: leaders,
                                                                              sourceTitle: sourceTitle),
                                         status: status)
    }

    static func viewable(_ req: Request) async throws -> (CurrentUser, SupervisionItemModel) {
        let user = try await requireUse(req)
        let m = try await SupervisionQueries.find(req)
        let reach = try await SupervisionQueries.reach(user.principal, on: req.db)
        guard SupervisionQueries.canView(user, m, reach: reach) else {
            try await SupervisionSteps.denied(req, m.id, "view")
        }
        return (user, m)
    }

    static func item(req: Request) async throws -> Response {
        let (user, m) = try await viewable(req)
        let today = CivilDay(req.now)
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: req.now)
        let page = try await SupervisionItemPage.query(on: req.db, item: m, user: user, today: today,
                                                       calendar: calendar)
        return SupervisionItemView.render(req.pageContext(), page, today: today, flash: req.takeFlashWithKind())
    }

    /// The 督办单 as a standalone page to print: styles inline, nothing loaded, no script.
    static func sheet(req: Request) async throws -> Response {
        let (_, m) = try await viewable(req)
        var code = ""
        if let aid = m.archiveItemID { code = try await ArchiveItemModel.find(aid, on: req.db)?.code ?? "" }
        let html = try await SupervisionSheet.html(m, code: code, on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        headers.replaceOrAdd(name: "Content-Security-Policy",
                             value: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    static func file(req: Request) async throws -> Response {
        let user = try await requireUse(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let f = try await SupervisionFileModel.query(on: req.db).filter(\.$id == id).with(\.$item).first()
        else { throw Abort(.notFound) }
        let reach = try await SupervisionQueries.reach(user.principal, on: req.db)
        guard SupervisionQueries.canView(user, f.item, reach: reach) else {
            try await SupervisionSteps.denied(req, f.item.id, "file")
        }
        let data = try await req.application.fuzheng.files.get(f.digest)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: f.contentType)
        // Photos open in the browser; anything else is downloaded.
        headers.contentDisposition = .init(f.contentType.hasPrefix("image/") ? .inline : .attachment, filename: f.name)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    struct StatsQuery: Content {
        var from: String?
        var to: String?
        var unit: String?
        var ranking: String?
    }

    static func statistics(req: Request) async throws -> Response {
        let user = try await requireUse(req)
        let q = try req.query.decode(StatsQuery.self)
        let today = CivilDay(req.now)
        let (from, to) = SupervisionStatsPage.period(from: q.from, to: q.to, today: today)
        let page = try await UnitsMemo.$current.withValue(UnitsMemo()) {
            try await SupervisionStatsPage.query(on: req.db, figures: req.application.fuzheng.supervisionFigures,
                                                 user: user, from: from, to: to,
                                                 unit: String((q.unit ?? "").prefix(20)), today: today,
                                                 wholeRanking: q.ranking == "all")
        }
        return SupervisionStatsView.render(req.pageContext(), page, flash: req.takeFlashWithKind())
    }

    struct BulletinForm: Content {
        var month: String?
    }

    /// The monthly 督查通报 as a draft 通报 of the 督查室's unit, for review and issue through the 公文 flow.
    static func bulletin(req: Request) async throws -> Response {
        let user = try await requireUse(req)
        guard SupervisionQueries.supervises(user.principal) else { try await SupervisionSteps.denied(req, nil, "通报") }
        let form = try req.content.decode(BulletinForm.self)
        let parts = (form.month ?? "").split(whereSeparator: { "-/.年月".contains($0) }).map(String.init)
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...2199).contains(year),
              (1...12).contains(month),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == user.unitCode).first() else {
            req.setFlash("supervision.bulletin.badMonth", error: true)
            return req.redirect(within: SiteRoute.supervisionStatistics.path + "#bulletin")
        }
        let now = req.now
        let today = CivilDay(now)
        let (from, to) = SupervisionStatsPage.monthOf(CivilDay(year: year, month: month, day: 1))
        let statistics = SupervisionStatistics.make(cells: try await SupervisionQueries.periodCells(
            from: from, to: to, reach: nil, unit: nil, username: user.username, on: req.db))
        let names = try await SupervisionQueries.unitNames(on: req.db)
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: now)
        guard let sql = req.db as? SQLDatabase else { throw Abort(.internalServerError) }
        // Red in the month: due in it and not closed by the deadline in force (closed late, or still open), and
        // anything due earlier still open.
        struct Late: Decodable {
            var title: String
            var lead_unit: String
            var stat_due_on: String
            var closed_on: String?
        }
        let late = try await sql.raw("""
            SELECT title, lead_unit, stat_due_on, closed_on FROM supervision_items
            WHERE has_children = \(bind: false) AND stat_due_on <= \(bind: to.description) AND (
              (stat_due_on >= \(bind: from.description) AND closed_on IS NOT NULL AND closed_on > stat_due_on)
              OR (closed_on IS NULL AND stat_due_on < \(bind: today.description)))
            ORDER BY stat_due_on, title LIMIT 50
            """).all(decoding: Late.self)
        let red = late.compactMap { r -> SupervisionBulletin.RedItem? in
            guard let due = CivilDay(r.stat_due_on) else { return nil }
            let closed = r.closed_on.flatMap(CivilDay.init)
            return SupervisionBulletin.RedItem(title: r.title, unit: r.lead_unit, deadline: due,
                                               workingDaysOverdue: calendar.workingDays(from: due, to: closed ?? today),
                                               closedOn: closed)
        }
        struct Count: Decodable { var n: Int }
        let open = try await sql.select()
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(SupervisionItemModel.schema).where("state", .in, SupervisionQueries.openStates)
            .where("has_children", .equal, false).first(decoding: Count.self)?.n ?? 0
        var doc = OutgoingDocument(type: .circular,
                                   issuers: try await DocumentDrafting.issuers(unitCode: unit.code, on: req.db),
                                   title: SupervisionBulletin.title(year: year, month: month),
                                   mainRecipients: [Recipient(name: "各乡镇人民政府，县政府各部门")])
        doc.body = SupervisionBulletin.body(year: year, month: month, statistics: statistics, unitNames: names,
                                            red: red, open: open)
        let draft = doc
        let unitID = try unit.requireID()
        let model = try await req.audited { tx, audit in
            let model = try await DocumentDrafting.create(draft, unitID: unitID, by: user, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "document", objectID: try model.requireID().uuidString,
                                 summary: "督查通报草稿 \(year)-\(month)：应办结 \(statistics.county.due)，"
                                     + "逾期 \(red.count) 件"))
            return model
        }
        req.setFlash("supervision.bulletin.drafted")
        return req.redirect(within: SiteRoute.document(id: try model.requireID().uuidString).path)
    }

    /// 建议提案's 答复 as a draft 函 of the lead unit to the deputy or member, linked to the item.
    static func reply(req: Request) async throws -> Response {
        let (user, m) = try await viewable(req)
        let id = try m.requireID()
        guard m.sourceValue.isProposal, SupervisionQueries.handles(user.principal, m),
              AccessPolicy.allows(user.principal, .office(.draftDocument, Target(unitCode: m.leadUnit))),
              let unit = try await UnitModel.query(on: req.db).filter(\.$code == m.leadUnit).first() else {
            try await SupervisionSteps.denied(req, id, "reply")
        }
        if let existing = m.replyDocumentID {
            return req.redirect(within: SiteRoute.document(id: existing.uuidString).path)
        }
        let who = m.source == SupervisionSource.npcSuggestion.rawValue ? "代表" : "委员"
        let kind = m.source == SupervisionSource.npcSuggestion.rawValue ? "建议" : "提案"
        var doc = OutgoingDocument(type: .letter,
                                   issuers: try await DocumentDrafting.issuers(unitCode: m.leadUnit, on: req.db),
                                   title: "关于对\(m.proposer)\(who)《\(m.title)》\(kind)的答复",
                                   mainRecipients: [Recipient(name: "\(m.proposer)\(who)")])
        doc.body = "您提出的《\(m.title)》\(kind)收悉。现答复如下：\n"
        let draft = doc
        let now = req.now
        let unitID = try unit.requireID()
        let model = try await req.audited { tx, audit in
            let model = try await DocumentDrafting.create(draft, unitID: unitID, by: user, at: now, on: tx)
            m.replyDocumentID = try model.requireID()
            try await m.save(on: tx)
            try await SupervisionEventModel.record(id, "reply_drafted", user: SupervisionSteps.actor(user),
                                                   text: draft.title, at: now, on: tx)
            audit.add(AuditEvent(.create, objectType: "document", objectID: try model.requireID().uuidString,
                                 summary: "答复函草稿 \(m.numberText)：\(draft.title)"))
            return model
        }
        req.setFlash("supervision.replyDrafted")
        return req.redirect(within: SiteRoute.documentEdit(id: try model.requireID().uuidString).path)
    }
}
