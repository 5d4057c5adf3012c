import Foundation

/// Every path of the site, used both to register routes and to build links, so a renamed path
/// cannot leave a dead link behind.
enum SiteRoute {
    case portal
    case publicUnit(code: String)
    case login
    case loginVerify
    case logout
    case home
    case changePassword
    case twoFactor
    case language(Language)
    case stylesheet
    case script
    case units
    case unit(code: String)
    case budget(code: String, year: Int)
    case budgetPublish(code: String, year: Int)
    case budgetWorkflow(code: String, year: Int)
    case budgetNew(code: String)
    case budgetEditProject(code: String, year: Int, project: String)
    case budgetEditFigures(code: String, year: Int)
    case budgetEditProcurement(code: String, year: Int)
    case budgetEditAssets(code: String, year: Int)
    case budgetEditNarrative(code: String, year: Int)
    case budgetConfirmFinding(code: String, year: Int)
    case budgetWorkbookDownload(code: String, year: Int)
    case budgetWorkbook(code: String, year: Int)
    case budgetWorkbookConfirm(code: String, year: Int)
    case procurementCatalog
    case procurementCatalogJSON
    case inbox
    case inboxRead
    case inboxOpen(id: String)
    case financeDue
    case disclosures
    case disclosureOverview
    case disclosure(code: String, year: Int)
    case disclosureVersion(code: String, year: Int, version: Int)
    case disclosureDownload(code: String, year: Int, version: Int, format: String)
    case disclosureCompare(code: String, year: Int)
    case adminUnits
    case adminBodies
    case adminBodyNew
    case adminBodyEdit(code: String)
    case oversight
    case documents
    case documentNew
    case documentFromDocx
    case document(id: String)
    case documentEdit(id: String)
    case documentStep(id: String)
    case documentWaive(id: String)
    case documentVoid(id: String)
    case documentAttachments(id: String)
    case documentAttachment(id: String, position: Int)
    case documentCompare(id: String)
    case documentSignature(id: String, event: String)
    case documentFile(id: String, format: String)
    case documentRegister
    case documentsReceived
    case deliverySign(id: String)
    case deliveryAct(id: String)
    case publicDocuments
    case publicDocument(id: String)
    case publicDocumentFile(id: String, format: String)
    case secretPapers
    case documentRegisterExport
    case adminCalendar
    case incoming
    case incomingNew
    case incomingItem(id: String)
    case incomingStep(id: String)
    case incomingCirculate(id: String)
    case incomingSheet(id: String)
    case incomingFile(id: String)
    case incomingSignature(id: String, event: String)
    case incomingReading(id: String)
    case incomingReply(id: String)
    case supervision
    case supervisionNew
    case supervisionStatistics
    case supervisionBulletin
    case supervisionItem(id: String)
    case supervisionStep(id: String)
    case supervisionSplit(id: String)
    case supervisionSheet(id: String)
    case supervisionReply(id: String)
    case supervisionFile(id: String)
    case execution
    case executionImport
    case executionUnit(code: String)
    case executionProject(code: String, project: String)
    case executionAdjust(code: String, project: String)
    case executionPay(code: String, project: String)
    case monitoring
    case evaluations
    case evaluation(code: String, year: Int, project: String)
    case evaluationStep(code: String, year: Int, project: String)
    case evaluationFile(code: String, year: Int, project: String, format: String)
    case publicEvaluation(code: String, year: Int)
    case finalAccounts(code: String, year: Int)
    case finalAccountsPublish(code: String, year: Int)
    case finalAccountsFile(code: String, year: Int, format: String)
    case publicFinal(code: String, year: Int)
    case publicFinalFile(code: String, year: Int, format: String)
    case monitoringTable(code: String, project: String, point: String)
    case monitoringStep(code: String, project: String, point: String)
    case monitoringFile(code: String, project: String, point: String, format: String)
    case surveys
    case survey(id: String)
    case surveyAnswer(id: String)
    case surveyClose(id: String)
    case surveyTokens(id: String)
    case publicSurvey(token: String)
    case search
    case archive
    case archiveFile
    case archiveClose
    case archiveSettings
    case archiveCatalogue
    case archiveItem(id: String)
    case archivePeriod(id: String)
    case archiveCorrect(id: String)
    case archivePackage(id: String)
    case delegations
    case delegationRevoke(id: String)
    case adminUsersImport
    case adminUsersImportConfirm
    case adminUsersImportTemplate
    case adminUnitNew
    case adminUnitEdit(code: String)
    case adminUnitActivation(code: String)
    case adminUsers
    case adminUserNew
    case adminUserEdit(username: String)
    case adminUserActivation(username: String)
    case security
    case securityUnlock(username: String)
    case securityReset(username: String)
    case seals
    case sealUpload(code: String)
    case sealRemove(code: String)
    case audit
    case auditExport
    case auditVerify
    case availability
    case incidentNew
    case incidentEdit(id: String)
    case healthz
    case readyz
    case metrics

