import Foundation
import FuzhengCore
import Testing

@Suite("Importing bad or unusual documents")
struct ImportErrorTests {
    func importFailure(_ text: String) -> ImportFailure? {
        do {
            _ = try DisclosureImporter.importBudget(text, source: "bad.txt")
            return nil
        } catch {
            return error
        }
    }

    @Test("a truncated file names the missing sections at its last line")
    func truncated() throws {
        let seed = try Fixture.huailai
        let cut = String(seed[..<seed.range(of: "六、政府采购预算情况")!.lowerBound])
        let failure = try #require(importFailure(cut))
        let fields = failure.issues.map(\.field)
        #expect(fields.contains("section.procurement"))
        #expect(fields.contains("section.other"))
        let pieces = cut.split(separator: "\n", omittingEmptySubsequences: false).count
        let lines = cut.hasSuffix("\n") ? pieces - 1 : pieces  // a trailing newline ends the last line
        #expect(failure.issues.allSatisfy { $0.line == lines })
        #expect(failure.description.contains("缺少“政府采购预算情况”部分"))
    }

    @Test("a malformed amount is reported with its line and field")
    func malformedAmount() throws {
        let seed = try Fixture.huailai.replacingOccurrences(of: "人员经费910.68万元", with: "人员经费9l0.68万元")
        let failure = try #require(importFailure(seed))
        let issue = try #require(failure.issues.first { $0.field == "expenditure.personnel" })
        let expectedLine = seed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("9l0.68") }! + 1
        #expect(issue.line == expectedLine)
    }

    @Test("a malformed table cell is reported at the cell's own line")
    func malformedCell() throws {
        let seed = try Fixture.huailai.replacingOccurrences(of: "\t0.60\n", with: "\t0,6O\n")
        let failure = try #require(importFailure(seed))
        let issue = try #require(failure.issues.first { $0.field.hasPrefix("procurement[A02010105]") })
        let expectedLine = seed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "\t0,6O" }! + 1
        #expect(issue.line == expectedLine)
    }

    @Test("something that is not a disclosure at all")
    func notADisclosure() throws {
        let failure = try #require(importFailure("hello\nworld\n"))
        #expect(failure.issues.first?.field == "title")
    }

    @Test("another department of the same family: other projects, more rows, empty tables")
    func anotherDepartment() throws {
        var text = try Fixture.huailai
        text = text.replacingOccurrences(of: "怀来县人民政府办公室部门", with: "怀来县司法局部门")
        // Drop the procurement rows: a department with no procurement says so.
        let start = text.range(of: "     2023年，我部门安排政府采购预算519.92万元。")!.lowerBound
        let end = text.range(of: "七、国有资产信息")!.lowerBound
        text.replaceSubrange(start..<end, with: "本部门2023年无政府采购预算。\n\n")
        let b = try DisclosureImporter.importBudget(text, source: "sifaju.txt")
        #expect(b.department.name == "怀来县司法局部门")
        #expect(b.procurement.isEmpty)
        #expect(b.projects.count == 4)
        let findings = RuleBook.check(b)
        // Planned purchases no longer match procurement: the platform notices.
        #expect(findings.contains { $0.ruleID == "X-ASSET-PURCHASE" })
    }
}
