import Foundation
import FuzhengCore
import Testing

/// The standard tables list spending as a Chinese budget table does: 类, 款 and 项 rows with their subtotals.
@Suite("Tables by function and economic classification")
struct ClassificationTableTests {
    let budget: Budget
    let disclosure: Disclosure

    init() throws {
        budget = try Fixture.demoBudget
        disclosure = DisclosureBuilder.build(budget)
    }

    static func display(_ t: ReportTable?) -> [[String]] { t?.rows.map { $0.cells.map(\.display) } ?? [] }

    @Test("the demo budget keeps the seed's figures and passes the rule book, codes included")
    func demoBudget() throws {
        #expect(budget.totalExpenditure == wan("2001.89"))
        #expect(budget.personnelExpenditure == wan("910.68"))
        #expect(budget.publicUseExpenditure == wan("291.21"))
        #expect(budget.projectExpenditure == wan("800"))
        #expect(budget.expenditure.allSatisfy { $0.functionCode != nil && $0.economicCode != nil })
        // No finding the seed's own, uncoded budget does not have: every code is in its catalog.
        func findings(_ b: Budget) -> [String] { RuleBook.check(b).map { "\($0.ruleID) \($0.messageEn)" }.sorted() }
        var imported = try DisclosureImporter.importBudget(try Fixture.huailai)
        imported.status = budget.status
        #expect(findings(budget) == findings(imported))
        // The 三公 items are where the economic codes put them.
        let byEconomic = { (code: String) in self.budget.expenditure.filter { $0.economicCode == code }.sum(\.amount) }
        #expect(byEconomic("30212") == budget.threePublic.items.outboundTravel)
        #expect(byEconomic("30217") == budget.threePublic.items.reception)
        #expect(byEconomic("31002") == budget.procurementTotal(.goods))
    }

