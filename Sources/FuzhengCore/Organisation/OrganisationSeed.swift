/// An organisation and its accounts as a data file describes them (the demo data, or a county's
/// initial load).
public struct OrganisationSeed: Sendable, Codable, Equatable {
    public struct Region: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
    }

    public struct Department: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
    }

    public struct Unit: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var departmentCode: String
        public var nature: String
        public var grade: String
        public var fundingForm: String
        public var duties: String
        public var setup: String
    }

    public struct Account: Sendable, Codable, Equatable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var unitCode: String
        /// Several roles with scopes, written as a clerk writes them in an import sheet (`PeopleImport.parseRoles`):
        /// 领导（分管：436、437）；when present the first role must be `role`.
        public var roles: String? = nil
        /// 职务 (县长, 副县长 …) and the office section (a body code) the person works in.
        public var title: String? = nil
        public var section: String? = nil

        public init(username: String, displayName: String, role: Role, unitCode: String, roles: String? = nil,
                    title: String? = nil, section: String? = nil) {
            self.username = username
            self.displayName = displayName
            self.role = role
            self.unitCode = unitCode
            self.roles = roles
            self.title = title
            self.section = section
        }

        /// The account's roles with their scopes: `roles` when given, else `role` with its default scope.
        public var assignments: [RoleAssignment] {
            if let roles, case .success(let parsed) = PeopleImport.parseRoles(roles) { return parsed }
            return [RoleAssignment(role: role)]
        }
    }

    public var note: String?
    public var region: Region
    public var departments: [Department]
    public var units: [Unit]
    public var accounts: [Account]
    /// The published first password of every demo account (README lists it).
    public var initialPassword: String

    /// Problems that would make the seed load half an organisation, as readable sentences.
    public func problems(catalog: UnitAttributeCatalog = .shared) -> [String] {
        var found: [String] = []
        if !OrganisationCode.isRegionCode(region.code) { found.append("region.code \(region.code)") }
        let departmentCodes = Set(departments.map(\.code))
        for d in departments where !OrganisationCode.isDepartmentCode(d.code) { found.append("department.code \(d.code)") }
        for u in units {
            let draft = UnitDraft(code: u.code, name: u.name, departmentCode: u.departmentCode, nature: u.nature,
                                  grade: u.grade, fundingForm: u.fundingForm)
            for (field, _) in draft.validate(catalog: catalog).sorted(by: { $0.key < $1.key }) { found.append("unit \(u.code).\(field)") }
            if !departmentCodes.contains(u.departmentCode) { found.append("unit \(u.code).departmentCode") }
        }
        let unitCodes = Set(units.map(\.code))
        for a in accounts {
            let errors = UserDraft(username: a.username, displayName: a.displayName, role: a.role.rawValue,
                unitCode: a.unitCode)
                .validate(knownUnits: unitCodes)
            for (field, _) in errors.sorted(by: { $0.key < $1.key }) { found.append("account \(a.username).\(field)") }
            if let roles = a.roles {
                switch PeopleImport.parseRoles(roles) {
                case .failure: found.append("account \(a.username).roles")
                case .success(let parsed):
                    let scopeCodes = unitCodes.union(departmentCodes)
                    if parsed.first?.role != a.role || !RoleAssignments.validate(parsed,
                        knownUnits: scopeCodes).isEmpty {
                        found.append("account \(a.username).roles")
                    }
                }
            }
        }
        if !PasswordPolicy.level3.violations(for: initialPassword).isEmpty { found.append("initialPassword") }
        return found
    }
}
