import Foundation
@testable import FuzhengCore
import Testing
import ZIPFoundation

@Suite("GB/T 9704-2012 layout: the page, 版头, 主体, 版记 and page numbers, computed once; OFD, DOCX and PDF from it")
struct DocumentLayoutTests {
    static let spec = LayoutSpec.shared
    static let notice = DocumentLayout(SampleDocuments.inputs()[0].input)

    /// The 正文 runs of a page (those inside the type area), grouped into lines by baseline.
    static func lines(_ page: DocumentLayout.Page) -> [[DocumentLayout.Run]] {
        var out: [Double: [DocumentLayout.Run]] = [:]
        for r in page.runs where r.top < spec.bottom && r.top >= spec.top - 0.01 {
            out[(r.baseline * 100).rounded() / 100, default: []].append(r)
        }
        return out.keys.sorted().map { out[$0]!.sorted { $0.x < $1.x } }
    }

    @Test("the page: A4, type area 156 × 225 mm at 37 mm and 28 mm; 22 lines of 28 cells")
    func page() {
        #expect(Self.spec.pageWidth == 210 && Self.spec.pageHeight == 297)
        #expect(Self.spec.top == 37 && Self.spec.left == 28 && Self.spec.typeWidth == 156 && Self.spec.typeHeight == 225)
        #expect(abs(Self.spec.cell * 28 - 156) < 1e-9 && abs(Self.spec.pitch * 22 - 225) < 1e-9)
    }

    /// 份号 and 紧急程度 on the first lines at the top left, the red 标志 centred, the 发文字号 two lines below it,
    /// the red line 4 mm under the 发文字号 across the type area.
    @Test("版头: marks, the red 标志, 发文字号 and the red line where the standard puts them")
    func head() throws {
        let first = Self.notice.pages[0]
        let copy = try #require(first.runs.first { $0.text == "000001" })
        #expect(abs(copy.top - 37) < 0.01 && copy.x == 28)
        #expect(first.runs.contains { $0.text == "加急" && abs($0.top - 37 - Self.spec.pitch) < 0.01 })
        let mark = try #require(first.runs.first { $0.text == "怀来县人民政府办公室文件" })
        #expect(mark.red && mark.font == .biaosong)
        #expect(abs(mark.x + mark.width / 2 - 106) < 0.01, "centred on the type area")
        #expect(mark.x >= 28 - 0.01 && mark.x + mark.width <= 184 + 0.01)
        let number = try #require(first.runs.first { $0.text == "怀政办字〔2023〕7号" })
        #expect(abs(number.x + number.width / 2 - 106) < 0.01)
        #expect(number.top - (mark.top + mark.sizeMM) >= 2 * Self.spec.pitch - 0.01, "two blank lines between")
        let red = try #require(first.rules.first { $0.red })
        #expect(abs(red.y - (number.top + number.sizeMM + 4)) < 0.01 && red.x == 28 && red.length == 156)
        let title = first.runs.filter { $0.font == .biaosong && !$0.red }
        #expect(title.count == 2 && title.allSatisfy { abs($0.x + $0.width / 2 - 106) < 0.01 && $0.size == 22 })
    }

    @Test("an upward document: 发文字号 one character in from the left, 签发人 in 楷体 on the right")
    func upward() throws {
        var d = SampleDocuments.notice()
        d.type = .request
        d.signers = ["王县长"]
        let page = DocumentLayout(.init(document: d, number: "怀政〔2023〕3号", issuerNames: ["怀来县人民政府"]))
            .pages[0]
        let number = try #require(page.runs.first { $0.text == "怀政〔2023〕3号" })
        #expect(abs(number.x - 28 - Self.spec.cell) < 0.01)
        let name = try #require(page.runs.first { $0.text == "王县长" })
        #expect(name.font == .kaiti && abs(name.x + name.width - (184 - Self.spec.cell)) < 0.01)
        #expect(page.runs.contains { $0.text == "签发人：" && $0.font == .fangsong })
    }

    @Test("a joint document: the names one above the other, 文件 beside them, all within the type area")
    func joint() {
        let d = SampleDocuments.notice()
        let page = DocumentLayout(.init(document: d, number: nil, issuerNames: ["怀来县人民政府办公室", "怀来县财政局"]))
            .pages[0]
        let red = page.runs.filter(\.red)
        #expect(red.map(\.text) == ["怀来县人民政府办公室", "怀来县财政局", "文件"])
        #expect(red[0].x == red[1].x && red[1].top > red[0].top)
        #expect(red.allSatisfy { $0.x >= 28 - 0.01 && $0.x + $0.width <= 184 + 0.01 })
    }

