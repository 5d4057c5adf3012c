import Fluent
import Foundation
import FuzhengCore
@testable import FuzhengServer
import Testing
import Vapor
import VaporTesting

/// Every page, asked by the people who may open it, with a hostile string in every query parameter,
/// path segment, form field and stored text it shows: no raw markup comes back and nothing fails.
@Suite("Hostile input on every route")
struct HostileInputTests {
    /// Ends an attribute in either quote style, opens elements, closes a textarea, and looks like entities.
    static let hostile = "\"'><svg/onload=alert(1)><x a=\"</textarea><script>alert(2)</script>&lt;&amp;"

    /// What a response may never contain when `hostile` went in somewhere.
    static func rawMarkup(in body: String) -> [String] {
        ["<svg/onload", "<script>alert", "<x a=", "\"'>", "</textarea><script"].filter { body.contains($0) }
    }

    enum Access { case anyone, user(String) }

    struct Plan {
        var access: [Access]
        var get: Bool
        var post: Bool
    }

    /// One line per route: who opens it and how. The switch has no default, so a new route does not
    /// compile until someone says here how it is to be attacked.
    static func plan(_ route: SiteRoute) -> Plan {
        switch route {
        case .portal, .publicUnit, .stylesheet, .script, .disclosures, .disclosureOverview, .disclosure,
             .disclosureVersion, .disclosureDownload, .disclosureCompare, .healthz, .readyz, .metrics,
             .procurementCatalog, .procurementCatalogJSON, .publicDocuments, .publicDocument, .publicDocumentFile:
            Plan(access: [.anyone, .user("caiwu")], get: true, post: false)
        case .language:
            Plan(access: [.anyone], get: true, post: false)
        case .login, .loginVerify:
            Plan(access: [.anyone], get: true, post: true)
        case .logout:
            Plan(access: [.user("caiwu")], get: false, post: true)
        case .changePassword, .twoFactor:
            Plan(access: [.user("caiwu")], get: true, post: true)
        case .home, .units, .unit, .budget, .inbox, .budgetWorkbookDownload:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: false)
        case .inboxOpen:
            Plan(access: [.user("caiwu")], get: true, post: false)
        case .inboxRead:
            Plan(access: [.user("caiwu")], get: false, post: true)
        case .budgetPublish, .budgetNew, .budgetEditProject, .budgetEditFigures, .budgetEditProcurement,
             .budgetEditAssets, .budgetEditNarrative, .budgetConfirmFinding, .budgetWorkbook:
            Plan(access: [.user("caiwu")], get: true, post: true)
        case .budgetWorkflow:
            Plan(access: [.user("caiwu"), .user("fuzeren")], get: false, post: true)
        case .budgetWorkbookConfirm:
            Plan(access: [.user("caiwu")], get: false, post: true)
        case .financeDue:
            Plan(access: [.user("shenhe")], get: true, post: false)
        case .adminUnits, .adminUsers, .adminBodies, .adminUsersImportTemplate:
            Plan(access: [.user("sysadmin")], get: true, post: false)
        case .adminBodyNew, .adminBodyEdit, .adminUsersImport:
            Plan(access: [.user("sysadmin")], get: true, post: true)
        case .adminUsersImportConfirm:
            Plan(access: [.user("sysadmin")], get: false, post: true)
        case .oversight:
            Plan(access: [.user("fxz1")], get: true, post: false)
        case .documents, .document, .documentAttachment, .documentCompare, .documentSignature, .documentRegister,
             .documentRegisterExport, .documentFile:
            Plan(access: [.user("bangong"), .user("hegao")], get: true, post: false)
        case .documentsReceived:
            Plan(access: [.user("wenshu2")], get: true, post: false)
        case .deliverySign, .deliveryAct:
            Plan(access: [.user("wenshu")], get: false, post: true)
        case .secretPapers:
            Plan(access: [.user("wenshu")], get: true, post: true)
        case .documentFromDocx:
            Plan(access: [.user("bangong")], get: false, post: true)
        case .documentNew, .documentEdit:
            Plan(access: [.user("bangong")], get: true, post: true)
        case .documentStep, .documentWaive, .documentVoid, .documentAttachments:
            Plan(access: [.user("bangong")], get: false, post: true)
        case .delegations:
            Plan(access: [.user("caiwu")], get: true, post: true)
        case .delegationRevoke:
            Plan(access: [.user("caiwu")], get: false, post: true)
        case .adminUnitNew, .adminUnitEdit, .adminUnitActivation, .adminUserNew, .adminUserEdit, .adminUserActivation:
            Plan(access: [.user("sysadmin")], get: true, post: true)
        case .security:
            Plan(access: [.user("secadmin")], get: true, post: false)
        case .securityUnlock:
            Plan(access: [.user("secadmin")], get: false, post: true)
        case .securityReset:
            Plan(access: [.user("secadmin")], get: true, post: true)
        case .audit, .auditExport, .auditVerify:
            Plan(access: [.user("auditadmin")], get: true, post: false)
        case .availability, .seals:
            Plan(access: [.user("secadmin")], get: true, post: false)
        case .sealUpload:
            Plan(access: [.user("secadmin")], get: false, post: true)
        case .sealRemove:
            Plan(access: [.user("secadmin")], get: true, post: true)
        case .incidentNew, .incidentEdit:
            Plan(access: [.user("secadmin")], get: true, post: true)
        case .incoming, .incomingItem, .incomingSheet, .incomingFile, .incomingSignature:
            Plan(access: [.user("wenshu"), .user("lingdao")], get: true, post: false)
        case .incomingNew:
            Plan(access: [.user("wenshu")], get: true, post: true)
        case .adminCalendar:
            Plan(access: [.user("sysadmin")], get: true, post: true)
        case .incomingStep, .incomingCirculate, .incomingReading, .incomingReply:
            Plan(access: [.user("bangong"), .user("lingdao")], get: false, post: true)
        case .search:
            Plan(access: [.user("wenshu"), .user("caiwu")], get: true, post: false)
        case .archive, .archiveCatalogue, .archiveItem, .archivePackage:
            Plan(access: [.user("dangan"), .user("wenshu")], get: true, post: false)
        case .archiveFile, .archiveClose, .archiveSettings, .archivePeriod, .archiveCorrect:
            Plan(access: [.user("dangan"), .user("wenshu")], get: false, post: true)
        case .supervision:
            Plan(access: [.user("ducha"), .user("bangong"), .user("lingdao")], get: true, post: true)
        case .supervisionItem, .supervisionSheet, .supervisionFile, .supervisionStatistics, .supervisionNew:
            Plan(access: [.user("ducha"), .user("bangong"), .user("lingdao")], get: true, post: false)
        case .supervisionStep, .supervisionSplit, .supervisionReply, .supervisionBulletin:
            Plan(access: [.user("ducha"), .user("bangong")], get: false, post: true)
        case .execution, .executionUnit, .executionProject:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: false)
        case .executionImport:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: true)
        case .executionAdjust, .executionPay, .monitoringStep:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: false, post: true)
        case .monitoring, .monitoringFile, .evaluations, .evaluationFile:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: false)
        case .evaluation:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: true)
        case .evaluationStep:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: false, post: true)
        case .publicEvaluation, .publicFinal, .publicFinalFile:
            Plan(access: [.anyone], get: true, post: false)
        case .finalAccounts:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: true)
        case .finalAccountsPublish:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: false, post: true)
        case .finalAccountsFile:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: false)
        case .monitoringTable:
            Plan(access: [.user("caiwu"), .user("shenhe")], get: true, post: true)
        case .surveys:
            Plan(access: [.user("bangong"), .user("caiwu")], get: true, post: true)
        case .survey:
            Plan(access: [.user("bangong"), .user("caiwu")], get: true, post: false)
        case .publicSurvey:
            Plan(access: [.anyone], get: true, post: true)
        case .surveyAnswer, .surveyClose, .surveyTokens:
            Plan(access: [.user("bangong"), .user("caiwu")], get: false, post: true)
        }
    }

    /// Each route with real parameters (pages that exist and show stored hostile text) and with the
    /// hostile string in every path parameter.
    static func samples(project: String) -> [SiteRoute] {
        let h = hostile
        let (code, year) = ("434001", 2025)
        var routes: [SiteRoute] = [
            .portal, .publicUnit(code: code), .publicUnit(code: h), .login, .loginVerify, .logout, .home,
            .changePassword, .twoFactor,
            .language(.en), .language(.zh), .stylesheet, .script, .units, .unit(code: code), .unit(code: h),
            .budget(code: code, year: year), .budget(code: h, year: year), .budgetPublish(code: code, year: year),
            .budgetWorkflow(code: code, year: year), .budgetNew(code: code), .budgetNew(code: h),
            .budgetEditProject(code: code, year: year, project: project),
            .budgetEditProject(code: code, year: year, project: h),
            .budgetEditFigures(code: code, year: year), .budgetEditProcurement(code: code, year: year),
            .budgetEditAssets(code: code, year: year), .budgetEditNarrative(code: code, year: year),
            .budgetConfirmFinding(code: code, year: year),
            .budgetWorkbookDownload(code: code, year: year), .budgetWorkbookDownload(code: h, year: year),
            .budgetWorkbook(code: code, year: year), .budgetWorkbookConfirm(code: code, year: year),
            .procurementCatalog, .procurementCatalogJSON, .inbox, .inboxRead, .inboxOpen(id: h),
            .inboxOpen(id: UUID().uuidString),
            .financeDue, .disclosures, .disclosureOverview,
            .disclosure(code: "434001", year: 2023), .disclosure(code: "436001", year: 2023),
            .disclosure(code: "436001", year: 2024), .disclosure(code: h, year: 2023),
            .disclosureVersion(code: "436001", year: 2023, version: 1), .disclosureVersion(code: h, year: 2023,
                version: 1),
            .disclosureCompare(code: "436001", year: 2024), .disclosureCompare(code: "434001", year: 2023),
            .disclosureCompare(code: h, year: 2024),
            .adminUnits, .adminBodies, .adminBodyNew, .adminBodyEdit(code: "434-WD"), .adminBodyEdit(code: h),
            .publicDocuments, .publicDocument(id: h), .publicDocument(id: UUID().uuidString),
            .documentsReceived, .deliverySign(id: h), .deliveryAct(id: h),
            .oversight, .documents, .documentNew, .documentFromDocx, .secretPapers, .documentRegister,
                .documentRegisterExport,
            .document(id: h), .document(id: UUID().uuidString), .documentEdit(id: h), .documentStep(id: h),
            .documentWaive(id: h), .documentVoid(id: h), .documentAttachments(id: h),
            .documentAttachment(id: h, position: 1), .documentCompare(id: h), .documentSignature(id: h, event: h),
            .delegations, .delegationRevoke(id: h), .delegationRevoke(id: UUID().uuidString),
            .adminUsersImport, .adminUsersImportConfirm, .adminUsersImportTemplate, .adminUnitNew,
                .adminUnitEdit(code: "436001"), .adminUnitEdit(code: h),
            .adminUnitActivation(code: h), .adminUsers, .adminUserNew, .adminUserEdit(username: "bangong"),
            .adminUserEdit(username: h), .adminUserActivation(username: h), .security,
            .securityUnlock(username: h), .securityReset(username: "bangong"), .securityReset(username: h),
            .audit, .auditExport, .auditVerify, .healthz, .readyz, .metrics,
            .availability, .incidentNew, .incidentEdit(id: h), .incidentEdit(id: UUID().uuidString),
            .seals, .sealUpload(code: h), .sealRemove(code: h), .sealUpload(code: "434"), .sealRemove(code: "434"),
            .documentFile(id: h, format: "pdf"), .documentFile(id: UUID().uuidString, format: h),
            .publicDocumentFile(id: h, format: "ofd"), .publicDocumentFile(id: UUID().uuidString, format: h),
            .adminCalendar, .incoming, .incomingNew, .incomingItem(id: h), .incomingItem(id: UUID().uuidString), .incomingStep(id: h),
            .incomingCirculate(id: h), .incomingSheet(id: h), .incomingFile(id: h), .incomingSignature(id: h, event: h),
            .incomingReading(id: h), .incomingReading(id: UUID().uuidString), .incomingReply(id: h),
            .search, .archive, .archiveFile, .archiveClose, .archiveSettings, .archiveCatalogue, .archiveItem(id: h),
            .archiveItem(id: UUID().uuidString), .archivePeriod(id: h), .archiveCorrect(id: h), .archivePackage(id: h),
            .supervision, .supervisionNew, .supervisionStatistics, .supervisionBulletin,
            .supervisionItem(id: h), .supervisionItem(id: planted), .supervisionStep(id: h),
            .supervisionStep(id: planted), .supervisionSplit(id: planted), .supervisionSplit(id: h),
            .supervisionSheet(id: planted), .supervisionSheet(id: h), .supervisionReply(id: planted),
            .supervisionFile(id: h), .supervisionFile(id: UUID().uuidString),
            .execution, .executionImport, .executionUnit(code: code), .executionUnit(code: h),
            .executionProject(code: "436001", project: h), .executionProject(code: h, project: h),
            .executionAdjust(code: code, project: h), .executionAdjust(code: h, project: h),
            .executionPay(code: code, project: h), .executionPay(code: h, project: h), .monitoring,
            .monitoringTable(code: "434001", project: "13073023P00005210005Q", point: "2023-06-30"),
            .monitoringTable(code: "434001", project: h, point: "2023-06-30"),
            .monitoringTable(code: "434001", project: "13073023P00005210005Q", point: h),
            .monitoringStep(code: "434001", project: "13073023P00005210005Q", point: "2023-06-30"),
            .monitoringStep(code: h, project: h, point: h),
            .monitoringFile(code: "434001", project: "13073023P00005210005Q", point: "2023-06-30", format: "xlsx"),
            .monitoringFile(code: "434001", project: "13073023P00005210005Q", point: "2023-06-30", format: h),
            .evaluations, .evaluation(code: "434001", year: 2023, project: "13073023P00004810005K"),
            .evaluation(code: "434001", year: 2023, project: h), .evaluation(code: h, year: 2023, project: h),
            .evaluationStep(code: "434001", year: 2023, project: "13073023P00004810005K"),
            .evaluationFile(code: "434001", year: 2023, project: "13073023P00004810005K", format: "docx"),
            .evaluationFile(code: "434001", year: 2023, project: "13073023P00004810005K", format: h),
            .publicEvaluation(code: "434001", year: 2023), .publicEvaluation(code: h, year: 2023),
            .finalAccounts(code: "434001", year: 2023), .finalAccounts(code: h, year: 2023),
            .finalAccountsPublish(code: "434001", year: 2023), .finalAccountsPublish(code: h, year: 2023),
            .finalAccountsFile(code: "434001", year: 2023, format: "xlsx"),
            .finalAccountsFile(code: "434001", year: 2023, format: h),
            .publicFinal(code: "434001", year: 2023), .publicFinal(code: h, year: 2023),
            .publicFinalFile(code: "434001", year: 2023, format: "csv"),
            .publicFinalFile(code: "434001", year: 2023, format: h),
            .surveys, .survey(id: h), .survey(id: UUID().uuidString), .surveyAnswer(id: h), .surveyClose(id: h),
            .surveyTokens(id: h), .publicSurvey(token: h), .publicSurvey(token: "abc"),
        ]
        for format in ["html", "docx", "xlsx", "csv", "json", "datapackage", h] {
            routes.append(.disclosureDownload(code: "436001", year: 2024, version: 1, format: format))
            routes.append(.disclosureDownload(code: "436001", year: 2023, version: 1, format: format))
        }
        return routes
    }

    /// Every parameter any page reads from its query string.
    static var hostileQuery: String {
        let e = Browser.encode(hostile)
        return ["q", "username", "next", "back", "page", "unit", "from", "to", "action", "result", "object", "version",
                "month", "year", "view", "type", "step", "a", "b", "parent", "copy", "kind", "state", "code",
                "colour", "rate", "source", "incoming", "document", "ranking"]
            .map { "\($0)=\(e)" }.joined(separator: "&")
    }

    /// Every field any form posts, hostile; `version` is the budget's real one so edits get past it.
    static func hostileForm(version: Int) -> [String: String] {
        var form: [String: String] = [:]
        let names = ["startedAt", "endedAt", "kind", "title", "cause", "measures", "backupRef",
                     "q", "username", "password", "next", "current", "new", "confirm", "displayName", "role",
                         "unitCode",
                     "initialPassword", "code", "name", "departmentCode", "nature", "grade", "fundingForm", "duties",
                     "setup", "note", "comment", "action", "year", "source", "text", "unit", "amount", "fiscalFunds",
                     "otherFunds", "use", "target", "plan3", "plan6", "plan10", "plan12", "ind[0][level1]",
                     "ind[0][level2]", "ind[0][name]", "ind[0][description]", "ind[0][value]", "ind[0][basis]",
                     "rev[general_public_budget]", "line[0][kind]", "line[0][label]", "line[0][function]",
                     "line[0][economic]", "line[0][project]", "line[0][fund]", "line[0][amount]", "line[0][item]",
                     "line[0][code]", "line[0][uom]", "line[0][quantity]", "line[0][price]", "line[0][sme]",
                     "outbound", "vehiclePurchase", "vehicleOperation", "reception", "operatingCosts", "operatingUse",
                     "reasonBasic", "reasonProject", "reasonThreePublic", "stated[total_revenue]", "changes[total]",
                     "threePublicStated", "asOf", "qty[total]", "value[total]", "overallTarget", "dutyTargets",
                     "otherNotes", "glossary", "digest", "fonds", "organisation", "period", "file", "find", "use", "sectionCode", "role0", "scope0",
                     "units0", "role1", "deputy", "starts", "ends", "units", "reason", "parentCode", "fingerprint",
                     "issuers", "mainRecipients", "copyTo", "body", "secrecy", "urgency", "openness", "writtenOn",
                     "signers", "countersignUnits", "move", "rule", "remove", "numberPrefix", "copyNumbers", "copies",
                     "whereabouts", "state", "id", "sender", "sender_number", "received_on", "confirm_duplicate",
                     "lead", "due", "leader1", "leader2", "leader3", "quick", "signature", "assisting[]", "readers[]",
                     "in_order", "holidays", "workdays", "number", "source_text", "requirement", "responsible",
                     "leader", "deadline", "cycle", "cycle_day", "report_on", "proposer", "percent", "event", "to",
                     "satisfaction", "month", "unit[]", "deadline[]", "title[]", "incoming", "document", "day",
                     "paid_on", "planned_on", "economic", "payee", "fund", "line", "questions", "formula", "units[]",
                     "q0", "count"]
        for name in names { form[name] = hostile }
        form["version"] = String(version)
        return form
    }

    @Test("every registered route has a sample here")
    func coverage() async throws {
        try await withFuzhengApp { app, _ in
            let sampled = Set(Self.samples(project: "p").map { $0.pattern.joined(separator: "/") })
            for route in app.routes.all where route.path.first?.description != "favicon.ico" {
                let pattern = route.path.map(\.description).joined(separator: "/")
                #expect(sampled.contains(pattern), "no hostile sample for \(route.method) /\(pattern)")
            }
        }
    }

    @Test("no page echoes markup from a query, a path, a form or stored text; none fails")
    func noInjection() async throws {
        try await withFuzhengApp { app, _ in
            let project = try await Self.plantHostileData(app)
            for route in Self.samples(project: project) {
                let plan = Self.plan(route)
                let path = route.path.split(separator: "/", omittingEmptySubsequences: false)
                    .map { Browser.encode(String($0)) }.joined(separator: "/")
                for access in plan.access {
                    let browser = Browser(app)
                    if case .user(let name) = access { try await browser.login(name) }
                    if plan.get {
                        for target in [path, path + "?" + Self.hostileQuery] {
                            let response = try await browser.get(target)
                            #expect(response.status.code < 500, "GET \(target) → \(response.status.code)")
                            // JSON, CSV and the other downloads are data, served as such with nosniff.
                            if response.headers.contentType == .html {
                                #expect(Self.rawMarkup(in: response.text) == [], "GET \(route.path)")
                            }
                        }
                    }
                    if plan.post {
                        try await browser.get(plan.get ? path : "/home")
                        let version = try await BudgetStore.find(unitCode: "434001", year: 2025,
                            on: app.db)?.0.version ?? 1
                        let response = try await browser.post(path, Self.hostileForm(version: version))
                        #expect(response.status.code < 500, "POST \(route.path) → \(response.status.code)")
                        #expect(Self.rawMarkup(in: response.text) == [], "POST \(route.path)")
                        if let location = response.location {
                            #expect(RedirectPolicy.sameOriginPath(location) != nil, "POST \(route.path) → \(location)")
                            let next = try await browser.get(location)
                            #expect(Self.rawMarkup(in: next.text) == [], "after POST \(route.path): \(location)")
                        }
                    }
                }
            }
        }
    }

    /// A 2025 draft of unit 434001 whose every text is hostile; unit 436001's 2023 published with hostile
    /// texts, and its 2024 published (as an older release could) with a 99,999,999,999 万元 line.
    /// Returns the draft's first project code.
    /// A 督办 item of unit 434001 whose texts are hostile, with a hostile report.
    static let planted = "0E5A3C11-7D2B-4A90-9C1E-5B7F2A4D8E61"

    static func plantSupervision(_ app: Application) async throws {
        let m = SupervisionItemModel()
        m.id = UUID(uuidString: planted)
        m.year = 2025
        m.seq = 99
        m.numberText = hostile
        m.hasChildren = false
        m.title = hostile
        m.source = "npc_suggestion"
        m.sourceText = hostile
        m.requirement = hostile
        m.leadUnit = "434001"
        m.assisting = ",\(hostile),"
        m.responsible = hostile
        m.leader = "lingdao"
        m.kind = "key"
        m.set(cycle: .weekly(weekday: 5))
        m.startOn = "2025-01-02"
        m.deadline = "2025-03-31"
        m.refreshDeadlines()
        m.state = "handling"
        m.assignedOn = "2025-01-02"
        m.progress = 30
        m.result = hostile
        m.proposer = hostile
        m.repliedOn = "2025-03-01"
        m.officeUnit = "434001"
        m.createdBy = "ducha"
        m.createdByName = hostile
        m.version = 1
        m.createdAt = Date()
        m.updatedAt = Date()
        try await m.create(on: app.db)
        try await SupervisionUnits.write(m, on: app.db)
        try await SupervisionEventModel.record(try m.requireID(), "report", user: ("bangong", hostile, "434001"),
                                               text: hostile, percent: 30, status: "pending", day: hostile,
                                               at: Date(), on: app.db)
    }

    static func plantHostileData(_ app: Application) async throws -> String {
        try await plantSupervision(app)
        let (_, seed) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2023, on: app.db))
        var b = seed
        b.fiscalYear = 2025
        b.status = .draft
        for i in b.projects.indices {
            b.projects[i].name += hostile
            b.projects[i].use = hostile
            for j in b.projects[i].indicators.indices { b.projects[i].indicators[j].name += hostile }
        }
        for i in b.procurement.indices { b.procurement[i].itemName = hostile }
        for i in b.expenditure.indices { b.expenditure[i].label = hostile }
        b.narrative.duties = hostile
        b.narrative.otherNotes = hostile
        b.prior.reasons.basic = hostile
        b.operatingCosts.use = hostile
        let office = try #require(try await UnitModel.query(on: app.db).filter(\.$code == "434001").first())
        let other = try #require(try await UnitModel.query(on: app.db).with(\.$department).filter(\.$code == "436001").first())
        let draft = b
        try await app.fuzheng.audit.transaction(on: app.db, context: .system) { tx, _ in
            try await BudgetStore.save(draft, unitID: office.requireID(), on: tx)
        }
        other.name = hostile
        try await other.save(on: app.db)

        var published = b
        published.fiscalYear = 2023
        published.department = OrgRef(code: other.department.code, name: hostile)
        var huge = published
        huge.fiscalYear = 2024
        huge.prior.total = published.totalExpenditure
        huge.expenditure[0].amount = Fen(99_999_999_999 * Fen.perWan)
        huge.revenue[0].amount = huge.revenue[0].amount + Fen(99_999_999_999 * Fen.perWan) - seed.expenditure[0].amount
        for (year, budget) in [(2023, published), (2024, huge)] {
            var stored = budget
            stored.status = .published
            let version = DisclosureVersionModel()
            version.$unit.id = try other.requireID()
            version.fiscalYear = year
            version.version = 1
            version.publishedAt = Date()
            version.publishedBy = hostile
            version.note = hostile
            version.budget = try BudgetJSON.encode(stored)
            version.disclosure = String(decoding: try JSONEncoder().encode(DisclosureBuilder.build(stored)),
                as: UTF8.self)
            version.threePublicFen = stored.threePublic.items.total.value
            version.operatingCostsFen = stored.operatingCosts.amount.value
            version.expenditureFen = stored.totalExpenditure.value
            try await version.create(on: app.db)
        }
        return try #require(b.projects.first?.code)
    }

    @Test("form values come back exactly: quotes, angle brackets, ampersands, entities and newlines")
    func roundTrip() async throws {
        try await withFuzhengApp { app, _ in
            let caiwu = try await PreparationTests.create2024(app)
            let path = "/units/434001/budgets/2024/narrative"
            let form = try await caiwu.get(path)
            let text = "\n第一行 \"引号\" 'single' <b>粗</b> & &amp; &lt;\n第二行\t制表"
            let version = try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db)?.0.version ?? 0
            #expect(form.status == .ok)
            let saved = try await caiwu.post(path, ["version": String(version), "otherNotes": text, "duties": "职责一",
                                                    "overallTarget": "目标 \"甲\" <乙> & 丙", "dutyTargets": "",
                                                    "glossary": ""])
            #expect(saved.status == .seeOther)
            let (_, stored) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            // The narrative form trims the ends of a note; inside, every character is kept.
            #expect(stored.narrative.otherNotes == text.trimmingCharacters(in: .whitespacesAndNewlines))
            let page = try await caiwu.get(path).text
            let shown = try #require(Self.textarea("otherNotes", in: page))
            #expect(shown == stored.narrative.otherNotes)
            #expect(Self.rawMarkup(in: page) == [])
            // Posting the page back unchanged changes nothing.
            let again = try await caiwu.post(path, ["version": String(version + 1), "otherNotes": shown,
                                                    "duties": "职责一", "overallTarget": stored.narrative.overallTarget,
                                                    "dutyTargets": "", "glossary": ""])
            #expect(again.status == .seeOther)
            let (_, after) = try #require(try await BudgetStore.find(unitCode: "434001", year: 2024, on: app.db))
            #expect(after.narrative == stored.narrative)
        }
    }

    /// The value of a textarea as a browser reads it: one leading newline dropped, entities decoded.
    static func textarea(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\""),
              let open = html.range(of: ">", range: start.upperBound..<html.endIndex),
              let close = html.range(of: "</textarea>", range: open.upperBound..<html.endIndex) else { return nil }
        var raw = String(html[open.upperBound..<close.lowerBound])
        if raw.hasPrefix("\n") { raw.removeFirst() }
        return raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// The escaping can only be bypassed by building markup outside `Web/SafeHTML.swift`.
