import Foundation

/// The roles of the platform. The three administrators are kept apart (三员分立): none of them
/// reads or edits business data, none can do another's job, and none holds a second role.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case systemAdmin = "system_admin"        // 系统管理员
    case securityAdmin = "security_admin"    // 安全管理员
    case auditAdmin = "audit_admin"          // 审计管理员
    case unitFinance = "unit_finance"        // 单位财务
    case unitHead = "unit_head"              // 单位负责人
    case financeReviewer = "finance_reviewer" // 财政审核
    case officeStaff = "office_staff"        // 办公人员
    case leader = "leader"                   // 领导（县长、副县长、办公室主任）
    case clerk = "clerk"                     // 文书
    case checker = "checker"                 // 核稿
    case archivist = "archivist"             // 档案员
    case inspector = "inspector"             // 督查室
    case informationOfficer = "information_officer" // 信息员

    public var isAdministrator: Bool {
        switch self {
        case .systemAdmin, .securityAdmin, .auditAdmin: true
        default: false
        }
    }

    /// Key of the role's name in the localization tables.
    public var labelKey: String { "role.\(rawValue)" }

    /// The scope a role has when nobody chose one (the account's main role, an older account).
    public var defaultScope: ScopeKind { AccessPolicyTable.shared.defaultScopes[self] ?? .unit }
}

/// How far a role reaches, as an administrator assigns it: relative to the holder (own section, own unit) or
/// absolute (named units or whole departments, the county).
public enum ScopeKind: String, Sendable, Codable, CaseIterable, Hashable {
    case section, unit, units, county

    public var labelKey: String { "scope.\(rawValue)" }
}

/// One role of a person with its scope, as stored. For `.units`, `units` lists unit codes (6 digits) or department
/// codes (3 digits, meaning every unit of the department); a leader's named units are the units they 分管.
public struct RoleAssignment: Sendable, Codable, Hashable {
    public var role: Role
    public var scope: ScopeKind
    public var units: [String]

    public init(role: Role, scope: ScopeKind? = nil, units: [String] = []) {
        self.role = role
        self.scope = scope ?? role.defaultScope
        self.units = self.scope == .units ? units : []
    }

    /// The reach of this assignment for a holder in `unitCode` (and, for the office's staff, `sectionCode`).
    public func reach(unitCode: String?, sectionCode: String?) -> Reach {
        switch scope {
        case .county: return .county
        case .units: return .units(Set(units))
        case .unit: return unitCode.map { .units([$0]) } ?? .nothing
        case .section:
            guard let unitCode, let sectionCode else { return .nothing }
            return .section(unit: unitCode, section: sectionCode)
        }
    }
}

/// What a grant reaches, resolved to absolute terms so that a deputy acting for someone reaches what they reach.
public enum Reach: Sendable, Hashable {
    case nothing
    case county
    /// Unit codes, or department codes standing for all their units.
    case units(Set<String>)
    case section(unit: String, section: String)

    public func covers(_ target: Target) -> Bool {
        switch self {
        case .nothing: false
        case .county: true
        case .units(let codes): Self.contains(codes, target.unitCode)
        case .section(let unit, let section): target.unitCode == unit && target.section == section
        }
    }

    /// What is left of this reach inside the named units (a delegation limited to some units).
    public func limited(to codes: Set<String>) -> Reach {
        switch self {
        case .nothing: return .nothing
        case .county: return .units(codes)
        case .units(let own):
            let kept = own.filter { Self.contains(codes, $0) }.union(codes.filter { Self.contains(own, $0) })
            return kept.isEmpty ? .nothing : .units(kept)
        case .section(let unit, _): return Self.contains(codes, unit) ? self : .nothing
        }
    }

    /// A unit is in a set that names it or its department (the first three digits of a unit code).
    static func contains(_ codes: Set<String>, _ code: String) -> Bool {
        codes.contains(code) || (code.count == 6 && codes.contains(String(code.prefix(3))))
    }
}

/// The unit (and for the office's own sections, the section) an action touches.
public struct Target: Sendable, Hashable {
    public var unitCode: String
    public var section: String?

    public init(unitCode: String, section: String? = nil) {
        self.unitCode = unitCode
        self.section = section
    }
}

/// The work of the office's roles that the 公文 and 督查 modules check before they act.
public enum OfficeAction: String, Sendable, CaseIterable, Hashable {
    case draftDocument = "draft_document"
    case checkDocument = "check_document"
    case reviewDocument = "review_document"
    case signDocument = "sign_document"
    case dispatchDocument = "dispatch_document"
    case registerIncoming = "register_incoming"
    /// 拟办 and 传阅 of incoming documents.
    case proposeIncoming = "propose_incoming"
    /// 承办 and 协办 of an incoming document for a unit.
    case handleIncoming = "handle_incoming"
    case archiveDocuments = "archive_documents"
    case superviseTasks = "supervise_tasks"
    /// 签收, 反馈 and 延期申请 of a 督办 item for its lead unit.
    case handleSupervision = "handle_supervision"
    /// 满意度问卷: build, send and close a unit's surveys, read their results.
    case manageSurveys = "manage_surveys"
    case publishInformation = "publish_information"
}

