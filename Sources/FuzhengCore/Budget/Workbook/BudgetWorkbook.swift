import Foundation

/// A budget's editable figures as an XLSX workbook laid out like the standard tables, and the same workbook read
/// back (`read`, in BudgetWorkbook+Read.swift). One sheet per table; amounts in 元 as numbers with two decimals;
/// codes as text. Each table is found by its heading row (Chinese, an English second line in the same cell), so
/// rows inserted above it, moved columns, merged headings and empty rows do not matter.
public enum BudgetWorkbook {
    enum Kind { case text, longText, code, amount, quantity, percent }

    struct Column {
        var key: String
        var zh: String
        var en: String
        var kind: Kind
        var width: Double

        init(_ key: String, _ zh: String, _ en: String, _ kind: Kind, width: Double? = nil) {
            self.key = key
            self.zh = zh
            self.en = en
            self.kind = kind
            self.width = width ?? (kind == .longText ? 40 : kind == .amount ? 16 : kind == .percent ? 7 : 14)
        }
    }

    /// A heading over several columns (a second heading row), as the standard tables group 资金来源 and 支出计划.
    struct Group {
        var zh: String
        var en: String
        var keys: [String]
    }

    struct Sheet {
        var name: String
        var en: String
        var columns: [Column]
        /// The headings that identify the heading row.
        var keys: [String]
        var group: Group?
        /// Rows headed 合计/总计/小计 are sums a person may add; they are not lines.
        var skipsTotals = true

        func column(_ key: String) -> Column { columns.first { $0.key == key }! }
    }

    static let revenue = Sheet(name: "收入", en: "Revenue", columns: [
        Column("source", "收入来源", "Source", .text, width: 24), Column("amount", "金额（元）", "Amount (yuan)", .amount),
    ], keys: ["source", "amount"])

    static let expenditure = Sheet(name: "支出", en: "Expenditure", columns: [
        Column("kind", "支出类型", "Kind", .text, width: 10),
        Column("category", "基本支出类别", "Basic category", .text, width: 12),
        Column("project", "项目代码", "Project code", .code, width: 24),
        Column("label", "科目名称", "Line", .text, width: 26),
        Column("function", "功能分类科目编码", "Function code", .code),
        Column("economic", "部门经济分类科目编码", "Economic code", .code),
        Column("government", "政府经济分类科目编码", "Government economic code", .code),
        Column("fund", "资金来源", "Fund source", .text, width: 18),
        Column("amount", "金额（元）", "Amount (yuan)", .amount),
    ], keys: ["kind", "fund", "amount"])

    static let threePublic = Sheet(name: "三公经费", en: "Three public costs", columns: [
        Column("item", "项目", "Item", .text, width: 26), Column("amount", "金额（元）", "Amount (yuan)", .amount),
    ], keys: ["item", "amount"])

    static let operating = Sheet(name: "机关运行经费", en: "Operating costs", columns: [
        Column("amount", "金额（元）", "Amount (yuan)", .amount), Column("use", "用途说明", "Use", .longText, width: 60),
    ], keys: ["amount", "use"])

    static let months = (1...12).map { Column("m\($0)", "\($0)月", "Month \($0)", .percent) }

    static let projects = Sheet(name: "项目", en: "Projects", columns: [
        Column("code", "项目代码", "Project code", .code, width: 24),
        Column("name", "项目名称", "Project name", .text, width: 30),
        Column("document", "资金文号", "Fund document", .text, width: 18),
        Column("amount", "项目金额（元）", "Budget (yuan)", .amount),
        Column("fiscal", "财政拨款（元）", "Fiscal funds (yuan)", .amount),
        Column("other", "其他资金（元）", "Other funds (yuan)", .amount),
        Column("use", "资金用途", "Use", .longText),
        Column("target", "绩效目标", "Target", .longText),
    ] + months, keys: ["code", "name"],
    group: Group(zh: "资金支出计划（累计%）", en: "Spending plan (cumulative %)", keys: months.map(\.key)))

    static let indicators = Sheet(name: "绩效指标", en: "Indicators", columns: [
        Column("project", "项目代码", "Project code", .code, width: 24),
        Column("level1", "一级指标", "Level 1", .text, width: 12),
        Column("level2", "二级指标", "Level 2", .text, width: 14),
        Column("name", "三级指标", "Indicator", .text, width: 24),
        Column("description", "指标描述", "Description", .longText),
        Column("value", "指标值", "Value", .text, width: 14),
        Column("basis", "指标值确定依据", "Basis", .longText, width: 24),
    ], keys: ["project", "name", "value"])

    static let funds = ProcurementFund.allCases.map { Column("fund.\($0.rawValue)", $0.nameZh, fundEn($0), .amount) }

