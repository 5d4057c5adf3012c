import Foundation

extension DisclosureImporter {
    static let revenueLabels: [(String, RevenueSource)] = [
        ("一般公共预算拨款收入", .generalPublicBudget), ("一般公共预算收入", .generalPublicBudget),
        ("政府性基金预算拨款收入", .governmentFund), ("政府性基金预算收入", .governmentFund), ("基金预算收入", .governmentFund),
        ("国有资本经营预算收入", .stateCapital), ("财政专户核拨收入", .specialAccount), ("财政专户管理资金收入", .specialAccount),
        ("事业单位经营收入", .operatingIncome), ("事业收入", .businessIncome), ("上级补助收入", .superiorSubsidy),
        ("附属单位上缴收入", .subordinateRemittance), ("上年结转结余", .carryover), ("上年结转", .carryover),
        ("其他来源收入", .other), ("其他收入", .other),
    ]

    /// 收入说明, 支出说明 and 比上年增减情况.
    mutating func readOverview(_ range: Range<Int>, into budget: inout Budget) {
        let lines = texts(range)
        let sectionLine = doc.blocks[range].first?.line ?? 1
        if let (overview, _) = lines.first(where: { $0.0.hasPrefix("按照预算管理") }) { budget.narrative.notes["overview"] = overview }

        // Revenue.
        if let (text, line) = lines.first(where: { $0.0.has("预算收入") && $0.0.has("万元") }),
           let total = TextScan.amount(after: "年预算收入", in: Substring(text)) {
            if let (_, intro) = TextScan.year(before: "年预算收入", in: text), !intro.isEmpty {
                budget.narrative.notes["revenueIntro"] = String(intro)
            }
            budget.stated[.totalRevenue] = amount(total.value, line: line, field: "revenue.total")
            var rest = String(text[total.range.upperBound...])
            for (label, source) in Self.revenueLabels {
                guard let m = TextScan.amount(after: label, in: Substring(rest)) else { continue }
                if let value = amount(m.value, line: line, field: "revenue.\(source.rawValue)") {
                    budget.revenue.append(RevenueLine(source: source, amount: value))
                }
                rest.removeSubrange(m.range)
            }
            if budget.revenue.isEmpty {
                missing("revenue", line: line, zh: "收入说明未列出任何收入来源的金额", en: "the revenue statement names no source with an amount")
            }
        } else {
            missing("revenue.total", line: sectionLine, zh: "未找到“XXXX年预算收入X万元”语句", en: "no sentence “…年预算收入 X 万元”")
        }

        // Expenditure.
        if let (text, line) = lines.first(where: { $0.0.has("支出预算为") }) {
            if let (_, intro) = TextScan.year(before: "年部门支出预算", in: text), !intro.isEmpty {
                budget.narrative.notes["expenditureIntro"] = String(intro)
            }
            func figure(_ label: String, _ field: String) -> Fen? {
                guard let m = TextScan.amount(after: label, in: Substring(text)) else {
                    missing(field, line: line, zh: "支出说明中未找到“\(label)X万元”", en: "the expenditure statement has no “\(label) X 万元”")
                    return nil
                }
                return amount(m.value, line: line, field: field)
            }
            let total = figure("支出预算为", "expenditure.total")
            let basic = figure("基本支出", "expenditure.basic")
            let personnel = figure("人员经费", "expenditure.personnel")
            let publicUse = figure("日常公用经费", "expenditure.publicUse")
            let project = figure("项目支出", "expenditure.project")
            budget.stated[.totalExpenditure] = total
            budget.stated[.basic] = basic
            budget.stated[.personnel] = personnel
            budget.stated[.publicUse] = publicUse
            budget.stated[.project] = project
            if let personnel { budget.expenditure.append(ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "人员经费", amount: personnel)) }
            if let publicUse { budget.expenditure.append(ExpenditureLine(kind: .basic, basicCategory: .publicUse, label: "日常公用经费", amount: publicUse)) }
            var items: [ExpenditureLine] = []
            if let start = text.utf8Range(of: "主要为") ?? text.utf8Range(of: "主要包括") {
                let list = text[start.upperBound...].prefix { $0 != "。" && $0 != "；" }
                for part in list.split(whereSeparator: { "、，".contains($0) }) {
                    guard let digit = part.firstIndex(where: TextScan.isDigit), digit > part.startIndex,
                          let (number, _) = TextScan.amountWan(at: part[digit...]),
                          let value = amount(number, line: line, field: "expenditure.project.item")
                    else { continue }
                    items.append(ExpenditureLine(kind: .project, label: String(part[..<digit]), amount: value))
                }
            }
            if items.isEmpty, let project, project != .zero {
                items.append(ExpenditureLine(kind: .project, label: "项目支出", amount: project))
            }
            budget.expenditure += items
        } else {
            missing("expenditure", line: sectionLine, zh: "未找到“部门支出预算为X万元”语句", en: "no sentence “部门支出预算为 X 万元”")
        }

