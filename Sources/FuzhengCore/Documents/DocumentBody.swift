import Foundation

/// The 正文 as paragraphs with their heading level, read from the numbering a clerk types: 一、 (level 1, 黑体),
/// （一） (level 2, 楷体), 1. or 1． (level 3), （1） (level 4); anything else is a body paragraph (level 0).
public struct DocumentBody: Sendable, Equatable {
    public struct Paragraph: Sendable, Equatable {
        public var level: Int
        public var text: String
        /// 1-based line of the text area, to name the place of a finding.
        public var line: Int
    }

    public var paragraphs: [Paragraph]

    public init(_ text: String) {
        var out: [Paragraph] = []
        for (i, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n",
            omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}")))
            guard !line.isEmpty else { continue }
            out.append(Paragraph(level: Self.level(of: line), text: line, line: i + 1))
        }
        paragraphs = out
    }

    static let chineseNumerals = Set("一二三四五六七八九十百")

    public static func level(of line: String) -> Int {
        let chars = Array(line)
        func numeral(_ from: Int, _ allowed: (Character) -> Bool) -> Int {
            var i = from
            while i < chars.count, allowed(chars[i]) { i += 1 }
            return i - from
        }
        // 一、
        let cn = numeral(0) { chineseNumerals.contains($0) }
        if cn > 0, cn < chars.count, chars[cn] == "、" { return 1 }
        if chars.first == "（" || chars.first == "(" {
            let close: Set<Character> = ["）", ")"]
            let inner = numeral(1) { chineseNumerals.contains($0) }
            if inner > 0, 1 + inner < chars.count, close.contains(chars[1 + inner]) { return 2 }
            let digits = numeral(1) { $0.isASCII && $0.isNumber }
            if digits > 0, 1 + digits < chars.count, close.contains(chars[1 + digits]) { return 4 }
        }
        let digits = numeral(0) { $0.isASCII && $0.isNumber }
        if digits > 0, digits < chars.count, chars[digits] == "." || chars[digits] == "．",
           digits + 1 < chars.count, !(chars[digits + 1].isASCII && chars[digits + 1].isNumber) {
            return 3
        }
        return 0
    }

    /// 附件1, 附件 2, 附件二 … cited in the text, as numbers.
    public var citedAttachments: [Int] {
        var found: [Int] = []
        let cn: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        for p in paragraphs {
            let chars = Array(p.text)
            var i = 0
            while i + 1 < chars.count {
                if chars[i] == "附", chars[i + 1] == "件" {
                    var j = i + 2
                    while j < chars.count, chars[j] == " " { j += 1 }
                    var digits = ""
                    while j < chars.count, chars[j].isASCII, chars[j].isNumber { digits.append(chars[j]); j += 1 }
                    if let n = Int(digits) { found.append(n) } else if j < chars.count, let n = cn[chars[j]] {
                        found.append(n)
                    }
                }
                i += 1
            }
        }
        var seen = Set<Int>()
        return found.filter { seen.insert($0).inserted }
    }
}
