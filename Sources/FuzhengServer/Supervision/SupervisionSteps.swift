import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// The moves of a 督办 item over HTTP: 立项, 分解, 签收, 反馈 (accepted or returned), 催办, 延期 (asked, approved,
/// refused), 销号, reopening, 答复 and 满意度. Each is one audited transaction with its event and notices, the item's
/// version claimed in the write; what is allowed is decided in Core (`SupervisionFlow`).
enum SupervisionSteps {
    struct Conflict: Error {}
    struct Refused: Error { var problems: [FieldProblem] }

    static let maxFiles = 5
    static let maxFileBytes = 9 << 20
    static let fileTypes: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    static func path(_ id: UUID) -> String { SiteRoute.supervisionItem(id: id.uuidString).path }

    static func actor(_ user: CurrentUser) -> (username: String, name: String, unit: String) {
        (user.username, user.displayName, user.unitCode)
    }

    static func denied(_ req: Request, _ id: UUID?, _ what: String) async throws -> Never {
        try await req.audit(AuditEvent(.accessDenied, objectType: "supervision", objectID: id?.uuidString,
                                       summary: what, result: .denied))
        throw Abort(.forbidden, reason: "access.denied")
    }

    static func claim(_ m: SupervisionItemModel, expected: Int, at now: Date, on tx: Database) async throws {
        guard try await DocumentsController.claimVersion(schema: SupervisionItemModel.schema, id: m.requireID(),
                                                         expected: expected, at: now, on: tx) else { throw Conflict() }
        m.version = expected + 1
        m.updatedAt = now
        try await SupervisionFiguresCache.bump(on: tx)
    }

    /// The people who handle for a unit, in the inbox and through the outbox.
    static func tellUnit(_ code: String, _ message: Message, link: String, at: Date, on tx: Database) async throws {
        try await IncomingNotices.handlers(code, message, link: link, at: at, on: tx)
        try await Outbound.enqueue(roles: IncomingNotices.handlerRoles, unitCode: code, message: message, link: link,
                                   at: at, on: tx)
    }

    static func tellOffice(_ m: SupervisionItemModel, _ message: Message, at: Date, on tx: Database) async throws {
        try await Notifier.notify(role: .inspector, unitCode: m.officeUnit, message: message,
                                  link: path(try m.requireID()), at: at, on: tx)
    }

    // MARK: 立项

    struct OrderForm: Content {
        var title: String?
        var source: String?
        var source_text: String?
        var requirement: String?
        var lead: String?
        var assisting: [String]?
        var responsible: String?
        var leader: String?
        var deadline: String?
        var kind: String?
        var cycle: String?
        var cycle_day: String?
        var report_on: String?
        var proposer: String?
        var incoming: String?
        var document: String?