    @Test("正文: full pages hold 22 lines of at most 28 cells; headings in 黑体 and 楷体, the text in 仿宋")
    func body() {
        let pages = Self.notice.pages
        #expect(pages.count == 6)
        for (i, page) in pages.enumerated() {
            for line in Self.lines(page) {
                let end = line.map { $0.x + $0.width }.max() ?? 0
                #expect(end <= 184 + 0.01, "page \(i + 1): a line ends at \(end) mm")
            }
        }
        #expect(pages.allSatisfy { $0.bodyLines <= 22 })
        for page in pages[1...3] {
            #expect(page.bodyLines == 22 && Self.lines(page).count == 22)
        }
        let runs = pages.flatMap(\.runs)
        #expect(runs.contains { $0.text == "一、总体要求" && $0.font == .heiti })
        #expect(runs.contains { $0.text.hasPrefix("（一）加强组织领导。") && $0.font == .kaiti })
        #expect(runs.contains { $0.text.hasPrefix("1.明确责任分工") && $0.font == .fangsong })
        // Every character of the text is laid, in order, once.
        let text = runs.filter { $0.font != .songti }.map(\.text).joined()
        #expect(text.contains("为进一步规范全县公文处理和政务督查工作，经县政府同意，现就有关事项通知如下："))
    }

    @Test("no line starts with closing or ends with opening punctuation, over every page")
    func punctuation() {
        for page in Self.notice.pages {
            for line in Self.lines(page) {
                let text = line.map(\.text).joined()
                #expect(!LineBreaking.closing.contains(text.first ?? "a"), "\(text)")
                #expect(!LineBreaking.opening.contains(text.last ?? "a"), "\(text)")
            }
        }
    }

    /// 署名 centred over the 成文日期 four cells in from the right, both under the seal's centre, never alone on a page.
    @Test("the seal over the 署名 and 成文日期")
    func seal() throws {
        let last = try #require(Self.notice.pages.last)
        let seal = try #require(last.seals.first)
        let date = try #require(last.runs.first { $0.text == "2023年3月6日" })
        let name = try #require(last.runs.first { $0.text == "怀来县人民政府办公室" && !$0.red && $0.size == 16 })
        #expect(abs(date.x + date.width - (184 - 4 * Self.spec.cell)) < 0.01)
        #expect(abs((name.x + name.width / 2) - (date.x + date.width / 2)) < 0.01)
        #expect(abs(seal.x - (name.x + name.width / 2)) < 0.01)
        #expect(seal.y <= name.top + 0.01 && seal.y + seal.diameter / 2 > date.top, "names below the centre, covered")
        #expect(seal.diameter == 42)
        // The line above the seal's top is text of the 正文 or 附件说明 on the same page, at most one line away.
        let above = last.runs.filter { $0.baseline < name.top && $0.top < seal.y - seal.diameter / 2 }
        let nearest = try #require(above.map { $0.top + $0.sizeMM }.max())
        #expect(seal.y - seal.diameter / 2 - nearest < Self.spec.pitch)
        // Unsealed: 署名 two cells in from the right, the date two cells further in than the 署名's start.
        var input = SampleDocuments.inputs()[0].input
        input.sealed = false
        let plain = try #require(DocumentLayout(input).pages.last)
        #expect(plain.seals.isEmpty)
        let n2 = try #require(plain.runs.first { $0.text == "怀来县人民政府办公室" && $0.size == 16 })
        let d2 = try #require(plain.runs.first { $0.text == "2023年3月6日" })
        #expect(abs(d2.x - n2.x - 2 * Self.spec.cell) < 0.01)
    }

