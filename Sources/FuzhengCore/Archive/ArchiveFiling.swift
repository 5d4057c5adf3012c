import Foundation

/// A run of 件号: they restart for each 全宗 + 年度 + 保管期限 + 机构（问题）代码 (DA/T 22-2015 6.2) and have no gaps.
public struct ArchiveSeries: Sendable, Hashable, Comparable {
    public var fonds: String
    public var year: Int
    public var period: RetentionPeriod
    public var organisation: String

    public init(fonds: String, year: Int, period: RetentionPeriod, organisation: String) {
        self.fonds = fonds
        self.year = year
        self.period = period
        self.organisation = organisation
    }

    /// The counter that numbers the series (one row, locked while a number is taken).
    public var counterKey: String { "档号:\(fonds)-WS-\(period.rawValue)-\(organisation)" }

    public func code(item: Int) -> ArchivalCode {
        ArchivalCode(fonds: fonds, year: year, period: period, organisation: organisation, item: item)
    }

    /// 永久 before 30 years before 10 years, then by organisation code: the order of the 归档文件目录's volumes.
    public static func < (a: Self, b: Self) -> Bool {
        let order: [RetentionPeriod] = [.permanent, .thirtyYears, .tenYears]
        return (a.fonds, a.year, order.firstIndex(of: a.period)!, a.organisation)
            < (b.fonds, b.year, order.firstIndex(of: b.period)!, b.organisation)
    }
}

/// A 件 waiting for its 件号, as the year's list is arranged.
public struct FilingCandidate: Sendable, Equatable {
    public var id: String
    public var series: ArchiveSeries
    /// 日期, eight digits.
    public var date: String
    public var number: String
    public var title: String

    public init(id: String, series: ArchiveSeries, date: String, number: String, title: String) {
        self.id = id
        self.series = series
        self.date = date
        self.number = number
        self.title = title
    }
}

public enum ItemNumbering {
    /// The order 件号 are given in: series by series, and within one by date (DA/T 22-2015 6.1.3 排列: by time),
    /// then 文号 with its sequence compared as a number, then title, then id so the order never depends on chance.
    public static func ordered(_ items: [FilingCandidate]) -> [FilingCandidate] {
        items.sorted { a, b in
            if a.series != b.series { return a.series < b.series }
            if a.date != b.date { return a.date < b.date }
            let na = sequence(a.number), nb = sequence(b.number)
            if na != nb { return (na ?? .max) < (nb ?? .max) }
            if a.number != b.number { return a.number < b.number }
            if a.title != b.title { return a.title < b.title }
            return a.id < b.id
        }
    }

    /// The 件号 each item gets when `next` holds each series' next free number (1 for a new series): consecutive,
    /// in `ordered`'s order, so no number is skipped or given twice.
    public static func plan(_ items: [FilingCandidate], next: [ArchiveSeries: Int]) -> [(FilingCandidate, ArchivalCode)] {
        var counters = next
        return ordered(items).map { item in
            let n = counters[item.series] ?? 1
            counters[item.series] = n + 1
            return (item, item.series.code(item: n))
        }
    }

    /// 12 from 怀政办字〔2023〕12号; nil when the text has no such number.
    static func sequence(_ number: String) -> Int? {
        guard let close = number.firstIndex(of: "〕") else { return nil }
        let digits = number[number.index(after: close)...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }
}

/// A 档案员's change of the proposed 保管期限: allowed with a reason only.
public enum RetentionChange {
    public static func problem(proposed: RetentionPeriod, chosen: RetentionPeriod, reason: String) -> ArchiveProblem? {
        guard proposed != chosen else { return nil }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            return .init("改为“\(chosen.nameZh)”须写明理由（建议为“\(proposed.nameZh)”）",
                         "changing the period from the proposed \(proposed.rawValue) needs a reason")
        }
        if trimmed.count > 500 { return .init("理由不超过 500 字", "the reason is at most 500 characters") }
        return nil
    }
}