/// What a request wants to do. Unit-scoped actions carry the unit they touch.
public enum Permission: Sendable, Hashable {
    case manageOrganisation
    case manageUsers
    case manageSecurity
    case readAuditLog
    case reviewBudgets
    case readUnitBusiness(unitCode: String)
    case editUnitBudget(unitCode: String)
    case approveUnitBudget(unitCode: String)
    case office(OfficeAction, Target)

    /// The key of the action in `rules/access-policy.json`.
    public var actionKey: String {
        switch self {
        case .manageOrganisation: "manage_organisation"
        case .manageUsers: "manage_users"
        case .manageSecurity: "manage_security"
        case .readAuditLog: "read_audit_log"
        case .reviewBudgets: "review_budgets"
        case .readUnitBusiness: "read_unit_business"
        case .editUnitBudget: "edit_unit_budget"
        case .approveUnitBudget: "approve_unit_budget"
        case .office(let action, _): action.rawValue
        }
    }

    /// Nil for the actions that touch no unit (the administrators' work, the finance bureau's review list).
    public var target: Target? {
        switch self {
        case .manageOrganisation, .manageUsers, .manageSecurity, .readAuditLog, .reviewBudgets: nil
        case .readUnitBusiness(let unit), .editUnitBudget(let unit),
            .approveUnitBudget(let unit): Target(unitCode: unit)
        case .office(_, let target): target
        }
    }
}

/// Someone a deputy acts for (代): shown beside the deputy's name and in the audit trail.
public struct Delegator: Sendable, Hashable, Codable {
    public var username: String
    public var displayName: String

    public init(username: String, displayName: String) {
        self.username = username
        self.displayName = displayName
    }
}

/// A role with its resolved reach; `actingFor` is set when it comes from someone else's delegation.
public struct Grant: Sendable, Hashable {
    public var role: Role
    public var reach: Reach
    public var actingFor: Delegator?

    public init(role: Role, reach: Reach, actingFor: Delegator? = nil) {
        self.role = role
        self.reach = reach
        self.actingFor = actingFor
    }
}

/// Who is asking: the anonymous public has no grant and no unit.
public struct Principal: Sendable, Equatable {
    public var grants: [Grant]
    public var unitCode: String?
    public var sectionCode: String?

    /// One role with its default scope: an account as older code and tests describe it.
    public init(role: Role?, unitCode: String?) {
        self.init(assignments: role.map { [RoleAssignment(role: $0)] } ?? [], unitCode: unitCode, sectionCode: nil)
    }

    public init(assignments: [RoleAssignment], unitCode: String?, sectionCode: String?) {
        self.grants = assignments.map { Grant(role: $0.role, reach: $0.reach(unitCode: unitCode,
            sectionCode: sectionCode)) }
        self.unitCode = unitCode
        self.sectionCode = sectionCode
    }

    public static let anonymous = Principal(role: nil, unitCode: nil)

    /// The account's main role, the first of its own.
    public var role: Role? { grants.first { $0.actingFor == nil }?.role }

    public var ownRoles: [Role] { grants.filter { $0.actingFor == nil }.map(\.role) }

    /// The grant of `role` that reaches `unitCode`, one's own before a delegated one.
    public func grant(_ role: Role, reaching target: Target) -> Grant? {
        let matching = grants.filter { $0.role == role && $0.reach.covers(target) }
        return matching.first { $0.actingFor == nil } ?? matching.first
    }

    /// What a leader oversees (分管), or a deputy acting for one: named units and departments, or the whole county;
    /// empty for everyone else (a leader of their own unit only oversees nothing beyond it).
    public var oversight: [Reach] {
        // A deputy acting for a leader looks after the same units while the delegation lasts.
        grants.filter { $0.role == .leader }.map(\.reach).filter {
            switch $0 {
            case .county: true
            case .units(let codes): !codes.isEmpty
            case .nothing, .section: false
            }
        }
    }

    /// The units and departments a leader 分管 (the named units of their own leader roles).
    public var overseen: [String] {
        var codes: [String] = []
        for grant in grants where grant.role == .leader && grant.actingFor == nil {
            if case .units(let set) = grant.reach { codes += set.sorted().filter { !codes.contains($0) } }
        }
        return codes
    }

    /// Adds what a delegation hands over: the delegator's business roles, limited to the delegation's units.
    public mutating func add(_ delegation: Delegation, delegatorAssignments: [RoleAssignment],
                             delegatorUnit: String?, delegatorSection: String?, at now: Date) {
        guard delegation.isActive(at: now) else { return }
        for assignment in delegatorAssignments where !assignment.role.isAdministrator {
            var reach = assignment.reach(unitCode: delegatorUnit, sectionCode: delegatorSection)
            if !delegation.units.isEmpty { reach = reach.limited(to: Set(delegation.units)) }
            guard reach != .nothing else { continue }
            grants.append(Grant(role: assignment.role, reach: reach, actingFor: delegation.delegator))
        }
    }
}

