import FuzhengCore
import Vapor

/// What the shared layout needs from a request; views get this, never the request itself.
struct PageContext: Sendable {
    var l: L10n
    var user: CurrentUser?
    var csrfToken: String?
    var path: String
    var demoMode: Bool
    var requestID: String

    var navigation: [NavigationItem] {
        NavigationItem.all.filter { $0.isVisible(user?.principal ?? .anonymous) }
    }
}

/// One entry of the module navigation. Modules add themselves here as they land.
struct NavigationItem: Sendable {
    var labelKey: String
    var route: @Sendable (Principal) -> SiteRoute
    var isVisible: @Sendable (Principal) -> Bool

    static let all: [NavigationItem] = [
        NavigationItem(labelKey: "nav.home", route: { _ in .home }, isVisible: { $0.role != nil }),
        NavigationItem(labelKey: "nav.myUnit", route: { .unit(code: $0.unitCode ?? "") },
                       isVisible: { principal in
                           principal.unitCode.map { AccessPolicy.allows(principal,
                               .readUnitBusiness(unitCode: $0)) } ?? false
                       }),
        NavigationItem(labelKey: "nav.documents", route: { _ in .documents }, isVisible: { p in
            p.grants.contains { [.officeStaff, .clerk, .checker, .unitHead, .leader].contains($0.role) }
        }),
        NavigationItem(labelKey: "nav.incoming", route: { _ in .incoming }, isVisible: { p in
            p.grants.contains { [.officeStaff, .clerk, .unitHead, .leader].contains($0.role) }
        }),
        NavigationItem(labelKey: "nav.execution", route: { _ in .execution }, isVisible: ExecutionController.canUse),
        NavigationItem(labelKey: "nav.surveys", route: { _ in .surveys },
                       isVisible: { p in p.grants.contains { !$0.role.isAdministrator } }),
        NavigationItem(labelKey: "nav.supervision", route: { _ in .supervision },
                       isVisible: SupervisionQueries.canUse),
        NavigationItem(labelKey: "nav.search", route: { _ in .search }, isVisible: SearchController.canSearch),
        NavigationItem(labelKey: "nav.archive", route: { _ in .archive }, isVisible: { p in
            p.grants.contains { $0.role == .archivist }
        }),
        NavigationItem(labelKey: "nav.oversight", route: { _ in .oversight }, isVisible: { !$0.oversight.isEmpty }),
        NavigationItem(labelKey: "nav.units", route: { _ in .units }, isVisible: { AccessPolicy.allows($0,
            .reviewBudgets) }),
        NavigationItem(labelKey: "nav.financeDue", route: { _ in .financeDue }, isVisible: { AccessPolicy.allows($0,
            .reviewBudgets) }),
        NavigationItem(labelKey: "nav.adminUnits", route: { _ in .adminUnits }, isVisible: { AccessPolicy.allows($0,
            .manageOrganisation) }),
        NavigationItem(labelKey: "calendar.title", route: { _ in .adminCalendar }, isVisible: { AccessPolicy.allows($0,
            .manageOrganisation) }),
        NavigationItem(labelKey: "nav.adminUsers", route: { _ in .adminUsers }, isVisible: { AccessPolicy.allows($0,
            .manageUsers) }),
        NavigationItem(labelKey: "nav.security", route: { _ in .security }, isVisible: { AccessPolicy.allows($0,
            .manageSecurity) }),
        NavigationItem(labelKey: "nav.availability", route: { _ in .availability },
                       isVisible: { AccessPolicy.allows($0, .manageSecurity) }),
        NavigationItem(labelKey: "seals.title", route: { _ in .seals },
                       isVisible: { AccessPolicy.allows($0, .manageSecurity) }),
        NavigationItem(labelKey: "nav.audit", route: { _ in .audit }, isVisible: { AccessPolicy.allows($0,
            .readAuditLog) }),
        NavigationItem(labelKey: "nav.delegations", route: { _ in .delegations },
                       isVisible: { $0.ownRoles.contains { !$0.isAdministrator } }),
        NavigationItem(labelKey: "nav.disclosures", route: { _ in .disclosures }, isVisible: { _ in true }),
        NavigationItem(labelKey: "nav.portal", route: { _ in .portal }, isVisible: { _ in true }),
    ]
}

extension Request {
    /// `withForm` starts a session for anonymous visitors so the form can carry a CSRF token.
    func pageContext(withForm: Bool = false) -> PageContext {
        let token: String? = (currentUser != nil || withForm) ? csrfToken : nil
        return PageContext(l: l10n, user: currentUser, csrfToken: token, path: url.path,
                           demoMode: application.fuzheng.config.demoMode, requestID: id)
    }
}