/// The 归档文件目录 (DA/T 22-2015 8.2 and appendix): one list per series, in the standard's columns.
public enum ArchiveCatalogue {
    public static let columnsZh = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
    public static let columnsEn = ["No.", "Archival code", "Doc. number", "Author", "Title", "Date", "Secrecy",
                                   "Pages", "Remarks"]

    public struct Volume: Sendable {
        public var series: ArchiveSeries
        public var items: [ArchiveMetadata]

        /// 0434 2023年度 永久 BGS.
        public var heading: String {
            "全宗号 \(series.fonds)　\(series.year)年度　\(series.period.nameZh)"
                + (series.organisation.isEmpty ? "" : "　\(series.organisation)")
        }

        /// A sheet name Excel accepts (at most 31 characters, none of []:*?/\).
        public var sheetName: String {
            String("\(series.year)-\(series.period.rawValue)\(series.organisation.isEmpty ? "" : "-")"
                   + series.organisation).prefix(31).filter { !"[]:*?/\\".contains($0) }
        }
    }

    /// Items grouped into volumes by series, each in 件号 order.
    public static func volumes(_ items: [ArchiveMetadata]) -> [Volume] {
        let grouped = Dictionary(grouping: items) {
            ArchiveSeries(fonds: $0.code.fonds, year: $0.code.year, period: $0.code.period,
                          organisation: $0.code.organisation)
        }
        return grouped.keys.sorted().map { Volume(series: $0, items: grouped[$0]!.sorted { $0.code.item < $1.code.item }) }
    }

    public static func row(_ index: Int, _ m: ArchiveMetadata) -> [String] {
        [String(index), m.code.description, m.number, m.responsible, m.title, m.date, m.secrecy, String(m.pages),
         m.remarks]
    }

    public static func xlsx(_ items: [ArchiveMetadata]) -> Data {
        let volumes = volumes(items)
        guard !volumes.isEmpty else { return PlainWorkbook.make([(name: "归档文件目录", rows: [columnsZh])]) }
        return PlainWorkbook.make(volumes.map { v in
            (name: v.sheetName, rows: [columnsZh] + v.items.enumerated().map { row($0.offset + 1, $0.element) })
        })
    }

    /// A printable page (A4 landscape) for Chromium's PDF: one table per volume, headings repeated on each page.
    public static func html(_ items: [ArchiveMetadata], title: String) -> String {
        var out = """
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(Markup.escape(title))</title><style>
        @page { size: A4 landscape; margin: 15mm 12mm; }
        body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt; }
        h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
        h2 { font-size: 12pt; margin: 6mm 0 2mm; break-after: avoid; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        th, td { border: 0.3mm solid #000; padding: 1mm 1.5mm; vertical-align: top; word-break: break-all; }
        thead { display: table-header-group; } tr { break-inside: avoid; }
        .n { text-align: center; } section + section { break-before: page; }
        </style></head><body><h1>\(Markup.escape(title))</h1>
        """
        let widths = ["7%", "17%", "12%", "11%", "27%", "8%", "5%", "5%", "8%"]
        let volumes = volumes(items)
        if volumes.isEmpty { out += "<p>（本年度尚无归档文件）</p>" }
        for v in volumes {
            out += "<section><h2>\(Markup.escape(v.heading))</h2><table><colgroup>"
            out += widths.map { "<col style=\"width:\($0)\">" }.joined() + "</colgroup><thead><tr>"
            out += columnsZh.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
            for (i, m) in v.items.enumerated() {
                let cells = row(i + 1, m)
                out += "<tr>" + cells.enumerated().map { c in
                    "<td\([0, 5, 6, 7].contains(c.offset) ? " class=\"n\"" : "")>\(Markup.escape(c.element))</td>"
                }.joined() + "</tr>"
            }
            out += "</tbody></table></section>"
        }
        return out + "</body></html>"
    }
}
