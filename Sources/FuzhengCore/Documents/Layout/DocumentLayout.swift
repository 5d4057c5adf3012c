import Foundation

/// An issued document laid out once on the GB/T 9704-2012 page: every line's text with its place in millimetres, its
/// type role and size, every rule and the seal. The PDF, OFD and DOCX are drawn from this; none of them lays out
/// anything itself, so the three show the same lines on the same pages.
public struct DocumentLayout: Sendable, Equatable, Codable {
    public enum Format: String, Sendable, Equatable, Codable {
        /// 文件格式, 信函格式 (函), 纪要格式 (纪要).
        case standard, letter, minutes
    }

    /// Characters set on cells: each full-width character takes `advance` mm, a half-width one half of it.
    public struct Run: Sendable, Equatable, Codable {
        public var text: String
        /// Left edge of the first character's cell and the baseline, from the page's top-left corner.
        public var x: Double
        public var baseline: Double
        /// Type size in points.
        public var size: Double
        public var font: LaidFont
        public var red: Bool
        public var advance: Double

        public var sizeMM: Double { size * LayoutSpec.millimetresPerPoint }
        /// Top of the line box (the em box above the baseline).
        public var top: Double { baseline - FontMap.shared.ascent * sizeMM }
        public var width: Double { Double(LineBreaking.halfCells(text)) * advance / 2 }

        /// The x of each character's cell.
        public var offsets: [Double] {
            var x = self.x
            return text.map { c in
                defer { x += Double(LineBreaking.halfCells(c)) * advance / 2 }
                return x
            }
        }
    }

    /// A horizontal rule: the red separator, the 版记's rules, the 信函's double lines.
    public struct Rule: Sendable, Equatable, Codable {
        public var x: Double
        /// Centre of the rule's thickness.
        public var y: Double
        public var length: Double
        public var thickness: Double
        public var red: Bool
    }

    /// The seal's circle: centre and diameter.
    public struct Seal: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public var diameter: Double
    }

    public struct Page: Sendable, Equatable, Codable {
        public var runs: [Run] = []
        public var rules: [Rule] = []
        public var seals: [Seal] = []
        /// The printed page number, nil on a page with only the 版记 (the standard numbers no such page).
        public var number: Int?
        /// The 正文 grid lines this page holds, for checks (22 on a full page).
        public var bodyLines = 0

        /// The page's text in reading order, as a reader extracts it.
        public var text: String { runs.map(\.text).joined() }
    }

    public var spec: LayoutSpec
    public var format: Format
    public var pages: [Page]

    /// What the layout is made from: the document, its number once given, the issuing bodies' full names, and whether
    /// it is sealed. `copyNumber` is the 份号 of one printed or delivered copy.
    public struct Input: Sendable, Equatable {
        public var document: OutgoingDocument
        public var number: String?
        public var issuerNames: [String]
        public var sealed: Bool
        public var copyNumber: String?

        public init(document: OutgoingDocument, number: String?, issuerNames: [String], sealed: Bool = false,
                    copyNumber: String? = nil) {
            self.document = document
            self.number = number
            self.issuerNames = issuerNames
            self.sealed = sealed
            self.copyNumber = copyNumber
        }
    }

    public init(spec: LayoutSpec, format: Format, pages: [Page]) {
        self.spec = spec
        self.format = format
        self.pages = pages
    }

    public init(_ input: Input, spec: LayoutSpec = .shared) {
        var builder = LayoutBuilder(input: input, spec: spec)
        self = builder.build()
    }
}

/// The layout as JSON (millimetres from the page's top-left corner), for checks that compare a produced file with it.
public enum LayoutJSON {
    public static func encode(_ layout: DocumentLayout) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(layout)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// 成文日期 and 印发日期 in the standard's Arabic form (2023年2月20日) from an ISO date; other text as written.
public enum DocumentDates {
    public static func written(_ text: String) -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return text }
        return "\(y)年\(m)月\(d)日"
    }
}

/// One line of the flow that runs on the 22-line grid below the 版头: its runs with x from the page's left edge.
private struct GridLine {
    var runs: [DocumentLayout.Run] = []
    var seal = false
    /// The line cannot start a page: it stays with the line before (署名 and 成文日期 with the 正文's last line).
    var keepWithPrevious = false
    var isBlank: Bool { runs.isEmpty }
}

