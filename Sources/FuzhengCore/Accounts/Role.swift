/// The roles of the platform. The three administrators are kept apart (三员分立): none of them
/// reads or edits business data, and none can do another's job.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case systemAdmin = "system_admin"        // 系统管理员
    case securityAdmin = "security_admin"    // 安全管理员
    case auditAdmin = "audit_admin"          // 审计管理员
    case unitFinance = "unit_finance"        // 单位财务
    case unitHead = "unit_head"              // 单位负责人
    case financeReviewer = "finance_reviewer" // 财政审核
    case officeStaff = "office_staff"        // 办公人员
    case leader = "leader"                   // 领导

    public var isAdministrator: Bool {
        switch self {
        case .systemAdmin, .securityAdmin, .auditAdmin: true
        default: false
        }
    }

    /// Key of the role's name in the localization tables.
    public var labelKey: String { "role.\(rawValue)" }
}

/// What a request wants to do. Unit-scoped actions carry the unit they touch.
public enum Permission: Sendable, Equatable {
    case manageOrganisation
    case manageUsers
    case manageSecurity
    case readAuditLog
    case readUnitBusiness(unitCode: String)
    case editUnitBudget(unitCode: String)
    case approveUnitBudget(unitCode: String)
    case reviewBudgets
}

/// Who is asking: the anonymous public has no role and no unit.
public struct Principal: Sendable, Equatable {
    public var role: Role?
    public var unitCode: String?

    public init(role: Role?, unitCode: String?) {
        self.role = role
        self.unitCode = unitCode
    }

    public static let anonymous = Principal(role: nil, unitCode: nil)
}

/// Least privilege: everything not granted here is denied.
public enum AccessPolicy {
    public static func allows(_ principal: Principal, _ permission: Permission) -> Bool {
        guard let role = principal.role else { return false }
        switch permission {
        case .manageOrganisation, .manageUsers:
            return role == .systemAdmin
        case .manageSecurity:
            return role == .securityAdmin
        case .readAuditLog:
            return role == .auditAdmin
        case .readUnitBusiness(let unit):
            switch role {
            case .financeReviewer: return true
            case .unitFinance, .unitHead, .officeStaff, .leader: return principal.unitCode == unit
            case .systemAdmin, .securityAdmin, .auditAdmin: return false
            }
        case .editUnitBudget(let unit):
            return role == .unitFinance && principal.unitCode == unit
        case .approveUnitBudget(let unit):
            return role == .unitHead && principal.unitCode == unit
        case .reviewBudgets:
            return role == .financeReviewer
        }
    }
}

/// Someone must always be able to manage accounts, security and the audit trail: the last active
/// holder of an administrator role can be neither given another role nor deactivated, not even by
/// themselves.
public enum AdministratorContinuity {
    /// `otherActiveHolders` counts the active accounts other than this one that hold its current role.
    public static func allows(currentRole: Role?, isActive: Bool, newRole: Role?, newActive: Bool,
                              otherActiveHolders: Int) -> Bool {
        guard let currentRole, currentRole.isAdministrator, isActive else { return true }
        let keepsRole = newActive && newRole == currentRole
        return keepsRole || otherActiveHolders > 0
    }
}