    var path: String {
        switch self {
        case .portal: "/"
        case .publicUnit(let code): "/public/units/\(code)"
        case .login: "/login"
        case .loginVerify: "/login/verify"
        case .logout: "/logout"
        case .home: "/home"
        case .changePassword: "/account/password"
        case .twoFactor: "/account/2fa"
        case .language(let lang): "/lang/\(lang.rawValue)"
        case .stylesheet: "/static/app.css"
        case .script: "/static/app.js"
        case .units: "/units"
        case .unit(let code): "/units/\(code)"
        case .budget(let code, let year): "/units/\(code)/budgets/\(year)"
        case .budgetPublish(let code, let year): "/units/\(code)/budgets/\(year)/publish"
        case .financeDue: "/finance/due"
        case .budgetWorkflow(let code, let year): "/units/\(code)/budgets/\(year)/workflow"
        case .budgetNew(let code): "/units/\(code)/budgets/new"
        case .budgetEditProject(let code, let year, let project): "/units/\(code)/budgets/\(year)/projects/\(project)"
        case .budgetEditFigures(let code, let year): "/units/\(code)/budgets/\(year)/figures"
        case .budgetEditProcurement(let code, let year): "/units/\(code)/budgets/\(year)/procurement"
        case .budgetEditAssets(let code, let year): "/units/\(code)/budgets/\(year)/assets"
        case .budgetEditNarrative(let code, let year): "/units/\(code)/budgets/\(year)/narrative"
        case .budgetConfirmFinding(let code, let year): "/units/\(code)/budgets/\(year)/findings/confirm"
        case .budgetWorkbookDownload(let code, let year): "/units/\(code)/budgets/\(year)/workbook.xlsx"
        case .budgetWorkbook(let code, let year): "/units/\(code)/budgets/\(year)/workbook"
        case .budgetWorkbookConfirm(let code, let year): "/units/\(code)/budgets/\(year)/workbook/confirm"
        case .procurementCatalog: "/catalog/procurement"
        case .procurementCatalogJSON: "/catalog/procurement.json"
        case .inbox: "/inbox"
        case .inboxRead: "/inbox/read"
        case .inboxOpen(let id): "/inbox/\(id)/open"
        case .disclosures: "/disclosures"
        case .disclosureOverview: "/disclosures/overview"
        case .disclosure(let code, let year): "/disclosures/\(code)/\(year)"
        case .disclosureVersion(let code, let year, let version): "/disclosures/\(code)/\(year)/v/\(version)"
        case .disclosureDownload(let code, let year, let version,
            let format): "/disclosures/\(code)/\(year)/v/\(version)/download/\(format)"
        case .disclosureCompare(let code, let year): "/disclosures/\(code)/\(year)/compare"
        case .adminUnits: "/admin/units"
        case .adminBodies: "/admin/bodies"
        case .adminBodyNew: "/admin/bodies/new"
        case .adminBodyEdit(let code): "/admin/bodies/\(code)/edit"
        case .oversight: "/oversight"
        case .documents: "/documents"
        case .documentNew: "/documents/new"
        case .documentFromDocx: "/documents/new/docx"
        case .document(let id): "/documents/\(id)"
        case .documentEdit(let id): "/documents/\(id)/edit"
        case .documentStep(let id): "/documents/\(id)/step"
        case .documentWaive(let id): "/documents/\(id)/waive"
        case .documentVoid(let id): "/documents/\(id)/void"
        case .documentAttachments(let id): "/documents/\(id)/attachments"
        case .documentAttachment(let id, let position): "/documents/\(id)/attachments/\(position)"
        case .documentCompare(let id): "/documents/\(id)/compare"
        case .documentSignature(let id, let event): "/documents/\(id)/signatures/\(event)"
        case .documentFile(let id, let format): "/documents/\(id)/files/\(format)"
        case .documentRegister: "/documents/register"
        case .documentsReceived: "/documents/received"
        case .deliverySign(let id): "/documents/deliveries/\(id)/sign"
        case .deliveryAct(let id): "/documents/deliveries/\(id)/act"
        case .publicDocuments: "/public/documents"
        case .publicDocument(let id): "/public/documents/\(id)"
        case .publicDocumentFile(let id, let format): "/public/documents/\(id)/files/\(format)"
        case .secretPapers: "/documents/secret-papers"
        case .documentRegisterExport: "/documents/register/export"
        case .adminCalendar: "/admin/calendar"
        case .incoming: "/incoming"
        case .incomingNew: "/incoming/new"
        case .incomingItem(let id): "/incoming/\(id)"
        case .incomingStep(let id): "/incoming/\(id)/step"
        case .incomingCirculate(let id): "/incoming/\(id)/circulate"
        case .incomingSheet(let id): "/incoming/\(id)/sheet"
        case .incomingFile(let id): "/incoming/\(id)/file"
        case .incomingSignature(let id, let event): "/incoming/\(id)/signatures/\(event)"
        case .incomingReading(let id): "/incoming/readings/\(id)"
        case .incomingReply(let id): "/incoming/\(id)/reply"
        case .supervision: "/supervision"
        case .supervisionNew: "/supervision/new"
        case .supervisionStatistics: "/supervision/statistics"
        case .supervisionBulletin: "/supervision/bulletin"
        case .supervisionItem(let id): "/supervision/\(id)"
        case .supervisionStep(let id): "/supervision/\(id)/step"
        case .supervisionSplit(let id): "/supervision/\(id)/split"
        case .supervisionSheet(let id): "/supervision/\(id)/sheet"
        case .supervisionReply(let id): "/supervision/\(id)/reply"
        case .supervisionFile(let id): "/supervision/files/\(id)"
        case .execution: "/execution"
        case .executionImport: "/execution/import"
        case .executionUnit(let code): "/execution/units/\(code)"
        case .executionProject(let code, let project): "/execution/units/\(code)/projects/\(project)"
        case .executionAdjust(let code, let project): "/execution/units/\(code)/projects/\(project)/adjust"
        case .executionPay(let code, let project): "/execution/units/\(code)/projects/\(project)/payments"
        case .monitoring: "/execution/monitoring"
        case .evaluations: "/evaluation"
        case .evaluation(let code, let year, let project): "/evaluation/units/\(code)/\(year)/projects/\(project)"
        case .evaluationStep(let code, let year, let project):
            "/evaluation/units/\(code)/\(year)/projects/\(project)/step"
        case .evaluationFile(let code, let year, let project, let format):
            "/evaluation/units/\(code)/\(year)/projects/\(project)/files/\(format)"
        case .publicEvaluation(let code, let year): "/public/units/\(code)/evaluations/\(year)"
        case .finalAccounts(let code, let year): "/final/units/\(code)/\(year)"
        case .finalAccountsPublish(let code, let year): "/final/units/\(code)/\(year)/publish"
        case .finalAccountsFile(let code, let year, let format): "/final/units/\(code)/\(year)/files/\(format)"
        case .publicFinal(let code, let year): "/public/units/\(code)/final/\(year)"
        case .publicFinalFile(let code, let year, let format): "/public/units/\(code)/final/\(year)/files/\(format)"
        case .monitoringTable(let code, let project, let point):
            "/execution/units/\(code)/projects/\(project)/monitoring/\(point)"
        case .monitoringStep(let code, let project, let point):
            "/execution/units/\(code)/projects/\(project)/monitoring/\(point)/step"
        case .monitoringFile(let code, let project, let point, let format):
            "/execution/units/\(code)/projects/\(project)/monitoring/\(point)/files/\(format)"
        case .surveys: "/surveys"
        case .survey(let id): "/surveys/\(id)"
        case .surveyAnswer(let id): "/surveys/\(id)/answer"
        case .surveyClose(let id): "/surveys/\(id)/close"
        case .surveyTokens(let id): "/surveys/\(id)/tokens"
        case .publicSurvey(let token): "/public/surveys/\(token)"
        case .search: "/search"
        case .archive: "/archive"
        case .archiveFile: "/archive/file"
        case .archiveClose: "/archive/close"
        case .archiveSettings: "/archive/settings"
        case .archiveCatalogue: "/archive/catalogue"
        case .archiveItem(let id): "/archive/items/\(id)"
        case .archivePeriod(let id): "/archive/items/\(id)/period"
        case .archiveCorrect(let id): "/archive/items/\(id)/correct"
        case .archivePackage(let id): "/archive/items/\(id)/package"
        case .delegations: "/account/delegations"
        case .delegationRevoke(let id): "/account/delegations/\(id)/revoke"
        case .adminUsersImport: "/admin/users/import"
        case .adminUsersImportConfirm: "/admin/users/import/confirm"
        case .adminUsersImportTemplate: "/admin/users/import/template.xlsx"
        case .adminUnitNew: "/admin/units/new"
        case .adminUnitEdit(let code): "/admin/units/\(code)/edit"
        case .adminUnitActivation(let code): "/admin/units/\(code)/activation"
        case .adminUsers: "/admin/users"
        case .adminUserNew: "/admin/users/new"
        case .adminUserEdit(let username): "/admin/users/\(username)/edit"
        case .adminUserActivation(let username): "/admin/users/\(username)/activation"
        case .security: "/security"
        case .securityUnlock(let username): "/security/users/\(username)/unlock"
        case .securityReset(let username): "/security/users/\(username)/reset"
        case .seals: "/security/seals"
        case .sealUpload(let code): "/security/seals/\(code)"
        case .sealRemove(let code): "/security/seals/\(code)/remove"
        case .audit: "/audit"
        case .auditExport: "/audit/export.csv"
        case .auditVerify: "/audit/verify"
        case .availability: "/operations/availability"
        case .incidentNew: "/operations/incidents/new"
        case .incidentEdit(let id): "/operations/incidents/\(id)"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        }
    }