    @Test("一般公共预算支出表: 合计 first, then every 类, 款 and 项 with its subtotal, named from the catalog")
    func generalPublic() {
        let zero = "0.00"
        #expect(Self.display(disclosure.table("t05-general-public")) == [
            ["", "合计", "2001.89", "1201.89", "910.68", "291.21", "800.00"],
            ["201", "一般公共服务支出", "1720.21", "930.21", "639.00", "291.21", "790.00"],
            ["20103", "政府办公厅（室）及相关机构事务", "1720.21", "930.21", "639.00", "291.21", "790.00"],
            ["2010301", "行政运行", "930.21", "930.21", "639.00", "291.21", zero],
            ["2010302", "一般行政管理事务", "260.00", zero, zero, zero, "260.00"],
            ["2010399", "其他政府办公厅（室）及相关机构事务支出", "530.00", zero, zero, zero, "530.00"],
            ["203", "国防支出", "10.00", zero, zero, zero, "10.00"],
            ["20306", "国防动员", "10.00", zero, zero, zero, "10.00"],
            ["2030607", "民兵", "10.00", zero, zero, zero, "10.00"],
            ["208", "社会保障和就业支出", "153.00", "153.00", "153.00", zero, zero],
            ["20805", "行政事业单位养老支出", "153.00", "153.00", "153.00", zero, zero],
            ["2080505", "机关事业单位基本养老保险缴费支出", "102.00", "102.00", "102.00", zero, zero],
            ["2080506", "机关事业单位职业年金缴费支出", "51.00", "51.00", "51.00", zero, zero],
            ["210", "卫生健康支出", "42.00", "42.00", "42.00", zero, zero],
            ["21011", "行政事业单位医疗", "42.00", "42.00", "42.00", zero, zero],
            ["2101101", "行政单位医疗", "42.00", "42.00", "42.00", zero, zero],
            ["221", "住房保障支出", "76.68", "76.68", "76.68", zero, zero],
            ["22102", "住房改革支出", "76.68", "76.68", "76.68", zero, zero],
            ["2210201", "住房公积金", "76.68", "76.68", "76.68", zero, zero],
        ])
    }

    @Test("一般公共预算基本支出表: 类 and 款 of the economic classification with subtotals")
    func generalPublicBasic() {
        let rows = Self.display(disclosure.table("t06-general-public-basic"))
        #expect(rows.map { $0[0] } == ["", "301", "30101", "30102", "30103", "30108", "30109", "30110", "30113",
                                       "302", "30201", "30202", "30205", "30206", "30207", "30208", "30209", "30211",
                                       "30212", "30213", "30215", "30228", "30229", "30239"])
        #expect(rows.first == ["", "合计", "1201.89", "910.68", "291.21"])
        #expect(rows.contains(["301", "工资福利支出", "910.68", "910.68", "0.00"]))
        #expect(rows.contains(["30101", "基本工资", "248.00", "248.00", "0.00"]))
        #expect(rows.contains(["302", "商品和服务支出", "291.21", "0.00", "291.21"]))
        #expect(rows.contains(["30212", "因公出国（境）费用", "30.00", "0.00", "30.00"]))
    }

    /// Each 类 is the exact sum of its 款 and each 款 of its 项, in every amount column; 合计 is the sum of the 类
    /// rows and of the rows of lines without a code.
    static func checkSubtotals(_ t: ReportTable, codeLengths: [Int]) {
        let amounts = t.columns.indices.filter { t.columns[$0].kind == .amount }
        func fen(_ row: ReportRow, _ i: Int) -> Fen { if case .amount(let f) = row.cells[i] { f } else { .zero } }
        func code(_ row: ReportRow) -> String { if case .text(let s) = row.cells[0] { s } else { "" } }
        let body = t.rows.dropFirst()
        for parent in body where !code(parent).isEmpty {
            let c = code(parent)
            guard let next = codeLengths.first(where: { $0 > c.count }) else { continue }
            let children = body.filter { code($0).count == next && code($0).hasPrefix(c) }
            guard !children.isEmpty else { continue }
            for i in amounts {
                #expect(children.map { fen($0, i) }.sum() == fen(parent, i), "\(t.id) \(c) column \(i)")
            }
        }
        let top = body.filter { code($0).isEmpty || code($0).count == codeLengths[0] }
        for i in amounts { #expect(top.map { fen($0, i) }.sum() == fen(t.rows[0], i), "\(t.id) 合计 column \(i)") }
    }

    @Test("every subtotal adds up exactly, in every table by classification")
    func subtotals() throws {
        for id in ["t02-income", "t03-expenditure", "t05-general-public"] {
            Self.checkSubtotals(try #require(disclosure.table(id)), codeLengths: [3, 5, 7])
        }
        Self.checkSubtotals(try #require(disclosure.table("t06-general-public-basic")), codeLengths: [3, 5])
    }

    @Test("lines without a code follow the coded rows, grouped by label; a 款-level code has no 项 row")
    func mixed() throws {
        var b = budget
        b.expenditure = [
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "人员经费", amount: .wan(5)),
            ExpenditureLine(kind: .basic, basicCategory: .publicUse, label: "办公费", functionCode: "2010301",
                            economicCode: "30201", amount: .wan(2)),
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "养老", functionCode: "20805",
                            economicCode: "30108", amount: .wan(1)),
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "人员经费", amount: .wan(3)),
        ]
        let d = DisclosureBuilder.build(b)
        let t05 = Self.display(d.table("t05-general-public"))
        #expect(t05.map { [$0[0], $0[1], $0[2]] } == [
            ["", "合计", "11.00"], ["201", "一般公共服务支出", "2.00"], ["20103", "政府办公厅（室）及相关机构事务", "2.00"],
            ["2010301", "行政运行", "2.00"], ["208", "社会保障和就业支出", "1.00"], ["20805", "行政事业单位养老支出", "1.00"],
            ["", "人员经费", "8.00"],
        ])
        let t06 = Self.display(d.table("t06-general-public-basic"))
        #expect(t06.map { [$0[0], $0[1], $0[2]] } == [
            ["", "合计", "11.00"], ["301", "工资福利支出", "1.00"], ["30108", "机关事业单位基本养老保险缴费", "1.00"],
            ["302", "商品和服务支出", "2.00"], ["30201", "办公费", "2.00"], ["", "人员经费", "8.00"],
        ])
        Self.checkSubtotals(try #require(d.table("t05-general-public")), codeLengths: [3, 5, 7])
    }

    @Test("a project kept as several lines is named once, with its total, in the expenditure sentence")
    func sentence() {
        #expect(disclosure.plainText.contains("项目支出800万元，主要为综合事务支出260万元、电子政务办公平台建设支出500万元、"
                                              + "法律服务支出30万元、民兵预备役支出10万元。"))
    }
}