private struct LayoutBuilder {
    let input: LayoutInputAlias
    let spec: LayoutSpec
    let d: OutgoingDocument
    let format: DocumentLayout.Format
    let fonts = FontMap.shared

    typealias LayoutInputAlias = DocumentLayout.Input

    init(input: DocumentLayout.Input, spec: LayoutSpec) {
        self.input = input
        self.spec = spec
        d = input.document
        format = switch d.type {
        case .letter: .letter
        case .minutes: .minutes
        default: .standard
        }
    }

    func mm(_ points: Double) -> Double { points * LayoutSpec.millimetresPerPoint }

    func run(_ text: String, x: Double, top: Double, size: Double, font: LaidFont, red: Bool = false,
             advance: Double? = nil) -> DocumentLayout.Run {
        DocumentLayout.Run(text: text, x: x, baseline: top + fonts.ascent * mm(size), size: size, font: font, red: red,
                           advance: advance ?? mm(size))
    }

    /// A run on the 正文 grid (3号 on 28 cells a line), its baseline set when the line is placed on a page.
    func cellRun(_ text: String, cell: Double, font: LaidFont, size: Double? = nil) -> DocumentLayout.Run {
        let size = size ?? spec.bodySize
        return DocumentLayout.Run(text: text, x: spec.left + cell * spec.cell, baseline: 0, size: size, font: font,
                                  red: false, advance: spec.cell * size / spec.bodySize)
    }

    mutating func build() -> DocumentLayout {
        var first = DocumentLayout.Page()
        let firstLine = head(on: &first)
        let flow = body()
        let foot = footLines()
        var pages = place(flow, firstPage: first, firstLine: firstLine, foot: foot)
        for i in pages.indices where pages[i].bodyLines > 0 || i == 0 {
            if format == .letter && i == 0 { continue }
            pages[i].number = i + 1
            pages[i].runs.append(pageNumber(i + 1))
        }
        return DocumentLayout(spec: spec, format: format, pages: pages)
    }

    // MARK: 版头

    /// The 版头 drawn on the first page; returns the grid line the 主体 starts on.
    func head(on page: inout DocumentLayout.Page) -> Int {
        var marks: [String] = []
        let copy = input.copyNumber ?? d.copyNumber
        if !copy.isEmpty { marks.append(copy) }
        if d.secrecy != .none {
            marks.append(d.secrecy.nameZh + (d.secrecyPeriod.isEmpty ? "" : "★" + d.secrecyPeriod))
        }
        if d.urgency != .normal { marks.append(d.urgency.nameZh) }
        let names = input.issuerNames.isEmpty ? d.issuers : input.issuerNames
        switch format {
        case .letter:
            return letterHead(on: &page, marks: marks, name: names.first ?? "")
        case .standard, .minutes:
            for (i, m) in marks.enumerated() {
                page.runs.append(run(m, x: spec.left, top: spec.top + Double(i) * spec.pitch, size: spec.bodySize,
                                     font: .heiti, advance: spec.cell))
            }
            let markTop = spec.top + Double(marks.count) * spec.pitch
            let bottom = format == .minutes
                ? issuerMark(on: &page, lines: [minutesMark(names.first ?? "")], suffix: nil, top: markTop)
                : issuerMark(on: &page, lines: names, suffix: "文件", top: markTop)
            let numberLine = Int(((bottom - spec.top) / spec.pitch).rounded(.up)) + spec.issuerGapLines
            let numberTop = spec.top + Double(numberLine) * spec.pitch
            numberRow(on: &page, top: numberTop)
            page.rules.append(.init(x: spec.left, y: numberTop + mm(spec.bodySize) + spec.separatorBelowNumber,
                                    length: spec.typeWidth, thickness: spec.separatorThickness, red: true))
            return numberLine + 3
        }
    }

    func minutesMark(_ issuer: String) -> String {
        d.title.hasSuffix("纪要") && d.title.count <= 24 ? d.title : issuer + "纪要"
    }

