import Foundation

/// The kinds of body a county's documents go between (党政机关公文处理工作条例: 行文关系 follows 隶属关系 and 职权范围).
public enum BodyKind: String, Sendable, Codable, CaseIterable {
    case partyCommittee = "party_committee"   // 县委, 市委
    case congress                              // 县人大常委会
    case government                            // 县政府, 市政府, 乡镇人民政府
    case cppcc                                 // 县政协
    case office                                // 县政府办公室, 县委办公室
    case section                               // 内设机构: 秘书科, 文电科, 督查室 …
    case department                            // 县直部门: 财政局 …
    case unit                                  // 部门所属单位
    case township                              // 乡镇
    case outside                               // bodies outside the county kept for correspondence

    public var nameZh: String {
        switch self {
        case .partyCommittee: "党委"
        case .congress: "人大常委会"
        case .government: "人民政府"
        case .cppcc: "政协"
        case .office: "办公室"
        case .section: "内设机构"
        case .department: "部门"
        case .unit: "单位"
        case .township: "乡镇"
        case .outside: "外部机关"
        }
    }
}

/// Where a body sits relative to the county: the platform's own county, the city and province above it, the towns
/// below it, or a neighbouring county beside it.
public enum RelativeLevel: String, Sendable, Codable, CaseIterable {
    case province, city, county, township
    case peerCounty = "peer_county"
}

/// A body that issues or receives documents. `ledBy` names the bodies that lead it (a county department is led by the
/// county government; a town by the county Party committee and government; the county government by the city
/// government): the direction of a document follows these edges.
public struct Body: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var kind: BodyKind
    public var level: RelativeLevel
    /// The body it belongs to (a section's office, a unit's department): for the tree, not for direction.
    public var parentCode: String?
    public var ledBy: [String]
    /// 机关代字 of its 发文字号 (怀政办字), for a body that issues documents.
    public var numberPrefix: String?

    public init(code: String, name: String, kind: BodyKind, level: RelativeLevel, parentCode: String? = nil,
                ledBy: [String] = [], numberPrefix: String? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.level = level
        self.parentCode = parentCode
        self.ledBy = ledBy
        self.numberPrefix = numberPrefix
    }
}

/// 上行文 to a body that leads the sender, directly or through others; 下行文 to a body the sender leads; 平行文
/// between bodies with no leadership between them (peers, or bodies of different systems).
public enum DocumentDirection: String, Sendable, Codable, CaseIterable {
    case upward
    case parallel
    case downward

    public var nameZh: String {
        switch self {
        case .upward: "上行文"
        case .parallel: "平行文"
        case .downward: "下行文"
        }
    }
}

/// The county's bodies with their leadership edges, checked once when loaded.
public struct BodyRegister: Sendable {
    public let bodies: [Body]
    private let byCode: [String: Body]

    public enum Problem: Error, Equatable, Sendable {
        case duplicateCode(String)
        case unknownReference(body: String, reference: String)
        case leadershipCycle(String)
    }

    public init(_ bodies: [Body]) throws {
        var byCode: [String: Body] = [:]
        for body in bodies {
            guard byCode[body.code] == nil else { throw Problem.duplicateCode(body.code) }
            byCode[body.code] = body
        }
        for body in bodies {
            for ref in body.ledBy + (body.parentCode.map { [$0] } ?? []) where byCode[ref] == nil {
                throw Problem.unknownReference(body: body.code, reference: ref)
            }
        }
        self.bodies = bodies
        self.byCode = byCode
        for body in bodies where leaders(of: body.code).contains(body.code) {
            throw Problem.leadershipCycle(body.code)
        }
    }

    public subscript(code: String) -> Body? { byCode[code] }

    /// Every body that leads `code`, directly or through others.
    public func leaders(of code: String) -> Set<String> {
        var found = Set<String>()
        var queue = byCode[code]?.ledBy ?? []
        while let next = queue.popLast() {
            guard found.insert(next).inserted else { continue }
            queue += byCode[next]?.ledBy ?? []
        }
        return found
    }

    /// A section or unit writes in the name of the body it belongs to; the direction is that body's.
    public func issuer(of code: String) -> String {
        guard let body = byCode[code], body.kind == .section, let parent = body.parentCode else { return code }
        return issuer(of: parent)
    }

    public func direction(from sender: String, to receiver: String) -> DocumentDirection {
        let from = issuer(of: sender), to = issuer(of: receiver)
        if leaders(of: from).contains(to) { return .upward }
        if leaders(of: to).contains(from) { return .downward }
        return .parallel
    }

    /// The direction of a document to several receivers: upward if any is upward (a 请示 goes to one leading body;
    /// the platform flags mixing), else downward if any is downward, else parallel.
    public func direction(from sender: String, to receivers: [String]) -> DocumentDirection {
        let all = receivers.map { direction(from: sender, to: $0) }
        if all.contains(.upward) { return .upward }
        return all.contains(.downward) ? .downward : .parallel
    }

    public static func load(from data: Data) throws -> BodyRegister {
        try BodyRegister(JSONDecoder().decode([Body].self, from: data))
    }
}
