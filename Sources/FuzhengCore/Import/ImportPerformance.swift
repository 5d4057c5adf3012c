import Foundation

extension DisclosureImporter {
    /// 总体绩效目标, 职责分类绩效目标 and each project's 绩效目标表.
    mutating func readPerformance(_ range: Range<Int>, into budget: inout Budget) {
        enum Part { case none, overall, duties, projects }
        var part = Part.none
        var overall: [String] = []
        var dutyTargets: [String] = []
        var tables: [(heading: String, line: Int, rows: [[DisclosureDocument.Cell]])] = []
        for block in doc.blocks[range] {
            switch block {
            case .text(let text, let line):
                if text.hasPrefix("总体绩效目标") { part = .overall; continue }
                if text.hasPrefix("职责分类绩效目标") { part = .duties; continue }
                if text.hasPrefix("部门职责及工作活动") || text.hasPrefix("部门职责-工作活动") || text.hasPrefix("部门职责—工作活动") {
                    part = .projects; continue
                }
                if text.hasSuffix("绩效目标表"), let heading = TextScan.afterNumbering(Substring(text)) {
                    part = .projects
                    tables.append((String(heading.dropLast("绩效目标表".count)), line, []))
                    continue
                }
                switch part {
                case .overall: overall.append(text)
                case .duties: dutyTargets.append(text)
                case .none, .projects: break
                }
            case .row(let cells, _):
                if part == .projects, !tables.isEmpty { tables[tables.count - 1].rows.append(cells) }
            }
        }
        budget.narrative.overallTarget = overall.joined(separator: "\n")
        budget.narrative.dutyTargets = dutyTargets
        for table in tables {
            if let project = readProject(table.heading, line: table.line, rows: table.rows, budget: &budget) {
                budget.projects.append(project)
            }
        }
    }