/// Every format a reader downloads carries the codes, and heads each number column the way its figures sit.
@Suite("Classification codes in every format")
struct ClassificationFormatTests {
    let budget: Budget
    let disclosure: Disclosure

    init() throws {
        budget = try Fixture.demoBudget
        disclosure = DisclosureBuilder.build(budget)
    }

    /// The part of `text` from `start` up to the next `end`.
    static func segment(_ text: String, from start: String, to end: String) -> String {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex)
        else { return "" }
        return String(text[a.lowerBound..<b.upperBound])
    }

    @Test("HTML (and the PDF printed from it)")
    func html() {
        let html = DisclosureHTML.document(disclosure)
        let t05 = Self.segment(html, from: #"id="table-t05-general-public""#, to: "</figure>")
        #expect(t05.contains(#"<tr><td>201</td><td>一般公共服务支出</td><td class="num">1720.21</td>"#))
        #expect(t05.contains(#"<tr><td>20103</td><td>政府办公厅（室）及相关机构事务</td>"#))
        #expect(t05.contains(#"<tr><td>2010301</td><td>行政运行</td><td class="num">930.21</td>"#))
        let t06 = Self.segment(html, from: #"id="table-t06-general-public-basic""#, to: "</figure>")
        #expect(t06.contains(#"<tr><td>301</td><td>工资福利支出</td><td class="num">910.68</td>"#))
        #expect(t06.contains(#"<tr><td>30101</td><td>基本工资</td><td class="num">248.00</td>"#))
    }

    @Test("CSV")
    func csv() throws {
        let files = try DisclosureExport.files(budget, format: .csv)
        let t05 = String(decoding: try #require(files["t05-general-public.csv"]), as: UTF8.self)
        #expect(t05.contains("\r\n201,一般公共服务支出,1720.21,930.21,639.00,291.21,790.00\r\n"))
        #expect(t05.contains("\r\n2010301,行政运行,930.21,930.21,639.00,291.21,0.00\r\n"))
        let t06 = String(decoding: try #require(files["t06-general-public-basic.csv"]), as: UTF8.self)
        #expect(t06.contains("\r\n30101,基本工资,248.00,248.00,0.00\r\n"))
        let t03 = String(decoding: try #require(files["t03-expenditure.csv"]), as: UTF8.self)
        #expect(t03.contains("\r\n2030607,民兵,10.00,0.00,10.00\r\n"))
    }

    @Test("XLSX: codes as text cells; headers of number columns bold and right-aligned")
    func xlsx() throws {
        let data = try DisclosureXLSX.workbook(disclosure)
        func sheet(_ id: String) throws -> String {
            let index = try #require(disclosure.tables.firstIndex { $0.id == id })
            let xml = try DisclosureFormatTests.entry(data, "xl/worksheets/sheet\(index + 1).xml")
            return String(decoding: xml, as: UTF8.self)
        }
        func text(_ s: String) -> String { "<is><t xml:space=\"preserve\">\(s)</t></is>" }
        let t05 = try sheet("t05-general-public")
        #expect(DisclosureFormatTests.xmlText(Data(t05.utf8)).error == nil)
        for code in ["201", "20103", "2010301"] {
            #expect(t05.contains("t=\"inlineStr\">\(text(code))"), "\(code) is not a text cell")
            #expect(!t05.contains("<v>\(code)</v>"))
        }
        #expect(t05.contains(text("行政运行")))
        // Row 3 is the header (title, unit, header): text columns style 2, amounts style 4.
        #expect(t05.contains("<c r=\"A3\" t=\"inlineStr\" s=\"2\">\(text("科目编码"))</c>"))
        #expect(t05.contains("<c r=\"C3\" t=\"inlineStr\" s=\"4\">\(text("合计"))</c>"))
        #expect(t05.contains("<c r=\"G3\" t=\"inlineStr\" s=\"4\">\(text("项目支出"))</c>"))
        let t06 = try sheet("t06-general-public-basic")
        #expect(t06.contains("t=\"inlineStr\">\(text("30101"))") && t06.contains(text("基本工资")))
        // The quantity column of the procurement table is a number column too.
        #expect(try sheet("procurement").contains("t=\"inlineStr\" s=\"4\">\(text("数量"))"))

        let styles = String(decoding: try DisclosureFormatTests.entry(data, "xl/styles.xml"), as: UTF8.self)
        #expect(DisclosureFormatTests.xmlText(Data(styles.utf8)).error == nil)
        let cellXfs = ClassificationFormatTests.segment(styles, from: "<cellXfs", to: "</cellXfs>")
        let xfs = cellXfs.components(separatedBy: "<xf ").dropFirst().map { "<xf " + $0 }
        #expect(cellXfs.contains("count=\"\(xfs.count)\""))
        #expect(xfs.count == 5)
        if xfs.count == 5 {
            #expect(xfs[4].contains("fontId=\"1\"") && xfs[4].contains("<alignment horizontal=\"right\"/>"))
            #expect(!xfs[2].contains("alignment"))
        }
    }

    @Test("DOCX: codes in the table rows; number headers right-aligned")
    func docx() throws {
        let data = try DisclosureDOCX.document(disclosure)
        let xml = String(decoding: try DisclosureFormatTests.entry(data, "word/document.xml"), as: UTF8.self)
        func run(_ s: String) -> String { "<w:t xml:space=\"preserve\">\(s)</w:t>" }
        let t05 = Self.segment(xml, from: "<w:pStyle w:val=\"TableCaption\"/></w:pPr><w:r>\(run("一般公共预算支出表"))",
                               to: "</w:tbl>")
        for s in ["201", "一般公共服务支出", "2010301", "行政运行", "930.21"] { #expect(t05.contains(run(s)), "\(s)") }
        let header = "<w:pStyle w:val=\"TableText\"/><w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>"
        #expect(t05.contains(header + run("合计")))
        #expect(t05.contains(header + run("人员经费")))
        #expect(!t05.contains(header + run("科目编码")))
        let t06 = Self.segment(xml, from: "<w:pStyle w:val=\"TableCaption\"/></w:pPr><w:r>\(run("一般公共预算基本支出表"))",
                               to: "</w:tbl>")
        #expect(t06.contains(run("30101")) && t06.contains(run("基本工资")))
    }

    @Test("JSON: codes as strings beside their names")
    func json() throws {
        let json = try JSONSerialization.jsonObject(with: DisclosureJSON.document(disclosure)) as? [String: Any]
        let tables = try #require(json?["tables"] as? [[String: Any]])
        func rows(_ id: String) -> [[Any]] { tables.first { $0["id"] as? String == id }?["rows"] as? [[Any]] ?? [] }
        func named(_ id: String) -> [String: String] {
            var names: [String: String] = [:]
            for r in rows(id) { if let code = r[0] as? String, let name = r[1] as? String { names[code] = name } }
            return names
        }
        #expect(named("t05-general-public")["201"] == "一般公共服务支出")
        #expect(named("t05-general-public")["2010301"] == "行政运行")
        #expect(named("t02-income")["2010301"] == "行政运行")
        #expect(named("t06-general-public-basic")["30101"] == "基本工资")
        let line = try #require(rows("t05-general-public").first { $0[0] as? String == "2010301" })
        #expect((line[2] as? NSNumber)?.doubleValue == 930.21)
    }

    @Test("the data package: tables and budget lines carry the codes")
    func dataPackage() throws {
        let files = try DisclosureExport.files(budget, format: .datapackage)
        let t05 = String(decoding: try #require(files["table-t05-general-public.csv"]), as: UTF8.self)
        #expect(t05.contains("\n201,一般公共服务支出,1720.21,") && t05.contains("\n2010301,行政运行,930.21,"))
        let t06 = String(decoding: try #require(files["table-t06-general-public-basic.csv"]), as: UTF8.self)
        #expect(t06.contains("\n30101,基本工资,248.00,"))
        let lines = String(decoding: try #require(files["budget-lines.csv"]), as: UTF8.self)
        #expect(lines.contains(",expenditure,approved,basic,2010301,30101,,基本工资,general_public_budget,2480000.00\n"))
        #expect(lines.contains(",project,2030607,30224,13073023P00005010007L,民兵预备役支出,general_public_budget,40000.00\n"))
    }
}
