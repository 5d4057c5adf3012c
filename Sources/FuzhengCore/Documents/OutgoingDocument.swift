import Foundation

/// A body a document goes to: one of the organisation's bodies by code, or an outside body typed by name.
public struct Recipient: Sendable, Codable, Hashable {
    public var code: String?
    public var name: String

    public init(code: String? = nil, name: String) {
        self.code = code
        self.name = name
    }
}

/// An outgoing document (发文) as data: everything the 拟稿 form holds. Its 正文 is plain text whose heading levels
/// are read from their numbering (`DocumentBody`).
public struct OutgoingDocument: Sendable, Codable, Equatable {
    public var type: DocumentType
    /// 发文机关: one body code, or several for a joint document (the first leads).
    public var issuers: [String]
    public var title: String
    public var mainRecipients: [Recipient]
    public var copyTo: [Recipient]
    public var body: String
    /// The attachments' titles in order; 附件说明 is generated from them.
    public var attachments: [String]
    public var secrecy: Secrecy
    /// 保密期限 and 份号, for a marked document.
    public var secrecyPeriod: String
    public var copyNumber: String
    public var urgency: DocumentUrgency
    public var openness: Openness
    public var opennessReason: String
    /// 印发机关 and 印发日期 (ISO date), 成文日期 as written (2023年2月20日), 附注.
    public var printedBy: String
    public var printedOn: String
    public var writtenOn: String
    public var note: String
    /// 签发人 of an upward document: the signing leaders' names.
    public var signers: [String]

    public init(type: DocumentType, issuers: [String], title: String, mainRecipients: [Recipient] = [],
                copyTo: [Recipient] = [], body: String = "", attachments: [String] = [], secrecy: Secrecy = .none,
                secrecyPeriod: String = "", copyNumber: String = "", urgency: DocumentUrgency = .normal,
                openness: Openness = .proactive, opennessReason: String = "", printedBy: String = "",
                printedOn: String = "", writtenOn: String = "", note: String = "", signers: [String] = []) {
        self.type = type
        self.issuers = issuers
        self.title = title
        self.mainRecipients = mainRecipients
        self.copyTo = copyTo
        self.body = body
        self.attachments = attachments
        self.secrecy = secrecy
        self.secrecyPeriod = secrecyPeriod
        self.copyNumber = copyNumber
        self.urgency = urgency
        self.openness = openness
        self.opennessReason = opennessReason
        self.printedBy = printedBy
        self.printedOn = printedOn
        self.writtenOn = writtenOn
        self.note = note
        self.signers = signers
    }

    /// "附件：1. …" lines as the standard writes them under the 正文.
    public var attachmentNote: [String] {
        guard !attachments.isEmpty else { return [] }
        if attachments.count == 1 { return ["附件：\(attachments[0])"] }
        return attachments.enumerated().map { i, title in (i == 0 ? "附件：" : "　　　") + "\(i + 1). \(title)" }
    }
}