    @Test("版记 at the foot of the last even page between its rules; page numbers 7 mm under the type area, outside")
    func foot() throws {
        let pages = Self.notice.pages
        #expect(pages.count % 2 == 0)
        let last = try #require(pages.last)
        let printed = try #require(last.runs.first { $0.text == "2023年3月6日印发" })
        #expect(abs(printed.x + printed.width - (184 - printed.sizeMM)) < 0.01, "one character in from the right")
        #expect(printed.top > Self.spec.bottom - Self.spec.pitch && printed.size == 14)
        let rules = last.rules.filter { !$0.red }.map(\.thickness)
        #expect(rules == [0.35, 0.25, 0.35])
        #expect(abs((last.rules.last?.y ?? 0) - 262) < 0.01)
        for (i, page) in pages.enumerated() {
            let n = try #require(page.runs.first { $0.text == "— \(i + 1) —" })
            #expect(abs(n.top - 269) < 0.01 && n.font == .songti && n.size == 14)
            if (i + 1) % 2 == 1 {
                #expect(abs(n.x + n.width - (184 - n.sizeMM)) < 0.01)
            } else {
                #expect(abs(n.x - (28 + n.sizeMM)) < 0.01)
            }
        }
        // A document whose text ends on an odd page gets its 版记 on the next, even page, without a number.
        var short = SampleDocuments.notice(paragraphs: 4)
        short.attachments = []
        short.body = "为进一步规范全县公文处理工作，现就有关事项通知如下。\n请遵照执行。"
        let layout = DocumentLayout(.init(document: short, number: "怀政办字〔2023〕8号", issuerNames: ["怀来县人民政府办公室"]))
        #expect(layout.pages.count == 2, "\(layout.pages.map(\.bodyLines))")
        #expect(layout.pages.last?.number == nil && layout.pages.last?.bodyLines == 0)
        #expect(layout.pages[1].runs.contains { $0.text.hasSuffix("印发") })
    }

    @Test("信函格式 and 纪要格式")
    func letterAndMinutes() throws {
        let inputs = SampleDocuments.inputs()
        let letter = DocumentLayout(inputs[1].input)
        #expect(letter.format == .letter && letter.pages[0].number == nil)
        let mark = try #require(letter.pages[0].runs.first { $0.red })
        #expect(abs(mark.top - 30) < 0.01 && mark.text == "怀来县人民政府办公室")
        #expect(letter.pages[0].rules.filter(\.red).count == 4 && letter.pages[0].rules.allSatisfy { $0.length == 170 })
        let minutes = DocumentLayout(inputs[2].input)
        #expect(minutes.pages[0].runs.contains { $0.text == "怀来县人民政府常务会议纪要" && $0.red })
        #expect(minutes.pages[0].runs.contains { $0.text == "出席：" && $0.font == .heiti })
        #expect(minutes.pages.flatMap(\.seals).isEmpty)
    }

    @Test("OFD: the namespace, unique IDs within MaxUnitID, every font and image resolves, each page's text as laid")
    func ofd() throws {
        let data = try OFDWriter.ofd(Self.notice, title: "t", author: "a", date: "2023-03-06",
            seal: Data(SealImage.demoImage))
        let archive = try Archive(data: data, accessMode: .read)
        func read(_ path: String) throws -> String {
            var out = Data()
            let entry = try #require(archive[path])
            _ = try archive.extract(entry, consumer: { out.append($0) })
            return String(decoding: out, as: UTF8.self)
        }
        let document = try read("Doc_0/Document.xml")
        #expect(try read("OFD.xml").contains("xmlns:ofd=\"http://www.ofdspec.org/2016\""))
        let maxText = document.split(separator: "<ofd:MaxUnitID>").last?.split(separator: "<").first ?? ""
        let maxID = try #require(Int(maxText))
        var all = document + (try read("Doc_0/PublicRes.xml")) + (try read("Doc_0/DocumentRes.xml"))
        for i in Self.notice.pages.indices { all += try read("Doc_0/Pages/Page_\(i)/Content.xml") }
        let ids = all.matches(of: /\sID="(\d+)"/).map { Int($0.1)! }
        #expect(Set(ids).count == ids.count && ids.max() == maxID)
        let declared = Set((try read("Doc_0/PublicRes.xml") + (try read("Doc_0/DocumentRes.xml")))
            .matches(of: /\sID="(\d+)"/).map { String($0.1) })
        let used = all.matches(of: /(?:Font|ResourceID)="(\d+)"/).map { String($0.1) }
        #expect(!used.isEmpty && used.allSatisfy(declared.contains))
        #expect(archive["Doc_0/Res/seal.png"] != nil)
        let page1 = try read("Doc_0/Pages/Page_0/Content.xml")
        let texts = page1.matches(of: />([^<>]+)<\/ofd:TextCode>/).map { String($0.1) }
        #expect(texts.joined() == Self.notice.pages[0].text)
    }

    @Test("positions in millimetres to three decimals, no trailing zeros")
    func numbers() {
        #expect(OFDWriter.num(28) == "28" && OFDWriter.num(5.57142857) == "5.571" && OFDWriter.num(0.05) == "0.05")
        #expect(OFDWriter.num(-1.2) == "-1.2" && OFDWriter.num(37.0004) == "37" && OFDWriter.num(0.001) == "0.001")
        #expect(OFDWriter.num(10.2272) == "10.227" && OFDWriter.num(-0.0004) == "0")
    }

