import Foundation

/// Rate bars drawn as SVG on the server: each unit's 办结率 and 按期办结率 as two bars under its name, 360 units wide,
/// so the text is drawn at its stated size on a 390 px phone.
public enum SupervisionChart {
    public struct Bar: Sendable {
        public var label: String
        public var closed: Int?
        public var onTime: Int?
        public init(label: String, closed: Int?, onTime: Int?) {
            self.label = label
            self.closed = closed
            self.onTime = onTime
        }
    }

    public static func render(title: String, bars: [Bar], closedLabel: String, onTimeLabel: String,
                              emptyText: String, width: Int = 360) -> String {
        let rowHeight = 58, top = 52, valueWidth = 78
        let plot = width - valueWidth
        let height = top + max(1, bars.count) * rowHeight + 4
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\""
            + " role=\"img\" aria-label=\"\(Markup.escape(title))\" class=\"chart\">"
            + "<title>\(Markup.escape(title))</title>"
            + "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\" fill=\"#1f2328\">"
            + "\(Markup.escape(SVGBarChart.fit(title, width: width, size: 15)))</text>"
            + "<rect x=\"0\" y=\"28\" width=\"12\" height=\"10\" fill=\"#0b5cad\"/>"
            + "<text x=\"16\" y=\"38\" font-size=\"12\" fill=\"#1f2328\">\(Markup.escape(closedLabel))</text>"
            + "<rect x=\"130\" y=\"28\" width=\"12\" height=\"10\" fill=\"#1a7f37\"/>"
            + "<text x=\"146\" y=\"38\" font-size=\"12\" fill=\"#1f2328\">\(Markup.escape(onTimeLabel))</text>"
        if bars.isEmpty {
            out += "<text x=\"0\" y=\"\(top + 18)\" font-size=\"14\" fill=\"#59636e\">"
                + "\(Markup.escape(emptyText))</text>"
        }
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            out += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"14\" fill=\"#1f2328\">"
                + "\(Markup.escape(SVGBarChart.fit(bar.label, width: width, size: 14)))</text>"
            for (j, (value, colour)) in [(bar.closed, "#0b5cad"), (bar.onTime, "#1a7f37")].enumerated() {
                // Basis points are at most 10,000 (the rates cannot pass 100%): no overflow.
                let length = max(0, min(plot, plot * min(value ?? 0, 10_000) / 10_000))
                let by = y + 20 + j * 17
                out += "<rect x=\"0\" y=\"\(by)\" width=\"\(length)\" height=\"14\" fill=\"\(colour)\" rx=\"2\"/>"
                out += "<text x=\"\(length + 6)\" y=\"\(by + 12)\" font-size=\"13\" fill=\"#1f2328\">"
                    + "\(SupervisionStatistics.percentText(value))</text>"
            }
        }
        return out + "</svg>"
    }
}

/// The monthly 督查通报: the text of a draft 通报 for the 公文 module, in its heading levels (一、（一）), naming the
/// figures, the red items and their units. Nothing here is typed by hand: every figure comes from `statistics`.
public enum SupervisionBulletin {
    public struct RedItem: Sendable, Equatable {
        public var title: String
        public var unit: String
        public var deadline: CivilDay
        /// Working days past the deadline: until it was closed, or until the bulletin for one still open.
        public var workingDaysOverdue: Int
        /// Closed late on this day; nil while still open.
        public var closedOn: CivilDay?
        public init(title: String, unit: String, deadline: CivilDay, workingDaysOverdue: Int,
                    closedOn: CivilDay? = nil) {
            self.title = title
            self.unit = unit
            self.deadline = deadline
            self.workingDaysOverdue = workingDaysOverdue
            self.closedOn = closedOn
        }
    }

    public static func title(year: Int, month: Int) -> String {
        "关于\(year)年\(month)月份重点工作督查情况的通报"
    }

    public static func body(year: Int, month: Int, statistics s: SupervisionStatistics, unitNames: [String: String],
                            red: [RedItem], open: Int) -> String {
        let pct = SupervisionStatistics.percentText
        func name(_ code: String) -> String { unitNames[code] ?? code }
        var lines: [String] = []
        lines.append("为推动县委、县政府各项决策部署落地见效，县政府办公室督查室对\(year)年\(month)月份督办事项办理情况进行了督查。"
            + "现将有关情况通报如下：")
        lines.append("一、总体情况")
        let c = s.county
        lines.append("本月应办结督办事项\(c.due)件，已办结\(c.closed)件，办结率\(pct(c.closedRate))；"
            + "按期办结\(c.onTime)件，按期办结率\(pct(c.onTimeRate))。"
            + (c.closedBeforePeriod == 0 ? "" : "其中\(c.closedBeforePeriod)件在本月前已提前办结。")
            + "截至通报时，在办事项\(open)件。")
        lines.append("（口径：\(SupervisionRates.definitionZh)）")
        if s.proposals.due > 0 {
            lines.append("建议提案应答复\(s.proposals.due)件，按期答复率\(pct(s.proposals.replyRate))，"
                + "满意率\(pct(s.proposals.satisfactionRate))。")
        }
        lines.append("二、各单位办理情况")
        if s.units.isEmpty {
            lines.append("本月无应办结事项。")
        } else {
            for (i, row) in s.units.enumerated() {
                lines.append("（\(chineseNumber(i + 1))）\(name(row.key))：应办结\(row.rates.due)件，"
                    + "办结率\(pct(row.rates.closedRate))，按期办结率\(pct(row.rates.onTimeRate))。")
            }
        }
        lines.append("三、逾期事项")
        if red.isEmpty {
            lines.append("本月无逾期事项。")
        } else {
            for (i, r) in red.enumerated() {
                let state = r.closedOn.map { "\($0.chineseText)办结，逾期\(r.workingDaysOverdue)个工作日" }
                    ?? "仍未办结，已逾期\(r.workingDaysOverdue)个工作日"
                lines.append("（\(chineseNumber(i + 1))）\(r.title)（牵头单位：\(name(r.unit))，期限\(r.deadline.chineseText)，"
                    + "\(state)）。")
            }
            let units = orderedUnique(red.map { name($0.unit) })
            lines.append("请\(units.joined(separator: "、"))切实履行牵头责任，认真分析逾期原因，"
                + "未办结的于通报之日起5个工作日内办结并报送结果；确有困难的，书面说明原因。")
        }
        lines.append("四、下一步工作要求")
        lines.append("各单位要对照督办事项清单逐项抓好落实，按要求报送进展情况，确保件件有着落、事事有回音。")
        return lines.joined(separator: "\n")
    }

    static func orderedUnique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    public static func chineseNumber(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 0..<10: return digits[n]
        case 10..<20: return "十" + (n == 10 ? "" : digits[n - 10])
        case 20..<100: return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        default: return String(n)
        }
    }
}

extension CivilDay {
    /// 2024年3月5日, as a 公文 writes a date.
    public var chineseText: String { "\(year)年\(month)月\(day)日" }
}
