import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import FuzhengCore
import Testing
import ZIPFoundation

@Suite("Disclosure formats read back")
struct DisclosureFormatTests {
    let budget: Budget
    let disclosure: Disclosure

    init() throws {
        budget = try DisclosureImporter.importBudget(try Fixture.huailai)
        disclosure = DisclosureBuilder.build(budget)
    }

    /// Parses XML (or XHTML without its doctype); returns the parser's error, or the text content.
    static func xmlText(_ data: Data) -> (error: Error?, text: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var text = ""
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        return (ok ? nil : parser.parserError ?? CocoaError(.fileReadCorruptFile), collector.text)
    }

    static func entry(_ zip: Data, _ path: String) throws -> Data {
        let archive = try Archive(data: zip, accessMode: .read)
        guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        var out = Data()
        _ = try archive.extract(entry) { out.append($0) }
        return out
    }

    @Test("HTML is well-formed and holds the text and every table")
    func html() throws {
        let html = DisclosureHTML.document(disclosure)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let (error, text) = Self.xmlText(Data(body.utf8))
        #expect(error == nil, "\(String(describing: error))")
        #expect(text.contains("2023年预算收入2001.89万元"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.components(separatedBy: "<figure").count - 1 == disclosure.tables.count)
        // Every amount column's header is right-aligned like its figures: as many th.num as amount columns.
        let amountColumns = disclosure.tables.filter { !$0.isEmpty }
            .flatMap(\.columns).filter { $0.kind == .amount || $0.kind == .quantity }.count
        #expect(amountColumns > 0)
        #expect(html.components(separatedBy: #"<th class="num">"#).count - 1 == amountColumns)
    }

    @Test("XLSX: one sheet per table, headers as in the disclosure, amounts as numbers with 0.00")
    func xlsx() throws {
        let data = try DisclosureXLSX.workbook(disclosure)
        let workbook = String(decoding: try Self.entry(data, "xl/workbook.xml"), as: UTF8.self)
        #expect(workbook.components(separatedBy: "<sheet ").count - 1 == disclosure.tables.count)
        #expect(Self.xmlText(Data(workbook.utf8)).error == nil)
        let index = try #require(disclosure.tables.firstIndex { $0.id == "procurement" })
        let sheet = try Self.entry(data, "xl/worksheets/sheet\(index + 1).xml")
        let (error, text) = Self.xmlText(sheet)
        #expect(error == nil)
        #expect(text.contains("部门政府采购预算"))
        #expect(text.contains("政府采购目录序号"))
        let xml = String(decoding: sheet, as: UTF8.self)
        #expect(xml.contains("<c r=\"H5\" s=\"3\"><v>519.92</v></c>"))  // row 5: title, unit, 部门, header, then 合计 (bold, 0.00)
        #expect(xml.contains("<v>4.80</v>"))
        #expect(String(decoding: try Self.entry(data, "xl/styles.xml"), as: UTF8.self).contains("numFmtId=\"2\""))
    }

    @Test("DOCX: 仿宋 and 黑体 set, real tables, A4 with GB/T 9704 margins")
    func docx() throws {
        let data = try DisclosureDOCX.document(disclosure)
        let document = try Self.entry(data, "word/document.xml")
        let (error, text) = Self.xmlText(document)
        #expect(error == nil, "\(String(describing: error))")
        #expect(text.contains("2023年，我部门机关运行经费共计安排291.21万元"))
        let xml = String(decoding: document, as: UTF8.self)
        #expect(xml.components(separatedBy: "<w:tbl>").count - 1 == disclosure.tables.count)
        #expect(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(xml.contains("w:top=\"2098\"") && xml.contains("w:left=\"1588\""))
        let styles = String(decoding: try Self.entry(data, "word/styles.xml"), as: UTF8.self)
        #expect(styles.contains("w:eastAsia=\"仿宋\"") && styles.contains("w:eastAsia=\"黑体\""))
        #expect(Self.xmlText(Data(styles.utf8)).error == nil)
        // Page numbers "— 1 —", odd pages right and even pages left.
        let odd = String(decoding: try Self.entry(data, "word/footer1.xml"), as: UTF8.self)
        let even = String(decoding: try Self.entry(data, "word/footer2.xml"), as: UTF8.self)
        #expect(Self.xmlText(Data(odd.utf8)).error == nil && odd.contains(" PAGE ") && odd.contains("<w:jc w:val=\"right\"/>"))
        #expect(even.contains("<w:jc w:val=\"left\"/>"))
        #expect(String(decoding: try Self.entry(data, "word/settings.xml"), as: UTF8.self).contains("evenAndOddHeaders"))
        #expect(xml.contains("<w:footerReference w:type=\"even\" r:id=\"rId4\"/>"))
    }

    @Test("CSV and JSON of every table")
    func csvAndJSON() throws {
        let files = try DisclosureExport.files(budget, format: .csv)
        #expect(files.count == disclosure.tables.count)
        let three = String(decoding: try #require(files["t07-three-public.csv"]), as: UTF8.self)
        #expect(three.hasPrefix("\u{FEFF}项目,合计（万元）,因公出国（境）费（万元）"))
        #expect(three.contains("2023年预算,241.50,30.00,0.00,0.00,0.00,211.50"))
        let summary = String(decoding: try #require(files["t01-income-expenditure.csv"]), as: UTF8.self)
        #expect(summary.contains("收入项目,预算数（万元）,支出项目,预算数（万元）（2）"))

        let json = try JSONSerialization.jsonObject(with: DisclosureJSON.document(disclosure)) as? [String: Any]
        let tables = try #require(json?["tables"] as? [[String: Any]])
        let t07 = try #require(tables.first { $0["id"] as? String == "t07-three-public" })
        let firstRow = try #require((t07["rows"] as? [[Any]])?.first)
        #expect(firstRow.first as? String == "2023年预算")
        #expect((firstRow[1] as? NSNumber)?.doubleValue == 241.5)
        #expect(json?["fiscalYear"] as? Int == 2023)
    }

    @Test("the fiscal data package lists every resource with fiscal column types")
    func dataPackage() throws {
        let files = try DisclosureExport.files(budget, format: .datapackage)
        let packageData = try #require(files["datapackage.json"])
        let package = try #require(try JSONSerialization.jsonObject(with: packageData) as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        #expect(resources.count == disclosure.tables.count + 1)
        for r in resources { #expect(files[r["path"] as! String] != nil) }
        let lines = String(decoding: try #require(files["budget-lines.csv"]), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + budget.revenue.count + budget.expenditure.count)
        #expect(lines.contains { $0.hasPrefix("2023,434,怀来县人民政府办公室部门,434001,怀来县人民政府办公室,expenditure,proposed,project,,,13073023P00005210005Q,电子政务办公平台建设支出,general_public_budget,5000000.00") })
        let fields = try #require((resources[0]["schema"] as? [String: Any])?["fields"] as? [[String: Any]])
        #expect(Set(fields.compactMap { $0["columnType"] as? String }).isSuperset(of: ["value", "date:fiscal-year", "direction", "phase",
                                                                                       "functional-classification:generic:code"]))
    }

    @Test("the same budget always gives the same bytes")
    func deterministic() throws {
        #expect(try DisclosureDOCX.document(disclosure) == DisclosureDOCX.document(disclosure))
        #expect(try DisclosureXLSX.workbook(disclosure) == DisclosureXLSX.workbook(disclosure))
    }
}
