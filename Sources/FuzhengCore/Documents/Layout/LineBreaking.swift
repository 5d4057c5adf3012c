import Foundation

/// Lines on the GB/T 9704-2012 grid: 28 characters a line, 22 lines a page (5.2.2). A Chinese or full-width character
/// fills one cell, a half-width one (digits, Latin letters) half a cell. The line-breaking rules of Chinese
/// typesetting (GB/T 15834 usage, 禁则) keep closing punctuation off the start of a line and opening punctuation off
/// its end: the character before is carried down with it, so no line grows past its 28 cells.
public enum LineBreaking {
    public static let cellsPerLine = 28
    public static let linesPerPage = 22
    public static let closing: Set<Character> = Set("，。、；：？！）》」』”’…—%")
    public static let opening: Set<Character> = Set("（《「『“‘")

    /// Half-cells a character takes: 2 for a Chinese or full-width character, 1 for a half-width one.
    public static func halfCells(_ c: Character) -> Int {
        guard let scalar = c.unicodeScalars.first else { return 2 }
        return scalar.value < 0x2000 ? 1 : 2
    }

    public static func halfCells(_ s: some StringProtocol) -> Int { s.reduce(0) { $0 + halfCells($1) } }

    /// One paragraph broken into lines of at most `cells` cells; the first line starts with `indent` full-width
    /// spaces (two for a body paragraph, none for a centred title).
    public static func lines(_ paragraph: String, cells: Int = cellsPerLine, indent: Int = 2) -> [String] {
        let capacity = cells * 2
        var out = fill(Array(String(repeating: "\u{3000}", count: indent) + paragraph), capacity: capacity)
        if out.isEmpty { out.append([]) }
        // 禁则: pull characters down until no line starts with closing or ends with opening punctuation.
        var i = 0
        while i < out.count - 1 {
            var moved = false
            while let first = out[i + 1].first, closing.contains(first), out[i].count > 1 {
                out[i + 1].insert(out[i].removeLast(), at: 0)
                moved = true
            }
            while let last = out[i].last, opening.contains(last), out[i].count > 1 {
                out[i + 1].insert(out[i].removeLast(), at: 0)
                moved = true
            }
            if moved {
                // The next line may now be too long: re-flow it and everything after.
                let rest = out[(i + 1)...].flatMap { $0 }
                out.removeSubrange((i + 1)...)
                out += fill(rest, capacity: capacity)
            }
            i += 1
        }
        return out.map { String($0) }
    }

    /// Characters filled into lines of at most `capacity` half-cells.
    static func fill(_ chars: [Character], capacity: Int) -> [[Character]] {
        var out: [[Character]] = []
        var line: [Character] = []
        var width = 0
        for c in chars {
            let w = halfCells(c)
            if width + w > capacity && !line.isEmpty {
                out.append(line)
                line = []
                width = 0
            }
            line.append(c)
            width += w
        }
        if !line.isEmpty { out.append(line) }
        return out
    }

    /// Pages of lines; the 版记 (its `blockLines` lines) sits at the foot of the last even page: on the body's last page
    /// when that page is even and has room, else on the next even page.
    public static func paginate(_ lines: [String], blockLines: Int, perPage: Int = linesPerPage)
        -> (pages: [[String]], blockPage: Int) {
        var pages = stride(from: 0, to: max(lines.count, 1), by: perPage).map {
            Array(lines[$0..<min($0 + perPage, lines.count)])
        }
        if pages.isEmpty { pages = [[]] }
        let last = pages.count
        let room = perPage - pages[last - 1].count
        var blockPage = last
        if last % 2 == 1 || room < blockLines {
            blockPage = last + 1
            if blockPage % 2 == 1 { blockPage += 1 }
        }
        while pages.count < blockPage { pages.append([]) }
        return (pages, blockPage)
    }
}
