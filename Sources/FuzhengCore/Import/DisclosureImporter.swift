import Foundation

/// Reads a published 部门预算信息公开情况说明 (the family of the Huailai 2023 document) into a
/// draft budget. Every figure it cannot read is reported with its line; with any issue the
/// import fails as a whole.
public struct DisclosureImporter {
    let doc: DisclosureDocument
    let source: String
    var issues: [ImportIssue] = []

    public static func importBudget(_ text: String, source: String = "input") throws(ImportFailure) -> Budget {
        var importer = DisclosureImporter(doc: DisclosureDocument(text), source: source)
        let budget = importer.run()
        guard importer.issues.isEmpty, let budget else {
            throw ImportFailure(source: source, issues: importer.issues.isEmpty
                ? [ImportIssue(line: 1, field: "document", zh: "无法识别为部门预算公开说明", en: "not a department budget disclosure")]
                : importer.issues)
        }
        return budget
    }

    // MARK: - Sections

    /// The sections of the document family, in order, with words that identify their headings.
    enum Section: Int, CaseIterable {
        case duties, overview, operatingCosts, threePublic, performance, procurement, assets, glossary, other

        var headingKeywords: [String] {
            switch self {
            case .duties: ["部门职责及机构设置"]
            case .overview: ["预算安排的总体情况", "预算安排总体情况"]
            case .operatingCosts: ["机关运行经费安排情况", "机关运行经费"]
            case .threePublic: ["三公”经费预算情况", "三公经费预算情况", "“三公”经费"]
            case .performance: ["绩效预算信息", "绩效目标"]
            case .procurement: ["政府采购预算情况"]
            case .assets: ["国有资产信息", "国有资产占用情况"]
            case .glossary: ["名词解释"]
            case .other: ["其他需要说明的事项"]
            }
        }

        var nameZh: String {
            ["部门职责及机构设置情况", "部门预算安排的总体情况", "机关运行经费安排情况", "财政拨款“三公”经费预算情况",
             "绩效预算信息", "政府采购预算情况", "国有资产信息", "名词解释", "其他需要说明的事项"][rawValue]
        }

        var nameEn: String {
            ["duties and set-up", "budget overview", "operating costs", "three public costs", "performance",
             "government procurement", "state assets", "glossary", "other matters"][rawValue]
        }
    }

    /// Block ranges of each section, found by heading text in document order.
    func sectionRanges() -> [Section: Range<Int>] {
        var starts: [(Section, Int)] = []
        var searchFrom = 0
        for section in Section.allCases {
            for index in searchFrom..<doc.blocks.count {
                guard case .text(let text, _) = doc.blocks[index], text.utf8.count <= 120,
                      section == .duties || isHeading(text, section) else { continue }
                if section.headingKeywords.contains(where: { text.has($0) }) && isHeading(text, section) {
                    starts.append((section, index))
                    searchFrom = index + 1
                    break
                }
            }
        }
        var ranges: [Section: Range<Int>] = [:]
        for (i, (section, start)) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1].1 : doc.blocks.count
            ranges[section] = (start + 1)..<end
        }
        return ranges
    }

    private func isHeading(_ text: String, _ section: Section) -> Bool {
        // The first section has no number in some documents; the others start with 一、二、… or (一).
        if section == .duties { return true }
        let numerals = "一二三四五六七八九十"
        guard let first = text.first else { return false }
        return numerals.contains(first) || first == "（" || first == "(" || first.isNumber
    }

    // MARK: - Run

    mutating func run() -> Budget? {
        let header = readHeader()
        let ranges = sectionRanges()
        for section in Section.allCases where ranges[section] == nil {
            issues.append(ImportIssue(line: doc.lineCount, field: "section.\(section)",
                                      zh: "缺少“\(section.nameZh)”部分（文件可能不完整）",
                                      en: "the \(section.nameEn) section is missing (the file may be truncated)"))
        }
        guard let header, issues.isEmpty else { return nil }

        var budget = Budget(fiscalYear: header.year, department: OrgRef(code: "", name: header.department))
        budget.narrative.notes["intro"] = header.intro
        readDuties(ranges[.duties]!, into: &budget)
        readOverview(ranges[.overview]!, into: &budget)
        readOperatingCosts(ranges[.operatingCosts]!, into: &budget)
        readThreePublic(ranges[.threePublic]!, into: &budget)
        readPerformance(ranges[.performance]!, into: &budget)
        readProcurement(ranges[.procurement]!, into: &budget)
        readAssets(ranges[.assets]!, into: &budget)
        readGlossary(ranges[.glossary]!, into: &budget)
        readOther(ranges[.other]!, into: &budget)
        linkProjectLines(&budget)
        return issues.isEmpty ? budget : nil
    }

    struct Header {
        var year: Int
        var department: String
        var intro: String
    }

    mutating func readHeader() -> Header? {
        for (index, block) in doc.blocks.prefix(6).enumerated() {
            guard case .text(let text, let line) = block, text.has("预算") && text.has("公开") || text.has("情况说明"),
                  let (year, head) = TextScan.year(before: "年部门预算", in: text) ?? TextScan.year(before: "年度部门预算", in: text)
            else { continue }
            var department = String(head)
            if department.isEmpty, index > 0, case .text(let previous, _) = doc.blocks[index - 1] { department = previous }
            guard !department.isEmpty else {
                issues.append(ImportIssue(line: line, field: "department", zh: "标题前未写明部门名称", en: "no department name before the title"))
                return nil
            }
            var intro = ""
            if index + 1 < doc.blocks.count, case .text(let next, _) = doc.blocks[index + 1], next.hasPrefix("按照") { intro = next }
            return Header(year: year, department: department, intro: intro)
        }
        issues.append(ImportIssue(line: 1, field: "title", zh: "未找到“XXXX年部门预算信息公开情况说明”标题",
                                  en: "no title of the form “YYYY年部门预算信息公开情况说明” in the first lines"))
        return nil
    }

    // MARK: - Helpers

    func texts(_ range: Range<Int>) -> [(String, Int)] {
        doc.blocks[range].compactMap { if case .text(let t, let l) = $0 { (t, l) } else { nil } }
    }

    func rows(_ range: Range<Int>) -> [[DisclosureDocument.Cell]] {
        doc.blocks[range].compactMap { if case .row(let cells, _) = $0 { cells } else { nil } }
    }

    /// Reads an amount; on failure records an issue naming the field and line.
    mutating func amount(_ text: Substring, unit: MoneyUnit = .wan, line: Int, field: String) -> Fen? {
        do {
            return try MoneyFormat.parse(String(text), unit: unit)
        } catch {
            issues.append(ImportIssue(line: line, field: field, zh: "金额无法识别：\(error)", en: "unreadable amount: \(error)"))
            return nil
        }
    }

    mutating func missing(_ field: String, line: Int, zh: String, en: String) {
        issues.append(ImportIssue(line: line, field: field, zh: zh, en: en))
    }

}