        // Year-over-year change.
        if let (text, line) = lines.first(where: { ($0.0.has("较上年") || $0.0.has("比上年")) && $0.0.has("万元") }) {
            let current = budget.stated[.totalExpenditure] ?? budget.totalExpenditure
            func change(_ label: String, _ item: ChangeItem) -> Fen? {
                if text.has(label + "持平") || text.has(label + "与上年持平") { return .zero }
                guard let m = TextScan.change(after: label, in: Substring(text)),
                      let value = amount(m.value, line: line, field: "prior.\(item.rawValue)")
                else { return nil }
                return m.decrease ? -value : value
            }
            if let total = change("较上年", .total) ?? change("比上年", .total) {
                budget.prior.statedChanges[.total] = total
                budget.prior.total = current - total
            } else {
                missing("prior.total", line: line, zh: "未找到与上年相比的增减金额", en: "no change against last year")
            }
            if let basic = change("基本支出", .basic) {
                budget.prior.statedChanges[.basic] = basic
                budget.prior.basic = (budget.stated[.basic] ?? budget.basicExpenditure) - basic
                budget.prior.reasons.basic = Self.reason(after: "基本支出", in: text)
            }
            if let project = change("项目支出", .project) {
                budget.prior.statedChanges[.project] = project
                budget.prior.project = (budget.stated[.project] ?? budget.projectExpenditure) - project
                budget.prior.reasons.project = Self.reason(after: "项目支出", in: text)
            }
        } else {
            missing("prior", line: sectionLine, zh: "未找到“比上年增减情况”的说明", en: "no statement of the change against last year")
        }
    }

    /// The "主要是…" clause after a labelled change, up to the next ；or 。.
    static func reason(after label: String, in text: String) -> String {
        guard let start = text.utf8Range(of: label) else { return "" }
        let tail = text[start.upperBound...]
        guard let clause = tail.utf8Range(of: "主要") else { return "" }
        let end = tail[clause.lowerBound...].firstIndex(where: { $0 == "；" || $0 == "。" }) ?? tail.endIndex
        return String(tail[clause.lowerBound..<end])
    }

    mutating func readOperatingCosts(_ range: Range<Int>, into budget: inout Budget) {
        guard let (text, line) = texts(range).first(where: { $0.0.has("机关运行经费") && $0.0.has("万元") }),
              let m = TextScan.amount(after: "安排", in: Substring(text))
        else {
            missing("operatingCosts", line: doc.blocks[range].first?.line ?? 1, zh: "未找到机关运行经费的金额", en: "no amount of 机关运行经费")
            return
        }
        budget.operatingCosts.amount = amount(m.value, line: line, field: "operatingCosts.amount") ?? .zero
        budget.operatingCosts.use = String(text[m.range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "，, "))
    }

    mutating func readThreePublic(_ range: Range<Int>, into budget: inout Budget) {
        let joined = texts(range).map(\.0).joined()
            .replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
        let line = texts(range).first?.1 ?? (doc.blocks[range].first?.line ?? 1)
        let split = joined.utf8Range(of: "比上年")
        let currentPart = split.map { String(joined[..<$0.lowerBound]) } ?? joined
        let changePart = split.map { String(joined[$0.lowerBound...]) } ?? ""

        func current(_ label: String, _ field: String) -> Fen? {
            guard let m = TextScan.amount(after: label, in: Substring(currentPart)) else {
                missing("threePublic.\(field)", line: line, zh: "未找到“\(label)X万元”", en: "no “\(label) X 万元”")
                return nil
            }
            return amount(m.value, line: line, field: "threePublic.\(field)")
        }
        budget.threePublic.statedTotal = current("经费预算安排", "total")
        budget.threePublic.items = ThreePublicItems(
            outboundTravel: current("因公出国（境）费", "outboundTravel") ?? .zero,
            vehiclePurchase: current("公务用车购置费", "vehiclePurchase") ?? .zero,
            vehicleOperation: current("公务用车运行维护费", "vehicleOperation") ?? .zero,
            reception: current("公务接待费", "reception") ?? .zero)

        guard !changePart.isEmpty else { return }
        func change(_ label: String, _ item: ChangeItem) -> Fen? {
            if changePart.has(label + "持平") { return .zero }
            guard let m = TextScan.change(after: label, in: Substring(changePart)),
                  let value = amount(m.value, line: line, field: "prior.\(item.rawValue)")
            else { return nil }
            return m.decrease ? -value : value
        }
        let items: [(String, ChangeItem)] = [("比上年", .threePublicTotal), ("因公出国（境）费", .outboundTravel),
                                             ("公务用车购置及运维费", .vehicleTotal), ("公务用车运行维护费", .vehicleOperation),
                                             ("公务用车购置费", .vehiclePurchase), ("公务接待费", .reception)]
        for (label, item) in items {
            if let value = change(label, item) { budget.prior.statedChanges[item] = value }
        }
        let c = budget.prior.statedChanges
        if let outbound = c[.outboundTravel], let purchase = c[.vehiclePurchase], let operation = c[.vehicleOperation], let reception = c[.reception] {
            let now = budget.threePublic.items
            budget.prior.threePublic = ThreePublicItems(
                outboundTravel: now.outboundTravel - outbound, vehiclePurchase: now.vehiclePurchase - purchase,
                vehicleOperation: now.vehicleOperation - operation, reception: now.reception - reception)
        }
        if let r = changePart.utf8Range(of: "原因") {
            var reason = changePart[r.upperBound...]
            for lead in ["主要是", "为", "是"] where reason.hasPrefix(lead) {
                reason = reason.dropFirst(lead.count)
                break
            }
            if reason.first == "：" || reason.first == ":" { reason = reason.dropFirst() }
            while reason.last == "。" { reason = reason.dropLast() }
            budget.prior.reasons.threePublic = String(reason)
        }
    }
}
