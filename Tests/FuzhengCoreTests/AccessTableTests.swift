import Foundation
import FuzhengCore
import Testing

/// The whole policy as a table of role × action × scope × target, written here independently of
/// `rules/access-policy.json`: a change to the data file that this table does not also make fails.
@Suite("Access policy table: every role, action and scope")
struct AccessTableTests {
    /// Action → the roles that grant it.
    static let expected: [String: Set<Role>] = [
        "manage_organisation": [.systemAdmin], "manage_users": [.systemAdmin], "manage_security": [.securityAdmin],
        "read_audit_log": [.auditAdmin], "review_budgets": [.financeReviewer],
        "read_unit_business": [.unitFinance, .unitHead, .financeReviewer, .officeStaff, .leader, .clerk, .checker,
                               .archivist, .inspector, .informationOfficer],
        "edit_unit_budget": [.unitFinance], "approve_unit_budget": [.unitHead],
        "draft_document": [.officeStaff, .clerk], "check_document": [.checker], "review_document": [.unitHead],
        "sign_document": [.leader],
        "dispatch_document": [.clerk],
        "register_incoming": [.clerk], "propose_incoming": [.officeStaff, .clerk],
        "handle_incoming": [.officeStaff, .clerk, .unitHead], "archive_documents": [.archivist],
        "supervise_tasks": [.inspector],
        "handle_supervision": [.officeStaff, .clerk, .unitHead], "manage_surveys": [.officeStaff, .unitHead],
        "publish_information": [.informationOfficer],
    ]

    static func permission(_ action: String, _ target: Target) -> Permission {
        switch action {
        case "manage_organisation": .manageOrganisation
        case "manage_users": .manageUsers
        case "manage_security": .manageSecurity
        case "read_audit_log": .readAuditLog
        case "review_budgets": .reviewBudgets
        case "read_unit_business": .readUnitBusiness(unitCode: target.unitCode)
        case "edit_unit_budget": .editUnitBudget(unitCode: target.unitCode)
        case "approve_unit_budget": .approveUnitBudget(unitCode: target.unitCode)
        default: .office(OfficeAction(rawValue: action)!, target)
        }
    }

    /// The holder sits in 434001's 文电科 (434-WD); a `.units` scope names unit 436001 and department 437.
    static let targets: [String: Target] = [
        "own section": Target(unitCode: "434001", section: "434-WD"),
        "other section": Target(unitCode: "434001", section: "434-DC"),
        "own unit": Target(unitCode: "434001"),
        "named unit": Target(unitCode: "436001"),
        "unit of named department": Target(unitCode: "437002"),
        "elsewhere": Target(unitCode: "438001"),
    ]

    /// What each scope reaches, spelled out for this holder.
    static func reaches(_ scope: ScopeKind, _ t: Target) -> Bool {
        switch scope {
        case .section: t.unitCode == "434001" && t.section == "434-WD"
        case .unit: t.unitCode == "434001"
        case .units: t.unitCode == "436001" || t.unitCode.hasPrefix("437")
        case .county: true
        }
    }

    @Test("the data file and this table name the same actions, and every Permission is among them")
    func coverage() {
        #expect(Set(AccessPolicyTable.shared.actions.keys) == Set(Self.expected.keys))
        let covered = Set(Self.expected.keys.map { Self.permission($0, Target(unitCode: "434001")).actionKey })
        #expect(covered == Set(Self.expected.keys))
        #expect(Set(OfficeAction.allCases.map(\.rawValue)).isSubset(of: covered))
    }