    /// The red 发文机关标志: one name with 文件 after it, or a joint document's names one above the other with 文件
    /// centred beside them. Set as large as `issuerSize` allows within the type area. Returns its foot.
    func issuerMark(on page: inout DocumentLayout.Page, lines: [String], suffix: String?, top: Double) -> Double {
        let names = lines.isEmpty ? [""] : lines
        let single = names.count == 1
        let longest = names.map { LineBreaking.halfCells($0) }.max() ?? 0
        let suffixCells = suffix.map { LineBreaking.halfCells($0) } ?? 0
        let widthCells = single ? longest + suffixCells : longest + suffixCells + 1
        let size = min(spec.issuerSize, spec.typeWidth / (Double(max(widthCells,
            2)) / 2) / LayoutSpec.millimetresPerPoint)
        let em = mm(size)
        let lineHeight = em * 1.2
        let blockWidth = Double(widthCells) / 2 * em
        let x = spec.left + (spec.typeWidth - blockWidth) / 2
        if single {
            page.runs.append(run(names[0] + (suffix ?? ""), x: x, top: top, size: size, font: .biaosong, red: true))
            return top + em
        }
        for (i, name) in names.enumerated() {
            page.runs.append(run(name, x: x, top: top + Double(i) * lineHeight, size: size, font: .biaosong, red: true))
        }
        let height = Double(names.count - 1) * lineHeight + em
        if let suffix {
            page.runs.append(run(suffix, x: x + (Double(longest) / 2 + 0.5) * em, top: top + (height - em) / 2,
                                 size: size, font: .biaosong, red: true))
        }
        return top + height
    }

    /// 发文字号 centred; for an upward document it sits one character in from the left and 签发人 stands on the right.
    func numberRow(on page: inout DocumentLayout.Page, top: Double) {
        let number = input.number ?? ""
        if d.signers.isEmpty || format == .minutes {
            guard !number.isEmpty else { return }
            let width = Double(LineBreaking.halfCells(number)) * spec.cell / 2
            page.runs.append(run(number, x: spec.left + (spec.typeWidth - width) / 2, top: top, size: spec.bodySize,
                                 font: .fangsong, advance: spec.cell))
            return
        }
        if !number.isEmpty {
            page.runs.append(run(number, x: spec.left + spec.cell, top: top, size: spec.bodySize, font: .fangsong,
                                 advance: spec.cell))
        }
        let label = "签发人："
        let names = d.signers.joined(separator: "\u{3000}")
        let width = Double(LineBreaking.halfCells(label + names)) * spec.cell / 2
        let x = spec.right - spec.cell - width
        page.runs.append(run(label, x: x, top: top, size: spec.bodySize, font: .fangsong, advance: spec.cell))
        page.runs.append(run(names, x: x + Double(LineBreaking.halfCells(label)) * spec.cell / 2, top: top,
                             size: spec.bodySize, font: .kaiti, advance: spec.cell))
    }

    /// 信函格式: the name alone 30 mm from the top, a thick and a thin red line under it across 170 mm, the 发文字号
    /// on the right below them, and the same double line 20 mm above the foot of the first page.
    func letterHead(on page: inout DocumentLayout.Page, marks: [String], name: String) -> Int {
        let foot = issuerMark(on: &page, lines: [name], suffix: nil, top: spec.letterMarkTop)
        let x = (spec.pageWidth - spec.letterRuleWidth) / 2
        let upper = foot + 4
        page.rules.append(.init(x: x, y: upper, length: spec.letterRuleWidth, thickness: spec.letterRuleThick,
            red: true))
        page.rules.append(.init(x: x, y: upper + 1.2, length: spec.letterRuleWidth, thickness: spec.letterRuleThin,
                                red: true))
        let lower = spec.pageHeight - spec.letterBottomRule
        page.rules.append(.init(x: x, y: lower - 1.2, length: spec.letterRuleWidth, thickness: spec.letterRuleThin,
                                red: true))
        page.rules.append(.init(x: x, y: lower, length: spec.letterRuleWidth, thickness: spec.letterRuleThick,
                                red: true))
        // The first grid line wholly below the double line.
        var line = Int(((upper + 2 - spec.top) / spec.pitch).rounded(.up))
        for m in marks {
            page.runs.append(run(m, x: spec.left, top: spec.top + Double(line) * spec.pitch, size: spec.bodySize,
                                 font: .heiti, advance: spec.cell))
            line += 1
        }
        if let number = input.number, !number.isEmpty {
            let numberLine = marks.isEmpty ? line : line - marks.count
            let width = Double(LineBreaking.halfCells(number)) * spec.cell / 2
            page.runs.append(run(number, x: spec.right - spec.cell - width,
                                 top: spec.top + Double(numberLine) * spec.pitch, size: spec.bodySize, font: .fangsong,
                                 advance: spec.cell))
            line = max(line, numberLine + 1)
        }
        return line + 1
    }

