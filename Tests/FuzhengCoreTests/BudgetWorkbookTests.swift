import Foundation
@testable import FuzhengCore
import Testing
import ZIPFoundation

/// Opens an exported workbook's parts, changes them as a person or another program would, and packs them again.
struct WorkbookParts {
    var parts: [String: Data]

    init(_ data: Data) throws { parts = try SafeArchive.entries(of: data) }

    /// The parts in the order the export writes them: 说明, 收入, 支出, 三公经费, 机关运行经费, 项目, 绩效指标, 政府采购, 资产.
    static let sheetNumbers = ["说明": 1, "收入": 2, "支出": 3, "三公经费": 4, "机关运行经费": 5, "项目": 6, "绩效指标": 7,
                               "政府采购": 8, "资产": 9]

    func xml(_ sheet: String) -> String {
        String(decoding: parts["xl/worksheets/sheet\(Self.sheetNumbers[sheet]!).xml"]!, as: UTF8.self)
    }

    mutating func setXML(_ sheet: String, _ xml: String) {
        parts["xl/worksheets/sheet\(Self.sheetNumbers[sheet]!).xml"] = Data(xml.utf8)
    }

    /// Replaces one cell (found by its reference) with `cell`, the whole <c> element.
    mutating func setCell(_ sheet: String, _ ref: String, _ cell: String) throws {
        let xml = xml(sheet)
        let pattern = try Regex("<c r=\"\(ref)\"[^>]*?(/>|>.*?</c>)")
        let match = try #require(xml.firstMatch(of: pattern), "no cell \(ref) on \(sheet)")
        setXML(sheet, xml.replacingCharacters(in: match.range, with: cell))
    }

    mutating func number(_ sheet: String, _ ref: String, _ v: String) throws {
        try setCell(sheet, ref, "<c r=\"\(ref)\"><v>\(v)</v></c>")
    }

    mutating func text(_ sheet: String, _ ref: String, _ s: String) throws {
        try setCell(sheet, ref,
                    "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Markup.escape(s))</t></is></c>")
    }

    func data() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// Every inline string moved into sharedStrings.xml, as Excel and LibreOffice write text.
    mutating func useSharedStrings() throws {
        var strings: [String] = []
        let inline = try Regex(#"<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr">"#
                               + #"<is><t xml:space="preserve">(.*?)</t></is></c>"#)
        for (path, data) in parts where path.hasPrefix("xl/worksheets/") {
            var xml = String(decoding: data, as: UTF8.self)
            xml = xml.replacing(inline) { m in
                strings.append(String(m.output[3].substring!))
                let (ref, style) = (m.output[1].substring!, m.output[2].substring ?? "")
                return "<c r=\"\(ref)\"\(style) t=\"s\"><v>\(strings.count - 1)</v></c>"
            }
            parts[path] = Data(xml.utf8)
        }
        // Runs and a phonetic guide, which is not part of the text.
        let items = strings.map {
            "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">\($0)</t></r><rPh sb=\"0\" eb=\"1\"><t>ピン</t></rPh></si>"
        }
        parts["xl/sharedStrings.xml"] = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + items.joined() + "</sst>").utf8)
        var rels = String(decoding: parts["xl/_rels/workbook.xml.rels"]!, as: UTF8.self)
        let type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
        rels = rels.replacingOccurrences(of: "</Relationships>", with: "<Relationship Id=\"rId99\" Type=\"\(type)\" "
                                         + "Target=\"/xl/sharedStrings.xml\"/></Relationships>")
        parts["xl/_rels/workbook.xml.rels"] = Data(rels.utf8)
    }
}

@Suite("Budget workbook: export, read back, refuse what cannot be read")
struct BudgetWorkbookTests {
    static func read(_ data: Data, into base: Budget) -> (Budget?, [WorkbookProblem]) {
        switch BudgetWorkbook.read(data, into: base) {
        case .success(let b): (b, [])
        case .failure(let f): (nil, f.problems)
        }
    }