@Suite("One place escapes every attribute")
struct SafeHTMLTests {
    static var serverSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/FuzhengServer")
    }

    @Test("no other file builds an Attribute, writes raw markup or calls trustedMarkup outside the disclosure pages")
    func noBypass() throws {
        let files = try #require(FileManager.default.enumerator(at: Self.serverSources,
            includingPropertiesForKeys: nil))
        var checked = 0
        for case let url as URL in files where url.pathExtension == "swift" {
            let name = url.lastPathComponent
            guard name != "SafeHTML.swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            checked += 1
            for forbidden in ["Attribute(name:", "Node.raw", "Attribute<"] {
                #expect(!text.contains(forbidden), "\(name) uses \(forbidden)")
            }
            // SQL has its own raw(); markup's is Plot's `.raw(` on a node.
            for line in text.split(separator: "\n") where line.contains(".raw(") && !line.contains("sql.raw(") {
                Issue.record("\(name): raw markup: \(line)")
            }
            if text.contains(".trustedMarkup(") {
                // The disclosure's HTML, the QR code and the 督办 chart: SVG and markup written by Core with
                // Markup.escape on every value.
                #expect(["DisclosurePages.swift", "TwoFactorView.swift", "SupervisionStats+View.swift"].contains(name),
                    "\(name) writes trusted markup")
            }
        }
        #expect(checked > 40)
    }

    @Test("every shadowed Plot function escapes its value", arguments: [
        SafeHTMLProbe.render(HostileInputTests.hostile),
    ])
    func escapes(_ html: String) {
        #expect(HostileInputTests.rawMarkup(in: html) == [], "\(html)")
        #expect(html.contains("&quot;&#39;&gt;&lt;svg/onload=alert(1)&gt;"))
    }
}

