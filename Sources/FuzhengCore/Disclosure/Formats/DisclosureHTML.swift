
/// The disclosure as HTML: the body a portal page embeds, or a standalone document (for download
/// and for printing to PDF) with its own print stylesheet.
public enum DisclosureHTML {
    /// The disclosure as an HTML fragment (an <article>), for a portal page to embed.
    ///
    /// Written directly rather than through Plot: a province publishes thousands of these, and
    /// building a Plot node tree made this the slowest of the formats (2 ms against 0.2 ms).
    public static func body(_ d: Disclosure) -> String {
        var w = HTMLWriter()
        w.open("article", class: "disclosure")
        w.open("header", class: "disclosure-title")
        for line in d.title.split(separator: "\n") { w.element("p", class: "doc-title", text: String(line)) }
        w.close("header")
        w.element("p", class: "intro", text: d.intro)
        for section in d.sections {
            w.open("section", class: "doc-section")
            w.element("h2", text: section.fullHeading)
            for block in section.blocks {
                switch block {
                case .subheading(let s): w.element("h3", text: s)
                case .paragraph(let s): w.element("p", text: s)
                case .table(let id): if let t = d.table(id) { table(t, into: &w) }
                }
            }
            w.close("section")
        }
        w.close("article")
        return w.html
    }

    static func table(_ t: ReportTable, into w: inout HTMLWriter) {
        w.raw("<figure id=\"table-\(Markup.escape(t.id))\" class=\"report-table\"><figcaption>")
        w.element("span", class: "table-title", text: t.title)
        if let unit = t.unitNote { w.element("span", class: "table-unit", text: unit) }
        w.raw("</figcaption>")
        if !t.facts.isEmpty {
            w.open("dl", class: "table-facts")
            for fact in t.facts {
                w.element("dt", text: fact.label)
                w.element("dd", text: fact.value)
            }
            w.close("dl")
        }
        if t.isEmpty {
            w.element("p", class: "table-empty", text: t.emptyStatement ?? "本表无数据。")
        } else {
            w.raw("<div class=\"table-scroll\"><table class=\"data\"><thead><tr>")
            // A number's header stands over it: right-aligned like the figures below.
            for column in t.columns {
                let numeric = column.kind == .amount || column.kind == .quantity
                w.element("th", class: numeric ? "num" : nil, text: column.title)
            }
            w.raw("</tr></thead><tbody>")
            for row in t.rows {
                w.raw(row.isTotal ? "<tr class=\"total\">" : "<tr>")
                for (cell, column) in zip(row.cells, t.columns) {
                    let numeric = column.kind == .amount || column.kind == .quantity
                    w.element("td", class: numeric ? "num" : nil, text: cell.display)
                }
                w.raw("</tr>")
            }
            w.raw("</tbody></table></div>")
        }
        w.raw("</figure>")
    }

    /// Styles for the standalone document: A4, 仿宋 body and 黑体 headings, tables that break cleanly across pages.
    public static let stylesheet = """
    @page { size: A4; margin: 25mm 20mm; }
    body { font-family: "FangSong", "仿宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; line-height: 1.6; color: #000; margin: 0 auto; max-width: 900px; padding: 16px; }
    h2, h3, .doc-title, .table-title { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; }
    .doc-title { text-align: center; font-size: 18pt; margin: 4px 0; }
    h2 { font-size: 14pt; margin: 18px 0 8px; } h3 { font-size: 12pt; margin: 12px 0 6px; }
    p { text-indent: 2em; margin: 6px 0; }
    figure { margin: 12px 0; break-inside: auto; }
    figcaption { display: flex; justify-content: space-between; gap: 8px; margin-bottom: 4px; }
    .table-unit { color: #333; font-size: 10.5pt; }
    .table-scroll { overflow-x: auto; }
    table.data { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
    table.data th, table.data td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; }
    table.data th { background: #f0f0f0; }
    table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.data th.num { text-align: right; }
    table.data tr.total td { font-weight: bold; }
    thead { display: table-header-group; } tr { break-inside: avoid; }
    dl.table-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 6px; }
    dl.table-facts dt { font-weight: bold; } dl.table-facts dd { margin: 0; }
    .table-empty { text-indent: 0; font-style: italic; }
    """

    /// A standalone HTML5 document (for download and for printing to PDF).
    public static func document(_ d: Disclosure) -> String {
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"/>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
            + "<title>\(Markup.escape(d.title.replacingOccurrences(of: "\n", with: " ")))</title>"
            + "<style>\(stylesheet)</style></head><body>\(body(d))</body></html>"
    }
}

/// Appends well-formed, escaped HTML to one growing string.
struct HTMLWriter {
    private(set) var html = ""

    init() { html.reserveCapacity(64 * 1024) }

    mutating func raw(_ s: String) { html += s }

    mutating func open(_ tag: String, class cls: String? = nil) {
        html += cls.map { "<\(tag) class=\"\($0)\">" } ?? "<\(tag)>"
    }

    mutating func close(_ tag: String) { html += "</\(tag)>" }

    mutating func element(_ tag: String, class cls: String? = nil, text: String) {
        open(tag, class: cls)
        html += Markup.escape(text)
        close(tag)
    }
}
