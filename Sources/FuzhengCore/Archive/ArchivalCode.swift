import Foundation

/// 保管期限 of a 件 (DA/T 22-2015 5.1): 永久, 定期30年, 定期10年.
public enum RetentionPeriod: String, Sendable, Codable, CaseIterable, Hashable {
    case permanent = "Y"
    case thirtyYears = "D30"
    case tenYears = "D10"

    public var nameZh: String {
        switch self {
        case .permanent: "永久"
        case .thirtyYears: "定期30年"
        case .tenYears: "定期10年"
        }
    }
}

/// 档号 of a 件 (DA/T 22-2015 6.2): 全宗号-门类代码·年度-保管期限代码-机构（问题）代码-件号, e.g.
/// 0434-WS·2023-Y-BGS-0001. 件号 restart per 年度 + 期限 (+ 机构) and are written with four digits.
public struct ArchivalCode: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 全宗号 (per body, configurable): letters and digits.
    public var fonds: String
    /// 门类代码: WS for 文书 records.
    public var category: String
    public var year: Int
    public var period: RetentionPeriod
    /// 机构（问题）代码, optional (empty: left out with its hyphen).
    public var organisation: String
    public var item: Int

    public init(fonds: String, category: String = "WS", year: Int, period: RetentionPeriod, organisation: String,
                item: Int) {
        self.fonds = fonds
        self.category = category
        self.year = year
        self.period = period
        self.organisation = organisation
        self.item = item
    }

    public var description: String {
        let number = item < 10_000 ? String(repeating: "0", count: 4 - String(item).count) + String(item)
            : String(item)
        return [fonds + "-" + category + "·" + String(year), period.rawValue, organisation, number]
            .filter { !$0.isEmpty }.joined(separator: "-")
    }

    /// Problems of the parts, named in both languages; empty when the code is well formed.
    public var problems: [String] {
        var out: [String] = []
        func plain(_ s: String) -> Bool { s.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9")
            .contains($0) } }
        if fonds.isEmpty || fonds.count > 8 || !plain(fonds) {
            out.append("全宗号应为 1 至 8 位大写字母或数字 / the fonds code must be 1–8 capital letters or digits")
        }
        if category.isEmpty || category.count > 4 || !plain(category) {
            out.append("门类代码应为大写字母 / the category code must be capital letters")
        }
        if !(1949...2199).contains(year) { out.append("年度不在 1949–2199 之间 / the year is not within 1949–2199") }
        if organisation.count > 8 || !plain(organisation) {
            out.append("机构代码应为至多 8 位大写字母或数字 / the organisation code must be at most 8 capital letters or "
                       + "digits")
        }
        if !(1...9_999).contains(item) { out.append("件号应为 1 至 9999 / the item number must be 1–9999") }
        return out
    }

    /// Reads a 档号 as written (0434-WS·2023-Y-BGS-0001, or without the organisation code); nil when it is not of the
    /// standard's form.
    public static func parse(_ text: String) -> ArchivalCode? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 || parts.count == 5 else { return nil }
        let head = parts[1].split(separator: "·", omittingEmptySubsequences: false).map(String.init)
        guard head.count == 2, head[1].count == 4, head[1].allSatisfy(\.isASCII), let year = Int(head[1]),
              let period = RetentionPeriod(rawValue: parts[2]), let itemText = parts.last, itemText.count >= 4,
              itemText.allSatisfy({ $0.isASCII && $0.isNumber }), let item = Int(itemText) else { return nil }
        let code = ArchivalCode(fonds: parts[0], category: head[0], year: year, period: period,
                                organisation: parts.count == 5 ? parts[3] : "", item: item)
        guard code.problems.isEmpty, code.organisation.isEmpty == (parts.count == 4), code.description == text else {
            return nil
        }
        return code
    }
}

/// Who wrote a document, as the retention table sorts it.
public enum DocumentAuthor: String, Sendable, Codable, CaseIterable {
    case own, superior, subordinate, other
}

/// The proposed 保管期限 of a 件, from `rules/retention.json` (first matching rule); the 档案员 may change it per item
/// with a reason.
public struct RetentionPolicy: Sendable, Codable {
    public struct Rule: Sendable, Codable, Equatable {
        public var author: DocumentAuthor
        public var types: [String]
        public var period: RetentionPeriod
        public var basis: String
    }

    /// How a 来文单位's name sorts its author (a county adapts the lists to its own bodies).
    public struct Senders: Sendable, Codable {
        public var superiorPrefixes: [String]
        public var subordinateWords: [String]
    }

    public var rules: [Rule]
    public var senders: Senders

    public static let shared: RetentionPolicy = {
        do {
            return try JSONDecoder().decode(RetentionPolicy.self, from: Catalogs.resource("retention", "json", "rules"))
        } catch {
            preconditionFailure("rules/retention.json is missing or malformed: \(error)")
        }
    }()

    /// The author class of a received document from its sender's name; the receiving body itself is never a sender
    /// here (its own documents are filed as 发文).
    public func author(ofSender name: String) -> DocumentAuthor {
        let n = name.trimmingCharacters(in: .whitespaces)
        if senders.superiorPrefixes.contains(where: { n.hasPrefix($0) }) { return .superior }
        if senders.subordinateWords.contains(where: { n.contains($0) }) { return .subordinate }
        return .other
    }

    /// The period and the rule that gives it; 定期10年 by no rule when none matches.
    public func propose(type: DocumentType, author: DocumentAuthor) -> (RetentionPeriod, Rule?) {
        for rule in rules where rule.author == author && (rule.types.isEmpty || rule.types.contains(type.rawValue)) {
            return (rule.period, rule)
        }
        return (.tenYears, nil)
    }
}
