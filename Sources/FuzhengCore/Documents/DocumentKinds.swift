import Foundation

/// The 15 types of 党政机关公文处理工作条例 (2012) 第八条.
public enum DocumentType: String, Sendable, Codable, CaseIterable, Hashable {
    case resolution = "jueyi"          // 决议
    case decision = "jueding"          // 决定
    case order = "mingling"            // 命令（令）
    case communique = "gongbao"        // 公报
    case announcement = "gonggao"      // 公告
    case publicNotice = "tonggao"      // 通告
    case opinion = "yijian"            // 意见
    case notice = "tongzhi"            // 通知
    case circular = "tongbao"          // 通报
    case report = "baogao"             // 报告
    case request = "qingshi"           // 请示
    case reply = "pifu"                // 批复
    case motion = "yian"               // 议案
    case letter = "han"                // 函
    case minutes = "jiyao"             // 纪要

    public var nameZh: String {
        switch self {
        case .resolution: "决议"
        case .decision: "决定"
        case .order: "命令（令）"
        case .communique: "公报"
        case .announcement: "公告"
        case .publicNotice: "通告"
        case .opinion: "意见"
        case .notice: "通知"
        case .circular: "通报"
        case .report: "报告"
        case .request: "请示"
        case .reply: "批复"
        case .motion: "议案"
        case .letter: "函"
        case .minutes: "纪要"
        }
    }

    /// The words a title of this type ends with (关于…的通知; a 命令 is titled …令).
    public var titleEndings: [String] {
        switch self {
        case .order: ["命令", "令"]
        default: [nameZh]
        }
    }
}

/// 密级. Fuzheng is not a 涉密 information system: only documents without a classification (or marked 内部, an
/// internal handling mark, not a state secret) may hold content here.
public enum Secrecy: String, Sendable, Codable, CaseIterable, Hashable {
    case none
    case internalUse = "internal"   // 内部
    case secret = "mimi"            // 秘密
    case confidential = "jimi"      // 机密
    case topSecret = "juemi"        // 绝密

    public var nameZh: String {
        switch self {
        case .none: "无"
        case .internalUse: "内部"
        case .secret: "秘密"
        case .confidential: "机密"
        case .topSecret: "绝密"
        }
    }

    /// A state secret (保守国家秘密法): its content may not be stored on an internet-connected 电子政务 system.
    public var isStateSecret: Bool { self == .secret || self == .confidential || self == .topSecret }
}

/// 紧急程度.
public enum DocumentUrgency: String, Sendable, Codable, CaseIterable, Hashable {
    case normal, urgent = "jiaji", veryUrgent = "teji"

    public var nameZh: String {
        switch self {
        case .normal: "普通"
        case .urgent: "加急"
        case .veryUrgent: "特急"
        }
    }
}

/// 公开属性 (政府信息公开条例, 2019).
public enum Openness: String, Sendable, Codable, CaseIterable, Hashable {
    case proactive = "zhudong"     // 主动公开
    case onRequest = "yishenqing"  // 依申请公开
    case withheld = "buyu"         // 不予公开

    public var nameZh: String {
        switch self {
        case .proactive: "主动公开"
        case .onRequest: "依申请公开"
        case .withheld: "不予公开"
        }
    }
}
