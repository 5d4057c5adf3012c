import Foundation

/// A DOCX of a `DocumentLayout`: the standard's margins and a document grid of 22 lines × 28 characters, and one
/// paragraph per laid line placed at the layout's height (exact line spacing and the space before it), so Word, WPS
/// and LibreOffice show the same lines on the same pages as the PDF and the OFD. Fonts are the standard's names from
/// the font map; page numbers are odd and even footers.
public enum LayoutDocx {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func twips(_ mm: Double) -> Int { Int((mm / 25.4 * 1440).rounded()) }

    public static func docx(_ layout: DocumentLayout, title: String, seal: Data? = nil,
                            fonts: FontMap = .shared) throws -> Data {
        let spec = layout.spec
        var body = ""
        var drawingID = 0
        for (index, page) in layout.pages.enumerated() {
            // Rows: runs sharing a baseline, and each rule, from the top of the page down.
            enum Item { case row([DocumentLayout.Run]), rule(DocumentLayout.Rule) }
            var rows: [(top: Double, item: Item)] = []
            for run in page.runs.sorted(by: { ($0.baseline, $0.x) < ($1.baseline, $1.x) })
                where run.baseline < spec.bottom + 1 {
                if case .row(var runs)? = rows.last?.item, let last = runs.last,
                    abs(last.baseline - run.baseline) < 0.01 {
                    runs.append(run)
                    rows[rows.count - 1] = (min(rows[rows.count - 1].top, run.top), .row(runs))
                } else {
                    rows.append((run.top, .row([run])))
                }
            }
            // A rule on the foot of the type area (the 版记's last) is the last line's bottom border: as a paragraph of
            // its own it would not fit on the page.
            let footRule = page.rules.first { abs($0.y - spec.bottom) < 0.5 }
            for rule in page.rules where rule.y < spec.bottom - 0.5 && rule.y >= spec.top - 0.5 {
                rows.append((rule.y - rule.thickness / 2, .rule(rule)))
            }
            rows.sort { $0.top < $1.top }
            let lastRow = rows.lastIndex { if case .row = $0.item { true } else { false } }
            var end = twips(spec.top)
            var first = true
            for (k, (top, item)) in rows.enumerated() {
                let at = max(twips(top), end)
                let before = at - end
                var pPr = "<w:pPr>" + (first && index > 0 ? "<w:pageBreakBefore/>" : "")
                    + "<w:snapToGrid w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"
                first = false
                switch item {
                case .rule(let rule):
                    let height = 20
                    let size = max(2, min(96, Int((rule.thickness / 25.4 * 72 * 8).rounded())))
                    pPr += "<w:pBdr><w:top w:val=\"single\" w:sz=\"\(size)\" w:space=\"0\" w:color=\""
                        + (rule.red ? spec.red : "000000") + "\"/></w:pBdr>"
                        + "<w:spacing w:before=\"\(before)\" w:after=\"0\" w:line=\"\(height)\" w:lineRule=\"exact\"/>"
                        + "<w:ind w:left=\"\(twips(rule.x - spec.left))\" w:right=\""
                        + "\(twips(spec.right - rule.x - rule.length))\"/>"
                        + "<w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr>"
                    body += "<w:p>\(pPr)</w:p>"
                    end = at + height
                case .row(let runs):
                    // An exact line shorter than the type's natural height (CJK fonts: about 1.4 em) is cut at the
                    // top: a type larger than the 正文 gets 1.23 em (measured in LibreOffice) so its top stays where
                    // the layout put it; a 标题 line no more than the grid's pitch.
                    let em = runs.map(\.sizeMM).max() ?? 5
                    let large = em > spec.bodySize * LayoutSpec.millimetresPerPoint + 0.1
                    let height = twips(!large ? em : em > spec.pitch ? em * 1.23 : min(em * 1.23, spec.pitch))
                    let left = runs[0].x - spec.left
                    var tabs = ""
                    var text = ""
                    var x = runs[0].x
                    for (k, run) in runs.enumerated() {
                        if k > 0, abs(run.x - x) > 0.3 {
                            tabs += "<w:tab w:val=\"left\" w:pos=\"\(twips(run.x - spec.left))\"/>"
                            text += "<w:r><w:tab/></w:r>"
                        }
                        text += runXML(run, fonts: fonts, red: spec.red)
                        x = run.x + run.width
                    }
                    if let s = page.seals.first, let seal, !seal.isEmpty, abs(s.y - top) < spec.pitch {
                        drawingID += 1
                        text += sealXML(s, id: drawingID)
                    }
                    if k == lastRow, let rule = footRule {
                        let size = max(2, min(96, Int((rule.thickness / 25.4 * 72 * 8).rounded())))
                        pPr += "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"\(size)\" w:space=\"0\" w:color=\""
                            + (rule.red ? spec.red : "000000") + "\"/></w:pBdr>"
                    }
                    pPr += (tabs.isEmpty ? "" : "<w:tabs>\(tabs)</w:tabs>")
                        + "<w:spacing w:before=\"\(before)\" w:after=\"0\" w:line=\"\(height)\" w:lineRule=\"exact\"/>"
                        // Each paragraph is one laid line: a negative right indent lets it overhang rather than
                        // wrap where a suite spaces Latin text from Chinese (LibreOffice does, by up to a millimetre).
                        + "<w:ind w:left=\"\(max(0, twips(left)))\" w:right=\"-\(twips(spec.cell * 2))\"/>"
                        + "<w:jc w:val=\"left\"/></w:pPr>"
                    body += "<w:p>\(pPr)\(text)</w:p>"
                    end = at + height
                }
            }
            if rows.isEmpty {
                body += "<w:p><w:pPr>" + (index > 0 ? "<w:pageBreakBefore/>" : "") + "</w:pPr></w:p>"
            }
        }
        let em = twips(spec.pageNumberSize * LayoutSpec.millimetresPerPoint)
        let numberBottom = spec.bottom + spec.pageNumberBelow + spec.pageNumberSize * LayoutSpec.millimetresPerPoint
        let letter = layout.format == .letter
        var sect = "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdOdd\"/>"
        sect += "<w:footerReference w:type=\"even\" r:id=\"rIdEven\"/>"
        if letter { sect += "<w:footerReference w:type=\"first\" r:id=\"rIdFirst\"/>" }
        sect += "<w:pgSz w:w=\"\(twips(spec.pageWidth))\" w:h=\"\(twips(spec.pageHeight))\"/>"
        let margins = [("top", twips(spec.top)), ("right", twips(spec.pageWidth - spec.right)),
                       ("bottom", twips(spec.pageHeight - spec.bottom)), ("left", twips(spec.left)),
                       ("header", 851), ("footer", twips(spec.pageHeight - numberBottom)), ("gutter", 0)]
        sect += "<w:pgMar " + margins.map { "w:\($0.0)=\"\($0.1)\"" }.joined(separator: " ") + "/>"
        if letter { sect += "<w:titlePg/>" }
        let linePitch = Int(spec.pitch / 25.4 * 1440)
        // A grid of lines: LibreOffice centres a character grid it cannot fill with whole characters (1.4 mm off the
        // binding margin); the 28 characters a line come from each character's spacing instead, in every suite.
        sect += "<w:docGrid w:type=\"lines\" w:linePitch=\"\(linePitch)\" w:charSpace=\"\(charSpace(spec))\"/>"
        sect += "</w:sectPr>"
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"\(w)\" "
            + "xmlns:r=\"\(r)\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
            + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            + "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>\(body)\(sect)"
            + "</w:body></w:document>"
        var zip = ZipWriter()
        let png = seal != nil && drawingID > 0
        zip.add("[Content_Types].xml", [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types ",
            "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
            (png ? "<Default Extension=\"png\" ContentType=\"image/png\"/>" : ""),
            override("/word/document.xml", "document.main") + override("/word/styles.xml", "styles"),
            override("/word/settings.xml", "settings") + override("/word/footer1.xml", "footer"),
            override("/word/footer2.xml", "footer") + override("/word/footer3.xml", "footer"),
            "<Override PartName=\"/docProps/core.xml\" ",
            "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>",
        ].joined())
        zip.add("_rels/.rels", [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships ",
            "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
            "<Relationship Id=\"rId1\" Type=\"\(r)/officeDocument\" Target=\"word/document.xml\"/>",
            "<Relationship Id=\"rId2\" ",
            "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" ",
            "Target=\"docProps/core.xml\"/></Relationships>",
        ].joined())
        zip.add("docProps/core.xml", [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties ",
            "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>\(Markup.escape(title))</dc:title>",
            "<dc:creator>Fuzheng</dc:creator></cp:coreProperties>",
        ].joined())
        zip.add("word/_rels/document.xml.rels", [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships ",
            "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
            "<Relationship Id=\"rIdStyles\" Type=\"\(r)/styles\" Target=\"styles.xml\"/>",
            "<Relationship Id=\"rIdSettings\" Type=\"\(r)/settings\" Target=\"settings.xml\"/>",
            "<Relationship Id=\"rIdOdd\" Type=\"\(r)/footer\" Target=\"footer1.xml\"/>",
            "<Relationship Id=\"rIdEven\" Type=\"\(r)/footer\" Target=\"footer2.xml\"/>",
            "<Relationship Id=\"rIdFirst\" Type=\"\(r)/footer\" Target=\"footer3.xml\"/>",
            (png ? "<Relationship Id=\"rIdSeal\" Type=\"\(r)/image\" Target=\"media/seal.png\"/>" : ""),
            "</Relationships>",
        ].joined())
        let body16 = fonts[.fangsong]
        zip.add("word/styles.xml", [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"\(w)\">",
            "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"\(Markup.escape(body16.ascii))\" ",
            "w:hAnsi=\"\(Markup.escape(body16.ascii))\" w:eastAsia=\"\(Markup.escape(body16.standard))\"/>",
            "<w:sz w:val=\"\(Int(spec.bodySize * 2))\"/><w:lang w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>",
            "</w:docDefaults></w:styles>",
        ].joined())
        zip.add("word/settings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:settings xmlns:w=\"\(w)\">"
            + "<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/></w:settings>")
        zip.add("word/footer1.xml", footer(right: true, indent: em, fonts: fonts, spec: spec))
        zip.add("word/footer2.xml", footer(right: false, indent: em, fonts: fonts, spec: spec))
        zip.add("word/footer3.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:ftr xmlns:w=\"\(w)\"><w:p/></w:ftr>")
        zip.add("word/document.xml", document)
        if png, let seal { zip.add("word/media/seal.png", seal) }
        return try zip.data()
    }