    static let procurement = Sheet(name: "政府采购", en: "Procurement", columns: [
        Column("projectName", "项目名称", "Project name", .text, width: 30),
        Column("projectCode", "项目代码", "Project code", .code, width: 24),
        Column("projectAmount", "项目金额（元）", "Project budget (yuan)", .amount),
        Column("item", "采购品目名称", "Item", .text, width: 20),
        Column("catalog", "品目编码", "Catalog code", .code, width: 12),
        Column("uom", "计量单位", "Unit", .text, width: 8),
        Column("quantity", "数量", "Quantity", .quantity, width: 10),
        Column("price", "单价（元）", "Unit price (yuan)", .amount),
        Column("amount", "金额（元）", "Amount (yuan)", .amount),
    ] + funds + [Column("sme", "预留中小企业份额（元）", "SME share (yuan)", .amount)],
    keys: ["item", "catalog", "amount"],
    group: Group(zh: "资金来源（元）", en: "By fund (yuan)", keys: funds.map(\.key)))

    static let assets = Sheet(name: "资产", en: "Assets", columns: [
        Column("category", "资产类别", "Category", .text, width: 26),
        Column("quantity", "数量", "Quantity", .quantity, width: 12),
        Column("value", "金额（元）", "Value (yuan)", .amount),
    ], keys: ["category", "value"], skipsTotals: false)

    static let about = (name: "说明", en: "About")

    static let tables = [revenue, expenditure, threePublic, operating, projects, indicators, procurement, assets]

    static func fundEn(_ f: ProcurementFund) -> String {
        switch f {
        case .generalPublicBudget: "General public budget"
        case .governmentFund: "Government funds"
        case .stateCapital: "State capital"
        case .specialAccount: "Special account"
        case .unitFunds: "Unit funds"
        case .fiscalCarryover: "Fiscal carry-over"
        case .nonFiscalCarryover: "Non-fiscal carry-over"
        }
    }

    /// Facts outside the tables: a label cell and the value in the next filled cell to its right.
    enum Fact {
        static let year = ("预算年度", "Fiscal year")
        static let department = ("部门代码", "Department code")
        static let asOf = ("截止日期", "As of")
        static let planned = ("本年度拟购置固定资产（元）", "Fixed assets to buy this year (yuan)")
    }

    // Computed, not stored: key paths are not Sendable.
    static var threePublicItems: [(zh: String, en: String, path: WritableKeyPath<ThreePublicItems, Fen>)] { [
        ("因公出国（境）费", "Official travel abroad", \.outboundTravel),
        ("公务用车购置费", "Official vehicle purchase", \.vehiclePurchase),
        ("公务用车运行维护费", "Official vehicle operation", \.vehicleOperation),
        ("公务接待费", "Official reception", \.reception),
    ] }

    typealias AssetRowSpec = (zh: String, en: String, aliases: [String], path: WritableKeyPath<AssetHoldings, AssetRow>)

    static var assetRows: [AssetRowSpec] { [
        ("资产总额", "Total", ["合计", "总计"], \.total),
        ("房屋（平方米）", "Buildings (m²)", ["房屋"], \.buildings),
        ("其中：办公用房（平方米）", "of which: offices (m²)", ["办公用房"], \.officeSpace),
        ("车辆（台、辆）", "Vehicles", ["车辆"], \.vehicles),
        ("单价在20万元以上设备", "Equipment over 200,000 yuan", ["单价20万元以上设备"], \.highValueEquipment),
        ("其他固定资产", "Other fixed assets", ["其他"], \.other),
    ] }

    static func kindZh(_ line: ExpenditureLine) -> String { line.kind == .basic ? "基本支出" : "项目支出" }

    static func categoryZh(_ c: BasicCategory?) -> String? {
        c.map { $0 == .personnel ? "人员经费" : "日常公用经费" }
    }

    // MARK: Export

