import Foundation

/// The allowed values of a unit's 单位性质, 单位规格 and 经费保障形式, shipped as a data file.
public struct UnitAttributeCatalog: Sendable, Codable, Equatable {
    public var natures: [String]
    public var grades: [String]
    public var fundingForms: [String]

    public static let shared: UnitAttributeCatalog = {
        guard let url = Bundle.module.url(forResource: "unit-attributes", withExtension: "json", subdirectory: "catalogs")
                ?? Bundle.module.url(forResource: "unit-attributes", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let catalog = try? JSONDecoder().decode(UnitAttributeCatalog.self, from: data)
        else {
            preconditionFailure("FuzhengCore resource catalogs/unit-attributes.json is missing or malformed")
        }
        return catalog
    }()
}

/// Codes of the organisation tree: 行政区划代码 (6 digits), 部门 code (3 digits) and
/// 单位 code (the department's code followed by 3 digits, e.g. 434001).
public enum OrganisationCode {
    public static func isRegionCode(_ code: String) -> Bool {
        code.count == 6 && code.allSatisfy(\.isASCIIDigit)
    }

    public static func isDepartmentCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy(\.isASCIIDigit)
    }

    public static func isUnitCode(_ code: String, department: String) -> Bool {
        code.count == 6 && code.allSatisfy(\.isASCIIDigit) && code.hasPrefix(department)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// A unit as the organisation form submits it; `validate` names each field that is wrong.
public struct UnitDraft: Sendable, Equatable {
    public var code: String
    public var name: String
    public var departmentCode: String
    public var nature: String
    public var grade: String
    public var fundingForm: String
    public var duties: String
    public var setup: String

    public init(code: String, name: String, departmentCode: String, nature: String, grade: String,
                fundingForm: String, duties: String = "", setup: String = "") {
        self.code = code.trimmingCharacters(in: .whitespaces)
        self.name = name.trimmingCharacters(in: .whitespaces)
        self.departmentCode = departmentCode
        self.nature = nature
        self.grade = grade
        self.fundingForm = fundingForm
        self.duties = duties
        self.setup = setup
    }

    /// Field name → message key.
    public func validate(catalog: UnitAttributeCatalog = .shared) -> [String: String] {
        var errors: [String: String] = [:]
        if !OrganisationCode.isUnitCode(code, department: departmentCode) { errors["code"] = "unit.error.code" }
        if name.isEmpty || name.count > 100 { errors["name"] = "unit.error.name" }
        if !catalog.natures.contains(nature) { errors["nature"] = "unit.error.nature" }
        if !catalog.grades.contains(grade) { errors["grade"] = "unit.error.grade" }
        if !catalog.fundingForms.contains(fundingForm) { errors["fundingForm"] = "unit.error.fundingForm" }
        return errors
    }
}