    private mutating func readProject(_ heading: String, line: Int, rows: [[DisclosureDocument.Cell]], budget: inout Budget) -> Project? {
        let cells = rows.flatMap { $0 }
        let field = "projects[\(heading)]"
        func after(_ predicate: (DisclosureDocument.Cell) -> Bool) -> DisclosureDocument.Cell? {
            guard let i = cells.firstIndex(where: predicate), i + 1 < cells.count else { return nil }
            return cells[i + 1]
        }
        var unit = MoneyUnit.wan
        if cells.contains(where: { $0.compact == "单位：元" || $0.compact == "单位:元" }) { unit = .yuan }
        if let unitCell = cells.first(where: { TextScan.allASCIIDigits($0.compact.prefix(6)) && $0.compact.count > 6
                                               && !TextScan.isDigit($0.compact[$0.compact.index($0.compact.startIndex, offsetBy: 6)]) }) {
            let code = String(unitCell.compact.prefix(6))
            let name = String(unitCell.compact.dropFirst(6))
            if let index = budget.units.firstIndex(where: { $0.name == name }) { budget.units[index].code = code }
        }

        guard let code = after({ $0.compact == "项目编码" }), !code.text.isEmpty else {
            missing("\(field).code", line: line, zh: "项目“\(heading)”缺少项目编码", en: "project “\(heading)” has no 项目编码")
            return nil
        }
        let name = after({ $0.compact == "项目名称" })?.text ?? heading
        guard let amountCell = after({ $0.compact == "预算数" }),
              let amount = amount(Substring(amountCell.text), unit: unit, line: amountCell.line, field: "\(field).amount")
        else {
            if cells.first(where: { $0.compact == "预算数" }) == nil {
                missing("\(field).amount", line: line, zh: "项目“\(heading)”缺少预算数", en: "project “\(heading)” has no 预算数")
            }
            return nil
        }
        var fiscal = amount
        if let cell = after({ $0.compact.hasPrefix("其中：财政") || $0.compact.hasPrefix("其中:财政") }), !cell.text.isEmpty {
            fiscal = self.amount(Substring(cell.text), unit: unit, line: cell.line, field: "\(field).fiscalFunds") ?? amount
        }
        var other = Fen.zero
        if let cell = after({ $0.compact == "其他资金" }), !cell.text.isEmpty {
            other = self.amount(Substring(cell.text), unit: unit, line: cell.line, field: "\(field).otherFunds") ?? .zero
        }

        var project = Project(code: code.text, name: name, amount: amount, fiscalFunds: fiscal, otherFunds: other)
        project.fundDocument = Self.documentNumber(prefixing: name)

        // The use is the lone filled cell in the row after the amounts.
        if let budgetRow = rows.firstIndex(where: { $0.contains { $0.compact == "预算数" } }), budgetRow + 1 < rows.count {
            let filled = rows[budgetRow + 1].filter { !$0.text.isEmpty }
            if filled.count == 1 { project.use = filled[0].text }
        }

        // 资金支出计划: a row of "N月底" headers, then a row of percentages.
        if let headerRow = rows.firstIndex(where: { $0.contains { $0.compact.hasSuffix("月底") } }), headerRow + 1 < rows.count {
            let months = rows[headerRow].compactMap { cell -> Int? in
                guard cell.compact.hasSuffix("月底") else { return nil }
                return Int(cell.compact.dropLast(2))
            }
            let values = rows[headerRow + 1].filter { !$0.text.isEmpty }
            if months.count != values.count {
                missing("\(field).spendingPlan", line: rows[headerRow + 1].first?.line ?? line,
                        zh: "资金支出计划有\(months.count)个时点，却有\(values.count)个百分比", en: "the spending plan has \(months.count) dates but \(values.count) percentages")
            }
            for (month, cell) in zip(months, values) {
                guard let percent = Self.percent(cell.compact) else {
                    missing("\(field).spendingPlan", line: cell.line, zh: "“\(cell.text)”不是百分比", en: "“\(cell.text)” is not a percentage")
                    continue
                }
                project.spendingPlan.append(SpendingCheckpoint(month: month, percent: percent))
            }
        }

        if let targetRow = rows.first(where: { $0.first(where: { !$0.text.isEmpty })?.compact == "绩效目标" }) {
            project.target = targetRow.filter { !$0.text.isEmpty }.dropFirst().map(\.text).joined(separator: "\n")
        }

        // Indicator rows follow the 一级指标 header; empty first cells carry the level above.
        if let headerRow = rows.firstIndex(where: { $0.contains { $0.compact == "一级指标" } }) {
            var level1 = "", level2 = ""
            for row in rows[(headerRow + 1)...] {
                let texts = row.map(\.text)
                guard texts.count >= 6 else {
                    if texts.contains(where: { !$0.isEmpty }) {
                        missing("\(field).indicators", line: row.first?.line ?? line,
                                zh: "指标行应有6列（一级/二级/三级指标、描述、指标值、依据），此行只有\(texts.count)列",
                                en: "an indicator row needs 6 cells, this one has \(texts.count)")
                    }
                    continue
                }
                let c = Array(texts.suffix(6))
                if !c[0].isEmpty { level1 = c[0] }
                if !c[1].isEmpty { level2 = c[1] }
                guard !c[2].isEmpty else { continue }
                let (comparator, value, unitText) = Indicator.parseValue(c[4])
                project.indicators.append(Indicator(level1: level1, level2: level2, name: c[2], description: c[3],
                                                    comparator: comparator, value: value, unit: unitText, basis: c[5]))
            }
        }
        if project.indicators.contains(where: { $0.level1 == "成本指标" }) { project.framework = .cost2021 }
        return project
    }

    /// "25%", "100％", "50.0%" → 25, 100, 50.
    static func percent(_ s: String) -> Int? {
        guard let last = s.last, last == "%" || last == "％" else { return nil }
        let body = s.dropLast()
        let (digits, rest) = TextScan.leadingDigits(body)
        guard (1...3).contains(digits.count), rest.isEmpty || (rest.first == "." && rest.dropFirst().allSatisfy { $0 == "0" }) else { return nil }
        return Int(digits)
    }

    /// A 发文字号 at the start of a project name: "怀财字【2023】7号电子政务…" → "怀财字【2023】7号".
    static func documentNumber(prefixing name: String) -> String? {
        guard let open = name.firstIndex(where: { "〔【[（(".contains($0) }) else { return nil }
        let afterOpen = name[name.index(after: open)...]
        let year = afterOpen.prefix(4)
        guard TextScan.allASCIIDigits(year), let close = afterOpen.dropFirst(4).first, "〕】]）)".contains(close) else { return nil }
        let (number, rest) = TextScan.leadingDigits(afterOpen.dropFirst(5))
        guard !number.isEmpty, rest.hasPrefix("号") else { return nil }
        return String(name[..<rest.index(after: rest.startIndex)])
    }
}