        var fields: [String: String] {
            ["title": title ?? "", "source": source ?? "", "source_text": source_text ?? "",
             "requirement": requirement ?? "", "lead": lead ?? "",
             "assisting": (assisting ?? []).joined(separator: ","),
             "responsible": responsible ?? "", "leader": leader ?? "", "deadline": deadline ?? "",
             "kind": kind ?? "general", "cycle": cycle ?? "monthly", "cycle_day": cycle_day ?? "",
             "report_on": report_on ?? "", "proposer": proposer ?? "", "incoming": incoming ?? "",
             "document": document ?? ""]
        }
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard SupervisionQueries.supervises(user.principal) else { try await denied(req, nil, "立项") }
        let form = try req.content.decode(OrderForm.self)
        var fields = form.fields
        if (fields["cycle_day"] ?? "").isEmpty { fields["cycle_day"] = fields["cycle"] == "weekly" ? "5" : "25" }
        let now = req.now
        let today = CivilDay(now)
        let units = Set(try await UnitsMemo.all(on: req.db).filter(\.is_active).map(\.code))
        let order: SupervisionOrder
        switch SupervisionOrder.read(fields, units: units, today: today) {
        case .success(let o): order = o
        case .failure(let p):
            return try await SupervisionController.newPage(req, fields: form.fields, problems: p.all,
                                                           status: .unprocessableEntity)
        }
        let leaders = try await IncomingQueries.leaders(on: req.db)
        let leader = leaders.first { $0.username == fields["leader"] }?.username
        let incomingID = form.incoming.flatMap(UUID.init(uuidString:))
        let documentID = form.document.flatMap(UUID.init(uuidString:))
        let calendar = try await req.application.fuzheng.calendars.current(on: req.db, now: now)
        let names = try await SupervisionQueries.unitNames(on: req.db)
        let item = try await req.audited { tx, audit in
            let m = try await insert(order, leader: leader, incoming: incomingID, document: documentID, names: names,
                                     by: user,
                                     at: now, on: tx)
            if order.source == .workReport {
                // A 政府工作报告 task runs by quarterly milestones, each a sub-task of the lead unit.
                let quarters = WorkReportMilestones.quarters(of: order.deadline.year, from: today, calendar: calendar)
                    .filter { $0 < order.deadline } + [order.deadline]
                if quarters.count > 1 {
                    for (i, day) in quarters.enumerated() {
                        var part = order
                        part.title = "\(order.title)（第\(SupervisionBulletin.chineseNumber(i + 1))阶段）"
                        part.deadline = day
                        part.assisting = []
                        _ = try await insert(part, leader: leader, parent: m, names: names, by: user, at: now,
                                             on: tx)
                    }
                    m.hasChildren = true
                    m.state = SupervisionState.handling.rawValue
                    try await m.save(on: tx)
                }
            }
            audit.add(AuditEvent(.create, objectType: "supervision", objectID: m.id?.uuidString,
                                 summary: "立项 \(m.numberText) \(order.title) 牵头 \(order.lead) 期限 \(order.deadline)"
                                     + " 来源 \(order.source.rawValue)"))
            return m
        }
        req.setFlash("supervision.created")
        return req.redirect(within: path(try item.requireID()))
    }

    /// Stores one item (or sub-task) with its number and 交办 event, and tells its units.
    static func insert(_ o: SupervisionOrder, leader: String?, incoming: UUID? = nil, document: UUID? = nil,
                       parent: SupervisionItemModel? = nil, names: [String: String], by user: CurrentUser, at now: Date,
                       on tx: Database) async throws -> SupervisionItemModel {
        let m = SupervisionItemModel()
        let year = o.start.year
        m.year = year
        m.seq = try await DocumentNumbering.next(counter: "督办", year: year, on: tx)
        m.numberText = "督办〔\(year)〕\(m.seq)号"
        m.parentID = try parent?.requireID()
        m.hasChildren = false
        m.title = o.title
        m.source = o.source.rawValue
        m.sourceText = o.sourceText
        m.sourceIncomingID = incoming
        m.sourceDocumentID = document
        m.requirement = o.requirement
        m.leadUnit = o.lead
        m.assisting = o.assisting.isEmpty ? "" : "," + o.assisting.joined(separator: ",") + ","
        m.responsible = o.responsible
        m.leader = leader
        m.kind = o.kind.rawValue
        m.set(cycle: o.cycle)
        m.startOn = o.start.description
        m.deadline = o.deadline.description
        m.refreshDeadlines()
        m.state = SupervisionState.assigned.rawValue
        m.assignedOn = o.start.description
        m.progress = 0
        m.result = ""
        m.proposer = o.proposer
        m.officeUnit = user.unitCode
        m.createdBy = user.username
        m.createdByName = user.displayName
        m.version = 1
        m.createdAt = now
        m.updatedAt = now
        try await m.create(on: tx)
        try await SupervisionUnits.write(m, on: tx)
        try await SupervisionFiguresCache.bump(on: tx)
        let id = try m.requireID()
        try await SupervisionEventModel.record(id, "assign", user: actor(user),
                                               text: "交办\(names[o.lead] ?? o.lead)，期限\(o.deadline)", at: now,
                                               on: tx)
        let link = path(id)
        try await tellUnit(o.lead, Message("supervision.notify.assigned", o.title, o.deadline.description),
                           link: link, at: now, on: tx)
        for unit in o.assisting {
            try await tellUnit(unit, Message("supervision.notify.assist", o.title), link: link, at: now, on: tx)
        }
        return m
    }