    @Test("role × action × scope × target, all 13 × 21 × 4 × 6")
    func table() {
        var checked = 0
        for role in Role.allCases {
            for scope in ScopeKind.allCases {
                let principal = Principal(assignments: [RoleAssignment(role: role, scope: scope, units: ["436001",
                    "437"])],
                                          unitCode: "434001", sectionCode: "434-WD")
                for (action, roles) in Self.expected {
                    for (name, target) in Self.targets {
                        let permission = Self.permission(action, target)
                        // Budget permissions name a unit only: a section-scoped role never reaches them.
                        let reaches = permission.target.map { Self.reaches(scope, $0) } ?? true
                        let want = roles.contains(role) && reaches
                        #expect(AccessPolicy.allows(principal, permission) == want,
                                "\(role) \(scope) \(action) on \(name)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 13 * 21 * 4 * 6)
    }

    @Test("a person's several roles each keep their own scope")
    func severalRoles() {
        let p = Principal(assignments: [RoleAssignment(role: .clerk, scope: .section),
                                        RoleAssignment(role: .informationOfficer, scope: .unit),
                                        RoleAssignment(role: .leader, scope: .units, units: ["436", "437001"])],
                          unitCode: "434001", sectionCode: "434-WD")
        #expect(AccessPolicy.allows(p, .office(.registerIncoming, Target(unitCode: "434001", section: "434-WD"))))
        #expect(!AccessPolicy.allows(p, .office(.registerIncoming, Target(unitCode: "434001", section: "434-DC"))))
        #expect(AccessPolicy.allows(p, .office(.publishInformation, Target(unitCode: "434001", section: "434-DC"))))
        #expect(AccessPolicy.allows(p, .office(.signDocument, Target(unitCode: "436001"))))
        #expect(AccessPolicy.allows(p, .readUnitBusiness(unitCode: "437001")))
        #expect(!AccessPolicy.allows(p, .readUnitBusiness(unitCode: "437002")))
        #expect(!AccessPolicy.allows(p, .editUnitBudget(unitCode: "436001")))
        #expect(p.overseen == ["436", "437001"])
        #expect(p.role == .clerk)
    }

    @Test("三员分立: an administrator with a second role, or a business role beside one, is refused")
    func administratorsAlone() {
        for admin in Role.allCases where admin.isAdministrator {
            for other in Role.allCases where other != admin {
                let errors = RoleAssignments.validate([RoleAssignment(role: admin), RoleAssignment(role: other)],
                                                      knownUnits: [])
                #expect(errors["roles"] == "user.error.adminExclusive", "\(admin) + \(other)")
            }
            #expect(RoleAssignments.validate([RoleAssignment(role: admin)], knownUnits: []).isEmpty)
        }
        #expect(RoleAssignments.validate([RoleAssignment(role: .clerk), RoleAssignment(role: .clerk)],
                                         knownUnits: [])["roles"] == "user.error.roleTwice")
        #expect(RoleAssignments.validate([RoleAssignment(role: .leader, scope: .units, units: [])],
                                         knownUnits: [])["units"] == "user.error.scopeUnitsEmpty")
        #expect(RoleAssignments.validate([RoleAssignment(role: .leader, scope: .units, units: ["999"])],
                                         knownUnits: ["436"])["units"] == "user.error.scopeUnitUnknown")
    }

    @Test("a policy file that mixes administrators and business roles on one action is refused")
    func malformedTable() {
        let bad = #"{"actions": {"manage_users": ["system_admin", "leader"]}, "defaultScopes": {}}"#
        #expect(throws: (any Error).self) { try AccessPolicyTable(data: Data(bad.utf8)) }
    }
}

@Suite("Delegation (代理)")
struct DelegationCoreTests {
    let day: TimeInterval = 86_400
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var vice: Delegator { Delegator(username: "fxz1", displayName: "钱副县长") }

    func deputy() -> Principal {
        Principal(assignments: [RoleAssignment(role: .officeStaff)], unitCode: "434001", sectionCode: nil)
    }

    @Test("the deputy gains the delegator's business roles for the period only, marked with whom they act for")
    func period() {
        let d = Delegation(delegator: vice, deputy: "bangong", starts: t0, ends: t0 + 3 * day)
        let leader = [RoleAssignment(role: .leader, scope: .units, units: ["436", "437"])]
        for (now, active) in [(t0 - 1, false), (t0, true), (t0 + 2 * day, true), (t0 + 3 * day, false)] {
            var p = deputy()
            p.add(d, delegatorAssignments: leader, delegatorUnit: "434001", delegatorSection: nil, at: now)
            let decision = AccessPolicy.decide(p, .office(.signDocument, Target(unitCode: "436001")))
            #expect(decision == (active ? .allowed(actingFor: vice) : .denied), "at \(now)")
            #expect(d.isActive(at: now) == active)
        }
        #expect(d.state(at: t0 + 4 * day) == .ended)
        #expect(d.state(at: t0 - day) == .upcoming)
    }

