import Foundation
import FuzhengCore
import Testing

@Suite("GB/T 9704 grid: 28-character lines, 禁则, 22-line pages, 版记 on an even page")
struct LineBreakingTests {
    static let sixty = String(repeating: "县政府办公室统筹协调会议", count: 5)

    func cells(_ line: String) -> Int { LineBreaking.halfCells(line) }

    @Test("a body paragraph: two-cell indent, full lines of 28 cells, the rest on the last")
    func plain() {
        let lines = LineBreaking.lines(Self.sixty)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("\u{3000}\u{3000}") && cells(lines[0]) == 56 && cells(lines[1]) == 56)
        #expect(lines.joined().replacingOccurrences(of: "\u{3000}", with: "") == Self.sixty)
        #expect(LineBreaking.lines("2024年预算公开", indent: 0) == ["2024年预算公开"])
        // Half-width digits take half a cell: 56 of them fill one line.
        #expect(LineBreaking.lines(String(repeating: "1", count: 57), indent: 0).map(\.count) == [56, 1])
    }

    @Test("no line starts with closing punctuation: the character before comes down with it")
    func closingPunctuation() {
        // Cells 1–28 are full; the 29th character is a comma.
        let text = String(repeating: "预", count: 26) + "，公开。"
        let lines = LineBreaking.lines(text)
        #expect(lines.count == 2)
        #expect(lines[1] == "预，公开。")
        #expect(cells(lines[0]) == 54)
        for text in [String(repeating: "会", count: 26) + "议。”再议", String(repeating: "文", count: 27) + "、）号"] {
            for line in LineBreaking.lines(text).dropFirst() {
                #expect(!LineBreaking.closing.contains(line.first!), "\(line)")
            }
        }
    }

    @Test("no line ends with opening punctuation: it moves down to what it opens")
    func openingPunctuation() {
        let text = String(repeating: "根", count: 25) + "据《预算法》执行"
        let lines = LineBreaking.lines(text)
        #expect(!LineBreaking.opening.contains(lines[0].last!))
        #expect(lines[1].hasPrefix("《") || lines[1].hasPrefix("据《"))
        #expect(lines.allSatisfy { cells($0) <= 56 })
    }

    @Test("any text: every line at most 28 cells, none starting closed or ending open, nothing lost")
    func anyText() {
        let pieces = ["预算", "，", "。", "《", "》", "（", "）", "2024", "“", "”", "、", "会议", "abc", "："]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...80,
                using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let lines = LineBreaking.lines(text)
            #expect(lines.allSatisfy { cells($0) <= 56 }, "\(text)")
            #expect(lines.joined().replacingOccurrences(of: "\u{3000}", with: "") == text)
            for (i, line) in lines.enumerated() where i > 0 && line.count > 1 {
                #expect(!LineBreaking.closing.contains(line.first!) || lines[i - 1].count <= 1, "\(text)")
            }
        }
    }

    @Test("22 lines a page; the 版记 at the foot of the last even page")
    func pages() {
        let fifty = (1...50).map(String.init)
        let (pages, block) = LineBreaking.paginate(fifty, blockLines: 4)
        #expect(pages.map(\.count) == [22, 22, 6, 0] && block == 4)
        let (onePage, onBlock) = LineBreaking.paginate(Array(fifty.prefix(10)), blockLines: 4)
        #expect(onePage.count == 2 && onBlock == 2)
        let (even, evenBlock) = LineBreaking.paginate(Array(fifty.prefix(30)), blockLines: 4)
        #expect(even.count == 2 && evenBlock == 2)
        let (full, fullBlock) = LineBreaking.paginate(Array(fifty.prefix(42)), blockLines: 4)
        #expect(full.count == 4 && fullBlock == 4)
    }
}

@Suite("Search terms: bigrams of Chinese, Latin words and numbers whole")
struct SearchTermsTests {
    @Test("two-character words are found; numbers are whole; punctuation splits")
    func terms() {
        let t = SearchTerms.indexTerms("关于2024年预算公开的通知（怀政办字〔2024〕11号）")
        #expect(t.isSuperset(of: ["预算", "公开", "2024", "11", "怀政", "办字"]))
        #expect(!t.contains("1") && !t.contains("号"))
        #expect(SearchTerms.queryTerms("会议") == ["会议"])
        #expect(SearchTerms.queryTerms("会") == nil && SearchTerms.queryTerms("，。") == nil)
        #expect(SearchTerms.queryTerms("怀政办字〔2024〕1号")?.contains("1") == true)
        #expect(SearchTerms.indexTerms("Budget PDF") == ["budget", "pdf"])
    }
}
