import Foundation

/// The checks of a 部门决算, as the budget's rule book checks a budget: balances that must close, sums, stated changes
/// against the figures and against their own parts, reasons for gaps past the threshold, and the text slips national
/// checks find in published 决算 (a change of "0万元", a doubled word, a template hint left in).
public enum FinalChecks {
    public struct Check: Sendable {
        public var id: String
        public var severity: Severity
        public var titleZh: String
        public var titleEn: String
    }

    public static let all: [Check] = [
        Check(id: "FINAL-CARRY", severity: .error, titleZh: "各资金来源：年初结转 + 本年收入 − 本年支出 = 年末结转",
              titleEn: "per fund source: carried in + received − spent = carried out"),
        Check(id: "FINAL-TOTALS", severity: .error, titleZh: "收入总计等于支出总计，各表合计等于明细之和",
              titleEn: "income total equals spending total; every table total equals its rows"),
        Check(id: "FINAL-CHANGE", severity: .error, titleZh: "所述增减额等于本年决算减上年决算，且等于其各部分之和",
              titleEn: "stated changes equal this year minus last year, and their parts add up"),
        Check(id: "FINAL-GAP", severity: .error, titleZh: "决算数与调整后预算数差异超过阈值的须说明原因",
              titleEn: "lines whose final passes the gap threshold against the adjusted budget give a reason"),
        Check(id: "FINAL-PROCUREMENT", severity: .error, titleZh: "政府采购支出各类之和等于总额，中小企业份额不超过总额",
              titleEn: "procurement categories add up to the total; the SME share is within it"),
        Check(id: "FINAL-COUNTS", severity: .warning, titleZh: "“三公”经费与团组、车辆、接待数量相符",
              titleEn: "三公 money and its counts agree (no spending without a count, no count without spending)"),
        Check(id: "FINAL-DUTY", severity: .warning, titleZh: "有等级标准的职责目标填写了可判定等级的完成值",
              titleEn: "duty targets with grade bands have an achieved value they can be graded by"),
        Check(id: "FINAL-TEXT-ZERO", severity: .warning, titleZh: "无“增加0万元”“减少0万元”一类写法",
              titleEn: "no change of nothing written as an increase or a decrease"),
        Check(id: "FINAL-TEXT-REPEAT", severity: .warning, titleZh: "无重复字词", titleEn: "no doubled words"),
        Check(id: "FINAL-TEXT-HINT", severity: .error, titleZh: "无残留的模板提示语",
              titleEn: "no template hint left in the text"),
    ]

    static func check(_ id: String) -> Check { all.first { $0.id == id }! }

