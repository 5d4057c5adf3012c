import Vapor

func routes(_ app: Application) throws {
    // Public: no login.
    app.get(.portal, use: PortalController.home)
    app.get(.publicUnit(code: ""), use: PortalController.unit)
    app.get(.login, use: AuthController.showLogin)
    app.post(.login, use: AuthController.login)
    app.get(.loginVerify, use: TwoFactorController.showVerify)
    app.post(.loginVerify, use: TwoFactorController.verify)
    app.get(.language(.zh), use: SiteController.switchLanguage)
    app.get(.stylesheet, use: SiteController.css)
    app.get(.script, use: SiteController.js)
    app.get(.healthz, use: OperationsController.healthz)
    app.get(.readyz, use: OperationsController.readyz)
    app.get(.metrics, use: OperationsController.metrics)
    app.get(.procurementCatalog, use: RegistersEditController.catalogSearch)
    app.get(.disclosures, use: PortalDisclosureController.list)
    app.get(.disclosureOverview, use: PortalDisclosureController.overview)
    app.get(.disclosure(code: "", year: 0), use: PortalDisclosureController.show)
    app.get(.disclosureVersion(code: "", year: 0, version: 0), use: PortalDisclosureController.show)
    app.get(.disclosureDownload(code: "", year: 0, version: 0, format: ""), use: PortalDisclosureController.download)
    app.get(.disclosureCompare(code: "", year: 0), use: PortalDisclosureController.compare)
    // Browsers ask for it on every visit; answering "nothing" keeps 404s out of the logs.
    app.get("favicon.ico") { _ in Response(status: .noContent) }

    // Signed in, even with a password change pending.
    let pending = app.grouped(RequireLoginMiddleware(allowPendingPasswordChange: true))
    pending.post(.logout, use: AuthController.logout)
    pending.get(.changePassword, use: AuthController.showChangePassword)
    pending.post(.changePassword, use: AuthController.changePassword)
    pending.get(.twoFactor, use: TwoFactorController.showEnrolment)
    pending.post(.twoFactor, use: TwoFactorController.confirmEnrolment)

    // Signed in with a password in order; each handler checks its permission.
    let user = app.grouped(RequireLoginMiddleware())
    user.get(.home, use: HomeController.show)
    user.get(.units, use: UnitController.list)
    user.get(.unit(code: ""), use: UnitController.show)
    user.get(.budget(code: "", year: 0), use: BudgetController.show)
    user.get(.budgetPublish(code: "", year: 0), use: PublishController.confirm)
    user.post(.budgetPublish(code: "", year: 0), use: PublishController.publish)
    user.get(.financeDue, use: PublishController.due)
    user.post(.budgetWorkflow(code: "", year: 0), use: WorkflowController.act)
    user.get(.budgetNew(code: ""), use: BudgetCreateController.show)
    user.post(.budgetNew(code: ""), use: BudgetCreateController.create)
    user.get(.budgetEditProject(code: "", year: 0, project: ""), use: ProjectEditController.show)
    user.post(.budgetEditProject(code: "", year: 0, project: ""), use: ProjectEditController.save)
    user.get(.budgetEditFigures(code: "", year: 0), use: FiguresEditController.show)
    user.post(.budgetEditFigures(code: "", year: 0), use: FiguresEditController.save)
    user.get(.budgetEditProcurement(code: "", year: 0), use: RegistersEditController.showProcurement)
    user.post(.budgetEditProcurement(code: "", year: 0), use: RegistersEditController.saveProcurement)
    user.get(.budgetEditAssets(code: "", year: 0), use: RegistersEditController.showAssets)
    user.post(.budgetEditAssets(code: "", year: 0), use: RegistersEditController.saveAssets)
    user.get(.budgetEditNarrative(code: "", year: 0), use: RegistersEditController.showNarrative)
    user.post(.budgetEditNarrative(code: "", year: 0), use: RegistersEditController.saveNarrative)
    user.get(.inbox, use: InboxController.show)
    user.post(.inboxRead, use: InboxController.markAllRead)

    user.get(.adminUnits, use: UnitAdminController.list)
    user.get(.adminUnitNew, use: UnitAdminController.new)
    user.post(.adminUnitNew, use: UnitAdminController.create)
    user.get(.adminUnitEdit(code: ""), use: UnitAdminController.edit)
    user.post(.adminUnitEdit(code: ""), use: UnitAdminController.update)
    user.get(.adminUnitActivation(code: ""), use: UnitAdminController.confirmActivation)
    user.post(.adminUnitActivation(code: ""), use: UnitAdminController.toggleActivation)

    user.get(.adminUsers, use: UserAdminController.list)
    user.get(.adminUserNew, use: UserAdminController.new)
    user.post(.adminUserNew, use: UserAdminController.create)
    user.get(.adminUserEdit(username: ""), use: UserAdminController.edit)
    user.post(.adminUserEdit(username: ""), use: UserAdminController.update)
    user.get(.adminUserActivation(username: ""), use: UserAdminController.confirmActivation)
    user.post(.adminUserActivation(username: ""), use: UserAdminController.toggleActivation)

    user.get(.security, use: SecurityController.show)
    user.post(.securityUnlock(username: ""), use: SecurityController.unlock)
    user.get(.securityReset(username: ""), use: SecurityController.showReset)
    user.post(.securityReset(username: ""), use: SecurityController.reset)

    user.get(.audit, use: AuditController.list)
    user.get(.auditExport, use: AuditController.export)
    user.get(.auditVerify, use: AuditController.verify)

    // Anything else is a 404 page rendered by ErrorPageMiddleware.
}