    @Test("a delegation limited to some units hands over only those; own grants win over delegated ones")
    func limited() {
        let d = Delegation(delegator: vice, deputy: "bangong", starts: t0, ends: t0 + day, units: ["437"])
        var p = deputy()
        p.add(d, delegatorAssignments: [RoleAssignment(role: .leader, scope: .county)], delegatorUnit: "434001",
              delegatorSection: nil, at: t0)
        #expect(AccessPolicy.decide(p, .readUnitBusiness(unitCode: "437001")).isAllowed)
        #expect(!AccessPolicy.allows(p, .readUnitBusiness(unitCode: "436001")))
        #expect(AccessPolicy.decide(p, .readUnitBusiness(unitCode: "434001")) == .allowed(actingFor: nil))
    }

    @Test("administrator roles never travel by delegation; a revoked one ends at once")
    func administratorsAndRevocation() {
        var d = Delegation(delegator: vice, deputy: "bangong", starts: t0, ends: t0 + day)
        var p = deputy()
        p.add(d, delegatorAssignments: [RoleAssignment(role: .systemAdmin)], delegatorUnit: "434001",
              delegatorSection: nil, at: t0)
        #expect(!AccessPolicy.allows(p, .manageUsers))
        d.revokedAt = t0 + 10
        #expect(!d.isActive(at: t0 + 11))
        #expect(d.state(at: t0 + 11) == .revoked)
    }

    @Test("the form's checks: a deputy who exists, not oneself, not an administrator, a period in order")
    func validation() {
        func v(_ deputy: String, exists: Bool = true, admin: Bool = false, starts: Date?,
            ends: Date?) -> [String: String] {
            Delegation.validate(delegatorUsername: "fxz1", deputy: deputy, deputyExists: exists,
                                deputyIsAdministrator: admin, delegatorHasBusinessRole: true, starts: starts,
                                ends: ends, now: t0, units: [], knownUnits: [])
        }
        #expect(v("bangong", starts: t0, ends: t0 + day).isEmpty)
        #expect(v("fxz1", starts: t0, ends: t0 + day)["deputy"] == "delegation.error.self")
        #expect(v("nobody", exists: false, starts: t0, ends: t0 + day)["deputy"] == "delegation.error.deputyUnknown")
        #expect(v("sysadmin", admin: true, starts: t0,
            ends: t0 + day)["deputy"] == "delegation.error.deputyAdministrator")
        #expect(v("bangong", starts: t0, ends: t0 - day)["ends"] != nil)
        #expect(v("bangong", starts: t0, ends: t0 + 91 * day)["ends"] == "delegation.error.tooLong")
        #expect(v("bangong", starts: nil, ends: t0)["starts"] == "delegation.error.date")
    }
}

@Suite("Bodies: direction between any two")
struct BodyDirectionPairsTests {
    @Test("for every pair, up one way is down the other, and across is across both ways")
    func everyPair() throws {
        let r = try BodiesTests.register()
        for a in r.bodies {
            for b in r.bodies where a.code != b.code {
                let there = r.direction(from: a.code, to: b.code), back = r.direction(from: b.code, to: a.code)
                switch there {
                case .upward: #expect(back == .downward, "\(a.code)→\(b.code)")
                case .downward: #expect(back == .upward, "\(a.code)→\(b.code)")
                case .parallel: #expect(back == .parallel, "\(a.code)→\(b.code)")
                }
            }
        }
    }
}

@Suite("Stored roles")
struct StoredRolesTests {
    @Test("roles survive their stored form; foreign text is refused")
    func roundTrip() {
        let roles = [RoleAssignment(role: .clerk, scope: .section), RoleAssignment(role: .leader, scope: .units,
                                                                                  units: ["436", "437001"]),
                     RoleAssignment(role: .inspector)]
        #expect(RoleAssignments.decode(RoleAssignments.encode(roles)) == roles)
        #expect(RoleAssignments.decode("boss:unit") == nil)
        #expect(RoleAssignments.decode("") == nil)
    }
}
