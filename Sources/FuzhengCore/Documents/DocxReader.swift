import Foundation

/// An uploaded DOCX read into what a 公文 keeps: paragraphs of text (heading levels are read later from their
/// numbering) and simple tables. Anything it cannot keep — images, drawings and embedded objects, text boxes,
/// tracked changes, comments, nested tables — is refused with its place named, never silently dropped. Read through
/// `SafeArchive` and `SafeXML` like every uploaded office file.
public enum DocxReader {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based position among the document's paragraphs and tables; nil for the file as a whole.
        public var paragraph: Int?
        /// The start of the paragraph's text, to find it.
        public var excerpt: String
        public var zh: String
        public var en: String

        public var placeZh: String {
            paragraph.map { "第 \($0) 段" + (excerpt.isEmpty ? "" : "（“\(excerpt)”）") } ?? "文件"
        }
        public var placeEn: String {
            paragraph.map { "paragraph \($0)" + (excerpt.isEmpty ? "" : " (“\(excerpt)”)") } ?? "the file"
        }
        public var description: String { "\(placeZh)：\(zh) / \(placeEn): \(en)" }
    }

    public struct Content: Sendable, Equatable {
        /// Paragraph texts in order; a table row is one line "| a | b |".
        public var paragraphs: [String]
    }

    static func local(_ name: String) -> Substring { name.split(separator: ":").last ?? Substring(name) }

    public struct Failure: Error, Sendable, Equatable {
        public var problems: [Problem]
    }

    public static func read(_ data: Data) -> Result<Content, Failure> {
        let entries: [String: Data]
        do {
            entries = try SafeArchive.entries(of: data, limits: ArchiveLimits())
        } catch {
            return .failure(Failure(problems: [Problem(paragraph: nil, excerpt: "",
                zh: "不是可读取的 DOCX 文件：\(error.messageZh)", en: "not a readable DOCX file: \(error.messageEn)")]))
        }
        guard let xml = entries["word/document.xml"] else {
            return .failure(Failure(problems: [Problem(paragraph: nil, excerpt: "",
                zh: "文件中没有 word/document.xml，不是 Word 文档",
                en: "the file has no word/document.xml; it is not a Word document")]))
        }
        let root: SafeXMLElement
        do {
            root = try SafeXML.parse(xml)
        } catch {
            return .failure(Failure(problems: [Problem(paragraph: nil, excerpt: "", zh: error.messageZh,
                                                       en: error.messageEn)]))
        }
        guard let body = root.children.first(where: { local($0.name) == "body" }) else {
            return .failure(Failure(problems: [Problem(paragraph: nil, excerpt: "", zh: "文档没有正文",
                                                       en: "the document has no body")]))
        }
        var problems: [Problem] = []
        if let comments = entries["word/comments.xml"], let c = try? SafeXML.parse(comments),
           c.children.contains(where: { local($0.name) == "comment" }) {
            problems.append(Problem(paragraph: nil, excerpt: "", zh: "文档含有批注，请处理批注后再上传",
                                    en: "the document holds comments; resolve them before uploading"))
        }
        var out: [String] = []
        var index = 0
        for node in body.children {
            switch local(node.name) {
            case "p":
                index += 1
                let text = self.text(of: node)
                problems += refusals(in: node, paragraph: index, excerpt: String(text.prefix(12)))
                out.append(text)
            case "tbl":
                index += 1
                for row in node.children where local(row.name) == "tr" {
                    var cells: [String] = []
                    for cell in row.children where local(cell.name) == "tc" {
                        if descendants(of: cell).contains(where: { local($0.name) == "tbl" }) {
                            problems.append(Problem(paragraph: index, excerpt: "", zh: "表格中嵌套了表格，无法保留",
                                                    en: "a table inside a table cannot be kept"))
                        }
                        let paragraphs = cell.children.filter { local($0.name) == "p" }
                        for p in paragraphs {
                            problems += refusals(in: p, paragraph: index, excerpt: String(text(of: p).prefix(12)))
                        }
                        cells.append(paragraphs.map { text(of: $0) }.joined(separator: " "))
                    }
                    out.append("| " + cells.joined(separator: " | ") + " |")
                }
            case "sectPr", "bookmarkStart", "bookmarkEnd": continue
            default:
                index += 1
                problems += refusals(in: node, paragraph: index, excerpt: "")
            }
        }
        var seen = Set<String>()
        problems = problems.filter { seen.insert($0.description).inserted }
        return problems.isEmpty ? .success(Content(paragraphs: out)) : .failure(Failure(problems: problems))
    }

    static func descendants(of e: SafeXMLElement) -> [SafeXMLElement] {
        e.children.flatMap { [$0] + descendants(of: $0) }
    }

    /// The paragraph's text as printed: runs' w:t, tabs and breaks; never inside a deletion.
    static func text(of e: SafeXMLElement) -> String {
        var s = ""
        for child in e.children {
            switch local(child.name) {
            case "t": s += child.text
            case "tab": s += "\t"
            case "br", "cr": s += "\n"
            case "del", "moveFrom", "txbxContent": continue
            default: s += text(of: child)
            }
        }
        return s
    }

    static func refusals(in e: SafeXMLElement, paragraph: Int, excerpt: String) -> [Problem] {
        var out: [Problem] = []
        for d in descendants(of: e) {
            let name = local(d.name)
            switch name {
            case "drawing", "pict", "object":
                if descendants(of: d).contains(where: { local($0.name) == "txbxContent" }) {
                    out.append(Problem(paragraph: paragraph, excerpt: excerpt, zh: "含有文本框，其中的文字无法按正文保留",
                                       en: "holds a text box whose text cannot be kept as body text"))
                } else {
                    out.append(Problem(paragraph: paragraph, excerpt: excerpt, zh: "含有图片或嵌入对象，正文中无法保留",
                                       en: "holds a picture or embedded object, which the body text cannot keep"))
                }
            case "ins", "del", "moveFrom", "moveTo":
                out.append(Problem(paragraph: paragraph, excerpt: excerpt, zh: "含有未接受的修订，请接受或拒绝全部修订后再上传",
                                   en: "holds tracked changes; accept or reject them all before uploading"))
            case "commentReference", "commentRangeStart":
                out.append(Problem(paragraph: paragraph, excerpt: excerpt, zh: "含有批注", en: "holds a comment"))
            default: continue
            }
        }
        return out
    }
}

