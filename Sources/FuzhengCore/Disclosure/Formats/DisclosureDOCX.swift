import Foundation

/// The disclosure as a Word document: 仿宋 body, 黑体 headings, real tables, A4 with the
/// GB/T 9704-2012 margins (top 37 mm, binding 28 mm, type area 156 × 225 mm).
public enum DisclosureDOCX {
    public static func document(_ d: Disclosure) throws -> Data {
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        </Types>
        """)
        zip.add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """)
        zip.add("word/_rels/document.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """)
        zip.add("word/styles.xml", styles)
        zip.add("word/document.xml", body(d))
        return try zip.data()
    }

    static func fonts(_ eastAsia: String, _ latin: String) -> String {
        "<w:rFonts w:ascii=\"\(latin)\" w:hAnsi=\"\(latin)\" w:eastAsia=\"\(eastAsia)\" w:cs=\"\(latin)\"/>"
    }

    /// Sizes in half-points: 三号 16 pt = 32, 二号 22 pt = 44, 五号 10.5 pt = 21.
    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
    <w:docDefaults><w:rPrDefault><w:rPr>\(fonts("仿宋", "FangSong"))<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>\
    <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>\
    <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>\
    <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>\(fonts("方正小标宋简体", "SimSun"))<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>\
    <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr>\(fonts("黑体", "SimHei"))</w:rPr></w:style>\
    <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr>\(fonts("楷体", "KaiTi"))</w:rPr></w:style>\
    <w:style w:type="paragraph" w:styleId="TableCaption"><w:name w:val="Table Caption"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>\(fonts("黑体", "SimHei"))<w:sz w:val="24"/></w:rPr></w:style>\
    <w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:pPr><w:spacing w:line="300" w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr><w:rPr>\(fonts("仿宋", "FangSong"))<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>\
    <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>\
    <w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    </w:tblBorders></w:tblPr></w:style>\
    </w:styles>
    """

    static func paragraph(_ text: String, style: String? = nil, bold: Bool = false, align: String? = nil) -> String {
        let pPr = (style.map { "<w:pStyle w:val=\"\($0)\"/>" } ?? "") + (align.map { "<w:jc w:val=\"\($0)\"/>" } ?? "")
        return "<w:p>\(pPr.isEmpty ? "" : "<w:pPr>\(pPr)</w:pPr>")<w:r>\(bold ? "<w:rPr><w:b/></w:rPr>" : "")<w:t xml:space=\"preserve\">\(XMLText.escape(text))</w:t></w:r></w:p>"
    }

    static func table(_ t: ReportTable) -> String {
        var out = paragraph(t.title, style: "TableCaption")
        if let unit = t.unitNote { out += paragraph(unit, style: "TableText", align: "right") }
        func cell(_ text: String, bold: Bool = false, right: Bool = false, span: Int = 1) -> String {
            "<w:tc><w:tcPr>\(span > 1 ? "<w:gridSpan w:val=\"\(span)\"/>" : "")</w:tcPr>\(paragraph(text, style: "TableText", bold: bold, align: right ? "right" : nil))</w:tc>"
        }
        let n = t.columns.count
        var rows = t.facts.map { "<w:tr>\(cell($0.label, bold: true))\(cell($0.value, span: max(1, n - 1)))</w:tr>" }
        rows.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>\(t.columns.map { cell($0.title, bold: true) }.joined())</w:tr>")
        for row in t.rows {
            rows.append("<w:tr>\(zip(row.cells, t.columns).map { cell($0.display, bold: row.isTotal, right: $1.kind == .amount || $1.kind == .quantity) }.joined())</w:tr>")
        }
        if t.isEmpty { rows.append("<w:tr>\(cell(t.emptyStatement ?? "本表无数据。", span: n))</w:tr>") }
        out += "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/></w:tblPr>"
            + "<w:tblGrid>\(String(repeating: "<w:gridCol/>", count: n))</w:tblGrid>\(rows.joined())</w:tbl>"
        return out + paragraph("")
    }

    static func body(_ d: Disclosure) -> String {
        var parts = d.title.split(separator: "\n").map { paragraph(String($0), style: "Title") }
        parts.append(paragraph(d.intro))
        for section in d.sections {
            parts.append(paragraph(section.fullHeading, style: "Heading1"))
            for block in section.blocks {
                switch block {
                case .subheading(let s): parts.append(paragraph(s, style: "Heading2"))
                case .paragraph(let s): parts.append(paragraph(s))
                case .table(let id): if let t = d.table(id) { parts.append(table(t)) }
                }
            }
        }
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(parts.joined())\
        <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>\
        </w:body></w:document>
        """
    }
}
