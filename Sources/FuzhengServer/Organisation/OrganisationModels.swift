import Fluent
import Foundation

final class RegionModel: Model, @unchecked Sendable {
    static let schema = "regions"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String

    init() {}

    init(id: UUID? = nil, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

final class DepartmentModel: Model, @unchecked Sendable {
    static let schema = "departments"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Parent(key: "region_id") var region: RegionModel

    init() {}

    init(id: UUID? = nil, code: String, name: String, regionID: UUID) {
        self.id = id
        self.code = code
        self.name = name
        self.$region.id = regionID
    }
}

final class UnitModel: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Parent(key: "department_id") var department: DepartmentModel
    @Field(key: "nature") var nature: String
    @Field(key: "grade") var grade: String
    @Field(key: "funding_form") var fundingForm: String
    @Field(key: "duties") var duties: String
    @Field(key: "setup") var setup: String
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, departmentID: UUID, nature: String, grade: String,
         fundingForm: String, duties: String, setup: String, isActive: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.$department.id = departmentID
        self.nature = nature
        self.grade = grade
        self.fundingForm = fundingForm
        self.duties = duties
        self.setup = setup
        self.isActive = isActive
    }

    /// A one-line description of the audited fields, for before/after summaries.
    var auditSummary: String {
        "code=\(code); name=\(name); nature=\(nature); grade=\(grade); funding=\(fundingForm); active=\(isActive)"
    }
}
