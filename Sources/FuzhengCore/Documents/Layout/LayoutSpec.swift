import Foundation

/// The page and 版式 of GB/T 9704-2012 as numbers (`rules/document-layout.json`): millimetres for places, points for
/// type sizes.
public struct LayoutSpec: Sendable, Codable, Equatable {
    public var pageWidth: Double
    public var pageHeight: Double
    public var top: Double
    public var left: Double
    public var typeWidth: Double
    public var typeHeight: Double
    public var lines: Int
    public var cells: Int
    public var bodySize: Double
    public var titleSize: Double
    public var footSize: Double
    public var pageNumberSize: Double
    public var issuerSize: Double
    public var issuerGapLines: Int
    public var separatorBelowNumber: Double
    public var separatorThickness: Double
    public var footRuleOuter: Double
    public var footRuleInner: Double
    public var pageNumberBelow: Double
    public var sealDiameter: Double
    public var letterMarkTop: Double
    public var letterRuleWidth: Double
    public var letterRuleThick: Double
    public var letterRuleThin: Double
    public var letterBottomRule: Double
    public var red: String

    public static let millimetresPerPoint = 25.4 / 72

    /// Height of one grid line and width of one cell of the 正文.
    public var pitch: Double { typeHeight / Double(lines) }
    public var cell: Double { typeWidth / Double(cells) }
    public var bottom: Double { top + typeHeight }
    public var right: Double { left + typeWidth }

    public static let shared: LayoutSpec = {
        do {
            return try JSONDecoder().decode(LayoutSpec.self, from: Catalogs.resource("document-layout", "json",
                "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/document-layout.json is missing or malformed: \(error)")
        }
    }()
}

/// The fonts the standard names, by role, and the open substitutes the PDF is printed with (`rules/document-fonts.json`).
public struct FontMap: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        /// The standard's font, named in DOCX and OFD.
        public var standard: String
        /// Latin text in DOCX.
        public var ascii: String
        /// The openly licensed family Chromium prints the PDF with, its Debian package, and a family that stands in
        /// when that package is missing.
        public var substitute: String
        public var package: String
        public var fallback: String?
        public var weight: Int
    }

    public var fonts: [String: Entry]
    public var ascent: Double
    /// Advances of the printable ASCII characters in thousandths of an em (Times New Roman).
    public var asciiWidths: [Int]

    public func asciiWidth(_ c: Character) -> Double {
        guard let v = c.asciiValue, v >= 0x20, Int(v) - 0x20 < asciiWidths.count else { return 500 }
        return Double(asciiWidths[Int(v) - 0x20])
    }

    public subscript(_ font: LaidFont) -> Entry {
        fonts[font.rawValue] ?? Entry(standard: "宋体", ascii: "Times New Roman", substitute: "Noto Serif CJK SC",
                                      package: "fonts-noto-cjk", fallback: nil, weight: 400)
    }

    public static let shared: FontMap = {
        do {
            return try JSONDecoder().decode(FontMap.self, from: Catalogs.resource("document-fonts", "json", "rules"))
        } catch {
            preconditionFailure("FuzhengCore rules/document-fonts.json is missing or malformed: \(error)")
        }
    }()
}

/// A role of type in the standard: 小标宋 (发文机关标志, 标题), 仿宋 (正文), 黑体 (first headings, marks), 楷体 (second
/// headings, 签发人's names), 宋体 (page numbers).
public enum LaidFont: String, Sendable, Codable, CaseIterable, Hashable {
    case biaosong, fangsong, heiti, kaiti, songti
}
