import Foundation

/// A problem with what someone typed, named by its field, in both languages.
public struct FieldProblem: Sendable, Equatable, Codable {
    public var field: String
    public var zh: String
    public var en: String

    public init(field: String, zh: String, en: String) {
        self.field = field
        self.zh = zh
        self.en = en
    }
}

/// Every problem of a form, as the failure of a `Result`.
public struct FieldProblems: Error, Equatable, Sendable {
    public var all: [FieldProblem]

    public init(_ all: [FieldProblem]) { self.all = all }
}

/// 收文登记: what the 文书 records of a document that arrived, from inside the platform or from outside.
public struct IncomingRegistration: Sendable, Equatable, Codable {
    /// 来文单位.
    public var sender: String
    /// 来文字号 as printed on the document; may be empty (a 函 without a number).
    public var senderNumber: String
    public var title: String
    public var secrecy: Secrecy
    public var urgency: DocumentUrgency
    /// 份数.
    public var copies: Int
    public var receivedOn: CivilDay

    public init(sender: String, senderNumber: String, title: String, secrecy: Secrecy = .none,
                urgency: DocumentUrgency = .normal, copies: Int = 1, receivedOn: CivilDay) {
        self.sender = sender
        self.senderNumber = senderNumber
        self.title = title
        self.secrecy = secrecy
        self.urgency = urgency
        self.copies = copies
        self.receivedOn = receivedOn
    }

    public static let maxCopies = 999

    /// Reads the registration form; every problem is named by its field. A 秘密, 机密 or 绝密 document is refused:
    /// Fuzheng is not a 涉密 system, so such a document is registered as paper only (涉密纸质件登记).
    public static func read(_ f: [String: String], today: CivilDay) -> Result<IncomingRegistration, FieldProblems> {
        var problems: [FieldProblem] = []
        func text(_ key: String, max: Int, required: Bool, zh: String, en: String) -> String {
            let v = (f[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if required && v.isEmpty {
                problems.append(FieldProblem(field: key, zh: "请填写\(zh)", en: "enter the \(en)"))
            } else if v.count > max {
                problems.append(FieldProblem(field: key, zh: "\(zh)不能超过 \(max) 个字", en: "the \(en) is longer "
                                             + "than \(max) characters"))
            }
            return v
        }
        let sender = text("sender", max: 100, required: true, zh: "来文单位", en: "sender")
        let number = text("sender_number", max: 50, required: false, zh: "来文字号", en: "sender's number")
        let title = text("title", max: 200, required: true, zh: "标题", en: "title")
        let secrecy = Secrecy(rawValue: f["secrecy"] ?? "none") ?? .none
        if ![Secrecy.none, .internalUse].contains(secrecy) {
            problems.append(FieldProblem(field: "secrecy", zh: "涉密公文不得录入本平台，请按涉密纸质件登记",
                                         en: "a classified document may not be entered here; register the paper "
                                         + "copy as a classified paper instead"))
        }
        let urgency = DocumentUrgency(rawValue: f["urgency"] ?? "") ?? .normal
        var copies = 1
        switch NumberInput.integer(f["copies"].flatMap { $0.isEmpty ? nil : $0 } ?? "1", range: 1...maxCopies) {
        case .success(let n): copies = n
        case .failure:
            problems.append(FieldProblem(field: "copies", zh: "份数应为 1 至 \(maxCopies) 的整数",
                                         en: "copies must be a whole number from 1 to \(maxCopies)"))
        }
        var received = today
        if let raw = f["received_on"], !raw.isEmpty {
            if let iso = DayInput.iso(raw), let day = CivilDay(iso), day <= today,
               CivilDay.days(from: day, to: today) <= 366 {
                received = day
            } else {
                problems.append(FieldProblem(field: "received_on", zh: "收文日期应为一年内且不晚于今天的日期",
                                             en: "the date received must be a date within the past year, not "
                                             + "after today"))
            }
        }
        guard problems.isEmpty else { return .failure(FieldProblems(problems)) }
        return .success(IncomingRegistration(sender: sender, senderNumber: number, title: title, secrecy: secrecy,
                                             urgency: urgency, copies: copies, receivedOn: received))
    }

    /// Two registrations of one document share this: the sender and number without spaces, brackets unified.
    public var duplicateKey: String? {
        let n = Self.normalise(senderNumber)
        guard !n.isEmpty else { return nil }
        return Self.normalise(sender) + "|" + n
    }

    static func normalise(_ s: String) -> String {
        var out = ""
        for c in s where !c.isWhitespace {
            switch c {
            case "[", "〔", "［", "(", "（", "【": out.append("〔")
            case "]", "〕", "］", ")", "）", "】": out.append("〕")
            default: out.append(c)
            }
        }
        return out.lowercased()
    }
}

/// 收文编号: per receiving body, per year, gapless, e.g. 怀政办收〔2023〕7号.
public struct IncomingNumber: Sendable, Equatable {
    public var prefix: String
    public var year: Int
    public var sequence: Int

    public init(prefix: String, year: Int, sequence: Int) {
        self.prefix = prefix
        self.year = year
        self.sequence = sequence
    }

    public var text: String { "\(prefix)收〔\(year)〕\(sequence)号" }
    /// The counter's key, apart from the 发文字号 counters of the same body.
    public static func counterKey(unitCode: String) -> String { "收文:" + unitCode }
}

/// What a file received from outside must begin with, by its extension: a renamed executable or a web page is not a
/// PDF. OFD and DOCX are ZIP packages.
public enum ReceivedFile {
    public static let kinds: [String: [UInt8]] = [
        "pdf": Array("%PDF-".utf8), "ofd": [0x50, 0x4B, 0x03, 0x04], "docx": [0x50, 0x4B, 0x03, 0x04],
        "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "jpg": [0xFF, 0xD8, 0xFF], "jpeg": [0xFF, 0xD8, 0xFF],
    ]

    /// True when `data` starts the way a file of this extension does.
    public static func matches(extension ext: String, _ data: Data) -> Bool {
        guard let magic = kinds[ext.lowercased()], data.count >= magic.count else { return false }
        return Array(data.prefix(magic.count)) == magic
    }
}
