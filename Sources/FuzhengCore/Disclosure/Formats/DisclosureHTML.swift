import Plot

/// The disclosure as HTML: the body a portal page embeds, or a standalone document (for download
/// and for printing to PDF) with its own print stylesheet.
public enum DisclosureHTML {
    public static func body(_ d: Disclosure) -> Node<HTML.BodyContext> {
        .article(
            .class("disclosure"),
            .header(.class("disclosure-title"), .forEach(d.title.split(separator: "\n").map(String.init)) { .p(.class("doc-title"), .text($0)) }),
            .p(.class("intro"), .text(d.intro)),
            .forEach(d.sections) { section in
                .section(
                    .class("doc-section"),
                    .h2(.text(section.fullHeading)),
                    .forEach(section.blocks) { block in
                        switch block {
                        case .subheading(let s): .h3(.text(s))
                        case .paragraph(let s): .p(.text(s))
                        case .table(let id): d.table(id).map(table) ?? .empty
                        }
                    }
                )
            }
        )
    }

    public static func table(_ t: ReportTable) -> Node<HTML.BodyContext> {
        let caption: Node<HTML.BodyContext> = .element(named: "figcaption", nodes: [
            .span(.class("table-title"), .text(t.title)),
            t.unitNote.map { .span(.class("table-unit"), .text($0)) } ?? .empty,
        ])
        let facts: Node<HTML.BodyContext> = t.facts.isEmpty ? .empty
            : .dl(.class("table-facts"), .group(t.facts.map { .group(.dt(.text($0.label)), .dd(.text($0.value))) }))
        let grid: Node<HTML.BodyContext> = t.isEmpty
            ? .p(.class("table-empty"), .text(t.emptyStatement ?? "本表无数据。"))
            : .div(.class("table-scroll"), .table(.class("data"), head(t), rows(t)))
        return .element(named: "figure", nodes: [.id("table-\(t.id)"), .class("report-table"), caption, facts, grid])
    }

    static func head(_ t: ReportTable) -> Node<HTML.TableContext> {
        .thead(.tr(.group(t.columns.map { .th(.text($0.title)) })))
    }

    static func rows(_ t: ReportTable) -> Node<HTML.TableContext> {
        .tbody(.group(t.rows.map { row in
            let cells: [Node<HTML.TableRowContext>] = zip(row.cells, t.columns).map { cell, column in
                let numeric = column.kind == .amount || column.kind == .quantity
                return numeric ? .td(.class("num"), .text(cell.display)) : .td(.text(cell.display))
            }
            return row.isTotal ? .tr(.class("total"), .group(cells)) : .tr(.group(cells))
        }))
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
    table.data tr.total td { font-weight: bold; }
    thead { display: table-header-group; } tr { break-inside: avoid; }
    dl.table-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 6px; }
    dl.table-facts dt { font-weight: bold; } dl.table-facts dd { margin: 0; }
    .table-empty { text-indent: 0; font-style: italic; }
    """

    public static func document(_ d: Disclosure) -> String {
        HTML(
            .attribute(named: "lang", value: "zh-CN"),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: d.title.replacingOccurrences(of: "\n", with: " ")),
                .style(stylesheet)
            ),
            .body(body(d))
        ).render()
    }
}
