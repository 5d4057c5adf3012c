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
        // Lines are split on bytes: grapheme-by-grapheme splitting cost most of the import's time.
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        var lineStart = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            lineNumber += 1
            var end = i
            if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
            let isCell = end > lineStart && bytes[lineStart] == 0x09
            let cleaned = Self.clean(bytes[lineStart..<end])
            lineStart = i + 1
            if isCell {
                if cells.isEmpty { rowStart = lineNumber }
                cells.append(Cell(text: cleaned, line: lineNumber))
                continue
            }
            if !cells.isEmpty {
                blocks.append(.row(cells, line: rowStart))
                cells = []
            }
            if !cleaned.isEmpty { blocks.append(.text(cleaned, line: lineNumber)) }
        }
        if !cells.isEmpty { blocks.append(.row(cells, line: rowStart)) }
        self.blocks = blocks
        // A trailing newline does not start another line.
        self.lineCount = text.utf8.last == 0x0A ? lineNumber - 1 : lineNumber
    }

    /// Trims spaces, tabs, full-width spaces (U+3000), no-break spaces and byte-order marks, on bytes.
    static func clean(_ line: ArraySlice<UInt8>) -> String {
        var lo = line.startIndex, hi = line.endIndex
        func blankPrefix(_ i: Int) -> Int {
            let b = line[i]
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C { return 1 }
            if b == 0xC2, i + 1 < hi, line[i + 1] == 0xA0 { return 2 }
            if b == 0xE3, i + 2 < hi, line[i + 1] == 0x80, line[i + 2] == 0x80 { return 3 }
            if b == 0xEF, i + 2 < hi, line[i + 1] == 0xBB, line[i + 2] == 0xBF { return 3 }
            return 0
        }
        while lo < hi {
            let n = blankPrefix(lo)
            if n == 0 { break }
            lo += n
        }
        while hi > lo {
            let b = line[hi - 1]
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C { hi -= 1; continue }
            if b == 0xA0, hi - 2 >= lo, line[hi - 2] == 0xC2 { hi -= 2; continue }
            if b == 0x80, hi - 3 >= lo, line[hi - 3] == 0xE3, line[hi - 2] == 0x80 { hi -= 3; continue }
            if b == 0xBF, hi - 3 >= lo, line[hi - 3] == 0xEF, line[hi - 2] == 0xBB { hi -= 3; continue }
            break
        }
        return String(decoding: line[lo..<hi], as: UTF8.self)
    }

}

import Foundation