    /// The workbook of the budget's editable figures; the same budget gives the same bytes.
    public static func export(_ budget: Budget) -> Data {
        var sheets: [(String, String)] = [(about.name, aboutSheet(budget))]
        let b = budget
        sheets.append((revenue.name, table(revenue, b, rows: b.revenue.map { line in
            ["source": .text(line.source.nameZh), "amount": amount(line.amount)]
        })))
        sheets.append((expenditure.name, table(expenditure, b, rows: b.expenditure.map { line in
            ["kind": .text(kindZh(line)), "category": text(categoryZh(line.basicCategory)),
             "project": text(line.projectCode),
             "label": text(line.label), "function": text(line.functionCode), "economic": text(line.economicCode),
             "government": text(line.governmentEconomicCode), "fund": .text(line.fundSource.nameZh),
             "amount": amount(line.amount)]
        })))
        sheets.append((threePublic.name, table(threePublic, b, rows: threePublicItems.map { item in
            ["item": .text(item.zh), "amount": amount(b.threePublic.items[keyPath: item.path])]
        })))
        sheets.append((operating.name, table(operating, b, rows: [
            ["amount": amount(b.operatingCosts.amount), "use": .text(b.operatingCosts.use)],
        ])))
        sheets.append((projects.name, table(projects, b, rows: b.projects.map { p in
            var row: [String: Value] = [
                "code": .text(p.code), "name": .text(p.name), "document": text(p.fundDocument),
                "amount": amount(p.amount), "fiscal": amount(p.fiscalFunds), "other": amount(p.otherFunds),
                "use": .text(p.use), "target": .text(p.target),
            ]
            for point in p.spendingPlan where (1...12).contains(point.month) {
                row["m\(point.month)"] = .number(String(point.percent))
            }
            return row
        })))
        sheets.append((indicators.name, table(indicators, b, rows: b.projects.flatMap { p in
            p.indicators.map { i in
                ["project": .text(p.code), "level1": .text(i.level1), "level2": .text(i.level2), "name": .text(i.name),
                 "description": .text(i.description), "value": .text(i.displayValue), "basis": .text(i.basis)]
            }
        })))
        sheets.append((procurement.name, table(procurement, b, rows: b.procurement.map { line in
            var row: [String: Value] = [
                "projectName": .text(line.projectName), "projectCode": text(line.projectCode),
                "projectAmount": line.projectAmount.map(amount) ?? .empty, "item": .text(line.itemName),
                "catalog": .text(line.catalogCode), "uom": .text(line.unitOfMeasure),
                "quantity": .number(line.quantity.description), "price": amount(line.unitPrice),
                "amount": amount(line.amount),
                "sme": amount(line.smeReserved),
            ]
            for (fund, value) in line.byFund { row["fund.\(fund.rawValue)"] = amount(value) }
            return row
        })))
        sheets.append((assets.name, assetsSheet(b)))
        return package(sheets)
    }

    enum Value {
        case text(String)
        case number(String)
        case empty
    }

    static func text(_ s: String?) -> Value { s.map { .text($0) } ?? .empty }
    static func amount(_ f: Fen) -> Value { .number(MoneyFormat.yuan(f)) }

    static func title(_ b: Budget, _ zh: String, _ en: String) -> (String, String) {
        ("\(b.fiscalYear)年 \(b.department.name) · \(zh)（金额单位：元）", "\(b.fiscalYear) budget · \(en) (amounts in yuan)")
    }

    /// Title rows, the heading (one row, or two under a group heading) and one row per line.
    static func table(_ sheet: Sheet, _ b: Budget, rows: [[String: Value]], facts: [(String, String, Value)] = [])
        -> String {
        var w = XLSXSheetWriter(widths: sheet.columns.map(\.width))
        let (zh, en) = title(b, sheet.name, sheet.en)
        w.row([.text(zh, style: XLSXSheetWriter.Style.title)])
        w.row([.text(en, style: XLSXSheetWriter.Style.plain)])
        for (label, labelEn, value) in facts {
            w.row([.text("\(label)\n\(labelEn)", style: XLSXSheetWriter.Style.header), cell(value, kind: .text)],
                  height: 30)
        }
        let head = w.nextRow
        func heading(_ zh: String, _ en: String) -> XLSXSheetWriter.Cell {
            .text("\(zh)\n\(en)", style: XLSXSheetWriter.Style.header)
        }
        func heading(_ c: Column) -> XLSXSheetWriter.Cell { heading(c.zh, c.en) }
        if let group = sheet.group {
            let grouped = Set(group.keys)
            let first = sheet.columns.firstIndex { grouped.contains($0.key) }!
            w.row(sheet.columns.enumerated().map { i, c in
                grouped.contains(c.key) ? (i == first ? heading(group.zh, group.en) : nil) : heading(c)
            }, height: 32)
            w.row(sheet.columns.map { grouped.contains($0.key) ? heading($0) : nil }, height: 32)
            for (i, c) in sheet.columns.enumerated() where !grouped.contains(c.key) {
                w.merge(rows: head...(head + 1), columns: i...i)
            }
            w.merge(rows: head...head, columns: first...(first + group.keys.count - 1))
        } else {
            w.row(sheet.columns.map(heading), height: 32)
        }
        w.frozenRows = w.nextRow - 1
        for row in rows {
            w.row(sheet.columns.map { c in cell(row[c.key] ?? .empty, kind: c.kind) })
        }
        return w.xml
    }

    static func cell(_ value: Value, kind: Kind) -> XLSXSheetWriter.Cell? {
        switch value {
        case .empty: return nil
        case .text(let s):
            return .text(s, style: kind == .longText ? XLSXSheetWriter.Style.longText : XLSXSheetWriter.Style.text)
        case .number(let v):
            return .number(v, style: kind == .amount ? XLSXSheetWriter.Style.amount : XLSXSheetWriter.Style.number)
        }
    }

