/// Builds the disclosure of a budget: the seed's nine sections, every figure generated from the
/// data, the unit's own words carried over, and every table.
public enum DisclosureBuilder {
    static let standardTableIDs = ["t01-income-expenditure", "t02-income", "t03-expenditure", "t04-appropriation",
                                   "t05-general-public", "t06-general-public-basic", "t07-three-public",
                                   "t08-government-fund", "t09-state-capital"]

    public static func build(_ b: Budget, catalogs: Catalogs = .shared) -> Disclosure {
        typealias S = DisclosureSentences
        let tables = StandardTables.all(b, catalogs: catalogs)
        let year = b.fiscalYear
        let intro = b.narrative.notes["intro"]
            ?? "按照《中华人民共和国预算法》和《地方预决算公开操作规程》规定，现将\(b.department.name)\(year)年部门预算公开如下："

        var sections: [DisclosureSection] = []
        sections.append(DisclosureSection(number: "", heading: "部门职责及机构设置情况", blocks:
            [.subheading("部门职责：")] + paragraphs(b.narrative.duties)
            + [.subheading("部门机构设置："), .table("units")]))

        var overview: [DisclosureBlock] = [
            .paragraph(b.narrative.notes["overview"] ?? "按照预算管理有关规定，目前我部门预算的编制实行综合预算制度，即全部收入和支出都反映在预算中。"),
            .subheading("1、收入说明"), .paragraph((b.narrative.notes["revenueIntro"] ?? "") + S.revenue(b)),
            .subheading("2、支出说明"), .paragraph((b.narrative.notes["expenditureIntro"] ?? "") + S.expenditure(b)),
        ]
        if let change = S.yearOverYear(b) { overview += [.subheading("3、比上年增减情况"), .paragraph(change)] }
        overview.append(.subheading("\(overview.contains(.subheading("3、比上年增减情况")) ? 4 : 3)、部门预算公开表"))
        overview += standardTableIDs.map { .table($0) }
        sections.append(DisclosureSection(number: "二", heading: "部门预算安排的总体情况", blocks: overview))

        sections.append(DisclosureSection(number: "三", heading: "机关运行经费安排情况", blocks: [.paragraph(S.operatingCosts(b))]))
        sections.append(DisclosureSection(number: "四", heading: "财政拨款“三公”经费预算情况及增减变化原因", blocks: [.paragraph(S.threePublic(b))]))

        var performance: [DisclosureBlock] = [.subheading("总体绩效目标：")] + paragraphs(b.narrative.overallTarget)
        if !b.narrative.dutyTargets.isEmpty {
            performance += [.subheading("职责分类绩效目标：")] + b.narrative.dutyTargets.map { .paragraph($0) }
        }
        performance += [.subheading("部门职责及工作活动绩效目标指标：")]
        performance += b.projects.isEmpty ? [.paragraph("本部门\(year)年无项目支出。")] : b.projects.map { .table("project-\($0.code)") }
        sections.append(DisclosureSection(number: "五", heading: "绩效预算信息", blocks: performance))

        var procurement: [DisclosureBlock] = [.paragraph(S.procurement(b))]
        if let breakdown = S.procurementBreakdown(b) { procurement.append(.paragraph(breakdown)) }
        procurement.append(.table("procurement"))
        if let note = b.narrative.notes["procurementNote"] { procurement.append(.paragraph(note)) }
        sections.append(DisclosureSection(number: "六", heading: "政府采购预算情况", blocks: procurement))

        sections.append(DisclosureSection(number: "七", heading: "国有资产信息", blocks: [.paragraph(S.assets(b)), .table("assets")]))
        sections.append(DisclosureSection(number: "八", heading: "名词解释", blocks:
            b.narrative.glossary.enumerated().map { .paragraph("\($0.offset + 1)、\($0.element.term)：\($0.element.definition)") }))
        sections.append(DisclosureSection(number: "九", heading: "其他需要说明的事项", blocks:
            paragraphs(b.narrative.otherNotes.isEmpty ? "我部门无其他需要说明的事项。" : b.narrative.otherNotes)))

        return Disclosure(fiscalYear: year, department: b.department, title: "\(b.department.name)\n\(year)年部门预算信息公开情况说明",
                          intro: intro, sections: sections, tables: tables)
    }

    static func paragraphs(_ text: String) -> [DisclosureBlock] {
        text.split(separator: "\n").map { .paragraph(String($0)) }
    }
}

extension Disclosure {
    public func table(_ id: String) -> ReportTable? { tables.first { $0.id == id } }

    /// Plain text, one paragraph per line, tables as tab-separated rows: what search indexes and tests read.
    public var plainText: String {
        var lines = title.split(separator: "\n").map(String.init) + [intro]
        for section in sections {
            lines.append(section.fullHeading)
            for block in section.blocks {
                switch block {
                case .subheading(let s), .paragraph(let s): lines.append(s)
                case .table(let id):
                    guard let t = table(id) else { continue }
                    lines.append(t.title)
                    lines += t.facts.map { "\($0.label)\t\($0.value)" }
                    lines.append(t.columns.map(\.title).joined(separator: "\t"))
                    lines += t.rows.map { $0.cells.map(\.display).joined(separator: "\t") }
                    if let statement = t.emptyStatement { lines.append(statement) }
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
