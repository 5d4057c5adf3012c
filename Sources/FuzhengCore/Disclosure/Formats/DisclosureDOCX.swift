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
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
        <Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
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
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>\
        <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>\
        </Relationships>
        """)
        zip.add("word/styles.xml", styles)
        zip.add("word/settings.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/></w:settings>
        """)
        zip.add("word/footer1.xml", footer(align: "right"))
        zip.add("word/footer2.xml", footer(align: "left"))
        zip.add("word/document.xml", body(d))
        return try zip.data()
    }

    /// GB/T 9704-2012 page numbers: "— 1 —" in 4号 (14 pt) 宋体, one character in from the outside corner
    /// (right on odd pages, left on even ones).
    static func footer(align: String) -> String {
        let run = "<w:rPr>\(fonts("宋体", "SimSun"))<w:sz w:val=\"28\"/></w:rPr>"
        let indent = align == "right" ? "<w:ind w:right=\"280\"/>" : "<w:ind w:left=\"280\"/>"
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="\(align)"/>\(indent)</w:pPr>\
        <w:r>\(run)<w:t xml:space="preserve">— </w:t></w:r><w:r>\(run)<w:fldChar w:fldCharType="begin"/></w:r>\
        <w:r>\(run)<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>\(run)<w:fldChar w:fldCharType="separate"/></w:r>\
        <w:r>\(run)<w:t>1</w:t></w:r><w:r>\(run)<w:fldChar w:fldCharType="end"/></w:r><w:r>\(run)<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>
        """
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

    /// Appends one paragraph to the growing document; one string, no intermediate pieces.
    static func appendParagraph(_ out: inout String, _ text: String, style: String? = nil, bold: Bool = false, align: String? = nil) {
        out += "<w:p>"
        if style != nil || align != nil {
            out += "<w:pPr>"
            if let style { out += "<w:pStyle w:val=\""; out += style; out += "\"/>" }
            if let align { out += "<w:jc w:val=\""; out += align; out += "\"/>" }
            out += "</w:pPr>"
        }
        out += bold ? "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">" : "<w:r><w:t xml:space=\"preserve\">"
        out += Markup.escape(text)
        out += "</w:t></w:r></w:p>"
    }

    static func appendCell(_ out: inout String, _ text: String, bold: Bool = false, right: Bool = false, span: Int = 1) {
        out += span > 1 ? "<w:tc><w:tcPr><w:gridSpan w:val=\"\(span)\"/></w:tcPr>" : "<w:tc><w:tcPr/>"
        appendParagraph(&out, text, style: "TableText", bold: bold, align: right ? "right" : nil)
        out += "</w:tc>"
    }

    static func appendTable(_ out: inout String, _ t: ReportTable) {
        appendParagraph(&out, t.title, style: "TableCaption")
        if let unit = t.unitNote { appendParagraph(&out, unit, style: "TableText", align: "right") }
        let n = t.columns.count
        out += "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/></w:tblPr><w:tblGrid>"
        for _ in 0..<n { out += "<w:gridCol/>" }
        out += "</w:tblGrid>"
        for fact in t.facts {
            out += "<w:tr>"
            appendCell(&out, fact.label, bold: true)
            appendCell(&out, fact.value, span: max(1, n - 1))
            out += "</w:tr>"
        }
        out += "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
        // A number's header stands over it: right-aligned like the figures below.
        for column in t.columns {
            appendCell(&out, column.title, bold: true, right: column.kind == .amount || column.kind == .quantity)
        }
        out += "</w:tr>"
        for row in t.rows {
            out += "<w:tr>"
            for (cell, column) in zip(row.cells, t.columns) {
                appendCell(&out, cell.display, bold: row.isTotal, right: column.kind == .amount || column.kind == .quantity)
            }
            out += "</w:tr>"
        }
        if t.isEmpty {
            out += "<w:tr>"
            appendCell(&out, t.emptyStatement ?? "本表无数据。", span: n)
            out += "</w:tr>"
        }
        out += "</w:tbl>"
        appendParagraph(&out, "")
    }

    static func body(_ d: Disclosure) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>"
        out.reserveCapacity(256 * 1024)
        for line in d.title.split(separator: "\n") { appendParagraph(&out, String(line), style: "Title") }
        appendParagraph(&out, d.intro)
        for section in d.sections {
            appendParagraph(&out, section.fullHeading, style: "Heading1")
            for block in section.blocks {
                switch block {
                case .subheading(let s): appendParagraph(&out, s, style: "Heading2")
                case .paragraph(let s): appendParagraph(&out, s)
                case .table(let id): if let t = d.table(id) { appendTable(&out, t) }
                }
            }
        }
        out += "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/><w:footerReference w:type=\"even\" r:id=\"rId4\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        return out
    }
}