    static func override(_ part: String, _ type: String) -> String {
        "<Override PartName=\"\(part)\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.\(type)+xml\"/>"
    }

    /// Word's grid spacing: the difference between the grid's cell and the type size, in 4096ths of a point.
    static func charSpace(_ spec: LayoutSpec) -> Int {
        let cellPoints = spec.cell / LayoutSpec.millimetresPerPoint
        return Int(((cellPoints - spec.bodySize) * 4096).rounded())
    }

    /// A run as Word runs: full-width characters spaced to the layout's cell, each half-width one spaced to half a
    /// cell by its own advance, so the line ends where the layout ends it (and no office suite wraps it).
    static func runXML(_ run: DocumentLayout.Run, fonts: FontMap, red: String) -> String {
        let f = fonts[run.font]
        let cellPoints = run.advance / LayoutSpec.millimetresPerPoint
        let size = Int((run.size * 2).rounded(.down))
        let props = "<w:rFonts w:ascii=\"\(Markup.escape(f.ascii))\" w:hAnsi=\"\(Markup.escape(f.ascii))\" "
            + "w:eastAsia=\"\(Markup.escape(f.standard))\" w:hint=\"eastAsia\"/>"
            + (run.red ? "<w:color w:val=\"\(red)\"/>" : "")
        let sizes = "<w:kern w:val=\"0\"/><w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>"
        func piece(_ text: String, spacing: Int) -> String {
            "<w:r><w:rPr>\(props)" + (spacing != 0 ? "<w:spacing w:val=\"\(spacing)\"/>" : "") + sizes
                + "</w:rPr><w:t xml:space=\"preserve\">\(Markup.escape(text))</w:t></w:r>"
        }
        // Spacing in twentieths of a point, rounded down so a full line never wraps.
        let wide = Int(((cellPoints - Double(size) / 2) * 20).rounded(.down))
        var out = ""
        var pending = ""
        for c in run.text {
            if LineBreaking.halfCells(c) == 2 {
                pending.append(c)
                continue
            }
            if !pending.isEmpty {
                out += piece(pending, spacing: wide)
                pending = ""
            }
            let glyph = fonts.asciiWidth(c) / 1000 * Double(size) / 2
            out += piece(String(c), spacing: Int(((cellPoints / 2 - glyph) * 20).rounded(.down)))
        }
        if !pending.isEmpty { out += piece(pending, spacing: wide) }
        return out
    }