    // MARK: 主体

    /// A paragraph broken on the grid: the first line starts `first` cells in, the rest `rest` cells in; `fonts`
    /// gives each character's font.
    func wrap(_ text: String, first: Int, rest: Int, fonts: [LaidFont], size: Double? = nil,
              cells: Int? = nil) -> [GridLine] {
        let cells = cells ?? spec.cells
        let pieces = LineBreaking.lines(text, cells: cells - rest, indent: max(first - rest, 0))
        var out: [GridLine] = []
        var index = 0
        for (n, piece) in pieces.enumerated() {
            var chars = Array(piece)
            var cell = Double(rest)
            if n == 0 {
                let lead = min(max(first - rest, 0), chars.count)
                chars.removeFirst(lead)
                cell += Double(max(first - rest, 0))
            }
            var line = GridLine()
            var start = 0
            while start < chars.count {
                let font = fonts[min(index + start, fonts.count - 1)]
                var end = start
                while end < chars.count, fonts[min(index + end, fonts.count - 1)] == font { end += 1 }
                let text = String(chars[start..<end])
                line.runs.append(cellRun(text, cell: cell, font: font, size: size))
                cell += Double(LineBreaking.halfCells(text)) / 2 * (size ?? spec.bodySize) / spec.bodySize
                start = end
            }
            index += chars.count
            out.append(line)
        }
        return out
    }

    /// The heading's font for its first sentence (一、 黑体, （一） 楷体); the sentence after it in 仿宋.
    func paragraphFonts(_ p: DocumentBody.Paragraph) -> [LaidFont] {
        let chars = Array(p.text)
        let heading: LaidFont = switch p.level {
        case 1: .heiti
        case 2: .kaiti
        default: .fangsong
        }
        guard heading != .fangsong else { return Array(repeating: .fangsong, count: max(chars.count, 1)) }
        let end = chars.firstIndex(of: "。").map { $0 + 1 } ?? chars.count
        return (0..<max(chars.count, 1)).map { $0 < end ? heading : .fangsong }
    }

    func body() -> [GridLine] {
        var out: [GridLine] = []
        if format != .minutes {
            out += titleLines()
            out.append(GridLine())
        }
        let recipients = d.mainRecipients.map(\.name).joined(separator: "、")
        if !recipients.isEmpty && format != .minutes {
            let text = recipients + "："
            out += wrap(text, first: 0, rest: 0, fonts: [.fangsong])
        }
        for p in DocumentBody(d.body).paragraphs {
            if format == .minutes, let colon = p.text.firstIndex(of: "："),
               ["出席", "请假", "列席"].contains(String(p.text[..<colon])) {
                // 出席 / 请假 / 列席 in 黑体, the names after the colon in 仿宋, wrapped under the first name.
                let label = p.text.distance(from: p.text.startIndex, to: colon) + 1
                let fonts = (0..<p.text.count).map { $0 < label ? LaidFont.heiti : .fangsong }
                out += wrap(p.text, first: 2, rest: 2 + label, fonts: fonts)
                continue
            }
            out += wrap(p.text, first: 2, rest: 0, fonts: paragraphFonts(p))
        }
        let attachments = d.attachmentNote
        if !attachments.isEmpty {
            // 附件说明 stays with the 正文's last line, like the 署名 after it: no page opens with it alone.
            var blank = GridLine()
            blank.keepWithPrevious = true
            out.append(blank)
            for line in attachments {
                let text = line.drop { $0 == "\u{3000}" }
                let first = 2 + (line.count - text.count)
                var lines = wrap(String(text), first: first, rest: 5, fonts: [.fangsong])
                for i in lines.indices { lines[i].keepWithPrevious = true }
                out += lines
            }
        }
        out += signature()
        return out
    }

    /// 标题: 2号小标宋 centred, broken into lines of even length (the standard's 梯形 or 菱形 rather than one long line
    /// and a stub).
    func titleLines() -> [GridLine] {
        let em = mm(spec.titleSize)
        let perLine = Int(spec.typeWidth / em)
        let cells = max(LineBreaking.halfCells(d.title), 1)
        let count = (cells + perLine * 2 - 1) / (perLine * 2)
        let even = min(perLine, (cells + count * 2 - 1) / (count * 2) + 1)
        return LineBreaking.lines(d.title, cells: even, indent: 0).map { text in
            let width = Double(LineBreaking.halfCells(text)) * em / 2
            var line = GridLine()
            line.runs.append(DocumentLayout.Run(text: text, x: spec.left + (spec.typeWidth - width) / 2, baseline: 0,
                                                size: spec.titleSize, font: .biaosong, red: false, advance: em))
            return line
        }
    }

