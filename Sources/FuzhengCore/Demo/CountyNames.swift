import Foundation

/// The name tables and figure ranges the county generator draws from, shipped as
/// Resources/demo/county.json: departments and their units, projects, people's names, shares of
/// each economic code. Catalog codes in it are checked against the catalogs by the tests.
public struct CountyNames: Sendable, Decodable {
    public struct Region: Sendable, Decodable {
        public var code: String
        public var name: String
    }

    public struct UnitTemplate: Sendable, Decodable {
        public var name: String
        public var kind: String
        public var nature: String
        public var grade: String
        public var fundingForm: String
        public var duties: String
        public var projects: [String]?
    }

    public struct DepartmentTemplate: Sendable, Decodable {
        public var code: String
        public var name: String
        /// 功能分类 of the department's own lines; `institutionFunction` for its 事业 units when it differs.
        public var function: String
        public var institutionFunction: String?
        public var units: [UnitTemplate]
        /// Units every town has under this department (a 卫生院, a 中心小学 …), `{town}` in their names.
        public var perTown: [UnitTemplate]?
    }

    /// How big a kind of unit is: staff, vehicles, floor space, share of 事业收入 in ‰.
    public struct Kind: Sendable, Decodable {
        public var staff: [Int]
        public var vehicles: [Int]
        public var areaPerStaff: [Int]
        public var reception: Bool
        public var businessIncome: Int
        public var highValue: [Int]
        public var otherPerStaff: [Int]
    }

    public struct ProcurementItem: Sendable, Decodable {
        public var catalogCode: String
        public var unitOfMeasure: String
        public var priceYuan: [Int]
        public var quantity: [Int]
        /// The 部门经济分类 of the line that pays for it when it is not the project's own.
        public var economic: String?
    }

    public struct QuantityIndicator: Sendable, Decodable {
        public var name: String
        public var unit: String
        public var min: Int
        public var max: Int
        public var comparator: String
    }

    public struct ProjectTemplate: Sendable, Decodable {
        public var name: String
        public var economic: String
        public var amountWan: [Int]
        public var quantity: QuantityIndicator
        public var target: String
        public var benefit: String
        public var use: String
        public var procurement: [ProcurementItem]?
    }

    public struct Share: Sendable, Decodable {
        public var economic: String
        /// Per mille of the unit's personnel or public-use spending.
        public var share: Int
        /// A fixed 功能分类 (pensions, housing fund); "medical" picks 行政单位医疗 or 行政事业单位医疗.
        public var function: String?
    }

    public struct FixedIndicator: Sendable, Decodable {
        public var name: String
        public var comparator: String
        public var value: String
        public var unit: String
    }

    public struct Reasons: Sendable, Decodable {
        public var up: [String]
        public var down: [String]
        public var same: [String]
    }

    public var region: Region
    public var initialPassword: String
    public var fundDocumentPrefix: String
    public var towns: [String]
    public var townDepartmentCodeStart: Int
    public var townUnits: [UnitTemplate]
    public var townFunction: String
    public var departments: [DepartmentTemplate]
    public var kinds: [String: Kind]
    public var projects: [String: ProjectTemplate]
    public var personnel: [Share]
    public var publicUse: [Share]
    /// 部门经济分类 → 政府经济分类 for administrative units; 事业 units take `institutionGovernmentEconomic`.
    public var governmentEconomic: [String: String]
    public var institutionGovernmentEconomic: String
    public var wagePerStaffYuan: [Int]
    public var publicUsePerStaffYuan: [Int]
    public var vehicleOperationYuan: [Int]
    public var receptionYuan: [Int]
    public var buildingYuanPerSquareMetre: [Int]
    public var vehicleYuan: [Int]
    public var highValueYuan: [Int]
    public var otherAssetYuan: [Int]
    public var reasons: [String: Reasons]
    public var quality: [FixedIndicator]
    public var timeliness: [FixedIndicator]
    public var satisfaction: [FixedIndicator]
    public var dutyTargets: [String]
    public var glossary: [GlossaryEntry]
    public var operatingCostsUse: String
    public var otherNotes: String
    /// [汉字, pinyin] pairs; pinyin makes the usernames.
    public var surnames: [[String]]
    public var givenNames: [[String]]

    public static let shared: CountyNames = {
        do {
            return try JSONDecoder().decode(CountyNames.self, from: Catalogs.resource("county", "json", "demo"))
        } catch {
            preconditionFailure("FuzhengCore resource demo/county.json is missing or malformed: \(error)")
        }
    }()
}