    static func assetsSheet(_ b: Budget) -> String {
        let a = b.assets
        return table(assets, b, rows: assetRows.map { row in
            ["category": .text(row.zh), "quantity": .number(a[keyPath: row.path].quantity.description),
             "value": amount(a[keyPath: row.path].value)]
        }, facts: [(Fact.asOf.0, Fact.asOf.1, .text(a.asOf)),
                   (Fact.planned.0, Fact.planned.1, amount(a.plannedPurchases))])
    }

    static func aboutSheet(_ b: Budget) -> String {
        var w = XLSXSheetWriter(widths: [26, 90])
        let t = XLSXSheetWriter.Style.self
        w.row([.text("\(b.fiscalYear)年 \(b.department.name) 部门预算 · 可编辑数据", style: t.title)])
        w.row([.text("\(b.fiscalYear) budget of \(b.department.name): the editable figures", style: t.plain)])
        w.row([.text("\(Fact.year.0)\n\(Fact.year.1)", style: t.header),
               .number(String(b.fiscalYear), style: t.number)],
              height: 30)
        w.row([.text("\(Fact.department.0)\n\(Fact.department.1)", style: t.header),
               .text(b.department.code, style: t.text)],
              height: 30)
        for line in notes {
            w.row([nil, .text(line, style: t.longText)])
        }
        return w.xml
    }

    static let notes = [
        "修改各表中的数字和文字后，在平台的“从 Excel 导入”页面上传本文件：先预览将要改变的内容，确认后才保存。",
        "Edit the figures and words in the sheets, then upload this file on the platform's “Import from Excel” page: "
            + "you see what will change first, and nothing is saved until you confirm.",
        "各表按标题行（第一行为中文）识别，可以插入空行、移动列、合并标题单元格；请勿改动表名和标题文字。",
        "Each table is found by its heading row (Chinese on the first line): empty rows, moved columns and merged "
            + "headings are fine; keep the sheet names and the heading words.",
        "金额单位为元，最多两位小数，可以是数字或文本（如 12,345.60）。与整分相差不超过 0.000001 元的数按最近的整分读取"
            + "（如 12.349999999 读作 12.35），其余多于两位小数的数不予接受。",
        "Amounts are in yuan with at most two decimals, as numbers or as text (12,345.60). A value within "
            + "0.000001 yuan of a whole fen is read as that fen (12.349999999 is 12.35); other values with more "
            + "decimals are refused.",
        "代码（项目代码、科目编码、品目编码）按文本保存。首列为“合计”“总计”“小计”的行视为合计行，不作为明细读取（资产表除外）。",
        "Codes are kept as text. Rows whose first column says 合计, 总计 or 小计 are sums, not lines (except on the "
            + "assets sheet).",
        "上传的文件中任何一处无法读取，整个文件都不会导入，并逐一列出问题所在的工作表、行、列和字段。",
        "If anything in the file cannot be read, nothing is imported; each problem is listed with its sheet, row, "
            + "column and field.",
    ]

    /// Style 0 plain, 1 amounts (#,##0.00), 2 bold wrapped headings, 3 text (@: what is typed stays text),
    /// 4 bold title, 5 wrapped long text (@), 6 general numbers.
    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <fonts count="3"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font>\
    <font><b/><sz val="14"/><name val="宋体"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill>\
    <fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
    <alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">\
    <alignment vertical="top" wrapText="1"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """

    static func package(_ sheets: [(name: String, xml: String)]) -> Data {
        var zip = ZipWriter()
        let n = sheets.count
        let ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let worksheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        let overrides = (1...n).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"\(worksheetType)\"/>"
        }.joined()
        let entries = sheets.enumerated().map {
            "<sheet name=\"\(Markup.escape($0.element.name))\" sheetId=\"\($0.offset + 1)\" "
                + "r:id=\"rId\($0.offset + 1)\"/>"
        }.joined()
        let relationships = (1...n).map {
            "<Relationship Id=\"rId\($0)\" Type=\"\(ns)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>"
        }.joined()
        zip.add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(overrides)\
        </Types>
        """)
        zip.add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="\(ns)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """)
        zip.add("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        \(entries)\
        </sheets></workbook>
        """)
        zip.add("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \(relationships)<Relationship Id="rId\(n + 1)" Type="\(ns)/styles" Target="styles.xml"/>\
        </Relationships>
        """)
        zip.add("xl/styles.xml", styles)
        for (i, sheet) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", sheet.xml) }
        // ZIPFoundation writing to memory fails only when memory does; an export must not be optional.
        guard let data = try? zip.data() else { preconditionFailure("cannot build the workbook in memory") }
        return data
    }
}