/// A Word document's paragraphs read as a 公文: its title (the first paragraph ending with a type's name), the main
/// recipients (the line after it ending with a colon), the body, 附件说明, 成文日期 and any 发文字号 written in it.
public enum DocumentFromText {
    public struct Read: Sendable, Equatable {
        public var document: OutgoingDocument
        public var numbers: [String]
    }

    public static func read(_ paragraphs: [String], issuer: String = "") -> Read {
        let lines = paragraphs.map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}"))) }
        let nonEmpty = lines.enumerated().filter { !$0.element.isEmpty }
        let types = DocumentType.allCases.sorted { $0.nameZh.count > $1.nameZh.count }
        let titleIndex = nonEmpty.prefix(12).first { item in
            types.contains { t in t.titleEndings.contains { item.element.hasSuffix($0) } }
        }?.offset ?? nonEmpty.first?.offset ?? 0
        let title = lines.indices.contains(titleIndex) ? lines[titleIndex] : ""
        let type = types.first { t in t.titleEndings.contains { title.hasSuffix($0) } } ?? .notice
        var rest = Array(lines.dropFirst(titleIndex + 1))
        var recipients: [Recipient] = []
        if let first = rest.firstIndex(where: { !$0.isEmpty }),
            rest[first].hasSuffix("：") || rest[first].hasSuffix(":") {
            recipients = rest[first].dropLast().split(whereSeparator: { "、，,".contains($0) })
                .map { Recipient(name: String($0)) }
            rest.removeSubrange(0...first)
        }
        var attachments: [String] = []
        var writtenOn = ""
        var body: [String] = []
        var inAttachments = false
        for line in rest {
            if line.range(of: "^[0-9〇零一二三四五六七八九]{4}年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日$",
                          options: .regularExpression) != nil {
                writtenOn = line
                inAttachments = false
                continue
            }
            if line.hasPrefix("附件：") || line.hasPrefix("附件:") {
                inAttachments = true
                let item = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                if !item.isEmpty { attachments.append(stripNumber(item)) }
                continue
            }
            if inAttachments, let first = line.first, first.isNumber {
                attachments.append(stripNumber(line))
                continue
            }
            inAttachments = false
            body.append(line)
        }
        while body.last?.isEmpty == true { body.removeLast() }
        let document = OutgoingDocument(type: type, issuers: issuer.isEmpty ? [] : [issuer], title: title,
                                        mainRecipients: recipients, body: body.joined(separator: "\n"),
                                        attachments: attachments, writtenOn: writtenOn)
        return Read(document: document, numbers: DocumentNumber.candidates(in: lines.joined(separator: "\n")))
    }

    static func stripNumber(_ s: String) -> String {
        var t = Substring(s)
        while let c = t.first, c.isNumber || c == "." || c == "．" || c == " " || c == "、" { t = t.dropFirst() }
        return String(t)
    }
}

/// The smallest Word file a 公文's paragraphs make: one w:p per line, no styles. What `DocxReader` reads back.
public enum DocxWriter {
    /// What a plain Word file holds: headings, paragraphs and ruled tables (a 监控表, a 自评表).
    public enum Block: Sendable, Equatable {
        case heading(String)
        case paragraph(String)
        case table([[String]])
    }

    public static func paragraphs(_ lines: [String]) -> Data { document(lines.map(Block.paragraph)) }

    static func run(_ text: String, bold: Bool = false) -> String {
        "<w:r>\(bold ? "<w:rPr><w:b/></w:rPr>" : "")<w:t xml:space=\"preserve\">\(Markup.escape(text))</w:t></w:r>"
    }

    public static func document(_ blocks: [Block]) -> Data {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        let border = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map { "<w:\($0) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" }.joined()
        let body = blocks.map { block -> String in
            switch block {
            case .heading(let t): return "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\(run(t, bold: true))</w:p>"
            case .paragraph(let t): return "<w:p>\(run(t))</w:p>"
            case .table(let rows):
                return "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>\(border)"
                    + "</w:tblBorders></w:tblPr>" + rows.map { row in
                        "<w:tr>" + row.map { "<w:tc><w:p>\(run($0))</w:p></w:tc>" }.joined() + "</w:tr>"
                    }.joined() + "</w:tbl><w:p/>"
            }
        }.joined()
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """)
        zip.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships \
            xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
            Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/></Relationships>
            """)
        zip.add("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"\(w)\">"
                + "<w:body>\(body)</w:body></w:document>")
        return (try? zip.data()) ?? Data()
    }
}
