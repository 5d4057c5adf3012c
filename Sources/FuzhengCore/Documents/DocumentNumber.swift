import Foundation

/// 发文字号: 机关代字 + year in 六角括号 〔〕 (U+3014/3015) + number without 第 or leading zeros + 号, as
/// GB/T 9704-2012 7.2.4 writes it: 怀政办字〔2023〕7号.
public struct DocumentNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public var prefix: String
    public var year: Int
    public var sequence: Int

    public init(prefix: String, year: Int, sequence: Int) {
        self.prefix = prefix
        self.year = year
        self.sequence = sequence
    }

    public var description: String { "\(prefix)〔\(year)〕\(sequence)号" }

    public enum Problem: String, Error, Sendable, Equatable, CaseIterable {
        case brackets      // 【】, [], () or 〈〉 instead of 〔〕
        case ordinal       // 第7号
        case leadingZero   // 〔2023〕07号
        case noPrefix
        case form          // anything else
    }

    /// Reads a written number, or says what is wrong with it.
    public static func parse(_ text: String) -> Result<DocumentNumber, Problem> {
        let s = text.trimmingCharacters(in: .whitespaces)
        for wrong in ["【", "[", "(", "（", "〈", "［"] where s.contains(wrong) {
            let pattern = NSRegularExpression.escapedPattern(for: wrong) + "\\d{4}"
            if s.range(of: pattern, options: .regularExpression) != nil { return .failure(.brackets) }
        }
        guard let open = s.firstIndex(of: "〔"), let close = s.firstIndex(of: "〕"), open < close else {
            return .failure(.form)
        }
        let prefix = String(s[..<open])
        guard !prefix.isEmpty else { return .failure(.noPrefix) }
        let yearText = s[s.index(after: open)..<close]
        guard yearText.count == 4, let year = Int(yearText) else { return .failure(.form) }
        var rest = String(s[s.index(after: close)...])
        guard rest.hasSuffix("号") else { return .failure(.form) }
        rest.removeLast()
        if rest.hasPrefix("第") { return .failure(.ordinal) }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.form) }
        if rest.hasPrefix("0") { return .failure(.leadingZero) }
        guard let n = Int(rest), n > 0 else { return .failure(.form) }
        return .success(DocumentNumber(prefix: prefix, year: year, sequence: n))
    }

    /// Every 发文字号-looking string in a text (for checking an uploaded document).
    public static func candidates(in text: String) -> [String] {
        let pattern = "[\\p{Han}]{1,12}[〔【\\[（(〈［]\\d{4}[〕】\\]）)〉］]第?\\d{1,5}号"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0,
            length: ns.length)).map { ns.substring(with: $0.range) }
    }
}

/// 份号 (GB/T 9704-2012 7.2.1): six digits, one per copy. A document that carries one (a 份号 typed on the 拟稿 form, or
/// an 内部 document) gets consecutive numbers for its distributed copies, starting from the typed one.
public enum CopyNumbers {
    public static func required(_ d: OutgoingDocument) -> Bool { !d.copyNumber.isEmpty || d.secrecy != .none }

    public static func numbers(for d: OutgoingDocument, count: Int) -> [String?] {
        guard required(d) else { return Array(repeating: nil, count: count) }
        let start = Int(d.copyNumber.filter(\.isNumber).prefix(6)) ?? 1
        return (0..<count).map { i in
            let n = (start + i - 1) % 999_999 + 1
            let digits = String(n)
            return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
    }
}