/// Allowed, and whether only through someone's delegation (the act is then marked 代 and audited as such).
public enum AccessDecision: Sendable, Equatable {
    case denied
    case allowed(actingFor: Delegator?)

    public var isAllowed: Bool { self != .denied }
}

/// The table behind every decision, from `rules/access-policy.json`: the roles that grant each action, and the
/// roles whose default scope is not their own unit.
public struct AccessPolicyTable: Sendable {
    public var actions: [String: Set<Role>]
    public var defaultScopes: [Role: ScopeKind]

    private struct File: Decodable {
        var actions: [String: [Role]]
        var defaultScopes: [String: ScopeKind]
    }

    public init(data: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: data)
        actions = file.actions.mapValues(Set.init)
        var scopes: [Role: ScopeKind] = [:]
        for (key, scope) in file.defaultScopes {
            guard let role = Role(rawValue: key) else { throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "unknown role \(key) in defaultScopes")) }
            scopes[role] = scope
        }
        defaultScopes = scopes
        for (action, roles) in actions {
            let admin = roles.filter(\.isAdministrator), business = roles.filter { !$0.isAdministrator }
            if !admin.isEmpty && !business.isEmpty {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                    "\(action) mixes administrators and business roles (三员分立)"))
            }
        }
    }

    public static let shared: AccessPolicyTable = {
        do {
            return try AccessPolicyTable(data: Catalogs.resource("access-policy", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/access-policy.json is missing or malformed: \(error)")
        }
    }()
}

/// Least privilege: everything the table does not grant is denied.
public enum AccessPolicy {
    public static func decide(_ principal: Principal, _ permission: Permission,
                              table: AccessPolicyTable = .shared) -> AccessDecision {
        let roles = table.actions[permission.actionKey] ?? []
        let usable = principal.grants.filter { grant in
            guard roles.contains(grant.role) else { return false }
            // An administrator's role never travels by delegation.
            if grant.role.isAdministrator && grant.actingFor != nil { return false }
            guard let target = permission.target else { return true }
            return grant.reach.covers(target)
        }
        if usable.contains(where: { $0.actingFor == nil }) { return .allowed(actingFor: nil) }
        if let delegated = usable.first { return .allowed(actingFor: delegated.actingFor) }
        return .denied
    }

    public static func allows(_ principal: Principal, _ permission: Permission) -> Bool {
        decide(principal, permission).isAllowed
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

/// The roles of one person, checked as a whole before they are stored.
public enum RoleAssignments {
    /// Field name → message key. `knownUnits` holds the unit and department codes a `.units` scope may name.
    public static func validate(_ assignments: [RoleAssignment], knownUnits: Set<String>) -> [String: String] {
        var errors: [String: String] = [:]
        if assignments.isEmpty { errors["roles"] = "user.error.role" }
        if assignments.contains(where: \.role.isAdministrator) && assignments.count > 1 {
            // 三员分立: an administrator holds exactly one role and no business role.
            errors["roles"] = "user.error.adminExclusive"
        }
        if Set(assignments.map(\.role)).count != assignments.count { errors["roles"] = "user.error.roleTwice" }
        for a in assignments where a.scope == .units {
            if a.units.isEmpty { errors["units"] = "user.error.scopeUnitsEmpty" }
            if a.units.contains(where: { !knownUnits.contains($0) }) { errors["units"] = "user.error.scopeUnitUnknown" }
        }
        for a in assignments where a.role.isAdministrator && a.scope != a.role.defaultScope {
            errors["roles"] = "user.error.adminExclusive"
        }
        return errors
    }
}

extension RoleAssignments {
    /// The stored form of a person's roles, one column on their account row so that every request reads them
    /// with the account: `clerk:section;leader:units=436,437001`.
    public static func encode(_ assignments: [RoleAssignment]) -> String {
        assignments.map { a in
            a.scope == .units ? "\(a.role.rawValue):units=\(a.units.joined(separator: ","))"
                : "\(a.role.rawValue):\(a.scope.rawValue)"
        }.joined(separator: ";")
    }

    /// Nil for text this platform did not write.
    public static func decode(_ text: String) -> [RoleAssignment]? {
        var out: [RoleAssignment] = []
        for part in text.split(separator: ";") {
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let role = Role(rawValue: pieces[0]) else { return nil }
            if pieces[1].hasPrefix("units=") {
                let units = pieces[1].dropFirst(6).split(separator: ",").map(String.init)
                out.append(RoleAssignment(role: role, scope: .units, units: units))
            } else {
                guard let scope = ScopeKind(rawValue: pieces[1]) else { return nil }
                out.append(RoleAssignment(role: role, scope: scope))
            }
        }
        return out.isEmpty ? nil : out
    }
}