    // MARK: 分解

    struct SplitForm: Content {
        var version: Int?
        var unit: [String]?
        var deadline: [String]?
        var title: [String]?
    }

    static func split(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let m = try await SupervisionQueries.find(req)
        let id = try m.requireID()
        guard SupervisionQueries.supervises(user.principal) else { try await denied(req, id, "分解") }
        guard m.parentID == nil, m.stateValue != .closed else { return stale(req, id) }
        let form = try req.content.decode(SplitForm.self)
        let now = req.now
        let today = CivilDay(now)
        let units = Set(try await UnitsMemo.all(on: req.db).filter(\.is_active).map(\.code))
        var parts: [SupervisionOrder] = []
        var problems: [FieldProblem] = []
        for (i, unit) in (form.unit ?? []).prefix(20).enumerated() where !unit.isEmpty {
            let title = (form.title ?? []).count > i ? (form.title ?? [])[i] : ""
            let deadline = (form.deadline ?? []).count > i ? (form.deadline ?? [])[i] : ""
            var fields = ["title": title.trimmingCharacters(in: .whitespaces).isEmpty ? m.title : title,
                          "source": m.source, "lead": unit, "deadline": deadline, "kind": m.kind,
                          "cycle": m.cycle, "cycle_day": String(max(m.cycleDay, 1)), "proposer": m.proposer,
                          "requirement": m.requirement, "source_text": m.sourceText]
            if m.cycle == "once" { fields["report_on"] = m.reportOn ?? "" }
            switch SupervisionOrder.read(fields, units: units, today: today) {
            case .success(var o):
                if o.deadline > m.deadlineDay {
                    problems.append(FieldProblem(field: "deadline", zh: "第\(i + 1)行：子任务期限不能晚于总期限 \(m.deadline)",
                                                 en: "row \(i + 1): a sub-task's deadline is after the item's "
                                                     + m.deadline))
                }
                o.assisting = []
                parts.append(o)
            case .failure(let p):
                problems += p.all.map { FieldProblem(field: $0.field, zh: "第\(i + 1)行：\($0.zh)",
                                                     en: "row \(i + 1): \($0.en)") }
            }
        }
        if parts.isEmpty, problems.isEmpty {
            problems.append(FieldProblem(field: "unit", zh: "请至少填写一个承办单位", en: "name at least one unit"))
        }
        guard problems.isEmpty else { return problem(req, id, problems, anchor: "split") }
        let leader = m.leader
        let finalParts = parts
        let names = try await SupervisionQueries.unitNames(on: req.db)
        do {
            try await req.audited { tx, audit in
                try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                for part in finalParts {
                    _ = try await insert(part, leader: leader, parent: m, names: names, by: user, at: now, on: tx)
                }
                m.hasChildren = true
                if m.stateValue == .assigned { m.state = SupervisionState.handling.rawValue }
                try await m.save(on: tx)
                try await SupervisionEventModel.record(id, "split", user: actor(user),
                                                       text: finalParts.map {
                                                           "\(names[$0.lead] ?? $0.lead)（\($0.deadline)）"
                                                       }
                                                           .joined(separator: "、"), at: now, on: tx)
                audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                     summary: "分解 \(m.numberText) 为 \(finalParts.count) 个子任务："
                                         + finalParts.map { "\($0.lead) \($0.deadline)" }.joined(separator: "；")))
            }
        } catch is Conflict {
            return stale(req, id)
        }
        req.setFlash("supervision.split")
        return req.redirect(within: path(id))
    }

    // MARK: the other moves

    struct StepForm: Content {
        var action: String?
        var version: Int?
        var text: String?
        var percent: String?
        var event: String?
        var to: String?
        var unit: String?
        var satisfaction: String?
        var files: [File]?
    }

    static func step(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let m = try await SupervisionQueries.find(req)
        let id = try m.requireID()
        let reach = try await SupervisionQueries.reach(user.principal, on: req.db)
        guard SupervisionQueries.canView(user, m, reach: reach) else { try await denied(req, m.id, "step") }
        let form = try req.content.decode(StepForm.self)
        let action = form.action ?? ""
        let text = String((form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(2_000))
        let now = req.now
        let today = CivilDay(now)
        let p = user.principal
        let supervises = SupervisionQueries.supervises(p)
        let handles = SupervisionQueries.handles(p, m)
        let files: [(data: Data, name: String, type: String)]
        switch readFiles(form.files ?? []) {
        case .success(let f): files = f
        case .failure(let failure): return problem(req, id, [failure.problem], anchor: "act")
        }
        // Files are kept only once the move is allowed (report, close), never for a refused one.
        func store() async throws -> [(digest: String, name: String, type: String, size: Int)] {
            var stored: [(digest: String, name: String, type: String, size: Int)] = []
            for f in files {
                stored.append((try await req.application.fuzheng.files.put(f.data), f.name, f.type, f.data.count))
            }
            return stored
        }
        let event = form.event.flatMap(UUID.init(uuidString:))
        let state = m.stateValue
        let link = path(id)
        do {
            switch action {
            case "acknowledge":
                guard handles else { try await denied(req, id, action) }
                guard case .success(let next) = SupervisionFlow.acknowledge(state) else { return stale(req, id) }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    m.state = next.rawValue
                    try await m.save(on: tx)
                    try await SupervisionEventModel.record(id, "acknowledge", user: actor(user), text: "", at: now,
                                                           on: tx)
                    try await Notifier.settle(link: link, userID: user.id, at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "签收 \(m.numberText)"))
                }
            case "report":
                guard handles else { try await denied(req, id, action) }
                let percent: Int
                switch SupervisionFlow.report(state, text: text, percent: form.percent ?? "") {
                case .success(let v): percent = v
                case .failure(.problems(let list)): return problem(req, id, list, anchor: "report")
                case .failure: return stale(req, id)
                }
                let kept = try await store()
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    m.lastReportOn = today.description
                    try await m.save(on: tx)
                    let e = try await SupervisionEventModel.record(id, "report", user: actor(user), text: text,
                                                                   percent: percent, status: "pending", at: now, on: tx)
                    try await attach(kept, to: e, item: id, on: tx)
                    try await tellOffice(m, Message("supervision.notify.reported", m.title, "\(percent)%"), at: now,
                                         on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "反馈 \(m.numberText) 进度 \(percent)%：\(text.prefix(200))"
                                             + (kept.isEmpty ? "" : "（附件 \(kept.count) 个）")))
                }
            case "accept", "return":
                guard supervises else { try await denied(req, id, action) }
                if action == "return", text.isEmpty {
                    return problem(req, id, [FieldProblem(field: "text", zh: "退回须说明理由",
                                                          en: "give the reason for returning it")], anchor: "reports")
                }
                guard let event, let report = try await SupervisionEventModel.query(on: req.db)
                    .filter(\.$id == event).filter(\.$item.$id == id).filter(\.$action == "report").first(),
                    report.status == "pending" else { return stale(req, id) }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    report.status = action == "accept" ? "accepted" : "returned"
                    report.answer = text
                    try await report.save(on: tx)
                    if action == "accept" {
                        m.progress = report.percent ?? m.progress
                    } else {
                        // A returned report does not count as reported: the last one that still stands does.
                        let standing = try await SupervisionEventModel.query(on: tx).filter(\.$item.$id == id)
                            .filter(\.$action == "report").filter(\.$status != "returned")
                            .sort(\.$at, .descending).first()
                        m.lastReportOn = standing.map { CivilDay($0.at).description }
                    }
                    try await m.save(on: tx)
                    if action == "accept", let parent = m.parentID { try await rollUp(parent, at: now, on: tx) }
                    try await SupervisionEventModel.record(id, action == "accept" ? "report_accepted"
                                                               : "report_returned", user: actor(user), text: text,
                                                           at: now, on: tx)
                    try await tellUnit(m.leadUnit, Message(action == "accept" ? "supervision.notify.accepted"
                                                               : "supervision.notify.returned", m.title, text),
                                       link: link, at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "\(action == "accept" ? "采纳" : "退回")反馈 \(m.numberText)"
                                             + (text.isEmpty ? "" : "：\(text.prefix(200))")))
                }
            case "remind":
                guard supervises else { try await denied(req, id, action) }
                guard state != .closed else { return stale(req, id) }
                let target = form.unit.flatMap { u in ([m.leadUnit] + m.assistingList).contains(u) ? u : nil }
                    ?? m.leadUnit
                try await req.audited { tx, audit in
                    try await SupervisionEventModel.record(id, "remind", user: (user.username, user.displayName,
                                                                                target),
                                                           text: text, at: now, on: tx)
                    try await tellUnit(target, Message("supervision.notify.urged", m.title, text), link: link,
                                       at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "催办 \(m.numberText) → \(target)" + (text.isEmpty ? "" : "：\(text)")))
                }
            case "extend":
                guard handles else { try await denied(req, id, action) }
                let pending = try await SupervisionEventModel.query(on: req.db).filter(\.$item.$id == id)
                    .filter(\.$action == "extension").filter(\.$status == "pending").count()
                guard pending == 0 else {
                    return problem(req, id, [FieldProblem(field: "to", zh: "已有待审批的延期申请",
                                                          en: "an extension request is already waiting")],
                                   anchor: "extension")
                }
                let to: CivilDay
                switch SupervisionFlow.requestExtension(state, deadline: m.dueDay, requested: form.to ?? "",
                                                        reason: text, today: today) {
                case .success(let d): to = d
                case .failure(.problems(let list)): return problem(req, id, list, anchor: "extension")
                case .failure: return stale(req, id)
                }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    try await m.save(on: tx)
                    try await SupervisionEventModel.record(id, "extension", user: actor(user), text: text,
                                                           status: "pending", day: to.description, at: now, on: tx)
                    try await tellOffice(m, Message("supervision.notify.extension", m.title, to.description),
                                         at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "申请延期 \(m.numberText) \(m.dueOn) → \(to)：\(text.prefix(200))"))
                }
            case "approve_extension", "refuse_extension":
                guard supervises else { try await denied(req, id, action) }
                if action == "refuse_extension", text.isEmpty {
                    return problem(req, id, [FieldProblem(field: "text", zh: "不同意延期须说明理由",
                                                          en: "give the reason for refusing")], anchor: "extension")
                }
                guard let event, let request = try await SupervisionEventModel.query(on: req.db)
                    .filter(\.$id == event).filter(\.$item.$id == id).filter(\.$action == "extension").first(),
                    request.status == "pending", let day = request.day else { return stale(req, id) }
                let approve = action == "approve_extension"
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    request.status = approve ? "approved" : "refused"
                    request.answer = text
                    try await request.save(on: tx)
                    if approve {
                        m.extendedTo = day
                        m.extensionApprovedOn = today.description
                        m.refreshDeadlines()
                    }
                    try await m.save(on: tx)
                    try await SupervisionEventModel.record(id, approve ? "extension_approved" : "extension_refused",
                                                           user: actor(user), text: text, day: day, at: now, on: tx)
                    try await tellUnit(m.leadUnit, Message(approve ? "supervision.notify.extended"
                                                               : "supervision.notify.extensionRefused", m.title, day),
                                       link: link, at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "\(approve ? "同意" : "不同意")延期 \(m.numberText) 至 \(day)"
                                             + "（原期限 \(m.deadline)）" + (text.isEmpty ? "" : "：\(text)")))
                }
            case "close":
                guard supervises else { try await denied(req, id, action) }
                switch SupervisionFlow.close(state, result: text) {
                case .success: break
                case .failure(.problems(let list)): return problem(req, id, list, anchor: "close")
                case .failure: return stale(req, id)
                }
                if m.hasChildren {
                    let open = try await SupervisionItemModel.query(on: req.db).filter(\.$parentID == id)
                        .filter(\.$state != SupervisionState.closed.rawValue).count()
                    guard open == 0 else {
                        return problem(req, id, [FieldProblem(field: "text", zh: "还有\(open)个子任务未办结，不能销号",
                                                              en: "\(open) sub-task(s) still open")], anchor: "close")
                    }
                }
                let kept = try await store()
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    m.state = SupervisionState.closed.rawValue
                    m.closedOn = today.description
                    m.result = text
                    m.progress = 100
                    try await m.save(on: tx)
                    let e = try await SupervisionEventModel.record(id, "close", user: actor(user), text: text,
                                                                   at: now, on: tx)
                    try await attach(kept, to: e, item: id, on: tx)
                    if let parent = m.parentID { try await rollUp(parent, at: now, on: tx) }
                    try await Notifier.settle(link: link, at: now, on: tx)
                    try await tellUnit(m.leadUnit, Message("supervision.notify.closed", m.title), link: link,
                                       at: now, on: tx)
                    if m.parentID == nil, let filed = try await Archiving.file(
                        supervision: m, by: .init(username: user.username, name: user.displayName), at: now, on: tx) {
                        m.archiveItemID = filed.id
                        try await m.save(on: tx)
                        audit.add(AuditEvent(.create, objectType: "archive_item", objectID: filed.id?.uuidString,
                                             summary: "归档 \(filed.numberText) \(filed.title) 期限 \(filed.period)"))
                    }
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "销号 \(m.numberText)：\(text.prefix(200))"))
                }
            case "reopen":
                guard supervises else { try await denied(req, id, action) }
                switch SupervisionFlow.reopen(state, reason: text) {
                case .success: break
                case .failure(.problems(let list)): return problem(req, id, list, anchor: "reopen")
                case .failure: return stale(req, id)
                }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    m.state = SupervisionState.handling.rawValue
                    m.closedOn = nil
                    try await m.save(on: tx)
                    if let parent = m.parentID { try await rollUp(parent, at: now, on: tx) }
                    try await SupervisionEventModel.record(id, "reopen", user: actor(user), text: text, at: now,
                                                           on: tx)
                    try await tellUnit(m.leadUnit, Message("supervision.notify.reopened", m.title, text), link: link,
                                       at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "重新打开 \(m.numberText)：\(text.prefix(200))"))
                }
            case "replied":
                guard handles else { try await denied(req, id, action) }
                guard m.sourceValue.isProposal, state == .handling, m.repliedOn == nil else { return stale(req, id) }
                guard !text.isEmpty else {
                    return problem(req, id, [FieldProblem(field: "text", zh: "请填写答复要点", en: "summarise the answer")],
                                   anchor: "reply")
                }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    m.repliedOn = today.description
                    try await m.save(on: tx)
                    try await SupervisionEventModel.record(id, "replied", user: actor(user), text: text, at: now,
                                                           on: tx)
                    try await tellOffice(m, Message("supervision.notify.replied", m.title), at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "答复 \(m.numberText)：\(text.prefix(200))"))
                }
            case "satisfaction":
                guard supervises else { try await denied(req, id, action) }
                guard m.sourceValue.isProposal, m.repliedOn != nil,
                      let verdict = form.satisfaction.flatMap(Satisfaction.init) else {
                    return problem(req, id, [FieldProblem(field: "satisfaction", zh: "请选择代表委员的评价",
                                                          en: "choose the verdict")], anchor: "reply")
                }
                try await req.audited { tx, audit in
                    try await claim(m, expected: form.version ?? -1, at: now, on: tx)
                    let before = m.satisfaction
                    m.satisfaction = verdict.rawValue
                    try await m.save(on: tx)
                    try await SupervisionEventModel.record(id, "satisfaction", user: actor(user),
                                                           text: verdict.zh + (text.isEmpty ? "" : "：\(text)"),
                                                           at: now, on: tx)
                    audit.add(AuditEvent(.update, objectType: "supervision", objectID: id.uuidString,
                                         summary: "满意度 \(m.numberText)：\(before ?? "—") → \(verdict.rawValue)"))
                }
            default:
                throw Abort(.badRequest)
            }
        } catch is Conflict {
            return stale(req, id)
        }
        req.setFlash("supervision.done.\(action)")
        return req.redirect(within: link)
    }

    /// A parent's progress and the latest of its children's report days, derived from them.
    static func rollUp(_ parentID: UUID, at now: Date, on tx: Database) async throws {
        guard let parent = try await SupervisionItemModel.find(parentID, on: tx) else { return }
        let children = try await SupervisionItemModel.query(on: tx).filter(\.$parentID == parentID).all()
        parent.progress = ProgressRollUp.percent(children.map { ($0.progress, $0.stateValue == .closed) })
        parent.updatedAt = now
        try await parent.save(on: tx)
    }

    static func attach(_ files: [(digest: String, name: String, type: String, size: Int)],
                       to e: SupervisionEventModel, item: UUID, on tx: Database) async throws {
        for f in files {
            let row = SupervisionFileModel()
            row.$item.id = item
            row.$event.id = try e.requireID()
            row.digest = f.digest
            row.name = f.name
            row.contentType = f.type
            row.size = f.size
            try await row.create(on: tx)
        }
    }

    /// Photos and documents with a report: kinds by extension and by their first bytes, photos without where and
    /// when they were taken (`ImageMetadata`).
    struct FileProblem: Error { var problem: FieldProblem }

    static func readFiles(_ files: [File]) -> Result<[(data: Data, name: String, type: String)], FileProblem> {
        let given = files.filter { $0.data.readableBytes > 0 }
        guard given.count <= maxFiles else {
            return .failure(FileProblem(problem: FieldProblem(field: "files", zh: "一次最多上传\(maxFiles)个附件",
                                                              en: "at most \(maxFiles) files at a time")))
        }
        var out: [(data: Data, name: String, type: String)] = []
        for f in given {
            let ext = (f.filename as NSString).pathExtension.lowercased()
            let name = String(f.filename.prefix(120))
            guard let type = fileTypes[ext], f.data.readableBytes <= maxFileBytes else {
                return .failure(FileProblem(problem: FieldProblem(
                    field: "files", zh: "附件“\(name)”应为 JPG、PNG、PDF 或 DOCX，且不超过 9 MB",
                    en: "“\(name)” must be JPG, PNG, PDF or DOCX of at most 9 MB")))
            }
            var data = Data(buffer: f.data)
            guard ReceivedFile.matches(extension: ext, data) else {
                return .failure(FileProblem(problem: FieldProblem(field: "files", zh: "附件“\(name)”的内容与扩展名不符",
                                                                  en: "“\(name)” is not what its extension says")))
            }
            if type.hasPrefix("image/") {
                do { data = try ImageMetadata.strip(data) } catch {
                    return .failure(FileProblem(problem: FieldProblem(
                        field: "files", zh: "图片“\(name)”无法读取：\(error.description)",
                        en: "cannot read the picture “\(name)”")))
                }
            }
            out.append((data, name, type))
        }
        return .success(out)
    }

    static func stale(_ req: Request, _ id: UUID) -> Response {
        req.setFlash("edit.conflict", error: true)
        return req.redirect(within: path(id))
    }

    static func problem(_ req: Request, _ id: UUID, _ list: [FieldProblem], anchor: String) -> Response {
        let l = req.l10n
        req.setFlash(list.map { l.language == .zh ? $0.zh : $0.en }.joined(separator: l.language == .zh ? "；" : "; "),
                     error: true)
        return req.redirect(within: path(id) + "#" + anchor)
    }
}