    /// The route's path pattern for registration, as path components (":name" for parameters).
    var pattern: [String] {
        if case .language = self { return ["lang", ":lang"] }
        switch self {
        case .budget: return ["units", ":code", "budgets", ":year"]
        case .budgetPublish: return ["units", ":code", "budgets", ":year", "publish"]
        case .budgetWorkflow: return ["units", ":code", "budgets", ":year", "workflow"]
        case .budgetNew: return ["units", ":code", "budgets", "new"]
        case .budgetEditProject: return ["units", ":code", "budgets", ":year", "projects", ":project"]
        case .budgetEditFigures: return ["units", ":code", "budgets", ":year", "figures"]
        case .budgetEditProcurement: return ["units", ":code", "budgets", ":year", "procurement"]
        case .budgetEditAssets: return ["units", ":code", "budgets", ":year", "assets"]
        case .budgetEditNarrative: return ["units", ":code", "budgets", ":year", "narrative"]
        case .budgetConfirmFinding: return ["units", ":code", "budgets", ":year", "findings", "confirm"]
        case .budgetWorkbookDownload: return ["units", ":code", "budgets", ":year", "workbook.xlsx"]
        case .budgetWorkbook: return ["units", ":code", "budgets", ":year", "workbook"]
        case .budgetWorkbookConfirm: return ["units", ":code", "budgets", ":year", "workbook", "confirm"]
        case .disclosure: return ["disclosures", ":code", ":year"]
        case .disclosureVersion: return ["disclosures", ":code", ":year", "v", ":version"]
        case .disclosureDownload: return ["disclosures", ":code", ":year", "v", ":version", "download", ":format"]
        case .disclosureCompare: return ["disclosures", ":code", ":year", "compare"]
        case .documentAttachment: return ["documents", ":id", "attachments", ":position"]
        case .documentSignature: return ["documents", ":id", "signatures", ":event"]
        case .documentFile: return ["documents", ":id", "files", ":format"]
        case .publicDocumentFile: return ["public", "documents", ":id", "files", ":format"]
        case .incomingSignature: return ["incoming", ":id", "signatures", ":event"]
        case .executionProject: return ["execution", "units", ":code", "projects", ":project"]
        case .executionAdjust: return ["execution", "units", ":code", "projects", ":project", "adjust"]
        case .executionPay: return ["execution", "units", ":code", "projects", ":project", "payments"]
        case .evaluation: return ["evaluation", "units", ":code", ":year", "projects", ":project"]
        case .evaluationStep: return ["evaluation", "units", ":code", ":year", "projects", ":project", "step"]
        case .evaluationFile:
            return ["evaluation", "units", ":code", ":year", "projects", ":project", "files", ":format"]
        case .publicEvaluation: return ["public", "units", ":code", "evaluations", ":year"]
        case .finalAccounts: return ["final", "units", ":code", ":year"]
        case .finalAccountsPublish: return ["final", "units", ":code", ":year", "publish"]
        case .finalAccountsFile: return ["final", "units", ":code", ":year", "files", ":format"]
        case .publicFinal: return ["public", "units", ":code", "final", ":year"]
        case .publicFinalFile: return ["public", "units", ":code", "final", ":year", "files", ":format"]
        default: break
        }
        let template: SiteRoute = switch self {
        case .publicUnit: .publicUnit(code: ":code")
        case .unit: .unit(code: ":code")
        case .adminUnitEdit: .adminUnitEdit(code: ":code")
        case .adminUnitActivation: .adminUnitActivation(code: ":code")
        case .adminUserEdit: .adminUserEdit(username: ":username")
        case .adminUserActivation: .adminUserActivation(username: ":username")
        case .securityUnlock: .securityUnlock(username: ":username")
        case .securityReset: .securityReset(username: ":username")
        case .sealUpload: .sealUpload(code: ":code")
        case .sealRemove: .sealRemove(code: ":code")
        case .incidentEdit: .incidentEdit(id: ":id")
        case .inboxOpen: .inboxOpen(id: ":id")
        case .adminBodyEdit: .adminBodyEdit(code: ":code")
        case .document: .document(id: ":id")
        case .deliverySign: .deliverySign(id: ":id")
        case .deliveryAct: .deliveryAct(id: ":id")
        case .publicDocument: .publicDocument(id: ":id")
        case .documentEdit: .documentEdit(id: ":id")
        case .documentStep: .documentStep(id: ":id")
        case .documentWaive: .documentWaive(id: ":id")
        case .documentVoid: .documentVoid(id: ":id")
        case .documentAttachments: .documentAttachments(id: ":id")
        case .documentCompare: .documentCompare(id: ":id")
        case .delegationRevoke: .delegationRevoke(id: ":id")
        case .incomingItem: .incomingItem(id: ":id")
        case .incomingStep: .incomingStep(id: ":id")
        case .incomingCirculate: .incomingCirculate(id: ":id")
        case .incomingSheet: .incomingSheet(id: ":id")
        case .incomingFile: .incomingFile(id: ":id")
        case .incomingReading: .incomingReading(id: ":id")
        case .incomingReply: .incomingReply(id: ":id")
        case .archiveItem: .archiveItem(id: ":id")
        case .supervisionItem: .supervisionItem(id: ":id")
        case .supervisionStep: .supervisionStep(id: ":id")
        case .supervisionSplit: .supervisionSplit(id: ":id")
        case .supervisionSheet: .supervisionSheet(id: ":id")
        case .supervisionReply: .supervisionReply(id: ":id")
        case .supervisionFile: .supervisionFile(id: ":id")
        case .executionUnit: .executionUnit(code: ":code")
        case .monitoringTable: .monitoringTable(code: ":code", project: ":project", point: ":point")
        case .monitoringStep: .monitoringStep(code: ":code", project: ":project", point: ":point")
        case .monitoringFile: .monitoringFile(code: ":code", project: ":project", point: ":point", format: ":format")
        case .survey: .survey(id: ":id")
        case .surveyAnswer: .surveyAnswer(id: ":id")
        case .surveyClose: .surveyClose(id: ":id")
        case .surveyTokens: .surveyTokens(id: ":id")
        case .publicSurvey: .publicSurvey(token: ":token")
        case .archivePeriod: .archivePeriod(id: ":id")
        case .archiveCorrect: .archiveCorrect(id: ":id")
        case .archivePackage: .archivePackage(id: ":id")
        default: self
        }
        return template.path.split(separator: "/").map(String.init)
    }
}

import Vapor

extension RoutesBuilder {
    @discardableResult
    func get(_ route: SiteRoute,
        use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        get(route.pattern.map { PathComponent(stringLiteral: $0) }, use: handler)
    }

    @discardableResult
    func post(_ route: SiteRoute,
        use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        post(route.pattern.map { PathComponent(stringLiteral: $0) }, use: handler)
    }

    /// A POST whose body may exceed the site's default (an upload such as a year's treasury export).
    @discardableResult
    func post(_ route: SiteRoute, maxBody bytes: Int,
              use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        // The CSRF check (a global middleware, before the router) reads the body first: it must allow as much.
        CSRFMiddleware.allow(bytes, onPath: route.pattern)
        return on(.POST, route.pattern.map { PathComponent(stringLiteral: $0) },
                  body: .collect(maxSize: ByteCount(value: bytes)), use: handler)
    }
}
