import Foundation

extension DisclosureImporter {
    /// 政府采购预算情况: the stated total and the table.
    mutating func readProcurement(_ range: Range<Int>, into budget: inout Budget) {
        let lines = texts(range)
        if let (text, line) = lines.first(where: { $0.0.has("政府采购预算") && $0.0.has("万元") }),
           let m = TextScan.amount(after: "政府采购预算", in: Substring(text)) {
            budget.stated[.procurementTotal] = amount(m.value, line: line, field: "procurement.total")
        } else if !lines.contains(where: { $0.0.has("无政府采购") }) {
            missing("procurement.total", line: doc.blocks[range].first?.line ?? 1,
                    zh: "未找到“安排政府采购预算X万元”语句", en: "no sentence “安排政府采购预算 X 万元”")
        }
        if let (note, _) = lines.first(where: { $0.0.hasPrefix("注") }) { budget.narrative.notes["procurementNote"] = note }

        var unit = MoneyUnit.wan
        for cells in rows(range) {
            let compact = cells.map(\.compact)
            if compact.contains("单位：元") { unit = .yuan }
            if let deptCell = compact.first(where: { $0.hasSuffix("部门") && TextScan.allASCIIDigits($0.prefix(3)) && $0.count > 3
                                                     && !TextScan.isDigit($0[$0.index($0.startIndex, offsetBy: 3)]) }) {
                budget.department.code = String(deptCell.prefix(3))
            }
            let firstFilled = cells.first(where: { !$0.text.isEmpty })
            let numbers = cells.filter { !$0.text.isEmpty && $0.compact.first.map { $0.isNumber } == true }
            if firstFilled?.compact == "合计" {
                if let total = numbers.first { budget.stated[.procurementTotal] = budget.stated[.procurementTotal] ?? amount(Substring(total.text), unit: unit, line: total.line, field: "procurement.table.total") }
                if numbers.count > 1, let sme = numbers.last {
                    budget.stated[.procurementSMEReserved] = amount(Substring(sme.text), unit: unit, line: sme.line, field: "procurement.table.sme")
                }
                continue
            }
            if let first = firstFilled, first.compact.hasSuffix("小计"), let subtotal = numbers.first {
                budget.stated[.procurementUnitSubtotal] = amount(Substring(subtotal.text), unit: unit, line: subtotal.line, field: "procurement.table.subtotal")
                continue
            }
            guard let c = cells.firstIndex(where: { Self.isCatalogCode($0.compact) }) else { continue }
            let row = cells.map(\.text)
            let lineNo = cells[c].line
            // The item name stands before the code; a row that starts with the code lost it.
            guard c >= 1, row.count >= c + 13 else {
                missing("procurement.line", line: lineNo, zh: "采购行列数不足（品目代码后应有计量单位、数量、单价、金额、7个资金列和中小企业份额）",
                        en: "the procurement row is short: after the catalog code come unit, quantity, price, amount, 7 fund columns and the SME share")
                continue
            }
            func money(_ i: Int, _ f: String) -> Fen? {
                let text = row[i]
                return text.isEmpty ? .zero : amount(Substring(text), unit: unit, line: cells[i].line, field: "procurement[\(row[c])].\(f)")
            }
            guard let quantity = Quantity.parse(row[c + 2]) else {
                missing("procurement[\(row[c])].quantity", line: cells[c + 2].line, zh: "数量“\(row[c + 2])”无法识别", en: "unreadable quantity “\(row[c + 2])”")
                continue
            }
            var byFund: [ProcurementFund: Fen] = [:]
            for (offset, fund) in ProcurementFund.allCases.enumerated() {
                if let value = money(c + 5 + offset, fund.rawValue), value != .zero { byFund[fund] = value }
            }
            guard let price = money(c + 3, "unitPrice"), let total = money(c + 4, "amount"), let sme = money(c + 12, "sme") else { continue }
            budget.procurement.append(ProcurementLine(
                projectName: row[0], projectAmount: c >= 2 && !row[1].isEmpty ? money(1, "projectAmount") : nil,
                itemName: row[c - 1], catalogCode: row[c], unitOfMeasure: cells[c + 1].compact, quantity: quantity,
                unitPrice: price, amount: total, byFund: byFund, smeReserved: sme))
        }
        for index in budget.procurement.indices {
            let name = budget.procurement[index].projectName
            budget.procurement[index].projectCode = budget.projects.first { $0.name == name }?.code
        }
    }

    /// A 2022 catalog code: A, B or C and eight digits.
    static func isCatalogCode(_ s: String) -> Bool {
        guard s.count == 9, let first = s.first, "ABC".contains(first) else { return false }
        return TextScan.allASCIIDigits(s.dropFirst())
    }

    /// "截止时间：2022年12月31日" → "2022-12-31".
    static func chineseDate(_ s: String) -> String? {
        guard let yearMark = s.firstIndex(of: "年"), let monthMark = s.firstIndex(of: "月"), let dayMark = s.firstIndex(of: "日"),
              yearMark < monthMark, monthMark < dayMark else { return nil }
        let year = s[..<yearMark].suffix(4)
        let month = s[s.index(after: yearMark)..<monthMark]
        let day = s[s.index(after: monthMark)..<dayMark]
        guard TextScan.allASCIIDigits(year), let m = Int(month), let d = Int(day), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return "\(year)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// 国有资产信息: the sentence and the 固定资产占用情况表.
    mutating func readAssets(_ range: Range<Int>, into budget: inout Budget) {
        let lines = texts(range)
        let sectionLine = doc.blocks[range].first?.line ?? 1
        if let (text, line) = lines.first(where: { $0.0.has("固定资产") && $0.0.has("万元") }) {
            if let m = TextScan.amount(after: "固定资产金额为", in: Substring(text)) {
                budget.stated[.assetsPriorYearEnd] = amount(m.value, line: line, field: "assets.priorYearEnd")
            }
            if let m = TextScan.amount(after: "拟购置固定资产总额为", in: Substring(text)) {
                budget.assets.plannedPurchases = amount(m.value, line: line, field: "assets.plannedPurchases") ?? .zero
                let rest = text[m.range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "，,"))
                if !rest.isEmpty { budget.narrative.notes["assetsPurchase"] = rest }
            }
        } else {
            missing("assets", line: sectionLine, zh: "未找到固定资产金额的说明", en: "no statement of fixed-asset value")
        }

        var found = false
        for cells in rows(range) {
            let filled = cells.filter { !$0.text.isEmpty }
            if let dateCell = filled.first(where: { $0.compact.hasPrefix("截止时间") || $0.compact.hasPrefix("截至时间") }),
               let date = Self.chineseDate(dateCell.compact) {
                budget.assets.asOf = date
            }
            guard filled.count == 3, let label = filled.first?.compact else { continue }
            guard let count = Quantity.parse(filled[1].text) else { continue }
            guard let value = amount(Substring(filled[2].text), line: filled[2].line, field: "assets[\(label)]") else { continue }
            let row = AssetRow(quantity: count, value: value)
            found = true
            if label.has("资产总额") { budget.assets.total = row }
            else if label.has("办公用房") { budget.assets.officeSpace = row }
            else if label.has("房屋") { budget.assets.buildings = row }
            else if label.has("车辆") { budget.assets.vehicles = row }
            else if label.has("20万元以上") { budget.assets.highValueEquipment = row }
            else if label.has("其他固定资产") { budget.assets.other = row }
        }
        if !found {
            missing("assets.table", line: sectionLine, zh: "未找到固定资产占用情况表的数据行", en: "no data rows of the fixed-asset table")
        }
    }
}
