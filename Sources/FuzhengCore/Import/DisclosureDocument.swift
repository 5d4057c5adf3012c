/// A published disclosure as text: headings and sentences on their own lines, tables flattened
/// one cell per line (each cell line starts with a tab; a blank line ends a table row).
public struct DisclosureDocument: Sendable {
    public enum Block: Sendable, Equatable {
        case text(String, line: Int)
        case row([Cell], line: Int)

        public var line: Int {
            switch self {
            case .text(_, let line), .row(_, let line): line
            }
        }
    }

    public struct Cell: Sendable, Equatable {
        public var text: String
        public var line: Int
        /// The text with every space removed: table headers are often padded ("单位    资金").
        public var compact: String

        init(text: String, line: Int) {
            self.text = text
            self.line = line
            self.compact = text.contains(where: \.isWhitespace) ? text.filter { !$0.isWhitespace } : text
        }
    }

    public var blocks: [Block]
    public var lineCount: Int

    public init(_ text: String) {
        var blocks: [Block] = []
        var cells: [Cell] = []
        var rowStart = 0
        var lineNumber = 0
        func closeRow() {
            if !cells.isEmpty { blocks.append(.row(cells, line: rowStart)) }
            cells = []
        }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            lineNumber += 1
            let line = String(raw)
            if line.hasPrefix("\t") {
                if cells.isEmpty { rowStart = lineNumber }
                cells.append(Cell(text: Self.clean(line), line: lineNumber))
                continue
            }
            closeRow()
            let cleaned = Self.clean(line)
            if !cleaned.isEmpty { blocks.append(.text(cleaned, line: lineNumber)) }
        }
        closeRow()
        self.blocks = blocks
        self.lineCount = lineNumber
    }

    /// Trims ordinary, full-width and no-break spaces, tabs and byte-order marks.
    static func clean(_ s: String) -> String {
        func blank(_ c: Character) -> Bool { c.isWhitespace || c == "\u{FEFF}" }
        guard let first = s.firstIndex(where: { !blank($0) }), let last = s.lastIndex(where: { !blank($0) }) else { return "" }
        return String(s[first...last])
    }
}

import Foundation
