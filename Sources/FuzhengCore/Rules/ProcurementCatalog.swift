import Foundation

/// The 政府采购品目分类目录 as a form uses it: what a clerk typed (a code, an exact name, or "code name") turned
/// into a code, and a search by code, name or pinyin initials. The names come from
/// catalogs/procurement-catalog-2022.csv, their initials from procurement-catalog-2022-initials.csv (made once
/// by scripts/procurement_initials.py, so the server needs no pinyin tables), and the usual unit of measure
/// from procurement-units.csv, whose rows name a code or the start of the codes of a whole class.
public struct ProcurementCatalog: Sendable {
    public struct Item: Sendable, Equatable, Codable {
        public var code: String
        public var name: String
        /// 1 for 货物/工程/服务's first classes down to 4 for the finest items.
        public var level: Int
        /// Lower-case pinyin initials of the name, Latin letters and digits kept: "a4csdyj".
        public var initials: String
        /// 台, 把, 项 …, or nil where the catalog's class has no usual one.
        public var unit: String?
    }

    public enum Resolution: Sendable, Equatable {
        case empty
        case code(String)
        /// A name that more than one item has (the catalog repeats a few at two levels).
        case ambiguous(name: String, codes: [String])
        case unknown
    }

    /// In code order.
    public let items: [Item]
    private let indexByCode: [String: Int]
    /// Upper-cased name → items with it: "a4彩色打印机" typed in lower case still matches.
    private let indexesByName: [String: [Int]]
    private let upperNames: [String]

    public static let shared: ProcurementCatalog = {
        do {
            return try ProcurementCatalog(
                catalog: Catalogs.resource("procurement-catalog-2022", "csv", "catalogs"),
                initials: Catalogs.resource("procurement-catalog-2022-initials", "csv", "catalogs"),
                units: Catalogs.resource("procurement-units", "csv", "catalogs"))
        } catch {
            preconditionFailure("FuzhengCore procurement catalog files are missing or malformed: \(error)")
        }
    }()

    /// From the three CSV files' contents (each with a header line; no quoted commas in them).
    public init(catalog: Data, initials: Data, units: Data) throws {
        let initialsByCode = Dictionary(Self.rows(initials).map { ($0[0], $0.count > 1 ? $0[1] : "") },
                                        uniquingKeysWith: { first, _ in first })
        let unitByPrefix = Dictionary(Self.rows(units).filter { $0.count > 1 }.map { ($0[0], $0[1]) },
                                      uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        for cells in Self.rows(catalog) where cells.count >= 2 {
            let code = cells[0]
            // The longest start of the code that the units file names: a row for an item beats its class's.
            let unit = (0...code.count).reversed().lazy.compactMap { unitByPrefix[String(code.prefix($0))] }.first
            items.append(Item(code: code, name: cells[1], level: cells.count > 2 ? Int(cells[2]) ?? 0 : 0,
                              initials: initialsByCode[code] ?? "", unit: unit))
        }
        items.sort { $0.code < $1.code }
        self.items = items
        indexByCode = Dictionary(items.enumerated().map { ($0.element.code, $0.offset) },
                                 uniquingKeysWith: { first, _ in first })
        upperNames = items.map { $0.name.uppercased() }
        indexesByName = Dictionary(grouping: items.indices, by: { items[$0].name.uppercased() })
    }

    static func rows(_ data: Data) -> [[String]] {
        String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    public subscript(code: String) -> Item? { indexByCode[code].map { items[$0] } }

    /// A code ("A02021004", any case), "code name" as the form's suggestions write it (the code decides), or an
    /// item's exact name.
    public func resolve(_ text: String) -> Resolution {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty else { return .empty }
        let first = String(typed.prefix { !$0.isWhitespace }).uppercased()
        if indexByCode[first] != nil { return .code(first) }
        let named = indexesByName[typed.uppercased()] ?? []
        switch named.count {
        case 0: return .unknown
        case 1: return .code(items[named[0]].code)
        default: return .ambiguous(name: typed, codes: named.map { items[$0].code })
        }
    }

    /// Items whose code starts with the query, whose name contains it, or whose initials start with it; in that
    /// order of likeness (code, exact name, name start, initials start, name anywhere, then initials anywhere for
    /// three or more letters), each in code order. `more` says whether the limit cut some off.
    public func search(_ query: String, limit: Int = 20) -> (items: [Item], more: Bool) {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty, limit > 0 else { return ([], false) }
        let upper = q.uppercased()
        let lower = q.lowercased()
        let asInitials = lower.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        var rank: [(rank: Int, index: Int)] = []
        for (i, item) in items.enumerated() {
            let name = upperNames[i]
            let r: Int? = if item.code.hasPrefix(upper) { 0 }
                else if name == upper { 1 }
                else if name.hasPrefix(upper) { 2 }
                else if asInitials && item.initials.hasPrefix(lower) { 3 }
                else if name.contains(upper) { 4 }
                else if asInitials && lower.count >= 3 && item.initials.contains(lower) { 5 }
                else { nil }
            if let r { rank.append((r, i)) }
        }
        rank.sort { ($0.rank, $0.index) < ($1.rank, $1.index) }
        return (rank.prefix(limit).map { items[$0.index] }, rank.count > limit)
    }
}
