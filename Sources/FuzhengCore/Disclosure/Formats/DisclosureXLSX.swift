import Foundation

/// The disclosure's tables as an XLSX workbook: one sheet per table, headers as in the disclosure,
/// amounts as numbers in 万元 with the 0.00 format.
public enum DisclosureXLSX {
    public static func workbook(_ d: Disclosure) throws -> Data {
        var zip = ZipWriter()
        let tables = d.tables
        var names: [String] = []
        for (i, t) in tables.enumerated() { names.append(sheetName(i + 1, t.title, taken: names)) }

        zip.add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(tables.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """)
        zip.add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """)
        zip.add("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets>\(names.enumerated().map { "<sheet name=\"\(Markup.escape($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())</sheets>\
        </workbook>
        """)
        zip.add("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \(tables.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
        <Relationship Id="rId\(tables.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """)
        zip.add("xl/styles.xml", styles)
        for (i, t) in tables.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", sheet(t)) }
        return try zip.data()
    }

    /// Style 0 plain text, 1 amounts (built-in format 2 = "0.00"), 2 bold headers, 3 bold amounts, 4 bold headers
    /// of number columns, right-aligned so each stands over its figures rather than over the next column's.
    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="2" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
    <alignment horizontal="right"/></xf></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """

    static func column(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    static func sheet(_ t: ReportTable) -> String {
        var rows: [String] = []
        // Text goes in as inline strings, so a code such as 2010301 stays text and is never turned into a number.
        func textCell(_ r: Int, _ c: Int, _ s: String, bold: Bool = false, style: Int? = nil) -> String {
            let xf = style ?? (bold ? 2 : 0)
            return "<c r=\"\(column(c))\(r)\" t=\"inlineStr\"\(xf == 0 ? "" : " s=\"\(xf)\"")>"
                + "<is><t xml:space=\"preserve\">\(Markup.escape(s))</t></is></c>"
        }
        func addRow(_ cells: (Int) -> String) { let r = rows.count + 1; rows.append("<row r=\"\(r)\">\(cells(r))</row>") }
        addRow { textCell($0, 0, t.title, bold: true) }
        if let unit = t.unitNote { addRow { textCell($0, 0, unit) } }
        for fact in t.facts { addRow { textCell($0, 0, fact.label, bold: true) + textCell($0, 1, fact.value) } }
        addRow { r in
            t.columns.enumerated().map { i, c in
                textCell(r, i, c.title, style: c.kind == .amount || c.kind == .quantity ? 4 : 2)
            }.joined()
        }
        for row in t.rows {
            addRow { r in
                zip(row.cells, t.columns).enumerated().map { i, pair -> String in
                    let (cell, _) = pair
                    switch cell {
                    case .amount(let f): return "<c r=\"\(column(i))\(r)\" s=\"\(row.isTotal ? 3 : 1)\"><v>\(MoneyFormat.wan(f))</v></c>"
                    case .quantity(let q): return "<c r=\"\(column(i))\(r)\"><v>\(q.description)</v></c>"
                    case .text(let s): return textCell(r, i, s, bold: row.isTotal)
                    case .empty: return ""
                    }
                }.joined()
            }
        }
        if t.isEmpty { addRow { textCell($0, 0, t.emptyStatement ?? "本表无数据。") } }
        let widths = t.columns.enumerated().map { i, c in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.kind == .amount ? 14 : c.kind == .code ? 14 : 22)\" customWidth=\"1\"/>"
        }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>\(widths)</cols><sheetData>\(rows.joined())</sheetData></worksheet>
        """
    }

    /// Sheet names: at most 31 characters, none of []:*?/\ , unique.
    static func sheetName(_ number: Int, _ title: String, taken: [String]) -> String {
        let cleaned = title.filter { !"[]:*?/\\".contains($0) }
        var name = String("\(number) \(cleaned)".prefix(31))
        var k = 2
        while taken.contains(name) { name = String("\(number)-\(k) \(cleaned)".prefix(31)); k += 1 }
        return name
    }
}
