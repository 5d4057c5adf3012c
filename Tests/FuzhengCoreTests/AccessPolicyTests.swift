import FuzhengCore
import Testing

@Suite("Access policy: least privilege and 三员分立")
struct AccessPolicyTests {
    func p(_ role: Role?, _ unit: String? = "434001") -> Principal { Principal(role: role, unitCode: unit) }

    @Test("the three administrators each do only their own job and never read business data")
    func separationOfDuties() {
        let business: [Permission] = [.readUnitBusiness(unitCode: "434001"), .editUnitBudget(unitCode: "434001"),
                                      .approveUnitBudget(unitCode: "434001"), .reviewBudgets]
        for admin in [Role.systemAdmin, .securityAdmin, .auditAdmin] {
            for permission in business {
                #expect(!AccessPolicy.allows(p(admin), permission), "\(admin) must not get \(permission)")
            }
        }
        #expect(AccessPolicy.allows(p(.systemAdmin), .manageUsers))
        #expect(!AccessPolicy.allows(p(.systemAdmin), .readAuditLog))
        #expect(!AccessPolicy.allows(p(.systemAdmin), .manageSecurity))
        #expect(AccessPolicy.allows(p(.securityAdmin), .manageSecurity))
        #expect(!AccessPolicy.allows(p(.securityAdmin), .manageUsers))
        #expect(!AccessPolicy.allows(p(.securityAdmin), .readAuditLog))
        #expect(AccessPolicy.allows(p(.auditAdmin), .readAuditLog))
        #expect(!AccessPolicy.allows(p(.auditAdmin), .manageUsers))
    }

    @Test("unit staff reach only their own unit; the finance bureau reads every unit")
    func unitIsolation() {
        #expect(AccessPolicy.allows(p(.unitFinance), .editUnitBudget(unitCode: "434001")))
        #expect(!AccessPolicy.allows(p(.unitFinance, "436001"), .readUnitBusiness(unitCode: "434001")))
        #expect(!AccessPolicy.allows(p(.unitFinance, "436001"), .editUnitBudget(unitCode: "434001")))
        #expect(!AccessPolicy.allows(p(.unitHead), .editUnitBudget(unitCode: "434001")))
        #expect(AccessPolicy.allows(p(.unitHead), .approveUnitBudget(unitCode: "434001")))
        #expect(AccessPolicy.allows(p(.financeReviewer, "436001"), .readUnitBusiness(unitCode: "434001")))
        #expect(!AccessPolicy.allows(p(.financeReviewer, "436001"), .editUnitBudget(unitCode: "434001")))
    }

    @Test("the anonymous public is granted nothing here")
    func anonymous() {
        for permission: Permission in [.manageUsers, .readAuditLog, .readUnitBusiness(unitCode: "434001"), .reviewBudgets] {
            #expect(!AccessPolicy.allows(.anonymous, permission))
        }
    }
}
