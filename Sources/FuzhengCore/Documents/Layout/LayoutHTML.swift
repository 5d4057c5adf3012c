import Foundation

/// The HTML Chromium prints to PDF: every run placed absolutely where the layout put it and every character in a cell
/// of the layout's width, so Chromium breaks no line and moves nothing. Fonts are the open substitutes of the font map.
public enum LayoutHTML {
    public static func page(_ layout: DocumentLayout, title: String, sealDataURI: String? = nil,
                            fonts: FontMap = .shared) -> String {
        let spec = layout.spec
        var css = "@page{size:\(n(spec.pageWidth))mm \(n(spec.pageHeight))mm;margin:0}"
            + "html,body{margin:0;padding:0}"
            + ".p{position:relative;width:\(n(spec.pageWidth))mm;height:\(n(spec.pageHeight))mm;overflow:hidden;"
            + "break-after:page}.p:last-child{break-after:auto}"
            + ".r{position:absolute;white-space:nowrap;line-height:1;margin:0}"
            + ".r i{font-style:normal;display:inline-block;text-align:center;width:var(--w)}"
            + ".r i.h{width:calc(var(--w) / 2)}.red{color:#\(spec.red)}"
            + ".l{position:absolute}.s{position:absolute;mix-blend-mode:multiply}"
        for f in LaidFont.allCases {
            let e = fonts[f]
            let families = [e.substitute, e.fallback].compactMap { $0 }.map { "\"\($0)\"" }.joined(separator: ",")
            css += ".f-\(f.rawValue){font-family:\(families),serif;font-weight:\(e.weight)}"
        }
        var html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(Markup.escape(title))"
            + "</title><style>\(css)</style></head><body>"
        for page in layout.pages {
            html += "<div class=\"p\">"
            for r in page.runs {
                html += "<div class=\"r f-\(r.font.rawValue)\(r.red ? " red" : "")\" style=\"left:\(n(r.x))mm;"
                    + "top:\(n(r.top))mm;font-size:\(n(r.size))pt;--w:\(n(r.advance))mm\">"
                for c in r.text {
                    let cell = LineBreaking.halfCells(c) == 1 ? "<i class=\"h\">" : "<i>"
                    html += cell + (c == " " ? "&#160;" : Markup.escape(String(c))) + "</i>"
                }
                html += "</div>"
            }
            for rule in page.rules {
                html += "<div class=\"l\" style=\"left:\(n(rule.x))mm;top:\(n(rule.y - rule.thickness / 2))mm;"
                    + "width:\(n(rule.length))mm;height:\(n(rule.thickness))mm;background:"
                    + (rule.red ? "#\(spec.red)" : "#000") + "\"></div>"
            }
            if let sealDataURI {
                for s in page.seals {
                    html += "<img class=\"s\" alt=\"\" src=\"\(Markup.escape(sealDataURI))\" style=\"left:"
                        + "\(n(s.x - s.diameter / 2))mm;top:\(n(s.y - s.diameter / 2))mm;width:\(n(s.diameter))mm;"
                        + "height:\(n(s.diameter))mm\">"
                }
            }
            html += "</div>"
        }
        return html + "</body></html>"
    }

    static func n(_ v: Double) -> String { OFDWriter.num(v) }

    /// Which font stands in for which, for the PDF's properties.
    public static func substitution(_ fonts: FontMap = .shared) -> String {
        LaidFont.allCases.map { "\(fonts[$0].standard)→\(fonts[$0].substitute)" }.joined(separator: "；")
    }
}

/// The PDF's properties: title, the 文号, and which open font stands in for which of the standard's.
public enum PDFProperties {
    public static func fields(title: String, number: String) -> [(String, String)] {
        [("Title", title), ("Subject", "GB/T 9704-2012" + (number.isEmpty ? "" : " " + number)),
         ("Keywords", "字体替代 font substitution: " + LayoutHTML.substitution()),
         ("Creator", "Fuzheng 辅政"), ("Producer", "Chromium; Fuzheng")]
    }

    /// Chromium's PDF with its text map corrected (`PDFText`) and these properties, by one incremental update.
    public static func finish(_ pdf: Data, title: String, number: String) -> Data {
        PDFInfo.append(to: pdf, fields: fields(title: title, number: number), objects: PDFText.textMapFixes(pdf)) ?? pdf
    }
}

/// Adds an information dictionary (and replacement objects) to a finished PDF by an incremental update
/// (ISO 32000-1 7.5.6): the original bytes stay as they are; new objects, a cross-reference section and a trailer
/// follow them.
public enum PDFInfo {
    public static func append(to pdf: Data, fields: [(String, String)], objects: [Int: Data] = [:]) -> Data? {
        let bytes = [UInt8](pdf)
        guard let startxref = lastRange(of: "startxref", in: bytes) else { return nil }
        let tail = String(decoding: bytes[startxref.upperBound...], as: UTF8.self)
        guard let prev = Int(tail.split(whereSeparator: \.isWhitespace).first ?? "") else { return nil }
        guard let trailerAt = lastRange(of: "trailer", in: bytes) else { return nil }
        let trailer = String(decoding: bytes[trailerAt.upperBound..<startxref.lowerBound], as: UTF8.self)
        guard let size = number(after: "/Size", in: trailer), let root = reference(after: "/Root", in: trailer) else {
            return nil
        }
        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        var offsets: [(Int, Int)] = []
        for (n, body) in objects.sorted(by: { $0.key < $1.key }) where n > 0 && n < size {
            offsets.append((n, out.count))
            out.append(contentsOf: Array("\(n) 0 obj\n".utf8))
            out.append(body)
            out.append(contentsOf: Array("\nendobj\n".utf8))
        }
        offsets.append((size, out.count))
        var dict = "<<"
        for (key, value) in fields { dict += " /\(key) <\(utf16Hex(value))>" }
        dict += " >>"
        out.append(contentsOf: Array("\(size) 0 obj\n\(dict)\nendobj\n".utf8))
        let xrefOffset = out.count
        var xref = "xref\n"
        for (n, offset) in offsets {
            let digits = String(offset)
            xref += "\(n) 1\n" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + " 00000 n \n"
        }
        out.append(contentsOf: Array((xref + "trailer\n<< /Size \(size + 1) /Root \(root) /Info \(size) 0 R "
            + "/Prev \(prev) >>\nstartxref\n\(xrefOffset)\n%%EOF\n").utf8))
        return out
    }

    static func lastRange(of word: String, in bytes: [UInt8]) -> Range<Int>? {
        let w = Array(word.utf8)
        guard bytes.count >= w.count else { return nil }
        var i = bytes.count - w.count
        while i >= 0 {
            if bytes[i] == w[0], Array(bytes[i..<i + w.count]) == w { return i..<i + w.count }
            i -= 1
        }
        return nil
    }

    static func number(after key: String, in text: String) -> Int? {
        guard let r = text.range(of: key) else { return nil }
        return Int(text[r.upperBound...].split(whereSeparator: { $0.isWhitespace || $0 == "/" || $0 == ">" }).first ?? "")
    }

    static func reference(after key: String, in text: String) -> String? {
        guard let r = text.range(of: key) else { return nil }
        let parts = text[r.upperBound...].split(whereSeparator: \.isWhitespace).prefix(3)
        guard parts.count == 3, Int(parts[parts.startIndex]) != nil else { return nil }
        return parts.joined(separator: " ").replacingOccurrences(of: ">>", with: "")
    }

    static func utf16Hex(_ s: String) -> String {
        "FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined()
    }
}