    public static func run(_ f: FinalAccounts, document: Disclosure? = nil) -> [Finding] {
        var out: [Finding] = []
        func report(_ id: String, _ path: String, zh: String, en: String) {
            let c = check(id)
            out.append(Finding(ruleID: id, severity: c.severity, path: path, zh: zh, en: en))
        }

        for source in RevenueSource.allCases where source != .carryover {
            let flow = f.inputs.fund(source)
            let spent = f.spent(from: source)
            let expected = flow.opening + flow.received - spent
            guard expected != flow.closing else { continue }
            let t = Fen.readable([flow.opening, flow.received, spent, expected, flow.closing])
            report("FINAL-CARRY", "funds.\(source.rawValue)",
                   zh: "\(source.nameZh)：年初结转\(t[0]) + 收入\(t[1]) − 支出\(t[2]) = \(t[3])，但年末结转填为\(t[4])",
                   en: "\(source.rawValue): carried in \(t[0]) + received \(t[1]) − spent \(t[2]) = \(t[3]), "
                       + "but carried out is \(t[4])")
        }

        let d = document ?? FinalDisclosure.build(f)
        for table in d.tables {
            totals(table, &out)
        }
        let inTotal = f.totalIncome + f.openingBalance, outTotal = f.totalExpenditure + f.closingBalance
        if inTotal != outTotal {
            let (zh, en) = mismatch("收入总计", "the income total", stated: inTotal, derived: outTotal,
                                    of: "本年支出与年末结转", partsEn: "spending and the carry-out")
            report("FINAL-TOTALS", "f01-income-expenditure", zh: zh, en: en)
        }

        changes(f, report)

        let threshold = f.rules.gapReasonPercent * 100
        for c in f.generalPublicComparison() {
            guard let gap = c.gapBasisPoints, gap > threshold else { continue }
            let key = c.code.isEmpty ? c.name : c.code
            guard (f.inputs.gapReasons[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                continue
            }
            report("FINAL-GAP", "gapReasons.\(key)",
                   zh: "\(c.code)\(c.name)决算\(c.final.readable)与调整后预算\(c.adjusted.readable)相差"
                       + SupervisionStatistics.percentText(gap) + "，超过\(f.rules.gapReasonPercent)%，须说明原因",
                   en: "\(c.code) \(c.name): final \(c.final.readable) is "
                       + "\(SupervisionStatistics.percentText(gap)) off the "
                       + "adjusted budget \(c.adjusted.readable), past \(f.rules.gapReasonPercent)%: give a reason")
        }

        let p = f.inputs.procurement
        if let stated = p.statedTotal, stated != p.total {
            let (zh, en) = mismatch("政府采购支出总额", "the procurement total", stated: stated, derived: p.total)
            report("FINAL-PROCUREMENT", "procurement.statedTotal", zh: zh, en: en)
        }
        if p.sme > p.total {
            report("FINAL-PROCUREMENT", "procurement.sme",
                   zh: "授予中小企业合同金额\(p.sme.readable)超过政府采购支出总额\(p.total.readable)",
                   en: "the SME share \(p.sme.readable) exceeds the procurement total \(p.total.readable)")
        }

        let x = f.inputs.threePublic, n = f.inputs.counts
        let pairs: [(Fen, Int, String, String, String, String)] = [
            (x.outboundTravel, n.outboundGroups, "counts.outboundGroups", "因公出国（境）费", "团组数", "delegations abroad"),
            (x.vehiclePurchase, n.vehiclesBought, "counts.vehiclesBought", "公务用车购置费", "购置数", "vehicles bought"),
            (x.reception, n.receptionBatches, "counts.receptionBatches", "公务接待费", "接待批次", "reception batches"),
        ]
        for (money, count, path, what, counted, countedEn) in pairs where (money > .zero) != (count > 0) {
            report("FINAL-COUNTS", path,
                   zh: money > .zero ? "\(what)为\(money.readable)，但\(counted)为0" : "\(counted)为\(count)，但\(what)为0",
                   en: money > .zero ? "\(money.readable) was spent, but the number of \(countedEn) is 0"
                       : "\(count) \(countedEn), but nothing was spent on them")
        }
        if x.vehicleOperation > .zero, n.vehiclesKept == 0 {
            report("FINAL-COUNTS", "counts.vehiclesKept", zh: "公务用车运行维护费为\(x.vehicleOperation.readable)，但保有量为0",
                   en: "vehicle running costs without any vehicle kept")
        }

        for (n, duty) in DepartmentEvaluation.make(f).duties.enumerated() where duty.bands != nil && duty.grade == nil {
            report("FINAL-DUTY", "dutyActuals.\(n)",
                   zh: "职责目标\(n + 1)有等级标准，请填写完成值（百分比）"
                       + (duty.actual.isEmpty ? "" : "，“\(duty.actual)”无法判定"),
                   en: "duty target \(n + 1) has grade bands: give its achieved percentage")
        }

        for (path, text) in texts(f, d) {
            if let zero = f.rules.zeroChanges.first(where: { text.contains($0) }) {
                report("FINAL-TEXT-ZERO", path, zh: "“\(zero)”：没有变化时应写“持平”", en: "“\(zero)”: say it is unchanged")
            }
            if let doubled = NarrativeRules.doubledWords.first(where: { text.contains($0) }) {
                report("FINAL-TEXT-REPEAT", path, zh: "“\(doubled)”疑为重复字词", en: "“\(doubled)” looks doubled")
            }
            if let hint = f.rules.templateHints.first(where: { text.contains($0) }) {
                report("FINAL-TEXT-HINT", path, zh: "“\(hint)”疑为未替换的模板提示语", en: "“\(hint)” looks like a template hint")
            }
        }
        return out.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// The stated changes: each against this year minus last, and a total against the sum of its stated parts.
    static func changes(_ f: FinalAccounts, _ report: (String, String, String, String) -> Void) {
        let stated = f.inputs.statedChanges
        for (item, value) in stated.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let derived = f.change(item), derived != value else { continue }
            let t = Fen.readable([value, derived])
            report("FINAL-CHANGE", "statedChanges.\(item.rawValue)",
                   "所述\(label(item))增减\(t[0])，但本年决算减上年决算为\(t[1])",
                   "the stated change of \(item.rawValue) is \(t[0]), but this year minus last is \(t[1])")
        }
        let wholes: [(ChangeItem, [ChangeItem])] = [
            (.total, [.basic, .project]),
            (.threePublicTotal, [.outboundTravel, .vehicleTotal, .reception]),
            (.vehicleTotal, [.vehiclePurchase, .vehicleOperation]),
        ]
        for (whole, parts) in wholes {
            guard let total = stated[whole] else { continue }
            let given = parts.compactMap { stated[$0] }
            guard given.count == parts.count, given.sum() != total else { continue }
            let (zh, en) = mismatch("所述\(label(whole))增减额", "the stated change of \(whole.rawValue)",
                                    stated: total, derived: given.sum())
            report("FINAL-CHANGE", "statedChanges.\(whole.rawValue)", zh, en)
        }
    }

    static func label(_ item: ChangeItem) -> String {
        switch item {
        case .total: "支出合计"
        case .basic: "基本支出"
        case .project: "项目支出"
        case .threePublicTotal: "“三公”经费"
        case .outboundTravel: "因公出国（境）费"
        case .vehicleTotal: "公务用车购置及运行维护费"
        case .vehiclePurchase: "公务用车购置费"
        case .vehicleOperation: "公务用车运行维护费"
        case .reception: "公务接待费"
        }
    }

    /// The unit's own words and the generated paragraphs (which carry them), each with where it came from.
    static func texts(_ f: FinalAccounts, _ d: Disclosure) -> [(String, String)] {
        var out = f.inputs.texts.sorted { $0.key < $1.key }.map { ("texts.\($0.key)", $0.value) }
        out += f.inputs.gapReasons.sorted { $0.key < $1.key }.map { ("gapReasons.\($0.key)", $0.value) }
        out += [("narrative.duties", f.budget.narrative.duties)]
        out += f.budget.narrative.glossary.enumerated().map {
            ("narrative.glossary[\($0.offset)]", $0.element.definition)
        }
        return out
    }

    /// A table whose first row is a total: every amount column equals the sum of the rows beneath it that are not
    /// themselves parents (a code that is a prefix of the next row's code is a parent).
    static func totals(_ table: ReportTable, _ out: inout [Finding]) {
        guard let first = table.rows.first, first.isTotal,
              table.columns.first?.kind == .code, table.rows.count > 1 else { return }
        let rows = Array(table.rows.dropFirst())
        let codes = rows.map { row -> String in if case .text(let s) = row.cells.first { s } else { "" } }
        var leaves: [ReportRow] = []
        for (i, row) in rows.enumerated() {
            let code = codes[i]
            let isParent = !code.isEmpty && codes.contains { $0 != code && $0.hasPrefix(code) }
            if !isParent { leaves.append(row) }
        }
        for (c, column) in table.columns.enumerated() where column.kind == .amount {
            guard case .amount(let total) = first.cells[c] else { continue }
            let sum = leaves.map { row -> Fen in if case .amount(let v) = row.cells[c] { v } else { .zero } }.sum()
            guard sum != total else { continue }
            let (zh, en) = mismatch("\(table.title)“\(column.title)”合计", "\(table.id) column \(column.title)",
                                    stated: total, derived: sum)
            out.append(Finding(ruleID: "FINAL-TOTALS", severity: .error, path: table.id, zh: zh, en: en))
        }
    }
}