    /// 署名, 成文日期 and 附注. Unsealed: 署名 one line below the text, two characters in from the right, the date
    /// under it two characters further right. Sealed: the date four characters in from the right with the 署名
    /// centred over it, both under the seal's centre. Either way they never start a page of their own.
    func signature() -> [GridLine] {
        var out: [GridLine] = []
        let date = DocumentDates.written(d.writtenOn)
        let names = input.issuerNames.isEmpty ? d.issuers : input.issuerNames
        let dateWidth = LineBreaking.halfCells(date)
        if format == .minutes {
            guard !date.isEmpty else { return [] }
            var blank = GridLine()
            blank.keepWithPrevious = true
            var line = GridLine()
            line.keepWithPrevious = true
            line.runs.append(cellRun(date, cell: Double(spec.cells - 4) - Double(dateWidth) / 2, font: .fangsong))
            return [blank, line] + noteLines()
        }
        if input.sealed {
            for _ in 0..<2 {
                var blank = GridLine()
                blank.keepWithPrevious = true
                out.append(blank)
            }
            let dateStart = Double(spec.cells - 4) - Double(dateWidth) / 2
            let centre = dateStart + Double(dateWidth) / 4
            for (i, name) in names.enumerated() {
                var line = GridLine()
                line.keepWithPrevious = true
                line.seal = i == 0
                line.runs.append(cellRun(name, cell: centre - Double(LineBreaking.halfCells(name)) / 4,
                    font: .fangsong))
                out.append(line)
            }
            var line = GridLine()
            line.keepWithPrevious = true
            if !date.isEmpty { line.runs.append(cellRun(date, cell: dateStart, font: .fangsong)) }
            out.append(line)
        } else {
            var blank = GridLine()
            blank.keepWithPrevious = true
            out.append(blank)
            let widest = names.map { LineBreaking.halfCells($0) }.max() ?? 0
            let nameStart = Double(spec.cells - 2) - Double(max(widest, dateWidth - 4)) / 2
            for name in names {
                var line = GridLine()
                line.keepWithPrevious = true
                line.runs.append(cellRun(name, cell: nameStart, font: .fangsong))
                out.append(line)
            }
            var line = GridLine()
            line.keepWithPrevious = true
            if !date.isEmpty { line.runs.append(cellRun(date, cell: nameStart + 2, font: .fangsong)) }
            out.append(line)
        }
        return out + noteLines()
    }

    func noteLines() -> [GridLine] {
        guard !d.note.isEmpty else { return [] }
        var lines = wrap("（\(d.note)）", first: 2, rest: 0, fonts: [.fangsong])
        for i in lines.indices { lines[i].keepWithPrevious = true }
        return lines
    }

    // MARK: 版记

    /// 抄送 and 印发机关 with 印发日期 in 4号仿宋, one character in from each side; a 函 carries 抄送 only.
    func footLines() -> [GridLine] {
        let size = spec.footSize
        let em = mm(size)
        let cells = Int(spec.typeWidth / em)
        var out: [GridLine] = []
        let copies = d.copyTo.map(\.name).joined(separator: "，")
        if !copies.isEmpty {
            out += wrap("抄送：\(copies)。", first: 1, rest: 4, fonts: [.fangsong], size: size, cells: cells - 1)
        }
        // wrap placed these on 3号 cells scaled to 4号; the 版记 sets 4号 on cells of its own em.
        let ratio = em / (spec.cell * size / spec.bodySize)
        for i in out.indices {
            for j in out[i].runs.indices {
                out[i].runs[j].advance = em
                out[i].runs[j].x = spec.left + (out[i].runs[j].x - spec.left) * ratio
            }
        }
        if format != .letter {
            let printed = DocumentDates.written(d.printedOn)
            var line = GridLine()
            if !d.printedBy.isEmpty {
                line.runs.append(DocumentLayout.Run(text: d.printedBy, x: spec.left + em, baseline: 0, size: size,
                                                    font: .fangsong, red: false, advance: em))
            }
            if !printed.isEmpty {
                let text = printed + "印发"
                let width = Double(LineBreaking.halfCells(text)) * em / 2
                line.runs.append(DocumentLayout.Run(text: text, x: spec.right - em - width, baseline: 0, size: size,
                                                    font: .fangsong, red: false, advance: em))
            }
            if !line.runs.isEmpty { out.append(line) }
        }
        return out
    }

