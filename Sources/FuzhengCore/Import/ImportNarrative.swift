import Foundation

extension DisclosureImporter {
    /// 部门职责 text and the 机构设置 table.
    mutating func readDuties(_ range: Range<Int>, into budget: inout Budget) {
        var duties: [String] = []
        var collecting = false
        for (text, _) in texts(range) {
            if text.hasPrefix("部门职责") { collecting = true; continue }
            if text.hasPrefix("部门机构设置") || text.hasPrefix("机构设置") { break }
            if collecting { duties.append(text) }
        }
        budget.narrative.duties = duties.joined(separator: "\n")
        if duties.isEmpty, let first = doc.blocks[range].first {
            missing("narrative.duties", line: first.line, zh: "未找到部门职责的文字", en: "no text of the department's duties")
        }

        var headerSeen = false
        for cells in rows(range) {
            let values = cells.map(\.text).filter { !$0.isEmpty }
            if cells.contains(where: { $0.compact == "单位名称" }) { headerSeen = true; continue }
            guard headerSeen, values.count >= 4 else { continue }
            budget.units.append(UnitProfileData(name: values[0], nature: values[1], grade: values[2], fundingForm: values[3]))
        }
        if budget.units.isEmpty {
            missing("units", line: doc.blocks[range].first?.line ?? 1, zh: "机构设置表中没有单位（需有 单位名称/单位性质/单位规格/经费保障形式 四列）",
                    en: "the set-up table lists no unit (columns 单位名称/单位性质/单位规格/经费保障形式)")
        }
    }

    /// 名词解释: numbered "term：definition" lines.
    mutating func readGlossary(_ range: Range<Int>, into budget: inout Budget) {
        for (text, _) in texts(range) {
            guard let entry = TextScan.afterNumbering(Substring(text)),
                  let colon = entry.firstIndex(where: { $0 == "：" || $0 == ":" }) else { continue }
            budget.narrative.glossary.append(GlossaryEntry(term: String(entry[..<colon]), definition: String(entry[entry.index(after: colon)...])))
        }
    }

    mutating func readOther(_ range: Range<Int>, into budget: inout Budget) {
        budget.narrative.otherNotes = texts(range).map(\.0).joined(separator: "\n")
    }

    /// Project expenditure lines name their project in other words (综合事务支出 for 综合事务经费);
    /// match by amount when it is unique, else by shared characters.
    func linkProjectLines(_ budget: inout Budget) {
        for index in budget.expenditure.indices where budget.expenditure[index].kind == .project {
            let line = budget.expenditure[index]
            let sameAmount = budget.projects.filter { $0.amount == line.amount }
            if sameAmount.count == 1 {
                budget.expenditure[index].projectCode = sameAmount[0].code
                continue
            }
            let label = Set(line.label ?? "")
            let best = sameAmount.max { Set($0.name).intersection(label).count < Set($1.name).intersection(label).count }
            budget.expenditure[index].projectCode = best?.code
        }
    }
}