    @Test("DOCX: A4, the standard's margins, a grid of 22 lines, the standard's fonts and sizes, the seal")
    func docx() throws {
        let data = try LayoutDocx.docx(Self.notice, title: "t", seal: Data(SealImage.demoImage))
        let archive = try Archive(data: data, accessMode: .read)
        var xml = Data()
        let entry = try #require(archive["word/document.xml"])
        _ = try archive.extract(entry, consumer: { xml.append($0) })
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(text.contains("w:top=\"2098\"") && text.contains("w:left=\"1587\""))
        #expect(text.contains("w:linePitch=\"579\""))
        #expect(text.contains("w:eastAsia=\"仿宋_GB2312\"") && text.contains("w:eastAsia=\"方正小标宋简体\""))
        #expect(text.contains("<w:sz w:val=\"32\"/>") && text.contains("<w:sz w:val=\"44\"/>"))
        #expect(text.contains("<w:pageBreakBefore/>"))
        #expect(archive["word/media/seal.png"] != nil && text.contains("r:embed=\"rIdSeal\""))
    }

    @Test("HTML for the PDF places every run where the layout put it, every character in its cell")
    func html() {
        let html = LayoutHTML.page(Self.notice, title: "<t>")
        #expect(html.contains("<title>&lt;t&gt;</title>"))
        #expect(html.contains("@page{size:210mm 297mm;margin:0}"))
        #expect(html.components(separatedBy: "class=\"p\"").count - 1 == 6)
        #expect(html.contains("left:28mm;top:37mm"))
    }

    @Test("the PDF's text map: radicals written for ideographs are put right; the properties appended")
    func pdfText() throws {
        let cmap = "/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
            + "2 beginbfchar\n<C3> <2EA0>\n<CF> <5173>\nendbfchar\n1 beginbfrange\n<D0> <D1> <2F08>\nendbfrange\nendcmap"
        let fixed = try #require(PDFText.fix(cmap: cmap))
        #expect(fixed.contains("<C3> <6C11>") && fixed.contains("<CF> <5173>"))
        #expect(fixed.contains("<D0> <4EBA>") && fixed.contains("<D1> <513F>"))
        #expect(PDFText.fix(cmap: cmap.replacingOccurrences(of: "2EA0", with: "6C11")
            .replacingOccurrences(of: "<D0> <D1> <2F08>", with: "<D0> <D1> <4E00>")) == nil)
        let pdf = Data("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
            .utf8) + Data("trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n48\n%%EOF\n".utf8)
        let out = try #require(PDFInfo.append(to: pdf, fields: [("Title", "公文")]))
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix(String(decoding: pdf, as: UTF8.self)))
        #expect(text.contains("2 0 obj\n<< /Title <FEFF516C6587> >>") && text.contains("/Info 2 0 R /Prev 48"))
        let xrefText = text.components(separatedBy: "startxref\n").last?.split(separator: "\n").first ?? ""
        let xref = try #require(Int(xrefText))
        #expect(String(decoding: out[xref..<xref + 4], as: UTF8.self) == "xref")
    }

    func problem(_ r: Result<(width: Int, height: Int), SealImage.Problem>) -> SealImage.Problem? {
        if case .failure(let p) = r { return p }
        return nil
    }

    @Test("seal images: a PNG of 200–4000 px nearly square; the demo seal is one")
    func sealImage() {
        guard case .success(let size) = SealImage.check(SealImage.demoImage) else {
            Issue.record("the demo seal is refused")
            return
        }
        #expect(size.width == 400 && size.height == 400)
        #expect(SealImage.demoImage.count < 40_000)
        #expect(problem(SealImage.check(Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 40))) == .notPNG)
        var wide = SealImage.demoImage
        wide[19] = 0x01  // width 400 → 65936: too wide
        wide[18] = 0x00
        #expect(problem(SealImage.check(wide)) == .size)
        #expect(SealImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test("份号: six digits per copy from the typed one, only for a document that carries one")
    func copyNumbers() {
        var d = SampleDocuments.notice()
        #expect(CopyNumbers.numbers(for: d, count: 3) == ["000001", "000002", "000003"])
        d.copyNumber = "000120"
        #expect(CopyNumbers.numbers(for: d, count: 2) == ["000120", "000121"])
        d.copyNumber = ""
        #expect(CopyNumbers.numbers(for: d, count: 2) == [nil, nil])
        d.secrecy = .internalUse
        #expect(CopyNumbers.numbers(for: d, count: 1) == ["000001"])
    }
}
