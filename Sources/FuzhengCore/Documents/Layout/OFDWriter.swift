import Foundation

/// OFD (GB/T 33190-2016) drawn from a `DocumentLayout`: OFD.xml → Doc_0/Document.xml (page area, MaxUnitID, the
/// resources, the pages) → one Content.xml per page with a TextObject per run (X/Y and DeltaX from the computed cells),
/// a PathObject per rule and an ImageObject for the seal. Fonts are named by the standard's names through the font
/// map; a reader without them substitutes its own. No signature (GB/T 38540) is written.
public enum OFDWriter {
    static let ns = "http://www.ofdspec.org/2016"

    /// The package's files by path; `zip` makes the .ofd of them.
    public static func files(_ layout: DocumentLayout, title: String, author: String, date: String,
                             seal: Data? = nil, fonts: FontMap = .shared) -> [(String, Data)] {
        var nextID = 0
        func id() -> Int {
            nextID += 1
            return nextID
        }
        let used = LaidFont.allCases.filter { f in layout.pages.contains { $0.runs.contains { $0.font == f } } }
        var fontIDs: [LaidFont: Int] = [:]
        var fontXML = ""
        for f in used {
            let i = id()
            fontIDs[f] = i
            let name = Markup.escape(fonts[f].standard)
            fontXML += "<ofd:Font ID=\"\(i)\" FontName=\"\(name)\" FamilyName=\"\(name)\"/>"
        }
        let sealID = seal != nil && layout.pages.contains { !$0.seals.isEmpty } ? id() : nil
        var pageFiles: [(String, Data)] = []
        var pageList = ""
        let red = rgb(layout.spec.red)
        for (n, page) in layout.pages.enumerated() {
            let pageID = id()
            let layerID = id()
            var body = ""
            for r in page.runs {
                let offsets = r.offsets
                let deltas = zip(offsets.dropFirst(), offsets).map { num($0 - $1) }.joined(separator: " ")
                let height = r.sizeMM
                body += "<ofd:TextObject ID=\"\(id())\" Boundary=\"\(num(r.x)) \(num(r.top)) \(num(r.width)) "
                    + "\(num(height))\" Font=\"\(fontIDs[r.font] ?? 0)\" Size=\"\(num(height))\">"
                    + "<ofd:FillColor Value=\"\(r.red ? red : "0 0 0")\"/>"
                    + "<ofd:TextCode X=\"0\" Y=\"\(num(r.baseline - r.top))\""
                    + (deltas.isEmpty ? "" : " DeltaX=\"\(deltas)\"") + ">\(Markup.escape(r.text))</ofd:TextCode>"
                    + "</ofd:TextObject>"
            }
            for rule in page.rules {
                let h = rule.thickness
                body += "<ofd:PathObject ID=\"\(id())\" Boundary=\"\(num(rule.x)) \(num(rule.y - h / 2)) "
                    + "\(num(rule.length)) \(num(h))\" LineWidth=\"\(num(h))\" Stroke=\"true\" Fill=\"false\">"
                    + "<ofd:StrokeColor Value=\"\(rule.red ? red : "0 0 0")\"/>"
                    + "<ofd:AbbreviatedData>M 0 \(num(h / 2)) L \(num(rule.length)) \(num(h / 2))"
                    + "</ofd:AbbreviatedData></ofd:PathObject>"
            }
            if let sealID {
                for s in page.seals {
                    let d = num(s.diameter)
                    body += "<ofd:ImageObject ID=\"\(id())\" Boundary=\"\(num(s.x - s.diameter / 2)) "
                        + "\(num(s.y - s.diameter / 2)) \(d) \(d)\" CTM=\"\(d) 0 0 \(d) 0 0\" ResourceID=\"\(sealID)\"/>"
                }
            }
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page xmlns:ofd=\"\(ns)\"><ofd:Content>"
                + "<ofd:Layer ID=\"\(layerID)\">\(body)</ofd:Layer></ofd:Content></ofd:Page>"
            pageFiles.append(("Doc_0/Pages/Page_\(n)/Content.xml", Data(xml.utf8)))
            pageList += "<ofd:Page ID=\"\(pageID)\" BaseLoc=\"Pages/Page_\(n)/Content.xml\"/>"
        }
        let spec = layout.spec
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document xmlns:ofd=\"\(ns)\"><ofd:CommonData>"
            + "<ofd:MaxUnitID>\(nextID)</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 \(num(spec.pageWidth)) "
            + "\(num(spec.pageHeight))</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
            + (sealID != nil ? "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" : "")
            + "</ofd:CommonData><ofd:Pages>\(pageList)</ofd:Pages></ofd:Document>"
        let publicRes = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Res xmlns:ofd=\"\(ns)\" BaseLoc=\"Res\">"
            + "<ofd:Fonts>\(fontXML)</ofd:Fonts></ofd:Res>"
        let docID = SM3.hash(Data((title + date + author).utf8)).hexString.prefix(32)
        let root = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"\(ns)\" Version=\"1.0\" "
            + "DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>\(docID)</ofd:DocID>"
            + "<ofd:Title>\(Markup.escape(title))</ofd:Title><ofd:Author>\(Markup.escape(author))</ofd:Author>"
            + (date.isEmpty ? "" : "<ofd:CreationDate>\(Markup.escape(date))</ofd:CreationDate>")
            + "<ofd:Creator>Fuzheng</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            + "</ofd:DocBody></ofd:OFD>"
        var out: [(String, Data)] = [("OFD.xml", Data(root.utf8)), ("Doc_0/Document.xml", Data(document.utf8)),
                                     ("Doc_0/PublicRes.xml", Data(publicRes.utf8))]
        if let sealID, let seal {
            let res = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Res xmlns:ofd=\"\(ns)\" BaseLoc=\"Res\">"
                + "<ofd:MultiMedias><ofd:MultiMedia ID=\"\(sealID)\" Type=\"Image\" Format=\"PNG\">"
                + "<ofd:MediaFile>seal.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>"
            out.append(("Doc_0/DocumentRes.xml", Data(res.utf8)))
            out.append(("Doc_0/Res/seal.png", seal))
        }
        return out + pageFiles
    }

    public static func ofd(_ layout: DocumentLayout, title: String, author: String, date: String,
                           seal: Data? = nil) throws -> Data {
        var zip = ZipWriter()
        for (path, data) in files(layout, title: title, author: author, date: date, seal: seal) { zip.add(path, data) }
        return try zip.data()
    }

    /// Millimetres to three decimals without trailing zeros: the positions a reader compares. Integer arithmetic:
    /// `String(format:)` made this a third of an OFD's time.
    static func num(_ v: Double) -> String {
        let milli = Int((v * 1000).rounded())
        let a = abs(milli)
        var out = milli < 0 ? "-" : ""
        out += String(a / 1000)
        var frac = a % 1000
        guard frac != 0 else { return out }
        var digits = 3
        while frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        let text = String(frac)
        return out + "." + String(repeating: "0", count: digits - text.count) + text
    }

    static func rgb(_ hex: String) -> String {
        let v = Int(hex, radix: 16) ?? 0xE60012
        return "\((v >> 16) & 0xFF) \((v >> 8) & 0xFF) \(v & 0xFF)"
    }
}