    /// A budget with every field the workbook holds set, each to something a careless reader would lose: decimals,
    /// quantities with decimals, text that looks like a number, markup, new lines, an optional left empty.
    static var everyField: Budget {
        var b = Budget(fiscalYear: 2025, department: OrgRef(code: "434", name: "怀来县人民政府办公室部门"))
        b.units = [UnitProfileData(code: "434001", name: "怀来县人民政府办公室", nature: "行政", grade: "正科级", fundingForm: "财政拨款")]
        b.revenue = [RevenueLine(source: .generalPublicBudget, amount: Fen(1_234_567_89)),
                     RevenueLine(source: .specialAccount, amount: Fen(1)),
                     RevenueLine(source: .carryover, amount: .zero)]
        b.expenditure = [
            ExpenditureLine(kind: .basic, basicCategory: .personnel, label: "基本工资", functionCode: "2010301",
                            economicCode: "30101", governmentEconomicCode: "50101", amount: Fen(100_000_01)),
            ExpenditureLine(kind: .basic, basicCategory: .publicUse, label: "办公费 <A&B> \"引号\"", functionCode: "2010301",
                            economicCode: "30201", fundSource: .specialAccount, amount: Fen(99)),
            ExpenditureLine(kind: .project, projectCode: "0301", label: nil, functionCode: "2010350", economicCode: nil,
                            amount: Fen(23_456_789)),
            ExpenditureLine(kind: .basic, amount: Fen(5)),
        ]
        b.threePublic.items = ThreePublicItems(outboundTravel: Fen(1), vehiclePurchase: Fen(20),
                                               vehicleOperation: Fen(300), reception: Fen(4_000))
        b.operatingCosts = OperatingCosts(amount: Fen(777_77), use: "第一行\n第二行 <b>&amp;</b> ")
        b.projects = [
            Project(code: "0301", name: "怀财字【2025】1号 平台", fundDocument: "怀财字【2025】1号", amount: Fen(23_456_789),
                    fiscalFunds: Fen(23_000_000), otherFunds: Fen(456_789), use: "用途\n两行", spendingPlan: [
                        SpendingCheckpoint(month: 1, percent: 0), SpendingCheckpoint(month: 3, percent: 25),
                        SpendingCheckpoint(month: 11, percent: 90), SpendingCheckpoint(month: 12, percent: 100)],
                    target: "目标", framework: .cost2021, indicators: [
                        Indicator(level1: "产出指标", level2: "数量指标", name: "系统", description: "描述", comparator: .equal,
                                  value: "1", unit: "套", basis: "依据"),
                        Indicator(level1: "成本指标", level2: "经济成本指标", name: "成本", description: "", comparator: .atMost,
                                  value: "500", unit: "万元", basis: ""),
                        Indicator(level1: "效益指标", level2: "社会效益指标", name: "运行", description: "d",
                                  comparator: .qualitative, value: "正常运行", unit: "", basis: "b"),
                        Indicator(level1: "满意度指标", level2: "服务对象满意度指标", name: "满意度", description: "",
                                  comparator: .atLeast, value: "95.5", unit: "%", basis: ""),
                        Indicator(level1: "产出指标", level2: "时效指标", name: "恢复", description: "", comparator: .less,
                                  value: "24", unit: "小时", basis: ""),
                        Indicator(level1: "产出指标", level2: "质量指标", name: "可用", description: "", comparator: .greater,
                                  value: "99", unit: "%", basis: ""),
                    ]),
            Project(code: "13073023P00005210005Q", name: "无文号项目", amount: .zero, fiscalFunds: .zero),
        ]
        b.procurement = [
            ProcurementLine(projectName: "怀财字【2025】1号 平台", projectCode: "0301", projectAmount: Fen(23_456_789),
                            itemName: "台式计算机", catalogCode: "A02010105", unitOfMeasure: "台",
                            quantity: Quantity(thousandths: 2_500), unitPrice: Fen(600_001), amount: Fen(1_500_003),
                            byFund: [.generalPublicBudget: Fen(1_000_000), .unitFunds: Fen(500_003),
                                     .fiscalCarryover: .zero],
                            smeReserved: Fen(12)),
            ProcurementLine(projectName: "", itemName: "基础软件开发服务", catalogCode: "C16010100", unitOfMeasure: "",
                            quantity: Quantity(1), unitPrice: Fen(1), amount: Fen(1), byFund: [:], smeReserved: .zero),
        ]
        b.assets = AssetHoldings(asOf: "2024-12-31",
                                 total: AssetRow(quantity: Quantity(thousandths: 1_120_350), value: Fen(9_876_543_21)),
                                 buildings: AssetRow(quantity: Quantity(thousandths: 1_120_350), value: Fen(5)),
                                 officeSpace: AssetRow(quantity: Quantity(thousandths: 800_125), value: Fen(4)),
                                 vehicles: AssetRow(quantity: Quantity(2), value: Fen(3)),
                                 highValueEquipment: AssetRow(quantity: Quantity(0), value: .zero),
                                 other: AssetRow(quantity: Quantity(968), value: Fen(1)),
                                 plannedPurchases: Fen(1_500_003))
        b.narrative = Narrative(duties: "职责")
        b.restateTotals()
        return b
    }

