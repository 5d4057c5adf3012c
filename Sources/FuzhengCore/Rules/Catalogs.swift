import Foundation

/// Code lists and standards the rules check against, loaded from the data files shipped in
/// Resources/catalogs and Resources/standards. A county can pass its own `AssetStandards`.
public struct Catalogs: Sendable {
    public var functionClassification: [String: String]
    public var departmentEconomic: [String: String]
    public var governmentEconomic: [String: String]
    public var procurement: [String: String]
    /// Framework → first-level category → allowed second-level categories.
    public var frameworks: [PerformanceFramework: [String: [String]]]

    public static let shared: Catalogs = {
        do {
            return Catalogs(
                functionClassification: try codeList("function-classification-2023"),
                departmentEconomic: try codeList("economic-classification-department"),
                governmentEconomic: try codeList("economic-classification-government"),
                procurement: try codeList("procurement-catalog-2022"),
                frameworks: try loadFrameworks())
        } catch {
            preconditionFailure("FuzhengCore catalogs are missing or malformed: \(error)")
        }
    }()

    static func resource(_ name: String, _ ext: String, _ folder: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: folder)
                ?? Bundle.module.url(forResource: name, withExtension: ext)
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(folder)/\(name).\(ext)"]) }
        return try Data(contentsOf: url)
    }

    /// A two-or-more-column CSV whose first columns are code,name (no quoted commas in these lists).
    static func codeList(_ name: String) throws -> [String: String] {
        let text = String(decoding: try resource(name, "csv", "catalogs"), as: UTF8.self)
        var map: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count >= 2 else { continue }
            map[String(cells[0])] = String(cells[1])
        }
        return map
    }

    static func loadFrameworks() throws -> [PerformanceFramework: [String: [String]]] {
        let json = try JSONSerialization.jsonObject(with: try resource("performance-frameworks", "json", "catalogs")) as? [String: Any] ?? [:]
        var result: [PerformanceFramework: [String: [String]]] = [:]
        for framework in PerformanceFramework.allCases {
            result[framework] = json[framework.rawValue] as? [String: [String]] ?? [:]
        }
        return result
    }
}

/// Unit-price caps and service lives of general office equipment and furniture.
public struct AssetStandards: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public var item: String
        public var catalogCodes: [String]
        /// Cap in 元 by grade band ("bureau", "division") or "all".
        public var capYuan: [String: Int64]
        public var lifeYears: Int
    }

    public var name: String
    public var items: [Item]
    /// Grade band → the 单位规格 values in it.
    public var grades: [String: [String]]

    /// 财资〔2016〕27号, the central standard: the default until a province or county file overrides it.
    public static let central: AssetStandards = {
        do {
            return try JSONDecoder().decode(AssetStandards.self, from: Catalogs.resource("office-asset-standards", "json", "standards"))
        } catch {
            preconditionFailure("standards/office-asset-standards.json is missing or malformed: \(error)")
        }
    }()

    public static func load(from data: Data) throws -> AssetStandards {
        try JSONDecoder().decode(AssetStandards.self, from: data)
    }

    public func band(forGrade grade: String) -> String? {
        grades.first { $0.value.contains(grade) }?.key
    }

    /// The cap for a catalog code (or item name) at a unit grade.
    public func cap(catalogCode: String, itemName: String, grade: String?) -> (item: Item, cap: Fen)? {
        guard let item = items.first(where: { $0.catalogCodes.contains(catalogCode) }) ?? items.first(where: { $0.item == itemName })
        else { return nil }
        let band = grade.flatMap(band(forGrade:)) ?? "division"
        guard let yuan = item.capYuan["all"] ?? item.capYuan[band] ?? item.capYuan.values.min() else { return nil }
        return (item, Fen.yuan(yuan))
    }
}