    static func footer(right: Bool, indent: Int, fonts: FontMap, spec: LayoutSpec) -> String {
        let f = fonts[.songti]
        let size = Int(spec.pageNumberSize * 2)
        let rPr = "<w:rPr><w:rFonts w:ascii=\"\(Markup.escape(f.ascii))\" w:hAnsi=\"\(Markup.escape(f.ascii))\" "
            + "w:eastAsia=\"\(Markup.escape(f.standard))\"/><w:sz w:val=\"\(size)\"/></w:rPr>"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:ftr xmlns:w=\"\(w)\"><w:p><w:pPr>"
            + "<w:jc w:val=\"\(right ? "right" : "left")\"/>"
            + "<w:ind w:\(right ? "right" : "left")=\"\(indent)\"/></w:pPr>"
            + "<w:r>\(rPr)<w:t xml:space=\"preserve\">— </w:t></w:r>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>\(rPr)<w:instrText> PAGE </w:instrText></w:r>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>\(rPr)<w:t>1</w:t></w:r>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"end\"/></w:r>"
            + "<w:r>\(rPr)<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    }

    /// The seal as a picture anchored to the page at the layout's place, in front of the text.
    static func sealXML(_ s: DocumentLayout.Seal, id: Int) -> String {
        let emu = { (mm: Double) in Int((mm * 36000).rounded()) }
        let d = emu(s.diameter)
        return "<w:r><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" "
            + "relativeHeight=\"\(251_658_240 + id)\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\">"
            + "<wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"page\"><wp:posOffset>"
            + "\(emu(s.x - s.diameter / 2))</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"page\">"
            + "<wp:posOffset>\(emu(s.y - s.diameter / 2))</wp:posOffset></wp:positionV>"
            + "<wp:extent cx=\"\(d)\" cy=\"\(d)\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/>"
            + "<wp:docPr id=\"\(id)\" name=\"印章 \(id)\"/><a:graphic><a:graphicData "
            + "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr>"
            + "<pic:cNvPr id=\"\(id)\" name=\"seal.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
            + "<a:blip r:embed=\"rIdSeal\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>"
            + "<a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(d)\" cy=\"\(d)\"/></a:xfrm><a:prstGeom prst=\"rect\">"
            + "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    }
}