    @Test("the demo budget and a budget with every field set read back equal to what was exported")
    func roundTrip() throws {
        for budget in [try Fixture.demoBudget, Self.everyField] {
            let data = BudgetWorkbook.export(budget)
            #expect(BudgetWorkbook.export(budget) == data, "the same budget gives the same bytes")
            let (read, problems) = Self.read(data, into: budget)
            #expect(problems == [])
            #expect(read == budget)
            #expect(WorkbookChanges.between(budget, try #require(read)) == [])
        }
    }

    @Test("every figure comes from the file, not from the budget it is read into")
    func figuresFromTheFile() throws {
        for budget in [try Fixture.demoBudget, Self.everyField] {
            var empty = budget
            empty.revenue = []
            empty.expenditure = []
            empty.threePublic.items = ThreePublicItems()
            empty.operatingCosts = OperatingCosts()
            empty.projects = budget.projects.map {
                Project(code: $0.code, name: "", amount: .zero, fiscalFunds: .zero, framework: $0.framework)
            }
            empty.procurement = []
            empty.assets = AssetHoldings()
            let (read, problems) = Self.read(BudgetWorkbook.export(budget), into: empty)
            #expect(problems == [])
            #expect(read == budget)
        }
    }

    @Test("a stated total that agreed with its lines follows them; one stated apart stays for the rules")
    func statedTotals() throws {
        var base = try Fixture.demoBudget
        base.stated[.personnel] = Fen(1)
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        try parts.number("收入", "B4", "20018901.00")
        try parts.number("支出", "I4", "2480001.00")
        let read = try #require(Self.read(try parts.data(), into: base).0)
        #expect(read.stated[.totalRevenue] == Fen(2_001_890_100))
        #expect(read.stated[.totalExpenditure] == base.stated[.totalExpenditure]! + Fen(100))
        #expect(read.stated[.personnel] == Fen(1))
        let changes = WorkbookChanges.between(base, read)
        #expect(changes.contains { $0.part == .revenue && $0.old == "20018900.00" && $0.new == "20018901.00" })
        #expect(changes.contains { $0.part == .expenditure && $0.item == "基本工资（2010301/30101）" })
        #expect(changes.contains { $0.part == .statedTotals && $0.item == "预算收入合计" })
        #expect(!changes.contains { $0.part == .statedTotals && $0.item == "人员经费" })
        #expect(WorkbookChanges.summary(changes)
            .hasPrefix("\(changes.count) change(s); 收入 一般公共预算拨款 金额（元）: 20018900.00 → 20018901.00"))
    }

    @Test("float noise is rounded to the fen within 0.000001 yuan; numbers stored as text read alike", arguments: [
        ("12.349999999999999", 1_235), ("12.350000000000001", 1_235), ("12.3400009", 1_234), ("12.340001", 1_234),
        ("12.3499990", 1_235), ("1.2345E+4", 1_234_500), ("1234.5", 123_450), ("0.1", 10), ("5E-3", nil),
        ("12.345", nil), ("12.3400011", nil), ("12.3449999", nil), ("-0.000000001", 0),
    ] as [(String, Int64?)])
    func floatNoise(_ stored: String, _ fen: Int64?) throws {
        let base = try Fixture.demoBudget
        for asText in [false, true] {
            var parts = try WorkbookParts(BudgetWorkbook.export(base))
            if asText { try parts.text("收入", "B4", " " + stored + " ") } else { try parts.number("收入", "B4", stored) }
            let (read, problems) = Self.read(try parts.data(), into: base)
            if let fen {
                #expect(problems == [], "\(stored)")
                #expect(read?.revenue.first?.amount == Fen(fen), "\(stored)")
            } else {
                #expect(read == nil)
                let p = try #require(problems.first)
                #expect(problems.count == 1)
                #expect((p.sheet, p.row, p.column, p.fieldZh) == ("收入", 4, "B", "金额（元）"))
                #expect(p.messageZh.hasPrefix("工作表“收入”第 4 行 B 列〔金额（元）〕："), "\(p.messageZh)")
                #expect(p.messageEn.hasPrefix("sheet 收入, row 4, column B [Amount (yuan)]: "), "\(p.messageEn)")
            }
        }
    }

    @Test("the rounding rule on its own", arguments: [
        ("12.349999999999999", 2, "12.35"), ("99.9999999", 2, "100.00"), ("0.0000001", 2, "0.00"),
        ("2.4999999", 3, "2.500"),
        ("2.5", 3, "2.500"), ("2010301", 0, "2010301"), ("2.010301E+6", 0, "2010301"), ("25.0000001", 0, "25"),
        ("12,345.60", 2, "12345.60"), ("１２", 2, "１２"), ("25%", 0, "25%"), ("1.23456", 2, "1.23456"),
        ("-9.999999999", 2, "-10.00"),
    ] as [(String, Int, String)])
    func snapping(_ text: String, _ places: Int, _ expected: String) {
        #expect(WorkbookNumber.snapped(text, places: places) == expected)
    }

    @Test("text numbers with separators and spaces, shared strings with runs, codes typed as numbers")
    func textAndSharedStrings() throws {
        let base = Self.everyField
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        try parts.text("收入", "B4", "1,234,567.89 ")
        try parts.number("支出", "E4", "2010301")              // a code retyped: a number now
        try parts.text("项目", "K5", "25%")                    // 3月
        try parts.number("资产", "C6", "9876543.2099999999")   // 资产总额
        try parts.useSharedStrings()
        let (read, problems) = Self.read(try parts.data(), into: base)
        #expect(problems == [])
        #expect(read == base)
    }

    @Test("a broken cell is named by sheet, row, column and field, with its value; nothing is returned")
    func brokenCells() throws {
        let base = Self.everyField
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        try parts.text("支出", "I5", "九十九元")
        try parts.text("支出", "E6", "9999999")
        try parts.text("项目", "A6", "0301")                     // the first project's code again
        try parts.number("政府采购", "G5", "0")                  // a quantity of nothing
        try parts.setCell("三公经费", "B5", "<c r=\"B5\"><f>SUM(A1:A2)</f></c>")
        try parts.setCell("资产", "B8", "<c r=\"B8\" t=\"e\"><v>#N/A</v></c>")
        let (read, problems) = Self.read(try parts.data(), into: base)
        #expect(read == nil)
        let places = problems.map { "\($0.sheet)!\($0.column ?? "")\($0.row.map(String.init) ?? "")" }
        #expect(places == ["支出!I5", "支出!E6", "三公经费!B5", "项目!A6", "政府采购!G5", "资产!B8"])
        #expect(problems[0].value == "九十九元")
        #expect(problems[0].messageZh == "工作表“支出”第 5 行 I 列〔金额（元）〕：“九十九元”不是金额（元）")
        #expect(problems[0].messageEn == "sheet 支出, row 5, column I [Amount (yuan)]: “九十九元” is not an amount in yuan")
        #expect(problems[1].reasonZh == "功能分类科目编码“9999999”不在目录中")
        #expect(problems[2].reasonEn.hasPrefix("the formula was saved without its result"))
        #expect(problems[3].reasonZh == "项目代码与第 5 行重复")
        #expect(problems[4].reasonEn.contains("out of range"))
        #expect(problems[5].reasonZh == "单元格是错误值 #N/A")
    }

    @Test("another year's or department's workbook, a missing sheet, a missing column are refused")
    func wrongWorkbook() throws {
        let base = Self.everyField
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        try parts.number("说明", "B3", "2024")
        var xml = parts.xml("支出")
        xml = xml.replacingOccurrences(of: "科目名称\nLine", with: "名称\nName")
        parts.setXML("支出", xml)
        var workbook = String(decoding: parts.parts["xl/workbook.xml"]!, as: UTF8.self)
        workbook = workbook.replacingOccurrences(of: "name=\"资产\"", with: "name=\"固定资产\"")
        parts.parts["xl/workbook.xml"] = Data(workbook.utf8)
        let (read, problems) = Self.read(try parts.data(), into: base)
        #expect(read == nil)
        #expect(problems.map(\.messageZh) == [
            "工作表“说明”第 3 行 B 列〔预算年度〕：这是 2024 年预算的工作簿，不是 2025 年的",
            "工作表“支出”第 3 行〔科目名称〕：标题行中缺少这一列",
            "工作表“资产”：工作簿中没有这张工作表（表名须为“资产”）",
        ])
    }

    @Test("headings found wherever they are: rows inserted above, columns moved, merged headings, empty rows, totals")
    func movedAndMerged() throws {
        let base = Self.everyField
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        // 收入 rebuilt by hand: a merged title, an empty row, the columns swapped, a heading merged over two rows,
        // an empty row between the lines and a 合计 row at the end; cells without r attributes, an x: prefix.
        let lines = base.revenue.map { ($0.source.nameZh, MoneyFormat.yuan($0.amount)) }
        var rows = [
            "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>收入预算表</x:t></x:is></x:c></x:row>",
            "<x:row r=\"4\"><x:c r=\"A4\" t=\"inlineStr\"><x:is><x:t>金额（元）</x:t></x:is></x:c>"
                + "<x:c r=\"C4\" t=\"inlineStr\"><x:is><x:t> 收入 来源 </x:t></x:is></x:c></x:row>",
        ]
        var r = 6
        for (source, amount) in lines {
            rows.append("<x:row r=\"\(r)\"><x:c><x:v>\(amount)</x:v></x:c><x:c/>"
                        + "<x:c t=\"inlineStr\"><x:is><x:t>\(source)</x:t></x:is></x:c></x:row>")
            r += 2
        }
        rows.append("<x:row r=\"\(r)\"><x:c r=\"A\(r)\"><x:v>1</x:v></x:c>"
                    + "<x:c r=\"C\(r)\" t=\"inlineStr\"><x:is><x:t>合计</x:t></x:is></x:c></x:row>")
        parts.setXML("收入", """
            <?xml version="1.0" encoding="UTF-8"?>\
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <x:sheetData>\(rows.joined())</x:sheetData>\
            <x:mergeCells><x:mergeCell ref="A1:C2"/><x:mergeCell ref="A4:B5"/>\
            <x:mergeCell ref="C4:C5"/></x:mergeCells></x:worksheet>
            """)
        let (read, problems) = Self.read(try parts.data(), into: base)
        #expect(problems == [])
        #expect(read == base)
    }

    @Test("procurement lines under one project, its name and budget merged down the rows, read as each line's")
    func mergedDataCells() throws {
        var base = Self.everyField
        base.procurement[1].projectName = base.procurement[0].projectName
        base.procurement[1].projectCode = "0301"
        base.procurement[1].projectAmount = base.procurement[0].projectAmount
        var parts = try WorkbookParts(BudgetWorkbook.export(base))
        var xml = parts.xml("政府采购")
        for ref in ["A6", "B6", "C6"] {
            xml = try xml.replacing(Regex("<c r=\"\(ref)\"[^>]*?>.*?</c>"), with: "")
        }
        xml = xml.replacingOccurrences(of: "</mergeCells>", with: "<mergeCell ref=\"A5:A6\"/><mergeCell ref=\"B5:B6\"/>"
                                       + "<mergeCell ref=\"C5:C6\"/></mergeCells>")
        parts.setXML("政府采购", xml)
        let (read, problems) = Self.read(try parts.data(), into: base)
        #expect(problems == [])
        #expect(read == base)
    }

    @Test("hostile files: not a zip, a zip bomb, too large, a DTD or an entity in a sheet are refused before any cell")
    func hostile() throws {
        let base = Self.everyField
        let good = BudgetWorkbook.export(base)
        #expect(Self.read(Data("not a zip".utf8), into: base).1.map(\.sheet) == [""])
        let tooLarge = Self.read(Data(count: BudgetWorkbook.maxUploadBytes + 1), into: base).1
        #expect(tooLarge.first?.reasonZh.hasPrefix("文件过大") == true)

        var bomb = try WorkbookParts(good)
        bomb.parts["xl/worksheets/sheet2.xml"] = Data(count: 30 << 20)
        let bombed = try bomb.data()
        #expect(bombed.count < 100 << 10)
        let bombProblems = Self.read(bombed, into: base).1
        #expect(bombProblems.count == 1)
        #expect(bombProblems.first?.messageEn
            .hasPrefix("the file: the entry “xl/worksheets/sheet2.xml” is too large") == true)

        for injected in [
            #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData>"#
                + #"<row r="4"><c r="A4" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>"#,
            #"<?xml version="1.0"?><!ENTITY a "aaaaaaaaaa"><worksheet/>"#,
        ] {
            var parts = try WorkbookParts(good)
            parts.setXML("收入", injected)
            let problems = Self.read(try parts.data(), into: base).1
            #expect(problems.count == 1)
            #expect(problems.first?.reasonZh.contains("为防止") == true, "\(problems)")
            #expect(problems.first?.reasonZh.hasPrefix("部件 xl/worksheets/sheet2.xml：XML 含有") == true)
        }
        var huge = try WorkbookParts(good)
        // Two cells at opposite corners and one merge over the whole sheet: 17 billion cells if filled in.
        huge.setXML("收入", #"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>"#
                    + #"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#
                    + #"<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>"#)
        #expect(Self.read(try huge.data(), into: base).1.first?.reasonEn.hasPrefix("too many cells") == true)
    }
}
