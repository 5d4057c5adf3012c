import Foundation
import FuzhengCore
import Testing
import ZIPFoundation

@Suite("A 公文 from a Word file: what is kept, what is refused with its place")
struct DocxReaderTests {
    static func docx(_ body: String, comments: Bool = false) throws -> Data {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"\(w)\"><w:body>\(body)</w:body></w:document>"
        var files: [(String, Data, CompressionMethod)] = [("word/document.xml", Data(xml.utf8), .deflate)]
        if comments {
            files.append(("word/comments.xml",
                Data("<w:comments xmlns:w=\"\(w)\"><w:comment w:id=\"0\"/></w:comments>".utf8),
                          .deflate))
        }
        return try ArchiveLimitsTests.zip(files)
    }

    static func p(_ text: String) -> String { "<w:p><w:r><w:t>\(text)</w:t></w:r></w:p>" }

    @Test("paragraphs, headings and a simple table are kept; title, recipients, 附件说明 and date are found")
    func kept() throws {
        let body = [Self.p("怀财字〔2023〕7号"), Self.p("怀来县财政局关于下达电子政务平台建设资金的通知"),
                    Self.p("县政府办公室："), Self.p("一、资金安排"), Self.p("按附件1执行。"),
                    "<w:tbl><w:tr><w:tc>\(Self.p("项目"))</w:tc><w:tc>\(Self.p("金额"))</w:tc></w:tr></w:tbl>",
                    Self.p("附件：1. 资金明细表"), Self.p("2023年2月20日")].joined()
        let content = try DocxReader.read(try Self.docx(body)).get()
        #expect(content.paragraphs.contains("| 项目 | 金额 |"))
        let read = DocumentFromText.read(content.paragraphs)
        #expect(read.document.title == "怀来县财政局关于下达电子政务平台建设资金的通知")
        #expect(read.document.type == .notice)
        #expect(read.document.mainRecipients.map(\.name) == ["县政府办公室"])
        #expect(read.document.attachments == ["资金明细表"])
        #expect(read.document.writtenOn == "2023年2月20日")
        #expect(read.numbers == ["怀财字〔2023〕7号"])
        #expect(DocumentChecks.shared.check(read.document).isEmpty)
    }

    @Test("images, text boxes, tracked changes, comments and nested tables are refused, each at its paragraph")
    func refused() throws {
        let cases: [(String, String)] = [
            ("<w:p><w:r><w:t>见图</w:t><w:drawing/></w:r></w:p>", "图片"),
            ("<w:p><w:r><w:pict><w:txbxContent>\(Self.p("框中字"))</w:txbxContent></w:pict></w:r></w:p>", "文本框"),
            ("<w:p><w:ins><w:r><w:t>新增</w:t></w:r></w:ins></w:p>", "修订"),
            ("<w:p><w:r><w:t>有批注</w:t></w:r><w:commentReference/></w:p>", "批注"),
            ("<w:tbl><w:tr><w:tc><w:tbl/></w:tc></w:tr></w:tbl>", "嵌套"),
        ]
        for (xml, word) in cases {
            guard case .failure(let f) = DocxReader.read(try Self.docx(Self.p("标题") + xml)) else {
                Issue.record("\(word) kept"); continue
            }
            #expect(f.problems.contains { $0.paragraph == 2 && $0.zh.contains(word) }, "\(f.problems)")
        }
        guard case .failure(let f) = DocxReader.read(try Self.docx(Self.p("正文"), comments: true)) else {
            Issue.record("comments kept"); return
        }
        #expect(f.problems.first?.paragraph == nil && f.problems.first?.zh.contains("批注") == true)
        guard case .failure(let notZip) = DocxReader.read(Data("plain".utf8)) else { Issue.record(); return }
        #expect(notZip.problems.first?.placeZh == "文件")
    }
}