    // MARK: Pages

    func place(_ flow: [GridLine], firstPage: DocumentLayout.Page, firstLine: Int,
               foot: [GridLine]) -> [DocumentLayout.Page] {
        var pages = [firstPage]
        var line = firstLine
        // Break before a kept group: the lines that must stay together, led by the line they keep with.
        var i = 0
        while i < flow.count {
            var end = i + 1
            while end < flow.count, flow[end].keepWithPrevious { end += 1 }
            let group = flow[i..<end]
            if line + group.count > spec.lines && line > 0 && group.count <= spec.lines {
                pages.append(DocumentLayout.Page())
                line = 0
            }
            for g in group {
                if line >= spec.lines {
                    pages.append(DocumentLayout.Page())
                    line = 0
                }
                // A blank line at the head of a page is dropped rather than printed as a gap.
                if g.isBlank && line == 0 && pages.count > 1 { continue }
                put(g, on: &pages[pages.count - 1], line: line)
                line += 1
            }
            i = end
        }
        guard !foot.isEmpty else { return pages }
        if format == .letter {
            if line + foot.count > spec.lines {
                pages.append(DocumentLayout.Page())
            }
            putFoot(foot, on: &pages[pages.count - 1], rules: false)
            return pages
        }
        // The 版记 stands at the foot of the last even page.
        if pages.count % 2 == 1 || line + foot.count > spec.lines {
            pages.append(DocumentLayout.Page())
            if pages.count % 2 == 1 { pages.append(DocumentLayout.Page()) }
        }
        putFoot(foot, on: &pages[pages.count - 1], rules: true)
        return pages
    }

    func lineTop(_ line: Int) -> Double { spec.top + Double(line) * spec.pitch }

    func put(_ g: GridLine, on page: inout DocumentLayout.Page, line: Int) {
        let top = lineTop(line)
        for var r in g.runs {
            r.baseline = top + fonts.ascent * r.sizeMM
            page.runs.append(r)
        }
        if g.seal, let first = g.runs.first {
            let centreX = first.x + first.width / 2
            page.seals.append(.init(x: centreX, y: top, diameter: spec.sealDiameter))
        }
        page.bodyLines += 1
    }

    /// The 版记's lines on the last grid lines of the page, each centred in its line, between rules across the type
    /// area: the first and last 0.35 mm, the one between 抄送 and 印发 0.25 mm.
    func putFoot(_ foot: [GridLine], on page: inout DocumentLayout.Page, rules: Bool) {
        let first = spec.lines - foot.count
        for (k, g) in foot.enumerated() {
            let top = lineTop(first + k)
            for var r in g.runs {
                r.baseline = top + (spec.pitch - r.sizeMM) / 2 + fonts.ascent * r.sizeMM
                page.runs.append(r)
            }
        }
        guard rules else { return }
        page.rules.append(.init(x: spec.left, y: lineTop(first), length: spec.typeWidth,
                                thickness: spec.footRuleOuter, red: false))
        if foot.count > 1 {
            page.rules.append(.init(x: spec.left, y: lineTop(spec.lines - 1), length: spec.typeWidth,
                                    thickness: spec.footRuleInner, red: false))
        }
        page.rules.append(.init(x: spec.left, y: spec.bottom, length: spec.typeWidth,
                                thickness: spec.footRuleOuter, red: false))
    }

    /// "— 1 —" in 4号宋体 7 mm below the type area: one character in from the right on odd pages, from the left on
    /// even ones.
    func pageNumber(_ n: Int) -> DocumentLayout.Run {
        let text = "— \(n) —"
        let em = mm(spec.pageNumberSize)
        let width = Double(LineBreaking.halfCells(text)) * em / 2
        let x = n % 2 == 1 ? spec.right - em - width : spec.left + em
        return run(text, x: x, top: spec.bottom + spec.pageNumberBelow, size: spec.pageNumberSize, font: .songti)
    }
}
